"""Numba kernels of the influence strategy: live-edge samples and pruned shortest-time balls.

Sample ``r`` fixes, from the model's keyed draws (:func:`alumni_net.abm.rules.uniform` with
the replicate key of the sample), each person's practising spell ``L`` (months before lapsing;
stream ``S_LAPSE``), whether a recruit takes the practice up at graduation (``S_COURSE``) and,
for each arc, the month ``delta`` after its sender started practising at which the arc's
monthly coin first succeeds (``S_SPREAD``; :func:`~alumni_net.abm.rules.first_success`, the
inverse transform the fast engine uses for a spell's first transmission). An arc is live when
``delta <= min(L, horizon)``. Boosted senders (alumni, recruits) use a larger monthly
probability with the same uniform, so their delay is never longer (coupled draws).

A seed set then practises at the shortest times from the seeds through live arcs, and the people
reached by the horizon are a union of per-seed balls: a coverage function in every sample, so
the sample average is exactly monotone and submodular. Delays are whole months in int16
(``INF`` = not live); balls are explored by Dijkstra with a binary heap, pruned where the
chosen seeds already arrive no later (such people and everyone beyond them are no gain).
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

from alumni_net.abm.rules import S_COURSE, S_LAPSE, S_SPREAD, first_success, uniform

INF = np.int16(32767)
_LOW = np.int64(0xFFFFFFFF)


@njit(inline="always")
def _delay(u, log_miss, cap):
    """First success (>= 1) of a monthly coin that misses with log-probability ``log_miss``
    (``log1p(-p)``, precomputed per arc); ``cap + 1`` when later (the rules' definition)."""
    return first_success(u, log_miss, cap)


@njit(cache=True, parallel=True)
def count_live(indptr, indices, log_plain, log_boost, boosted, keys, log_decay, horizon):
    """Live arcs (as a seed's or as a relay's) in each sample. Probabilities (per arc, plain and
    boosted, and the monthly lapse) come as ``log1p(-p)``."""
    n = indptr.shape[0] - 1
    out = np.zeros(keys.shape[0], dtype=np.int64)
    for r in prange(keys.shape[0]):
        key = keys[r]
        m = 0
        for v in range(n):
            spell = min(_delay(uniform(key, S_LAPSE, v, 0), log_decay, horizon), horizon)
            for e in range(indptr[v], indptr[v + 1]):
                u = uniform(key, S_SPREAD, e, 0)
                db = _delay(u, log_boost[e], horizon)
                dp = _delay(u, log_plain[e], horizon)
                if min(db, dp) <= spell:
                    m += 1
        out[r] = m
    return out


@njit(cache=True, parallel=True)
def fill_live(indptr, indices, log_plain, log_boost, boosted, keys, log_decay, p_course, horizon,
              offsets, ptr, dst, d_seed, d_relay, coin):
    """Write each sample's live arcs: rows ``ptr[r, v]:ptr[r, v + 1]`` of ``dst`` with the
    delay when ``v`` is a seed (boosted) and when it relays (boosted only for alumni)."""
    n = indptr.shape[0] - 1
    for r in prange(keys.shape[0]):
        key = keys[r]
        q = offsets[r]
        for v in range(n):
            ptr[r, v] = q
            coin[r, v] = uniform(key, S_COURSE, v, 0) < p_course
            spell = min(_delay(uniform(key, S_LAPSE, v, 0), log_decay, horizon), horizon)
            for e in range(indptr[v], indptr[v + 1]):
                u = uniform(key, S_SPREAD, e, 0)
                db = _delay(u, log_boost[e], horizon)
                dp = db if boosted[v] else _delay(u, log_plain[e], horizon)
                if min(db, dp) > spell:
                    continue
                dst[q] = indices[e]
                d_seed[q] = db if db <= spell else INF
                d_relay[q] = dp if dp <= spell else INF
                q += 1
        ptr[r, n] = q


@njit(inline="always")
def _push(heap, size, key):
    i = size
    heap[i] = key
    while i > 0:
        parent = (i - 1) >> 1
        if heap[parent] <= heap[i]:
            break
        heap[parent], heap[i] = heap[i], heap[parent]
        i = parent
    return size + 1


@njit(inline="always")
def _pop(heap, size):
    top = heap[0]
    size -= 1
    heap[0] = heap[size]
    i = 0
    while True:
        a = 2 * i + 1
        if a >= size:
            break
        b = a + 1
        c = b if b < size and heap[b] < heap[a] else a
        if heap[i] <= heap[c]:
            break
        heap[i], heap[c] = heap[c], heap[i]
        i = c
    return top, size


@njit(cache=True)
def ball(c, r, ptr, dst, d_seed, d_relay, coin, arrive, horizon, dist, mark, stamp, heap,
         commit):
    """People that seed ``c`` reaches in sample ``r`` by the horizon before anyone already
    chosen (``arrive[r]``: their arrival months, INF when not reached). With ``commit`` their
    arrival months are lowered to ``c``'s. Returns how many were not reached at all before."""
    if not coin[r, c] or arrive[r, c] <= 0:
        return 0
    mark[c] = stamp
    dist[c] = 0
    size = _push(heap, 0, np.int64(c))
    gained = 0
    while size > 0:
        key, size = _pop(heap, size)
        t = key >> 32
        v = key & _LOW
        if dist[v] < t or arrive[r, v] <= t:
            continue  # stale entry, or the chosen seeds are there no later: nothing beyond
        if arrive[r, v] > horizon:
            gained += 1
        if commit:
            arrive[r, v] = t
        for e in range(ptr[r, v], ptr[r, v + 1]):
            nt = t + (d_seed[e] if v == c else d_relay[e])
            if nt > horizon:
                continue
            w = dst[e]
            if arrive[r, w] <= nt:
                continue
            if mark[w] != stamp or nt < dist[w]:
                mark[w] = stamp
                dist[w] = nt
                size = _push(heap, size, (np.int64(nt) << 32) | np.int64(w))
    return gained


@njit(cache=True, parallel=True)
def gains_many(cands, ptr, dst, d_seed, d_relay, coin, arrive, horizon, heap_cap, n_chunks):
    """Marginal gain of each candidate, summed over the samples (candidates in parallel)."""
    n = arrive.shape[1]
    n_samples = arrive.shape[0]
    out = np.zeros(cands.shape[0], dtype=np.int64)
    n_chunks = max(1, min(n_chunks, cands.shape[0]))
    for chunk in prange(n_chunks):
        dist = np.empty(n, dtype=np.int64)
        mark = np.zeros(n, dtype=np.int64)
        heap = np.empty(heap_cap, dtype=np.int64)
        stamp = 0
        lo = cands.shape[0] * chunk // n_chunks
        hi = cands.shape[0] * (chunk + 1) // n_chunks
        for i in range(lo, hi):
            total = 0
            for r in range(n_samples):
                stamp += 1
                total += ball(cands[i], r, ptr, dst, d_seed, d_relay, coin, arrive, horizon,
                              dist, mark, stamp, heap, False)
            out[i] = total
    return out


@njit(cache=True)
def gain_one(c, ptr, dst, d_seed, d_relay, coin, arrive, horizon, dist, mark, stamp, heap,
             commit):
    """One candidate's gain summed over the samples; ``commit`` adds it to the chosen seeds.
    Serial: one candidate's balls are too little work to share between threads. ``stamp[0]``
    is the last stamp used in ``mark`` (kept by the caller between calls)."""
    total = 0
    for r in range(arrive.shape[0]):
        stamp[0] += 1
        total += ball(c, r, ptr, dst, d_seed, d_relay, coin, arrive, horizon, dist, mark,
                      stamp[0], heap, commit)
    return total
