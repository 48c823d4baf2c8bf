"""Validation of SynthParams: ranges, share tables, and enough people to recruit from."""

from __future__ import annotations

import datetime as dt
import math
from typing import TYPE_CHECKING

from alumni_net.core.checks import check_int, check_number
from alumni_net.errors import ConfigError

if TYPE_CHECKING:
    from alumni_net.synth.params import SynthParams

__all__ = ["check_enough_people", "check_ranges", "check_shares", "check_structure"]


def check_shares(name: str, shares: dict[str, float], keys: tuple[str, ...]) -> None:
    if not isinstance(shares, dict) or set(shares) != set(keys):
        raise ConfigError(f"{name} must give a share for exactly these keys: {', '.join(keys)}")
    values = [float(v) for v in shares.values()]
    if any(not math.isfinite(v) or v < 0 for v in values) or not math.isclose(sum(values), 1.0,
                                                                                abs_tol=1e-9):
        raise ConfigError(f"{name} must be non-negative shares that sum to 1, got {shares}")


_INT_RANGES = {
    "n_people": (100, 50_000_000),
    "n_cohorts": (1, 10_000),
    "cohorts_per_year": (1, 12),
    "leaders_per_cohort": (1, 1_000),
    "service_users_per_cohort": (0, 1_000),
    "sets_per_cohort": (1, 100),
    "n_sessions": (1, 100),
    "course_months": (1, 60),
    "org_size_min": (2, 1_000_000),
    "org_size_max": (2, 50_000_000),
    "colleague_k": (2, 200),
}
_FLOAT_RANGES = {
    "community_share": (0.0, 0.9),
    "org_size_exponent": (0.5, 5.0),
    "colleague_rewire": (0.0, 1.0),
    "partnership_mean": (0.0, 100.0),
    "partnership_within_region": (0.0, 1.0),
    "partnership_closure": (0.0, 1.0),
    "activity_sigma": (0.0, 3.0),
    "long_range_per_person": (0.0, 10.0),
    "post_course_alumni_contacts": (0.0, 100.0),
    "post_course_other_contacts": (0.0, 100.0),
}


def check_ranges(p: SynthParams, roles: tuple[str, ...]) -> None:
    for name, (lo, hi) in _INT_RANGES.items():
        check_int(name, getattr(p, name), lo, hi)
    for name, (low, high) in _FLOAT_RANGES.items():
        check_number(name, getattr(p, name), low, high)
    generic = (*roles[:4], roles[-1])  # the pyramid and the community
    if not isinstance(p.role_activity, dict) or not set(p.role_activity) <= set(roles) or any(
        isinstance(v, bool) or not isinstance(v, (int, float)) or not 0 < v <= 1_000
        for v in p.role_activity.values()
    ) or (p.population is None and not set(generic) <= set(p.role_activity)):
        raise ConfigError(f"role_activity needs a positive weight (at most 1,000) for each role "
                          f"in use ({', '.join(generic)} without a population table), and "
                          f"only for roles among {', '.join(roles)}")
    if p.org_size_max < p.org_size_min:
        raise ConfigError("org_size_max must be at least org_size_min")
    if p.colleague_k % 2:
        raise ConfigError(f"colleague_k must be even (k/2 on each side), got {p.colleague_k}")
    if p.sets_per_cohort > p.cohort_size:
        raise ConfigError("sets_per_cohort cannot exceed the cohort size (leaders + service users)")
    try:
        start = dt.date.fromisoformat(p.first_cohort_start)
    except (TypeError, ValueError):
        raise ConfigError(
            f"first_cohort_start must be a date written YYYY-MM-DD, got {p.first_cohort_start!r}"
        ) from None
    if start.day > 28:
        raise ConfigError("first_cohort_start must fall on day 1-28 so every month has that day")


def check_enough_people(p: SynthParams) -> None:
    """Recruits must be a minority of the people they are drawn from, or the sample is the pool."""
    community = round(p.n_people * p.community_share)
    if p.n_cohorts * p.service_users_per_cohort > community // 2:
        raise ConfigError(
            f"{p.n_cohorts * p.service_users_per_cohort:,} people who use services cannot be "
            f"recruited from a community of {community:,}; raise n_people or community_share"
        )
    workforce = p.n_people - community
    senior = p.role_shares["senior_leader"] + p.role_shares["manager"]
    for sector, share in p.leader_sector_shares.items():
        wanted = math.ceil(share * p.leaders_per_cohort) * p.n_cohorts if share else 0
        pool = workforce * p.sector_shares[sector] * senior
        if wanted > pool / 2:
            raise ConfigError(
                f"about {wanted:,} {sector} leaders cannot be recruited from about {int(pool):,} "
                "senior leaders and managers in that sector; raise n_people or lower the cohorts"
            )


_TYPE_KEYS = ("share", "min", "max", "exponent")


def check_structure(p: SynthParams, sectors: tuple[str, ...]) -> None:
    """``population`` (a name or path), ``org_types`` (sizes by sector) and ``team_size``."""
    if p.population is not None and not isinstance(p.population, str):
        raise ConfigError(f"population must be a table name or a file path, got "
                          f"{p.population!r}")
    if p.team_size is not None:
        check_int("team_size", p.team_size, 2, 100_000)
    if p.org_types is None:
        return
    if not isinstance(p.org_types, dict) or not set(p.org_types) <= set(sectors):
        raise ConfigError(f"org_types must map sectors (among {', '.join(sectors)}) to "
                          "organisation types")
    for sector, types in p.org_types.items():
        if not isinstance(types, dict) or not types:
            raise ConfigError(f"org_types for {sector} must map type names to their share, min, "
                              "max and exponent")
        for name, t in types.items():
            where = f"org_types {sector}.{name}"
            if not isinstance(t, dict) or set(t) != set(_TYPE_KEYS):
                raise ConfigError(f"{where} must give exactly: {', '.join(_TYPE_KEYS)}")
            check_number(f"{where} share", t["share"], 0.0, 1.0)
            check_int(f"{where} min", t["min"], 1, 10_000_000)
            check_int(f"{where} max", t["max"], 1, 50_000_000)
            check_number(f"{where} exponent", t["exponent"], 0.5, 5.0)
            if t["max"] < t["min"]:
                raise ConfigError(f"{where} max must be at least its min")
        total = sum(float(t["share"]) for t in types.values())
        if not math.isclose(total, 1.0, abs_tol=1e-9):
            raise ConfigError(f"org_types shares of {sector} must sum to 1, got {total:g}")
