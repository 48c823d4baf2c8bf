"""``write_template``: the questionnaire, the paste-ready list and workbooks that read back."""

from __future__ import annotations

import openpyxl
import pandas as pd
import pytest

from alumni_net.errors import ConfigError
from alumni_net.survey import TEMPLATE_FILES, import_survey, questionnaire, write_template

from .conftest import EXAMPLE, KEY


def test_writes_every_file_with_the_categories(tmp_path, categories):
    out = write_template(tmp_path / "kit", categories, contacts=4, practice="co-production")
    assert sorted(p.name for p in out.iterdir()) == sorted(TEMPLATE_FILES)
    md = (out / "questionnaire.md").read_text(encoding="utf-8")
    assert "question 10" in md and "co-production" in md
    assert "why it is asked" in md and "where the answer goes" in md
    for option in categories.region:
        assert option in md
    text = (out / "questions.txt").read_text(encoding="utf-8")
    ids = [q.id for q in questionnaire(4)]
    assert [line.split("]")[0][1:] for line in text.splitlines() if line.startswith("[")] == ids


def test_the_workbook_has_the_questions_as_columns(tmp_path, categories):
    out = write_template(tmp_path / "kit", categories, contacts=2)
    book = openpyxl.load_workbook(out / "responses.xlsx")
    assert book.sheetnames == ["responses", "roster", "options", "questions"]
    header = [c.value for c in book["responses"][1]]
    assert header == [q.id for q in questionnaire(2)]
    csv = pd.read_csv(out / "responses.csv")
    assert list(csv.columns) == header and csv.empty


def test_the_kit_round_trips_filled_in(tmp_path, categories):
    """Template -> the example answers typed into its workbook -> import."""
    out = write_template(tmp_path / "kit", categories)
    columns = list(pd.read_csv(out / "responses.csv").columns)
    answers = pd.read_csv(EXAMPLE / "responses.csv", dtype=str, keep_default_na=False)
    filled = answers.reindex(columns=columns, fill_value="")
    path = tmp_path / "filled.xlsx"
    from alumni_net.core.tables import write_workbook

    write_workbook({"responses": filled}, path)
    result = import_survey(path, EXAMPLE / "roster.csv", categories=categories, key=KEY)
    assert result.data.n_respondents == 30 and result.data.n_alumni == 78
    assert result.data.contacts == 5


def test_a_form_export_with_titles_is_read(tmp_path, categories):
    """Form tools keep the question text as the column title; the bracketed id finds it."""
    by_id = {q.id: q.title for q in questionnaire(5)}
    answers = pd.read_csv(EXAMPLE / "responses.csv", dtype=str, keep_default_na=False)
    exported = answers.rename(columns=by_id).rename(columns={by_id["identity"]: "Email"})
    exported.insert(0, "Start time", "2024-05-01 10:00")
    path = tmp_path / "export.csv"
    path.write_text(exported.to_csv(index=False), encoding="utf-8")
    result = import_survey(path, EXAMPLE / "roster.csv", categories=categories, key=KEY)
    assert result.data.n_respondents == 30
    assert any("Start time" in n for n in result.notes)


def test_a_contact_cap_out_of_range_is_refused(tmp_path, categories):
    with pytest.raises(ConfigError, match="contacts must be a whole number from 1 to 20"):
        write_template(tmp_path / "kit", categories, contacts=0)
