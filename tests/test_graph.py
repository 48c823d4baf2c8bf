"""Graph builders: networkx and igraph agree, both directions, ids explicit."""

from __future__ import annotations

import igraph as ig
import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.helpers import REAL_COUNTS, real_dataset_dir

from alumni_net.graph import aggregate_ties, csr_adjacency, from_igraph, to_igraph, to_networkx
from alumni_net.io import load_dataset


def _same(G: nx.Graph, H: nx.Graph) -> None:
    assert list(G.nodes) == list(H.nodes)
    assert G.is_directed() == H.is_directed()
    assert {(u, v, d["weight"], tuple(d["kinds"])) for u, v, d in G.edges(data=True)} == {
        (u, v, d["weight"], tuple(d["kinds"])) for u, v, d in H.edges(data=True)}
    for node in G:
        assert G.nodes[node] == H.nodes[node]


def test_two_cohorts_networkx(two_cohorts, pseudonym_key):
    ds = load_dataset(two_cohorts)
    G = to_networkx(ds)
    assert list(G.nodes) == ["a1", "a2", "b1", "p1", "p2", "p3"]
    assert G.number_of_edges() == 4  # a1-a2 has two kinds, so five ties make four pairs
    assert G["a1"]["a2"]["kinds"] == ("action_learning_set", "cohort")
    assert G["a1"]["a2"]["weight"] == 2.0
    assert G["p1"]["p3"]["since"].year == 2014 and G["a2"]["p1"]["since"] is None
    assert G.nodes["a1"]["sector"] == "health" and "cohort" not in G.nodes["p1"]
    assert "Ada Lovelace" not in str(dict(G.nodes(data=True)))
    M = to_networkx(ds, multigraph=True)
    assert M.number_of_edges() == 5 and set(M["a1"]["a2"]) == {"cohort", "action_learning_set"}


@pytest.mark.parametrize("name", sorted(REAL_COUNTS))
def test_real_networks_round_trip_through_igraph(name):
    ds = load_dataset(real_dataset_dir(name), directed=True)
    G = to_networkx(ds)
    wrapped = to_igraph(G)
    direct = to_igraph(ds)
    assert list(wrapped.ids) == list(direct.ids) == list(G.nodes)
    assert sorted(wrapped.graph.get_edgelist()) == sorted(direct.graph.get_edgelist())
    _same(G, from_igraph(wrapped.graph, wrapped.ids))
    _same(G, from_igraph(direct.graph, direct.ids))
    # The same pairs as the README's count of distinct directed pairs, where it gives one.
    distinct = {"medical_innovation": 294, "brazilian_farmers": 1854}
    if name in distinct:
        assert G.number_of_edges() == distinct[name]


def test_multigraph_collapses_for_igraph(two_cohorts, pseudonym_key):
    ds = load_dataset(two_cohorts)
    _same(to_networkx(ds), from_igraph(*_pair(to_igraph(to_networkx(ds, multigraph=True)))))


def _pair(wrapped):
    return wrapped.graph, wrapped.ids


@settings(max_examples=40, deadline=None)
@given(n=st.integers(1, 30), p=st.floats(0, 0.5), directed=st.booleans(), seed=st.integers(0, 10_000))
def test_csr_matches_igraph_neighbours(n, p, directed, seed):
    G = nx.gnp_random_graph(n, p, seed=seed, directed=directed)
    wrapped = to_igraph(G)
    for mode in ("out", "in", "all"):
        indptr, indices = csr_adjacency(wrapped, mode=mode)
        for v in range(n):
            expected = sorted(set(wrapped.graph.neighbors(v, mode=mode)))
            assert indices[indptr[v]:indptr[v + 1]].tolist() == expected


def test_aggregate_ties_undirected_merges_reverse_pairs():
    import pandas as pd

    ties = pd.DataFrame({"source": ["b", "a"], "target": ["a", "b"], "kind": ["x", "y"],
                         "weight": [1.0, 2.5], "since": pd.to_datetime(["2020-01-01", "2019-06-01"])})
    undirected = aggregate_ties(ties, directed=False)
    assert undirected[["source", "target", "weight", "kinds"]].to_dict("records") == [
        {"source": "a", "target": "b", "weight": 3.5, "kinds": ("x", "y")}]
    assert undirected["since"].iat[0] == pd.Timestamp("2019-06-01")
    assert len(aggregate_ties(ties, directed=True)) == 2


def test_igraph_vertex_attributes_and_ids(two_cohorts, pseudonym_key):
    wrapped = to_igraph(load_dataset(two_cohorts))
    assert isinstance(wrapped.graph, ig.Graph)
    assert wrapped.graph.vs["sector"][wrapped.index["b1"]] == "voluntary"
    assert wrapped.vertices(["p3", "a1"]).tolist() == [5, 0]
    assert np.array_equal(np.asarray(wrapped.graph.degree()), np.array([1, 2, 1, 2, 1, 1]))
