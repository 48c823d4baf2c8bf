"""What a programme leader reads after ``alumni-net scenarios``: ``summary.md``, the figures and
the tables, written together into the output folder."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from alumni_net.abm import ContagionParams
from alumni_net.core.files import atomic_write_text
from alumni_net.core.publish import published_name
from alumni_net.experiments.config import ILLUSTRATIVE
from alumni_net.experiments.recruitment import strategy

if TYPE_CHECKING:
    from alumni_net.experiments.scenarios import (
        Prepared,
        Recruitment,
        Scenario,
        ScenarioRun,
        TopUpSpec,
    )

__all__ = ["change_sentence", "difference_phrase", "headline_years", "lever_phrases",
           "summary_markdown", "training_note", "write_scenario_outputs"]

#: ``(year, median, lo, hi)`` of a paired difference in people practising.
DifferenceRow = tuple[int, float, float, float]


def write_scenario_outputs(out_dir: str | Path, result: ScenarioRun) -> str:
    """Write the tables, the three figures and ``summary.md`` of a scenario run; return the
    summary's text."""
    from alumni_net.experiments.scenarios import write_tables
    from alumni_net.plotting.scenarios import save_scenario_figures

    prepared = result.prepared
    sf = prepared.file
    tables = write_tables(out_dir, result)
    source = f"{sf.source.name}, {_data_text(prepared, result)}"
    save_scenario_figures(out_dir, tables, baseline=sf.baseline.name,
                          future_start=str(prepared.timeline.future), source=source)
    text = summary_markdown(tables, result)
    atomic_write_text(Path(out_dir) / "summary.md", text)
    return text


def _data_text(prepared: Prepared, result: ScenarioRun | None = None) -> str:
    sf = prepared.file
    if result is not None and result.manifest.get("network_source"):
        return result.manifest["network_source"]  # a workforce folder's K networks
    if sf.data is not None:
        return f"data {published_name(sf.data.name)}"
    opts = dict(sf.synthetic)
    return (f"the synthetic {opts.get('preset', 'programme')} (seed {opts.get('seed', 0)}, "
            f"{prepared.data.n_people:,} people)")


def _pool(scenario: Scenario) -> tuple[object, ...]:
    r = scenario.recruitment
    return r.pool, r.roles, r.sectors, r.regions


def _exhausted(scenario: Scenario) -> tuple[str, str | None]:
    r = scenario.recruitment
    return r.exhausted, r.fallback if r.exhausted == "fallback" else None


def lever_phrases(scenario: Scenario, baseline: Scenario, *,
                  verbs: bool = True) -> tuple[list[str], list[str]]:
    """What ``scenario`` does differently from ``baseline``, lever by lever, and what the
    baseline does instead: ``(["recruiting the most connected people"],
    ["recruiting at random"])`` (``["at random"]`` without ``verbs``, to follow "instead of").
    Empty lists when no lever differs. Strategies are said by their registered description."""
    s, b = scenario, baseline
    this, that = [], []
    if s.recruitment.strategy != b.recruitment.strategy:
        this.append(f"recruiting {strategy(s.recruitment.strategy).description}")
        that.append(("recruiting " if verbs else "")
                    + strategy(b.recruitment.strategy).description)
    elif s.recruitment.settings != b.recruitment.settings:
        # named, not shown: a setting may name people (a list of invitees)
        names = ", ".join(k for k, v in s.recruitment.settings
                          if v != dict(b.recruitment.settings).get(k))
        this.append(f"recruiting with other settings of the {s.recruitment.strategy} strategy "
                    f"({names})")
        that.append("its own settings")
    if _pool(s) != _pool(b):
        this.append("recruiting from a different candidate pool")
        that.append("its own pool")
    if _exhausted(s) != _exhausted(b):
        this.append(_exhausted_text(s.recruitment, "recruits who add nothing"))
        that.append(_exhausted_text(b.recruitment, "them"))
    if s.cohorts.regional != b.cohorts.regional:
        this.append("running regional cohorts" if s.cohorts.regional else
                    "running national cohorts")
        that.append("national cohorts" if s.cohorts.regional else "regional cohorts")
    if s.cohorts.size != b.cohorts.size:
        this.append(f"running cohorts of {s.cohorts.size}")
        that.append(f"cohorts of {b.cohorts.size}")
    if s.cohorts.per_year != b.cohorts.per_year:
        this.append(f"running {s.cohorts.per_year} cohort(s) a year")
        that.append(f"{b.cohorts.per_year} a year")
    if s.quotas.min_service_users != b.quotas.min_service_users:
        this.append(f"reserving {s.quotas.min_service_users} places a cohort for people who use "
                    "services")
        that.append(f"{b.quotas.min_service_users} such places")
    elif s.quotas != b.quotas:
        this.append("changing the sector or region quotas")
        that.append("its quotas")
    if s.topups != b.topups:
        this.append(_topups_text(s.topups, "adding") if s.topups else
                    "dropping the top-up sessions")
        that.append(_topups_text(b.topups, "") if b.topups else
                    ("no top-up sessions" if verbs else "none"))
    if s.model != b.model:
        this.append("changing " + ", ".join(f"{k} to {v}" for k, v in s.model))
        that.append("the file's [model] values")
    return this, that


def _exhausted_text(r: Recruitment, what: str) -> str:
    """What happens to ``what`` (recruits who add nothing beyond themselves), in words."""
    if r.exhausted == "fallback":
        return f"replacing {what} by recruiting {strategy(r.fallback).description}"
    if r.exhausted == "stop":
        return f"stopping recruiting at the first cohort with {what}"
    return f"keeping {what}"


def _topups_text(topups: Sequence[TopUpSpec], verb: str) -> str:
    years = ", ".join(str(t.year) for t in topups)
    return f"{verb} top-up sessions in year(s) {years}".strip()


def difference_phrase(rows: Sequence[DifferenceRow]) -> str:
    """ "adds 12 (3 to 20) practising people by year 5 and 30 (10 to 50) by year 10" from
    ``rows`` of ``(year, median, lo, hi)`` of the paired difference, earliest year first; said
    when an interval includes no difference.

    Examples
    --------
    >>> difference_phrase([(5, 12.2, 3, 20), (10, 30, 10, 50.4)])
    'adds 12 (3 to 20) practising people by year 5 and 30 (10 to 50) by year 10'
    >>> difference_phrase([(5, -0.4, -21, 24), (10, 8, -23, 28)]).split("; ")[1]
    'both intervals include no difference'
    >>> difference_phrase([(5, -10, -14, -6), (6, 3, 1, 5)])
    'removes 10 (-14 to -6) practising people by year 5 and adds 3 (1 to 5) by year 6'
    """
    from alumni_net.core.formatting import interval, whole

    parts, unclear = [], []
    first = None
    for i, (year, med, lo, hi) in enumerate(rows):
        verb = "adds" if round(med) >= 0 else "removes"
        # The verb again only where the direction changes ("removes 10 ... and adds 3 ...").
        shown = verb if i == 0 or verb != first else ""
        first = verb if i == 0 else first
        people = " practising people" if i == 0 else ""
        parts.append(f"{shown} {whole(abs(med))} ({interval(lo, hi, count=True)}){people} by "
                     f"year {year}".strip())
        if lo <= 0 <= hi:
            unclear.append(year)
    text = " and ".join(parts)
    if len(unclear) == len(rows) > 1:
        text += "; both intervals include no difference" if len(rows) == 2 else \
            "; every interval includes no difference"
    elif unclear:
        years = " and ".join(f"year {y}" for y in unclear)
        text += f"; the interval at {years} includes no difference"
    return text


def change_sentence(scenario: Scenario, baseline: Scenario,
                    rows: Sequence[DifferenceRow]) -> str:
    """ "Recruiting the most connected people ('degree') instead of the baseline 'random'
    (recruiting at random) adds 12 (3 to 20) practising people by year 5 and 30 (10 to 50) by
    year 10." ``rows`` are ``(year, median, lo, hi)`` of the paired difference in people
    practising, earliest year first."""
    this, that = lever_phrases(scenario, baseline)
    what = " and ".join(this) if this else "changing nothing"
    does = f" ({' and '.join(that)})" if that else ""
    text = (f"{what} ('{scenario.name}') instead of the baseline '{baseline.name}'{does} "
            f"{difference_phrase(rows)}.")
    return text[0].upper() + text[1:]


def headline_years(horizon_years: int) -> list[int]:
    """The years a leader's sentence reports: year 5 (when the horizon goes beyond it) and the
    last year."""
    return [y for y in (5,) if y < horizon_years] + [horizon_years]


def training_note(result: ScenarioRun) -> str:
    """Which recruits the per-alum figures leave out because their course ends after the
    horizon ("" when every recruit is trained in time)."""
    from alumni_net.experiments.scenarios.apply import still_training

    p = result.prepared
    end = p.timeline.start + p.timeline.horizon_months
    parts = []
    for plan in p.plans:
        late = still_training(plan, p.timeline)
        if len(late):
            starts = sorted({str(pd.Period(t, freq="M")) for t in late["cohort_start"]})
            parts.append(f"'{plan.scenario.name}' {len(late):,} (cohort(s) starting "
                         f"{', '.join(starts)})")
    if not parts:
        return ""
    return (f"Per-alum figures count only alumni who finished the course by {end}, when the "
            f"simulation ends; recruits still in training then are not counted: "
            f"{'; '.join(parts)}. Their cohorts are in the runs (their ties form while they "
            "train), so the practising figures include what happens during their course.")


def summary_markdown(tables: Mapping[str, pd.DataFrame], result: ScenarioRun) -> str:
    """The short summary a programme leader reads (``summary.md``), every value escaped Markdown
    and every interval by the package's one rule (counts whole, rates three figures)."""
    from alumni_net.core.formatting import estimate, whole
    from alumni_net.core.markdown import render_markdown
    from alumni_net.experiments.multiplier import naive_arithmetic
    from alumni_net.experiments.scenarios import HEADLINE

    p = result.prepared
    sf, tl = p.file, p.timeline
    t = tables["scenarios"].set_index(["scenario", "measure"])
    by_year = tables.get("by_year")
    base = sf.baseline
    changes = [change_sentence(s, base, _difference_rows(t, by_year, s.name, sf.horizon_years))
               for s in sf.scenarios[1:]]
    rows = []
    for s in sf.scenarios:
        practising, per_alum, alumni = (t.loc[(s.name, m)] for m in
                                        (HEADLINE, "attributable_per_alum", "alumni"))
        rows.append([s.name,
                     estimate(practising["median"], practising["lo"], practising["hi"], count=True),
                     estimate(per_alum["median"], per_alum["lo"], per_alum["hi"], count=False),
                     whole(alumni["median"], missing="n/a")])
    claim = naive_arithmetic(1)
    return render_markdown(
        "scenarios_summary.md.j2", source=sf.source.name, people=_data_text(p, result),
        future=tl.future, years=sf.horizon_years, end=tl.start + tl.horizon_months,
        start=tl.start, n_replicates=result.n_replicates, seed=result.seed,
        baseline=base.name, baseline_does=_baseline_text(base), changes=changes, rows=rows,
        training=training_note(result),
        exhausted=[plan.exhausted.sentence(plan.scenario.name) for plan in p.plans
                   if plan.exhausted is not None and plan.exhausted.useless],
        ten=claim["naive_ten_per_alum"], branching=claim["naive_branching"],
        parameter_source=ILLUSTRATIVE if sf.params == ContagionParams() else
        "set in the scenario file, not fitted by this run",
    )


def _baseline_text(base: Scenario) -> str:
    c = base.cohorts
    text = (f"{c.per_year} cohort(s) a year of {c.size}, recruited "
            f"{strategy(base.recruitment.strategy).description}")
    if c.regional:
        text += ", regional"
    if base.quotas.min_service_users:
        text += f", {base.quotas.min_service_users} places a cohort for people who use services"
    return text


def _difference_rows(t: pd.DataFrame, by_year: pd.DataFrame | None, name: str,
                     horizon: int) -> list[DifferenceRow]:
    """(year, median, lo, hi) of the paired difference in people practising at year 5 and at
    the end, from ``by_year`` (else the end of the horizon from the scenarios table)."""
    from alumni_net.experiments.scenarios import HEADLINE

    if by_year is not None and len(by_year):
        mine = by_year[by_year["scenario"] == name].set_index("year")
        rows = [(y, *mine.loc[y, ["difference_median", "difference_lo", "difference_hi"]])
                for y in headline_years(horizon) if y in mine.index]
        if rows:
            return rows
    row = t.loc[(name, HEADLINE)]
    return [(horizon, row["difference_median"], row["difference_lo"], row["difference_hi"])]
