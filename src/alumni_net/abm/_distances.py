"""Distance from the nearest practising alum (numba).

An adopter's distance is read at the start of the month they adopt, along the ties that
exist then: 0 for alumni, 1, 2, 3, 4 (4 or more) or -1 (no practising alum can reach them).
Instead of a search from the alumni every month:

- ``near1[j]`` counts existing arcs into ``j`` from practising alumni, kept up to date when an
  alum starts or stops practising (their out-arcs) and when ties appear: distance 1 is
  ``near1 > 0``, in constant time;
- distances 2 and 3 one of two ways, chosen by the engine per run (``fast.COUNTS_BELOW``):

  - *counts*, when alumni are few (the national workforce: 0.1% of people): ``near2[k]``
    counts existing arcs into ``k`` from people with ``near1 > 0``, kept up to date the same
    way (when someone's ``near1`` becomes or stops being positive, along their out-arcs; when
    a tie appears). Distance 2 is ``near2 > 0``, in constant time, and distance 3 an
    in-neighbour within 2, a look at each of the adopter's in-arcs. The upkeep costs an alum's
    out-arcs' out-arcs each time an alum starts or stops practising;
  - *look-ups*, when alumni are many (3,000 in 100,000, where the upkeep costs more than it
    saves): distance 2 is an in-neighbour with ``near1 > 0``, distance 3 an in-neighbour at
    distance 2, looked up from the adopter backwards; whether a person is within 2 is
    remembered for the rest of the month (``seen``, ``within``), so a month costs at most one
    look at each arc;
- beyond 3, on symmetric networks (every tie carries influence both ways) a person is
  reachable when their connected component holds a practising alum: components of the ties
  existing at month 0, merged by union-find as ties appear, each with its number of practising
  alumni. On directed networks a search from the practising alumni settles the rest.

``D`` is ``(near1, near2, seen, within, comp, parent, comp_alum, bits)``; ``near2`` (counts)
or ``seen`` and ``within`` (month stamps and memo of the look-ups) are empty, whichever way is
not used. With counts, ``bits`` mirrors the counts as two bitmaps (row 0: ``near1 > 0``; row 1:
``near1 > 0`` or ``near2 > 0``, i.e. within 2), a bit per person: at national size (3 million
people) they take 0.4 MB each and stay in cache, where a count array takes 12 MB, so
classifying an adopter reads the bitmaps (an adopter at distance 3 or more looks at every
in-neighbour, 20 on average, and would otherwise miss the cache on each); empty with look-ups.
The two counts are separate 32-bit arrays, not one 64-bit word: the upkeep's scattered
increments of ``near2`` (an alum's out-arcs' out-arcs, about 1,300 at national size, each time
an alum starts or stops practising, 13,000 times in ten years) then land in 12 MB instead of
24 MB, more of which a last-level cache holds (on the benchmark machine's 32 MB, applying a
national run's changes with the programme, upkeep and tallies, took 0.9 s instead of 1.2 s).
``G``, ``A`` as in ``_events``.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from alumni_net.abm._jit import inline_kernel, kernel
from alumni_net.abm._prefetch import prefetch
from alumni_net.abm._walks import arc_weight
from alumni_net.abm.rules import PRACTISING

NONE, SYMMETRIC, SEARCH = 0, 1, 2  # how distances are found (ipar[I_DIST])
_AHEAD = 4  # adopters ahead whose rows are prefetched (they come in increasing order)


@inline_kernel
def _find(parent, c):
    while parent[c] != c:
        parent[c] = parent[parent[c]]
        c = parent[c]
    return c


@inline_kernel
def _near2_add(x, step, D):
    """``near2[x] += step`` and the within-2 bit of ``x`` (row 1) kept in step (with counts)."""
    near2, bits = D[1], D[7]
    near2[x] += step
    word, mask = x >> 6, np.uint64(1) << np.uint64(x & 63)
    if near2[x] != 0 or bits[0, word] & mask:  # row 0: near1 > 0, read from the cache
        bits[1, word] |= mask
    else:
        bits[1, word] &= ~mask


@inline_kernel
def _bit(bits, row, x):
    return (bits[row, x >> 6] >> np.uint64(x & 63)) & np.uint64(1)


@inline_kernel
def _near1_add(v, d, ta, G, A, D):
    """``near1[v] += d`` (ties as in month ``ta``); when ``v`` starts or stops being next to a
    practising alum, the people ``v``'s existing arcs lead to gain or lose one way in from
    within 1."""
    near1, near2, bits = D[0], D[1], D[7]
    old = near1[v]
    near1[v] = old + d
    if D[2].shape[0] != 0 or (old == 0) == (old + d == 0):
        return  # look-ups (near1 only), or no change of "near1 > 0": the bits stand
    word, mask = v >> 6, np.uint64(1) << np.uint64(v & 63)
    if old == 0:
        bits[0, word] |= mask
        bits[1, word] |= mask
    else:
        bits[0, word] &= ~mask
        if near2[v] == 0:
            bits[1, word] &= ~mask
    step = 1 if old == 0 else -1
    indptr, indices = G[0], G[1]
    for f in range(indptr[v], indptr[v + 1]):
        w, _ = arc_weight(f, ta, v, A)
        if w >= 0.0:
            _near2_add(indices[f], step, D)


@inline_kernel
def alum_change(i, d, ta, mode, G, A, D):
    """Alum ``i`` starts (d = 1) or stops (d = -1) practising; ties as in month ``ta``."""
    indptr, indices = G[0], G[1]
    for e in range(indptr[i], indptr[i + 1]):
        w, _ = arc_weight(e, ta, i, A)
        if w >= 0.0:
            _near1_add(indices[e], d, ta, G, A, D)
    if mode == SYMMETRIC:
        comp, parent, comp_alum = D[4], D[5], D[6]
        comp_alum[_find(parent, comp[i])] += d


@kernel
def ties_appear(t, mode, state, is_alum, G, A, D):
    """The arcs that come into existence in month ``t``."""
    indices, src = G[1], G[5]
    act_ptr, act_arc = A[6], A[7]
    near1 = D[0]
    # First what the new arcs carry from people already within 1; then who becomes within 1
    # through them (whose out-arcs, new ones included, are then counted once, there).
    counts = D[2].shape[0] == 0
    for q in range(act_ptr[t], act_ptr[t + 1]):
        e = act_arc[q]
        if counts and near1[src[e]]:
            _near2_add(indices[e], 1, D)
    for q in range(act_ptr[t], act_ptr[t + 1]):
        e = act_arc[q]
        u, v = src[e], indices[e]
        if is_alum[u] and state[u] == PRACTISING:
            _near1_add(v, 1, t, G, A, D)
        if mode == SYMMETRIC:
            comp, parent, comp_alum = D[4], D[5], D[6]
            a, b = _find(parent, comp[u]), _find(parent, comp[v])
            if a != b:
                parent[b] = a
                comp_alum[a] += comp_alum[b]


@inline_kernel
def _has_near_in(k, t, G, A, D):
    """Whether an existing arc into ``k`` comes from someone with ``near1 > 0``."""
    rev_indptr, rev_src, since = G[2], G[4], A[10]
    near1 = D[0]
    for r in range(rev_indptr[k], rev_indptr[k + 1]):
        v = rev_src[r]
        if near1[v] and since[r] <= t:
            return True
    return False


@inline_kernel
def _within_two(m, t, G, A, D):
    """Whether ``m`` is within distance 2: from the counts, or looked up (and remembered for
    month ``t``)."""
    near1, near2, seen, val = D[0], D[1], D[2], D[3]
    if seen.shape[0] == 0:
        return near1[m] != 0 or near2[m] != 0
    if near1[m]:
        return True
    if seen[m] != t + 1:
        seen[m] = t + 1
        val[m] = _has_near_in(m, t, G, A, D)
    return val[m]


@kernel
def distances(adopters, t, mode, state, is_alum, G, A, D, out):
    """Write each adopter's distance (see the module docstring) to ``out``; those that need a
    search (directed networks) are left at -2 and counted."""
    rev_indptr, rev_src, since = G[2], G[4], A[10]
    near1, bits = D[0], D[7]
    counts = D[2].shape[0] == 0
    pending = 0
    m = adopters.shape[0]
    for q in range(m):
        # two steps ahead, as in _events._start_spells: the row bounds of the adopter
        # 2 x _AHEAD on, then the in-arcs of the one _AHEAD on (its bounds have arrived)
        if counts and q + 2 * _AHEAD < m:
            ahead = adopters[q + 2 * _AHEAD]
            prefetch(rev_indptr, ahead)
            prefetch(is_alum, ahead)
        if counts and q + _AHEAD < m:
            first = rev_indptr[adopters[q + _AHEAD]]
            prefetch(rev_src, first)
            prefetch(since, first)
        k = adopters[q]
        if is_alum[k]:
            out[q] = 0
        elif mode == NONE:
            out[q] = -1
        elif (_bit(bits, 0, k) if counts else near1[k]):
            out[q] = 1
        elif (_bit(bits, 1, k) if counts else _within_two(k, t, G, A, D)):
            out[q] = 2
        else:
            out[q] = -2
            for r in range(rev_indptr[k], rev_indptr[k + 1]):
                v = rev_src[r]
                if (_bit(bits, 1, v) if counts else _within_two(v, t, G, A, D)) and since[r] <= t:
                    out[q] = 3
                    break
            if out[q] == -2:
                if mode == SYMMETRIC:
                    comp, parent, comp_alum = D[4], D[5], D[6]
                    out[q] = 4 if comp_alum[_find(parent, comp[k])] > 0 else -1
                else:
                    pending += 1
    return pending


@njit
def search(adopters, out, t, state, is_alum, G, A):
    """Breadth-first search from the practising alumni along the arcs of month ``t``: 4 (4+)
    for the adopters still marked -2 that it reaches, else -1; stops once all are reached."""
    indptr, indices = G[0], G[1]
    n = is_alum.shape[0]
    wanted = np.zeros(n, dtype=np.bool_)
    left = 0
    for q in range(adopters.shape[0]):
        if out[q] == -2 and not wanted[adopters[q]]:
            wanted[adopters[q]] = True
            left += 1
    seen = np.zeros(n, dtype=np.bool_)
    queue = np.empty(n, dtype=np.int64)
    head, tail = 0, 0
    for i in range(n):
        if is_alum[i] and state[i] == PRACTISING:
            seen[i] = True
            queue[tail] = i
            tail += 1
    while head < tail and left > 0:
        i = queue[head]
        head += 1
        for e in range(indptr[i], indptr[i + 1]):
            j = indices[e]
            if seen[j]:
                continue
            w, _ = arc_weight(e, t, i, A)
            if w >= 0.0:
                seen[j] = True
                queue[tail] = j
                tail += 1
                if wanted[j]:
                    left -= 1
    for q in range(adopters.shape[0]):
        if out[q] == -2:
            out[q] = 4 if seen[adopters[q]] else -1
