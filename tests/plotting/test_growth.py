"""Growth maps: stages in time order, small multiples, an animated GIF."""

from __future__ import annotations

import networkx as nx
import pandas as pd
import pytest
from PIL import Image
from tests.plotting.conftest import legend_labels

from alumni_net.errors import AlumniNetError
from alumni_net.plotting import (
    growth_stages,
    plot_growth_map,
    plot_growth_panels,
    save_figure,
    save_growth_gif,
)
from alumni_net.plotting.growth import _members, _next_start, _stage_ties


def _cohorts_graph() -> nx.Graph:
    G = nx.cycle_graph(12)
    for v in G:
        # Cohort "B" started before cohort "A": time order, not alphabetical order.
        label = "B" if v < 4 else "A" if v < 8 else None
        start = {"B": "2016-09-01", "A": "2017-09-01"}.get(label)
        if label:
            G.nodes[v].update(cohort=label, cohort_start=pd.Timestamp(start), is_alum=True)
    return G


def test_stages_follow_cohort_start_then_natural_order():
    assert growth_stages(_cohorts_graph()) == ["B", "A"]
    G = nx.path_graph(3)
    nx.set_node_attributes(G, {0: 10, 1: 2, 2: 9}, "wave")
    assert growth_stages(G, "wave") == ["2", "9", "10"]
    with pytest.raises(AlumniNetError, match="no one in the data has a 'cohort'"):
        growth_stages(nx.path_graph(2))


def test_growth_map_highlights_newcomers():
    G = _cohorts_graph()
    ax = plot_growth_map(G, "B")
    assert legend_labels(ax) == ["joined at this stage", "joins later"]
    assert ax.get_title(loc="left") == "cohort B: <10 people"
    ax = plot_growth_map(G, "A")
    assert legend_labels(ax) == ["joined earlier", "joined at this stage"]
    with pytest.raises(AlumniNetError, match="not a cohort"):
        plot_growth_map(G, "Z")


def test_programme_small_multiples(programme, tmp_path):
    fig = plot_growth_panels(programme, ncols=2, data_name="synthetic")
    titles = [a.get_title(loc="left") for a in fig.axes if a.get_title(loc="left")]
    assert titles == [f"cohort {c}: {26 * c} people" for c in (1, 2, 3, 4)]
    path = save_figure(fig, tmp_path / "growth.png", dpi=40)
    with Image.open(path) as im:
        assert im.size == (2 * 3 * 40, int(round((2 * 3 + 0.8) * 40)))


def test_growth_on_real_adoption_times(real_graph, tmp_path):
    attr = "toa" if any("toa" in d for _, d in real_graph.nodes(data=True)) else "seniority"
    stages = growth_stages(real_graph, attr)
    fig = plot_growth_panels(real_graph, order_by=attr, max_panels=6)
    assert sum(1 for a in fig.axes if a.get_title(loc="left")) == min(6, len(stages))
    save_figure(fig, tmp_path / "growth.svg")


def test_gif_has_one_frame_per_stage(tmp_path):
    path = save_growth_gif(_cohorts_graph(), tmp_path / "growth.gif", dpi=30, size=4)
    with Image.open(path) as im:
        assert im.format == "GIF" and im.size == (120, 120)
        assert im.n_frames == 2
    assert [p.name for p in tmp_path.iterdir()] == ["growth.gif"]
    with pytest.raises(AlumniNetError, match=".gif"):
        save_growth_gif(_cohorts_graph(), tmp_path / "growth.png")


def test_ties_dated_after_the_next_cohort_wait_for_it():
    G = _cohorts_graph()  # cohort B (2016) is nodes 0-3, cohort A (2017) nodes 4-7, on a cycle
    G.edges[0, 1]["since"] = pd.Timestamp("2018-01-01")  # a post-course contact, made later
    G.edges[1, 2]["since"] = pd.Timestamp("2016-09-01")
    ax = plot_growth_map(G, "B")
    caption = " ".join(t.get_text().replace("\n", " ") for t in ax.texts)
    assert "<10 ties among them" in caption
    stages = growth_stages(G)
    members, rank = _members(G, "cohort", stages)
    cutoff = _next_start(G, "cohort", stages, 0)
    assert cutoff == pd.Timestamp("2017-09-01")
    early = _stage_ties(G.subgraph(members), rank, 0, cutoff)
    assert sorted(map(sorted, early)) == [[1, 2], [2, 3]]  # 0-1 waits until 2018
    late = _stage_ties(G.subgraph(members), rank, 1, _next_start(G, "cohort", stages, 1))
    assert [0, 1] in [sorted(e) for e in late] and len(late) == 7
