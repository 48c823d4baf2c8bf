"""Plots of observed diffusion: adoption curve, exposure, thresholds and hazard rate.

Each ``plot_*`` takes a table from :mod:`alumni_net.diffusion` (the pipeline passes the curves
as published, with withheld periods as gaps: a share times the group size would give a count
back), draws on ``ax`` (a new figure when None), captions the data source and the interval drawn,
and returns the Axes. Intervals: Wilson 95% intervals for
shares and hazard rates (binomial), mean +/- 1.96 standard errors for mean exposure and thresholds.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from numpy.typing import ArrayLike
from scipy import stats

from alumni_net.core.publish import published_name
from alumni_net.plotting._style import _as_label, add_caption, new_axes, save_figure, sort_groups

if TYPE_CHECKING:
    from alumni_net.pipelines.diffusion import DiffusionResult

__all__ = [
    "plot_adoption_curve",
    "plot_exposure",
    "plot_hazard",
    "plot_thresholds",
    "save_diffusion_figures",
    "wilson_interval",
]

_Z = stats.norm.ppf(0.975)


def wilson_interval(successes: ArrayLike, trials: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """Wilson 95% interval of a binomial share (NaN where there are no trials).

    Examples
    --------
    >>> lo, hi = wilson_interval(np.array([5]), np.array([10]))
    >>> round(float(lo[0]), 4), round(float(hi[0]), 4)
    (0.2366, 0.7634)
    """
    k = np.asarray(successes, dtype=float)
    n = np.asarray(trials, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = k / n
        centre = (p + _Z**2 / (2 * n)) / (1 + _Z**2 / n)
        half = _Z * np.sqrt(p * (1 - p) / n + _Z**2 / (4 * n**2)) / (1 + _Z**2 / n)
    bad = n <= 0
    return np.where(bad, np.nan, centre - half), np.where(bad, np.nan, centre + half)


def _caption(ax: Axes, source: str | None, shown: str, interval: str) -> None:
    add_caption(ax, f"Data: {published_name(source)}. {shown} {interval}", below=34.0)


def plot_adoption_curve(curve: pd.DataFrame, *, by: str | None = None, source: str | None = None,
                        ax: Axes | None = None) -> Axes:
    """Cumulative share adopted per period (one line per group when ``by`` names a column)."""
    ax = new_axes(ax, figsize=(7.0, 4.5))
    groups: list[tuple[str | None, pd.DataFrame]]
    if by is None:
        groups = [(None, curve)]
    else:  # legend in natural order: city 2 before city 10
        labels = curve[by].map(_as_label)
        groups = [(g, curve[labels == g]) for g in sort_groups(labels.unique())]
    for value, part in groups:
        part = part.dropna(subset=["share"])  # periods withheld: the line joins those shown
        lo, hi = wilson_interval(part["cumulative"], part["n"])
        label = "everyone" if value is None else f"{by} {value}"
        (line,) = ax.plot(part["period"], part["share"], marker="o", ms=3, label=label)
        ax.fill_between(part["period"], lo, hi, color=line.get_color(), alpha=0.15, lw=0)
    ax.set_xlabel("period")
    ax.set_ylabel("share who had adopted")
    ax.set_ylim(0, 1.02)
    ax.set_title("Cumulative adoption", loc="left")
    if by is not None:
        ax.legend(fontsize=8, frameon=False)
    _caption(ax, source, "Share of people who had adopted by each period.",
             "Shaded: Wilson 95% interval of each share.")
    return ax


def plot_hazard(curve: pd.DataFrame, *, source: str | None = None, ax: Axes | None = None) -> Axes:
    """Hazard rate per period: the share of people not yet adopted who adopt in the period."""
    ax = new_axes(ax, figsize=(7.0, 4.5))
    at_risk = (curve["n"] - curve["cumulative"].shift(1)).to_numpy(dtype=float)
    keep = np.isfinite(curve["hazard"].to_numpy(dtype=float))
    lo, hi = wilson_interval(curve["adopters"].to_numpy(dtype=float)[keep], at_risk[keep])
    period = curve["period"].to_numpy()[keep]
    ax.plot(period, curve["hazard"].to_numpy(dtype=float)[keep], marker="o", ms=3, color="#1f78b4")
    ax.fill_between(period, lo, hi, color="#1f78b4", alpha=0.15, lw=0)
    ax.set_xlabel("period")
    ax.set_ylabel("hazard rate")
    ax.set_ylim(0, 1.02)
    ax.set_title("Hazard rate of adoption", loc="left")
    _caption(ax, source, "New adopters over people not yet adopted, per period (netdiffuseR's "
             "hazard rate).", "Shaded: Wilson 95% interval.")
    return ax


def _mean_band(frame: pd.DataFrame, value: str, key: str = "period") -> pd.DataFrame:
    grouped = frame.dropna(subset=[value]).groupby(key)[value]
    table = grouped.agg(["mean", "std", "count"]).reset_index()
    half = _Z * table["std"].fillna(0) / np.sqrt(table["count"])
    # Shares live in [0, 1]: the band is clipped there.
    table["lo"] = (table["mean"] - half).clip(lower=0.0)
    table["hi"] = (table["mean"] + half).clip(upper=1.0)
    return table


def plot_exposure(
    exposure: pd.DataFrame, *, source: str | None = None, ax: Axes | None = None
) -> Axes:
    """Mean exposure per period of people who had not adopted, and of those adopting then."""
    ax = new_axes(ax, figsize=(7.0, 4.5))
    frame = exposure.sort_values(["person_id", "period"])
    before = frame.groupby("person_id")["adopted"].shift(1, fill_value=False)
    frame = frame.assign(new=frame["adopted"] & ~before)
    for mask, label, colour in ((~frame["adopted"], "not yet adopted", "#636363"),
                                (frame["new"], "adopting in the period", "#e6550d")):
        band = _mean_band(frame[mask], "exposure")
        ax.plot(band["period"], band["mean"], marker="o", ms=3, color=colour, label=label)
        ax.fill_between(band["period"], band["lo"], band["hi"], color=colour, alpha=0.15, lw=0)
    ax.set_xlabel("period")
    ax.set_ylabel("exposure (share of contacts adopted)")
    ax.set_ylim(0, 1.02)
    ax.legend(fontsize=8, frameon=False)
    ax.set_title("Exposure to adoption", loc="left")
    _caption(ax, source, "Mean share of each person's contacts (in the direction influence "
             "travels) who had adopted.", "Shaded: mean +/- 1.96 standard errors.")
    return ax


def plot_thresholds(
    thresholds: pd.DataFrame, *, source: str | None = None, ax: Axes | None = None
) -> Axes:
    """Each adopter's threshold against their adoption time, with the mean per period."""
    ax = new_axes(ax, figsize=(7.0, 4.5))
    table = thresholds.dropna(subset=["threshold"])
    ax.scatter(table["adoption_time"], table["threshold"], s=10, alpha=0.4, color="#756bb1",
               label="one adopter")
    band = _mean_band(table, "threshold", key="adoption_time")
    ax.plot(band["adoption_time"], band["mean"], color="#3f007d", label="mean")
    ax.fill_between(band["adoption_time"], band["lo"], band["hi"], color="#3f007d", alpha=0.15,
                    lw=0)
    ax.set_xlabel("period of adoption")
    ax.set_ylabel("threshold (exposure at adoption)")
    ax.set_ylim(-0.02, 1.02)
    ax.legend(fontsize=8, frameon=False)
    ax.set_title("Adoption thresholds", loc="left")
    _caption(ax, source, "Share of contacts who had adopted when each person adopted.",
             "Shaded: mean +/- 1.96 standard errors per period.")
    return ax


def save_diffusion_figures(result: DiffusionResult, folder: str | os.PathLike, *,
                           dpi: int = 120) -> list[Path]:
    """Draw the figures of a pipeline ``DiffusionResult`` into ``folder``."""
    folder = Path(folder)
    source = result.data.name
    drawings = [
        ("adoption_curve.png", lambda ax: plot_adoption_curve(result.curve, source=source, ax=ax)),
        ("exposure.png", lambda ax: plot_exposure(result.exposure, source=source, ax=ax)),
        ("thresholds.png", lambda ax: plot_thresholds(result.thresholds, source=source, ax=ax)),
        ("hazard.png", lambda ax: plot_hazard(result.curve, source=source, ax=ax)),
    ]
    if result.curve_by is not None:
        drawings.insert(1, (f"adoption_curve_by_{result.by}.png",
                            lambda ax: plot_adoption_curve(result.curve_by, by=result.by,
                                                           source=source, ax=ax)))
    paths = []
    for name, draw in drawings:
        fig = Figure(figsize=(7.0, 4.8), layout="constrained")
        draw(fig.add_subplot())
        paths.append(save_figure(fig, folder / name, dpi=dpi))
    return paths
