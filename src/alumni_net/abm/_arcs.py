"""Counting sorts that compile tie entries into arcs in time linear in the number of entries.

A national network has 60 million entries: sorting their (source, target) keys, then the arcs
by target and the entries by month, took most of the time
:func:`~alumni_net.abm.network.build_network` spent. People are numbered ``0 .. n - 1`` and
months are a few hundred values, so all three orders are counting sorts, and only each
person's few entries need a comparison sort.
"""

from __future__ import annotations

import numpy as np
from numba import njit

__all__ = ["BOTH", "FORWARD", "REVERSE", "entries_by_month", "entry_order", "month_span",
           "number_arcs", "reverse_arcs", "tie_months"]


# ``build_network`` once oriented the ties by concatenating copies of every column, grouped the
# entries, then gathered, sorted and inverted 60 million-long arrays one numpy call at a time:
# about 20 s and several GB of temporaries at national size, on one core. On the virtual
# machines that run the benchmarks fresh memory is dear (the kernel hands freed pages back to
# the host, and touching them again costs up to about a second per GB), so the kernels below
# read the tie columns in place, number each *entry* virtually (tie ``t`` forward is entry
# ``t``, its reverse entry ``m + t`` when both directions are kept, as the concatenation
# numbered them) and write each output once, into arrays numpy allocated (numpy asks for huge
# pages; numba's own allocations do not).

FORWARD, REVERSE, BOTH = 0, 1, 2


@njit(cache=True, inline="always")
def _ends(e, m, src, dst, orient):
    """(sender, receiver, tie) of virtual entry ``e``."""
    if orient == BOTH and e >= m:
        t = e - m
        return dst[t], src[t], t
    if orient == REVERSE:
        return dst[e], src[e], e
    return src[e], dst[e], e


@njit(cache=True, nogil=True)
def entry_order(src, dst, orient, start, order, recv):
    """Entries without self-loops grouped into arcs: ``order`` lists the virtual entries by
    (sender, receiver), each pair's entries in their own order, and ``recv`` their receivers
    alongside (so that sorting reads no tie column at random).

    ``start`` (n + 1 zeros) ends as each sender's first position in ``order``; returns the
    number of entries kept."""
    m = src.shape[0]
    total = 2 * m if orient == BOTH else m
    n = start.shape[0] - 1
    for e in range(total):
        u, v, _ = _ends(e, m, src, dst, orient)
        if u != v:
            start[u + 1] += 1
    for i in range(n):
        start[i + 1] += start[i]
    fill = start[:-1].copy()
    for e in range(total):
        u, v, _ = _ends(e, m, src, dst, orient)
        if u != v:
            p = fill[u]
            order[p] = e
            recv[p] = v
            fill[u] += 1
    for i in range(n):
        lo, hi = start[i], start[i + 1]
        if hi - lo <= 1:
            continue
        if hi - lo <= 48:  # a person's few dozen entries: insertion sort (stable), in place
            for k in range(lo + 1, hi):
                e, key = order[k], recv[k]
                q = k - 1
                while q >= lo and recv[q] > key:
                    order[q + 1] = order[q]
                    recv[q + 1] = recv[q]
                    q -= 1
                order[q + 1] = e
                recv[q + 1] = key
        else:
            by = np.argsort(recv[lo:hi], kind="mergesort")
            order[lo:hi] = order[lo:hi][by]
            recv[lo:hi] = recv[lo:hi][by]
    return start[n]


@njit(cache=True, nogil=True)
def number_arcs(start, order, recv, arc_of, indptr):
    """Arcs numbered in (sender, receiver) order: each virtual entry's arc (``arc_of``), each
    sender's out-arcs (``indptr``, n + 1 zeros on entry) and each arc's receiver (the first
    ``count`` of ``recv``, compacted in place). Returns the number of arcs ``count``."""
    n = start.shape[0] - 1
    count = 0
    for i in range(n):
        last = -1
        for k in range(start[i], start[i + 1]):
            v = recv[k]
            if v != last:
                recv[count] = v
                count += 1
                last = v
            arc_of[order[k]] = count - 1
        indptr[i + 1] = count
    return count


@njit(cache=True, nogil=True)
def reverse_arcs(indptr, indices, rev_indptr, rev_arc, rev_pos, arc_src, rev_src):
    """Each sender's arcs (``arc_src``), and the arcs by receiver in arc order: ``rev_arc``
    (stable), its inverse ``rev_pos`` and the senders in that order (``rev_src``).
    ``rev_indptr`` is n + 1 zeros on entry."""
    n = indptr.shape[0] - 1
    for i in range(n):
        for a in range(indptr[i], indptr[i + 1]):
            arc_src[a] = i
            rev_indptr[indices[a] + 1] += 1
    for i in range(n):
        rev_indptr[i + 1] += rev_indptr[i]
    fill = rev_indptr[:-1].copy()
    for i in range(n):
        for a in range(indptr[i], indptr[i + 1]):
            v = indices[a]
            p = fill[v]
            fill[v] += 1
            rev_arc[p] = a
            rev_pos[a] = p
            rev_src[p] = i


@njit(cache=True, nogil=True)
def month_span(src, dst, orient, month, before):
    """(smallest, largest) month of the kept entries other than ``before``; (0, -1) if none."""
    m = src.shape[0]
    total = 2 * m if orient == BOTH else m
    lo, hi = np.int64(0), np.int64(-1)
    for e in range(total):
        u, v, t = _ends(e, m, src, dst, orient)
        x = month[t]
        if u == v or x == before:
            continue
        if hi < lo:
            lo, hi = x, x
        else:
            lo, hi = min(lo, x), max(hi, x)
    return lo, hi


@njit(cache=True, nogil=True)
def entries_by_month(src, dst, orient, month, kind, arc_of, before, lo, hi,
                     entry_arc, entry_kind, entry_month):
    """The kept entries in the stable order of their months (``np.argsort(month,
    kind="stable")`` of the oriented entries), by counting: ``before`` first, then months
    ``lo .. hi``. Fills each entry's arc, kind and month."""
    m = src.shape[0]
    total = 2 * m if orient == BOTH else m
    slots = np.zeros(hi - lo + 3, dtype=np.int64)  # slot 0: ``before``; month x: x - lo + 1
    for e in range(total):
        u, v, t = _ends(e, m, src, dst, orient)
        if u != v:
            x = month[t]
            slots[(0 if x == before else x - lo + 1) + 1] += 1
    for b in range(slots.shape[0] - 1):
        slots[b + 1] += slots[b]
    for e in range(total):
        u, v, t = _ends(e, m, src, dst, orient)
        if u != v:
            x = month[t]
            b = 0 if x == before else x - lo + 1
            p = slots[b]
            slots[b] += 1
            entry_arc[p] = arc_of[e]
            entry_kind[p] = kind[t]
            entry_month[p] = x


@njit(cache=True)
def tie_months(since, kind_code, training, programme, cohort_start, src, dst, before):
    """Month each tie (kind) appears: programme kinds from the later cohort start of its two
    people, other kinds from ``since``; ``before`` (before the start) when neither is known.
    Undated programme contacts (programme kinds, not training) appear no earlier than the
    cohort's start."""
    m = since.shape[0]
    out = np.empty(m, dtype=np.int64)
    for t in range(m):
        s = since[t]
        since_m = before if np.isnan(s) else np.int64(s)
        k = kind_code[t]
        if training[k] or (programme[k] and np.isnan(s)):
            a, b = cohort_start[src[t]], cohort_start[dst[t]]
            # np.fmax: NaN only when both are
            cs = b if np.isnan(a) else a if np.isnan(b) else max(a, b)
            out[t] = since_m if np.isnan(cs) else np.int64(cs)
        else:
            out[t] = since_m
    return out
