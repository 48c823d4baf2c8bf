"""Ego maps: breadth-first rings, ring counts with suppression, cohorts at the centre."""

from __future__ import annotations

import networkx as nx
import pytest
from tests.plotting.conftest import all_texts, legend_labels

from alumni_net.errors import AlumniNetError
from alumni_net.plotting import degree_rings, plot_ego_map, save_figure


def _distances(rings):
    return {v: d for v, (d, _) in rings.items()}


def test_rings_on_a_balanced_tree():
    G = nx.balanced_tree(3, 4)  # 3, 9, 27 people at 1, 2, 3 degrees from the root
    rings = degree_rings(G, [0], 3)
    counts = [sum(d == k for d in _distances(rings).values()) for k in range(4)]
    assert counts == [1, 3, 9, 27]
    assert all(rings[v][1] in G[v] for v in rings if v != 0)  # parent is a neighbour


def test_rings_follow_direction_when_asked():
    G = nx.DiGraph([(0, 1), (1, 2), (3, 0)])
    assert _distances(degree_rings(G, [0], 3, mode="out")) == {0: 0, 1: 1, 2: 2}
    assert _distances(degree_rings(G, [0], 3, mode="in")) == {0: 0, 3: 1}
    assert _distances(degree_rings(G, [0], 3, mode="all")) == {0: 0, 1: 1, 3: 1, 2: 2}
    with pytest.raises(AlumniNetError, match="mode"):
        degree_rings(G, [0], mode="sideways")


@pytest.mark.parametrize(("leaves", "label"), [(9, "1 degree: <10"), (10, "1 degree: 10")])
def test_ring_counts_suppressed_below_threshold_exactly(leaves, label):
    G = nx.star_graph(leaves)
    ax = plot_ego_map(G, 0, min_count=10)
    assert label in all_texts(ax)
    assert legend_labels(ax) == ["centre", "1 degree"]


def test_cohort_at_the_centre(programme, tmp_path):
    ax = plot_ego_map(programme, cohort=1, data_name="synthetic")
    assert ax.get_title(loc="left") == "Within 3 degrees of cohort 1 (26 people)"
    rings = degree_rings(programme, [v for v, c in programme.nodes(data="cohort") if c == 1], 3)
    at = [sum(d == k for d in _distances(rings).values()) for k in (1, 2, 3)]
    for k, n in enumerate(at, start=1):
        assert f"{k} degree{'s' if k > 1 else ''}: {n:,}" in all_texts(ax)
    path = save_figure(ax.figure, tmp_path / "ego.png", dpi=40)
    assert path.stat().st_size > 0


def test_ego_on_real_network_accepts_typed_id(real_graph):
    first = next(iter(real_graph.nodes))
    ax = plot_ego_map(real_graph, str(first))
    assert ax.get_title(loc="left") == "Within 3 degrees of one person"
    assert str(first) not in all_texts(ax)  # no id drawn without person_labels
    assert str(first) in all_texts(plot_ego_map(real_graph, first, person_labels=True))


def test_bad_centres_are_refused():
    G = nx.path_graph(3)
    with pytest.raises(AlumniNetError, match="not in the network"):
        plot_ego_map(G, "zz")
    with pytest.raises(AlumniNetError, match="exactly one"):
        plot_ego_map(G, 1, cohort=1)
    with pytest.raises(AlumniNetError, match="cohort '7'"):
        plot_ego_map(G, cohort=7)


def test_influence_names_of_the_analysis_are_accepted():
    G = nx.DiGraph([(0, 1), (1, 2), (3, 0)])  # 3 named 0: advice flows from 0 to 3
    assert _distances(degree_rings(G, [0], 3, mode="target_to_source")) == {0: 0, 3: 1}
    ax = plot_ego_map(G, 0, mode="target_to_source")
    assert "the way advice and influence travel" in " ".join(all_texts(ax))
    assert "1 degree: <10" in all_texts(ax)


def test_very_large_rings_show_counts_only():
    from matplotlib.collections import PathCollection

    ax = plot_ego_map(nx.star_graph(30), 0, max_people=10)
    points = [c for c in ax.collections if isinstance(c, PathCollection)]
    assert sum(len(c.get_offsets()) for c in points) == 1  # the centre alone
    assert "1 degree: 30" in all_texts(ax)
    assert "Too many people to draw one by one (31)" in " ".join(all_texts(ax)).replace("\n", " ")
