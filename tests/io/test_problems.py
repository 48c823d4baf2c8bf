"""Problems of one kind are one sentence; the hint that ties are directed comes first (issue 8)."""

from __future__ import annotations

import shutil

import pytest
from tests.helpers import real_dataset_dir

from alumni_net.cli import main
from alumni_net.errors import Problem, ValidationError
from alumni_net.io import describe_problems, load_dataset, validate_dataset


def _without_toml(name, tmp_path):
    """A real nomination dataset as a new user has it: the tables, no dataset.toml."""
    folder = tmp_path / name
    folder.mkdir()
    for table in ("people.csv", "ties.csv"):
        shutil.copy(real_dataset_dir(name) / table, folder / table)
    return folder


def test_reciprocated_nominations_are_one_hint_not_63_lines(tmp_path, capsys):
    folder = _without_toml("medical_innovation", tmp_path)
    # The reproduction: loaded as undirected, every returned nomination is a problem of its own.
    problems = validate_dataset(folder)
    assert len(problems) == 63 and {p.column for p in problems} == {"kind"}
    assert main(["validate", str(folder)]) == 2
    assert capsys.readouterr().err.splitlines() == [
        "These ties look directed: 63 rows of ties.csv (rows 37, 57, 60 and 60 more) repeat an "
        "earlier tie in the other direction, which undirected ties cannot hold, so load the data "
        "as directed (--directed, or the line 'directed = true' in dataset.toml).",
        f"{folder}: 63 problem(s); nothing was loaded.",
    ]
    assert main(["validate", str(folder), "--each-row"]) == 2
    assert len(capsys.readouterr().err.splitlines()) == 64
    assert main(["validate", str(folder), "--directed"]) == 0  # the hint is right


def test_commands_lead_with_the_hint(tmp_path, capsys):
    folder = _without_toml("lazega_lawyers", tmp_path)
    assert main(["analyze", str(folder), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 2  # 729 problems before
    assert err[0].startswith("These ties look directed: 729 rows of ties.csv (rows 5, 57, 62 and ")
    assert err[1] == "alumni-net analyze: 729 problem(s) in the input; nothing was written."
    assert not (tmp_path / "out").exists()


def test_grouping_by_kind_file_and_column():
    found = [
        Problem("ties.csv", r, "target", f"'x{r}' is not a person_id in the people file")
        for r in (2, 3, 7, 9, 12, 40)
    ] + [
        Problem("people.csv", 4, "person_id", "person_id '2' already appears in row 3"),
        Problem("people.csv", 5, "person_id", "person_id '2' already appears in row 3"),
        Problem("ties.csv", 8, "weight", "weight is not a number"),
        Problem("ties.csv", 9, "weight", "weight is not a number"),
        Problem("ties.csv", 10, "weight", "weight is not a number"),
        Problem("ties.csv", 11, "weight", "weight is not a number"),
        Problem("ties.csv", 9, "source", "source is empty"),
        Problem("ties.csv", None, None, "file is empty"),
        Problem("ties.csv", None, None, "holds two tables"),
    ]
    assert describe_problems(found) == [
        "people.csv, rows 4 and 5, column 'person_id': person_id '2' already appears in row 3",
        "ties.csv: file is empty",
        "ties.csv: holds two tables",
        "ties.csv, rows 2, 3, 7 and 3 more, column 'target' (6 alike; the first): 'x2' is not a "
        "person_id in the people file",
        "ties.csv, rows 8, 9, 10 and 11, column 'weight': weight is not a number",
        "ties.csv, row 9, column 'source': source is empty",
    ]
    assert describe_problems([]) == []


def test_every_tie_both_ways_names_both_readings(tmp_path, capsys):
    """An undirected list written once per direction looks like nominations all returned: the
    hint must not claim the ties are directed (direction is never guessed)."""
    folder = tmp_path / "both_ways"
    folder.mkdir()
    (folder / "people.csv").write_text("person_id\n1\n2\n3\n")
    (folder / "ties.csv").write_text("source,target\n1,2\n2,1\n2,3\n3,2\n")
    assert main(["validate", str(folder)]) == 2
    assert capsys.readouterr().err.splitlines()[0] == (
        "Every tie in ties.csv appears in both directions (2 rows repeat an earlier tie reversed: "
        "rows 3 and 5): if these are nominations, all returned, load the data as directed "
        "(--directed, or the line 'directed = true' in dataset.toml); if they are undirected "
        "ties written once per direction, keep one row per pair.")
    (folder / "ties.csv").write_text("source,target\n1,2\n2,1\n2,3\n")  # one not returned
    assert main(["validate", str(folder)]) == 2
    assert capsys.readouterr().err.startswith(
        "These ties look directed: 1 row of ties.csv (row 3) repeats an earlier tie")


def test_the_library_error_is_grouped_too(tmp_path):
    folder = _without_toml("medical_innovation", tmp_path)
    with pytest.raises(ValidationError) as info:
        load_dataset(folder)
    assert len(info.value.problems) == 63  # every problem is still there for programs
    assert str(info.value).splitlines() == [
        "63 problems in the input data:",
        "  - These ties look directed: 63 rows of ties.csv (rows 37, 57, 60 and 60 more) repeat "
        "an earlier tie in the other direction, which undirected ties cannot hold, so load the "
        "data as directed (--directed, or the line 'directed = true' in dataset.toml).",
    ]
