"""Exact reach: hand-computed toy answers, and agreement with igraph and networkx BFS."""

from __future__ import annotations

import igraph as ig
import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.metrics.conftest import COHORTS

import alumni_net.metrics.reach as reach_module
from alumni_net.errors import ConfigError
from alumni_net.metrics import (
    CHRISTAKIS_FOWLER_EFFECTS,
    cohort_reach,
    marginal_reach,
    reach_by_distance,
    reach_index,
    reach_overlap,
    union_reach,
)


def test_individual_reach_on_two_cohort_graph(two_cohort_graph):
    table = reach_by_distance(two_cohort_graph, ["a1", "a2", "b1", "w"]).set_index("person_id")
    assert table.loc["a1", ["reach_1", "reach_2", "reach_3"]].tolist() == [2, 2, 2]
    assert table.loc["a2", ["reach_1", "reach_2", "reach_3"]].tolist() == [2, 2, 1]
    assert table.loc["b1", ["reach_within_1", "reach_within_2", "reach_within_3"]].tolist() == [
        2,
        4,
        6,
    ]
    assert table.loc["w"].drop("decay_weighted_reach").tolist() == [0] * 6
    assert table.loc["a1", "decay_weighted_reach"] == pytest.approx(0.15 * 2 + 0.10 * 2 + 0.06 * 2)


def test_union_reach_counts_each_person_once_at_their_distance_to_the_nearest_alum(
    two_cohort_graph,
):
    union = union_reach(two_cohort_graph, ["a1", "a2", "b1"])
    assert union["sources"] == 3
    assert [union["reach_1"], union["reach_2"], union["reach_3"]] == [4, 4, 1]
    assert union["reach_within_3"] == 9
    assert union["decay_weighted_reach"] == pytest.approx(4 * 0.15 + 4 * 0.10 + 1 * 0.06)


def test_marginal_reach_is_what_the_union_loses_without_each_alum(two_cohort_graph):
    alumni = ["a1", "a2", "b1"]
    lost = marginal_reach(two_cohort_graph, alumni)
    assert lost.to_dict() == {"a1": 0, "a2": 0, "b1": 4}
    full = union_reach(two_cohort_graph, alumni)["reach_within_3"]
    for alum in alumni:
        # Removing an alum also turns them into an ordinary person who may be reached: count
        # only people outside the alumni, as marginal reach does.
        rest = [a for a in alumni if a != alum]
        reached = {v for v, d in _bfs_multi(two_cohort_graph, rest, 3).items() if d >= 1} - set(
            alumni
        )
        assert full - len(reached) == lost[alum]


def test_cohort_reach_accumulates_in_time_order(two_cohort_graph):
    table = cohort_reach(two_cohort_graph, COHORTS)
    assert table["cohort"].tolist() == ["A", "B"]
    assert table["n_alumni"].tolist() == [2, 1]
    assert table["alumni_to_date"].tolist() == [2, 3]
    assert table[
        ["cohort_reach_within_1", "cohort_reach_within_2", "cohort_reach_within_3"]
    ].to_numpy().tolist() == [[2, 4, 5], [2, 4, 6]]
    assert table["reach_within_3"].tolist() == [5, 9]
    assert table["added_within_3"].tolist() == [5, 4]


def test_overlap_compares_the_sum_of_individual_reaches_with_the_union(two_cohort_graph):
    alumni = ["a1", "a2", "b1"]
    overlap = reach_overlap(
        reach_by_distance(two_cohort_graph, alumni), union_reach(two_cohort_graph, alumni)
    )
    assert overlap["sum_individual_within_3"] == 6 + 5 + 6
    assert overlap["overlap_ratio_3"] == pytest.approx(17 / 9)


def test_directed_reach_follows_the_direction_influence_travels():
    # 1 named 2, 2 named 3: advice flows 3 -> 2 -> 1.
    G = nx.DiGraph([(1, 2), (2, 3)])
    default = reach_by_distance(G, [3, 1]).set_index("person_id")
    assert default.loc[3, ["reach_1", "reach_2"]].tolist() == [1, 1]
    assert default.loc[1, "reach_within_3"] == 0
    forward = reach_by_distance(G, [3, 1], influence="source_to_target").set_index("person_id")
    assert forward.loc[1, ["reach_1", "reach_2"]].tolist() == [1, 1]
    assert forward.loc[3, "reach_within_3"] == 0
    both = reach_by_distance(G, [2], influence="both")
    assert both["reach_1"].tolist() == [2]


def test_effects_are_changeable_and_validated(two_cohort_graph):
    table = reach_by_distance(two_cohort_graph, ["a1"], effects=(1.0,))
    assert table["decay_weighted_reach"].tolist() == [2.0]
    assert CHRISTAKIS_FOWLER_EFFECTS == (0.15, 0.10, 0.06)
    with pytest.raises(ConfigError, match="effects"):
        reach_by_distance(two_cohort_graph, ["a1"], effects=(-1.0,))


def test_bad_input_raises_one_clear_error(two_cohort_graph):
    with pytest.raises(ConfigError, match="not in the network"):
        reach_by_distance(two_cohort_graph, ["nobody"])
    with pytest.raises(ConfigError, match="max_dist"):
        union_reach(two_cohort_graph, ["a1"], max_dist=0)
    with pytest.raises(ConfigError, match="influence"):
        reach_by_distance(nx.DiGraph([(1, 2)]), [1], influence="sideways")


def test_many_sources_across_words_and_batches_match_igraph(monkeypatch):
    g = ig.Graph.Erdos_Renyi(n=300, m=600, directed=True)
    sources = np.arange(0, 300, 2)  # 150 sources: three 64-bit words
    monkeypatch.setattr(reach_module, "_BATCH_BYTES", 32 * 300)  # one word per thread and batch
    table = reach_by_distance(g, sources, influence="source_to_target")
    for d in (1, 2, 3):
        expected = g.neighborhood_size(sources.tolist(), order=d, mode="out", mindist=d)
        assert table[f"reach_{d}"].tolist() == expected


@st.composite
def random_graphs(draw):
    n = draw(st.integers(1, 40))
    directed = draw(st.booleans())
    pairs = draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=3 * n))
    edges = sorted({(u, v) for u, v in pairs if u != v})
    sources = draw(st.lists(st.integers(0, n - 1), min_size=1, max_size=n, unique=True))
    return ig.Graph(n=n, edges=edges, directed=directed).simplify(), sources


@settings(max_examples=60, deadline=None)
@given(random_graphs())
def test_exact_reach_equals_igraph_and_networkx(case):
    g, sources = case
    table = reach_by_distance(g, sources, influence="source_to_target")
    G = nx.DiGraph(g.get_edgelist()) if g.is_directed() else nx.Graph(g.get_edgelist())
    G.add_nodes_from(range(g.vcount()))
    for d in (1, 2, 3):
        assert table[f"reach_{d}"].tolist() == g.neighborhood_size(
            sources, order=d, mode="out", mindist=d
        )
    for s, within in zip(sources, table["reach_within_3"], strict=True):
        assert within == len(nx.single_source_shortest_path_length(G, s, cutoff=3)) - 1
    union = union_reach(g, sources, influence="source_to_target")
    distances = _bfs_multi(G, sources, 3)
    assert union["reach_within_3"] == sum(1 for d in distances.values() if d >= 1)


def _bfs_multi(G, sources, cutoff):
    """Distance from the nearest source (networkx multi-source BFS through a super-source)."""
    H = G.copy()
    H.add_node("__super__")
    for s in sources:
        H.add_edge("__super__", s)
    lengths = nx.single_source_shortest_path_length(H, "__super__", cutoff=cutoff + 1)
    return {v: d - 1 for v, d in lengths.items() if v != "__super__"}


def test_a_prepared_index_gives_the_same_answers_and_keeps_its_direction(two_cohort_graph):
    index = reach_index(two_cohort_graph)
    alumni = ["a1", "a2", "b1"]
    assert reach_by_distance(index, alumni).equals(reach_by_distance(two_cohort_graph, alumni))
    assert union_reach(index, alumni) == union_reach(two_cohort_graph, alumni)
    assert marginal_reach(index, alumni).equals(marginal_reach(two_cohort_graph, alumni))
    directed = reach_index(nx.DiGraph([(1, 2), (2, 3)]), influence="source_to_target")
    assert reach_by_distance(directed, [1])["reach_within_3"].tolist() == [2]


def test_cohort_totals_never_shrink_when_a_later_cohort_was_reached_before():
    # 0 - 1 - 2 - 3: cohort A = {0}, cohort B = {1}. A alone reaches 1, 2, 3, but 1 joins later,
    # so only people outside every cohort (2 and 3) count, and the totals only grow.
    table = cohort_reach(nx.path_graph(4), {"A": [0], "B": [1]})
    assert table["cohort_reach_within_3"].tolist() == [2, 2]
    assert table["reach_within_3"].tolist() == [2, 2]
    assert table["added_within_3"].tolist() == [2, 0]
    union = union_reach(nx.path_graph(4), [0, 1])
    assert table["reach_within_3"].iloc[-1] == union["reach_within_3"]


@pytest.mark.parametrize("directed", [False, True], ids=["undirected", "directed"])
def test_reach_contract_one_finite_value_per_person_isolates_zero(directed):
    from alumni_net.metrics import approximate_reach

    G = nx.gnp_random_graph(60, 0.05, seed=8, directed=directed)
    G.add_node("isolated")
    for table in (reach_by_distance(G), approximate_reach(G, registers=64)):
        assert table["person_id"].tolist() == list(G.nodes)
        values = table.drop(columns="person_id").to_numpy(float)
        assert np.isfinite(values).all()
        assert (table.set_index("person_id").loc["isolated"].abs() < 0.5).all()
    lost = marginal_reach(G, list(G.nodes)[:10])
    assert len(lost) == 10 and (lost >= 0).all()
