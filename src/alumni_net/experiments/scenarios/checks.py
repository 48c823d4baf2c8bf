"""Checks of a scenario file against the people it runs on, before anything runs.

The file itself was checked on reading (:mod:`.parse`); these need the data: do the named roles,
sectors and regions exist, is there an ``eligible`` column when the pool needs one, can the
candidate pool fill every future cohort, can it meet each quota, and does the data have what the
recruitment strategy reads (its columns, the people it names). Every problem is one
sentence naming the scenario and the key; all are returned together.
"""

from __future__ import annotations

import difflib

import numpy as np
import pandas as pd

from alumni_net.errors import ConfigError
from alumni_net.experiments.scenarios.apply import (
    _is_alum,
    _observed_starts,
    candidates,
    regions_in_turn,
)
from alumni_net.experiments.scenarios.cohort_data import unreadable_flags
from alumni_net.experiments.scenarios.spec import Scenario, ScenarioFile
from alumni_net.io import Dataset
from alumni_net.synth.params import SERVICE_USER_SECTOR

__all__ = ["check_against_data"]


def check_against_data(sf: ScenarioFile, ds: Dataset) -> list[str]:
    """Every problem of ``sf`` on ``ds``, one sentence each (empty when it can run)."""
    problems = _timing(sf, ds)
    for scenario in sf.scenarios:
        problems += [f"scenario {scenario.name!r}: {p}" for p in _scenario(sf, scenario, ds)]
    return problems


def _timing(sf: ScenarioFile, ds: Dataset) -> list[str]:
    col = ds.people.get("cohort_start")
    if col is not None and pd.api.types.is_numeric_dtype(col) and col.notna().any():
        return ["cohort_start in the people table must be dates (YYYY-MM-DD) for scenarios"]
    starts = _observed_starts(ds)
    out = []
    for s in sf.scenarios:
        first = s.cohorts.first_start
        if first is None and not len(starts):
            out.append(f"scenario {s.name!r}: [cohorts] first_start is needed: the data give "
                       "no cohort start dates to continue from")
        elif first is not None and len(starts) and pd.Period(first, freq="M") <= starts.max():
            out.append(f"scenario {s.name!r}: [cohorts] first_start ({first}) must come after "
                       f"the latest cohort in the data ({starts.max()})")
    return out


def _unknown(people: pd.DataFrame, column: str, values, key: str) -> list[str]:
    if not values:
        return []
    if column not in people.columns:
        return [f"{key} needs a {column!r} column in the people table"]
    present = sorted(people[column].dropna().astype(str).unique())
    out = []
    for v in values:
        if v not in present:
            hint = difflib.get_close_matches(v, present, n=1)
            mean = f" (did you mean {hint[0]!r}?)" if hint else ""
            out.append(f"{key} names {v!r}, which is not a {column} in the data{mean}")
    return out


def _names_run_out(people: pd.DataFrame, s: Scenario, n: int, pool: np.ndarray) -> list[str]:
    """A strategy that names its people in advance (a list) with fewer of them in the pool than
    places needs the file to say what fills the rest."""
    from alumni_net.experiments.recruitment import strategy

    r = s.recruitment
    exhaustion = strategy(r.strategy).exhaustion
    if r.when_exhausted is not None or exhaustion is None or exhaustion.named is None:
        return []
    named = set(exhaustion.named(people, dict(r.settings)))
    usable = int((people["person_id"].isin(named).to_numpy() & pool).sum())
    places = n * s.cohorts.size
    if usable >= places:
        return []
    what = "the list has" if r.strategy == "list" else f"the {r.strategy} strategy names"
    return [f"[recruitment] {what} {usable:,} people not yet trained but {n} cohorts of "
            f"{s.cohorts.size} have {places:,} places: say what fills the rest, "
            "when_exhausted = \"fallback\" (with fallback = \"random\" or another strategy) "
            f"or \"stop\" (recruiting stops when the {r.strategy} runs out)"]


def _scenario(sf: ScenarioFile, s: Scenario, ds: Dataset) -> list[str]:
    from alumni_net.experiments.recruitment import check_quotas_feasible, strategy

    people, r, q = ds.people, s.recruitment, s.quotas
    out = []
    if r.pool == "eligible" and "eligible" not in people.columns:
        out.append("[recruitment] pool = \"eligible\" needs an 'eligible' column in the people "
                   "table")
    elif r.pool == "eligible" and (odd := unreadable_flags(people["eligible"])):
        out.append(f"[recruitment] the 'eligible' column must say true or false (yes/no, 1/0), "
                   f"not {', '.join(map(repr, odd[:3]))}")
    out += _unknown(people, "role", r.roles, "[recruitment] roles")
    out += _unknown(people, "sector", r.sectors, "[recruitment] sectors")
    out += _unknown(people, "region", r.regions, "[recruitment] regions")
    out += _unknown(people, "sector", [k for k, _ in q.sector], "[quotas] sector")
    out += _unknown(people, "region", [k for k, _ in q.region], "[quotas] region")
    out += [f"[recruitment] {p}" for p in strategy(r.strategy).problems(people, dict(r.settings))]
    if s.cohorts.regional and "region" not in people.columns:
        out.append("[cohorts] regional = true needs a 'region' column in the people table")
    if q.min_service_users and "sector" not in people.columns:
        out.append(f"[quotas] min_service_users = {q.min_service_users} needs a 'sector' column "
                   f"in the people table (people who use services have sector = "
                   f"{SERVICE_USER_SECTOR!r}); these data have none, so set min_service_users "
                   "= 0")
    if out:
        return out
    untrained = ~_is_alum(people)
    leaders, users = (m & untrained for m in candidates(people, s))
    n = sf.horizon_years * s.cohorts.per_year
    m = q.min_service_users
    need = {"leaders": (leaders, s.cohorts.size - m), "people who use services": (users, m)}
    if s.cohorts.regional:
        regions = regions_in_turn(people, leaders | users)
        if not regions:
            return ["[recruitment] the candidate pool is empty"]
        for i, region in enumerate(regions):
            here = (people["region"] == region).to_numpy()
            cohorts = len(range(i, n, len(regions)))
            for what, (mask, k) in need.items():
                have = int((mask & here).sum())
                if have < cohorts * k:
                    out.append(f"[cohorts] regional cohorts need {cohorts * k:,} {what} from "
                               f"{region!r} but the candidate pool there has {have:,}")
        return out
    for what, (mask, k) in need.items():
        have = int(mask.sum())
        if have < n * k:
            out.append(f"[recruitment] {n} cohorts need {n * k:,} {what} but the candidate pool "
                       f"has {have:,} not yet trained")
    out += _names_run_out(people, s, n, leaders | users)
    quotas = q.leader_quotas()
    if quotas is not None and not out:
        ids = people["person_id"].to_numpy()[leaders].tolist()
        for k in (s.cohorts.size - m, n * (s.cohorts.size - m)):
            try:
                check_quotas_feasible(people, ids, k, quotas)
            except ConfigError as exc:
                out.append(f"[quotas] {str(exc).rstrip('.')}")
                break
    return out
