"""Crossing shares and the E-I index on hand-checked graphs."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest

from alumni_net.metrics import bridging_table, ei_index


@pytest.fixture
def sectors():
    # a-b-c-d path plus d-e; a, b health; c, d social care; e unknown.
    G = nx.Graph([("a", "b"), ("b", "c"), ("c", "d"), ("d", "e")])
    nx.set_node_attributes(
        G, {"a": "health", "b": "health", "c": "social_care", "d": "social_care"}, "sector"
    )
    nx.set_node_attributes(
        G, {"a": "north", "b": "south", "c": "south", "d": "south", "e": "south"}, "region"
    )
    return G


def test_shares_and_other_groups_by_hand(sectors):
    t = bridging_table(sectors).set_index("person_id")
    assert t["cross_sector_share"].tolist()[:4] == [0.0, 0.5, 0.5, 0.0]
    assert np.isnan(t.loc["e", "cross_sector_share"])  # own sector unknown
    assert t.loc["d", "n_other_sectors"] == 0  # tie to e (unknown) is left out
    assert t["cross_region_share"].tolist() == [1.0, 0.5, 0.0, 0.0, 0.0]
    assert t["n_other_regions"].tolist() == [1, 1, 0, 0, 0]


def test_directed_ties_count_once_and_extra_groupings(sectors):
    D = nx.DiGraph(sectors)  # both directions of every tie
    nx.set_node_attributes(D, dict(sectors.nodes(data="sector")), "sector")
    t = bridging_table(D, attributes=("sector",), extra={"community": [0, 0, 1, 1, 1]})
    assert t["cross_sector_share"].tolist()[:4] == [0.0, 0.5, 0.5, 0.0]
    assert t["n_other_communities"].tolist() == [0, 1, 1, 0, 0]


def test_ei_index_by_group_and_whole_network(sectors):
    t = ei_index(sectors, "sector").set_index("group")
    assert t.loc["health", ["n_members", "internal_ties", "external_ties"]].tolist() == [2, 1, 1]
    assert t.loc["health", "ei_index"] == 0.0
    assert t.loc["(all)", "ei_index"] == pytest.approx((1 - 2) / 3)
    assert t.index[-1] == "(all)"


def test_small_groups_are_suppressed(sectors):
    t = ei_index(sectors, "region", min_count=2)
    assert t["group"].tolist() == ["south", "(all)"]


@pytest.mark.parametrize("directed", [False, True])
def test_other_groups_counted_without_sorting_equal_the_sorted_count(directed):
    # Each person's distinct other groups among contacts either way, as sorting every crossing
    # tie counted them: with unknown groups, self-ties, ties both ways and repeated ties.
    import igraph as ig

    from alumni_net.metrics._graphs import traversal_csr
    from alumni_net.metrics.bridging import _other_groups

    rng = np.random.default_rng(5)
    g = ig.Graph.Erdos_Renyi(500, m=2500, directed=directed)
    g.add_edges([(3, 3), (4, 9), (9, 4), (4, 9)])
    codes = rng.integers(-1, 7, g.vcount())
    src, dst = np.array(g.get_edgelist()).T
    src, dst = np.concatenate([src, dst]), np.concatenate([dst, src])
    cross = (codes[src] >= 0) & (codes[dst] >= 0) & (codes[src] != codes[dst])
    pairs = np.unique(src[cross] * 7 + codes[dst[cross]])
    expected = np.bincount(pairs // 7, minlength=g.vcount())
    got = _other_groups(*traversal_csr(g, "all"), codes.astype(np.int64), 7)
    assert np.array_equal(got[codes >= 0], expected[codes >= 0])
