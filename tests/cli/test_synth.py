"""``alumni-net synth``: writes a dataset folder, refuses to overwrite, clear errors."""

from __future__ import annotations

import pytest

from alumni_net.cli import main
from alumni_net.io import load_dataset


def test_writes_a_valid_dataset(tmp_path, capsys):
    out = tmp_path / "programme"
    assert main(["synth", "--out", str(out), "--people", "2,000", "--cohorts", "4",
                 "--seed", "3"]) == 0
    assert capsys.readouterr().out.startswith(f"wrote {out}: 2,000 people, 104 alumni in 4 cohorts")
    ds = load_dataset(out)
    assert ds.n_people == 2_000 and int(ds.people["is_alum"].sum()) == 104


def test_refuses_a_non_empty_folder_without_force(tmp_path, capsys):
    out = tmp_path / "programme"
    args = ["synth", "--out", str(out), "--people", "2000", "--cohorts", "4"]
    assert main(args) == 0
    before = (out / "ties.csv").read_bytes()
    capsys.readouterr()
    assert main([*args, "--seed", "9"]) == 2
    err = capsys.readouterr().err.strip()
    assert err == (f"alumni-net synth: {out} is not empty; "
                   "use --force (overwrite=True) to write into it")
    assert (out / "ties.csv").read_bytes() == before
    assert main([*args, "--seed", "9", "--force"]) == 0
    assert (out / "ties.csv").read_bytes() != before


def test_impossible_parameters_are_one_sentence(tmp_path, capsys):
    assert main(["synth", "--out", str(tmp_path / "x"), "--people", "500", "--cohorts", "40"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "cannot be recruited" in err[0]
    assert not (tmp_path / "x").exists()


@pytest.mark.parametrize("bad", [["--seed", "-1"], ["--people", "many"], ["--preset", "big"]])
def test_bad_arguments_are_rejected_by_argparse(tmp_path, bad, capsys):
    assert main(["synth", "--out", str(tmp_path / "x"), *bad]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "alumni-net synth:" in err  # one line, not a usage dump
