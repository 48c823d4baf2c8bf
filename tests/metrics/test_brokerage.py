"""Burt's constraint and effective size: hand values and networkx's per-node reference."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest
from tests.metrics.conftest import real_graph

from alumni_net.metrics import brokerage


def test_star_centre_is_least_constrained():
    b = brokerage(nx.star_graph(3)).set_index("person_id")
    # Centre: three unconnected contacts of equal weight, constraint 3 * (1/3)^2.
    assert b.loc[0, "constraint"] == pytest.approx(1 / 3)
    assert b.loc[0, "effective_size"] == pytest.approx(3.0)
    assert b.loc[1, "constraint"] == pytest.approx(1.0)


def test_triangle_contacts_are_redundant():
    b = brokerage(nx.complete_graph(3))
    # Each contact shares the other: effective size 2 - 2 * (1/2) = 1 (Borgatti's n - 2t/n).
    assert b["effective_size"].tolist() == pytest.approx([1.0, 1.0, 1.0])


def test_weighted_effective_size_matches_networkx_per_node_formula():
    G = nx.les_miserables_graph()
    ours = brokerage(G).set_index("person_id")["effective_size"]
    reference = nx.effective_size(G, nodes=list(G), weight="weight")
    np.testing.assert_allclose(ours.to_numpy(), [reference[v] for v in ours.index], rtol=1e-10)


def test_backends_agree_on_directed_real_data():
    # (Lazega is covered by the centrality parity test; networkx's per-node path is slow on it.)
    G = real_graph("medical_innovation")
    a = brokerage(G)
    b = brokerage(G, backend="networkx")
    np.testing.assert_allclose(a["constraint"], b["constraint"], atol=1e-12)
    np.testing.assert_allclose(a["effective_size"], b["effective_size"], atol=1e-9)


def test_constraint_equals_igraphs_on_weighted_graphs():
    import igraph as ig
    import numpy as np

    g = ig.Graph.Erdos_Renyi(300, m=1200)
    g.es["weight"] = np.random.default_rng(3).uniform(0.5, 3.0, g.ecount()).tolist()
    ours = brokerage(g)["constraint"].to_numpy()
    theirs = np.asarray(g.constraint(weights="weight"))
    tied = np.asarray(g.degree()) > 0
    assert ours[tied] == pytest.approx(theirs[tied], abs=1e-12)


def test_weighted_adjacency_from_edge_arrays_equals_igraphs_own():
    # brokerage builds the matrix from igraph's edge arrays (no Python tuple per tie); it must be
    # igraph's get_adjacency_sparse exactly, a self-tie counted once
    import igraph as ig
    import numpy as np

    from alumni_net.metrics.structural_holes import _weighted_adjacency

    g = ig.Graph.Erdos_Renyi(300, m=2000)
    g.add_edges([(3, 3), (5, 5)])
    g.es["weight"] = np.random.default_rng(1).random(g.ecount())
    expected = g.get_adjacency_sparse(attribute="weight").tocsr()
    expected.sort_indices()
    got = _weighted_adjacency(g)
    assert np.array_equal(got.indptr, expected.indptr)
    assert np.array_equal(got.indices, expected.indices)
    assert np.array_equal(got.data, expected.data)
