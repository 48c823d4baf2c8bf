"""Betweenness from sampled sources (Brandes 2001; Brandes & Pich 2007) in numba.

Each source's breadth-first search counts shortest paths forward and accumulates dependencies
backward along the search order (for ``v`` in reverse order, ``delta[v] += sigma[v] / sigma[w]
* (1 + delta[w])`` over the out-arcs ``v -> w`` one level down), so only out-rows are needed.
Sources run in parallel in fixed groups that ignore batch boundaries (every thread stays busy),
and each source's row is added to its batch's sum in source order: the result is identical at
any number of threads. Ties count as one step each, as igraph's unweighted ``betweenness``
counts them; the values equal ``Graph.betweenness(sources=...)`` (tested).

References
----------
Brandes, U. (2001). A faster algorithm for betweenness centrality. Journal of Mathematical Sociology
25(2), 163-177. https://doi.org/10.1080/0022250X.2001.9990249

Brandes, U., & Pich, C. (2007). Centrality estimation in large networks. International Journal of
Bifurcation and Chaos 17(7), 2303-2318. https://doi.org/10.1142/S0218127407018403
"""

from __future__ import annotations

from collections.abc import Sequence

import numba
import numpy as np
from numba import njit, prange

__all__ = ["batch_dependencies", "source_dependencies"]


def source_dependencies(indptr: np.ndarray, indices: np.ndarray, sources: np.ndarray,
                        *, undirected: bool) -> np.ndarray:
    """Sum over ``sources`` of every vertex's dependency (shortest paths from the source through
    it, to every other vertex); halved on undirected graphs, as igraph counts each unordered
    pair once."""
    return batch_dependencies(indptr, indices, [sources], undirected=undirected)[0]


def batch_dependencies(indptr: np.ndarray, indices: np.ndarray,
                       batches: Sequence[np.ndarray], *, undirected: bool) -> np.ndarray:
    """:func:`source_dependencies` of each batch of sources, one row per batch.

    The searches run ``2 * threads`` at a time across batch boundaries (ten batches of three
    sources on two threads would otherwise leave a thread idle in every batch's last pair).
    """
    n = len(indptr) - 1
    sources = np.concatenate([np.asarray(b, dtype=np.int64) for b in batches]) if batches \
        else np.zeros(0, dtype=np.int64)
    owner = np.repeat(np.arange(len(batches)), [len(b) for b in batches])
    total = np.zeros((len(batches), n))
    group = 2 * numba.get_num_threads()
    for start in range(0, len(sources), group):
        part = _dependencies(indptr, indices, sources[start:start + group])
        for row, b in zip(part, owner[start:start + group], strict=True):
            total[b] += row  # in source order: the same sums at any number of threads
    return total / 2.0 if undirected else total


@njit(cache=True, parallel=True)
def _dependencies(indptr, indices, sources):
    n = indptr.shape[0] - 1
    k = sources.shape[0]
    out = np.zeros((k, n))
    for i in prange(k):
        s = sources[i]
        dist = np.full(n, -1, dtype=np.int64)
        sigma = np.zeros(n)
        delta = out[i]
        order = np.empty(n, dtype=np.int64)
        dist[s] = 0
        sigma[s] = 1.0
        order[0] = s
        head, tail = 0, 1
        while head < tail:
            v = order[head]
            head += 1
            dv = dist[v] + 1
            for e in range(indptr[v], indptr[v + 1]):
                w = indices[e]
                if dist[w] < 0:
                    dist[w] = dv
                    order[tail] = w
                    tail += 1
                if dist[w] == dv:
                    sigma[w] += sigma[v]
        for j in range(tail - 1, -1, -1):
            v = order[j]
            dv = dist[v] + 1
            acc = 0.0
            for e in range(indptr[v], indptr[v + 1]):
                w = indices[e]
                if dist[w] == dv:
                    acc += (1.0 + delta[w]) / sigma[w]
            delta[v] = sigma[v] * acc
        delta[s] = 0.0
    return out
