"""``alumni-net simulate``: outputs, config handling, one-line errors, and resume after a kill."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from alumni_net.cli import main
from alumni_net.synth import synthesize

OUTPUTS = ("multiplier.csv", "by_degree.csv", "timeseries.csv", "by_group.csv", "multiplier.md",
           "simulate.json")


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory) -> Path:
    """A small synthetic programme: 1,000 people, 2 cohorts (52 alumni)."""
    folder = tmp_path_factory.mktemp("programme")
    synthesize(folder, n_people=1000, n_cohorts=2, seed=1, overwrite=True)
    return folder


def simulate(*args: str | Path) -> int:
    return main(["simulate", *map(str, args)])


def test_writes_every_output_and_prints_the_table(data_dir, tmp_path, capsys):
    out = tmp_path / "out"
    assert simulate(data_dir, "--replicates", 3, "--horizon", 12, "--seed", 4, "--workers", 1,
                    "--out", out) == 0
    for name in OUTPUTS:
        assert (out / name).is_file(), name
    meta = json.loads((out / "simulate.json").read_text())
    assert meta["n_replicates"] == 3 and meta["seed"]["entropy"] == 4
    assert meta["params"]["horizon_months"] == 12 and meta["engine"] == "fast"
    assert meta["data"]["n_people"] == 1000 and meta["package_version"]
    printed = capsys.readouterr().out
    assert "| naive_ten_per_alum | 520 | 520 to 520 |" in printed  # 52 alumni x 10
    assert len(list((out / "replicates").glob("rep-*.summary.parquet"))) == 3


def test_two_workers_started_before_loading_write_the_tables_of_one(data_dir, tmp_path):
    # The pool's forkserver starts before the data load; the tables are those of one process.
    args = ["--replicates", 3, "--horizon", 12, "--seed", 4]
    assert simulate(data_dir, *args, "--workers", 1, "--out", tmp_path / "one") == 0
    assert simulate(data_dir, *args, "--workers", 2, "--out", tmp_path / "two") == 0
    for name in ("multiplier.csv", "by_degree.csv", "timeseries.csv", "by_group.csv",
                 "multiplier.md"):
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes()


def test_no_person_id_reaches_any_output(data_dir, tmp_path):
    out = tmp_path / "out"
    assert simulate(data_dir, "--replicates", 2, "--horizon", 12, "--workers", 1,
                    "--transmission", 2, "--out", out) == 0
    ids = set(pd.read_csv(data_dir / "people.csv")["person_id"])
    assert (out / "reproduction.csv").is_file()  # the transmission tables are searched too
    tables = [pd.read_csv(p) for p in out.glob("*.csv")]
    tables += [pd.read_parquet(p) for p in (out / "replicates").glob("*.parquet")]
    for table in tables:
        values = set(table.astype(str).to_numpy().ravel())
        assert not values & ids


def test_transmission_tables_from_the_runs_first_replicates(data_dir, tmp_path):
    """--transmission N: reproduction number by month, generation time, one tree summary per
    replicate and the packed trees, from the run's own first N replicates."""
    import numpy as np

    out = tmp_path / "out"
    assert simulate(data_dir, "--replicates", 4, "--horizon", 24, "--workers", 1, "--seed", 3,
                    "--transmission", 3, "--out", out) == 0
    trees = pd.read_csv(out / "tree_summary.csv")
    assert trees["replicate"].tolist() == [0, 1, 2]
    reproduction = pd.read_csv(out / "reproduction.csv")
    assert reproduction["month"].tolist() == list(range(25))
    ok = reproduction["r"].notna()
    assert ((reproduction.loc[ok, "lo"] <= reproduction.loc[ok, "r"] + 1e-9) | (
        reproduction.loc[ok, "replicates"] < 2)).all()
    generation = pd.read_csv(out / "generation_time.csv")
    assert generation["share"].sum() == pytest.approx(1.0)
    with np.load(out / "transmission_trees.npz") as packed:
        assert packed.files  # flat integer arrays, no pickle
    meta = json.loads((out / "simulate.json").read_text())
    assert meta["transmission"]["replicates"] == 3
    # the trees are the run's own replicates: adoptions through spread agree replicate by replicate
    summary = pd.concat(pd.read_parquet(p) for p in (out / "replicates").glob("*summary.parquet"))
    ran = summary[summary["arm"] == "programme"].set_index("replicate").sort_index()
    assert trees["through_spread"].tolist() == ran["adoptions_spread"].iloc[:3].tolist()
    assert trees["adopters"].tolist() == ran.filter(like="adoptions_").sum(axis=1).iloc[:3].tolist()


def test_config_file_is_read_and_options_override_it(data_dir, tmp_path):
    config = tmp_path / "sim.toml"
    config.write_text("[run]\nreplicates = 2\nseed = 5\nhorizon = 6\n[model]\nbeta = 0.1\n")
    out = tmp_path / "out"
    assert simulate(data_dir, "--config", config, "--seed", 6, "--workers", 1, "--out", out) == 0
    meta = json.loads((out / "simulate.json").read_text())
    assert meta["n_replicates"] == 2 and meta["seed"]["entropy"] == 6
    assert meta["params"]["beta"] == 0.1 and meta["params"]["horizon_months"] == 6


def test_bad_config_is_one_line_exit_2_and_writes_nothing(data_dir, tmp_path, capsys):
    config = tmp_path / "sim.toml"
    config.write_text("[model]\nbta = 0.1\n")
    out = tmp_path / "out"
    assert simulate(data_dir, "--config", config, "--out", out) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("alumni-net simulate: ") and "\n" not in err
    assert str(config) in err and "'bta'" in err and "did you mean 'beta'?" in err
    assert not out.exists()


def test_resume_with_another_seed_is_refused(data_dir, tmp_path, capsys):
    out = tmp_path / "out"
    args = ["--replicates", 2, "--horizon", 6, "--workers", 1, "--out", out]
    assert simulate(data_dir, *args) == 0
    assert simulate(data_dir, *args, "--seed", 9, "--resume") == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1].startswith("alumni-net simulate: cannot resume: the replicates in ")


def _wait_for(folder: Path, pattern: str, count: int, proc: subprocess.Popen, timeout: float):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        if len(list(folder.glob(pattern))) >= count:
            return
        time.sleep(0.05)
    raise AssertionError(f"the run did not write {count} replicate(s) in time (rc={proc.poll()})")


@pytest.mark.timeout(180)
def test_killed_run_resumes_to_the_same_tables_as_an_uninterrupted_run(data_dir, tmp_path):
    # The reference engine is slow enough (about a second a replicate) to be killed partway.
    args = ["--replicates", "6", "--horizon", "8", "--engine", "reference", "--seed", "3",
            "--workers", "1"]
    killed = tmp_path / "killed"
    cmd = [sys.executable, "-c", "import sys; from alumni_net.cli import main; sys.exit(main())",
           "simulate", str(data_dir), *args, "--out", str(killed)]
    env = {**os.environ, "ALUMNI_NET_PROGRESS": "0"}
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            start_new_session=True)
    try:
        _wait_for(killed / "replicates", "rep-*.summary.parquet", 2, proc, timeout=120)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)  # the whole session: no worker may survive
        proc.communicate()
    done_before = len(list((killed / "replicates").glob("rep-*.summary.parquet")))
    assert 2 <= done_before < 6
    assert not (killed / "multiplier.csv").exists()  # killed before the tables: none half-made

    assert simulate(data_dir, *args, "--resume", "--out", killed) == 0
    whole = tmp_path / "whole"
    assert simulate(data_dir, *args, "--out", whole) == 0
    for name in ("multiplier.csv", "by_degree.csv", "timeseries.csv", "by_group.csv"):
        assert (killed / name).read_bytes() == (whole / name).read_bytes(), name
    # Every replicate exactly once: 4 tables each, no duplicate, no leftover temporary file.
    files = sorted(p.name for p in (killed / "replicates").iterdir())
    assert files == sorted(p.name for p in (whole / "replicates").iterdir())
    assert len(files) == 6 * 4 + 1  # + manifest.json
    summary = pd.concat(pd.read_parquet(p) for p in (killed / "replicates").glob("*.summary.*"))
    assert sorted(summary["replicate"]) == sorted([*range(6)] * 2)
    assert json.loads((killed / "simulate.json").read_text())["resumed"] is True


def test_every_multiplier_says_where_its_parameters_came_from(data_dir, tmp_path, capsys):
    # The model's defaults are labelled illustrative ...
    out = tmp_path / "defaults"
    assert simulate(data_dir, "--replicates", 2, "--horizon", 6, "--workers", 1, "--out", out) == 0
    assert json.loads((out / "simulate.json").read_text())["parameter_source"] == (
        "illustrative defaults, not fitted")
    assert "Model parameters: illustrative defaults, not fitted." in (
        out / "multiplier.md").read_text()
    # ... and a calibrated config carries its dataset and date into every output.
    config = tmp_path / "calibrated.toml"
    config.write_text('[model]\nbeta = 0.02\n[source]\ncalibrated_on = "Medical Innovation"\n'
                      'date = "2026-12-03"\n')
    fitted = tmp_path / "fitted"
    capsys.readouterr()
    assert simulate(data_dir, "--config", config, "--replicates", 2, "--horizon", 6,
                    "--workers", 1, "--out", fitted) == 0
    said = "calibrated on Medical Innovation (2026-12-03)"
    assert json.loads((fitted / "simulate.json").read_text())["parameter_source"] == said
    assert said in (fitted / "multiplier.md").read_text() and said in capsys.readouterr().out
    assert main(["report", str(fitted), "--data", str(data_dir), "--no-maps"]) == 0
    assert f"Model parameters: {said}." in (fitted / "report.html").read_text()


def test_engine_option_offers_every_registered_engine(capsys):
    from alumni_net.abm.engines import ENGINE_CLASSES

    assert main(["simulate", "data", "--out", "out", "--engine", "turbo"]) == 2
    err = capsys.readouterr().err
    assert all(repr(name) in err for name in ENGINE_CLASSES), err
