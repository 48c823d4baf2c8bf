"""The posterior predictive check of a calibration: observed adoption inside the simulated band."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from alumni_net.core.publish import published_name
from alumni_net.errors import AlumniNetError
from alumni_net.plotting._style import add_caption, new_axes, save_figure

if TYPE_CHECKING:
    from alumni_net.experiments.calibration.calibrate import Calibration

__all__ = ["plot_predictive_check", "save_predictive_check"]

_COLOURS = {"no_contagion": "#636363", "simple": "#3182bd", "complex": "#e6550d"}
_LABELS = {"no_contagion": "no contagion (background alone)", "simple": "simple contagion",
           "complex": "complex contagion"}


def plot_predictive_check(bands: pd.DataFrame, *, curve: str = "all", data_name: str = "",
                          unit: str = "period", ax: Axes | None = None) -> Axes:
    """Observed cumulative adopters (points) inside each model's simulated 90% band.

    Parameters
    ----------
    bands : DataFrame
        ``model, curve, period, observed, lo, median, hi, inside`` (a calibration's predictive
        check, one block per model).
    curve : str
        Which curve: ``"all"`` (everyone) or a group label.
    data_name : str
        The dataset the observations come from (for the caption).
    unit : str
        The unit of the periods (month, quarter, year; days and weeks are compared by month).
    ax : Axes, optional

    Returns
    -------
    Axes
    """
    ax = new_axes(ax, figsize=(7.0, 4.5))
    missing = [c for c in ("model", "curve", "period", "observed", "lo", "median", "hi")
               if c not in bands]
    if missing:
        raise AlumniNetError(f"the predictive-check table lacks column(s) {', '.join(missing)}")
    part = bands[bands["curve"] == curve]
    if part.empty:
        raise AlumniNetError(f"the predictive-check table has no curve {curve!r}")
    shares = []
    for model, rows in part.groupby("model", sort=False):
        rows = rows.sort_values("period")
        colour = _COLOURS.get(str(model), "#756bb1")
        ax.fill_between(rows["period"], rows["lo"], rows["hi"], color=colour, alpha=0.2, lw=0,
                        step="mid")
        ax.plot(rows["period"], rows["median"], color=colour, drawstyle="steps-mid",
                label=f"{_LABELS.get(str(model), model)}: median and 90% band")
        shares.append(f"{_LABELS.get(str(model), model)} {rows['inside'].mean():.0%}")
    observed = part.drop_duplicates("period").sort_values("period")
    ax.plot(observed["period"], observed["observed"], "o", color="black", ms=4,
            label="observed")
    ax.set_xlabel(f"{'month' if unit in ('day', 'week') else unit}s after the first observed "
                  "adoption")
    ax.set_ylabel("people who had adopted")
    title = "Posterior predictive check" + ("" if curve == "all" else f": {curve}")
    ax.set_title(title, loc="left", fontsize=11)
    ax.legend(frameon=False, fontsize=8, loc="lower right")
    ax.spines[["top", "right"]].set_visible(False)
    source = f"Data: {published_name(data_name)}. " if data_name else ""
    add_caption(ax, f"{source}Bands: 5th-95th percentiles of curves simulated from the fitted "
                    f"posterior (parameter uncertainty included). Observed points inside the "
                    f"band: {', '.join(shares)}.", below=34)
    return ax


def save_predictive_check(calibration: Calibration, path: str | os.PathLike) -> Path:
    """Draw a calibration's predictive check (every model fitted) and save it to ``path``."""
    fig = Figure(figsize=(7.0, 4.8), layout="constrained")
    plot_predictive_check(calibration.bands, data_name=calibration.observed.name,
                          unit=calibration.observed.time_unit, ax=fig.add_subplot())
    return save_figure(fig, path)
