"""Plots of reach and spread, drawn from tables shaped as analyze and simulate write them."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from matplotlib.patches import Rectangle
from tests.plotting.conftest import SMALL_PROGRAMME, legend_labels

from alumni_net.abm.params import ContagionParams
from alumni_net.errors import AlumniNetError
from alumni_net.io import load_dataset
from alumni_net.metrics.reach import cohort_reach, reach_by_distance, union_reach
from alumni_net.pipelines.simulate import simulate_dataset
from alumni_net.plotting import save_figure
from alumni_net.plotting.plots import (
    plot_adopters_by_degree,
    plot_adoption_curves,
    plot_centrality_distribution,
    plot_cumulative_reach,
    plot_multiplier,
    plot_reach_by_degree,
    plot_scenario_comparison,
    plot_spread_by_group,
)


def _bar_heights(ax) -> list[float]:
    return [p.get_height() for p in ax.patches if isinstance(p, Rectangle)]


def test_reach_by_degree_bars_are_sums_and_union():
    G = nx.path_graph(5)
    reach = reach_by_distance(G, [0, 4])
    union = union_reach(G, [0, 4])
    ax = plot_reach_by_degree(reach, union)
    # Individually: 0 and 4 each reach 1, 1, 1 people; together 2 (1 and 3) then 1 (2) then 0.
    assert _bar_heights(ax) == [2.0, 2.0, 2.0, 2.0, 1.0, 0.0]
    assert legend_labels(ax) == ["sum of individual reaches", "union (each person once)"]
    bar_labels = [t.get_text() for t in ax.texts if t.get_text() in {"<10", "0"}]
    assert bar_labels == ["<10", "<10", "<10", "<10", "<10", "0"]


def test_reach_by_degree_without_union_says_so(programme, tmp_path):
    alumni = [v for v, a in programme.nodes(data="is_alum") if a]
    ax = plot_reach_by_degree(reach_by_distance(programme, alumni))
    assert legend_labels(ax) == ["sum of individual reaches"]
    assert any("Union not available" in t.get_text() for t in ax.texts)
    save_figure(ax.figure, tmp_path / "reach.png", dpi=30)
    with pytest.raises(AlumniNetError, match="reach_1"):
        plot_reach_by_degree(pd.DataFrame({"person_id": [1]}))


def test_cumulative_reach_lines_follow_the_table(programme):
    cohorts = {}
    for v, c in programme.nodes(data="cohort"):
        if c is not None:
            cohorts.setdefault(int(c), []).append(v)
    table = cohort_reach(programme, dict(sorted(cohorts.items())))
    ax = plot_cumulative_reach(table)
    lines = {ln.get_label(): ln.get_ydata() for ln in ax.lines}
    assert np.array_equal(lines["within 3 degrees"], table["reach_within_3"].to_numpy(float))
    assert np.array_equal(lines["claim: alumni x 10"], [260.0, 520.0, 780.0, 1040.0])
    assert [t.get_text() for t in ax.get_xticklabels()] == ["1", "2", "3", "4"]


def test_centrality_distribution_splits_alumni(real_graph):
    table = pd.DataFrame(
        {"person_id": list(real_graph.nodes), "degree": [d for _, d in real_graph.degree()]}
    )
    some = list(real_graph.nodes)[:10]
    ax = plot_centrality_distribution(table, "degree", alumni=some)
    assert legend_labels(ax) == ["alumni (10)", f"not alumni ({len(table) - 10:,})"]
    counted = sum(_bar_heights(ax))
    assert counted == len(table)
    with pytest.raises(AlumniNetError, match="betweenness"):
        plot_centrality_distribution(table, "betweenness")


def _timeseries() -> pd.DataFrame:
    rows = []
    for arm, scale in (("programme", 2.0), ("no_programme", 1.0), ("attributable", 1.0)):
        for month in range(6):
            m = scale * month
            rows.append(
                {
                    "month": month,
                    "arm": arm,
                    "measure": "practising",
                    "median": m,
                    "lo": m - 1,
                    "hi": m + 1,
                    "n_replicates": 20,
                }
            )
    return pd.DataFrame(rows)


def test_adoption_curves_have_one_line_and_band_per_arm():
    ax = plot_adoption_curves(_timeseries())
    assert legend_labels(ax) == [
        "practising: programme",
        "practising: no programme",
        "practising: attributable",
    ]
    assert list(ax.lines[0].get_ydata()) == [0.0, 2.0, 4.0, 6.0, 8.0, 10.0]
    assert len(ax.collections) == 3  # one band per arm
    assert any("over 20 replicates" in t.get_text() for t in ax.texts)
    with pytest.raises(AlumniNetError, match="lapsed"):
        plot_adoption_curves(_timeseries(), measures=("lapsed",))


def test_multiplier_puts_claim_beside_estimate():
    table = pd.DataFrame(
        {
            "measure": ["alumni", "naive_ten_per_alum", "naive_branching", "adopters"],
            "median": [100.0, 1000.0, 3900.0, 450.0],
            "lo": [100.0, 1000.0, 3900.0, 400.0],
            "hi": [100.0, 1000.0, 3900.0, 520.0],
        }
    )
    ax = plot_multiplier(table)
    assert [t.get_text() for t in ax.get_yticklabels()] == [
        "naive ten per alum",
        "naive branching",
        "adopters",
    ]
    assert [p.get_width() for p in ax.patches] == [1000.0, 3900.0, 450.0]
    # Labels follow the tables' interval rule: a simulated count whole, with its interval.
    fractional = table.assign(lo=[100.0, 1000.0, 3900.0, 393.35],
                              hi=[100.0, 1000.0, 3900.0, 520.6])
    texts = plot_multiplier(fractional).texts
    labels = [t.get_text() for t in texts if t.get_text().startswith(" ")]
    assert labels == [" 1,000", " 3,900", " 450 (393 to 521)"]


def test_adopters_by_degree_and_scenarios():
    bd = pd.DataFrame(
        {
            "degree": ["0", "1", "2", "1", "2", "1", "2", "3"],
            "measure": ["adopters_per_alum"] * 3
            + ["adopters_per_alum_no_programme"] * 2
            + ["naive_branching_per_alum"] * 3,
            "median": [0.8, 2.0, 1.0, 0.5, 0.2, 3.0, 9.0, 27.0],
        }
    )
    bd["lo"], bd["hi"] = bd["median"] * 0.8, bd["median"] * 1.2
    ax = plot_adopters_by_degree(bd)
    assert [t.get_text() for t in ax.get_xticklabels()] == ["0", "1", "2", "3"]
    assert sorted(_bar_heights(ax)) == sorted(bd["median"].tolist())
    sc = pd.DataFrame(
        {
            "scenario": ["baseline", "regional"],
            "measure": ["adopters"] * 2,
            "median": [10.0, 14.0],
            "lo": [8.0, 11.0],
            "hi": [12.0, 17.0],
        }
    )
    ax = plot_scenario_comparison(sc, "adopters")
    assert [p.get_width() for p in ax.patches] == [10.0, 14.0]
    with pytest.raises(AlumniNetError, match="no scenario results"):
        plot_scenario_comparison(sc, "reach")


def test_reach_plots_on_real_networks(real_graph, tmp_path):
    # Real networks have no alumni: the ten most-nominated people stand in for them.
    top = [v for v, _ in sorted(real_graph.in_degree(), key=lambda x: (-x[1], str(x[0])))[:10]]
    reach = reach_by_distance(real_graph, top)
    union = union_reach(real_graph, top)
    ax = plot_reach_by_degree(reach, union)
    heights = _bar_heights(ax)
    assert heights[:3] == reach[["reach_1", "reach_2", "reach_3"]].sum().tolist()
    assert heights[3:] == [union["reach_1"], union["reach_2"], union["reach_3"]]
    assert all(s >= u for s, u in zip(heights[:3], heights[3:], strict=True))  # overlap >= 0
    save_figure(ax.figure, tmp_path / "reach.pdf")


def test_spread_plots_from_a_simulated_programme(tmp_path):
    ds = load_dataset(SMALL_PROGRAMME)
    params = ContagionParams(horizon_months=36)
    simulate_dataset(ds, tmp_path, n_replicates=3, seed=2, params=params, workers=1)
    ts = pd.read_csv(tmp_path / "timeseries.csv")
    ax = plot_adoption_curves(ts, measures=("practising", "new_adopters"))
    arms = list(dict.fromkeys(ts["arm"]))
    assert len(ax.lines) == 2 * len(arms)
    prog = ts[(ts["arm"] == "programme") & (ts["measure"] == "practising")].sort_values("month")
    assert np.array_equal(ax.lines[arms.index("programme")].get_ydata(), prog["median"])
    mult = pd.read_csv(tmp_path / "multiplier.csv")
    ax = plot_multiplier(mult)
    naive = mult.set_index("measure").loc["naive_ten_per_alum", "median"]
    assert ax.patches[0].get_width() == naive == 10 * 104
    groups = pd.read_csv(tmp_path / "by_group.csv")
    ax = plot_spread_by_group(groups, "sector")
    last = groups[(groups["month"] == groups["month"].max()) & (groups["group_type"] == "sector")]
    want = last[(last["arm"] == "programme") & (last["measure"] == "practising")]
    widths = [p.get_width() for p in ax.patches][: len(want)]
    assert widths == want.sort_values("group")["median"].tolist()
    ax = plot_adopters_by_degree(pd.read_csv(tmp_path / "by_degree.csv"))
    assert legend_labels(ax)[-1] == "claim: 3-leader branching"
    save_figure(ax.figure, tmp_path / "by_degree.svg")


def test_multiplier_without_alumni_says_not_available():
    table = pd.DataFrame(
        {
            "measure": ["naive_ten_per_alum", "adopters", "attributable_per_alum"],
            "median": [0.0, 5.0, np.nan],
            "lo": [0.0, 4.0, np.nan],
            "hi": [0.0, 6.0, np.nan],
        }
    )
    ax = plot_multiplier(table)
    assert [t.get_text() for t in ax.texts][:2] == [" 0", " 5 (4 to 6)"]
    ax = plot_multiplier(
        table.assign(measure=["naive_ten_per_alum", "adopters", "adopters_no_programme"])
    )
    assert [t.get_text() for t in ax.texts][:3] == [" 0", " 5 (4 to 6)", " n/a"]


def test_groups_and_legends_in_natural_order():
    # Issue 19: legends sort numbers naturally (1, 2, ... 10, 11; not 1, 10, 11, 2).
    from alumni_net.plotting.diffusion import plot_adoption_curve

    villages = ["1", "2", "10", "11", "3"]
    rows = [{"month": 12, "arm": arm, "group_type": "village", "group": v,
             "measure": "practising", "median": 5.0, "lo": 4.0, "hi": 6.0, "n_replicates": 5}
            for v in villages for arm in ("programme", "no_programme")]
    ax = plot_spread_by_group(pd.DataFrame(rows), "village")
    ticks = sorted(ax.get_yticklabels(), key=lambda t: -t.get_position()[1])  # top first
    assert [t.get_text() for t in ticks] == ["1", "2", "3", "10", "11"]
    curve = pd.DataFrame([{"village": v, "period": p, "n": 20, "cumulative": p, "share": p / 20}
                          for v in villages for p in (1, 2)])
    ax = plot_adoption_curve(curve, by="village")
    assert legend_labels(ax) == [f"village {v}" for v in ("1", "2", "3", "10", "11")]
