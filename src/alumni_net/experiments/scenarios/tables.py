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
from pathlib import Path

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
from alumni_net.synth.params import SERVICE_USER_SECTOR
from alumni_net.vocabulary import DEFAULT_MIN_COUNT

__all__ = ["adoption_table", "composition_table", "paired_table", "scenario_tables",
           "write_tables"]

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


def scenario_tables(run) -> dict[str, pd.DataFrame]:
    """``scenarios``, ``adoption`` and ``composition`` tables of a :class:`.run.ScenarioRun`."""
    baseline = run.prepared.file.baseline.name
    measures = []
    for name, summary in run.summary.groupby("scenario", sort=False):
        m = replicate_measures(summary.drop(columns="scenario"))
        measures.append(m.assign(scenario=name))
    values = pd.concat(measures, ignore_index=True)
    table = paired_table(values, baseline)
    order = {p.scenario.name: i for i, p in enumerate(run.prepared.plans)}
    table["description"] = table["measure"].map(MEASURE_DESCRIPTIONS).fillna("")
    table = table.sort_values(["scenario", "measure"], key=lambda s: s.map(order)
                              if s.name == "scenario" else s.map(_measure_order), kind="stable")
    return {
        "scenarios": table.reset_index(drop=True),
        "adoption": adoption_table(run),
        "composition": composition_table(run.prepared.plans),
    }


def _measure_order(measure: str) -> int:
    names = list(MEASURE_DESCRIPTIONS)
    return names.index(measure) if measure in names else len(names)


def adoption_table(run) -> pd.DataFrame:
    """Practising people month by month per scenario and arm: median and 90% interval."""
    start = run.prepared.timeline.start
    parts = []
    for name, ts in run.timeseries.groupby("scenario", sort=False):
        t = timeseries_table(ts.drop(columns="scenario"))
        parts.append(t.assign(scenario=name))
    table = pd.concat(parts, ignore_index=True)
    table.insert(2, "calendar_month", [str(start + int(m)) for m in table["month"]])
    return table[["scenario", *[c for c in table.columns if c != "scenario"]]]


def composition_table(plans, *, min_count: int = DEFAULT_MIN_COUNT) -> pd.DataFrame:
    """Recruits per scenario by sector, region and whether they use services (counts below
    ``min_count`` withheld, as in every published table)."""
    rows = []
    for plan in plans:
        r = plan.recruits
        rows.append({"scenario": plan.scenario.name, "characteristic": "all",
                     "group": "recruits", "recruits": len(r)})
        for column in ("sector", "region"):
            if column in r.columns:
                for group, count in r[column].astype(str).value_counts().sort_index().items():
                    rows.append({"scenario": plan.scenario.name, "characteristic": column,
                                 "group": group, "recruits": int(count)})
        if "sector" in r.columns:
            uses = int((r["sector"] == SERVICE_USER_SECTOR).sum())
            rows.append({"scenario": plan.scenario.name, "characteristic": "uses_services",
                         "group": "people who use services", "recruits": uses})
    table = pd.DataFrame(rows, columns=["scenario", "characteristic", "group", "recruits"])
    return suppress_small(table, ["recruits"], min_count=min_count)


def write_tables(out_dir: str | Path, run) -> dict[str, pd.DataFrame]:
    """Write ``scenarios.csv``, ``adoption.csv``, ``composition.csv`` and ``scenarios.json``
    (seeds, data fingerprints, timings) into ``out_dir``, each atomically."""
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
