"""``alumni-net survey template`` and ``alumni-net survey import``."""

from __future__ import annotations

import pandas as pd
from tests.helpers import ROOT

from alumni_net.cli import main
from alumni_net.survey import TEMPLATE_FILES

EXAMPLE = ROOT / "data" / "survey_example"


def test_template_writes_the_kit(tmp_path, capsys):
    out = tmp_path / "kit"
    assert main(["survey", "template", "--out", str(out), "--contacts", "3",
                 "--practice", "co-production"]) == 0
    assert capsys.readouterr().out.startswith(f"wrote {out}: questionnaire.md")
    assert sorted(p.name for p in out.iterdir()) == sorted(TEMPLATE_FILES)
    assert "co-production" in (out / "questionnaire.md").read_text(encoding="utf-8")


def test_template_takes_its_options_from_a_population_file(tmp_path):
    pop = tmp_path / "pop.csv"
    pop.write_text("region,sector,role,count\nWales,health,nurse_midwife,10\n", encoding="utf-8")
    assert main(["survey", "template", "--out", str(tmp_path / "kit"), "--population",
                 str(pop)]) == 0
    text = (tmp_path / "kit" / "questions.txt").read_text(encoding="utf-8")
    assert "nurse_midwife" in text and "Wales" in text


def test_import_reports_response_rates(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("ALUMNI_NET_KEY", "cli-survey-test-key-0123")
    out = tmp_path / "survey"
    assert main(["survey", "import", str(EXAMPLE / "responses.csv"), "--roster",
                 str(EXAMPLE / "roster.csv"), "--out", str(out), "--population",
                 str(EXAMPLE / "population.csv")]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "30 of 78 alumni answered (38%)"
    assert lines[1].startswith("  by cohort: 1 ") and lines[2].startswith("  by sector: ")
    assert {p.name for p in out.iterdir()} >= {"egos.csv", "alters.csv", "alter_ties.csv",
                                               "people.csv", "ties.csv", "response_rate.csv"}


def test_bad_answers_exit_2_with_file_row_and_column_and_write_nothing(tmp_path, capsys):
    answers = pd.read_csv(EXAMPLE / "responses.csv", dtype=str, keep_default_na=False)
    answers.loc[4, "shared_own_org"] = "a few"
    bad = tmp_path / "responses.csv"
    answers.to_csv(bad, index=False)
    out = tmp_path / "survey"
    assert main(["survey", "import", str(bad), "--roster", str(EXAMPLE / "roster.csv"),
                 "--out", str(out), "--population", str(EXAMPLE / "population.csv")]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err[0] == ("responses.csv, row 6, column 'shared_own_org': 'a few' is not a "
                      "number: write a whole number such as 20")
    assert err[-1] == "alumni-net survey: 1 problem(s) in the input; nothing was written."
    assert not out.exists()
