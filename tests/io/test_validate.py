"""Validation: each kind of problem is found, located (file, row, column) and reported at once."""

from __future__ import annotations

import pytest
from tests.helpers import write_dataset_files

from alumni_net.errors import ValidationError
from alumni_net.io import load_dataset, validate_dataset

PEOPLE = "person_id,cohort,cohort_start\n1,1,2016-09-01\n2,1,2016-09-01\n3,,\n"
TIES = "source,target,kind,weight,since\n1,2,cohort,1,2016-09-01\n2,3,colleague,2,\n"


def problems(tmp_path, people=PEOPLE, ties=TIES, meta=None):
    folder = write_dataset_files(tmp_path / "d", people, ties, meta)
    return [str(p) for p in validate_dataset(folder)]


def test_valid_dataset_has_no_problems(tmp_path):
    assert problems(tmp_path) == []


@pytest.mark.parametrize(
    ("people", "ties", "expected"),
    [
        (PEOPLE + "2,1,2016-09-01\n", TIES,
         ["people.csv, row 5, column 'person_id': person_id '2' already appears in row 3"]),
        (PEOPLE, TIES + "3,9,colleague,1,\n",
         ["ties.csv, row 4, column 'target': '9' is not a person_id in the people file"]),
        (PEOPLE, TIES + "3,3,colleague,1,\n",
         ["ties.csv, row 4, column 'target': a tie from a person to themselves (self-tie)"]),
        (PEOPLE, TIES + "1,3,colleague,0,\n",
         ["ties.csv, row 4, column 'weight': weight must be a positive, finite number"]),
        (PEOPLE, TIES + "1,3,colleague,heavy,\n",
         ["ties.csv, row 4, column 'weight': weight is not a number"]),
        (PEOPLE, TIES + "1,3,colleague,1,31/02/2019\n",
         ["ties.csv, row 4, column 'since': is not a date; "
          "write it as YYYY-MM-DD (or a year, or DD/MM/YYYY)"]),
        (PEOPLE.replace("2016-09-01\n3", "Sept 2016\n3"), TIES,
         ["people.csv, row 3, column 'cohort_start': is not a date; "
          "write it as YYYY-MM-DD (or a year, or DD/MM/YYYY)"]),
        ("id,cohort\n1,1\n", TIES,
         ["people.csv, row 1, column 'person_id': required column is missing from the header"]),
        (PEOPLE, "source,kind\n1,cohort\n",
         ["ties.csv, row 1, column 'target': required column is missing from the header"]),
        ("person_id,cohort\n", TIES, ["people.csv: has a header but no people rows"]),
        (PEOPLE, "", ["ties.csv: file is empty"]),
        (PEOPLE, TIES + "1,2,cohort,3,\n",
         ["ties.csv, row 4, column 'kind': repeats an earlier tie with the same source, target and "
          "kind; merge them (sum weights)"]),
        (PEOPLE, TIES + '1,3,"colleague,1,\n',
         ["ties.csv, row 4: a quoted value is never closed (is the file truncated?)"]),
        (PEOPLE, TIES + "1,3,colleague,1,,extra\n",
         ["ties.csv, row 4: has 6 values where the header has 5 columns"]),
        ("person_id,is_alum\n1,maybe\n2,yes\n3,\n", TIES,
         ["people.csv, row 2, column 'is_alum': is_alum must be true or false (or empty)"]),
    ],
    ids=["duplicate-id", "unknown-id", "self-tie", "zero-weight", "text-weight", "bad-date",
         "bad-cohort-start", "no-person-id", "no-target", "no-people", "empty-ties",
         "duplicate-tie", "unclosed-quote", "too-many-values", "bad-is-alum"],
)
def test_each_problem_is_located(tmp_path, people, ties, expected):
    assert problems(tmp_path, people, ties) == expected


def test_directed_keeps_reverse_ties_apart(tmp_path):
    ties = TIES + "2,1,cohort,1,\n"
    assert problems(tmp_path, ties=ties, meta="directed = true\n") == []


def test_every_problem_reported_at_once(tmp_path):
    people = PEOPLE + "2,1,2016-13-01\n"
    ties = TIES + "1,7,x,-1,\n4,4,y,1,nope\n"
    found = problems(tmp_path, people, ties)
    # people row 5: duplicate id, bad date; ties row 4: unknown target, bad weight;
    # ties row 5: unknown source and target, self-tie, bad date.
    assert len(found) == 8
    assert {p.split(",")[0] for p in found} == {"people.csv", "ties.csv"}


def test_encoding_and_bom(tmp_path):
    """Excel's "CSV UTF-8" (with a byte-order mark) is read; Windows-1252 gets one sentence saying
    how to declare it, and is read once declared."""
    folder = write_dataset_files(tmp_path / "d", PEOPLE, TIES)
    (folder / "people.csv").write_bytes(
        "person_id,region\n1,Zürich\n2,x\n3,y\n4,z\n".encode("cp1252"))
    (folder / "ties.csv").write_bytes(b"\xef\xbb\xbf" + TIES.encode())
    assert [str(p) for p in validate_dataset(folder)] == [
        'people.csv, row 2: is not UTF-8 text (byte 0xfc); it looks like Windows-1252, as Excel '
        'saves "CSV" on Windows: add the line encoding = "cp1252" to dataset.toml (or give '
        '--encoding cp1252), or save it as "CSV UTF-8"',
    ]
    (folder / "dataset.toml").write_text('encoding = "cp1252"\n')
    ds = load_dataset(folder)
    assert ds.people["region"].tolist() == ["Zürich", "x", "y", "z"] and ds.n_ties == 2
    assert load_dataset(folder.parent / "d", encoding="cp1252").n_people == 4


def test_missing_files_and_folder(tmp_path):
    assert [str(p) for p in validate_dataset(tmp_path / "nowhere")] == [
        f"{tmp_path}/nowhere: is not a folder"]
    (tmp_path / "people.csv").write_text(PEOPLE)
    assert [str(p) for p in validate_dataset(tmp_path)] == [
        f"{tmp_path}/ties.csv: file not found (also looked for .parquet, .xlsx, .xls, .ods)"]


def test_load_raises_with_all_problems(tmp_path):
    folder = write_dataset_files(tmp_path / "d", PEOPLE, TIES + "1,1,x,1,\n1,8,y,1,\n")
    with pytest.raises(ValidationError) as info:
        load_dataset(folder)
    assert len(info.value.problems) == 2
    assert str(info.value).startswith("2 problems in the input data:")


def test_reverse_tie_in_undirected_data_suggests_directed(tmp_path):
    ties = TIES + "2,1,cohort,1,\n1,2,cohort,1,\n"
    assert problems(tmp_path, ties=ties) == [
        "ties.csv, row 4, column 'kind': repeats an earlier tie in the other direction, "
        "which is the same tie in undirected data; if ties have a direction, load the data as "
        "directed (--directed, or directed = true in dataset.toml)",
        "ties.csv, row 5, column 'kind': repeats an earlier tie with the same source, target and "
        "kind; merge them (sum weights)",
    ]
