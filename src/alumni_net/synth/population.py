"""People and organisations: sector x region cells, Zipf-sized organisations, roles and activity."""

from __future__ import annotations

import math
import os
from dataclasses import dataclass

import numpy as np
import pandas as pd

from alumni_net.errors import ConfigError
from alumni_net.synth.params import (
    ENGLAND_REGIONS,
    GENERIC_ROLES,
    PRESETS,
    REGIONS,
    ROLES,
    SECTORS,
    SERVICE_USER_SECTOR,
    SynthParams,
    make_params,
)
from alumni_net.synth.workforce import (
    load_population,
    population_path,
    scale_counts,
    split_counts,
)

__all__ = ["COMMUNITY", "Population", "build_population", "org_sizes", "population_counts",
           "preset_population"]

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
    """Split the population into sector x region cells, then each cell into organisations.

    Cells come from the shares (multinomial) or, with ``p.population``, from a population table
    (scaled exactly, roles included).
    """
    if p.population is not None:
        return _table_population(p, rng)
    n_comm = round(p.n_people * p.community_share)
    sector_p = np.array([p.sector_shares[s] for s in SECTORS])
    region_p = np.array([p.region_shares[r] for r in ENGLAND_REGIONS])
    # Multinomial cells: realised shares differ from the parameters only by sampling noise.
    work = rng.multinomial(p.n_people - n_comm, _normalised(np.outer(sector_p, region_p).ravel()))
    comm = rng.multinomial(n_comm, _normalised(region_p))
    n_regions = len(ENGLAND_REGIONS)
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
    return zipf_sizes(rng, count, p.org_size_min, p.org_size_max, p.org_size_exponent)


def zipf_sizes(rng: np.random.Generator, count: int, lo: int, hi: int,
               exponent: float) -> np.ndarray:
    """Sizes ``floor(lo * U ** (-1 / exponent))`` capped at ``hi``, adding up to ``count``
    (see :func:`org_sizes`)."""
    if count <= 0:
        return np.zeros(0, dtype=np.int64)
    mean = _capped_pareto_mean(lo, hi, exponent)
    chunks, total = [], 0
    while total < count:
        m = max(8, math.ceil(1.2 * (count - total) / mean))
        draw = np.floor(lo * (1.0 - rng.random(m)) ** (-1.0 / exponent))
        chunk = np.minimum(draw, hi).astype(np.int64)
        chunks.append(chunk)
        total += int(chunk.sum())
    sizes = np.concatenate(chunks)
    cum = np.cumsum(sizes)
    last = int(np.searchsorted(cum, count))
    sizes = sizes[: last + 1].copy()
    sizes[-1] -= int(cum[last]) - count
    if len(sizes) > 1 and sizes[-1] < lo:
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
    shares = _normalised(np.array([p.role_shares[r] for r in GENERIC_ROLES]))
    role = rng.choice(len(shares), size=len(sector), p=shares).astype(np.int8)
    role[sector == COMMUNITY] = len(ROLES) - 1
    return role


def _activity(rng: np.random.Generator, role: np.ndarray, p: SynthParams) -> np.ndarray:
    """Heavy-tailed propensity to partner: lognormal noise times the role's weight, mean 1."""
    weight = np.array([p.role_activity.get(r, 0.0) for r in ROLES])
    activity = rng.lognormal(0.0, p.activity_sigma, size=len(role)) * weight[role]
    return activity / activity.mean()


def _table_population(p: SynthParams, rng: np.random.Generator) -> Population:
    """Cells (region x sector) and their roles from the population table, scaled exactly to the
    workforce; organisations by the sector's ``org_types``; the community spread over regions
    as the workforce is."""
    table = _coded_table(p)
    region, sector, role = (table[c].to_numpy() for c in ("region", "sector", "role"))
    counts, comm = split_counts(table["count"].to_numpy(), region, p.n_people,
                                p.community_share, len(REGIONS))
    cell = region.astype(np.int64) * (len(SECTORS) + 1) + sector
    sizes, cell_sector, cell_region, roles = [], [], [], []
    for key in np.unique(cell):
        rows = np.flatnonzero(cell == key)
        people = rng.permutation(np.repeat(role[rows], counts[rows]))
        if not len(people):
            continue
        s = int(sector[rows[0]])
        org = _typed_sizes(rng, len(people), SECTORS[s], p)
        sizes.append(org)
        cell_sector.append(np.full(len(org), s))
        cell_region.append(np.full(len(org), int(region[rows[0]])))
        roles.append(people)
    for r in np.flatnonzero(comm):
        org = _typed_sizes(rng, int(comm[r]), SERVICE_USER_SECTOR, p)
        sizes.append(org)
        cell_sector.append(np.full(len(org), COMMUNITY))
        cell_region.append(np.full(len(org), r))
        roles.append(np.full(int(comm[r]), len(ROLES) - 1))
    size = np.concatenate(sizes)
    org_start = np.concatenate([[0], np.cumsum(size)]).astype(np.int64)
    org = np.repeat(np.arange(len(size), dtype=np.int64), size)
    sector_code = np.concatenate(cell_sector).astype(np.int8)[org]
    region_code = np.concatenate(cell_region).astype(np.int8)[org]
    role_code = np.concatenate(roles).astype(np.int8)
    return Population(sector_code, region_code, role_code, org, org_start,
                      _activity(rng, role_code, p))


def _typed_sizes(rng: np.random.Generator, count: int, sector: str,
                 p: SynthParams) -> np.ndarray:
    """Organisation sizes of one cell: its people split over the sector's types by their shares
    (exactly), each type's organisations Zipf-sized; without types, the generic sizes."""
    types = (p.org_types or {}).get(sector)
    if not types:
        return org_sizes(rng, count, p)
    per_type = scale_counts([t["share"] for t in types.values()], count)
    return np.concatenate([zipf_sizes(rng, int(c), int(t["min"]), int(t["max"]),
                                      float(t["exponent"]))
                           for c, t in zip(per_type, types.values(), strict=True)])


def _coded_table(p: SynthParams) -> pd.DataFrame:
    """The population table with labels turned into codes; ConfigError naming unknown labels
    and roles without an activity weight."""
    if p.population is None:  # callers check first; the message is for a direct call
        raise ConfigError("a population table is needed: give SynthParams(population=...)")
    table = load_population(p.population)
    table = table[table["count"] > 0]
    problems = []
    coded = {}
    for col, labels in (("region", REGIONS), ("sector", SECTORS), ("role", ROLES[:-1])):
        known = {label: i for i, label in enumerate(labels)}
        unknown = sorted(set(table[col]) - set(known))
        if unknown:
            problems.append(f"{col} {', '.join(map(repr, unknown))} (known: {', '.join(labels)})")
        coded[col] = table[col].map(known)
    if problems:
        raise ConfigError(f"the population table {p.population} has labels the synthetic "
                          f"generator does not know: {'; '.join(problems)}")
    unweighted = sorted(set(table["role"]) - set(p.role_activity))
    if unweighted or ROLES[-1] not in p.role_activity:
        missing = [*unweighted, *([ROLES[-1]] if ROLES[-1] not in p.role_activity else [])]
        raise ConfigError(f"role_activity needs a weight for {', '.join(missing)} (roles of the "
                          "population table and community_member)")
    if not len(table):
        raise ConfigError(f"the population table {p.population} counts nobody")
    coded["count"] = table["count"]
    return pd.DataFrame({k: v.to_numpy() for k, v in coded.items()})


def preset_population(preset: str = "national") -> pd.DataFrame:
    """The people a preset built on a population table places, as counts by group.

    ``region, sector, role, count``: the table's rows scaled to the preset's ``n_people`` less
    its people who use services (largest remainder), then the people who use services by region
    (sector ``people_who_use_services``, role ``community_member``), exactly as
    :func:`build_population` counts them. ``alumni-net workforce`` scales to this by default
    (``--population national``), so an estimate and a national synthetic run share one population.

    Examples
    --------
    >>> pop = preset_population("national")
    >>> int(pop["count"].sum()), int(pop.loc[pop["role"] == "community_member", "count"].sum())
    (3000000, 60000)
    """
    p = make_params(preset)
    if p.population is None:
        raise ConfigError(f"the '{preset}' preset is not built on a population table")
    coded = _coded_table(p)
    table = load_population(p.population)
    table = table.loc[table["count"] > 0, ["region", "sector", "role"]].reset_index(drop=True)
    counts, comm = split_counts(coded["count"].to_numpy(), coded["region"].to_numpy(),
                                p.n_people, p.community_share, len(REGIONS))
    community = pd.DataFrame({"region": [REGIONS[r] for r in np.flatnonzero(comm)],
                              "sector": SERVICE_USER_SECTOR, "role": ROLES[-1],
                              "count": comm[comm > 0]})
    out = pd.concat([table.assign(count=counts), community], ignore_index=True)
    out["count"] = out["count"].astype(np.int64)
    return out


def population_counts(source: str | os.PathLike = "national") -> pd.DataFrame:
    """``region, sector, role, count`` of a population: a preset's (``"national"``, see
    :func:`preset_population`), a packaged table's (``"uk_workforce"``) or a population table
    file's, read by :func:`alumni_net.synth.workforce.load_population` (the one loader). Other
    columns (``sources``) are dropped; ``attrs["file"]`` names the source in messages.
    """
    if isinstance(source, str) and source in PRESETS:
        out = preset_population(source)
        out.attrs["file"] = f"{source} (the {source} synthetic preset's population)"
        return out
    table = load_population(source)
    out = table[["region", "sector", "role", "count"]].copy()
    out.attrs["file"] = population_path(source).name
    return out
