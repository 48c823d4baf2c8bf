"""The survey as it was run, simulated on a generated network, so statistics are comparable.

Each respondent is stood for by a person of their sector, region and role (their position); that
person names as many contacts as the respondent did (the same truncation), chosen at random among
their contacts, reports counts with multiplicative recall noise, and says which named contacts
know each other. The egos keep the respondents' survey weights.
"""

from __future__ import annotations

from itertools import combinations

import numpy as np

from alumni_net.experiments.workforce.model import Structure, WorkforceNetwork
from alumni_net.experiments.workforce.sample import EgoSample

__all__ = ["ego_pools", "noisy_counts", "place_egos", "simulate_survey"]


def noisy_counts(true: np.ndarray, noise: float, rng: np.random.Generator) -> np.ndarray:
    """Reported counts: ``round(true * exp(noise * Z - noise**2 / 2))``, mean-preserving.

    Recall of how many people one knows is noisy and roughly proportional to the count
    (McCormick, Salganik & Zheng 2010); ``noise`` is the SD of the log error.

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
        key = tuple(int(g) for g in group)
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
    indptr, indices = net.csr()
    pop = net.pop
    keys = net.keys()
    cross = pop.org[net.a] != pop.org[net.b]
    other_degree = np.bincount(np.concatenate([net.a[cross], net.b[cross]]), minlength=net.n)
    own = np.empty(len(egos))
    other = np.empty(len(egos))
    alter_ego, alters, pair_ego, pair_same, pair_tied = [], [], [], [], []
    for i, e in enumerate(egos):
        nb = indices[indptr[e]:indptr[e + 1]]
        same = pop.org[nb] == pop.org[e]
        own[i], other[i] = same.sum(), len(nb) - same.sum()
        k = min(int(named[i]), len(nb))
        if k == 0:
            continue
        chosen = rng.choice(len(nb), size=k, replace=False)
        alter_ego += [i] * k
        alters.append(nb[chosen])
        for x, y in combinations(chosen, 2):
            pair_ego.append(i)
            pair_same.append(bool(same[x] and same[y]))
            lo, hi = min(nb[x], nb[y]), max(nb[x], nb[y])
            key = lo * np.int64(net.n) + hi
            pos = np.searchsorted(keys, key)
            pair_tied.append(bool(pos < len(keys) and keys[pos] == key))
    alter_ego = np.array(alter_ego, dtype=np.int64)
    alters = np.concatenate(alters) if alters else np.zeros(0, np.int64)
    return EgoSample(
        weight=np.asarray(weights, float), sector=pop.sector[egos].astype(np.int64),
        region=pop.region[egos].astype(np.int64), role=pop.role[egos].astype(np.int64),
        own=noisy_counts(own, noise, rng), other=noisy_counts(other, noise, rng),
        alter_ego=alter_ego, alter_sector=pop.sector[alters].astype(np.int64),
        alter_region=pop.region[alters].astype(np.int64),
        alter_role=pop.role[alters].astype(np.int64),
        same_org=(pop.org[alters] == pop.org[egos[alter_ego]]).astype(np.int8),
        programme=np.zeros(len(alters), bool),
        alter_other=noisy_counts(other_degree[alters], proxy_noise, rng),
        pair_ego=np.array(pair_ego, np.int64), pair_same=np.array(pair_same, bool),
        pair_tied=np.array(pair_tied, bool),
    )
