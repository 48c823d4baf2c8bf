"""The survey as it was run, simulated on a generated network, so statistics are comparable.

Each respondent is stood for by a person of their sector, region and role (their position); that
person names as many contacts as the respondent did (the same truncation), chosen at random among
their contacts, reports counts with multiplicative recall noise, and says which named contacts
know each other. The egos keep the respondents' survey weights.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from alumni_net.experiments.workforce.model import Structure, WorkforceNetwork
from alumni_net.experiments.workforce.sample import EgoSample

__all__ = ["ego_pools", "noisy_counts", "place_egos", "simulate_survey"]


def noisy_counts(true: np.ndarray, noise: float, rng: np.random.Generator) -> np.ndarray:
    """Reported counts: ``round(true * exp(noise * Z - noise**2 / 2))``, mean-preserving.

    Recall of how many people one knows is noisy and roughly proportional to the count
    (McCormick, Salganik & Zheng 2010); ``noise`` is the SD of the log error.

    References
    ----------
    McCormick, T. H., Salganik, M. J., & Zheng, T. (2010). How many people do you know?: Efficiently
    estimating personal network size. Journal of the American Statistical Association 105(489),
    59-70. https://doi.org/10.1198/jasa.2009.ap08518

    Examples
    --------
    >>> noisy_counts(np.array([0, 10, 20]), 0.0, np.random.default_rng(0)).tolist()
    [0.0, 10.0, 20.0]
    """
    factor = np.exp(noise * rng.standard_normal(len(true)) - noise**2 / 2.0)
    return np.round(np.asarray(true, float) * factor)


def ego_pools(structure: Structure, sample: EgoSample) -> list[np.ndarray]:
    """For each respondent, the people who can stand for them: those of the same sector, region
    and role; unknown parts of a respondent's group, or a group nobody is in, are relaxed (role,
    then region, then sector; anyone at last)."""
    members = structure.group_members()
    cache: dict[tuple, np.ndarray] = {}
    out = []
    for group in zip(sample.sector, sample.region, sample.role, strict=True):
        key = (int(group[0]), int(group[1]), int(group[2]))
        if key not in cache:
            cache[key] = _pool(members, key, structure.n)
        out.append(cache[key])
    return out


def place_egos(pools: list[np.ndarray], rng: np.random.Generator) -> np.ndarray:
    """One person from each respondent's pool."""
    u = rng.random(len(pools))
    return np.array([p[int(x * len(p))] for p, x in zip(pools, u, strict=True)], dtype=np.int64)


def _pool(members: dict, group: tuple[int, int, int], n: int) -> np.ndarray:
    sector, region, role = group
    for want in ((sector, region, role), (sector, region, -1), (sector, -1, -1)):
        if all(w < 0 for w in want):
            continue
        pool = [m for k, m in members.items()
                if all(w < 0 or w == v for w, v in zip(want, k, strict=True))]
        if pool:
            return np.concatenate(pool)
    return np.arange(n, dtype=np.int64)


def simulate_survey(net: WorkforceNetwork, egos: np.ndarray, named: np.ndarray,
                    weights: np.ndarray, noise: float, proxy_noise: float,
                    rng: np.random.Generator) -> EgoSample:
    """The survey on ``net``: person ``egos[i]`` names up to ``named[i]`` random contacts and
    guesses each contact's count in other organisations (log error SD ``proxy_noise``)."""
    pop = net.pop
    cross = pop.org[net.a] != pop.org[net.b]
    other_degree = np.bincount(np.concatenate([net.a[cross], net.b[cross]]), minlength=net.n)
    ego_of, nb = _neighbours(net, egos)
    degree = np.bincount(ego_of, minlength=len(egos))
    same_nb = pop.org[nb] == pop.org[egos[ego_of]]
    own = np.bincount(ego_of, weights=same_nb, minlength=len(egos)).astype(float)
    other = degree - own
    k = np.minimum(np.asarray(named, np.int64), degree)
    # k distinct random contacts of each ego: the k smallest of a random key within its list
    starts = np.concatenate([[0], np.cumsum(degree)[:-1]]).astype(np.int64)
    order = _sort_within(rng.random(len(nb)), starts, degree)
    rank = np.arange(len(nb)) - np.repeat(starts, degree)
    alters = nb[order[rank < np.repeat(k, degree)]]
    alter_ego = np.repeat(np.arange(len(egos)), k)
    pair_ego, x, y = _pairs(k)
    lo, hi = np.minimum(alters[x], alters[y]), np.maximum(alters[x], alters[y])
    keys = net.keys()
    want = lo * np.int64(net.n) + hi
    pos = np.minimum(np.searchsorted(keys, want), max(len(keys) - 1, 0))
    pair_tied = keys[pos] == want if len(keys) else np.zeros(len(want), bool)
    same = pop.org[alters] == pop.org[egos[alter_ego]]
    return EgoSample(
        weight=np.asarray(weights, float), sector=pop.sector[egos].astype(np.int64),
        region=pop.region[egos].astype(np.int64), role=pop.role[egos].astype(np.int64),
        own=noisy_counts(own, noise, rng), other=noisy_counts(other, noise, rng),
        alter_ego=alter_ego, alter_sector=pop.sector[alters].astype(np.int64),
        alter_region=pop.region[alters].astype(np.int64),
        alter_role=pop.role[alters].astype(np.int64),
        same_org=same.astype(np.int8), programme=np.zeros(len(alters), bool),
        alter_other=noisy_counts(other_degree[alters], proxy_noise, rng),
        pair_ego=pair_ego, pair_same=same[x] & same[y], pair_tied=pair_tied,
    )


def _neighbours(net: WorkforceNetwork, egos: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every (ego position, neighbour) pair, grouped by ego position, without building the whole
    network's adjacency: only the ties that touch an ego are looked at (two positions stood in
    for by one person get that person's neighbours each).

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> net = SimpleNamespace(a=np.array([0, 0, 1]), b=np.array([1, 2, 2]))
    >>> [x.tolist() for x in _neighbours(net, np.array([2, 0, 2]))]
    [[0, 0, 1, 1, 2, 2], [0, 1, 1, 2, 0, 1]]
    """
    unique, inverse = np.unique(egos, return_inverse=True)
    ends = np.concatenate([net.a, net.b])
    other = np.concatenate([net.b, net.a])
    hit = np.flatnonzero(np.isin(ends, unique))
    which = np.searchsorted(unique, ends[hit])
    order = np.argsort(which, kind="stable")
    nb_u = other[hit][order]  # neighbours of unique[0], then of unique[1], ...
    deg_u = np.bincount(which, minlength=len(unique))
    start_u = np.concatenate([[0], np.cumsum(deg_u)[:-1]]).astype(np.int64)
    deg = deg_u[inverse]
    ego_of = np.repeat(np.arange(len(egos), dtype=np.int64), deg)
    first = np.concatenate([[0], np.cumsum(deg)[:-1]]).astype(np.int64)
    within = np.arange(len(ego_of), dtype=np.int64) - np.repeat(first, deg)
    return ego_of, nb_u[np.repeat(start_u[inverse], deg) + within]


@njit(cache=True)
def _sort_within(key, starts, sizes):
    """The order that sorts ``key`` within each run ``starts[i] .. starts[i] + sizes[i]``
    (runs in order, covering ``key``), stably: ``np.lexsort((key, run))`` without sorting
    the whole list (that lexsort was a sixth of a fit simulation).

    Examples
    --------
    >>> _sort_within(np.array([0.5, 0.2, 0.9, 0.1, 0.3]), np.array([0, 2]),
    ...              np.array([2, 3])).tolist()
    [1, 0, 3, 4, 2]
    """
    order = np.empty(len(key), np.int64)
    for i in range(len(starts)):
        s, m = starts[i], sizes[i]
        order[s:s + m] = s + np.argsort(key[s:s + m], kind="mergesort")
    return order


def _pairs(k: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every pair of contacts of each ego (``k[i]`` contacts, listed ego by ego): the ego and
    the positions of the two contacts, in the order ``itertools.combinations`` gives them.

    Examples
    --------
    >>> [x.tolist() for x in _pairs(np.array([3, 1, 2]))]
    [[0, 0, 0, 2], [0, 0, 1, 4], [1, 2, 2, 5]]
    """
    k = np.asarray(k, np.int64)
    starts = np.concatenate([[0], np.cumsum(k)[:-1]]) if len(k) else np.zeros(0, np.int64)
    ego, x, y = [], [], []
    for m in np.unique(k[k > 1]):
        a, b = np.triu_indices(int(m), 1)
        rows = np.flatnonzero(k == m)
        ego.append(np.repeat(rows, len(a)))
        x.append((starts[rows][:, None] + a[None, :]).ravel())
        y.append((starts[rows][:, None] + b[None, :]).ravel())
    if not ego:
        empty = np.zeros(0, np.int64)
        return empty, empty, empty
    ego_a, x_a, y_a = (np.concatenate(v).astype(np.int64) for v in (ego, x, y))
    order = np.lexsort((y_a, x_a))  # ego by ego, each in combinations' order
    return ego_a[order], x_a[order], y_a[order]
