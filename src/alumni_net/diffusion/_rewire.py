"""Degree-preserving edge swaps (netdiffuseR's ``rewire_graph(algorithm="swap")``), seeded.

Random choices are drawn from a numpy Generator up front and the swaps run in a numba kernel, so
a seed gives the same rewired graph on every machine.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from numba import njit

__all__ = ["rewire_swap"]


@njit(cache=True)
def _slot(keys, key):
    # Open addressing, linear probing; keys are never removed (presence lives in a separate flag),
    # so probing always ends at the key or an empty slot (-1). numba's own set can stall after
    # many deletions, hence this small table.
    mask = len(keys) - 1
    h = (key * 0x9E3779B97F4A7C15) & mask
    while keys[h] != -1 and keys[h] != key:
        h = (h + 1) & mask
    return h


@njit(cache=True)
def _has(keys, flags, key):
    h = _slot(keys, key)
    return keys[h] == key and flags[h]


@njit(cache=True)
def _set(keys, flags, key, value):
    h = _slot(keys, key)
    keys[h] = key
    flags[h] = value


@njit(cache=True)
def _swap(a, b, n, picks_a, picks_b, coins, undirected, table_size):
    # Swap ties (a_i, b_i), (a_j, b_j) into (a_i, b_j), (a_j, b_i) unless that makes a self-loop
    # or repeats a tie: row sums (out-degrees) and column sums (in-degrees) are unchanged. For
    # undirected ties a coin first flips the second tie, so both pairings are proposed.
    keys = np.full(table_size, -1, dtype=np.int64)
    flags = np.zeros(table_size, dtype=np.bool_)
    for e in range(len(a)):
        lo, hi = (min(a[e], b[e]), max(a[e], b[e])) if undirected else (a[e], b[e])
        _set(keys, flags, lo * n + hi, True)
    for k in range(len(picks_a)):
        i, j = picks_a[k], picks_b[k]
        if i == j:
            continue
        p, q = a[i], b[i]
        if undirected and coins[k]:
            r, s = b[j], a[j]
        else:
            r, s = a[j], b[j]
        if p == s or r == q:
            continue
        if undirected:
            new1 = min(p, s) * n + max(p, s)
            new2 = min(r, q) * n + max(r, q)
            old1 = min(p, q) * n + max(p, q)
            old2 = min(r, s) * n + max(r, s)
        else:
            new1, new2, old1, old2 = p * n + s, r * n + q, p * n + q, r * n + s
        if new1 == new2 or _has(keys, flags, new1) or _has(keys, flags, new2):
            continue
        _set(keys, flags, old1, False)
        _set(keys, flags, old2, False)
        _set(keys, flags, new1, True)
        _set(keys, flags, new2, True)
        a[i], b[i] = p, s
        a[j], b[j] = r, q
    return a, b


def rewire_swap(
    matrix: sp.spmatrix, rng: np.random.Generator, swaps_per_tie: float = 20.0
) -> sp.csr_matrix:
    """A rewired copy of a 0/1 matrix with the same row and column sums (degrees).

    A symmetric matrix (undirected ties) stays symmetric. ``swaps_per_tie`` swap attempts per tie
    (netdiffuseR's ``n_rewires`` default for a static graph is 20).

    Examples
    --------
    >>> m = sp.csr_matrix(np.array([[0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1], [1, 0, 0, 0]]))
    >>> r = rewire_swap(m, np.random.default_rng(1))
    >>> np.asarray(r.sum(axis=1)).ravel().tolist(), np.asarray(r.sum(axis=0)).ravel().tolist()
    ([1, 1, 1, 1], [1, 1, 1, 1])
    """
    m = sp.csr_matrix(matrix)
    n = m.shape[0]
    symmetric = (m != m.T).nnz == 0
    coo = sp.triu(m, k=1).tocoo() if symmetric else m.tocoo()
    a = coo.row.astype(np.int64)
    b = coo.col.astype(np.int64)
    ties = len(a)
    if ties < 2:
        return m.copy()
    attempts = int(round(swaps_per_tie * ties))
    picks_a = rng.integers(0, ties, attempts)
    picks_b = rng.integers(0, ties, attempts)
    coins = rng.integers(0, 2, attempts).astype(np.bool_)
    # Each accepted swap adds at most two new keys: size the table for all of them, half full.
    size = 1 << int(np.ceil(np.log2(2 * (ties + 2 * attempts) + 2)))
    a, b = _swap(a.copy(), b.copy(), np.int64(n), picks_a, picks_b, coins, symmetric, size)
    rows, cols = (np.concatenate([a, b]), np.concatenate([b, a])) if symmetric else (a, b)
    out = sp.csr_matrix((np.ones(len(rows), dtype=np.int8), (rows, cols)), shape=(n, n))
    out.sort_indices()
    return out
