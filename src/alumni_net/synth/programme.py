"""The programme on top of the workforce: recruitment, cohorts, action learning sets, contacts."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from alumni_net.errors import ConfigError
from alumni_net.synth.params import SECTORS, SynthParams
from alumni_net.synth.population import COMMUNITY, Population

#: Ties as index arrays ``(a, b, since)``: the two people and the date each tie starts.
DatedPairs = tuple[np.ndarray, np.ndarray, np.ndarray]

__all__ = [
    "Programme",
    "cohort_dates",
    "post_course_contacts",
    "programme_ties",
    "recruit",
    "sector_quotas",
]


@dataclass(frozen=True)
class Programme:
    """Who took part: ``cohort`` and ``als`` (set within the cohort) per person, -1 if not an alum.

    ``members`` is (n_cohorts, cohort_size): row c lists cohort c's members, dealt so that member
    ``q`` of the row is in set ``q % sets_per_cohort``.
    """

    cohort: np.ndarray  # int32, 0-based cohort, -1 for everyone else
    als: np.ndarray  # int16, 0-based set within the cohort, -1 for everyone else
    members: np.ndarray  # int64 (n_cohorts, cohort_size)
    start: np.ndarray  # datetime64[D] per cohort: first session
    graduation: np.ndarray  # datetime64[D] per cohort: start + course_months


def cohort_dates(p: SynthParams) -> tuple[np.ndarray, np.ndarray]:
    """Start and graduation date of every cohort.

    Cohort ``c`` starts in year ``c // cohorts_per_year`` after the first, spread evenly over
    the months of that year, on the same day of the month as ``first_cohort_start``.
    """
    c = np.arange(p.n_cohorts)
    offset = 12 * (c // p.cohorts_per_year) + (c % p.cohorts_per_year) * 12 // p.cohorts_per_year
    months = offset.astype("timedelta64[M]")
    first = p.start_date
    base = np.datetime64(f"{first.year:04d}-{first.month:02d}", "M")
    day = np.timedelta64(first.day - 1, "D")
    start = (base + months).astype("datetime64[D]") + day
    course = np.timedelta64(p.course_months, "M")
    graduation = (base + months + course).astype("datetime64[D]") + day
    return start, graduation


def sector_quotas(p: SynthParams, rng: np.random.Generator) -> np.ndarray:
    """Leaders per (cohort, sector): each share x cohort rounded down or up, unbiasedly.

    The leftover places of each cohort go to sectors by systematic sampling on the fractional
    parts (Madow 1949), so sector ``s`` gets ``floor(share * L)`` or one more, with the mean
    over cohorts equal to ``share * L`` exactly, and every cohort has exactly ``L`` leaders.

    References
    ----------
    Madow, W. G. (1949). On the theory of systematic sampling, II. Annals of Mathematical
    Statistics 20(3), 333-354. https://doi.org/10.1214/aoms/1177729988
    """
    exact = np.array([p.leader_sector_shares[s] for s in SECTORS]) * p.leaders_per_cohort
    base = np.floor(exact + 1e-9)
    frac = np.clip(exact - base, 0.0, None)
    leftover = p.leaders_per_cohort - int(base.sum())
    cum = np.cumsum(frac)
    if leftover:
        cum *= leftover / cum[-1]
    u = rng.random((p.n_cohorts, 1))
    points = np.floor(cum[None, :] - u) - np.floor(np.concatenate([[0.0], cum[:-1]])[None, :] - u)
    return (base[None, :] + points).astype(np.int64)


def recruit(pop: Population, p: SynthParams, rng: np.random.Generator) -> Programme:
    """Leaders by sector quota from the most senior staff, people who use services, then sets."""
    cohort = np.full(pop.n, -1, dtype=np.int32)
    quotas = sector_quotas(p, rng)
    for s, sector in enumerate(SECTORS):
        wanted = np.repeat(np.arange(p.n_cohorts, dtype=np.int32), quotas[:, s])
        if not len(wanted):
            continue
        pool = np.flatnonzero(pop.sector == s)
        if len(pool) < len(wanted):
            raise ConfigError(f"only {len(pool):,} {sector} staff for {len(wanted):,} places")
        # Senior leaders first, then managers, ...; random order within a role.
        rank = np.argsort(pop.role[pool] + rng.random(len(pool)), kind="stable")
        chosen = pool[rank[: len(wanted)]]
        cohort[rng.permutation(chosen)] = wanted
    users = np.flatnonzero(pop.sector == COMMUNITY)
    wanted = np.repeat(np.arange(p.n_cohorts, dtype=np.int32), p.service_users_per_cohort)
    cohort[rng.choice(users, size=len(wanted), replace=False)] = wanted
    members, als = _deal_sets(pop, cohort, p, rng)
    start, graduation = cohort_dates(p)
    return Programme(cohort, als, members, start, graduation)


def _deal_sets(pop: Population, cohort: np.ndarray, p: SynthParams,
               rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Sort each cohort by sector (random within), then deal round-robin into the sets, so every
    set mixes sectors and the people who use services land in different sets."""
    alumni = np.flatnonzero(cohort >= 0)
    order = np.lexsort((rng.random(len(alumni)), pop.sector[alumni], cohort[alumni]))
    members = alumni[order].reshape(p.n_cohorts, p.cohort_size)
    als = np.full(pop.n, -1, dtype=np.int16)
    als[members] = np.arange(p.cohort_size) % p.sets_per_cohort
    return members, als


def programme_ties(prog: Programme, p: SynthParams) -> dict[str, DatedPairs]:
    """Cohort ties (all pairs in a cohort) and set ties (all pairs in a set), dated at its start."""
    iu = np.triu_indices(p.cohort_size, 1)
    cohort_a, cohort_b = prog.members[:, iu[0]], prog.members[:, iu[1]]
    cohort_since = np.repeat(prog.start, len(iu[0]))
    same_set = (iu[0] % p.sets_per_cohort) == (iu[1] % p.sets_per_cohort)
    set_a, set_b = cohort_a[:, same_set], cohort_b[:, same_set]
    set_since = np.repeat(prog.start, int(same_set.sum()))
    return {
        "cohort": (cohort_a.ravel(), cohort_b.ravel(), cohort_since),
        "action_learning_set": (set_a.ravel(), set_b.ravel(), set_since),
    }


def post_course_contacts(
    pop: Population, prog: Programme, p: SynthParams, rng: np.random.Generator
) -> DatedPairs:
    """Contacts made after graduating: with alumni of other cohorts and with non-alumni.

    Each alum starts Poisson(``post_course_alumni_contacts / 2``) contacts with alumni of other
    cohorts chosen uniformly (and receives as many on average, so the mean is the parameter),
    dated at the later graduation of the two; and Poisson(``post_course_other_contacts``) with
    non-alumni chosen in proportion to activity (people who partner a lot are met more), dated
    at the alum's graduation.
    """
    alumni = prog.members.ravel()
    grad = prog.graduation[prog.cohort[alumni]]
    k = rng.poisson(p.post_course_alumni_contacts / 2.0, size=len(alumni))
    src = np.repeat(np.arange(len(alumni)), k)
    dst = rng.integers(0, len(alumni), size=len(src))
    other_cohort = prog.cohort[alumni[src]] != prog.cohort[alumni[dst]]
    src, dst = src[other_cohort], dst[other_cohort]
    peer = (alumni[src], alumni[dst], np.maximum(grad[src], grad[dst]))
    k = rng.poisson(p.post_course_other_contacts, size=len(alumni))
    src = np.repeat(np.arange(len(alumni)), k)
    cum = np.cumsum(pop.activity)
    dst = np.minimum(np.searchsorted(cum, rng.random(len(src)) * cum[-1], side="right"), pop.n - 1)
    keep = prog.cohort[dst] < 0
    other = (alumni[src[keep]], dst[keep], grad[src[keep]])
    a, b, since = (np.concatenate(parts) for parts in zip(peer, other, strict=True))
    return a, b, since
