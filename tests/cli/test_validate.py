"""``alumni-net validate``: a summary for valid data, every problem and exit 2 otherwise."""

from __future__ import annotations

from tests.helpers import real_dataset_dir, write_dataset_files

from alumni_net.cli import main


def test_summary_of_real_dataset(capsys):
    assert main(["validate", str(real_dataset_dir("medical_innovation")), "--directed"]) == 0
    out = capsys.readouterr().out
    assert "125 people, 0 alumni in 0 cohort(s), 450 directed ties" in out
    assert "  advice: 161 ties" in out


def test_summary_of_two_cohorts(two_cohorts, capsys, pseudonym_key):
    assert main(["validate", str(two_cohorts)]) == 0
    out = capsys.readouterr().out
    assert "6 people, 3 alumni in 2 cohort(s), 5 undirected ties" in out


def test_problems_listed_and_exit_two(tmp_path, capsys):
    folder = write_dataset_files(tmp_path / "bad", "person_id\n1\n1\n", "source,target\n1,2\n")
    assert main(["validate", str(folder)]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err == [
        "people.csv, row 3, column 'person_id': person_id '1' already appears in row 2",
        "ties.csv, row 2, column 'target': '2' is not a person_id in the people file",
        f"{folder}: 2 problem(s); nothing was loaded.",
    ]


def test_help_is_useful(capsys):
    assert main(["validate", "--help"]) == 0
    assert "every problem at once" in capsys.readouterr().out


def test_key_file_too_short_is_one_sentence(two_cohorts, tmp_path, capsys):
    key = tmp_path / "key"
    key.write_text("short")
    assert main(["validate", str(two_cohorts), "--key-file", str(key)]) == 2
    assert capsys.readouterr().err.strip() == (
        f"alumni-net validate: key file {key} is too short: a pseudonymisation key needs at least "
        "16 characters")
