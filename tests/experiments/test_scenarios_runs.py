"""Running scenarios: paired differences, the same numbers as the package's runner, common random
numbers across scenarios, and identical tables at 1 and 2 workers and on a Dask cluster."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from tests.experiments.test_scenarios_common import BASE, SCENARIOS, write

from alumni_net.experiments import run_replicates
from alumni_net.experiments.scenarios import (
    load_scenario_file,
    paired_table,
    prepare,
    run_scenarios,
    scenario_tables,
)

COMPLEX = '\n[[scenario]]\nname = "complex"\n[scenario.model]\nthreshold = 2\n'


@pytest.fixture(scope="module")
def prepared(tmp_path_factory):
    folder = tmp_path_factory.mktemp("scenarios")
    return prepare(load_scenario_file(write(folder, BASE + SCENARIOS + COMPLEX)))


@pytest.fixture(scope="module")
def run(prepared):
    return run_scenarios(prepared, None, workers=1)


def test_the_paired_interval_is_taken_over_differences_replicate_by_replicate():
    # Baseline 0..19; the scenario adds 5 in every replicate but is shuffled against replicate
    # order: paired differences are all exactly 5, while the spreads of both arms are wide.
    base = np.arange(20.0)
    rng = np.random.default_rng(0)
    order = rng.permutation(20)
    values = pd.DataFrame({
        "scenario": ["base"] * 20 + ["more"] * 20,
        "replicate": np.concatenate([np.arange(20), order]),
        "measure": "m",
        "value": np.concatenate([base, base[order] + 5.0]),
    })
    t = paired_table(values, "base").set_index("scenario")
    assert t.loc["more", ["difference_median", "difference_lo", "difference_hi"]].tolist() == \
        [5.0, 5.0, 5.0]
    assert t.loc["more", ["median", "lo", "hi"]].tolist() == pytest.approx([14.5, 5.95, 23.05])
    assert t.loc["base", ["difference_median", "difference_lo", "difference_hi"]].tolist() == \
        [0.0, 0.0, 0.0]
    # A hand-made uneven case: differences 3, -1, 4, 0, 2 -> median 2, 5%/95% by linear
    # interpolation between order statistics: -0.8 and 3.8.
    v = pd.DataFrame({"scenario": ["a"] * 5 + ["b"] * 5, "replicate": list(range(5)) * 2,
                      "measure": "m", "value": [1.0, 5, 2, 8, 4, 4, 4, 6, 8, 6]})
    b = paired_table(v, "a").set_index("scenario").loc["b"]
    assert b["difference_median"] == 2.0
    assert b["difference_lo"] == pytest.approx(-0.8) and b["difference_hi"] == pytest.approx(3.8)
    assert int(b["n_replicates"]) == 5


def test_each_scenario_gives_what_the_runner_gives_on_its_data(prepared, run):
    """The sweep shares one no-programme run per replicate among scenarios; that must give the
    numbers the package's runner gives on each scenario's data alone (same seeds)."""
    cols = ["replicate", "arm", "n_alumni", "ever_adopted", "ever_adopted_non_alumni",
            "practising_end", "practising_person_months"]
    for p in prepared.plans:
        reps = run_replicates(p.dataset, p.params, n_replicates=3, seed=11, workers=1)
        mine = run.summary[run.summary["scenario"] == p.scenario.name].reset_index(drop=True)
        pd.testing.assert_frame_equal(mine[cols], reps.summary[cols], obj=p.scenario.name)
        ts = run.timeseries[run.timeseries["scenario"] == p.scenario.name]
        pd.testing.assert_frame_equal(ts.drop(columns="scenario").reset_index(drop=True),
                                      reps.timeseries, obj=p.scenario.name)


def test_scenarios_share_their_random_numbers(prepared, run):
    ts = run.timeseries
    future = prepared.timeline.month(prepared.timeline.future)
    prog = ts[(ts["arm"] == "programme") & (ts["month"] < future)]
    by = {name: g.drop(columns="scenario").reset_index(drop=True)
          for name, g in prog.groupby("scenario")}
    # Until the future cohorts start, every simple-contagion scenario is the same run exactly.
    for name in ("degree", "regional", "topups"):
        pd.testing.assert_frame_equal(by[name], by["random"])
    none = ts[ts["arm"] == "no_programme"]
    shared = {name: g.drop(columns="scenario").reset_index(drop=True)
              for name, g in none.groupby("scenario")}
    for name in ("degree", "regional", "topups"):
        pd.testing.assert_frame_equal(shared[name], shared["random"])
    # Complex contagion changes the no-programme arm too.
    assert not shared["complex"].equals(shared["random"])


def test_the_tables(prepared, run):
    tables = scenario_tables(run)
    t = tables["scenarios"]
    assert list(t["scenario"].unique()) == ["random", "degree", "regional", "topups", "complex"]
    assert (t[t["scenario"] == "random"][["difference_median", "difference_lo",
                                          "difference_hi"]] == 0).all().all()
    alumni = t[(t["measure"] == "alumni")].set_index("scenario")["median"]
    observed = int(prepared.data.people["is_alum"].sum())
    assert (alumni == observed + 2 * 12).all()
    comp = tables["composition"]
    assert comp[comp["characteristic"] == "all"]["recruits"].tolist() == [24] * 5
    users = comp[comp["characteristic"] == "uses_services"]["recruits"]
    assert users.isna().all()  # 4 people who use services per scenario: under 10, withheld
    adoption = tables["adoption"]
    assert adoption["calendar_month"].iloc[0] == "2016-09"
    assert set(adoption["arm"]) == {"programme", "no_programme", "attributable"}


def test_identical_tables_at_one_and_two_workers(prepared, run, tmp_path):
    two = run_scenarios(prepared, tmp_path / "two", workers=2)
    pd.testing.assert_frame_equal(scenario_tables(two)["scenarios"],
                                  scenario_tables(run)["scenarios"])


@pytest.mark.slow  # starts a two-process Dask cluster: kept out of the default run
@pytest.mark.timeout(300)
def test_identical_tables_on_a_dask_cluster(prepared, run):
    distributed = pytest.importorskip("dask.distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  host="127.0.0.1", dashboard_address=None) as cluster:
        on_dask = run_scenarios(prepared, None, dask_address=cluster.scheduler_address)
    pd.testing.assert_frame_equal(scenario_tables(on_dask)["scenarios"],
                                  scenario_tables(run)["scenarios"])


def test_the_plots_show_every_scenario_with_intervals_and_their_source(run):
    import matplotlib.pyplot as plt

    from alumni_net.plotting.scenarios import (
        plot_scenario_adoption,
        plot_scenario_differences,
        plot_scenario_multiplier,
    )

    tables = scenario_tables(run)
    fig, axes = plt.subplots(1, 3)
    try:
        ax = plot_scenario_adoption(tables["adoption"], future_start="2020-09", source="s.toml",
                                    ax=axes[0])
        assert [t.get_text() for t in ax.get_legend().get_texts()] == \
            ["random", "degree", "regional", "topups", "complex"]
        assert len(ax.collections) == 5  # one 90% band per scenario
        caption = ax.texts[-1].get_text()
        assert "s.toml" in caption and "3 paired replicates" in caption
        ax = plot_scenario_multiplier(tables["scenarios"], ax=axes[1])
        claims = sorted(line.get_xdata()[0] for line in ax.get_lines() if line.get_linestyle()
                        == "--")
        assert claims == [10, 39]
        ax = plot_scenario_differences(tables["scenarios"], baseline="random", ax=axes[2])
        assert [t.get_text() for t in ax.get_yticklabels()] == \
            ["degree", "regional", "topups", "complex"]  # the baseline is not compared to itself
    finally:
        plt.close(fig)


def test_by_year_table_is_the_paired_difference_in_practising_at_each_year_end(prepared, run):
    tables = scenario_tables(run)
    by_year = tables["by_year"]
    tl = prepared.timeline
    assert by_year["year"].unique().tolist() == [1, 2]
    assert by_year["calendar_month"].unique().tolist() == ["2021-09", "2022-09"]
    ts = run.timeseries[run.timeseries["arm"] == "programme"]
    at = lambda name, y: ts[(ts["scenario"] == name)  # noqa: E731
                            & (ts["month"] == tl.month(tl.future) + 12 * y)]
    for y in (1, 2):
        diff = (at("regional", y)["practising"].to_numpy()
                - at("random", y)["practising"].to_numpy())
        row = by_year[(by_year["scenario"] == "regional") & (by_year["year"] == y)].iloc[0]
        assert row["difference_median"] == np.median(diff)
        assert row["median"] == np.median(at("regional", y)["practising"])
    # The last year's row is the headline measure (people practising at the end).
    end = tables["scenarios"].set_index(["scenario", "measure"]).loc[("topups", "practising_end")]
    last = by_year[(by_year["scenario"] == "topups") & (by_year["year"] == 2)].iloc[0]
    assert last["median"] == end["median"] and last["difference_median"] == \
        end["difference_median"]


def test_recruits_still_in_training_at_the_horizon_are_not_counted_as_alumni(tmp_path):
    # Issue 19: four cohorts a year, two years: the last cohort starts 2022-06 and its course
    # (6 months) ends after the run does (2022-09); per-alum figures counted it as alumni.
    from alumni_net.experiments.scenarios import still_training, trained_alumni
    from alumni_net.report.scenarios import summary_markdown

    text = BASE.replace("[cohorts]\n", "[cohorts]\nper_year = 4\n").replace(
        "replicates = 3", "replicates = 2")
    prepared = prepare(load_scenario_file(write(tmp_path, text)))
    plan, tl = prepared.plans[0], prepared.timeline
    late = still_training(plan, tl)
    assert late["cohort_start"].dt.strftime("%Y-%m").unique().tolist() == ["2022-06"]
    assert len(late) == 12
    observed = int(prepared.data.people["is_alum"].sum())
    # 8 cohorts of 12 recruited; the one starting 2022-03 graduates in the last month (counted).
    assert trained_alumni(plan, tl) == observed + 7 * 12
    result = run_scenarios(prepared, None, workers=1)
    tables = scenario_tables(result)
    t = tables["scenarios"].set_index("measure")
    assert t.loc["alumni", "median"] == observed + 7 * 12
    assert t.loc["alumni_in_training_at_end", "median"] == 12
    summary = result.summary[result.summary["arm"] == "programme"]
    extra = (summary["ever_adopted_non_alumni"].to_numpy()
             - result.summary[result.summary["arm"] == "no_programme"][
                 "ever_adopted_non_alumni"].to_numpy())
    assert t.loc["attributable_per_alum", "median"] == pytest.approx(
        np.median(extra / (observed + 7 * 12)))
    text = summary_markdown(tables, result)
    assert ("Per-alum figures count only alumni who finished the course by 2022-09, when the "
            "simulation ends; recruits still in training then are not counted: 'random' 12 "
            "(cohort(s) starting 2022-06).") in text
