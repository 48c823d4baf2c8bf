"""The workforce and community network: colleague, partnership and long-range ties.

Every function returns ``(a, b)`` int64 arrays of person indices (one tie per position, in no
particular order, possibly repeated or self-pairs); the caller keeps each pair once.
"""

from __future__ import annotations

from types import ModuleType

import numpy as np

from alumni_net.synth.params import SynthParams
from alumni_net.synth.population import Population

__all__ = ["colleague_ties", "guide_table", "long_range_ties", "partnership_ties", "search_right",
           "sort_keys"]

Pairs = tuple[np.ndarray, np.ndarray]


def colleague_ties(pop: Population, p: SynthParams, rng: np.random.Generator) -> Pairs:
    """A Watts-Strogatz small world inside every organisation (or team), all at once.

    Members sit on a ring (in index order, which is random with respect to role) and know the
    ``colleague_k / 2`` nearest on each side; each tie is then rewired with probability
    ``colleague_rewire`` to a random member of the same organisation. Organisations of at most
    ``colleague_k + 1`` people become complete graphs (everyone knows everyone in a small team).

    With ``team_size``, each organisation is first split into teams of about that size (as
    equal as possible) and the ring is drawn inside each team; rewired ties go to a random
    member of the organisation with the same role (clustering within teams and by role).
    """
    if p.team_size is None:
        start, size = pop.org_start[pop.org], pop.org_size[pop.org]
    else:
        start, size = _teams(pop, p.team_size)
    pos = np.arange(pop.n) - start
    a_parts, b_parts = [], []
    for step in range(1, p.colleague_k // 2 + 1):
        i = np.flatnonzero(size > step)
        a_parts.append(i)
        b_parts.append(start[i] + (pos[i] + step) % size[i])
    a, b = np.concatenate(a_parts), np.concatenate(b_parts)
    rewire = np.flatnonzero(rng.random(len(a)) < p.colleague_rewire)
    src = a[rewire]
    if p.team_size is None:
        b[rewire] = start[src] + np.floor(rng.random(len(src)) * size[src]).astype(np.int64)
    else:
        b[rewire] = _same_role_colleague(pop, src, rng)
    return a, b


def _teams(pop: Population, team_size: int) -> tuple[np.ndarray, np.ndarray]:
    """Each person's team as (first member, size): organisation ``g`` of size ``s`` is cut into
    ``max(1, round(s / team_size))`` consecutive teams whose sizes differ by at most one."""
    sizes = pop.org_size
    n_teams = np.maximum(1, np.rint(sizes / team_size)).astype(np.int64)
    org = pop.org
    pos = np.arange(pop.n) - pop.org_start[org]
    s, t = sizes[org], n_teams[org]
    team = (pos * t) // s  # team t covers positions ceil(t s / T) .. ceil((t + 1) s / T) - 1
    lo = -((-team * s) // t)
    hi = -((-(team + 1) * s) // t)
    return pop.org_start[org] + lo, hi - lo


def _same_role_colleague(pop: Population, who: np.ndarray,
                         rng: np.random.Generator) -> np.ndarray:
    """For each person in ``who``, a uniformly drawn member of their organisation with their
    role (possibly themself, dropped later as a self-pair)."""
    order = np.lexsort((pop.role, pop.org))
    key = pop.org[order] * 256 + pop.role[order].astype(np.int64)
    first = np.concatenate([[True], key[1:] != key[:-1]])
    block_start = np.flatnonzero(first)
    block_size = np.diff(np.concatenate([block_start, [pop.n]]))
    block_of = np.empty(pop.n, dtype=np.int64)
    block_of[order] = np.cumsum(first) - 1
    blk = block_of[who]
    pick = block_start[blk] + np.floor(rng.random(len(who)) * block_size[blk]).astype(np.int64)
    return order[pick]


def partnership_ties(
    pop: Population, colleagues: Pairs, p: SynthParams, rng: np.random.Generator
) -> Pairs:
    """Ties across organisations: activity-weighted (Chung-Lu) matching plus triadic closure.

    Each person starts about ``activity * partnership_mean * (1 - closure) / 2`` ties to people
    chosen in proportion to their activity (so expected degree grows with activity and the
    degree tail is as heavy as activity's), within the region with probability
    ``partnership_within_region``. Then ``partnership_closure`` of all partnership ties are formed
    by closing a triangle: a partner's colleague or partner becomes a partner too.
    """
    open_share = 1.0 - p.partnership_closure
    stubs = rng.poisson(pop.activity * (p.partnership_mean * open_share / 2.0))
    a = np.repeat(np.arange(pop.n, dtype=np.int64), stubs)
    b = np.empty_like(a)
    local = rng.random(len(a)) < p.partnership_within_region
    b[local] = _pick_within(pop.region, pop.activity, pop.region[a[local]], rng)
    b[~local] = _pick_within(np.zeros(pop.n, np.int8), pop.activity,
                             np.zeros(int((~local).sum()), np.int8), rng)
    keep = pop.org[a] != pop.org[b]
    a, b = a[keep], b[keep]
    if p.partnership_closure > 0 and len(a):
        n_close = rng.poisson(len(a) * p.partnership_closure / open_share)
        ca, cb = _close_triangles(a, b, colleagues, pop.n, n_close, rng)
        keep = pop.org[ca] != pop.org[cb]
        a, b = np.concatenate([a, ca[keep]]), np.concatenate([b, cb[keep]])
    return a, b


def long_range_ties(pop: Population, p: SynthParams, rng: np.random.Generator) -> Pairs:
    """A few ties between people chosen uniformly from the whole population (other organisation)."""
    m = rng.poisson(p.long_range_per_person * pop.n)
    a = rng.integers(0, pop.n, size=m)
    b = rng.integers(0, pop.n, size=m)
    keep = pop.org[a] != pop.org[b]
    return a[keep], b[keep]


def _pick_within(
    group: np.ndarray, weight: np.ndarray, wanted: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    """For each entry of ``wanted`` (a group code), a person of that group drawn ~ ``weight``."""
    order = np.argsort(group, kind="stable")
    cum = np.cumsum(weight[order])
    bounds = np.searchsorted(group[order], np.arange(int(group.max()) + 2), side="left")
    lo = np.where(bounds[:-1] > 0, cum[np.maximum(bounds[:-1] - 1, 0)], 0.0)
    hi = cum[np.maximum(bounds[1:] - 1, 0)]
    u = lo[wanted] + rng.random(len(wanted)) * (hi[wanted] - lo[wanted])
    idx = np.minimum(search_right(cum, u), len(cum) - 1)
    return order[idx]


def _close_triangles(
    a: np.ndarray, b: np.ndarray, colleagues: Pairs, n: int, m: int, rng: np.random.Generator
) -> Pairs:
    """``m`` ties i-k where i-j is a random partnership and k a random neighbour of j."""
    indptr, neighbours = _adjacency(a, b, colleagues[0], colleagues[1], n)
    pick = rng.integers(0, 2 * len(a), size=m)
    i = np.where(pick < len(a), a[pick % len(a)], b[pick % len(a)])
    j = np.where(pick < len(a), b[pick % len(a)], a[pick % len(a)])
    deg = indptr[j + 1] - indptr[j]  # >= 1: j has at least the partnership with i
    k = neighbours[indptr[j] + np.floor(rng.random(m) * deg).astype(np.int64)]
    return i, k


def _adjacency(a: np.ndarray, b: np.ndarray, c: np.ndarray, d: np.ndarray,
               n: int) -> tuple[np.ndarray, np.ndarray]:
    """Neighbours of every person over the ties ``a-b`` and ``c-d``: ``neighbours[indptr[i]:
    indptr[i + 1]]``, each person's in the order of the directed list ``a->b, b->a, c->d, d->c``
    (what a stable sort of that list by head gives).

    A counting sort (two passes, no concatenated copies): the stable sort of the tens of
    millions of heads of a national network took a seventh of drawing it.
    """
    indptr = np.zeros(n + 1, np.int64)
    for heads in (a, b, c, d):
        _kernels()._count_heads(indptr, heads)
    np.cumsum(indptr, out=indptr)
    neighbours = np.empty(int(indptr[-1]), np.int64)
    position = indptr[:-1].copy()
    for heads, tails in ((a, b), (b, a), (c, d), (d, c)):
        _kernels()._place_tails(position, neighbours, heads, tails)
    return indptr, neighbours


def search_right(cum: np.ndarray, u: np.ndarray, guide: np.ndarray | None = None) -> np.ndarray:
    """``np.searchsorted(cum, u, side="right")`` for a non-decreasing ``cum`` of non-negative
    running totals and finite ``u``, the same indices, found through a guide table.

    Drawing people in proportion to their activity searches millions of uniforms in a running
    total over a million people, each binary search missing the cache some twenty times; the
    table (one bucket per entry of ``cum``, each holding where its lower edge falls) leaves a
    search of a bucket or two. ``guide`` is the table of ``cum`` from :func:`guide_table`, for
    searching the same running total again and again (built anew otherwise).

    Examples
    --------
    >>> search_right(np.array([1.0, 1.0, 3.0]), np.array([0.5, 1.0, 2.9, 3.0])).tolist()
    [0, 2, 2, 3]
    """
    cum = np.ascontiguousarray(cum, dtype=np.float64)
    u = np.ascontiguousarray(u, dtype=np.float64)
    out = np.empty(len(u), np.int64)
    if len(cum) == 0 or not 0 < cum[-1] < np.inf:
        out[:] = np.searchsorted(cum, u, side="right")
        return out
    if guide is None:
        _kernels()._guided_search(cum, u, out)
    else:
        _kernels()._guided_lookup(cum, guide, u, out)
    return out


def guide_table(cum: np.ndarray) -> np.ndarray | None:
    """The guide table :func:`search_right` searches ``cum`` (float64, contiguous) through
    (None when it searches without one: an empty or all-zero running total)."""
    if len(cum) == 0 or not 0 < cum[-1] < np.inf:
        return None
    table = np.empty(len(cum) + 2, np.int64)
    _kernels()._guide_table(np.ascontiguousarray(cum, dtype=np.float64), table)
    return table


def sort_keys(keys: np.ndarray, divisor: int, buckets: int) -> np.ndarray:
    """``np.sort(keys)`` for non-negative int64 keys whose ``keys // divisor`` (a tie's first
    person, when a key is made from the pair) is below ``buckets``: a counting sort into the
    buckets, then each bucket (a person's few ties) sorted on its own.

    Two to three times faster than numpy's sort on the tens of millions of keys of a national
    network, and on the million of a network simulated while fitting.

    Examples
    --------
    >>> sort_keys(np.array([7, 2, 9, 4, 3]), 3, 4).tolist()
    [2, 3, 4, 7, 9]
    """
    keys = np.ascontiguousarray(keys, dtype=np.int64)
    out = np.empty(len(keys), np.int64)
    _kernels()._bucket_sort(keys, np.int64(divisor), np.int64(buckets), out)
    return out


def _kernels() -> ModuleType:
    """The compiled kernels (``_network_kernels``), imported on first use: importing the synth
    package (the command line's help does) must not load Numba."""
    from alumni_net.synth import _network_kernels

    return _network_kernels
