"""The workforce pipeline: a survey dataset + a population -> a workforce folder; analyze and
simulate over its networks with intervals that include the network."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pandas as pd
import pytest
from tests.helpers import ROOT

from alumni_net.abm import ContagionParams
from alumni_net.core.tables import write_csv
from alumni_net.errors import ConfigError
from alumni_net.experiments import runner
from alumni_net.experiments.store import ReplicateStore
from alumni_net.experiments.workforce import FitSettings
from alumni_net.io import load_dataset
from alumni_net.pipelines.workforce import (
    analyze_workforce,
    estimate_workforce,
    is_workforce,
    read_workforce,
    simulate_workforce,
)
from alumni_net.survey import categories_from_population, import_survey
from alumni_net.synth.population import population_counts

EXAMPLE = ROOT / "data" / "survey_example"
TINY = FitSettings(particles=30, generations=2, fit_size=1_000, bootstrap=40, predictive=10)


def small_population(path):
    """The example's population at a tenth of its size (every group kept)."""
    pop = pd.read_csv(EXAMPLE / "population.csv")
    pop["count"] = np.maximum(1, (pop["count"] / 10).round()).astype(int)
    write_csv(pop, path)
    return path


@pytest.fixture(scope="module")
def workforce(tmp_path_factory):
    base = tmp_path_factory.mktemp("workforce")
    cats = categories_from_population(population_counts(EXAMPLE / "population.csv"))
    import_survey(EXAMPLE / "responses.csv", EXAMPLE / "roster.csv", base / "survey",
                  categories=cats, key=b"pipeline-test-key-0123")
    pop = small_population(base / "population.csv")
    return estimate_workforce(base / "survey", pop, base / "workforce", networks=3, seed=1,
                              settings=TINY)


def test_the_folder_holds_k_networks_a_fit_report_and_provenance(workforce):
    folder = workforce.path
    assert is_workforce(folder) and read_workforce(folder).meta == workforce.meta
    meta = workforce.meta
    assert meta["source"] == "3 networks estimated from a survey of 30 of 78 alumni"
    assert meta["survey"] == {"name": "survey", "alumni": 78, "respondents": 30, "contacts": 5}
    assert len(meta["draws"]) == 3 and meta["population"]["people"] == 2_000
    for assumption in ("missing_at_random", "best_connected"):
        paths = workforce.network_paths(assumption)
        assert [p.name for p in paths] == ["01", "02", "03"]
        ds = load_dataset(paths[0])
        assert ds.n_people == 2_000 and len(ds.alumni) == 78
    report = (folder / "fit_report.md").read_text(encoding="utf-8")
    assert "3 networks estimated from a survey of 30 of 78 alumni" in report
    for name in ("log_known_own_org", "density_mixed_pairs", "partnership_mean"):
        assert name in report
    stats = pd.read_csv(folder / "fit_statistics.csv")
    assert stats["fitted"].sum() == 7


def test_no_name_email_or_roster_id_reaches_the_folder(workforce):
    roster = pd.read_csv(EXAMPLE / "roster.csv", dtype=str)
    text = "".join(p.read_text(encoding="utf-8") for p in workforce.path.rglob("*")
                   if p.is_file())
    for value in [*roster["name"], *roster["email"], *roster["person_id"]]:
        assert value not in text


def test_analyze_gives_reach_over_the_networks_beside_best_connected(workforce, tmp_path):
    result = analyze_workforce(workforce.path, tmp_path / "analyze", samples=50)
    union = result["reach_union"]
    assert set(union["assumption"]) == {"missing_at_random", "best_connected"}
    assert (union["n_networks"] == 3).all()
    assert ((union["lo"] <= union["median"]) & (union["median"] <= union["hi"])).all()
    within = union.pivot(index="measure", columns="assumption", values="median")
    assert (within.loc["reach_within_3"] >= within.loc["reach_within_1"]).all()
    ranks = result["alumni_ranks"]
    assert ranks["person_id"].nunique() == 78
    summary = (tmp_path / "analyze" / "summary.md").read_text(encoding="utf-8")
    assert "3 networks estimated from a survey of 30 of 78 alumni" in summary


def test_simulate_pools_replicates_over_the_networks(workforce, tmp_path):
    out = tmp_path / "simulate"
    params = ContagionParams(horizon_months=36)
    table = simulate_workforce(workforce.path, out, n_replicates=5, params=params, workers=1)
    assert (table["n_replicates"] == 6).all()  # 5 spread over 3 networks, rounded up: 2 each
    md = (out / "multiplier.md").read_text(encoding="utf-8")
    assert ("Network: on 3 networks estimated from a survey of 30 of 78 alumni; each "
            "interval pools 2 replicate(s) on each network") in md
    meta = json.loads((out / "simulate.json").read_text(encoding="utf-8"))
    assert meta["workforce"]["networks"] == 3 and len(meta["seeds"]) == 3
    sens = pd.read_csv(out / "nonresponse_sensitivity.csv")
    assert set(sens["assumption"]) == {"missing_at_random", "best_connected"}
    assert set(sens["measure"]) >= {"attributable_adopters", "attributable_per_alum"}


OUTPUTS = ("multiplier.csv", "by_degree.csv", "timeseries.csv", "nonresponse_sensitivity.csv")
SHORT = ContagionParams(horizon_months=36)


def outputs(folder) -> dict[str, bytes]:
    return {name: (folder / name).read_bytes() for name in OUTPUTS}


@pytest.fixture(scope="module")
def one_worker(workforce, tmp_path_factory):
    """A run in this process, uninterrupted: what every other way of running must write."""
    out = tmp_path_factory.mktemp("one_worker")
    simulate_workforce(workforce.path, out, n_replicates=6, params=SHORT, seed=4, workers=1)
    return out


def test_simulate_runs_every_network_on_one_executor_with_a_store_each(workforce, tmp_path,
                                                                       monkeypatch):
    made = []
    real = runner.Executor
    monkeypatch.setattr(runner, "Executor", lambda *a, **k: made.append(a) or real(*a, **k))
    out = tmp_path / "sim"
    simulate_workforce(workforce.path, out, n_replicates=6, params=SHORT, seed=4, workers=1)
    [(_, (datasets, _))] = made  # one executor, every network under both assumptions shared
    assert len(datasets) == 6
    stores = sorted(p.relative_to(out).as_posix() for p in out.glob("networks/*/*/replicates"))
    assert stores == [f"networks/{a}/{k:02d}/replicates"
                      for a in ("best_connected", "missing_at_random") for k in (1, 2, 3)]
    assert all(len(list((out / s).glob("rep-*.summary.parquet"))) == 2 for s in stores)


def test_simulate_is_the_same_at_two_workers_and_stopped_then_resumed(workforce, one_worker,
                                                                      tmp_path, monkeypatch):
    two = tmp_path / "two"
    simulate_workforce(workforce.path, two, n_replicates=6, params=SHORT, seed=4, workers=2)
    assert outputs(two) == outputs(one_worker)
    # Stopped (Ctrl-C) after its fourth finished replicate: those four are kept, nothing else.
    stopped, written = tmp_path / "stopped", []
    real_write = ReplicateStore.write

    def write_then_stop(self, index, tables):
        if len(written) == 4:
            raise KeyboardInterrupt
        written.append(self.root)
        real_write(self, index, tables)

    monkeypatch.setattr(ReplicateStore, "write", write_then_stop)
    with pytest.raises(KeyboardInterrupt):
        simulate_workforce(workforce.path, stopped, n_replicates=6, params=SHORT, seed=4,
                           workers=1)
    monkeypatch.setattr(ReplicateStore, "write", real_write)
    assert len(list(stopped.glob("networks/*/*/replicates/rep-*.summary.parquet"))) == 4
    assert not (stopped / "multiplier.csv").exists()
    first = next(stopped.glob("networks/*/*/replicates/rep-*.summary.parquet"))
    before = first.stat().st_mtime_ns
    simulate_workforce(workforce.path, stopped, n_replicates=6, params=SHORT, seed=4,
                       workers=1, resume=True)
    assert outputs(stopped) == outputs(one_worker)
    assert first.stat().st_mtime_ns == before  # kept, not run again
    meta = json.loads((stopped / "simulate.json").read_text(encoding="utf-8"))
    assert meta["resumed"] is True and meta["workforce"]["replicates_per_network"] == 2
    # A network whose replicates were lost entirely is run again; another seed is refused.
    shutil.rmtree(stopped / "networks" / "best_connected" / "03")
    simulate_workforce(workforce.path, stopped, n_replicates=6, params=SHORT, seed=4,
                       workers=1, resume=True)
    assert outputs(stopped) == outputs(one_worker)
    with pytest.raises(ConfigError, match="cannot resume: the replicates in .*01.replicates "
                                          "were run with different data, parameters"):
        simulate_workforce(workforce.path, stopped, n_replicates=6, params=SHORT, seed=5,
                           workers=1, resume=True)


@pytest.mark.timeout(180)
def test_simulate_on_a_dask_cluster_writes_the_tables_of_a_local_run(workforce, one_worker,
                                                                     tmp_path):
    distributed = pytest.importorskip("dask.distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  host="127.0.0.1", dashboard_address=None) as cluster:
        simulate_workforce(workforce.path, tmp_path / "dask", n_replicates=6, params=SHORT,
                           seed=4, dask_address=cluster.scheduler_address)
    assert outputs(tmp_path / "dask") == outputs(one_worker)
    meta = json.loads((tmp_path / "dask" / "simulate.json").read_text(encoding="utf-8"))
    assert meta["workers"] == "dask"


def test_scenarios_run_on_every_network_and_pool(workforce, tmp_path, capsys):
    from alumni_net.cli import main

    spec = tmp_path / "s.toml"
    spec.write_text(f"""\
horizon_years = 2
baseline = "random"
data = "{workforce.path}"

[model]
beta = 0.02

[run]
replicates = 3
seed = 11

[cohorts]
size = 12

[recruitment]
strategy = "random"
roles = ["senior_leader", "manager"]

[[scenario]]
name = "bigger"
[scenario.cohorts]
size = 20
""", encoding="utf-8")
    assert main(["scenarios", str(spec), "--out", str(tmp_path / "out"), "--workers", "1"]) == 0
    summary = (tmp_path / "out" / "summary.md").read_text(encoding="utf-8")
    assert ("People: 3 networks estimated from a survey of 30 of 78 alumni, 1 replicate(s) on "
            "each network pooled.") in summary
    table = pd.read_csv(tmp_path / "out" / "scenarios.csv")
    assert set(table["scenario"]) == {"random", "bigger"}
    assert (table["n_replicates"] == 3).all()
    # The pooling rule: each network's own replicate (kept in OUT/networks/NN/), pooled.
    for name in ("random", "bigger"):
        adopters = [pd.read_parquet(tmp_path / "out" / "networks" / f"{k:02d}" / "runs" / name /
                                    "replicates" / "rep-000000.summary.parquet")
                    .query("arm == 'programme'")["ever_adopted"].item() for k in (1, 2, 3)]
        row = table.query("scenario == @name and measure == 'adopters'").iloc[0]
        assert [row["median"], row["lo"], row["hi"]] == pytest.approx(
            [np.median(adopters), *np.quantile(adopters, [0.05, 0.95])])
    assert len(set(adopters)) > 1  # the networks differ: the interval includes them
    # Stopped before network 2's 'bigger' replicate finished: --resume runs it alone.
    written = (tmp_path / "out" / "scenarios.csv").read_bytes()
    kept = (tmp_path / "out" / "networks" / "01" / "runs" / "bigger" / "replicates" /
            "rep-000000.summary.parquet")
    before = kept.stat().st_mtime_ns
    (tmp_path / "out" / "networks" / "02" / "runs" / "bigger" / "replicates" /
     "rep-000000.summary.parquet").unlink()
    (tmp_path / "out" / "scenarios.csv").unlink()
    assert main(["scenarios", str(spec), "--out", str(tmp_path / "out"), "--workers", "1",
                 "--resume"]) == 0
    assert (tmp_path / "out" / "scenarios.csv").read_bytes() == written
    assert kept.stat().st_mtime_ns == before


def test_parquet_networks_at_two_workers_load_as_the_csv_ones_drawn_at_one(workforce, tmp_path):
    """The national case's layout (Parquet tables, drawn by two processes) is the same
    workforce as the default one: every network loads as the same dataset, byte for byte the
    same at any number of workers. The default (CSV) workforce compared with is the module's
    three-network one, so its first two networks are also shown to be a two-network run's."""
    survey, pop = workforce.path.parent / "survey", workforce.path.parent / "population.csv"
    folders = {}
    for workers in (2, 1):
        folders[workers] = estimate_workforce(
            survey, pop, tmp_path / f"parquet{workers}", networks=2, seed=1, settings=TINY,
            workers=workers, table_format="parquet")
    assert folders[2].meta["network_tables"] == ["parquet"]
    assert workforce.meta["network_tables"] == ["csv"]
    for assumption in ("missing_at_random", "best_connected"):
        csvs = workforce.network_paths(assumption)
        assert len(csvs) == 3
        for two, one, csv in zip(folders[2].network_paths(assumption),
                                 folders[1].network_paths(assumption), csvs[:2], strict=True):
            for table in ("people.parquet", "ties.parquet"):
                assert (two / table).read_bytes() == (one / table).read_bytes()
            a, b = load_dataset(two), load_dataset(csv)
            pd.testing.assert_frame_equal(a.people, b.people)
            pd.testing.assert_frame_equal(a.ties, b.ties)
