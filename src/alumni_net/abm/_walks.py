"""Hazards over time for the fast engine's event draws (numba).

An arc's monthly transmission probability and a person's monthly lapsing probability change
over time: a tie's heavier kind appears, the alum boost starts at graduation, top-ups protect
for a while, the action-learning-set multiplier follows the set members' states. The *walks*
below add up hazards ``-log(1 - p_t)`` month after month and return the first month at which
the sum reaches a threshold; within a stretch of months where nothing changes they jump in one
step. Two kinds of walk:

- forward walks (``arc_walk``, ``lapse_walk``) over the parts known in advance (tie kinds,
  graduation, top-ups), with the group multiplier replaced by its bound (``1 + group_boost``
  for transmission to a set member, 1 for lapsing, which it divides);
- backward sums (``arc_hazard``, ``lapse_hazard``) of the true hazards over months already
  lived, reading each set's multipliers at the start of each month from the engine's tables
  (``S[7]`` for a member who does not practise, ``S[8]`` for one who does).

Arguments come in the tuples the engine builds (see ``_events``): ``A`` arcs, ``P`` people,
``S`` sets. None of these functions allocates, so they are compiled without Numba's reference
counting (``_nrt=False``): it would otherwise count every array of a tuple in and out of each
call, which costs more than the walk.
"""

from __future__ import annotations

import numpy as np

from alumni_net.abm._jit import inline_kernel, kernel
from alumni_net.abm.rules import lapse_probability, transmission_probability

#: A month later than any horizon.
BIG = 1 << 40


@inline_kernel
def weight_at(e, s, i, late, w0e, A):
    """(weight of arc ``e`` of sender ``i`` in month ``s``, -1 if it does not exist yet; the
    next month its weight changes, or BIG). ``w0e`` is its weight at month 0; only a sender
    with a ``late`` arc has its arcs looked up among the late ones (a binary search among the
    sender's own)."""
    if not late:
        return w0e, BIG
    late_arc, late_ptr, late_month, late_w, late_from = A[1], A[2], A[3], A[4], A[9]
    lo, hi = late_from[i], late_from[i + 1]
    while lo < hi:
        mid = (lo + hi) >> 1
        if late_arc[mid] < e:
            lo = mid + 1
        else:
            hi = mid
    if lo == late_from[i + 1] or late_arc[lo] != e:
        return w0e, BIG
    w = w0e
    for q in range(late_ptr[lo], late_ptr[lo + 1]):
        if late_month[q] > s:
            return w, late_month[q]
        w = late_w[q]
    return w, BIG


@inline_kernel
def arc_weight(e, s, sender, A):
    """:func:`weight_at` read from the arc arrays (for arcs met one at a time)."""
    return weight_at(e, s, sender, A[5][sender], A[0][e], A)


@inline_kernel
def topup_multiplier(i, s, P):
    """(product of the decay multipliers of the top-ups protecting ``i`` in month ``s``, the
    next month that product changes, or BIG)."""
    inv_ptr, inv_top, t_month, t_end, t_mult = P[7], P[8], P[4], P[5], P[6]
    mult, nxt = 1.0, BIG
    if inv_ptr.shape[0] == 0:
        return mult, nxt
    for q in range(inv_ptr[i], inv_ptr[i + 1]):
        k = inv_top[q]
        if t_month[k] <= s < t_end[k]:
            mult *= t_mult[k]
            nxt = min(nxt, t_end[k])
        elif t_month[k] > s:
            nxt = min(nxt, t_month[k])
    return mult, nxt


@inline_kernel
def receiver_group(j, s, S):
    """The group multiplier of ``j`` in month ``s`` as a receiver, when ``j`` is not
    practising (when they are, a value between 1 and the bound, which nothing uses)."""
    c = S[0][j]
    if c < 0 or S[1][j] > s:
        return 1.0
    return S[7][c, s]


@inline_kernel
def own_group(i, s, S):
    """The group multiplier of ``i`` in month ``s`` while ``i`` practises (lapsing)."""
    c = S[0][i]
    if c < 0 or S[1][i] > s:
        return 1.0
    return S[8][c, s]


@inline_kernel
def arc_walk(rem, m0, lim, e, i, late, w0e, group, A, grad_i, beta, boost):
    """First month in ``m0 + 1 .. lim`` at which the transmission hazards of arc ``e``
    (weights as :func:`weight_at`, sender ``i`` graduating in ``grad_i``, receiver's group
    multiplier ``group``) since ``m0`` add up to ``rem``; ``lim + 1`` if none."""
    s = m0 + 1
    while s <= lim:
        w, nxt = weight_at(e, s, i, late, w0e, A)
        b = 1.0
        if s < grad_i:
            nxt = min(nxt, grad_i)
        else:
            b = boost
        end = min(nxt, lim + 1)
        if w > 0.0:
            p = transmission_probability(beta, w, b, group)
            if p >= 1.0:
                return s
            if p > 0.0:  # a zero boost (alum_boost = 0) stops the arc while it holds
                h = -np.log1p(-p)
                need = rem / h
                if need <= end - s:
                    k = int(np.ceil(need))
                    return s - 1 + max(k, 1)
                rem -= h * (end - s)
        s = end
    return lim + 1


@kernel
def arc_hazard(m0, t, e, i, late, w0e, j, A, S, grad_i, beta, boost):
    """Transmission hazards of arc ``e`` (to ``j``; as :func:`arc_walk`) summed over months
    ``m0 + 1 .. t``, with ``j``'s true group multiplier in each (one logarithm per run of
    months with the same probability)."""
    total, run, last = 0.0, 0, -1.0
    s = m0 + 1
    while s <= t:
        w, nxt = weight_at(e, s, i, late, w0e, A)
        end = min(nxt, t + 1)
        while s < end:
            p = 0.0
            if w > 0.0:
                p = transmission_probability(beta, w, boost if s >= grad_i else 1.0,
                                             receiver_group(j, s, S))
            if p != last:
                total += _run_hazard(last, run)
                last, run = p, 0
            run += 1
            s += 1
    return total + _run_hazard(last, run)


@inline_kernel
def _run_hazard(p, months):
    if months == 0 or p <= 0.0:
        return 0.0
    if p >= 1.0:
        return np.inf
    return -months * np.log1p(-p)


@inline_kernel
def lapse_walk(rem, a, lim, i, P, decay, group):
    """First month in ``a + 1 .. lim`` at which ``i``'s lapsing hazards since ``a`` add up to
    ``rem``, with the group multiplier fixed at ``group`` (1 gives the earliest month the
    group multiplier allows, ``1 + group_boost`` the latest); ``lim + 1`` if none."""
    s = a + 1
    while s <= lim and decay > 0.0:
        mult, nxt = topup_multiplier(i, s, P)
        end = min(nxt, lim + 1)
        d = lapse_probability(decay, mult, group)
        if d >= 1.0:
            return s
        if d > 0.0:
            h = -np.log1p(-d)
            need = rem / h
            if need <= end - s:
                k = int(np.ceil(need))
                return s - 1 + max(k, 1)
            rem -= h * (end - s)
        s = end
    return lim + 1


@kernel
def lapse_hazard(a, t, i, P, S, decay):
    """``i``'s lapsing hazards summed over months ``a + 1 .. t`` with the true group
    multiplier in each (one logarithm per run of months with the same probability)."""
    total, run, last = 0.0, 0, -1.0
    for s in range(a + 1, t + 1):
        mult, _ = topup_multiplier(i, s, P)
        d = lapse_probability(decay, mult, own_group(i, s, S))
        if d != last:
            total += _run_hazard(last, run)
            last, run = d, 0
        run += 1
    return total + _run_hazard(last, run)
