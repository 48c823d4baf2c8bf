"""Cumulative adoption curve and hazard rate, as netdiffuseR's ``summary.diffnet`` reports them.

For period ``t`` with ``q_t`` cumulative adopters among ``n`` people, the hazard rate is
``(q_t - q_{t-1}) / (n - q_{t-1})``: the share of those who had not yet adopted who adopt in
``t`` (netdiffuseR ``hazard_rate``; undefined, NaN, in the first period and once everyone has
adopted).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from alumni_net.diffusion.data import DiffusionData
from alumni_net.errors import ConfigError

__all__ = ["adoption_curve", "hazard_rate"]


def hazard_rate(cumulative: np.ndarray, n: int) -> np.ndarray:
    """Hazard per period from cumulative adopter counts (NaN in the first period).

    Examples
    --------
    >>> hazard_rate(np.array([11, 20, 29]), 125).round(4).tolist()
    [nan, 0.0789, 0.0857]
    """
    q = np.asarray(cumulative, dtype=float)
    out = np.full(len(q), np.nan)
    at_risk = n - q[:-1]
    with np.errstate(divide="ignore", invalid="ignore"):
        out[1:] = np.where(at_risk > 0, (q[1:] - q[:-1]) / at_risk, np.nan)
    return out


def _curve(data: DiffusionData, mask: np.ndarray) -> pd.DataFrame:
    toa = data.toa[mask]
    n = int(mask.sum())
    new = np.array([(toa == t).sum() for t in data.periods], dtype=np.int64)
    cumulative = np.cumsum(new)
    return pd.DataFrame({
        "period": data.periods,
        "n": n,
        "adopters": new,
        "cumulative": cumulative,
        "share": cumulative / n if n else np.nan,
        "hazard": hazard_rate(cumulative, n),
    })


def adoption_curve(data: DiffusionData, by: str | None = None) -> pd.DataFrame:
    """New and cumulative adopters, share adopted and hazard rate per period; by group if asked.

    Parameters
    ----------
    data : see :func:`~alumni_net.diffusion.diffusion_data`.
    by : a people column (e.g. ``"city"``); one curve per value, in sorted order (people with no
        value are left out).

    Returns
    -------
    DataFrame with ``period``, ``n`` (people), ``adopters`` (new in the period), ``cumulative``,
    ``share`` (cumulative / n) and ``hazard``; with ``by``, a first column named ``by``.

    References
    ----------
    Vega Yon, G. G., & Valente, T. W. netdiffuseR: Analysis of Diffusion and Contagion Processes on
    Networks (R package). https://doi.org/10.5281/zenodo.1039317

    Examples
    --------
    >>> from alumni_net.diffusion.data import DiffusionData
    >>> import scipy.sparse as sp
    >>> d = DiffusionData(np.arange(4), np.array([1.0, 1.0, 2.0, np.nan]), np.array([1, 2]),
    ...                   sp.csr_matrix((4, 4)), pd.DataFrame({"g": ["a", "a", "b", "b"]}))
    >>> adoption_curve(d)[["adopters", "cumulative", "share", "hazard"]].to_dict("list")
    {'adopters': [2, 1], 'cumulative': [2, 3], 'share': [0.5, 0.75], 'hazard': [nan, 0.5]}
    >>> adoption_curve(d, by="g")[["g", "period", "cumulative"]].to_dict("list")
    {'g': ['a', 'a', 'b', 'b'], 'period': [1, 2, 1, 2], 'cumulative': [2, 2, 0, 1]}
    """
    if by is None:
        return _curve(data, np.ones(data.n, dtype=bool))
    if by not in data.people.columns:
        raise ConfigError(f"cannot group adoption curves by '{by}': "
                          "the people table has no such column")
    values = data.people[by]
    frames = []
    for value in sorted(values.dropna().unique(), key=lambda v: (str(type(v)), v)):
        frame = _curve(data, (values == value).to_numpy(dtype=bool))
        frame.insert(0, by, value)
        frames.append(frame)
    if not frames:
        raise ConfigError(f"cannot group adoption curves by '{by}': the column is empty")
    return pd.concat(frames, ignore_index=True)
