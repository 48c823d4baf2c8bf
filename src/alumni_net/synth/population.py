"""People and organisations: sector x region cells, Zipf-sized organisations, roles and activity."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from alumni_net.synth.params import REGIONS, ROLES, SECTORS, SynthParams

__all__ = ["COMMUNITY", "Population", "build_population", "org_sizes"]

#: Sector code of community members (people who use services), after the workforce sectors.
COMMUNITY = len(SECTORS)


@dataclass(frozen=True)
class Population:
    """Everyone in the synthetic system as parallel arrays, people grouped by organisation.

    Person ``i`` belongs to organisation ``org[i]``; the members of organisation ``g`` are the
    contiguous range ``org_start[g]:org_start[g + 1]``. Sector and region are the organisation's.
    """

    sector: np.ndarray  # int8 codes into SECTORS, COMMUNITY for people who use services
    region: np.ndarray  # int8 codes into REGIONS
    role: np.ndarray  # int8 codes into ROLES
    org: np.ndarray  # int64 organisation of each person
    org_start: np.ndarray  # int64, n_orgs + 1 offsets
    activity: np.ndarray  # float64, mean 1: propensity to form ties outside the organisation

    @property
    def n(self) -> int:
        return len(self.org)

    @property
    def n_orgs(self) -> int:
        return len(self.org_start) - 1

    @property
    def org_size(self) -> np.ndarray:
        return np.diff(self.org_start)


def build_population(p: SynthParams, rng: np.random.Generator) -> Population:
    """Split the population into sector x region cells, then each cell into organisations."""
    n_comm = round(p.n_people * p.community_share)
    sector_p = np.array([p.sector_shares[s] for s in SECTORS])
    region_p = np.array([p.region_shares[r] for r in REGIONS])
    # Multinomial cells: realised shares differ from the parameters only by sampling noise.
    work = rng.multinomial(p.n_people - n_comm, _normalised(np.outer(sector_p, region_p).ravel()))
    comm = rng.multinomial(n_comm, _normalised(region_p))
    n_regions = len(REGIONS)
    cell_sector = np.concatenate([np.repeat(np.arange(len(SECTORS)), n_regions),
                                  np.full(n_regions, COMMUNITY)])
    cell_region = np.concatenate([np.tile(np.arange(n_regions), len(SECTORS)),
                                  np.arange(n_regions)])
    sizes = [org_sizes(rng, int(c), p) for c in np.concatenate([work, comm])]
    n_per_cell = np.array([len(s) for s in sizes])
    size = np.concatenate(sizes)
    org_start = np.concatenate([[0], np.cumsum(size)]).astype(np.int64)
    org = np.repeat(np.arange(len(size), dtype=np.int64), size)
    sector = np.repeat(cell_sector, n_per_cell)[org].astype(np.int8)
    region = np.repeat(cell_region, n_per_cell)[org].astype(np.int8)
    role = _roles(rng, sector, p)
    return Population(sector, region, role, org, org_start, _activity(rng, role, p))


def org_sizes(rng: np.random.Generator, count: int, p: SynthParams) -> np.ndarray:
    """Zipf-distributed organisation sizes (at least ``org_size_min``) that add up to ``count``.

    Sizes are ``floor(min * U ** (-1 / exponent))`` capped at ``org_size_max``, drawn in batches
    until the cell is full; the last organisation takes the remainder (merged into the one
    before when it would be smaller than the minimum).
    """
    if count <= 0:
        return np.zeros(0, dtype=np.int64)
    mean = _capped_pareto_mean(p.org_size_min, p.org_size_max, p.org_size_exponent)
    chunks, total = [], 0
    while total < count:
        m = max(8, math.ceil(1.2 * (count - total) / mean))
        draw = np.floor(p.org_size_min * (1.0 - rng.random(m)) ** (-1.0 / p.org_size_exponent))
        chunk = np.minimum(draw, p.org_size_max).astype(np.int64)
        chunks.append(chunk)
        total += int(chunk.sum())
    sizes = np.concatenate(chunks)
    cum = np.cumsum(sizes)
    last = int(np.searchsorted(cum, count))
    sizes = sizes[: last + 1].copy()
    sizes[-1] -= int(cum[last]) - count
    if len(sizes) > 1 and sizes[-1] < p.org_size_min:
        sizes[-2] += sizes[-1]
        sizes = sizes[:-1]
    return sizes


def _capped_pareto_mean(xmin: float, cap: float, alpha: float) -> float:
    """E[min(X, cap)] for a Pareto(xmin, alpha) X: only used to size the batches."""
    if math.isclose(alpha, 1.0):
        return xmin * (1.0 + math.log(cap / xmin))
    return xmin + xmin**alpha * (cap ** (1 - alpha) - xmin ** (1 - alpha)) / (1 - alpha)


def _normalised(p: np.ndarray) -> np.ndarray:
    return p / p.sum()


def _roles(rng: np.random.Generator, sector: np.ndarray, p: SynthParams) -> np.ndarray:
    shares = _normalised(np.array([p.role_shares[r] for r in ROLES[:-1]]))
    role = rng.choice(len(shares), size=len(sector), p=shares).astype(np.int8)
    role[sector == COMMUNITY] = len(ROLES) - 1
    return role


def _activity(rng: np.random.Generator, role: np.ndarray, p: SynthParams) -> np.ndarray:
    """Heavy-tailed propensity to partner: lognormal noise times the role's weight, mean 1."""
    weight = np.array([p.role_activity[r] for r in ROLES])
    activity = rng.lognormal(0.0, p.activity_sigma, size=len(role)) * weight[role]
    return activity / activity.mean()
