"""Numba kernels of :mod:`alumni_net.synth.network` (a module of their own so that importing
the synth package does not load Numba: see ``network._kernels``)."""

from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True)
def _count_heads(indptr: np.ndarray, heads: np.ndarray) -> None:
    for i in range(len(heads)):
        indptr[heads[i] + 1] += 1


@njit(cache=True)
def _place_tails(position: np.ndarray, neighbours: np.ndarray, heads: np.ndarray,
                 tails: np.ndarray) -> None:
    for i in range(len(heads)):
        h = heads[i]
        neighbours[position[h]] = tails[i]
        position[h] += 1


@njit(cache=True)
def _guided_search(cum: np.ndarray, u: np.ndarray, out: np.ndarray) -> None:
    table = np.empty(len(cum) + 2, np.int64)
    _guide_table(cum, table)
    _guided_lookup(cum, table, u, out)


@njit(cache=True)
def _guide_table(cum: np.ndarray, table: np.ndarray) -> None:
    """``table[k]``: the first i with ``cum[i] > k * step`` (``len(cum) + 2`` entries)."""
    n = len(cum)
    buckets = n
    step = cum[n - 1] / buckets
    # edge k is k * step, computed alike here and in the lookup
    i = 0
    for k in range(buckets + 1):
        edge = k * step
        while i < n and cum[i] <= edge:
            i += 1
        table[k] = i
    table[buckets + 1] = n


@njit(cache=True)
def _guided_lookup(cum: np.ndarray, table: np.ndarray, u: np.ndarray, out: np.ndarray) -> None:
    n = len(cum)
    buckets = n
    step = cum[n - 1] / buckets
    for q in range(len(u)):
        x = u[q]
        if x != x:  # NaN sorts last, as in numpy
            out[q] = n
            continue
        k = int(min(max(x / step, 0.0), float(buckets)))
        while k > 0 and k * step > x:
            k -= 1
        while k < buckets and (k + 1) * step <= x:
            k += 1
        # edge k <= x < edge k + 1, so the answer is in [table[k], table[k + 1]] (below edge 0,
        # a negative x, it is in [0, table[0]])
        lo, hi = (table[k] if k * step <= x else 0), table[k + 1]
        while lo < hi:
            mid = (lo + hi) >> 1
            if cum[mid] > x:
                hi = mid
            else:
                lo = mid + 1
        out[q] = lo


@njit(cache=True)
def _bucket_sort(keys: np.ndarray, divisor: np.int64, buckets: np.int64,
                 out: np.ndarray) -> None:
    start = np.zeros(buckets + 1, np.int64)
    for i in range(len(keys)):
        start[keys[i] // divisor + 1] += 1
    for v in range(buckets):
        start[v + 1] += start[v]
    position = start[:-1].copy()
    for i in range(len(keys)):
        bucket = keys[i] // divisor
        out[position[bucket]] = keys[i]
        position[bucket] += 1
    for v in range(buckets):
        lo, hi = start[v], start[v + 1]
        if hi - lo > 16:
            out[lo:hi] = np.sort(out[lo:hi])
            continue
        for j in range(lo + 1, hi):  # insertion sort: most people have a few ties
            x = out[j]
            k = j - 1
            while k >= lo and out[k] > x:
                out[k + 1] = out[k]
                k -= 1
            out[k + 1] = x
