"""The fast engine's calendar: events bucketed by month (numba).

A month's events are a list of fixed-size chunks of one store, appended to at the tail and
read from the head in order, so that a month's events sit together in memory. The store is
``rows`` (int64, one row per slot: ``item, info, other``; the first row of each chunk holds the
next chunk and how many events the chunk holds) and ``vals`` (float64 per slot: the hazard an
event has added up so far, a weight and a bound on its monthly probability). An event carries
what handling it needs (for a transmission: the receiver and the arc's weight) so that it is
handled without reading the arc arrays at random. A chunk whose month has been read goes back
to a free list.

``meta`` holds the first free chunk, the chunks ever used, the chunks on the free list, then
work counters (see ``_events``). Pushing never allocates: before each phase of a month the
engine makes room for as many events as the phase can push (:func:`room`, :func:`grow`), so
that the hot functions run without Numba's reference counting (``_nrt=False``, as Numba's own
internal helpers do).
"""

from __future__ import annotations

import numpy as np
from numba import njit

from alumni_net.abm._jit import inline_kernel, kernel

CHUNK = 32  # slots per chunk, the first for the chunk's header
FREE_HEAD, USED, FREE_COUNT, PUSHED = 0, 1, 2, 3  # positions in meta


@inline_kernel
def push(rows, vals, meta, head, tail, month, item, info, other, acc, weight, bound):
    """Add an event to ``month`` (there is room: see :func:`room`)."""
    c = tail[month]
    if c < 0 or rows[c * CHUNK, 1] == CHUNK - 1:
        new = meta[FREE_HEAD]
        if new >= 0:
            meta[FREE_HEAD] = rows[new * CHUNK, 0]
            meta[FREE_COUNT] -= 1
        else:
            new = meta[USED]
            meta[USED] = new + 1
        rows[new * CHUNK, 0] = -1
        rows[new * CHUNK, 1] = 0
        if c < 0:
            head[month] = new
        else:
            rows[c * CHUNK, 0] = new
        tail[month] = new
        c = new
    slot = c * CHUNK + rows[c * CHUNK, 1] + 1
    rows[c * CHUNK, 1] += 1
    rows[slot, 0] = item
    rows[slot, 1] = info
    rows[slot, 2] = other
    vals[slot, 0] = acc
    vals[slot, 1] = weight
    vals[slot, 2] = bound
    meta[PUSHED] += 1


@inline_kernel
def take(head, tail, month):
    """The first chunk of ``month`` (-1 if none); the month is emptied."""
    c = head[month]
    head[month] = -1
    tail[month] = -1
    return c


@inline_kernel
def release(rows, meta, c):
    """Return chunk ``c`` to the free list; returns the chunk that followed it."""
    nxt = rows[c * CHUNK, 0]
    rows[c * CHUNK, 0] = meta[FREE_HEAD]
    meta[FREE_HEAD] = c
    meta[FREE_COUNT] += 1
    return nxt


@kernel
def count(rows, head, month):
    """Events waiting in ``month``."""
    k = 0
    c = head[month]
    while c >= 0:
        k += rows[c * CHUNK, 1]
        c = rows[c * CHUNK, 0]
    return k


@kernel
def room(rows, meta, pushes, months):
    """Chunks missing for ``pushes`` more events spread over up to ``months`` months (each
    month's last chunk may be partly full)."""
    need = (pushes + CHUNK - 2) // (CHUNK - 1) + months
    have = rows.shape[0] // CHUNK - meta[USED] + meta[FREE_COUNT]
    return max(need - have, 0)


@inline_kernel
def free_slots(rows, meta, months):
    """How many more events surely fit, whichever of up to ``months`` months they go to."""
    chunks = rows.shape[0] // CHUNK - meta[USED] + meta[FREE_COUNT] - months
    return max(chunks, 0) * (CHUNK - 1)


@njit
def grow(rows, vals, chunks):
    """A store with at least ``chunks`` more chunks (at least twice as large)."""
    size = max(2 * rows.shape[0], rows.shape[0] + chunks * CHUNK)
    bigger = np.empty((size, 3), dtype=np.int64)
    bigger[:rows.shape[0]] = rows
    more = np.empty((size, 3))
    more[:vals.shape[0]] = vals
    return bigger, more
