"""The ``diffusion`` step: netdiffuseR's measures of observed adoption, as tables and a summary.

Outputs (one folder, written atomically): ``adoption_curve.csv`` (and
``adoption_curve_by_<by>.csv``), ``exposure.csv`` (one row per person and period),
``thresholds.csv`` (one row per person), ``moran.csv`` (one row per period),
``structure_test.csv`` (one row) and ``summary.md``; figures are added by the caller (the
command line passes :func:`alumni_net.plotting.diffusion.save_diffusion_figures`).
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
from alumni_net.core.rng import SeedLike
from alumni_net.core.tables import write_csv
from alumni_net.diffusion import (
    DiffusionData,
    StructTestResult,
    adoption_curve,
    diffusion_data,
    exposure,
    moran_by_period,
    structural_dependence_test,
    thresholds,
)
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


def diffusion_dataset(
    ds: Dataset,
    *,
    influence: Influence = DEFAULT_INFLUENCE,
    column: str = "adoption_time",
    not_adopted: float | None = None,
    by: str | None = None,
    null: str = "permute",
    replicates: int = 500,
    within: str | None = None,
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
    """
    if by is not None:
        allow_list(ds, min_count=min_count).check_grouping(by, purpose="group adoption curves")
    data = diffusion_data(ds, influence=influence, column=column, not_adopted=not_adopted)
    data = dataclasses.replace(data, name=published_name(data.name))
    # Cheap steps first, so that a wrong column name fails before the long ones.
    curve_by, pooled = _curve_by(data, by, min_count) if by else (None, 0)
    structure = structural_dependence_test(data, null=null, replicates=replicates, within=within,
                                           include_censored=include_censored, seed=seed)
    moran = moran_by_period(data) if data.n <= MORAN_MAX_PEOPLE else None
    return DiffusionResult(
        data=data,
        curve=adoption_curve(data),
        curve_by=curve_by,
        by=by,
        exposure=exposure(data),
        thresholds=thresholds(data, include_censored=include_censored),
        moran=moran,
        structure=structure,
        settings={"influence": influence, "column": column, "not_adopted": not_adopted,
                  "null": null, "replicates": replicates, "within": within,
                  "include_censored": include_censored, "seed": seed, "min_count": min_count,
                  "pooled": pooled},
    )


def _curve_by(data: DiffusionData, by: str, min_count: int) -> tuple[pd.DataFrame, int]:
    """Curves per group of ``by`` after small groups are pooled with their complement."""
    if by not in data.people.columns:
        return adoption_curve(data, by=by), 0  # the one-sentence error for a missing column
    labels, pooled = pool_small_groups(data.people[by], min_count=min_count)
    people = data.people.assign(**{by: labels})
    return adoption_curve(dataclasses.replace(data, people=people), by=by), pooled


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
    figures: Callable[[DiffusionResult, Path], None] | None = None,
) -> Path:
    """Write the tables, ``summary.md`` and (through ``figures``) the plots, all or nothing."""
    with atomic_dir(out_dir) as tmp:
        curve = _published_curve(result.curve, min_count)
        write_csv(curve, tmp / "adoption_curve.csv")
        curve_by = None
        if result.curve_by is not None:
            curve_by = _published_curve_by(result.curve_by, result.curve, min_count, result.by)
            write_csv(curve_by, tmp / f"adoption_curve_by_{result.by}.csv")
        write_csv(result.exposure, tmp / "exposure.csv")
        write_csv(result.thresholds, tmp / "thresholds.csv")
        if result.moran is not None:
            write_csv(result.moran, tmp / "moran.csv")
        write_csv(result.structure.table(), tmp / "structure_test.csv")
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
        f"- Structure test ({st.statistic}, null `{st.null}`, {st.replicates:,} replicates, seed "
        f"{s['seed']}): observed {st.observed:.3f}, null mean {st.expected:.3f} (5-95%: {lo5:.3f} "
        f"to {hi95:.3f}); two-sided p = {st.p_value:.3f}, one-sided p = {st.p_greater:.3f}.",
        "",
        CAUTION,
        "",
        f"Counts of people from 1 to {min_count - 1} are withheld in the published curves, and "
        "so are the counts beside them that would give them back by difference (new adopters "
        "and running totals are shown only where what is withheld adds to 0 or to at least "
        f"{min_count}); curves by group give running totals and shares only, at the periods "
        f"where every group rose by 0 or by at least {min_count} since the last one shown. "
        "Files: adoption_curve.csv, exposure.csv, thresholds.csv, moran.csv, structure_test.csv.",
        "",
    ]
    pooled = pooled_note(s.get("pooled", 0), escape_markdown(str(result.by)), min_count)
    if pooled:
        lines[-1:-1] = [pooled, ""]
    return "\n".join(lines)
