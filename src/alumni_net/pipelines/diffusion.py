"""The ``diffusion`` step: netdiffuseR's measures of observed adoption, as tables and a summary.

Outputs (one folder, written atomically): ``adoption_curve.csv`` (and
``adoption_curve_by_<by>.csv``), ``exposure.csv`` (one row per person and period),
``thresholds.csv`` (one row per person) and ``threshold_summary.csv`` (overall and by group),
``moran.csv`` (one row per period), ``structure_test.csv`` (one row, saying which null),
``degree_adoption.csv`` (degree against time of adoption, bootstrap intervals),
``exposure_regression.csv`` (the lagged cohesion and structural-equivalence exposure logit) and
``summary.md``; figures are added by the caller (the command line passes
:func:`alumni_net.plotting.diffusion.save_diffusion_figures`).

With a group column (``by``) the structure test's null keeps each group's adoption times (and a
declared ``schedule``'s): times that a campaign or an invitation schedule set group by group
would otherwise look like contagion. ``across=True`` shuffles across everyone instead.
Counts of people below ``min_count`` in the curves (new or cumulative adopters in a period, group
sizes) are withheld. Curves by group need a column outputs may publish
(:mod:`alumni_net.core.publish`: never a name, an email, an id or free text), and groups of fewer
than ``min_count`` people are pooled, with their complement, into "other (suppressed)".
Person-level tables carry whatever ids the dataset holds; the command line pseudonymises them on
load.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from alumni_net.core.files import atomic_dir, atomic_write_text
from alumni_net.core.markdown import escape_markdown
from alumni_net.core.privacy import (
    format_count,
    suppress_running_counts,
    suppress_running_totals_jointly,
    suppress_small,
)
from alumni_net.core.publish import allow_list, pool_small_groups, pooled_note, published_name
from alumni_net.core.rng import SeedLike, as_seed_sequence
from alumni_net.core.tables import write_csv
from alumni_net.diffusion import (
    DiffusionData,
    StructTestResult,
    adoption_curve,
    degree_adoption,
    diffusion_data,
    exposure,
    exposure_regression,
    moran_by_period,
    structural_dependence_test,
    threshold_summary,
    thresholds,
)
from alumni_net.errors import ConfigError
from alumni_net.io import Dataset
from alumni_net.vocabulary import DEFAULT_INFLUENCE, DEFAULT_MIN_COUNT, Influence

__all__ = ["DiffusionResult", "diffusion_dataset", "summary_markdown", "write_diffusion"]

#: Moran's I needs all-pairs geodesics (n^2 weights): skipped above this many people.
MORAN_MAX_PEOPLE = 3000

CAUTION = (
    "A network pattern in adoption times is not proof of contagion: people who are tied are also "
    "reached by the same outside sources at the same time. In the classic physicians' data "
    "(Coleman, Katz & Menzel) Van den Bulte & Lilien (2001) showed that the drug companies' "
    "marketing effort explains what looked like social contagion."
)


@dataclass(frozen=True)
class DiffusionResult:
    """Every table of one ``diffusion`` run (unsuppressed; :func:`write_diffusion` suppresses)."""

    data: DiffusionData
    curve: pd.DataFrame
    curve_by: pd.DataFrame | None
    by: str | None
    exposure: pd.DataFrame
    thresholds: pd.DataFrame
    moran: pd.DataFrame | None
    structure: StructTestResult
    settings: dict = field(default_factory=dict)
    threshold_summary: pd.DataFrame | None = None
    degree: pd.DataFrame | None = None
    regression: pd.DataFrame | None = None
    notes: tuple[str, ...] = ()


def diffusion_dataset(
    ds: Dataset,
    *,
    influence: Influence = DEFAULT_INFLUENCE,
    column: str = "adoption_time",
    not_adopted: float | None = None,
    by: str | None = None,
    null: str = "permute",
    replicates: int = 500,
    within: str | list[str] | None = None,
    across: bool = False,
    schedule: str | None = None,
    time_unit: str | None = None,
    include_censored: bool = False,
    seed: SeedLike = 0,
    min_count: int = DEFAULT_MIN_COUNT,
) -> DiffusionResult:
    """Compute every diffusion measure of ``ds`` (see :mod:`alumni_net.diffusion`).

    ``by`` must be a column outputs may publish (:func:`alumni_net.core.publish.allow_list`);
    its groups of fewer than ``min_count`` people are pooled, with their complement, before the
    curves are drawn (``settings["pooled"]`` says how many).

    Raises ValidationError (one sentence) when the adoption times cannot show diffusion, and
    AlumniNetError when ``by`` is a column outputs never group by.

    ``within`` names the columns the structure test's null keeps; by default ``by`` and
    ``schedule`` (a declared column that schedules exposure), or nothing with ``across``.
    ``time_unit`` (declared, e.g. "year") is only said in the summary: periods are counted in
    the data's own unit. Raises ValidationError (one sentence) when the adoption times cannot
    show diffusion.
    """
    if by is not None:
        allow_list(ds, min_count=min_count).check_grouping(by, purpose="group adoption curves")
    data = diffusion_data(ds, influence=influence, column=column, not_adopted=not_adopted)
    data = dataclasses.replace(data, name=published_name(data.name))
    # Cheap steps first, so that a wrong column name fails before the long ones.
    grouped, pooled = _pooled(data, by, min_count) if by else (data, 0)
    curve_by = adoption_curve(grouped, by=by) if by else None
    kept = _null_groups(within, by, schedule, across)
    root = as_seed_sequence(seed)
    structure = structural_dependence_test(data, null=null, replicates=replicates, within=kept,
                                           include_censored=include_censored,
                                           seed=root)
    moran = moran_by_period(data) if data.n <= MORAN_MAX_PEOPLE else None
    regression, notes = _regression(data, by)
    return DiffusionResult(
        data=data,
        curve=adoption_curve(data),
        curve_by=curve_by,
        by=by,
        exposure=exposure(data, by=by),
        thresholds=thresholds(data, include_censored=include_censored, by=by),
        moran=moran,
        structure=structure,
        settings={"influence": influence, "column": column, "not_adopted": not_adopted,
                  "null": null, "replicates": replicates, "within": list(kept),
                  "schedule": schedule, "time_unit": time_unit,
                  "include_censored": include_censored, "seed": seed, "min_count": min_count,
                  "pooled": pooled},
        # by group after small groups are pooled: a one-person group's mean is that person's
        threshold_summary=threshold_summary(grouped, by=by, include_censored=include_censored),
        degree=_degree(data, _child(root, 1)),
        regression=regression,
        notes=notes,
    )


def _pooled(data: DiffusionData, by: str, min_count: int) -> tuple[DiffusionData, int]:
    """``data`` with the groups of ``by`` below ``min_count`` pooled with their complement."""
    if by not in data.people.columns:
        return data, 0  # adoption_curve gives the one-sentence error for a missing column
    labels, pooled = pool_small_groups(data.people[by], min_count=min_count)
    return dataclasses.replace(data, people=data.people.assign(**{by: labels})), pooled


def _child(root, key: int):
    return np.random.SeedSequence(root.entropy, spawn_key=(*root.spawn_key, key))


def _null_groups(within, by, schedule, across) -> tuple[str, ...]:
    if within is not None:
        return (within,) if isinstance(within, str) else tuple(within)
    if across:
        return ()
    return tuple(c for c in (by, schedule) if c is not None)


def _degree(data: DiffusionData, seed) -> pd.DataFrame | None:
    if data.adopted.sum() < 3:
        return None
    return degree_adoption(data, replicates=1000, seed=seed)


def _regression(data: DiffusionData, by: str | None) -> tuple[pd.DataFrame | None, tuple]:
    """The lagged exposure logit with month dummies (structural equivalence within groups, up to
    the size where its n x n matrix stays small); a sentence instead when it cannot be fitted."""
    exposures = ["cohesion"] + (["structural_equivalence"] if data.n <= MORAN_MAX_PEOPLE else [])
    try:
        fit = exposure_regression(data, exposures=exposures, group=by, se_within=by)
    except (np.linalg.LinAlgError, ConfigError) as exc:
        return None, (f"the lagged exposure regression could not be fitted ({exc})",)
    table = fit.table.assign(rows=fit.rows, adoptions=fit.events, lag=fit.lag,
                             converged=fit.converged)
    notes = () if fit.converged else ("the lagged exposure regression did not converge",)
    return table, notes


def _published_curve(curve: pd.DataFrame, min_count: int) -> pd.DataFrame:
    """The whole population's curve as published: a group size below ``min_count`` withheld,
    and new and cumulative adopters withheld so that no small count can be read or worked out
    from the others (:func:`alumni_net.core.privacy.suppress_running_counts`)."""
    table = suppress_small(curve, ["n"], min_count=min_count)
    hide_new, hide_total = suppress_running_counts(curve["adopters"].to_numpy(), min_count)
    for col, hide in (("adopters", hide_new), ("cumulative", hide_total)):
        table[col] = table[col].astype("Int64").mask(hide)
    # A share or hazard computed from a withheld count would give the count back; the hazard
    # also holds the cumulative count of the period before.
    hidden = table["cumulative"].isna() | table["n"].isna()
    before = np.concatenate([[False], hide_total[:-1]])
    table["share"] = table["share"].mask(hidden)
    table["hazard"] = table["hazard"].mask(hidden | table["adopters"].isna() | before)
    return table


def _published_curve_by(curve_by: pd.DataFrame, curve: pd.DataFrame, min_count: int,
                        by: str) -> pd.DataFrame:
    """Curves by group as published: running totals and shares only, at the periods where
    every group (and the people the groups leave out) rose by 0 or by at least ``min_count``
    since the last period shown (:func:`alumni_net.core.privacy.
    suppress_running_totals_jointly`). New adopters per period and hazards by group are not
    published: with the whole population's curve they would give a group's small counts back.
    """
    table = suppress_small(curve_by, ["n"], min_count=min_count)
    groups = list(dict.fromkeys(curve_by[by]))
    rows = [np.flatnonzero((curve_by[by] == g).to_numpy()) for g in groups]
    counts = np.vstack([curve_by["adopters"].to_numpy()[r] for r in rows])
    rest = curve["adopters"].to_numpy() - counts.sum(axis=0)  # people with no value
    hide = suppress_running_totals_jointly(np.vstack([counts, rest]), min_count)[:len(groups)]
    hidden = np.zeros(len(curve_by), dtype=bool)
    for r, h in zip(rows, hide, strict=True):
        hidden[r] = h
    table["cumulative"] = table["cumulative"].astype("Int64").mask(hidden)
    table["share"] = table["share"].mask(hidden | table["n"].isna().to_numpy())
    return table.drop(columns=["adopters", "hazard"])


def _as_float(table: pd.DataFrame) -> pd.DataFrame:
    """Withheld counts as NaN (gaps in a plotted line) instead of pandas' missing integers."""
    counts = [c for c in ("n", "adopters", "cumulative") if c in table]
    return table.astype({c: float for c in counts})


def write_diffusion(
    result: DiffusionResult,
    out_dir: str | os.PathLike,
    *,
    min_count: int = DEFAULT_MIN_COUNT,
    figures: Callable[[DiffusionResult, Path], object] | None = None,
) -> Path:
    """Write the tables, ``summary.md`` and (through ``figures``) the plots, all or nothing."""
    with atomic_dir(out_dir) as tmp:
        curve = _published_curve(result.curve, min_count)
        write_csv(curve, tmp / "adoption_curve.csv")
        curve_by = None
        if result.curve_by is not None and result.by is not None:
            curve_by = _published_curve_by(result.curve_by, result.curve, min_count, result.by)
            write_csv(curve_by, tmp / f"adoption_curve_by_{result.by}.csv")
        write_csv(result.exposure, tmp / "exposure.csv")
        write_csv(result.thresholds, tmp / "thresholds.csv")
        if result.threshold_summary is not None:
            write_csv(suppress_small(result.threshold_summary, ["people", "with_threshold"],
                                     min_count=min_count), tmp / "threshold_summary.csv")
        if result.moran is not None:
            write_csv(result.moran, tmp / "moran.csv")
        write_csv(result.structure.table(), tmp / "structure_test.csv")
        if result.degree is not None:
            write_csv(result.degree, tmp / "degree_adoption.csv")
        if result.regression is not None:
            write_csv(result.regression, tmp / "exposure_regression.csv")
        atomic_write_text(tmp / "summary.md", summary_markdown(result, min_count=min_count))
        if figures is not None:
            # The figures draw what the tables publish: a share times the group size shown
            # would otherwise give a withheld count back.
            figures(dataclasses.replace(result, curve=_as_float(curve),
                                        curve_by=None if curve_by is None else _as_float(curve_by)),
                    tmp)
    return Path(out_dir)


def _mean_interval(values: pd.Series) -> tuple[float, float, float]:
    values = values.dropna()
    mean = float(values.mean()) if len(values) else float("nan")
    if len(values) < 2:
        return mean, float("nan"), float("nan")
    half = 1.96 * float(values.std(ddof=1)) / np.sqrt(len(values))
    return mean, mean - half, mean + half


def summary_markdown(result: DiffusionResult, *, min_count: int = DEFAULT_MIN_COUNT) -> str:
    """A short human summary of the run (counts below ``min_count`` shown as "<10")."""
    data, s = result.data, result.settings
    adopters = int(data.adopted.sum())
    mean, lo, hi = _mean_interval(result.thresholds["threshold"])
    st = result.structure
    lo5, hi95 = np.nanpercentile(st.simulated, [5, 95])
    lines = [
        # Names come from the data: escaped so that Markdown renders them as text.
        f"# Diffusion of adoption: {escape_markdown(data.name)}",
        "",
        f"- People: {format_count(data.n, min_count)}; "
        f"adopters: {format_count(adopters, min_count)} "
        f"(adoption times from column {escape_markdown(s['column'])}"
        + (f", {s['not_adopted']:g} read as not adopted" if s["not_adopted"] is not None else "")
        + f"); periods {data.periods[0]:g} to {data.periods[-1]:g}.",
        f"- Influence direction: `{s['influence']}` (exposure counts the contacts whose adoption "
        "reaches each person).",
        "- Time: " + (f"periods are {escape_markdown(s['time_unit'])}s (declared)."
                      if s.get("time_unit") else "the unit of the periods was not declared "
                      "(time_unit in dataset.toml or --time-unit)."),
        "- Mean adoption threshold (exposure in the period of adoption"
        + ("" if s["include_censored"] else ", first-period adopters left out")
        + f"): {mean:.3f} (95% interval {lo:.3f} to {hi:.3f}).",
    ]
    if result.moran is not None:
        significant = result.moran.loc[result.moran["moran_pval"] <= 0.05, "period"].tolist()
        lines.append(
            "- Moran's I of adoption (1/geodesic weights, netdiffuseR's convention): "
            f"{result.moran['moran_obs'].min():.3f} to {result.moran['moran_obs'].max():.3f} "
            "over the periods; p <= 0.05 in "
            + (f"period(s) {', '.join(f'{p:g}' for p in significant)}." if significant
               else "no period."))
    else:
        lines.append(f"- Moran's I not computed: more than {MORAN_MAX_PEOPLE:,} people.")
    lines += [
        f"- Structure test ({st.statistic}, {st.replicates:,} replicates, seed {s['seed']}); "
        f"null: {escape_markdown(st.describe())}: observed {st.observed:.3f}, null mean "
        f"{st.expected:.3f} (5-95%: {lo5:.3f} to {hi95:.3f}); two-sided p = {st.p_value:.3f}, "
        f"one-sided p = {st.p_greater:.3f}.",
        *_group_lines(result),
        *_degree_lines(result.degree),
        *_regression_lines(result.regression),
        *(f"- Note: {escape_markdown(n)}." for n in result.notes),
        "",
        CAUTION,
        "",
        f"Counts of people from 1 to {min_count - 1} are withheld in the published curves, and "
        "so are the counts beside them that would give them back by difference (new adopters "
        "and running totals are shown only where what is withheld adds to 0 or to at least "
        f"{min_count}); curves by group give running totals and shares only, at the periods "
        f"where every group rose by 0 or by at least {min_count} since the last one shown. "
        f"Files: {', '.join(_files_written(result))}.",
        "",
    ]
    pooled = pooled_note(s.get("pooled", 0), escape_markdown(str(result.by)), min_count)
    if pooled:
        lines[-1:-1] = [pooled, ""]
    return "\n".join(lines)


def _files_written(result: DiffusionResult) -> list[str]:
    """The tables ``write_diffusion`` writes for ``result`` (a table not written is not listed)."""
    names = ["adoption_curve.csv"]
    if result.curve_by is not None:
        names.append(f"adoption_curve_by_{result.by}.csv")
    names += ["exposure.csv", "thresholds.csv"]
    if result.threshold_summary is not None:
        names.append("threshold_summary.csv")
    if result.moran is not None:
        names.append("moran.csv")
    names.append("structure_test.csv")
    if result.degree is not None:
        names.append("degree_adoption.csv")
    if result.regression is not None:
        names.append("exposure_regression.csv")
    return [escape_markdown(n) for n in names]


def _group_lines(result: DiffusionResult) -> list[str]:
    st, s = result.structure, result.settings
    out = []
    if not st.within and result.by:
        out.append(f"- The null shuffled times across groups although the data have groups "
                   f"({escape_markdown(result.by)}): groups adopting at different times (a "
                   "campaign, a schedule) then look like contagion.")
    if s.get("schedule"):
        kept = s["schedule"] in st.within
        out.append(f"- Declared schedule: {escape_markdown(s['schedule'])}; the null "
                   + ("kept it: times were shuffled only among people on the same schedule."
                      if kept else "did not keep it."))
    return out


def _degree_lines(degree: pd.DataFrame | None) -> list[str]:
    if degree is None:
        return []
    parts = [f"{r.degree} r = {r.correlation:.3f} ({r.level:.0%} bootstrap interval {r.lo:.3f} "
             f"to {r.hi:.3f}): {escape_markdown(r.reading)}" for r in degree.itertuples()]
    return ["- Degree and time of adoption among adopters (netdiffuseR's "
            "degree_adoption_diagnostic): " + "; ".join(parts) + "."]


def _regression_lines(table: pd.DataFrame | None) -> list[str]:
    if table is None:
        return []
    rows = table[table["term"].str.endswith("_exposure")]
    parts = [f"{r.term.replace('_', ' ')} {r.estimate:.3f} (95% interval {r.lo95:.3f} to "
             f"{r.hi95:.3f}, p = {r.p_value:.3f})" for r in rows.itertuples()]
    first = table.iloc[0]
    return [f"- Lagged exposure regression (logit of adoption on exposure {int(first['lag'])} "
            f"period(s) earlier, one dummy per period; netdiffuseR's diffreg; "
            f"{int(first['rows']):,} person-periods): " + "; ".join(parts)
            + ". A positive coefficient, with time controlled, is what classic analyses read as "
            "contagion."]
