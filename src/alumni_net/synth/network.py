"""The workforce and community network: colleague, partnership and long-range ties.

Every function returns ``(a, b)`` int64 arrays of person indices (one tie per position, in no
particular order, possibly repeated or self-pairs); the caller keeps each pair once.
"""

from __future__ import annotations

import numpy as np

from alumni_net.synth.params import SynthParams
from alumni_net.synth.population import Population

__all__ = ["colleague_ties", "long_range_ties", "partnership_ties"]

Pairs = tuple[np.ndarray, np.ndarray]


def colleague_ties(pop: Population, p: SynthParams, rng: np.random.Generator) -> Pairs:
    """A Watts-Strogatz small world inside every organisation, all organisations at once.

    Members sit on a ring (in index order, which is random with respect to role) and know the
    ``colleague_k / 2`` nearest on each side; each tie is then rewired with probability
    ``colleague_rewire`` to a random member of the same organisation. Organisations of at most
    ``colleague_k + 1`` people become complete graphs (everyone knows everyone in a small team).
    """
    start = pop.org_start[pop.org]
    size = pop.org_size[pop.org]
    pos = np.arange(pop.n) - start
    a_parts, b_parts = [], []
    for step in range(1, p.colleague_k // 2 + 1):
        i = np.flatnonzero(size > step)
        a_parts.append(i)
        b_parts.append(start[i] + (pos[i] + step) % size[i])
    a, b = np.concatenate(a_parts), np.concatenate(b_parts)
    rewire = np.flatnonzero(rng.random(len(a)) < p.colleague_rewire)
    src = a[rewire]
    b[rewire] = start[src] + np.floor(rng.random(len(src)) * size[src]).astype(np.int64)
    return a, b


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
    idx = np.minimum(np.searchsorted(cum, u, side="right"), len(cum) - 1)
    return order[idx]


def _close_triangles(
    a: np.ndarray, b: np.ndarray, colleagues: Pairs, n: int, m: int, rng: np.random.Generator
) -> Pairs:
    """``m`` ties i-k where i-j is a random partnership and k a random neighbour of j."""
    heads = np.concatenate([a, b, colleagues[0], colleagues[1]])
    tails = np.concatenate([b, a, colleagues[1], colleagues[0]])
    order = np.argsort(heads, kind="stable")
    indptr = np.concatenate([[0], np.cumsum(np.bincount(heads, minlength=n))])
    neighbours = tails[order]
    pick = rng.integers(0, 2 * len(a), size=m)
    i = np.where(pick < len(a), a[pick % len(a)], b[pick % len(a)])
    j = np.where(pick < len(a), b[pick % len(a)], a[pick % len(a)])
    deg = indptr[j + 1] - indptr[j]  # >= 1: j has at least the partnership with i
    k = neighbours[indptr[j] + np.floor(rng.random(m) * deg).astype(np.int64)]
    return i, k
