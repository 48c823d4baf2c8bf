"""Issue 19, section 4, the reading side: each defect the red team found, reproduced and fixed."""

from __future__ import annotations

import os
import sys

import openpyxl
import pandas as pd
import pytest

from alumni_net.errors import AlumniNetError, ConfigError, ValidationError
from alumni_net.io import load_dataset, resolve_key

KEY = "red-team-key-0123456789"
TIES = "source,target\n" + "".join(f"p{i},p{i + 1}\n" for i in range(9))


@pytest.fixture(autouse=True)
def _key(monkeypatch):
    monkeypatch.setenv("ALUMNI_NET_KEY", KEY)


def _people(rows: list[str], header="person_id,cohort,cohort_start,adoption_time") -> str:
    return header + "\n" + "".join(r + "\n" for r in rows)


def _folder(tmp_path, people: str, ties: str = TIES, toml: str | None = None):
    folder = tmp_path / "data"
    folder.mkdir(exist_ok=True)
    (folder / "people.csv").write_text(people, encoding="utf-8")
    (folder / "ties.csv").write_text(ties, encoding="utf-8")
    if toml is not None:
        (folder / "dataset.toml").write_text(toml, encoding="utf-8")
    return folder


def _problems(folder) -> list[str]:
    with pytest.raises(ValidationError) as info:
        load_dataset(folder)
    return [str(p) for p in info.value.problems]


def _workbook(path, visible_rows, hidden_rows=None, formulas=False):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "alumni"
    for row in visible_rows:
        sheet.append(row)
    if formulas:
        for r in range(2, len(visible_rows) + 1):
            sheet.cell(r, 2).value = "=1"
    if hidden_rows is not None:
        hidden = book.create_sheet("people")
        for row in hidden_rows:
            hidden.append(row)
        hidden.sheet_state = "hidden"
    book.save(path)


def test_a_hidden_sheet_named_people_is_not_read(tmp_path):
    """60 people on the visible sheet, an old list of 30 on a hidden sheet named 'people': the
    visible one is read, and a note names the hidden one."""
    folder = _folder(tmp_path, "x", "source,target\np0,p1\n")
    (folder / "people.csv").unlink()
    _workbook(folder / "people.xlsx", [["person_id"]] + [[f"p{i}"] for i in range(60)],
              hidden_rows=[["person_id"]] + [[f"old{i}"] for i in range(30)])
    ds = load_dataset(folder)
    assert ds.n_people == 60
    assert any("hidden sheet 'people' was not read" in n for n in ds.notes)


def test_only_hidden_data_is_refused(tmp_path):
    folder = _folder(tmp_path, "x", "source,target\np0,p1\n")
    (folder / "people.csv").unlink()
    book = openpyxl.Workbook()
    book.active.title = "empty"
    hidden = book.create_sheet("old")
    hidden.append(["person_id"])
    hidden.append(["p0"])
    hidden.sheet_state = "hidden"
    book.save(folder / "people.xlsx")
    assert _problems(folder) == [
        "people.xlsx: its only data are in hidden sheet(s) 'old', which are never read; unhide "
        "the sheet to read"]


def test_formulas_without_saved_values_are_named_not_lost(tmp_path):
    """A script wrote cohort = '=1' without the value Excel would save: every reader sees an
    empty cell, so the 12 alumni would silently lose their cohort."""
    folder = _folder(tmp_path, "x")
    (folder / "people.csv").unlink()
    _workbook(folder / "people.xlsx",
              [["person_id", "cohort"]] + [[f"p{i}", None] for i in range(12)], formulas=True)
    found = _problems(folder)
    assert len(found) == 12
    assert found[0] == (
        "people.xlsx, sheet 'alumni', row 2, column 'cohort': cell B2 holds the formula =1 with "
        "no saved value, so it reads as empty (the file was written by a program that does not "
        "compute formulas); open and save it in Excel, or write the values")


def test_cohort_labels_are_text_2019_1_and_2019_10_stay_apart(tmp_path):
    rows = [f"p{i},{'2019.1' if i < 5 else '2019.10'},," for i in range(10)]
    ds = load_dataset(_folder(tmp_path, _people(rows)))
    assert sorted(ds.people["cohort"].unique()) == ["2019.1", "2019.10"]
    assert len(ds.cohorts) == 2
    # Plain integer labels lose nothing as numbers and stay integers.
    ds = load_dataset(_folder(tmp_path, _people([f"p{i},{1 + i % 2},," for i in range(10)])))
    assert ds.people["cohort"].dtype == "Int64"


def test_other_columns_are_numbers_only_when_nothing_is_lost(tmp_path):
    people = "person_id,code,score\n" + "".join(
        f"p{i},{'007' if i == 0 else '7' if i == 1 else i},{i / 2}\n" for i in range(10))
    ds = load_dataset(_folder(tmp_path, people))
    assert ds.people.set_index("person_id").loc[["p0", "p1"], "code"].tolist() == ["007", "7"]
    assert ds.people["score"].dtype == float


def test_a_cohort_start_far_from_the_others_is_named(tmp_path):
    rows = [f"p{i},1,{'1900-09-01' if i == 3 else '2020-09-01'}," for i in range(10)]
    assert _problems(_folder(tmp_path, _people(rows))) == [
        "people.csv, row 5, column 'cohort_start': cohort_start 1900-09-01 is far outside the "
        "other dates (2020-09-01 to 2020-09-01); check it for a typo"]


def test_a_tie_date_far_from_the_others_is_named_among_many_undated_ties(tmp_path):
    # Only the dated ties are compared (most ties have no since): the row is still the right one.
    people = _people([f"p{i},,," for i in range(10)])
    dates = {2: "2019-05-01", 7: "2019-06-01", 11: "2019-07-01", 16: "1919-06-01",
             20: "2019-08-01"}
    ties = "source,target,kind,since\n" + "".join(
        f"p{i % 10},p{(i + 1 + i // 10) % 10},k{i},{dates.get(i, '')}\n" for i in range(24))
    assert _problems(_folder(tmp_path, people, ties)) == [
        "ties.csv, row 18, column 'since': since 1919-06-01 is far outside the other dates "
        "(2019-05-01 to 2019-08-01); check it for a typo"]
    dated = ties.replace("1919-06-01", "2019-06-15")
    since = load_dataset(_folder(tmp_path, people, dated)).ties["since"]
    assert int(since.notna().sum()) == 5 and since.iloc[16] == pd.Timestamp("2019-06-15")


def test_a_year_typed_with_a_digit_too_many_is_named(tmp_path):
    years = ["2015", "2016", "2017", "2018", "2019", "2020", "20191", "2020", "2019", "2018"]
    rows = [f"p{i},{i % 3},{y}," for i, y in enumerate(years)]
    found = _problems(_folder(tmp_path, _people(rows)))
    assert found == ["people.csv, row 8, column 'cohort_start': is not a date; write it as "
                     "YYYY-MM-DD (or a year, or DD/MM/YYYY)"]


@pytest.mark.parametrize(("value", "message"), [
    ("1e10", "adoption_time 1e10 is far outside the other adoption times (0 to 9); check it "
             "for a typo"),
    ("inf", "adoption_time must be a finite number (leave the cell empty for people who did "
            "not adopt)"),
    ("-inf", "adoption_time must be a finite number (leave the cell empty for people who did "
             "not adopt)"),
])
def test_adoption_times_far_out_or_infinite_are_named(tmp_path, value, message):
    rows = [f"p{i},,,{value if i == 4 else i}" for i in range(10)]
    assert _problems(_folder(tmp_path, _people(rows))) == [
        f"people.csv, row 6, column 'adoption_time': {message}"]


def test_a_late_adopter_is_not_an_outlier(tmp_path):
    rows = [f"p{i},,,{40 if i == 4 else i}" for i in range(10)]
    assert load_dataset(_folder(tmp_path, _people(rows))).people["adoption_time"].max() == 40


def test_a_column_of_numbers_with_one_date_names_the_date(tmp_path):
    rows = [f"p{i},,,{'2020-03-01' if i == 6 else i}" for i in range(10)]
    assert _problems(_folder(tmp_path, _people(rows))) == [
        "people.csv, row 8, column 'adoption_time': is not a number, where the other adoption "
        "times are numbers; write every adoption_time the same way (a number, or a date)"]


def test_a_column_of_dates_with_one_number_names_the_number(tmp_path):
    rows = [f"p{i},,,{'7' if i == 6 else f'2020-03-{i + 1:02d}'}" for i in range(10)]
    assert _problems(_folder(tmp_path, _people(rows))) == [
        "people.csv, row 8, column 'adoption_time': is a number, where the other adoption times "
        "are dates; write every adoption_time the same way (a date, or a number)"]


def test_a_spreadsheet_reader_missing_names_the_extra(tmp_path, monkeypatch):
    """.xls and .ods are read by calamine (the io extra); without it the message says so."""
    folder = _folder(tmp_path, "x")
    (folder / "people.csv").unlink()
    (folder / "people.xls").write_bytes(b"not really excel")
    monkeypatch.setitem(sys.modules, "python_calamine", None)
    with pytest.raises(AlumniNetError, match=r"python-calamine .*pip install 'alumni-net\[io\]'"):
        load_dataset(folder)


def test_a_broken_xls_says_what_it_is_not(tmp_path):
    folder = _folder(tmp_path, "x")
    (folder / "people.csv").unlink()
    (folder / "people.xls").write_bytes(b"not really excel")
    found = _problems(folder)
    assert len(found) == 1 and found[0].startswith(
        "people.xls: cannot be read as an Excel 97-2003 workbook")


def test_ods_is_read(tmp_path):
    from tests.cli.red_team_cases import write_ods

    folder = _folder(tmp_path, "x")
    (folder / "people.csv").unlink()
    write_ods(folder / "people.ods", [["person_id", "sector"]] + [[f"p{i}", "health"]
                                                                  for i in range(10)])
    ds = load_dataset(folder)
    assert ds.n_people == 10 and set(ds.people["sector"]) == {"health"}
    (folder / "ties.csv").unlink()
    assert _problems(folder) == [
        f"{folder}/ties.csv: file not found (also looked for .parquet, .xlsx, .xls, .ods)"]


@pytest.mark.parametrize("key", ["name", "description"])
def test_an_email_in_the_dataset_name_is_refused(tmp_path, key):
    folder = _folder(tmp_path, _people(["p0,,,"]), "source,target\np0,p0\n",
                     toml=f'{key} = "Programme of ada@example.org"\n')
    with pytest.raises(ConfigError, match=rf"'{key}' holds an email address"):
        load_dataset(folder)


def test_an_empty_key_variable_is_refused_like_a_short_one(monkeypatch):
    monkeypatch.setenv("ALUMNI_NET_KEY", "")
    with pytest.raises(ConfigError, match=r"\$ALUMNI_NET_KEY is set but empty"):
        resolve_key()
    monkeypatch.setenv("ALUMNI_NET_KEY", "x")
    with pytest.raises(ConfigError, match="too short"):
        resolve_key()
    monkeypatch.delenv("ALUMNI_NET_KEY")
    monkeypatch.setenv("ALUMNI_NET_KEY_FILE", "")
    with pytest.raises(ConfigError, match=r"\$ALUMNI_NET_KEY_FILE is set but empty"):
        resolve_key()
    monkeypatch.delenv("ALUMNI_NET_KEY_FILE")
    assert resolve_key()[1] is not None  # unset: a random key, with a note


def test_a_world_writable_key_file_is_refused(tmp_path):
    path = tmp_path / "key"
    path.write_text("k" * 32)
    path.chmod(0o666)
    with pytest.raises(ConfigError, match=r"can be changed by anyone \(mode 666\).*chmod 600"):
        resolve_key(path)
    path.chmod(0o600)
    assert resolve_key(path) == (b"k" * 32, None)
    assert os.stat(path).st_mode & 0o777 == 0o600


def test_dates_as_uk_spreadsheets_write_them(tmp_path):
    """25/12/2020 can only be day-first and is read; 03/04/2020 reads both ways and is named
    until date_order says which; Excel day numbers are dates."""
    rows = ["p0,1,25/12/2020,", "p1,1,03/04/2020,", "p2,1,44197,", "p3,1,2020-01-05,"]
    rows += [f"p{i},,," for i in range(4, 10)]
    found = _problems(_folder(tmp_path, _people(rows)))
    assert found == [
        "people.csv, row 3, column 'cohort_start': 03/04/2020 could be 3 April or 4 March (the "
        "other such dates in this column are day-first); say which with date_order = "
        "\"day_first\" (or \"month_first\") in dataset.toml, or --date-order"]
    folder = _folder(tmp_path, _people(rows), toml='date_order = "day_first"\n')
    starts = load_dataset(folder).people.set_index("person_id")["cohort_start"].dropna()
    assert starts.dt.strftime("%Y-%m-%d").to_dict() == {
        "p0": "2020-12-25", "p1": "2020-04-03", "p2": "2021-01-01", "p3": "2020-01-05"}
    (folder / "dataset.toml").unlink()
    with pytest.raises(ValidationError, match="row 2, column 'cohort_start': is not a date"):
        load_dataset(folder, date_order="month_first")  # 25/12/2020 cannot be month-first
    (folder / "people.csv").write_text(_people(["p0,1,,", *rows[1:]]))
    again = load_dataset(folder, date_order="month_first").people.set_index("person_id")
    assert again.loc["p1", "cohort_start"] == pd.Timestamp("2020-03-04")
