"""Counting sorts that compile tie entries into arcs in time linear in the number of entries.

A national network has 60 million entries: sorting their (source, target) keys, and then the
arcs by target, took most of the minutes :func:`~alumni_net.abm.network.build_network` spent.
People are numbered ``0 .. n - 1``, so both orders are counting sorts, and only each person's
few arcs need a comparison sort.
"""

from __future__ import annotations

import numpy as np
from numba import njit

__all__ = ["by_key", "group_pairs"]


@njit(cache=True)
def by_key(keys: np.ndarray, n: int) -> np.ndarray:
    """The stable order of ``keys`` (integers in ``0 .. n - 1``): ``np.argsort(keys,
    kind="stable")``, in linear time."""
    start = np.zeros(n + 1, dtype=np.int64)
    for k in keys:
        start[k + 1] += 1
    for i in range(n):
        start[i + 1] += start[i]
    order = np.empty(len(keys), dtype=np.int64)
    for e in range(len(keys)):
        k = keys[e]
        order[start[k]] = e
        start[k] += 1
    return order


@njit(cache=True)
def group_pairs(u: np.ndarray, v: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Entries ``(u[e], v[e])`` grouped into arcs numbered in (u, v) order.

    Returns ``first`` (for each arc, one of its entries) and ``arc`` (each entry's arc): what
    ``np.unique(u * n + v, return_inverse=True)`` gives, without sorting 60 million keys.
    """
    order = by_key(u, n)
    m = len(u)
    lo = 0
    while lo < m:  # sort each person's run of entries by target (a few dozen at most, usually)
        hi = lo + 1
        while hi < m and u[order[hi]] == u[order[lo]]:
            hi += 1
        if hi - lo > 1:
            run = order[lo:hi].copy()
            order[lo:hi] = run[np.argsort(v[run], kind="mergesort")]
        lo = hi
    arc = np.empty(m, dtype=np.int64)
    first = np.empty(m, dtype=np.int64)
    count = 0
    for k in range(m):
        e = order[k]
        if k == 0 or u[e] != u[order[k - 1]] or v[e] != v[order[k - 1]]:
            first[count] = e
            count += 1
        arc[e] = count - 1
    return first[:count], arc
