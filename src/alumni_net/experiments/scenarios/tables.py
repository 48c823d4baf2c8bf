"""The published tables of a scenario sweep: one tidy comparison table, adoption over time, and
who each scenario recruits (small counts suppressed).

``scenarios.csv`` has one row per scenario and measure: the median over replicates with the 5th
and 95th percentiles (``lo``, ``hi``, as in every table of the package), and the difference from
the baseline, computed replicate by replicate
(replicate ``i`` of a scenario minus replicate ``i`` of the baseline, same seeds and common random
numbers) and summarised the same way: 90% of paired replicates fall inside its interval.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from alumni_net import __version__
from alumni_net.core.files import atomic_write_text, retire_stale
from alumni_net.core.privacy import suppress_small
from alumni_net.core.publish import published_json
from alumni_net.core.tables import csv_text
from alumni_net.experiments.multiplier import (
    INTERVAL,
    MEASURE_DESCRIPTIONS,
    replicate_measures,
    timeseries_table,
)
from alumni_net.experiments.scenarios.apply import Plan, still_training, trained_alumni
from alumni_net.synth.params import SERVICE_USER_SECTOR
from alumni_net.vocabulary import DEFAULT_MIN_COUNT

if TYPE_CHECKING:
    from alumni_net.core.publish import AllowList
    from alumni_net.experiments.scenarios.run import ScenarioRun

__all__ = ["ADDING_NOTHING", "IN_TRAINING", "adoption_table", "composition_table", "paired_table",
           "scenario_tables", "write_tables", "year_table"]

#: The measure the leader's summary leads with: people practising at the end of the horizon.
HEADLINE = "practising_end"


def paired_table(values: pd.DataFrame, baseline: str) -> pd.DataFrame:
    """Median and 90% interval per scenario and measure, and the same of the paired difference
    from ``baseline``.

    Parameters
    ----------
    values : DataFrame
        Columns ``scenario, replicate, measure, value``; replicate ``i`` of every scenario ran
        from the same seed.
    baseline : str
        The scenario the others are compared with.

    Examples
    --------
    >>> v = pd.DataFrame({"scenario": ["a"] * 3 + ["b"] * 3, "replicate": [0, 1, 2] * 2,
    ...                   "measure": "m", "value": [10.0, 20.0, 30.0, 11.0, 23.0, 30.0]})
    >>> paired_table(v, "a")[["scenario", "median", "difference_median", "difference_hi"]]
      scenario  median  difference_median  difference_hi
    0        a    20.0                0.0            0.0
    1        b    23.0                1.0            2.8
    """
    base = values[values["scenario"] == baseline][["replicate", "measure", "value"]]
    paired = values.merge(base, on=["replicate", "measure"], suffixes=("", "_baseline"))
    paired["difference"] = paired["value"] - paired["value_baseline"]
    grouped = paired.groupby(["scenario", "measure"], sort=False)
    lo, hi = INTERVAL
    out = pd.DataFrame({
        "median": grouped["value"].median(),
        "lo": grouped["value"].quantile(lo),
        "hi": grouped["value"].quantile(hi),
        "difference_median": grouped["difference"].median(),
        "difference_lo": grouped["difference"].quantile(lo),
        "difference_hi": grouped["difference"].quantile(hi),
        "n_replicates": grouped["value"].count(),
    }).reset_index()
    return out


#: Measures a scenario table adds to the multiplier's own.
IN_TRAINING = "alumni_in_training_at_end"
ADDING_NOTHING = "recruits_adding_nothing"
_OWN_DESCRIPTIONS = {
    IN_TRAINING: "recruits still in training when the horizon ends (their course ends later): "
                 "not counted as alumni in the per-alum figures",
    ADDING_NOTHING: "recruits who add nothing beyond themselves to what the strategy is for "
                    "(e.g. reach no one not already reached); see summary.md",
}


def scenario_tables(run: ScenarioRun) -> dict[str, pd.DataFrame]:
    """``scenarios``, ``by_year``, ``adoption`` and ``composition`` tables of a
    :class:`.run.ScenarioRun`.

    Per-alum figures count only the alumni trained by the end of the horizon: a cohort that
    starts late in the last year and is still in training when the run ends has had no course
    effect yet, so it is not counted as alumni; ``alumni_in_training_at_end`` says how many
    recruits that leaves out.
    """
    p = run.prepared
    baseline = p.file.baseline.name
    plans = {plan.scenario.name: plan for plan in p.plans}
    measures = []
    for name, summary in run.summary.groupby("scenario", sort=False):
        plan = plans[name]
        summary = summary.drop(columns="scenario").assign(
            n_alumni=trained_alumni(plan, p.timeline))
        m = replicate_measures(summary)
        reps = m["replicate"].unique()
        own = pd.DataFrame({
            "replicate": np.tile(reps, 2),
            "measure": np.repeat([IN_TRAINING, ADDING_NOTHING], len(reps)),
            "value": np.repeat([len(still_training(plan, p.timeline)),
                                plan.exhausted.left if plan.exhausted else 0], len(reps)),
        })
        measures.append(pd.concat([m, own], ignore_index=True).assign(scenario=name))
    values = pd.concat(measures, ignore_index=True)
    table = paired_table(values, baseline)
    order = {p.scenario.name: i for i, p in enumerate(p.plans)}
    table["description"] = table["measure"].map(
        {**MEASURE_DESCRIPTIONS, **_OWN_DESCRIPTIONS}).fillna("")
    table = table.sort_values(["scenario", "measure"], key=lambda s: s.map(order)
                              if s.name == "scenario" else s.map(_measure_order), kind="stable")
    return {
        "scenarios": table.reset_index(drop=True),
        "by_year": year_table(run),
        "adoption": adoption_table(run),
        "composition": composition_table(p.plans),
    }


def year_table(run: ScenarioRun) -> pd.DataFrame:
    """People practising at the end of each year of the future programme (year 1 ends twelve
    months after the first future cohort starts), per scenario: median, 90% interval, and the
    paired difference from the baseline with its 90% interval."""
    tl = run.prepared.timeline
    ends = {y: tl.month(tl.future) + 12 * y for y in range(1, run.prepared.file.horizon_years + 1)}
    ends = {y: m for y, m in ends.items() if m <= tl.horizon_months}
    ts = run.timeseries
    ts = ts[(ts["arm"] == "programme") & ts["month"].isin(list(ends.values()))]
    year_of = {m: y for y, m in ends.items()}
    values = pd.DataFrame({"scenario": ts["scenario"], "replicate": ts["replicate"],
                           "measure": ts["month"].map(year_of), "value": ts["practising"]})
    table = paired_table(values, run.prepared.file.baseline.name).rename(
        columns={"measure": "year"})
    table.insert(2, "calendar_month", [str(tl.start + ends[y]) for y in table["year"]])
    order = {p.scenario.name: i for i, p in enumerate(run.prepared.plans)}
    table = table.sort_values(["scenario", "year"], key=lambda s: s.map(order)
                              if s.name == "scenario" else s, kind="stable")
    return table.reset_index(drop=True)


def _measure_order(measure: str) -> int:
    names = list(MEASURE_DESCRIPTIONS)
    return names.index(measure) if measure in names else len(names)


def adoption_table(run: ScenarioRun) -> pd.DataFrame:
    """Practising people month by month per scenario and arm: median and 90% interval."""
    start = run.prepared.timeline.start
    parts = []
    for name, ts in run.timeseries.groupby("scenario", sort=False):
        t = timeseries_table(ts.drop(columns="scenario"))
        parts.append(t.assign(scenario=name))
    table = pd.concat(parts, ignore_index=True)
    table.insert(2, "calendar_month", [str(start + int(m)) for m in table["month"]])
    return table[["scenario", *[c for c in table.columns if c != "scenario"]]]


def composition_table(plans: Sequence[Plan], *, min_count: int = DEFAULT_MIN_COUNT,
                      allowed: AllowList | None = None) -> pd.DataFrame:
    """Recruits per scenario by sector, region and whether they use services, as published.

    Groups of fewer than ``min_count`` recruits are pooled, with their complement, into
    ``"other (suppressed)"`` (:func:`alumni_net.core.publish.pool_small_groups`' rule): the next
    smallest groups join the pool while it is itself small, so that no group can be worked out
    from the "all recruits" total and the groups shown. A group is pooled in every scenario when
    it is pooled in one, so that each row means the same people's group in every column; counts
    left below ``min_count`` (a whole table that small) are withheld. Sector and region appear
    only when the allow-list lets outputs group people by them (``allowed``, by default the
    allow-list of the first plan's data); the people-who-use-services row is withheld when some
    are pooled with other sectors.
    """
    from alumni_net.core.publish import allow_list

    if not plans:
        return pd.DataFrame(columns=["scenario", "characteristic", "group", "recruits"])
    allowed = allow_list(plans[0].dataset, min_count=min_count) if allowed is None else allowed
    rows = [{"scenario": plan.scenario.name, "characteristic": "all", "group": "recruits",
             "recruits": len(plan.recruits)} for plan in plans]
    pooled_sectors: set = set()
    for column in ("sector", "region"):
        if not all(column in plan.recruits.columns for plan in plans) or \
                not allowed.groupable(column):
            continue
        counts = {plan.scenario.name: plan.recruits[column].astype(object)
                  .where(plan.recruits[column].notna(), "unknown").astype(str).value_counts()
                  for plan in plans}
        pooled = _pooled_together(counts, min_count)
        if column == "sector":
            pooled_sectors = pooled
        rows += _group_rows(counts, column, pooled)
    if all("sector" in p.recruits.columns for p in plans) and allowed.groupable("sector"):
        for plan in plans:
            uses = int((plan.recruits["sector"] == SERVICE_USER_SECTOR).sum())
            rows.append({"scenario": plan.scenario.name, "characteristic": "uses_services",
                         "group": "people who use services",
                         "recruits": pd.NA if uses and SERVICE_USER_SECTOR in pooled_sectors
                         else uses})
    table = pd.DataFrame(rows, columns=["scenario", "characteristic", "group", "recruits"])
    table["recruits"] = table["recruits"].astype("Int64")
    order = {plan.scenario.name: i for i, plan in enumerate(plans)}
    table = table.sort_values("scenario", key=lambda s: s.map(order), kind="stable")
    return suppress_small(table.reset_index(drop=True), ["recruits"], min_count=min_count)


def _pooled_together(counts: dict[str, pd.Series], min_count: int) -> set:
    """The groups to pool in every scenario: each scenario's small groups, and the next smallest
    of a scenario while its pool is small (1 to ``min_count - 1`` recruits), until no scenario's
    pool is small or every group of it is pooled."""
    from alumni_net.core.privacy import is_small

    pooled: set = set()
    changed = True
    while changed:
        changed = False
        for n in counts.values():
            new = {g for g, c in n.items() if is_small(c, min_count)} - pooled
            pooled |= new
            changed |= bool(new)
            rest = sorted(((c, str(g)) for g, c in n.items() if g not in pooled and c > 0))
            while is_small(n.reindex(list(pooled)).fillna(0).sum(), min_count) and rest:
                pooled.add(rest.pop(0)[1])
                changed = True
    return pooled


def _group_rows(counts: dict[str, pd.Series], column: str, pooled: set) -> list[dict]:
    """One row per scenario and shown group (0 where a scenario has none), and the pool."""
    from alumni_net.core.publish import POOLED

    shown = sorted({str(g) for n in counts.values() for g in n.index} - pooled,
                   key=lambda g: (g == "unknown", g))
    rows = []
    for name, n in counts.items():
        rows += [{"scenario": name, "characteristic": column, "group": g,
                  "recruits": int(n.get(g, 0))} for g in shown]
        if pooled:
            rows.append({"scenario": name, "characteristic": column, "group": POOLED,
                         "recruits": int(n.reindex(list(pooled)).fillna(0).sum())})
    return rows


def write_tables(out_dir: str | Path, run: ScenarioRun) -> dict[str, pd.DataFrame]:
    """Write ``scenarios.csv``, ``by_year.csv``, ``adoption.csv``, ``composition.csv`` and
    ``scenarios.json`` (seeds, data fingerprints, timings) into ``out_dir``, each atomically."""
    out = Path(out_dir)
    tables = scenario_tables(run)
    for name, table in tables.items():
        atomic_write_text(out / f"{name}.csv", csv_text(table, float_format="%.6g"))
    p = run.prepared
    meta = {
        "package_version": __version__,
        "scenario_file": str(p.file.source),
        "data": str(p.file.data) if p.file.data else {"synthetic": dict(p.file.synthetic)},
        "baseline": p.file.baseline.name,
        "model_start": str(p.timeline.start),
        "future_programme_start": str(p.timeline.future),
        "horizon_months": p.timeline.horizon_months,
        "horizon_years": p.file.horizon_years,
        **run.manifest,
    }
    meta = published_json(json.loads(json.dumps(meta, default=str)))  # paths from the user
    atomic_write_text(out / "scenarios.json", json.dumps(meta, indent=2) + "\n")
    retire_stale(out)  # an earlier report.html no longer matches these results
    return tables
