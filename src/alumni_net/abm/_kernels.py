"""Numba kernels of the fast engine.

Every random decision is a keyed hash of (replicate key, purpose, person or arc, month) turned
into a uniform number (splitmix64 mixing). Results therefore do not depend on the order in which
people are processed, and two runs with the same seed share every draw they have in common:
the with- and without-programme runs see the same coin for the same arc in the same month
(common random numbers).
"""

from __future__ import annotations

import numpy as np
from numba import njit

UNAWARE, PRACTISING, LAPSED = 0, 1, 2
NO_ADOPTION = -1
VIA = ("seed", "course", "reengaged", "spread", "background")
SEED, COURSE, REENGAGED, SPREAD, BACKGROUND = range(5)

# purposes (streams) of random draws
S_COURSE, S_LAPSE, S_SPREAD, S_BACKGROUND, S_READOPT, S_REENGAGE, S_THRESHOLD = range(1, 8)

_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_S30 = np.uint64(30)
_S27 = np.uint64(27)
_S31 = np.uint64(31)
_S11 = np.uint64(11)
_S12 = np.uint64(12)
_S16 = np.uint64(16)
_TO_UNIT = 1.0 / 9007199254740992.0


@njit(inline="always")
def _mix(z):
    z = (z ^ (z >> _S30)) * _M1
    z = (z ^ (z >> _S27)) * _M2
    return z ^ (z >> _S31)


@njit(inline="always")
def uniform(key, stream, item, month):
    """A uniform number in [0, 1) fixed by (key, stream, item, month): the SplitMix64 output
    at position (item, stream, month) of the stream seeded by ``key`` (month < 2**12,
    stream < 2**4)."""
    counter = (np.uint64(item) << _S16) | (np.uint64(stream) << _S12) | np.uint64(month & 4095)
    return float(np.int64(_mix(key + counter * _GOLDEN) >> _S11)) * _TO_UNIT


@njit(cache=True)
def uniforms(key, stream, n, month):
    """``uniform`` for items 0..n-1 (used for per-person thresholds)."""
    out = np.empty(n)
    for i in range(n):
        out[i] = uniform(key, stream, i, month)
    return out


@njit(cache=True)
def activate(entry_arc, entry_w, lo, hi, arc_w, arc_on, in_w, rev_pos, indices, indeg):
    """Switch on entries lo..hi-1: an arc's weight is the largest of its active entries.
    ``in_w`` mirrors ``arc_w`` in in-arc order, -1 for arcs not (yet) there."""
    for q in range(lo, hi):
        a = entry_arc[q]
        if not arc_on[a]:
            arc_on[a] = True
            indeg[indices[a]] += 1
        if entry_w[q] > arc_w[a]:
            arc_w[a] = entry_w[q]
        in_w[rev_pos[a]] = arc_w[a]


@njit(inline="always")
def susceptible(key, month, state, j, readoption):
    """Unaware people can adopt; lapsed people only after passing this month's readoption coin."""
    s = state[j]
    if s == UNAWARE:
        return True
    if s != LAPSED or readoption <= 0.0:
        return False
    return readoption >= 1.0 or uniform(key, S_READOPT, j, month) < readoption


@njit(inline="always")
def _passes(cnt, j, thr, fraction, indeg):
    """Complex contagion gate: enough practising contacts (count or share of contacts)."""
    if fraction:
        return indeg[j] > 0 and cnt >= thr[j] * indeg[j]
    return cnt >= thr[j]


@njit(cache=True)
def spread(key, month, practising, state, readoption, indptr, indices, arc_w, arc_on, w_const,
           sender, group_mult, use_threshold, thr, fraction, indeg, via, newly):
    """Push from the practising: practising ``i`` passes the practice along each active out-arc
    ``e`` with probability ``sender[i]`` (beta x alum boost) x arc weight x the receiver's
    group multiplier; one keyed coin per arc and month. An empty ``group_mult`` means 1.
    ``w_const >= 0`` says every arc is active with that weight (the arrays are not read).
    Returns how many people adopt; their indices are written to ``newly``."""
    n = state.shape[0]
    grouped = group_mult.shape[0] > 0
    gmax = group_mult.max() if grouped else 1.0
    cnt = _practising_contacts(practising, indptr, indices, arc_on, n) if use_threshold \
        else np.zeros(0, dtype=np.int32)
    m = 0
    for i in practising:
        f = sender[i] * gmax
        for e in range(indptr[i], indptr[i + 1]):
            if w_const >= 0.0:
                w = w_const
            elif arc_on[e]:
                w = arc_w[e]
            else:
                continue
            u = uniform(key, S_SPREAD, e, month)
            if u >= f * w:
                continue  # the coin first: most arcs fail it without a look at the receiver
            m = _receive(key, month, i, indices[e], u, w, state, readoption, sender, group_mult,
                         use_threshold, cnt, thr, fraction, indeg, via, newly, m)
    return m


@njit(inline="always")
def _receive(key, month, i, j, u, w, state, readoption, sender, group_mult, use_threshold, cnt,
             thr, fraction, indeg, via, newly, m):
    """Arc i -> j passed the coin bound ``u``: does j adopt? Returns the new count of ``newly``."""
    s = state[j]
    if via[j] == SPREAD or s == PRACTISING or (s == LAPSED and readoption <= 0.0):
        return m
    if use_threshold and not _passes(cnt[j], j, thr, fraction, indeg):
        return m
    if group_mult.shape[0] > 0 and u >= sender[i] * w * group_mult[j]:
        return m
    if s == UNAWARE or susceptible(key, month, state, j, readoption):
        via[j] = SPREAD
        newly[m] = j
        m += 1
    return m


@njit
def _practising_contacts(practising, indptr, indices, arc_on, n):
    cnt = np.zeros(n, dtype=np.int32)
    for i in practising:
        for e in range(indptr[i], indptr[i + 1]):
            if arc_on[e]:
                cnt[indices[e]] += 1
    return cnt


@njit(cache=True)
def spread_pull(key, month, candidates, state, readoption, rev_indptr, rev_arc, rev_src, in_w,
                sender, sender_max, group_mult, use_threshold, thr, fraction, indeg, via, newly):
    """The same rule and the same coins as ``spread``, seen from the receivers (each looks at
    its active in-arcs); the engine picks the direction with fewer arcs to visit.
    ``sender_max`` bounds ``sender``. Returns the count written to ``newly``, as ``spread``."""
    lapsed_can = readoption > 0.0
    grouped = group_mult.shape[0] > 0
    m = 0
    for j in candidates:
        s = state[j]
        if s == PRACTISING or (s == LAPSED and not lapsed_can):
            continue
        if s == LAPSED and not susceptible(key, month, state, j, readoption):
            continue  # the readoption coin first: it may spare a whole in-arc loop
        if use_threshold:
            cnt = 0
            for r in range(rev_indptr[j], rev_indptr[j + 1]):
                if in_w[r] >= 0.0 and sender[rev_src[r]] >= 0.0:
                    cnt += 1
            if not _passes(cnt, j, thr, fraction, indeg):
                continue
        g = group_mult[j] if grouped else 1.0
        gmax = g * sender_max
        for r in range(rev_indptr[j], rev_indptr[j + 1]):
            w = in_w[r]
            if w < 0.0:
                continue
            u = uniform(key, S_SPREAD, rev_arc[r], month)
            if u >= gmax * w:
                continue  # the coin first: most arcs fail it without a look at the sender
            f = sender[rev_src[r]]
            if f >= 0.0 and u < f * w * g:
                via[j] = SPREAD
                newly[m] = j
                m += 1
                break
    return m


@njit(cache=True)
def background(key, month, state, readoption, alpha, via):
    """Spontaneous adoption, for people not already adopting through spread.

    Each person is hit with probability ``alpha`` a month; the hits are found by skipping
    geometric gaps along the people (one draw per hit, not per person), from draws keyed by
    (key, month) so that both arms of a replicate see the same hits."""
    n = state.shape[0]
    if alpha <= 0.0:
        return
    log_miss = np.log1p(-alpha) if alpha < 1.0 else -np.inf
    j, q = -1, 0
    while True:
        u = uniform(key, S_BACKGROUND, q, month)
        q += 1
        gap = 0.0 if alpha >= 1.0 else np.floor(np.log1p(-u) / log_miss)
        if j + 1 + gap >= n:
            return
        j += 1 + int(gap)
        if via[j] == NO_ADOPTION and susceptible(key, month, state, j, readoption):
            via[j] = BACKGROUND


@njit(cache=True)
def course_and_reengage(key, month, state, graduates, p_course, invited, p_reengage, via):
    """Top-up re-engagement of lapsed invited alumni (``p_reengage[q]`` for ``invited[q]``),
    then the course effect (which wins)."""
    for q in range(invited.shape[0]):
        i = invited[q]
        if state[i] == LAPSED and uniform(key, S_REENGAGE, i, month) < p_reengage[q]:
            via[i] = REENGAGED
    for i in graduates:
        if state[i] != PRACTISING and uniform(key, S_COURSE, i, 0) < p_course:
            via[i] = COURSE


@njit(cache=True)
def lapses(key, month, practising, decay_eff, group_mult):
    """Which practising people lapse this month: probability ``decay_eff[i]`` divided by the
    group multiplier (an empty ``group_mult`` means 1)."""
    grouped = group_mult.shape[0] > 0
    out = np.zeros(practising.shape[0], dtype=np.bool_)
    for q in range(practising.shape[0]):
        i = practising[q]
        d = decay_eff[i] / group_mult[i] if grouped else decay_eff[i]
        out[q] = uniform(key, S_LAPSE, i, month) < d
    return out


@njit(cache=True)
def distances(adopters, is_alum, prac_alum, indptr, indices, arc_on, rev_indptr, rev_src, in_w):
    """Network distance (along active arcs) from the nearest practising alum to each adopter:
    0 for alumni, 1, 2, 3, 4 for 4 or more, -1 when no practising alum can reach them."""
    n = is_alum.shape[0]
    out = np.full(adopters.shape[0], -1, dtype=np.int8)
    if prac_alum.shape[0] == 0:
        for q in range(adopters.shape[0]):
            if is_alum[adopters[q]]:
                out[q] = 0
        return out
    near = np.zeros(n, dtype=np.bool_)  # one active arc away from a practising alum
    near_list = np.empty(n, dtype=np.int64)
    n_near = 0
    for i in prac_alum:
        for e in range(indptr[i], indptr[i + 1]):
            j = indices[e]
            if arc_on[e] and not near[j]:
                near[j] = True
                near_list[n_near] = j
                n_near += 1
    pending = 0
    for q in range(adopters.shape[0]):
        u = adopters[q]
        if is_alum[u]:
            out[q] = 0
        elif near[u]:
            out[q] = 1
        elif _in_reaches(u, near, 1, rev_indptr, rev_src, in_w):
            out[q] = 2
        elif _in_reaches(u, near, 2, rev_indptr, rev_src, in_w):
            out[q] = 3
        else:
            pending += 1
            out[q] = -2
    if pending > 8:
        pending = _exactly_four(adopters, out, near, near_list[:n_near], indptr, indices,
                                arc_on, rev_indptr, rev_src, in_w, pending)
    if 0 < pending <= 8:
        _far_backward(adopters, out, prac_alum, rev_indptr, rev_src, in_w, n)
    elif pending:
        _far(adopters, out, prac_alum, indptr, indices, arc_on, n)
    return out


@njit
def _in_reaches(u, near, depth, rev_indptr, rev_src, in_w):
    """Whether some person 1 (depth=1) or 2 (depth=2) active in-arcs before ``u`` is ``near``."""
    for r in range(rev_indptr[u], rev_indptr[u + 1]):
        if in_w[r] < 0.0:
            continue
        v = rev_src[r]
        if depth == 1:
            if near[v]:
                return True
            continue
        for r2 in range(rev_indptr[v], rev_indptr[v + 1]):
            if in_w[r2] >= 0.0 and near[rev_src[r2]]:
                return True
    return False


@njit
def _exactly_four(adopters, out, near, near_list, indptr, indices, arc_on, rev_indptr, rev_src,
                  in_w, pending):
    """Many far adopters (few practising alumni): mark everyone within 2 steps of a practising
    alum, when that is cheap, and settle those adopters 2 steps beyond (distance 4)."""
    work = 0
    for v in near_list:
        work += indptr[v + 1] - indptr[v]
    if work > indices.shape[0] // 4:
        return pending
    near2 = near.copy()
    for v in near_list:
        for e in range(indptr[v], indptr[v + 1]):
            if arc_on[e]:
                near2[indices[e]] = True
    for q in range(adopters.shape[0]):
        if out[q] == -2 and _in_reaches(adopters[q], near2, 2, rev_indptr, rev_src, in_w):
            out[q] = 4
            pending -= 1
    return pending


@njit
def _far(adopters, out, prac_alum, indptr, indices, arc_on, n):
    """Breadth-first search from all practising alumni: 4 (4+) when reachable, else -1.
    Stops as soon as every adopter still without a distance has been reached."""
    wanted = np.zeros(n, dtype=np.bool_)
    left = 0
    for q in range(adopters.shape[0]):
        if out[q] == -2 and not wanted[adopters[q]]:
            wanted[adopters[q]] = True
            left += 1
    seen = np.zeros(n, dtype=np.bool_)
    queue = np.empty(n, dtype=np.int64)
    head, tail = 0, 0
    for i in prac_alum:
        seen[i] = True
        queue[tail] = i
        tail += 1
    while head < tail and left > 0:
        i = queue[head]
        head += 1
        for e in range(indptr[i], indptr[i + 1]):
            j = indices[e]
            if arc_on[e] and not seen[j]:
                seen[j] = True
                queue[tail] = j
                tail += 1
                if wanted[j]:
                    left -= 1
    for q in range(adopters.shape[0]):
        if out[q] == -2:
            out[q] = 4 if seen[adopters[q]] else -1


@njit
def _far_backward(adopters, out, prac_alum, rev_indptr, rev_src, in_w, n):
    """For a few far adopters: search backwards from each, stopping at the first practising
    alum (4, i.e. 4+) or when nobody is left to visit (-1). The 3-step ball around such an
    adopter holds no practising alum, so the search usually ends soon after it."""
    is_source = np.zeros(n, dtype=np.bool_)
    for i in prac_alum:
        is_source[i] = True
    seen = np.zeros(n, dtype=np.bool_)
    queue = np.empty(n, dtype=np.int64)
    for q in range(adopters.shape[0]):
        if out[q] != -2:
            continue
        out[q] = -1
        seen[:] = False
        seen[adopters[q]] = True
        queue[0] = adopters[q]
        head, tail = 0, 1
        while head < tail and out[q] == -1:
            v = queue[head]
            head += 1
            for r in range(rev_indptr[v], rev_indptr[v + 1]):
                w = rev_src[r]
                if in_w[r] < 0.0 or seen[w]:
                    continue
                if is_source[w]:
                    out[q] = 4
                    break
                seen[w] = True
                queue[tail] = w
                tail += 1
