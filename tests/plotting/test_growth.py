"""Growth maps: stages in time order, small multiples, an animated GIF."""

from __future__ import annotations

import networkx as nx
import pandas as pd
import pytest
from matplotlib.collections import PathCollection
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
    assert legend_labels(ax) == ["joined in this cohort", "not yet joined (a later cohort)"]
    assert ax.get_title(loc="left") == "cohort B: <10 people"
    ax = plot_growth_map(G, "A")
    assert legend_labels(ax) == ["joined in an earlier cohort", "joined in this cohort"]
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


def _adoption_graph() -> nx.Graph:
    """Farmers-style coding: toa 1-3 adopted; toa 4 is the survey year, adopted = 0 (never)."""
    G = nx.path_graph(10)
    toa = [1, 1, 2, 2, 3, 3, 4, 4, 4, None]
    for v, t in enumerate(toa):
        if t is not None:
            G.nodes[v]["toa"] = t
        G.nodes[v]["adopted"] = t is not None and t < 4
    return G


def test_never_adopters_are_called_so_not_later():
    # Issue 8: people who never adopted (coded toa 4 with adopted 0, or no toa) were "joins later".
    G = _adoption_graph()
    assert growth_stages(G, "toa") == ["1", "2", "3"]  # the censoring code is not a stage
    members, rank = _members(G, "toa", growth_stages(G, "toa"))
    assert sorted(members) == [0, 1, 2, 3, 4, 5]
    ax = plot_growth_map(G, "2", order_by="toa", min_count=1)
    assert legend_labels(ax) == ["adopted earlier", "adopted at this time", "not yet adopted",
                                 "never adopted"]
    assert ax.get_title(loc="left") == "time of adoption 2: 4 adopters"
    caption = " ".join(t.get_text().replace("\n", " ") for t in ax.texts)
    assert "Hollow: never adopted by the end of the data (4 people)." in caption
    # Hollow markers: the four never-adopters, drawn once, beneath everyone else.
    hollow = [c for c in ax.collections
              if isinstance(c, PathCollection) and len(c.get_facecolors()) == 0]
    assert len(hollow) == 1 and len(hollow[0].get_offsets()) == 4
    last = plot_growth_map(G, "3", order_by="toa", min_count=1)
    assert "not yet adopted" not in legend_labels(last)


def test_growth_titles_say_what_grows():
    # Issue 8: "The network adoption_year by adoption_year".
    G = _adoption_graph()
    nx.set_node_attributes(G, {v: 1950 + d["toa"] for v, d in G.nodes(data=True) if "toa" in d},
                           "adoption_year")
    fig = plot_growth_panels(G, order_by="adoption_year", min_count=1)
    assert fig.get_suptitle() == "Adoption over time (by adoption year)"
    assert [a.get_title(loc="left") for a in fig.axes if a.get_title(loc="left")] == [
        "adoption year 1951: 2 adopters", "adoption year 1952: 4 adopters",
        "adoption year 1953: 6 adopters"]
    assert plot_growth_panels(_cohorts_graph()).get_suptitle() == (
        "The alumni network, cohort by cohort")
    nx.set_node_attributes(G, {v: f"wave {v % 3}" for v in G}, "wave")
    assert plot_growth_panels(G, order_by="wave").get_suptitle() == (
        "The network, stage by stage (by wave)")


def test_growth_legends_sit_outside_the_people():
    # Issue 8: the legend covered nodes. Panels share one figure legend above them; a single
    # map's legend is right of its axes.
    fig = plot_growth_panels(_adoption_graph(), order_by="toa", min_count=1)
    assert all(a.get_legend() is None for a in fig.axes)
    (legend,) = fig.legends
    assert [t.get_text() for t in legend.get_texts()] == [
        "adopted earlier", "adopted at this time", "not yet adopted",
        "never adopted"]
    fig.canvas.draw()
    box = legend.get_window_extent()
    assert all(box.y0 >= a.get_window_extent().y1 - 1 for a in fig.axes[:3])
    ax = plot_growth_map(_cohorts_graph(), "B")
    ax.figure.canvas.draw()
    assert ax.get_legend().get_window_extent().x0 >= ax.get_window_extent().x1 - 1
