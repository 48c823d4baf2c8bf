"""Numba kernels for bit-parallel multi-source breadth-first search.

Each vertex carries ``W`` 64-bit words; bit ``b`` of word ``w`` stands for source *group*
``64 * w + b`` (a group is one person for individual reach, or a set of people such as a cohort
for union reach). One "pull" sweep over the adjacency advances every group by one hop at once, so
``64 * W`` breadth-first searches cost about as much as ``W`` ordinary ones (the idea behind
multi-source BFS, Then et al. 2014, "The more the merrier", PVLDB 8(4)).

The adjacency passed here is the *pull* CSR: ``indices[indptr[v]:indptr[v + 1]]`` are the vertices
from which a search steps onto ``v``.
"""

from __future__ import annotations

import numba
import numpy as np
from numba import njit, prange

_M1 = np.uint64(0x5555555555555555)
_M2 = np.uint64(0x3333333333333333)
_M4 = np.uint64(0x0F0F0F0F0F0F0F0F)
_H01 = np.uint64(0x0101010101010101)
_ZERO = np.uint64(0)
_ONE = np.uint64(1)
_PLANES = 40  # bit-sliced counters hold counts up to 2**40 per group


@njit(cache=True, inline="always")
def popcount64(x):
    """Number of set bits (SWAR; LLVM turns it into one instruction where available)."""
    x = x - ((x >> _ONE) & _M1)
    x = (x & _M2) + ((x >> np.uint64(2)) & _M2)
    x = (x + (x >> np.uint64(4))) & _M4
    return (x * _H01) >> np.uint64(56)


@njit(cache=True, inline="always")
def _pull_row(indptr, indices, frontier, visited, new, v, acc):
    """Advance vertex ``v`` one hop; return True when some group reached it for the first time."""
    n_words = acc.shape[0]
    acc[:] = _ZERO
    for e in range(indptr[v], indptr[v + 1]):
        u = indices[e]
        for w in range(n_words):
            acc[w] |= frontier[u, w]
    hit = _ZERO
    for w in range(n_words):
        x = acc[w] & ~visited[v, w]
        new[v, w] = x
        visited[v, w] |= x
        hit |= x
    return hit != _ZERO


@njit(cache=True, inline="always")
def _add_sliced(planes, x):
    """Add the bits of ``x`` to 64 bit-sliced column counters (carry-save, ~2 ops on average)."""
    carry = x
    k = 0
    while carry != _ZERO:
        t = planes[k] & carry
        planes[k] ^= carry
        carry = t
        k += 1


@njit(cache=True)
def _drain_planes(planes, out_col, counts):
    """Add the bit-sliced counters ``planes[chunk, word, plane]`` into ``counts[:, out_col]``."""
    n_chunks, n_words, n_planes = planes.shape
    for c in range(n_chunks):
        for w in range(n_words):
            for k in range(n_planes):
                p = planes[c, w, k]
                if p == _ZERO:
                    continue
                for b in range(64):
                    if (p >> np.uint64(b)) & _ONE:
                        counts[64 * w + b, out_col] += np.int64(1) << k
                planes[c, w, k] = _ZERO


@njit(cache=True)
def _chunk_bounds(n, n_chunks):
    bounds = np.empty(n_chunks + 1, dtype=np.int64)
    for c in range(n_chunks + 1):
        bounds[c] = (n * c) // n_chunks
    return bounds


@njit(cache=True, parallel=True)
def group_level_counts(indptr, indices, init, max_dist, counted, n_chunks):
    """Per group, the number of counted vertices first reached at each distance.

    Parameters
    ----------
    indptr, indices : pull CSR (int64, int32).
    init : uint64 array (n, W); bit set = the vertex belongs to that group (distance 0).
    max_dist : int; stop after this many hops (negative: until no group grows).
    counted : bool array (n,); only these vertices are counted.
    n_chunks : int; vertex blocks for the threads (each has its own counters).

    Returns
    -------
    counts : int64 array (64 * W, levels), ``counts[g, d]`` for d = 0 .. levels - 1.
    """
    n, n_words = init.shape
    n_chunks = max(1, min(n, n_chunks))
    bounds = _chunk_bounds(n, n_chunks)
    levels = max_dist + 1 if max_dist >= 0 else n + 1
    counts = np.zeros((64 * n_words, levels), dtype=np.int64)
    planes = np.zeros((n_chunks, n_words, _PLANES), dtype=np.uint64)
    for c in prange(n_chunks):
        for v in range(bounds[c], bounds[c + 1]):
            if counted[v]:
                for w in range(n_words):
                    _add_sliced(planes[c, w], init[v, w])
    _drain_planes(planes, 0, counts)
    visited = init.copy()
    frontier = init.copy()
    new = np.zeros_like(init)
    last = 0
    for level in range(1, levels):
        grew = np.zeros(n_chunks, dtype=np.bool_)
        for c in prange(n_chunks):
            acc = np.empty(n_words, dtype=np.uint64)
            for v in range(bounds[c], bounds[c + 1]):
                if _pull_row(indptr, indices, frontier, visited, new, v, acc):
                    grew[c] = True
                    if counted[v]:
                        for w in range(n_words):
                            _add_sliced(planes[c, w], new[v, w])
        if not grew.any():
            break
        _drain_planes(planes, level, counts)
        last = level
        frontier, new = new, frontier
    return counts[:, : last + 1] if max_dist < 0 else counts


@njit(cache=True, parallel=True)
def target_distance_sums(indptr, indices, init, max_dist, n_chunks):
    """Per vertex, over the groups (sources) in ``init``: how many reach it, sum of d, sum of 1/d.

    Distance 0 (the vertex's own group) is left out of all three sums. Used for sampled
    closeness and harmonic centrality.
    """
    n, n_words = init.shape
    n_chunks = max(1, min(n, n_chunks))
    bounds = _chunk_bounds(n, n_chunks)
    levels = max_dist + 1 if max_dist >= 0 else n + 1
    reached = np.zeros(n, dtype=np.int64)
    dist_sum = np.zeros(n, dtype=np.float64)
    inv_sum = np.zeros(n, dtype=np.float64)
    visited = init.copy()
    frontier = init.copy()
    new = np.zeros_like(init)
    for level in range(1, levels):
        grew = np.zeros(n_chunks, dtype=np.bool_)
        for c in prange(n_chunks):
            acc = np.empty(n_words, dtype=np.uint64)
            for v in range(bounds[c], bounds[c + 1]):
                if _pull_row(indptr, indices, frontier, visited, new, v, acc):
                    grew[c] = True
                    k = 0
                    for w in range(n_words):
                        k += popcount64(new[v, w])
                    reached[v] += k
                    dist_sum[v] += k * level
                    inv_sum[v] += k / level
        if not grew.any():
            break
        frontier, new = new, frontier
    return reached, dist_sum, inv_sum


@njit(cache=True, parallel=True)
def two_nearest_labels(indptr, indices, labels, max_dist):
    """For every vertex, the two smallest source labels within ``max_dist`` hops (-1 = none).

    ``labels[v]`` is v's own label (its source index) or -1. The two smallest labels of a union are
    the two smallest of the parts' two smallest, so two slots per vertex give the exact answer:
    a vertex whose second slot stays -1 is within reach of exactly one source (or none).
    """
    n = labels.shape[0]
    first = labels.astype(np.int64)
    second = np.full(n, -1, dtype=np.int64)
    for _ in range(max_dist):
        nf = first.copy()
        ns = second.copy()
        for v in prange(n):
            a = first[v]
            b = second[v]
            for e in range(indptr[v], indptr[v + 1]):
                u = indices[e]
                for cand in (first[u], second[u]):
                    if cand < 0 or cand == a or cand == b:
                        continue
                    if a < 0 or cand < a:
                        b = a
                        a = cand
                    elif b < 0 or cand < b:
                        b = cand
            nf[v] = a
            ns[v] = b
        first = nf
        second = ns
    return first, second


def default_chunks() -> int:
    """Vertex blocks per sweep: a few per thread so that uneven blocks still balance."""
    return 4 * numba.get_num_threads()
