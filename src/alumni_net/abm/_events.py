"""The fast engine's months: event-driven draws from keyed uniforms (numba).

The reference engine flips a coin for every practising person's every out-arc every month. This
engine draws, when a spell of practice starts, the month each arc will first transmit and the
month the spell will end, and visits an arc again only when its month comes. The monthly process
is reproduced exactly in distribution:

*Thresholds.* A spell of person ``i`` that starts (``i`` adopts) in month ``a`` gets, for each
out-arc ``e``, a unit-exponential threshold ``E = -log(1 - U)`` with ``U`` the keyed uniform
(stream ``S_SPREAD``, arc ``e``, month ``a``), and a lapse threshold from (``S_LAPSE``, ``i``,
``a``). With ``p_t`` the arc's monthly transmission probability (:func:`rules.
transmission_probability`) and ``h_t = -log(1 - p_t)``, the arc transmits in the first month
``t > a`` with ``h_{a+1} + ... + h_t >= E``; likewise the spell ends (the person lapses) in the
first month its lapsing hazards reach the lapse threshold. When ``p`` is constant this is the
inverse CDF of the geometric distribution of the first success.

*Why it is exact.* Given everything up to the start of month ``t`` and that the sum had not
reached ``E`` by month ``t - 1``, the memoryless exponential reaches it in month ``t`` with
probability ``1 - exp(-h_t) = p_t``, independently of every other threshold (distinct keys):
month by month, the same conditional law as an independent coin of probability ``p_t``, as long
as ``h_t`` is fixed by the state at the start of month ``t`` (it is: tie kinds, graduation and
top-ups are known in advance, the group multiplier reads the set at the start of the month).
After the arc transmits it starts over with a fresh threshold (stream ``S_RESPREAD``, arc ``e``,
month ``t``): the monthly process gives the arc another coin the next month, and by
memorylessness a fresh threshold from ``t`` is that sequence of coins. So:

- a transmission whose receiver practises already, or whom the receiver's gate refuses (too few
  practising contacts under complex contagion; this month's readoption coin, keyed (person,
  month) and shared with background adoption, for a lapsed receiver), changes nothing and the
  arc starts over, exactly as a successful coin that month would have been wasted;
- transmissions falling after the sender's spell has ended are never scheduled (the spell's end
  is drawn first) or are dropped when their month comes (the sender lapsed or started another
  spell, which has its own thresholds);
- a hazard that depends on other people's states (the receiver's or the lapsing person's group
  multiplier, ``1 + group_boost x`` the share of their set practising) is handled by bounding:
  the event is scheduled at the month the sum of the *bounding* hazards reaches ``E`` (the true
  sum can only get there later); when that month comes the true hazards of the months lived
  since the last look are added up from the sets' tables of start-of-month multipliers, and
  either the event happens then (the true sum has reached ``E``: it did so exactly this month)
  or it is rescheduled, with the sum so far, at the month that sum plus bounding hazards from
  now reach ``E``;
- in a month where the receiver practises, what the arc does changes nothing, and whether or
  not its sum reaches ``E`` that month, what is left of the threshold afterwards is a fresh
  unit exponential (memorylessness): so such an event starts over without adding anything up.

Background adoption and top-up or course events are already events: background hits are found
by skipping geometric gaps along the people each month (one draw per hit); courses and top-ups
happen at known months.

*What is kept.* Every draw is keyed by (replicate key, stream, arc or person, month), so results
do not depend on processing order or on the number of workers. The with- and without-programme
runs of a seed, and two scenarios run on one seed, use the same threshold for the same arc in a
spell starting the same month (common random numbers). A larger ``beta`` raises every hazard,
so with the same thresholds every first transmission of a spell comes no later (monotone
coupling).

Data travel in tuples (numba types them once):

- ``G`` graph: indptr, indices, rev_indptr, rev_arc, rev_src, src
- ``A`` arcs: w0, late_arc, late_ptr, late_month, late_w, sender_late, act_ptr, act_arc,
  reach_w, late_from, rev_since (see ``_plans.ArcPlan``; reach_w bounds a sender's out-arc
  weight times the receiver's group multiplier; rev_since is the month each reverse arc's arc
  comes into existence, ``_plans.rev_since``)
- ``P`` people: grad, is_alum, course_ptr, course_people, t_month, t_end, t_mult, inv_ptr,
  inv_top, re_ptr, re_people, re_p, thr (empty: everyone has ``threshold``), each person's
  combination of groups, spell records (``_plans.SPELL_RECORD``), the combinations' groups
  (``_plans.group_codes``)
- ``S`` sets: set_code, start_month, set_ptr, set_people, set_started, set_prac, grouped,
  g_recv, g_own (multipliers per set and month, for a member not practising and practising)
- ``B`` background: bg_starts, bg_ptr, bg_people, bg_rates
- ``X`` state (positions ``X_*``): state, spells (int16 per person, one row read at once:
  month the spell started, last month it can transmit, graduation month, 1 if the person
  sends along a late arc), via, marked, lapsing, counts, combination counts, gate_stamp, gate_cnt,
  gate_deg, dist_buf, infector (this month's infector of each person marked by spread, else -1)
- ``D`` distances (see ``_distances``)
- ``Q`` calendar: head_tx, tail_tx, head_lapse, tail_lapse, meta; the event store
  ``rows, vals`` travels alone (it may grow; see ``_queue``)
- ``O`` output: hist, ghist, log_person, log_month, log_via, log_dist, log_ptr, log_meta,
  log_infector
"""

from __future__ import annotations

import numpy as np
from numba import njit

from alumni_net.abm import _distances as dist
from alumni_net.abm import _queue as queue
from alumni_net.abm._jit import inline_kernel, kernel
from alumni_net.abm._prefetch import prefetch
from alumni_net.abm._walks import arc_hazard, arc_walk, lapse_hazard, lapse_walk
from alumni_net.abm.rules import (
    BACKGROUND,
    COURSE,
    LAPSED,
    NO_ADOPTION,
    PRACTISING,
    REENGAGED,
    S_BACKGROUND,
    S_COURSE,
    S_LAPSE,
    S_READOPT,
    S_REENGAGE,
    S_RESPREAD,
    S_SPREAD,
    SEED,
    SPREAD,
    UNAWARE,
    exponential,
    group_multiplier,
    hazard,
    passes_threshold,
    transmission_probability,
    uniform,
)

# positions in the parameter arrays
F_BETA, F_BOOST, F_DECAY, F_READOPT, F_COURSE, F_GB, F_GMAX, F_THR, F_HDECAY = range(9)
I_HORIZON, I_FRACTION, I_COMPLEX, I_DIST, I_BG, I_LAST = range(6)
# positions in the state tuple, and in a person's row of spells
(X_STATE, X_SPELLS, X_VIA, X_MARKED, X_LAPSING, X_COUNTS, X_GROUPS, X_GSTAMP, X_GCOUNT,
 X_GDEG, X_DIST, X_INFECTOR) = range(12)
SP_START, SP_END, SP_GRAD, SP_LATE = 0, 1, 2, 3
# work counters in the calendar's meta (after the store's own four)
TX_DUE, LAPSES_DUE, CHECKS, CHECKED_MONTHS, DRAWN, REDRAWN = 4, 5, 6, 7, 8, 9

# an event's info: sender (or person), spell start, threshold start, months already added up
_I, _A, _M0 = np.int64(36), np.int64(24), np.int64(12)
_MONTH = np.int64(4095)
_AHEAD = 4  # how many people or events ahead to prefetch


@inline_kernel
def _info(i, a, m0, checked):
    return (np.int64(i) << _I) | (np.int64(a) << _A) | (np.int64(m0) << _M0) | checked


# --- a spell starts ---------------------------------------------------------------------------



@inline_kernel
def start_spell(j, a, key, fpar, ipar, G, A, P, S, X, rows, vals, Q):
    """``j`` adopts in month ``a``: draw the spell's lapse month and each out-arc's first
    transmission within the spell, and schedule them (at most one event per out-arc and one
    lapse)."""
    horizon = ipar[I_HORIZON]
    beta, boost, decay, gmax = fpar[F_BETA], fpar[F_BOOST], fpar[F_DECAY], fpar[F_GMAX]
    indices = G[1]
    w0 = A[0]
    grouped, spells = S[6], X[X_SPELLS]
    rec = P[14][j]  # what a spell reads of its person, in one cache line (_plans.SPELL_RECORD)
    late = rec.late
    meta = Q[4]
    steady = rec.steady
    if steady and decay >= 1.0:
        c = a + 1  # lapses at the first chance, whatever the draw
    elif steady and decay <= 0.0:
        c = horizon + 1
    else:
        e_lapse = exponential(uniform(key, S_LAPSE, j, a))
        if steady:  # one hazard for the whole spell: the geometric month directly
            c = a + max(int(np.ceil(e_lapse / fpar[F_HDECAY])), 1)
        else:
            c = lapse_walk(e_lapse, a, horizon, j, P, decay, 1.0)
    if c <= horizon:
        queue.push(rows, vals, meta, Q[2], Q[3], c, j, (a << _M0) | a, 0, 0.0, 0.0, 0.0)
    lim = min(c, horizon)
    if rec.grouped and c <= horizon:  # the lapse month found is the earliest possible
        lim = min(lapse_walk(e_lapse, a, horizon, j, P, decay, gmax), horizon)
    spells[j, SP_START] = a
    spells[j, SP_END] = lim
    spells[j, SP_GRAD] = rec.grad  # copied here: an event reads one row
    spells[j, SP_LATE] = late
    if beta <= 0.0 or lim <= a:
        return
    grad_j = spells[j, SP_GRAD]
    bound = transmission_probability(beta, rec.reach_w, max(boost, 1.0) if grad_j <= lim else 1.0,
                                     1.0)
    if bound <= 0.0:
        return
    # P(some arc transmits within the spell) <= (months) x bound: skip arcs whose uniform is
    # above it; the exact probability, when that bound is loose
    reach = (lim - a) * bound
    if reach > 0.25:
        reach = 1.0 if bound >= 1.0 else -np.expm1(-(lim - a) * hazard(bound))
    info = _info(j, a, a, a)
    for e in range(rec.lo, rec.hi):
        u = uniform(key, S_SPREAD, e, a)
        if u >= reach:
            continue  # no out-arc of this sender could transmit within the spell
        v = indices[e]
        # gmax is 1 when no one has a group multiplier: then grouped[v] is not read (a cache
        # miss per drawn arc at national size)
        group = gmax if gmax > 1.0 and grouped[v] else 1.0
        meta[DRAWN] += 1
        c = arc_walk(exponential(u), a, lim, e, j, late, w0[e], group, A, grad_j, beta, boost)
        if c <= lim:
            queue.push(rows, vals, meta, Q[0], Q[1], c, e, info, v, 0.0, w0[e], bound)


# --- one month ----------------------------------------------------------------------------------

@inline_kernel
def _readopts(key, j, t, readoption):
    return readoption >= 1.0 or uniform(key, S_READOPT, j, t) < readoption


@kernel
def _gate(j, t, fpar, ipar, G, A, P, X):
    """Complex contagion: enough practising contacts at the start of month ``t``? Counted once
    per person and month."""
    rev_indptr, rev_src, since = G[2], G[4], A[10]
    state, stamp, cnt, deg = X[X_STATE], X[X_GSTAMP], X[X_GCOUNT], X[X_GDEG]
    if stamp[j] != t + 1:
        c, d = 0, 0
        for r in range(rev_indptr[j], rev_indptr[j + 1]):
            if since[r] <= t:  # the arc exists this month
                d += 1
                if state[rev_src[r]] == PRACTISING:
                    c += 1
        stamp[j], cnt[j], deg[j] = t + 1, c, d
    thr = P[12][j] if P[12].shape[0] else fpar[F_THR]
    return passes_threshold(cnt[j], thr, ipar[I_FRACTION] == 1, deg[j])


@kernel
def _lapses(t, key, fpar, ipar, P, S, X, rows, vals, Q):
    """The lapses due this month; returns how many, the people in ``lapsing``."""
    horizon, decay, gmax = ipar[I_HORIZON], fpar[F_DECAY], fpar[F_GMAX]
    state, spells, lapsing = X[X_STATE], X[X_SPELLS], X[X_LAPSING]
    grouped = S[6]
    head, tail, meta = Q[2], Q[3], Q[4]
    nl = 0
    c = queue.take(head, tail, t)
    while c >= 0:
        last = c * queue.CHUNK + 1 + rows[c * queue.CHUNK, 1]
        for r in range(c * queue.CHUNK + 1, last):
            if r + _AHEAD < last:
                prefetch(state, rows[r + _AHEAD, 0])
                prefetch(spells, rows[r + _AHEAD, 0])
            i, info = rows[r, 0], rows[r, 1]
            a = info >> _M0
            if state[i] != PRACTISING or spells[i, SP_START] != a:
                continue
            meta[LAPSES_DUE] += 1
            if gmax > 1.0 and grouped[i]:  # not read when no one is grouped
                checked = info & _MONTH
                meta[CHECKS] += 1
                meta[CHECKED_MONTHS] += t - checked
                lived = vals[r, 0] + lapse_hazard(checked, t, i, P, S, decay)
                e_lapse = exponential(uniform(key, S_LAPSE, i, a))
                if lived < e_lapse:  # not yet: the group multiplier slowed it down
                    nxt = lapse_walk(e_lapse - lived, t, horizon, i, P, decay, 1.0)
                    if nxt <= horizon:
                        queue.push(rows, vals, meta, head, tail, nxt, i, (a << _M0) | t, 0,
                                   lived, 0.0, 0.0)
                    continue
            lapsing[nl] = i
            nl += 1
        c = queue.release(rows, meta, c)
    return nl


@kernel
def _transmissions(t, m, key, fpar, ipar, G, A, P, S, X, rows, vals, Q):
    """The transmissions due this month (each pushes at most one event); returns the marked
    count."""
    beta, boost, readoption, gmax = fpar[F_BETA], fpar[F_BOOST], fpar[F_READOPT], fpar[F_GMAX]
    complex_ = ipar[I_COMPLEX] == 1
    grouped = S[6]
    state, spells, via, marked = X[X_STATE], X[X_SPELLS], X[X_VIA], X[X_MARKED]
    infector = X[X_INFECTOR]
    head, tail, meta = Q[0], Q[1], Q[4]
    c = queue.take(head, tail, t)
    while c >= 0:
        last = c * queue.CHUNK + 1 + rows[c * queue.CHUNK, 1]
        for r in range(c * queue.CHUNK + 1, last):
            if r + _AHEAD < last:  # the sender's and the receiver's state a few events on
                ahead = rows[r + _AHEAD, 1] >> _I
                prefetch(state, ahead)
                prefetch(spells, ahead)
                prefetch(state, rows[r + _AHEAD, 2])
            e, info, j = rows[r, 0], rows[r, 1], rows[r, 2]
            i = info >> _I
            a = (info >> _A) & _MONTH
            if state[i] != PRACTISING or spells[i, SP_START] != a:
                continue  # the spell this event belonged to is over
            meta[TX_DUE] += 1
            sj = state[j]
            lim, grad_i = spells[i, SP_END], spells[i, SP_GRAD]
            w0e, bound, late = vals[r, 1], vals[r, 2], spells[i, SP_LATE] == 1
            g_j = gmax > 1.0 and grouped[j]  # not read when no one is grouped (see start_spell)
            group = gmax if g_j else 1.0
            if g_j and sj != PRACTISING:
                m0 = (info >> _M0) & _MONTH
                checked = info & _MONTH
                meta[CHECKS] += 1
                meta[CHECKED_MONTHS] += t - checked
                lived = vals[r, 0] + arc_hazard(checked, t, e, i, late, w0e, j, A, S, grad_i,
                                                 beta, boost)
                e_arc = exponential(uniform(key, S_SPREAD if m0 == a else S_RESPREAD, e, m0))
                if lived < e_arc:  # not yet: the bound was reached, the true sum was not
                    nxt = arc_walk(e_arc - lived, t, lim, e, i, late, w0e, group, A, grad_i,
                                   beta, boost)
                    if nxt <= lim:
                        queue.push(rows, vals, meta, head, tail, nxt, e, _info(i, a, m0, t), j,
                                   lived, w0e, bound)
                    continue
            # The arc transmits this month (or, to someone practising, may as well have). It
            # starts over with a fresh threshold: from now, or, while the receiver practises
            # until a known month, from then (what it does before changes nothing).
            start = t
            if sj == PRACTISING and not g_j:
                start = max(t, spells[j, SP_END])
            if start < lim and not (sj == LAPSED and readoption <= 0.0):
                u = uniform(key, S_RESPREAD, e, start)
                # u >= K p bounds the threshold above K months of the largest hazard: no
                # transmission before the spell ends, found without a logarithm
                if u < (lim - start) * bound:
                    meta[REDRAWN] += 1
                    nxt = arc_walk(exponential(u), start, lim, e, i, late, w0e, group, A,
                                   grad_i, beta, boost)
                    if nxt <= lim:
                        queue.push(rows, vals, meta, head, tail, nxt, e,
                                   _info(i, a, start, start), j, 0.0, w0e, bound)
            if via[j] == SPREAD:
                # another transmission reached j this month (same gate, same readoption
                # coin): the infector is the lowest-indexed sender, as in the reference engine
                infector[j] = min(infector[j], i)
                continue
            if via[j] != NO_ADOPTION or sj == PRACTISING:
                continue
            if sj == LAPSED and (readoption <= 0.0 or not _readopts(key, j, t, readoption)):
                continue
            if complex_ and not _gate(j, t, fpar, ipar, G, A, P, X):
                continue
            via[j] = SPREAD
            infector[j] = i
            marked[m] = j
            m += 1
        c = queue.release(rows, meta, c)
    return m


@kernel
def _background(t, m, key, fpar, B, X):
    """Background hits this month: geometric gaps along each group's people. Returns the
    marked count."""
    starts, ptr, people, rates = B[0], B[1], B[2], B[3]
    readoption = fpar[F_READOPT]
    state, via, marked = X[X_STATE], X[X_VIA], X[X_MARKED]
    period = np.searchsorted(starts, t, "right") - 1
    everyone = people.shape[0] == 0
    for g in range(rates.shape[0]):
        rate = rates[g, period]
        if rate <= 0.0:
            continue
        size = state.shape[0] if everyone else ptr[g + 1] - ptr[g]
        log_miss = np.log1p(-rate) if rate < 1.0 else -np.inf
        pos, q = -1, 0
        while True:
            u = uniform(key, S_BACKGROUND, (np.int64(g) << 32) | q, t)
            q += 1
            gap = 0.0 if rate >= 1.0 else np.floor(np.log1p(-u) / log_miss)
            if pos + 1 + gap >= size:
                break
            pos += 1 + int(gap)
            j = pos if everyone else people[ptr[g] + pos]
            s = state[j]
            if via[j] != NO_ADOPTION or s == PRACTISING:
                continue
            if s == UNAWARE or (readoption > 0.0 and _readopts(key, j, t, readoption)):
                via[j] = BACKGROUND
                marked[m] = j
                m += 1
    return m


@kernel
def _programme(t, m, key, fpar, P, X):
    """Top-up re-engagement of lapsed invited alumni, then the course for this month's
    graduates (it wins). Returns the marked count."""
    course_ptr, course_people, re_ptr, re_people, re_p = P[2], P[3], P[9], P[10], P[11]
    state, via, marked = X[X_STATE], X[X_VIA], X[X_MARKED]
    for q in range(re_ptr[t], re_ptr[t + 1]):
        i = re_people[q]
        if state[i] == LAPSED and uniform(key, S_REENGAGE, i, t) < re_p[q]:
            if via[i] == NO_ADOPTION:
                marked[m] = i
                m += 1
            via[i] = REENGAGED
    for q in range(course_ptr[t], course_ptr[t + 1]):
        i = course_people[q]
        if state[i] != PRACTISING and uniform(key, S_COURSE, i, 0) < fpar[F_COURSE]:
            if via[i] == NO_ADOPTION:
                marked[m] = i
                m += 1
            via[i] = COURSE
    return m


@inline_kernel
def _tally(j, sign, P, X):
    X[X_GROUPS][P[13][j]] += sign  # j's combination of groups (see _plans.group_codes)


@kernel
def _apply(t, nl, adopters, key, fpar, ipar, G, A, P, S, X, D):
    """Lapse the lapsing and make the adopters practise: tallies and the distances' counts
    (their spells start in :func:`_start_spells`)."""
    state, lapsing, counts = X[X_STATE], X[X_LAPSING], X[X_COUNTS]
    is_alum, combination = P[1], P[13]
    mode = ipar[I_DIST]
    for q in range(nl):
        if q + _AHEAD < nl:  # the people a few on: their state, groups, alum flag
            ahead = lapsing[q + _AHEAD]
            prefetch(state, ahead)
            prefetch(combination, ahead)
            prefetch(is_alum, ahead)
        i = lapsing[q]
        state[i] = LAPSED
        counts[PRACTISING] -= 1
        counts[LAPSED] += 1
        _tally(i, -1, P, X)
        if is_alum[i] and mode != dist.NONE:
            dist.alum_change(i, -1, t, mode, G, A, D)
    for q in range(adopters.shape[0]):
        if q + _AHEAD < adopters.shape[0]:
            ahead = adopters[q + _AHEAD]
            prefetch(state, ahead)
            prefetch(combination, ahead)
            prefetch(is_alum, ahead)
        j = adopters[q]
        counts[state[j]] -= 1
        counts[PRACTISING] += 1
        state[j] = PRACTISING
        _tally(j, 1, P, X)
        if is_alum[j] and mode != dist.NONE:
            dist.alum_change(j, 1, t, mode, G, A, D)


@kernel
def _start_spells(t, adopters, lo, hi, key, fpar, ipar, G, A, P, S, X, rows, vals, Q):
    indices, w0, rec = G[1], A[0], P[14]
    for q in range(lo, hi):
        # two steps ahead: the record of the adopter 2 x _AHEAD on, then, its record having
        # arrived, the first out-arcs of the adopter _AHEAD on
        if q + 2 * _AHEAD < hi:
            prefetch(rec, adopters[q + 2 * _AHEAD])
        if q + _AHEAD < hi:
            first = rec[adopters[q + _AHEAD]].lo
            prefetch(indices, first)
            prefetch(w0, first)
        start_spell(adopters[q], t, key, fpar, ipar, G, A, P, S, X, rows, vals, Q)


@kernel
def _set_table(t, fpar, S, X):
    """Each set's practising members (those whose cohort has started) at the start of month
    ``t``, and the group multipliers that follow for a member not practising and one
    practising."""
    start_month, set_ptr, set_people, started, prac, g_recv, g_own = (
        S[1], S[2], S[3], S[4], S[5], S[7], S[8])
    state = X[X_STATE]
    gb = fpar[F_GB]
    if prac.shape[0] == 0 or t >= prac.shape[1]:
        return  # no group reinforcement in this run, or past the horizon
    for c in range(set_ptr.shape[0] - 1):
        k = 0
        for q in range(set_ptr[c], set_ptr[c + 1]):
            i = set_people[q]
            if state[i] == PRACTISING and start_month[i] <= t:
                k += 1
        prac[c, t] = k
        others = started[c, t] - 1
        g_recv[c, t] = group_multiplier(gb, min(k, others), others)
        g_own[c, t] = group_multiplier(gb, k - 1, others)


@kernel
def _record(t, adopters, P, X, O):
    """This month's tallies and adoption events (with the infector of each adoption by
    spread) into the outputs; clears ``via`` and ``infector``."""
    via, counts, combo_counts, dist_buf = X[X_VIA], X[X_COUNTS], X[X_GROUPS], X[X_DIST]
    infector = X[X_INFECTOR]
    hist, ghist, log_person, log_month, log_via, log_dist, log_ptr, log_meta, log_inf = O
    for s in range(3):
        hist[t, s] = counts[s]
    hist[t, 3] = adopters.shape[0]
    table = P[15]
    for g in range(ghist.shape[1]):
        ghist[t, g] = 0
    for c in range(table.shape[0]):
        for k in range(table.shape[1]):
            if table[c, k] >= 0:
                ghist[t, table[c, k]] += combo_counts[c]
    q0 = log_meta[0]
    for q in range(adopters.shape[0]):
        if q + _AHEAD < adopters.shape[0]:
            prefetch(via, adopters[q + _AHEAD])
            prefetch(infector, adopters[q + _AHEAD])
        j = adopters[q]
        log_person[q0 + q] = j
        log_month[q0 + q] = t
        log_via[q0 + q] = via[j]
        log_dist[q0 + q] = dist_buf[q]
        log_inf[q0 + q] = infector[j] if via[j] == SPREAD else -1
        infector[j] = -1
        via[j] = NO_ADOPTION
    log_meta[0] = q0 + adopters.shape[0]
    log_ptr[t + 1] = log_meta[0]


# --- what Python calls (these may allocate) ---------------------------------------------------

@njit
def _make_room(rows, vals, meta, pushes, months):
    """The event store, grown if ``pushes`` more events might not fit."""
    missing = queue.room(rows, meta, pushes, months)
    if missing:
        return queue.grow(rows, vals, missing)
    return rows, vals


@njit
def _spells(t, adopters, key, fpar, ipar, G, A, P, S, X, rows, vals, Q):
    """Start the adopters' spells, in batches that surely fit the store (at most an event
    per out-arc and a lapse each): the store grows only when a batch of one would not fit.
    Returns the event store."""
    indptr, meta, months = G[0], Q[4], ipar[I_HORIZON] + 2
    q = 0
    while q < adopters.shape[0]:
        free = queue.free_slots(rows, meta, months)
        k, need = q, 0
        while k < adopters.shape[0]:
            more = indptr[adopters[k] + 1] - indptr[adopters[k]] + 1
            if need + more > free:
                break
            need += more
            k += 1
        if k == q:
            rows, vals = _make_room(rows, vals, meta, more, months)
            continue
        _start_spells(t, adopters, q, k, key, fpar, ipar, G, A, P, S, X, rows, vals, Q)
        q = k
    return rows, vals


@njit(cache=True)
def initialise(seeds, key, fpar, ipar, G, A, P, S, B, X, D, rows, vals, Q, O):
    """Month 0: the initial adopters, then the course for alumni graduating by month 0; their
    spells start. Returns the event store."""
    state, via, marked = X[X_STATE], X[X_VIA], X[X_MARKED]
    m = 0
    for q in range(seeds.shape[0]):
        j = seeds[q]
        via[j] = SEED
        state[j] = PRACTISING  # seeds keep their label over the course
        marked[m] = j
        m += 1
    m = _programme(0, m, key, fpar, P, X)
    for q in range(seeds.shape[0]):
        state[seeds[q]] = UNAWARE  # _apply counts the change from unaware
    adopters = np.sort(marked[:m])
    dist_buf = X[X_DIST]
    for q in range(m):
        dist_buf[q] = 0 if P[1][adopters[q]] else -1
    _apply(0, 0, adopters, key, fpar, ipar, G, A, P, S, X, D)
    rows, vals = _spells(0, adopters, key, fpar, ipar, G, A, P, S, X, rows, vals, Q)
    _set_table(0, fpar, S, X)
    _set_table(1, fpar, S, X)
    O[6][0] = 0
    _record(0, adopters, P, X, O)
    return rows, vals


@njit(cache=True)
def run_months(t_from, t_to, until_quiet, key, fpar, ipar, G, A, P, S, B, X, D, rows, vals,
               Q, O):
    """Months ``t_from..t_to``; stops early after a quiet month (``until_quiet``) or before a
    month whose adoption events might not fit the log. Returns (last month run, rows, vals)."""
    state, marked, counts = X[X_STATE], X[X_MARKED], X[X_COUNTS]
    log_person, log_meta = O[2], O[7]
    is_alum = P[1]
    mode = ipar[I_DIST]
    months = ipar[I_HORIZON] + 2
    any_bg = ipar[I_BG] == 1
    for t in range(t_from, t_to + 1):
        if log_person.shape[0] - log_meta[0] < state.shape[0] - counts[PRACTISING]:
            return t - 1, rows, vals
        if mode != dist.NONE:
            dist.ties_appear(t, mode, state, is_alum, G, A, D)
        due = queue.count(rows, Q[0], t) + queue.count(rows, Q[2], t)
        rows, vals = _make_room(rows, vals, Q[4], due, months)
        nl = _lapses(t, key, fpar, ipar, P, S, X, rows, vals, Q)
        m = _transmissions(t, 0, key, fpar, ipar, G, A, P, S, X, rows, vals, Q)
        if any_bg:
            m = _background(t, m, key, fpar, B, X)
        m = _programme(t, m, key, fpar, P, X)
        adopters = np.sort(marked[:m])
        if dist.distances(adopters, t, mode, state, is_alum, G, A, D, X[X_DIST]):
            dist.search(adopters, X[X_DIST], t, state, is_alum, G, A)
        _apply(t, nl, adopters, key, fpar, ipar, G, A, P, S, X, D)
        rows, vals = _spells(t, adopters, key, fpar, ipar, G, A, P, S, X, rows, vals, Q)
        _set_table(t + 1, fpar, S, X)
        _record(t, adopters, P, X, O)
        if until_quiet and counts[PRACTISING] == 0 and not any_bg and t >= ipar[I_LAST]:
            return t, rows, vals
    return t_to, rows, vals
