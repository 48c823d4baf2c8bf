"""Networks made of separate components (villages): eigenvector centrality per component, and
E-I indices that are -1 by construction flagged (issue 8)."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest
import scipy.sparse.linalg
from tests.helpers import real_dataset_dir

from alumni_net.graph import to_igraph
from alumni_net.io import load_dataset
from alumni_net.metrics import centrality, centrality_table, ei_index
from alumni_net.pipelines.analyze import analyze_dataset


def _villages() -> nx.Graph:
    """A path of three (village a) and a triangle (village b), plus one isolated person."""
    G = nx.Graph([("a1", "a2"), ("a2", "a3"), ("b1", "b2"), ("b2", "b3"), ("b1", "b3")])
    G.add_node("w")
    for v in G:
        G.nodes[v]["region"] = v[0]
    return G


def _whole_network_eigenvector(G: nx.Graph) -> np.ndarray:
    """The leading eigenvector of the whole adjacency: what was reported before."""
    if len(G) < 50:
        _, vecs = np.linalg.eigh(nx.to_numpy_array(G, dtype=float))
        return np.abs(vecs[:, -1])
    A = nx.to_scipy_sparse_array(G, dtype=float)
    _, vec = scipy.sparse.linalg.eigsh(A, k=1, which="LA", v0=np.ones(len(G)))
    return np.abs(vec[:, 0])


@pytest.mark.parametrize("backend", ["igraph", "networkx"])
def test_each_village_gets_its_own_eigenvector(backend):
    G = _villages()
    old = _whole_network_eigenvector(G)
    assert np.count_nonzero(old > 1e-9) == 3  # the triangle only (eigenvalue 2 > sqrt 2)
    got = centrality(G, backend=backend, measures=["eigenvector"])["eigenvector"].to_numpy()
    # Path: (1/2, 1/sqrt2, 1/2); triangle: 1/sqrt3 each; each scaled by sqrt(3 / 6).
    half = np.sqrt(0.5)
    expected = [0.5 * half, np.sqrt(0.5) * half, 0.5 * half] + [half / np.sqrt(3)] * 3 + [0.0]
    np.testing.assert_allclose(got, expected, atol=1e-9)
    assert np.linalg.norm(got) == pytest.approx(1.0)


def test_connected_network_values_are_unchanged():
    G = nx.krackhardt_kite_graph()
    got = centrality(G, measures=["eigenvector"])["eigenvector"].to_numpy()
    np.testing.assert_allclose(got, _whole_network_eigenvector(G), atol=1e-8)


@pytest.fixture(scope="module")
def farmers():
    return load_dataset(real_dataset_dir("brazilian_farmers"))


def test_farmers_villages_parity_and_no_one_left_at_zero(farmers):
    graph = to_igraph(farmers)
    und = nx.Graph()
    und.add_nodes_from(range(farmers.n_people))
    und.add_edges_from(graph.graph.get_edgelist())
    old = _whole_network_eigenvector(und)
    assert np.mean(old < 1e-9) > 0.85  # before: almost every farmer had 0
    ig_values = centrality(graph, measures=["eigenvector"])["eigenvector"].to_numpy()
    nx_values = centrality(graph, backend="networkx", measures=["eigenvector"])["eigenvector"]
    np.testing.assert_allclose(ig_values, nx_values.to_numpy(), atol=1e-8)
    isolated = np.asarray(graph.graph.degree()) == 0
    assert (ig_values[isolated] == 0).all() and (ig_values[~isolated] > 0).all()
    components = graph.graph.connected_components(mode="weak")
    for members in components:  # each village's vector has length sqrt(n_c / n)
        if len(members) > 1:
            assert np.linalg.norm(ig_values[members]) == pytest.approx(
                np.sqrt(len(members) / (~isolated).sum()))


def test_groups_made_of_whole_components_are_flagged():
    G = _villages()
    t = ei_index(G, "region").set_index("group")
    assert t["ei_index"].tolist()[:2] == [-1.0, -1.0]
    assert t["whole_components"].tolist() == [True, True, True, True]
    G.add_edge("a3", "b1")  # one tie between the villages: no longer by construction
    t = ei_index(G, "region").set_index("group")
    assert t.loc[["a", "b", "(all)"], "whole_components"].tolist() == [False, False, False]
    assert t.loc["a", "ei_index"] == pytest.approx((1 - 2) / 3)
    split = ei_index(_villages(), ["x", "x", "y", "z", "z", "z", None])  # y and x share village a
    assert split.set_index("group")["whole_components"].to_dict() == {
        "z": True, "x": False, "y": False, "(all)": False}


def test_analyze_says_so_and_the_bridging_columns_are_zero(farmers):
    result = analyze_dataset(farmers, None, samples=50, min_count=10)
    notes = result.summary["notes"]
    assert notes[0].startswith(
        "The network is 13 separate components of two or more people (largest 82, smallest 2) "
        "and 36 people with no tie")
    community = [n for n in notes if "communit" in n]
    assert len(community) == 1
    rows = result.summary["ei_index"]["community"]
    closed = [r for r in rows if r["group"] != "(all)" and r["whole_components"]]
    assert all(r["ei_index"] == -1.0 for r in closed)
    if len(closed) == len(rows) - 1:
        assert community[0].startswith("Every community listed is made of whole components")
        table = centrality_table(to_igraph(farmers), measures=["community", "bridging"])
        assert (table["n_other_communities"] == 0).all()
    else:
        assert community[0].startswith(f"{len(closed)} of the {len(rows) - 1} communities")
