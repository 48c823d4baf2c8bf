"""PageRank by power iteration (numba) for networks too large for ARPACK in minutes.

The same stationary distribution as igraph's ``Graph.pagerank`` (weighted, directed, dangling
people's rank spread evenly over everyone), iterated until the L1 change is below ``tol``. Each
sweep pulls along in-arcs in a fixed order and every sum over people is taken in one thread,
so the result is identical run to run and at any number of threads.
"""

from __future__ import annotations

import igraph as ig
import numpy as np
from numba import njit, prange

from alumni_net.graph import edge_arrays

__all__ = ["pagerank_power"]


def pagerank_power(g: ig.Graph, damping: float = 0.85, *, weights: str | None = "weight",
                   tol: float = 1e-10, max_iter: int = 10_000) -> np.ndarray:
    """PageRank of every vertex of ``g`` (sums to 1), as igraph defines it.

    Examples
    --------
    >>> g = ig.Graph.Star(5)
    >>> pr = pagerank_power(g, weights=None)
    >>> bool(np.allclose(pr, g.pagerank(), atol=1e-9))
    True
    """
    n = g.vcount()
    if n == 0:
        return np.zeros(0)
    src, dst = edge_arrays(g)
    w = (np.asarray(g.es[weights], dtype=np.float64)
         if weights is not None and weights in g.es.attributes() else np.ones(len(src)))
    if not g.is_directed():
        src, dst, w = np.concatenate([src, dst]), np.concatenate([dst, src]), np.tile(w, 2)
    out_w = np.bincount(src, weights=w, minlength=n)
    order = np.argsort(dst, kind="stable")
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(dst, minlength=n), out=indptr[1:])
    senders = src[order]
    share = w[order] / out_w[senders]
    # numpy's allocation (huge pages; see metrics._graphs._fill_rows): ranks are read at random
    x, new = np.full(n, 1.0 / n), np.empty(n)
    return _iterate(indptr, senders, share, out_w == 0, float(damping), float(tol), max_iter,
                    x, new)


_CHUNKS = 64  # fixed, so that partial sums add up in the same order at any number of threads


@njit(cache=True)
def _iterate(indptr, senders, share, dangling, d, tol, max_iter, x, new):
    n = indptr.shape[0] - 1
    bounds = np.linspace(0, n, _CHUNKS + 1).astype(np.int64)
    lost = _chunked_sum(x, dangling, bounds)
    for _ in range(max_iter):
        base = (1.0 - d) / n + d * lost / n
        total = _pull(indptr, senders, share, x, new, base, d, bounds)
        change, lost = _normalise(new, x, dangling, total, bounds)
        x, new = new, x
        if change < tol:
            break
    return x


@njit(cache=True, parallel=True)
def _pull(indptr, senders, share, x, new, base, d, bounds):
    """One sweep (in-arcs, in parallel); returns the new ranks' sum (chunk sums in order)."""
    part = np.zeros(bounds.shape[0] - 1)
    for c in prange(bounds.shape[0] - 1):
        s = 0.0
        for v in range(bounds[c], bounds[c + 1]):
            acc = 0.0
            for e in range(indptr[v], indptr[v + 1]):
                acc += x[senders[e]] * share[e]
            new[v] = base + d * acc
            s += new[v]
        part[c] = s
    return part.sum()


@njit(cache=True, parallel=True)
def _normalise(new, old, dangling, total, bounds):
    """Divide by the sum (rounding drift only); return the L1 change and the dangling rank."""
    change = np.zeros(bounds.shape[0] - 1)
    lost = np.zeros(bounds.shape[0] - 1)
    for c in prange(bounds.shape[0] - 1):
        for v in range(bounds[c], bounds[c + 1]):
            new[v] /= total
            change[c] += abs(new[v] - old[v])
            if dangling[v]:
                lost[c] += new[v]
    return change.sum(), lost.sum()


@njit(cache=True)
def _chunked_sum(x, mask, bounds):
    part = np.zeros(bounds.shape[0] - 1)
    for c in range(bounds.shape[0] - 1):
        for v in range(bounds[c], bounds[c + 1]):
            if mask[v]:
                part[c] += x[v]
    return part.sum()
