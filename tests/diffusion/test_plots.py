"""The diffusion figures draw the tables' numbers (checked on the plotted data, not images)."""

from __future__ import annotations

import numpy as np
import pytest

from alumni_net.diffusion import adoption_curve, exposure, thresholds
from alumni_net.plotting.diffusion import (
    plot_adoption_curve,
    plot_exposure,
    plot_hazard,
    plot_thresholds,
    wilson_interval,
)


def _caption(ax):
    return " ".join(t.get_text() for t in ax.texts)


def test_adoption_curve_plots_the_shares(physicians_censored):
    curve = adoption_curve(physicians_censored)
    ax = plot_adoption_curve(curve, source="physicians")
    (line,) = ax.get_lines()
    np.testing.assert_allclose(line.get_ydata(), curve["share"])
    assert line.get_ydata()[-1] == pytest.approx(109 / 125)
    assert "Data: physicians." in _caption(ax) and "Wilson 95%" in _caption(ax)
    band = ax.collections[0].get_paths()[0].vertices[:, 1]
    lo, hi = wilson_interval(curve["cumulative"], curve["n"])
    assert band.min() == pytest.approx(np.nanmin(lo)) and band.max() == pytest.approx(np.nanmax(hi))


def test_adoption_curve_by_city_has_one_line_per_city(physicians_censored):
    curves = adoption_curve(physicians_censored, by="city")
    ax = plot_adoption_curve(curves, by="city", source="physicians")
    finals = [line.get_ydata()[-1] for line in ax.get_lines()]
    # Dataset README: share adopting by city 0.887, 0.875, 0.81, 0.889.
    assert np.round(finals, 3).tolist() == [0.887, 0.875, 0.810, 0.889]
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["city 1", "city 2", "city 3", "city 4"]


def test_hazard_plot_skips_the_first_period(physicians):
    curve = adoption_curve(physicians)
    ax = plot_hazard(curve, source="physicians")
    (line,) = ax.get_lines()
    assert line.get_xdata().tolist() == list(range(2, 19))
    # netdiffuseR summary: hazard 0.08 in period 2 and 1.00 in period 18.
    assert round(line.get_ydata()[0], 2) == 0.08 and line.get_ydata()[-1] == 1.0


def test_exposure_plot_means(physicians):
    table = exposure(physicians)
    ax = plot_exposure(table, source="physicians")
    waiting, adopting = ax.get_lines()
    # Period 1: mean exposure of the 114 who had not adopted, and of the 11 first adopters.
    first = table[table["period"] == 1]
    assert waiting.get_ydata()[0] == pytest.approx(first.loc[~first["adopted"], "exposure"].mean())
    assert adopting.get_ydata()[0] == pytest.approx(first.loc[first["adopted"], "exposure"].mean())
    # Nobody is left waiting in period 18 (toa 18 = adoption, netdiffuseR's reading).
    assert waiting.get_xdata().max() == 17 and adopting.get_xdata().max() == 18


def test_threshold_plot_points_and_means(physicians):
    table = thresholds(physicians, include_censored=True)
    ax = plot_thresholds(table, source="physicians")
    points = ax.collections[0].get_offsets()
    assert len(points) == 125
    (mean_line,) = ax.get_lines()
    assert mean_line.get_ydata().tolist() == pytest.approx(
        table.groupby("adoption_time")["threshold"].mean().tolist())
