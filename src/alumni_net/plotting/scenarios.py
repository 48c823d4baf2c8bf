"""Plots of a scenario sweep: adoption over time per scenario with bands, the multiplier per
scenario beside the claim's arithmetic, and each scenario's difference from the baseline.

Every plot reads the tables ``alumni-net scenarios`` writes (``adoption.csv``, ``scenarios.csv``),
says in its caption where its inputs came from, and shows 90% intervals.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from alumni_net.errors import AlumniNetError
from alumni_net.experiments.multiplier import naive_arithmetic
from alumni_net.plotting._style import add_caption, new_axes, save_figure

__all__ = [
    "plot_scenario_adoption",
    "plot_scenario_differences",
    "plot_scenario_multiplier",
    "save_scenario_figures",
]

_COLOURS = ("#08519c", "#e6550d", "#31a354", "#756bb1", "#636363", "#d6616b", "#8c6d31",
            "#3182bd", "#fd8d3c", "#74c476")


def _require(table: pd.DataFrame, columns: Sequence[str], name: str) -> None:
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise AlumniNetError(f"the {name} table lacks column(s) {', '.join(missing)}")


def _source(source: str | None, n: int | None) -> str:
    reps = f" over {n} paired replicates (same seeds in every scenario)" if n else ""
    data = f"Source: {source}. " if source else ""
    return f"{data}Lines and points: medians{reps}; bands and bars: 90% intervals."


def plot_scenario_adoption(
    adoption: pd.DataFrame,
    *,
    arm: str = "programme",
    measure: str = "practising",
    scenarios: Sequence[str] | None = None,
    future_start: str | None = None,
    source: str | None = None,
    ax: Axes | None = None,
) -> Axes:
    """People practising month by month, one median line and 90% band per scenario.

    Parameters
    ----------
    adoption : DataFrame
        ``adoption.csv``: scenario, month, calendar_month, arm, measure, median, lo, hi.
    arm : {"programme", "no_programme", "attributable"}
        Which arm to draw; "attributable" is with minus without programme, replicate by replicate.
    future_start : str, optional
        "YYYY-MM" of the first future cohort, marked with a vertical line.
    source : str, optional
        Where the inputs came from (scenario file, data), for the caption.
    """
    ax = new_axes(ax, figsize=(8.0, 4.8))
    _require(adoption, ["scenario", "month", "calendar_month", "arm", "measure", "median", "lo",
                        "hi"], "adoption")
    part = adoption[(adoption["arm"] == arm) & (adoption["measure"] == measure)]
    names = list(scenarios) if scenarios is not None else list(dict.fromkeys(part["scenario"]))
    if part.empty or not names:
        raise AlumniNetError(f"the adoption table has no '{measure}' rows for the {arm} arm")
    for i, name in enumerate(names):
        rows = part[part["scenario"] == name].sort_values("month")
        x = _years(rows["calendar_month"])
        colour = _COLOURS[i % len(_COLOURS)]
        ax.fill_between(x, rows["lo"], rows["hi"], color=colour, alpha=0.15, lw=0)
        ax.plot(x, rows["median"], color=colour, lw=1.5, label=name)
    if future_start:
        ax.axvline(_years(pd.Series([future_start]))[0], color="#999999", ls="--", lw=1)
        ax.annotate(" future cohorts start", (_years(pd.Series([future_start]))[0], 1.0),
                    xycoords=("data", "axes fraction"), va="top", fontsize=7, color="#666666")
    ax.set_xlabel("year")
    ax.set_ylabel(f"people {measure.replace('_', ' ')}")
    what = {"programme": "with the programme", "no_programme": "without the programme",
            "attributable": "attributable to the programme"}.get(arm, arm)
    ax.set_title(f"People {measure.replace('_', ' ')} {what}, by scenario", loc="left",
                 fontsize=11)
    ax.legend(frameon=False, fontsize=8, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    ax.spines[["top", "right"]].set_visible(False)
    n = int(part["n_replicates"].max()) if "n_replicates" in part else None
    add_caption(ax, _source(source, n), below=34)
    return ax


def _years(calendar_month: pd.Series) -> np.ndarray:
    periods = pd.PeriodIndex(calendar_month.astype(str), freq="M")
    return (periods.year + (periods.month - 1) / 12.0).to_numpy(dtype=float)


def _interval_rows(table: pd.DataFrame, measure: str,
                   scenarios: Sequence[str] | None) -> pd.DataFrame:
    _require(table, ["scenario", "measure", "median", "lo", "hi"], "scenarios")
    part = table[table["measure"] == measure].set_index("scenario")
    if part.empty:
        raise AlumniNetError(f"the scenarios table has no '{measure}' rows")
    return part.reindex(list(scenarios)) if scenarios is not None else part


def plot_scenario_multiplier(
    table: pd.DataFrame,
    *,
    measure: str = "attributable_per_alum",
    scenarios: Sequence[str] | None = None,
    source: str | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Attributable adopters per alum in each scenario (median, 90% interval) beside the claim's
    arithmetic: 10 people per alum, and 3 + 9 + 27 = 39 per alum by three-leader branching.

    ``table`` is ``scenarios.csv`` (scenario, measure, median, lo, hi).
    """
    ax = new_axes(ax, figsize=(7.5, 4.5))
    rows = _interval_rows(table, measure, scenarios)
    y = np.arange(len(rows))[::-1]
    med = rows["median"].to_numpy(float)
    err = np.clip(np.vstack([med - rows["lo"].to_numpy(float),
                             rows["hi"].to_numpy(float) - med]), 0, None)
    ax.errorbar(med, y, xerr=err, fmt="o", color="#08519c", capsize=3, lw=1)
    claim = naive_arithmetic(1)
    for value, label, colour in ((claim["naive_ten_per_alum"], "claim: 10 per alum", "#fd8d3c"),
                                 (claim["naive_branching"], "claim: 3 + 9 + 27 = 39 per alum",
                                  "#e6550d")):
        ax.axvline(value, color=colour, ls="--", lw=1.2, label=label)
    for yi, m in zip(y, med, strict=True):
        ax.annotate("n/a" if np.isnan(m) else f"{m:.1f}", (0 if np.isnan(m) else m, yi),
                    xytext=(0, 6), textcoords="offset points", ha="center", fontsize=7)
    ax.set_yticks(y, [str(s) for s in rows.index], fontsize=8)
    ax.set_xlim(left=0)
    ax.set_xlabel(measure.replace("_", " "))
    ax.set_title("The multiplier in each scenario beside the claim's arithmetic", loc="left",
                 fontsize=11)
    ax.legend(frameon=False, fontsize=8, loc="lower right")
    ax.spines[["top", "right"]].set_visible(False)
    n = int(rows["n_replicates"].max()) if "n_replicates" in rows else None
    add_caption(ax, _source(source, n) + " Alumni: people whose course ended within the "
                "horizon (recruits still in training at the end are not counted).", below=34)
    return ax


def plot_scenario_differences(
    table: pd.DataFrame,
    *,
    measure: str = "practising_end",
    baseline: str | None = None,
    source: str | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Each scenario minus the baseline (paired replicates): median and 90% interval."""
    ax = new_axes(ax, figsize=(7.5, 4.5))
    _require(table, ["difference_median", "difference_lo", "difference_hi"], "scenarios")
    rows = _interval_rows(table, measure, None)
    if baseline is not None:
        rows = rows.drop(index=baseline, errors="ignore")
    y = np.arange(len(rows))[::-1]
    med = rows["difference_median"].to_numpy(float)
    err = np.clip(np.vstack([med - rows["difference_lo"].to_numpy(float),
                             rows["difference_hi"].to_numpy(float) - med]), 0, None)
    ax.barh(y, med, color=np.where(med >= 0, "#6baed6", "#fc9272"), xerr=err,
            error_kw={"lw": 1, "capsize": 3})
    ax.axvline(0, color="#333333", lw=0.8)
    ax.set_yticks(y, [str(s) for s in rows.index], fontsize=8)
    what = str(rows["description"].dropna().iloc[0]) if "description" in rows and \
        rows["description"].notna().any() else measure.replace("_", " ")
    ax.set_xlabel(f"{what}:\ndifference from {baseline or 'the baseline'}", fontsize=9)
    ax.set_title(f"What each scenario changes compared with {baseline or 'the baseline'}",
                 loc="left", fontsize=11)
    ax.spines[["top", "right"]].set_visible(False)
    # No scenario beside the baseline: no rows, so no replicate count to state.
    n = int(rows["n_replicates"].max()) if "n_replicates" in rows and len(rows) else None
    add_caption(ax, _source(source, n), below=46)  # under the two-line axis label
    return ax


def save_scenario_figures(out_dir: str | os.PathLike, tables: dict[str, pd.DataFrame], *,
                          baseline: str, future_start: str | None = None,
                          source: str | None = None) -> list[Path]:
    """Draw the three scenario figures into ``out_dir`` (PNG, atomically); returns their paths."""
    import matplotlib.pyplot as plt

    out = Path(out_dir)
    drawings = {
        "adoption.png": lambda ax: plot_scenario_adoption(
            tables["adoption"], future_start=future_start, source=source, ax=ax),
        "multiplier.png": lambda ax: plot_scenario_multiplier(
            tables["scenarios"], source=source, ax=ax),
        "differences.png": lambda ax: plot_scenario_differences(
            tables["scenarios"], baseline=baseline, source=source, ax=ax),
    }
    paths = []
    for name, draw in drawings.items():
        fig, ax = plt.subplots(figsize=(9.0, 5.0))
        fig.subplots_adjust(left=0.2, right=0.78, bottom=0.25)
        try:
            draw(ax)
            paths.append(save_figure(fig, out / name))
        finally:
            plt.close(fig)
    return paths
