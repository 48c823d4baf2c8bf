"""Numba kernels for bit-parallel multi-source breadth-first search.

Each vertex carries ``W`` 64-bit words; bit ``b`` of word ``w`` stands for source *group*
``64 * w + b`` (a group is one person for individual reach, or a set of people such as a cohort
for union reach). One step advances every group by one hop at once, so ``64 * W`` breadth-first
searches share the expansion of every vertex they have in common (multi-source BFS, Then et al.
2014, "The more the merrier", PVLDB 8(4)). Per-group counts are kept in bit-sliced counters (a
carry-save adder per bit position), so counting costs about two word operations per vertex.

:func:`push_level_counts` (reach) pushes from frontier lists; :func:`target_distance_sums`
(sampled closeness) pulls: ``indices[indptr[v]:indptr[v + 1]]`` are the vertices from which a
search steps onto ``v``.

References
----------
Then, M., Kaufmann, M., Chirigati, F., Hoang-Vu, T.-A., Pham, K., Kemper, A., Neumann, T., &
Vo, H. T. (2014). The more the merrier: efficient multi-source graph traversal. Proceedings of
the VLDB Endowment 8(4), 449-460. https://doi.org/10.14778/2735496.2735507

Beamer, S., Asanovic, K., & Patterson, D. (2012). Direction-optimizing breadth-first search.
Proceedings of the International Conference for High Performance Computing, Networking,
Storage and Analysis (SC '12), Article 12, 1-10. https://doi.org/10.1109/SC.2012.50
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
def _chunk_bounds(n, n_chunks):
    bounds = np.empty(n_chunks + 1, dtype=np.int64)
    for c in range(n_chunks + 1):
        bounds[c] = (n * c) // n_chunks
    return bounds


@njit(cache=True, parallel=True)
def target_distance_sums(indptr, indices, init, max_dist, n_chunks, visited, frontier, new):
    """Per vertex, over the groups (sources) in ``init``: how many reach it, sum of d, sum of 1/d.

    Distance 0 (the vertex's own group) is left out of all three sums. Used for sampled
    closeness and harmonic centrality. ``visited`` and ``frontier`` are copies of ``init``,
    ``new`` zeros of its shape (allocated by numpy: huge pages, see ``metrics._graphs._fill_rows``).
    """
    n, n_words = init.shape
    n_chunks = max(1, min(n, n_chunks))
    bounds = _chunk_bounds(n, n_chunks)
    levels = max_dist + 1 if max_dist >= 0 else n + 1
    reached = np.zeros(n, dtype=np.int64)
    dist_sum = np.zeros(n, dtype=np.float64)
    inv_sum = np.zeros(n, dtype=np.float64)
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


@njit(cache=True, parallel=True)
def push_level_counts(indptr, indices, group_ptr, members, max_dist, counted, n_lanes, block_words,
                      pull_indptr, pull_indices, inner_pull=0.05):
    """Per group, the number of counted vertices first reached at each distance 0 .. ``max_dist``.

    ``indptr``/``indices`` is the *push* CSR (row u lists the vertices a search steps onto from
    u). Work per block is the summed degree of the vertices its searches reach before the last
    hop, so sparse neighbourhoods (large graphs, few hops) cost what they need, and hubs shared by
    many searches are expanded once per block rather than once per search. Each lane (thread)
    takes blocks in turn and reuses its scratch arrays, clearing only what it touched.

    ``group_ptr``/``members``: group g is ``members[group_ptr[g]:group_ptr[g + 1]]``; ``counted``
    (bool per vertex) says which vertices count; ``block_words`` words travel together.
    ``pull_indptr``/``pull_indices`` (the reversed rows; the same arrays when undirected) serve
    a last hop that would push along a large share of the arcs: every counted vertex then ORs
    its in-neighbours' frontier words instead (sequential writes, no next frontier to build).
    An inner hop pulls too when pushing would walk more than ``inner_pull`` of the arcs (the
    direction-optimising switch of Beamer, Asanovic & Patterson 2012, SC '12).
    Returns int64 counts of shape (64 * words, max_dist + 1); row g is group g.
    """
    n = indptr.shape[0] - 1
    n_groups = group_ptr.shape[0] - 1
    n_words = (n_groups + 63) // 64
    bw = max(1, min(block_words, n_words))
    n_blocks = (n_words + bw - 1) // bw
    counts = np.zeros((64 * n_words, max_dist + 1), dtype=np.int64)
    lanes = max(1, min(n_lanes, n_blocks))
    for lane in prange(lanes):
        visited = np.zeros((n, bw), dtype=np.uint64)
        frontier = np.zeros((n, bw), dtype=np.uint64)
        nxt = np.zeros((n, bw), dtype=np.uint64)
        queued = np.zeros(n, dtype=np.bool_)
        seen = np.zeros(n, dtype=np.bool_)
        queue = np.empty(n, dtype=np.int64)
        next_queue = np.empty(n, dtype=np.int64)
        touched = np.empty(n, dtype=np.int64)
        planes = np.zeros((1, bw, _PLANES), dtype=np.uint64)
        nz = np.empty(bw, dtype=np.int64)
        acc = np.empty(bw, dtype=np.uint64)
        for block in range(lane, n_blocks, lanes):
            first_word = block * bw
            n_touched = 0
            q = 0
            for g in range(64 * first_word, min(64 * (first_word + bw), n_groups)):
                local = g - 64 * first_word
                bit = _ONE << np.uint64(local % 64)
                for i in range(group_ptr[g], group_ptr[g + 1]):
                    v = members[i]
                    if not seen[v]:
                        seen[v] = True
                        queue[q] = v
                        q += 1
                        touched[n_touched] = v
                        n_touched += 1
                    visited[v, local // 64] |= bit
            for i in range(q):
                v = queue[i]
                for w in range(bw):
                    frontier[v, w] = visited[v, w]
                    if counted[v]:
                        _add_sliced(planes[0, w], visited[v, w])
            _drain_block(planes, first_word, 0, counts)
            for level in range(1, max_dist + 1):
                if level == max_dist and _pull_pays(indptr, queue, q):
                    _last_hop_pull(pull_indptr, pull_indices, queue, q, frontier, queued,
                                   visited, counted, planes, acc)
                    _drain_block(planes, first_word, level, counts)
                    break
                if level < max_dist and _pull_pays(indptr, queue, q, inner_pull):
                    nq, n_touched = _pull_hop(pull_indptr, pull_indices, queue, q, frontier,
                                              nxt, queued, visited, seen, touched, n_touched,
                                              next_queue, counted, planes, acc)
                    _drain_block(planes, first_word, level, counts)
                    queue, next_queue = next_queue, queue
                    q = nq
                    if q == 0:
                        break
                    continue
                nq = 0
                for i in range(q):
                    u = queue[i]
                    # Only the words in which u is on the frontier matter; most are empty
                    # except around hubs, where the dense (vectorised) loop is cheaper.
                    n_nz = 0
                    for w in range(bw):
                        if frontier[u, w] != _ZERO:
                            nz[n_nz] = w
                            n_nz += 1
                    dense = 4 * n_nz > bw
                    for e in range(indptr[u], indptr[u + 1]):
                        v = indices[e]
                        hit = _ZERO
                        if dense:
                            for w in range(bw):
                                x = frontier[u, w] & ~visited[v, w]
                                nxt[v, w] |= x
                                hit |= x
                        else:
                            for j in range(n_nz):
                                w = nz[j]
                                x = frontier[u, w] & ~visited[v, w]
                                nxt[v, w] |= x
                                hit |= x
                        if hit != _ZERO and not queued[v]:
                            queued[v] = True
                            next_queue[nq] = v
                            nq += 1
                for i in range(q):
                    for w in range(bw):
                        frontier[queue[i], w] = _ZERO
                for i in range(nq):
                    v = next_queue[i]
                    queued[v] = False
                    if not seen[v]:
                        seen[v] = True
                        touched[n_touched] = v
                        n_touched += 1
                    for w in range(bw):
                        x = nxt[v, w]
                        nxt[v, w] = _ZERO
                        visited[v, w] |= x
                        frontier[v, w] = x
                        if counted[v]:
                            _add_sliced(planes[0, w], x)
                _drain_block(planes, first_word, level, counts)
                queue, next_queue = next_queue, queue
                q = nq
                if q == 0:
                    break
            for i in range(q):
                for w in range(bw):
                    frontier[queue[i], w] = _ZERO
            for i in range(n_touched):
                v = touched[i]
                seen[v] = False
                for w in range(bw):
                    visited[v, w] = _ZERO
    return counts


@njit(cache=True)
def _pull_pays(indptr, queue, q, share=0.25):
    """Whether pushing from ``queue[:q]`` would walk more than ``share`` of all arcs."""
    work = 0
    for i in range(q):
        u = queue[i]
        work += indptr[u + 1] - indptr[u]
    return work > share * indptr[indptr.shape[0] - 1]


@njit(cache=True)
def _pull_hop(pull_indptr, pull_indices, queue, q, frontier, nxt, on_frontier, visited, seen,
              touched, n_touched, next_queue, counted, planes, acc):
    """One inner hop by pulling: every vertex ORs its in-neighbours' frontier words; the bits
    new to it become its frontier for the next hop. A push writes each reached vertex's words at
    random; this reads each arc's on-frontier flag (a byte a vertex, mostly in cache) and writes
    rows in order. Returns the next queue's length and the number of touched vertices;
    ``frontier`` rows of ``queue`` are cleared, ``nxt`` left all zero and ``on_frontier`` all
    False, as the push path leaves them."""
    n, bw = visited.shape
    for i in range(q):
        on_frontier[queue[i]] = True
    nq = 0
    for v in range(n):
        reached = False
        for r in range(pull_indptr[v], pull_indptr[v + 1]):
            u = pull_indices[r]
            if on_frontier[u]:
                if not reached:
                    reached = True
                    for w in range(bw):
                        acc[w] = frontier[u, w]
                else:
                    for w in range(bw):
                        acc[w] |= frontier[u, w]
        if not reached:
            continue
        hit = _ZERO
        for w in range(bw):
            x = acc[w] & ~visited[v, w]
            nxt[v, w] = x
            hit |= x
        if hit != _ZERO:
            next_queue[nq] = v
            nq += 1
    for i in range(q):
        u = queue[i]
        on_frontier[u] = False
        for w in range(bw):
            frontier[u, w] = _ZERO
    for i in range(nq):
        v = next_queue[i]
        if not seen[v]:
            seen[v] = True
            touched[n_touched] = v
            n_touched += 1
        for w in range(bw):
            x = nxt[v, w]
            nxt[v, w] = _ZERO
            visited[v, w] |= x
            frontier[v, w] = x
            if counted[v]:
                _add_sliced(planes[0, w], x)
    return nq, n_touched


@njit(cache=True)
def _last_hop_pull(pull_indptr, pull_indices, queue, q, frontier, on_frontier, visited, counted,
                   planes, acc):
    """Count, per group, the counted vertices first reached from the frontier ``queue[:q]``.

    Nothing is written but the counters: the last hop needs no next frontier. ``on_frontier``
    (all False on entry and exit) lets in-neighbours off the frontier be skipped unread.
    """
    n, bw = visited.shape
    for i in range(q):
        on_frontier[queue[i]] = True
    for v in range(n):
        if not counted[v]:
            continue
        reached = False
        for r in range(pull_indptr[v], pull_indptr[v + 1]):
            u = pull_indices[r]
            if on_frontier[u]:
                if not reached:
                    reached = True
                    for w in range(bw):
                        acc[w] = frontier[u, w]
                else:
                    for w in range(bw):
                        acc[w] |= frontier[u, w]
        if reached:
            for w in range(bw):
                _add_sliced(planes[0, w], acc[w] & ~visited[v, w])
    for i in range(q):
        on_frontier[queue[i]] = False


@njit(cache=True)
def _drain_block(planes, first_word, level, counts):
    """Move a block's bit-sliced counters into ``counts[64 * (first_word + w) + b, level]``."""
    for w in range(planes.shape[1]):
        row0 = 64 * (first_word + w)
        for k in range(planes.shape[2]):
            p = planes[0, w, k]
            if p == _ZERO:
                continue
            for b in range(64):
                if (p >> np.uint64(b)) & _ONE and row0 + b < counts.shape[0]:
                    counts[row0 + b, level] += np.int64(1) << k
            planes[0, w, k] = _ZERO


def group_bits(n: int, groups: list[np.ndarray], n_words: int) -> np.ndarray:
    """Bit matrix (n, n_words): bit g set on every vertex of group g."""
    init = np.zeros((n, n_words), dtype=np.uint64)
    if not groups:
        return init
    rows = np.concatenate(groups).astype(np.int64)
    gid = np.repeat(np.arange(len(groups)), [len(g) for g in groups])
    bits = np.left_shift(np.uint64(1), (gid % 64).astype(np.uint64))
    np.bitwise_or.at(init, (rows, gid // 64), bits)
    return init
