"""Applying a scenario: future cohorts recruited from people not yet trained, with their ties.

Future cohorts start where the observed ones stop (twelve months after the latest cohort in the
data, unless ``first_start`` says otherwise) and run over the horizon. Each cohort is recruited by
the scenario's strategy from its candidate pool, never picking anyone already trained (alumni in
the data or an earlier future cohort); a regional cohort draws from one region, the regions taking
turns. Recruits get cohort and action-learning-set ties exactly as the programme makes them for
real cohorts (the synthetic generator's own :func:`~alumni_net.synth.programme.programme_ties`):
every pair in a cohort, every pair in a set, sets of about six mixing sectors, dated at the cohort
start. The model then treats recruits like any alum: the course at graduation, the alum boost,
no programme ties in the no-programme arm (which is therefore the same people with no programme).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from alumni_net.abm import ContagionParams, TopUp
from alumni_net.core.rng import SeedLike, as_generator, as_seed_sequence
from alumni_net.experiments.scenarios.cohort_data import (
    OTHER_SCENARIO_KIND,
    _cohort_labels,
    _is_alum,
    _recruits,
    _with_recruits,
    align_arcs,
    flag,
)
from alumni_net.experiments.scenarios.exhausted import Exhausted
from alumni_net.experiments.scenarios.spec import Scenario, ScenarioFile
from alumni_net.io import Dataset
from alumni_net.synth.params import SERVICE_USER_SECTOR
from alumni_net.vocabulary import check_influence

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["OTHER_SCENARIO_KIND", "Plan", "Timeline", "align_arcs", "plan_scenario",
           "still_training", "timeline", "trained_alumni"]

@dataclass(frozen=True)
class Timeline:
    """Model month 0, the month the future programme starts, and the months simulated."""

    start: pd.Period
    future: pd.Period
    horizon_months: int

    def month(self, period: pd.Period) -> int:
        """Model month of a calendar month."""
        return (period.year - self.start.year) * 12 + period.month - self.start.month


@dataclass(frozen=True)
class Plan:
    """One scenario applied: the people and ties the model runs on, its recruits, its parameters."""

    scenario: Scenario
    dataset: Dataset
    recruits: pd.DataFrame  # person_id, cohort, cohort_start, action_learning_set, in pick order
    params: ContagionParams
    exhausted: Exhausted | None = None  # picks that added nothing, and what was done


def timeline(ds: Dataset, sf: ScenarioFile) -> Timeline:
    """When the model starts (the first cohort), when the future programme starts, for how long."""
    starts = _observed_starts(ds)
    first = sf.baseline.cohorts.first_start
    if first is not None:
        future = pd.Period(first, freq="M")
    elif len(starts):
        future = starts.max() + 12
    else:  # checked before: a file without observed cohort dates must give first_start
        raise ValueError("no cohort starts in the data and no first_start")
    start = min(starts.min(), future) if len(starts) else future
    horizon = (future.year - start.year) * 12 + future.month - start.month + 12 * sf.horizon_years
    return Timeline(start=start, future=future, horizon_months=int(horizon))


def still_training(plan: Plan, tl: Timeline) -> pd.DataFrame:
    """The recruits whose course ends after the horizon (cohort, cohort_start, one row each).

    The model gives them the course effect at ``cohort_start + training_months``; when that
    month is past the last month simulated, they never graduate within the run, so per-alum
    figures do not count them as alumni (:func:`trained_alumni`).
    """
    r = plan.recruits
    if r.empty:
        return r
    starts = pd.to_datetime(r["cohort_start"]).dt.to_period("M")
    months = [tl.month(p) for p in starts]
    ends = pd.Series(months, index=r.index) + plan.params.training_months
    return r[ends > tl.horizon_months]


def trained_alumni(plan: Plan, tl: Timeline) -> int:
    """Alumni who have finished the course by the end of the horizon: everyone marked as an
    alum in the data the model runs on, less the recruits still in training at the end."""
    return int(_is_alum(plan.dataset.people).sum()) - len(still_training(plan, tl))


def _observed_starts(ds: Dataset) -> pd.Series:
    if "cohort_start" not in ds.people.columns:
        return pd.Series([], dtype="period[M]")
    dates = pd.to_datetime(ds.people["cohort_start"], errors="coerce").dropna()
    return dates.dt.to_period("M")


def candidates(people: pd.DataFrame, scenario: Scenario) -> tuple[np.ndarray, np.ndarray]:
    """Who may fill the leaders' places, and who the places for people who use services
    (``min_service_users``): two boolean masks over people, before excluding the trained.

    People who use services are never "senior leaders", so a role or sector filter applies to the
    leaders' places only; with places reserved for them, people who use services fill exactly
    those places.
    """
    r = scenario.recruitment
    keep = np.ones(len(people), dtype=bool)
    if r.pool == "eligible":
        keep &= flag(people["eligible"])
    if r.regions:
        keep &= people["region"].isin(r.regions).to_numpy()
    leaders = keep.copy()
    for column, wanted in (("role", r.roles), ("sector", r.sectors)):
        if wanted:
            leaders &= people[column].isin(wanted).to_numpy()
    if not scenario.quotas.min_service_users:
        return leaders, np.zeros(len(people), dtype=bool)
    users = (people["sector"] == SERVICE_USER_SECTOR).to_numpy()
    return leaders & ~users, keep & users


def regions_in_turn(people: pd.DataFrame, mask: np.ndarray) -> list[str]:
    """The regions regional cohorts take turns over: those in the pool, in name order."""
    return sorted(people.loc[mask, "region"].dropna().astype(str).unique())


def plan_scenario(sf: ScenarioFile, scenario: Scenario, ds: Dataset, tl: Timeline,
                  graph: nx.Graph | Dataset, seed: SeedLike) -> Plan:
    """Recruit the scenario's future cohorts and add them (and their ties) to the data.

    The places for people who use services and the leaders' places are filled by the strategy
    from their own pools (see :func:`candidates`); nobody already trained is ever picked. Picks
    that add nothing beyond themselves are kept, replaced or stop the recruiting, as the file's
    ``when_exhausted`` says (:mod:`.exhausted`); ``Plan.exhausted`` tells what happened.
    """
    from alumni_net.experiments.recruitment import adds_nothing

    people = ds.people
    c = scenario.cohorts
    r = scenario.recruitment
    params = _params(sf, scenario, ds, tl)
    n = sf.horizon_years * c.per_year
    leaders, users = candidates(people, scenario)
    ids = people["person_id"].to_numpy()
    regions = regions_in_turn(people, leaders | users) if c.regional else []
    trained = set(ids[_is_alum(people)].tolist())
    ss = as_seed_sequence(seed)
    index = pd.Index(ids)
    n_users = scenario.quotas.min_service_users
    quotas = scenario.quotas.leader_quotas()
    picked: list[list] = [[] for _ in range(n)]
    if quotas is None:  # both kinds of places in one call: the strategy scores people once
        from alumni_net.experiments.recruitment import Quotas

        reserved = Quotas(sector={SERVICE_USER_SECTOR: n_users / c.size}) if n_users else None
        parts = [(leaders | users, c.size, reserved)]
    else:
        parts = [(users, n_users, None), (leaders, c.size - n_users, quotas)]
    is_user = people["sector"].eq(SERVICE_USER_SECTOR).to_numpy() if n_users else None
    useless: set = set()
    replaced = 0
    for part, (mask, k, q) in enumerate(parts):
        if k == 0:
            continue
        for batch in _batches(n, len(regions), per_cohort=quotas is not None):
            here = mask if not regions else \
                mask & (people["region"] == regions[batch[0] % len(regions)]).to_numpy()
            call = _Call(people, graph, ids[here].tolist(), q, params, sf, r,
                         np.random.SeedSequence(ss.entropy, spawn_key=(*ss.spawn_key, part,
                                                                       batch[0])))
            picks = call.pick(r.strategy, k * len(batch), trained)
            flags = adds_nothing(people, graph, picks, strategy=r.strategy, exclude=trained,
                                 settings=dict(r.settings),
                                 influence=check_influence(params.influence))
            if flags.any() and r.exhausted == "fallback":
                picks, flags, done = call.replace(picks, flags, r.fallback, trained)
                replaced += done
            useless.update(p for p, f in zip(picks, flags, strict=True) if f)
            trained.update(picks)
            _deal(picked, batch, picks, k, n_users if len(parts) == 1 else 0,
                  None if is_user is None else is_user[index.get_indexer(
                      pd.Index(picks, dtype=index.dtype))])
    flagged = [any(p in useless for p in cohort) for cohort in picked]
    planned = n
    if r.exhausted == "stop" and any(flagged):
        n = flagged.index(True)  # recruiting stops at the first cohort with such a pick
        picked = picked[:n]
    members = np.array([index.get_indexer(pd.Index(p, dtype=index.dtype)) for p in picked],
                       dtype=np.int64).reshape(n, c.size)
    starts = _cohort_starts(tl, c, n)
    members = _deal_sets(people, members, c.n_sets, as_generator(
        np.random.SeedSequence(ss.entropy, spawn_key=(*ss.spawn_key, planned, 0))))
    labels = _cohort_labels(people, n)
    recruits = _recruits(people, members, starts, labels, c.n_sets)
    note = Exhausted(r.strategy, r.exhausted, r.fallback,
                     useless=len(useless) + replaced if r.exhausted == "fallback" else
                     len(useless), recruits=planned * c.size, replaced=replaced,
                     cohorts_run=n, cohorts_planned=planned)
    return Plan(scenario, _with_recruits(ds, recruits, members, starts, c), recruits,
                _with_topups(params, scenario, tl, labels, people), note)


class _Call:
    """One recruiting call: its candidates, quotas and seed, and replacements for its picks
    that add nothing (from the same candidates; under quotas, from the same sector and
    region, so that the cohort still meets them)."""

    def __init__(self, people, graph, ids, quotas, params, sf, r, seed):
        self.people, self.graph, self.ids, self.quotas = people, graph, ids, quotas
        self.params, self.sf, self.r, self.seed = params, sf, r, seed

    def pick(self, strategy: str, k: int, exclude, *, candidates=None, quotas="same",
             seed=None) -> list:
        """``k`` picks by ``strategy``: the scenario's own with its settings, a fallback with
        its defaults."""
        from alumni_net.experiments.recruitment import recruit

        own = strategy == self.r.strategy
        return recruit(
            self.people, self.graph, k, strategy=strategy,
            candidates=self.ids if candidates is None else candidates,
            quotas=self.quotas if quotas == "same" else quotas, exclude=exclude,
            rng=self.seed if seed is None else seed, params=self.params,
            settings=dict(self.r.settings) if own else None,
            horizon_months=min(self.params.horizon_months, 12 * self.sf.horizon_years),
            influence=check_influence(self.params.influence),
        )

    def replace(self, picks: list, flags: np.ndarray, strategy: str, trained: set):
        """``picks`` with the flagged ones replaced by ``strategy``'s picks; the flags left are
        the picks that found no replacement. Returns (picks, flags, replaced)."""
        from alumni_net.errors import ConfigError

        out, left = list(picks), flags.copy()
        taken = set(trained) | {p for p, f in zip(picks, flags, strict=True) if not f}
        key = _cell(self.people, self.quotas)
        groups: dict = {}
        for i in np.flatnonzero(flags):
            groups.setdefault(key(out[i]), []).append(int(i))
        done = 0
        for j, (cell, positions) in enumerate(groups.items()):
            pool = [x for x in self.ids if x not in taken and key(x) == cell]
            seed = np.random.SeedSequence(self.seed.entropy,
                                          spawn_key=(*self.seed.spawn_key, 1, j))
            try:
                new = self.pick(strategy, min(len(positions), len(pool)), taken,
                                candidates=pool, quotas=None, seed=seed)
            except ConfigError:
                continue  # no such candidates left: those picks stay, and are said
            for i, pid in zip(positions, new, strict=False):
                out[i], left[i] = pid, False
                taken.add(pid)
                done += 1
        return out, left, done


def _cell(people: pd.DataFrame, quotas):
    """A person's quota cell (sector and region, as far as the quotas use them)."""
    if quotas is None:
        return lambda pid: None
    table = people.set_index("person_id")
    use_sector = quotas.sector is not None or quotas.min_service_users > 0
    use_region = quotas.region is not None
    sector = table["sector"] if use_sector and "sector" in table else None
    region = table["region"] if use_region and "region" in table else None
    return lambda pid: (None if sector is None else sector.get(pid),
                        None if region is None else region.get(pid))


def _deal(picked: list[list], batch: list[int], picks: list, k: int, n_users: int,
          is_user) -> None:
    """Deal one call's picks into the cohorts of ``batch`` in pick order: ``k`` places each, of
    which ``n_users`` go to people who use services (when both kinds were picked together)."""
    if n_users:
        users = [p for p, u in zip(picks, is_user, strict=True) if u]
        others = [p for p, u in zip(picks, is_user, strict=True) if not u]
        for j, cohort in enumerate(batch):
            picked[cohort] += users[j * n_users:(j + 1) * n_users]
            picked[cohort] += others[j * (k - n_users):(j + 1) * (k - n_users)]
        return
    for j, cohort in enumerate(batch):
        picked[cohort] += picks[j * k:(j + 1) * k]


def _batches(n: int, n_regions: int, *, per_cohort: bool) -> list[list[int]]:
    """Cohorts recruited together. A strategy's picks do not depend on where one cohort ends
    (greedy strategies count earlier picks as already trained), so all cohorts drawing from one
    pool are recruited in one call and dealt out in pick order; with quotas each cohort is its
    own call, so that every cohort meets them exactly."""
    if per_cohort:
        return [[i] for i in range(n)]
    if n_regions:
        return [b for b in ([i for i in range(n) if i % n_regions == r]
                            for r in range(n_regions)) if b]
    return [list(range(n))]


def _params(sf: ScenarioFile, scenario: Scenario, ds: Dataset, tl: Timeline) -> ContagionParams:
    params = scenario.params(sf.params)
    return dataclasses.replace(params, horizon_months=tl.horizon_months, start=str(tl.start))


def _cohort_starts(tl: Timeline, c, n: int) -> list[pd.Period]:
    """Cohort ``i`` starts in future year ``i // per_year``, spread evenly over that year."""
    first = pd.Period(c.first_start, freq="M") if c.first_start else tl.future
    return [first + 12 * (i // c.per_year) + (i % c.per_year) * 12 // c.per_year
            for i in range(n)]


def _deal_sets(people: pd.DataFrame, members: np.ndarray, n_sets: int,
               rng: np.random.Generator) -> np.ndarray:
    """Order each cohort by sector (random within), so that dealing member ``q`` into set
    ``q % n_sets`` mixes sectors and spreads people who use services over the sets, as the
    synthetic programme does."""
    sector = (people["sector"].astype(str).to_numpy() if "sector" in people.columns
              else np.full(len(people), "", dtype=object))
    out = members.copy()
    for row in range(len(members)):
        m = members[row]
        order = np.lexsort((rng.random(len(m)), sector[m]))
        out[row] = m[order]
    return out


def _with_topups(params: ContagionParams, scenario: Scenario, tl: Timeline, labels: list,
                 people: pd.DataFrame) -> ContagionParams:
    if not scenario.topups:
        return params
    observed = sorted({str(x) for x in people.get("cohort", pd.Series([])).dropna()})
    new = [str(x) for x in labels]
    first = scenario.cohorts.first_start
    future = pd.Period(first, freq="M") if first else tl.future
    topups = tuple(
        TopUp(month=tl.month(future) + 12 * t.year,
              cohorts={"all": None, "new": tuple(new), "existing": tuple(observed)}[t.who],
              duration_months=t.duration_months, decay_multiplier=t.decay_multiplier,
              p_reengage=t.p_reengage)
        for t in scenario.topups
    )
    return dataclasses.replace(params, topups=topups)
