"""Brokerage: Burt's constraint and effective size (structural holes).

Ties in either direction count as one tie whose strength is the sum of both directions (Burt's
"mutual" tie strength, as igraph and networkx use). People with no ties get constraint 1 (no
brokerage opportunity, the value of someone with a single contact) and effective size 0, so
rankings never treat the isolated as brokers.
"""

from __future__ import annotations

import igraph as ig
import networkx as nx
import numba
import numpy as np
import pandas as pd
from numba import njit, prange
from scipy import sparse

from alumni_net.errors import ConfigError
from alumni_net.graph import edge_arrays
from alumni_net.metrics._graphs import GraphLike, as_igraph, undirected_weighted

__all__ = ["brokerage"]


def brokerage(G: GraphLike, *, backend: str = "igraph") -> pd.DataFrame:
    """Burt's constraint and effective size, one row per person.

    References
    ----------
    Burt, R. S. (1992). Structural Holes: The Social Structure of Competition. Harvard University
    Press.

    Examples
    --------
    >>> import networkx as nx
    >>> b = brokerage(nx.star_graph(2))
    >>> b["constraint"].round(3).tolist(), b["effective_size"].tolist()
    ([0.5, 1.0, 1.0], [2.0, 1.0, 1.0])
    """
    graph = as_igraph(G)
    if backend == "networkx":
        constraint, size = _networkx(G if isinstance(G, nx.Graph) else _to_nx(graph))
    elif backend == "igraph":
        matrix = _weighted_adjacency(undirected_weighted(graph.graph))
        # numpy's allocation (huge pages; see metrics._graphs._fill_rows), one row per thread
        shares = np.zeros((numba.get_num_threads(), graph.graph.vcount()))
        constraint, size = _constraint_and_size(
            matrix.indptr.astype(np.int64),
            matrix.indices.astype(np.int64),
            matrix.data.astype(float),
            shares,
        )
    else:
        raise ConfigError(f"backend must be 'igraph' or 'networkx', not {backend!r}")
    isolated = np.asarray(undirected_weighted(graph.graph).degree()) == 0
    constraint = np.where(isolated, 1.0, constraint)
    size = np.where(isolated, 0.0, size)
    return pd.DataFrame({"person_id": graph.ids, "constraint": constraint, "effective_size": size})


def _weighted_adjacency(und: ig.Graph) -> sparse.csr_matrix:
    """igraph's ``get_adjacency_sparse(attribute="weight")`` of an undirected graph, sorted rows:
    built from the edge arrays in igraph's memory instead of a Python tuple per edge (a minute
    at 30 million ties). As igraph does, a self-tie counts once."""
    src, dst = edge_arrays(und)
    weight = np.asarray(und.es["weight"], dtype=float)
    n = und.vcount()
    half = sparse.csr_matrix((weight, (src, dst)), shape=(n, n))
    matrix = (half + sparse.triu(half, 1).T + sparse.tril(half, -1).T).tocsr()
    matrix.sort_indices()
    return matrix


def _to_nx(graph):
    from alumni_net.graph import from_igraph

    return from_igraph(graph.graph, graph.ids)


def _networkx(G: nx.Graph) -> tuple[np.ndarray, np.ndarray]:
    nodes = list(G.nodes)
    # Merge ties either way first: networkx marks people with only incoming ties as isolated.
    und = nx.Graph()
    und.add_nodes_from(nodes)
    for u, v, w in G.edges(data="weight", default=1.0):
        und.add_edge(u, v, weight=und[u][v]["weight"] + w if und.has_edge(u, v) else w)
    c = nx.constraint(und, weight="weight")
    # Per-node path on purpose: networkx 3.7's all-nodes sparse shortcut divides each tie by
    # the wrong person's strongest tie (a broadcasting slip), so it disagrees with Burt's formula.
    e = nx.effective_size(und, nodes=nodes, weight="weight")
    return np.array([c[v] for v in nodes], dtype=float), np.array(
        [e[v] for v in nodes], dtype=float
    )


@njit(cache=True, parallel=True)
def _constraint_and_size(indptr, indices, data, shares):
    """Burt's constraint and effective size in one pass over each person's two-step paths.

    With ``p_iq`` i's share of tie strength going to q (``w_iq / s_i``) and ``m_jq`` j's tie to q
    over j's strongest tie: constraint ``sum_j (p_ij + sum_q p_iq p_qj) ** 2`` (igraph's and
    networkx's definition) and effective size ``sum_j 1 - sum_q p_iq m_jq``, q a contact of both
    i and j (``shares``: zeros, one row of n per thread). Each thread marks i's contacts in a
    dense array so that j's contacts are looked up
    in O(1); the work is the sum of squared degrees (igraph's constraint, the previous code,
    took minutes on a million people).
    """
    n = indptr.shape[0] - 1
    row_max = np.zeros(n)
    row_sum = np.zeros(n)
    for v in range(n):
        for e in range(indptr[v], indptr[v + 1]):
            row_sum[v] += data[e]
            if data[e] > row_max[v]:
                row_max[v] = data[e]
    constraint = np.full(n, np.nan)
    size = np.zeros(n)
    n_chunks = 64
    for c in prange(n_chunks):
        share = shares[numba.get_thread_id()]  # all zero between people (cleared below)
        for i in range(c * n // n_chunks, (c + 1) * n // n_chunks):
            if indptr[i] == indptr[i + 1]:
                continue
            for e in range(indptr[i], indptr[i + 1]):
                share[indices[e]] = data[e] / row_sum[i]
            redundancy = 0.0
            total = 0.0
            for e in range(indptr[i], indptr[i + 1]):
                j = indices[e]
                if j == i:
                    continue
                indirect = 0.0
                for f in range(indptr[j], indptr[j + 1]):
                    q = indices[f]
                    if q != i and q != j and share[q] != 0.0:
                        redundancy += share[q] * data[f] / row_max[j]
                        indirect += share[q] * data[f] / row_sum[q]
                direct = share[j] + indirect
                total += direct * direct
            size[i] = (indptr[i + 1] - indptr[i]) - redundancy
            constraint[i] = total
            for e in range(indptr[i], indptr[i + 1]):
                share[indices[e]] = 0.0
    return constraint, size
