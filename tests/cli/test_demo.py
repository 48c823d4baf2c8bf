"""``alumni-net demo``: every step runs and leaves every promised file, on a small programme."""

from __future__ import annotations

import json

import pandas as pd

from alumni_net.cli import main

EXPECTED = ["data/people.csv", "data/ties.csv", "centrality.csv", "reach.csv", "summary.json",
            "multiplier.csv", "timeseries.csv", "by_degree.csv", "simulate.json", "report.html",
            "demo_summary.md"]


def test_demo_small_programme(tmp_path, capsys):
    out = tmp_path / "demo"
    argv = ["demo", "--out", str(out), "--people", "1500", "--cohorts", "2", "--replicates", "4",
            "--workers", "1", "--seed", "3"]
    assert main(argv) == 0
    printed = capsys.readouterr().out
    for path in EXPECTED:
        assert (out / path).is_file(), path
    assert printed == (out / "demo_summary.md").read_text()
    assert "1,500 people, 52 alumni in 2 cohort(s)" in printed
    assert "| alumni | 52 |" in printed
    assert "Model parameters: illustrative defaults, not fitted." in printed
    multiplier = pd.read_csv(out / "multiplier.csv").set_index("measure")
    assert multiplier.loc["naive_ten_per_alum", "median"] == 520
    assert (multiplier["n_replicates"] == 4).all()
    summary = json.loads((out / "summary.json").read_text())
    assert summary["dataset"]["alumni"] == 52
    # Ids in outputs are keyed pseudonyms, never the synthetic P... ids of the data folder.
    centrality = pd.read_csv(out / "centrality.csv")
    assert centrality["person_id"].str.fullmatch(r"p_[0-9a-f]{16}").all()


def test_demo_is_reproducible(tmp_path):
    argv = ["--people", "1200", "--cohorts", "2", "--replicates", "3", "--workers", "1", "--seed", "5"]
    for name in ("a", "b"):
        assert main(["demo", "--out", str(tmp_path / name), *argv]) == 0
    for table in ("multiplier.csv", "reach.csv", "centrality.csv"):
        assert (tmp_path / "a" / table).read_bytes() == (tmp_path / "b" / table).read_bytes(), table
