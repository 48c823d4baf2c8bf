"""``alumni-net demo``: every step runs and leaves every promised file, on a small programme."""

from __future__ import annotations

import contextlib
import io
import json

import pandas as pd
import pytest

from alumni_net.cli import main

EXPECTED = ["data/people.csv", "data/ties.csv", "centrality.csv", "reach.csv", "summary.json",
            "multiplier.csv", "timeseries.csv", "by_degree.csv", "simulate.json", "report.html",
            "demo_summary.md"]


ARGV = ["--people", "1500", "--cohorts", "2", "--replicates", "4", "--workers", "1", "--seed", "3"]


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory):
    """One demo on a small programme (folder and what it printed), read by both tests: the
    run is the suite's costliest CLI call, and the tests only read what it left."""
    out = tmp_path_factory.mktemp("demo") / "demo"
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        assert main(["demo", "--out", str(out), *ARGV]) == 0
    return out, printed.getvalue()


def test_demo_small_programme(demo_run):
    out, printed = demo_run
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


def test_demo_is_reproducible(demo_run, tmp_path):
    """A second run with the same arguments writes the same tables, byte for byte."""
    first, _ = demo_run
    assert main(["demo", "--out", str(tmp_path / "again"), *ARGV]) == 0
    for table in ("multiplier.csv", "reach.csv", "centrality.csv"):
        assert (first / table).read_bytes() == (tmp_path / "again" / table).read_bytes(), table
