"""igraph's edges read from its C core (no Python tuples) and adjacency rows cached per graph."""

import igraph as ig
import numpy as np
import pytest

from alumni_net.graph import cached_rows, csr_adjacency, edge_arrays, forget_cached_rows
from alumni_net.metrics import reach_by_distance
from alumni_net.metrics._graphs import traversal_csr


def _pairs(src, dst, directed):
    pairs = np.column_stack([src, dst])
    return sorted(map(tuple, (pairs if directed else np.sort(pairs, axis=1)).tolist()))


@pytest.mark.parametrize("directed", [False, True])
def test_edge_arrays_are_the_edge_list(directed):
    g = ig.Graph.Erdos_Renyi(200, m=900, directed=directed, loops=True)
    g.add_edges([(3, 3), (5, 7), (5, 7)])  # a loop and a repeated tie
    src, dst = edge_arrays(g)
    expected = np.array(g.get_edgelist())
    assert src.dtype == dst.dtype == np.int64 and len(src) == g.ecount()
    if directed:  # same order, same ends
        np.testing.assert_array_equal(src, expected[:, 0])
        np.testing.assert_array_equal(dst, expected[:, 1])
    else:  # same order; an undirected edge's ends may come either way round
        np.testing.assert_array_equal(np.sort(np.column_stack([src, dst]), axis=1),
                                      np.sort(expected, axis=1))
    src[:] = -1  # copies by default: igraph's own memory is untouched
    assert g.get_edgelist() == [tuple(e) for e in expected.tolist()]


def test_edge_arrays_of_graphs_without_edges():
    for g in (ig.Graph(), ig.Graph(5), ig.Graph(3, directed=True)):
        src, dst = edge_arrays(g)
        assert len(src) == len(dst) == 0


def test_views_are_read_only_and_follow_edits_only_when_asked_again():
    g = ig.Graph([(0, 1), (1, 2)])
    src, _ = edge_arrays(g, copy=False)
    with pytest.raises(ValueError):
        src[0] = 5
    g.add_vertices(1)
    g.add_edges([(2, 3)])
    assert _pairs(*edge_arrays(g), False) == [(0, 1), (1, 2), (2, 3)]


def test_csr_adjacency_on_a_directed_graph():
    g = ig.Graph([(0, 1), (0, 2), (2, 1), (2, 1)], directed=True)
    indptr, indices = csr_adjacency(g, mode="in")
    assert indptr.tolist() == [0, 0, 2, 3]
    assert indices.tolist() == [0, 2, 0]  # duplicate ties merged, rows sorted


def test_rows_are_cached_on_the_graph_and_rebuilt_after_it_grows():
    g = ig.Graph.Ring(50)
    first = traversal_csr(g, "all")
    assert traversal_csr(g, "all")[1] is first[1]  # the same arrays: no second conversion
    assert not first[1].flags.writeable
    g.add_vertices(1)
    g.add_edges([(0, 50)])
    grown = traversal_csr(g, "all")
    assert grown[0][-1] == 2 * g.ecount()
    forget_cached_rows(g)
    assert traversal_csr(g, "all")[1] is not grown[1]
    calls = []
    assert cached_rows(g, ("k",), lambda: calls.append(1) or np.zeros(1)) is \
        cached_rows(g, ("k",), lambda: calls.append(1) or np.zeros(1))
    assert calls == [1]


def test_reach_is_the_same_cold_and_cached():
    g = ig.Graph.Barabasi(300, 3, directed=True)
    cold = reach_by_distance(g, [0, 5, 17], influence="source_to_target")
    cached = reach_by_distance(g, [0, 5, 17], influence="source_to_target")
    expected = [g.neighborhood_size([0, 5, 17], order=d, mode="out", mindist=d)
                for d in (1, 2, 3)]
    for table in (cold, cached):
        assert [table[f"reach_{d}"].tolist() for d in (1, 2, 3)] == expected
