"""Observed adoption times mapped onto the model's monthly steps, and the curves compared.

The model steps one month at a time; observed times may be days, weeks, months, quarters or years
(the unit is declared: ``time_unit`` in ``dataset.toml`` or ``--time-unit``; dates are calendar
months). An observed time ``t`` becomes the *period* ``k = t - t0`` counted in the data's unit from
the first observed time ``t0`` (for days and weeks, which the monthly model cannot resolve, the
period is the model month they fall in: ``k = ceil((t - t0) x months per unit)``):

* period 0 holds the people who had adopted at the first observed time: they are the model's
  initial adopters (seeds). Nothing before the window is observed, so they cannot be explained by
  the model and are given, not fitted;
* period ``k >= 1`` covers model months ``(k - 1) * m + 1 .. k * m`` where ``m`` is the number of
  months in a period (1 for days, weeks and months, 3 for quarters, 12 for years): a simulated
  first adoption in month ``s`` falls in period ``ceil(s / m)``;
* the model runs for ``K * m`` months, ``K`` being the last period with an observed adoption;
  people without an adoption time (or with the ``not_adopted`` code) had not adopted by then.

The data are summarised by (:meth:`ObservedAdoption.summarise`):

* cumulative adoption shares at the end of periods ``1..K``: one curve for everyone, and one per
  group (network component, or the values of a column such as ``village``) of at least
  ``min_group_size`` people, so that villages sharing parameters are fitted jointly;
* two exposure statistics of the people who adopted after period 0 (Valente's network
  thresholds, as netdiffuseR computes exposure): their mean exposure at adoption (the share of
  their contacts, along the influence direction, who had adopted in an earlier period) and the
  share of them with no such contact. Curves alone cannot tell spontaneous adoption from spread
  (both make S-shaped curves); who adopts next to earlier adopters can.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.sparse.csgraph import connected_components

from alumni_net.diffusion.data import influence_matrix, require_adoption_times
from alumni_net.errors import ConfigError, Problem, ValidationError
from alumni_net.io import Dataset
from alumni_net.vocabulary import DEFAULT_INFLUENCE, check_influence

__all__ = ["TIME_UNITS", "ObservedAdoption", "observed_adoption", "time_unit_note"]

#: Months in one unit of an observed time (a month is a twelfth of 365.25 days).
TIME_UNITS = {"day": 12 / 365.25, "week": 7 * 12 / 365.25, "month": 1, "quarter": 3, "year": 12}
#: The unit plain-number times are read in when nobody declared one (said in every output).
DEFAULT_TIME_UNIT = "month"


def time_unit_note(declared: str | None, *, dates: bool = False) -> str:
    """One sentence on where the unit of adoption times came from (every output carries it).

    Examples
    --------
    >>> time_unit_note(None)[:60]
    'adoption times are plain numbers and neither dataset.toml (t'
    >>> time_unit_note("year")
    'adoption times are in years (declared)'
    """
    if dates:
        return "adoption times are dates, read as calendar months"
    if declared is None:
        return ("adoption times are plain numbers and neither dataset.toml (time_unit) nor "
                "--time-unit says their unit: they were read as months; declare the unit if "
                "they are not")
    return f"adoption times are in {declared}s (declared)"


@dataclass(frozen=True, eq=False)
class ObservedAdoption:
    """Observed adoption of one dataset on the model's time scale (see the module docstring).

    Attributes
    ----------
    name : str
        The dataset's name (for provenance).
    ids : array
        Person ids, in the dataset's order.
    period : int array
        Each person's adoption period: 0 = seed, 1..K, -1 = not adopted within the window.
    months_per_period : int
        Model months in one observed period (1 for day, week and month; 3 quarter; 12 year).
    group_codes : int array
        Group of each person for the per-group curves (-1: only in the overall curve).
    group_labels : tuple of str
        Label of each group code.
    time_unit, first_time : str, float
        The unit of the observed times and the first observed time (period 0).
    exposers : (int array, int array)
        ``(rows, cols)``: person ``rows[e]`` is exposed by the adoption of ``cols[e]``.
    window : int, optional
        The last period of the observation window; default the last period with an adoption.
        A subset of the people (:meth:`subset`) keeps the window of the whole.
    time_unit_note : str
        Where the time unit came from, one sentence (see :func:`time_unit_note`).
    """

    name: str
    ids: np.ndarray
    period: np.ndarray
    months_per_period: int
    group_codes: np.ndarray
    group_labels: tuple[str, ...]
    time_unit: str = "month"
    first_time: float = 0.0
    exposers: tuple[np.ndarray, np.ndarray] = (np.zeros(0, np.int64), np.zeros(0, np.int64))
    window: int | None = None
    time_unit_note: str = ""

    @property
    def n_periods(self) -> int:
        """K, the last observed period."""
        return int(self.period.max()) if self.window is None else int(self.window)

    def subset(self, mask: np.ndarray, *, name: str | None = None) -> ObservedAdoption:
        """The people where ``mask`` is true, the ties among them, and their groups (relabelled in
        order of first appearance among the groups kept); the observation window is kept.

        Examples
        --------
        >>> from alumni_net.io import Dataset
        >>> people = pd.DataFrame({"person_id": [1, 2, 3, 4], "t": [0, 1, 0, 3],
        ...                        "v": ["a", "a", "b", "b"]})
        >>> ties = pd.DataFrame({"source": [1, 3], "target": [2, 4], "kind": "tie"})
        >>> obs = observed_adoption(Dataset(people, ties), column="t", by="v", min_group_size=2)
        >>> part = obs.subset(np.array([False, False, True, True]))
        >>> part.ids.tolist(), part.period.tolist(), part.n_periods, part.group_labels
        ([3, 4], [0, 3], 3, ('b',))
        """
        mask = np.asarray(mask, dtype=bool)
        keep = np.flatnonzero(mask)
        position = np.full(len(mask), -1, dtype=np.int64)
        position[keep] = np.arange(len(keep))
        rows, cols = self.exposers
        inside = mask[rows] & mask[cols]
        codes = self.group_codes[keep]
        used = np.unique(codes[codes >= 0])
        recode = np.full(len(self.group_labels), -1, dtype=np.int64)
        recode[used] = np.arange(len(used))
        return dataclasses.replace(
            self, name=self.name if name is None else name, ids=self.ids[keep],
            period=self.period[keep], group_codes=np.where(codes >= 0, recode[codes], -1),
            group_labels=tuple(self.group_labels[g] for g in used),
            exposers=(position[rows[inside]], position[cols[inside]]), window=self.n_periods)

    @property
    def horizon_months(self) -> int:
        """Model months covering the observation window."""
        return self.n_periods * self.months_per_period

    @property
    def seeds(self) -> np.ndarray:
        """Ids of the people who had adopted at the first observed time (the initial adopters)."""
        return self.ids[self.period == 0]

    @property
    def group_sizes(self) -> np.ndarray:
        return np.bincount(self.group_codes[self.group_codes >= 0],
                           minlength=len(self.group_labels))

    def curves_from_periods(self, period: np.ndarray) -> np.ndarray:
        """Cumulative adoption shares, shape ``(1 + groups, K)``: row 0 everyone, then each group.

        ``period`` holds one adoption period per person (-1 = none), as :attr:`period` does.
        """
        return _curves(period, self.n_periods, self.group_codes, self.group_sizes)

    def curves(self) -> np.ndarray:
        """The observed curves (see :meth:`curves_from_periods`)."""
        return self.curves_from_periods(self.period)

    def exposure(self, period: np.ndarray) -> np.ndarray:
        """[mean exposure at adoption, share unexposed] of the people adopting in periods >= 1.

        ``exposers = (rows, cols)``: person ``rows[e]`` is exposed by the adoption of
        ``cols[e]``. People without any exposer are left out (exposure is undefined for them).
        """
        rows, cols = self.exposers
        n = len(period)
        degree = np.bincount(rows, minlength=n)
        earlier = (period[cols] >= 0) & (period[cols] < period[rows])
        exposed = np.bincount(rows[earlier], minlength=n)
        who = (period >= 1) & (degree > 0)
        if not who.any():
            return np.zeros(2)
        share = exposed[who] / degree[who]
        return np.array([share.mean(), (share == 0).mean()])

    def summarise(self, period: np.ndarray) -> np.ndarray:
        """Flat summary: the curves (row by row) then the two exposure statistics."""
        return np.concatenate([self.curves_from_periods(period).ravel(), self.exposure(period)])

    def summary(self) -> np.ndarray:
        """The observed summary (see :meth:`summarise`)."""
        return self.summarise(self.period)

    def period_of_months(self, months: np.ndarray) -> np.ndarray:
        """Period of simulated first-adoption months (-1 stays -1): ``ceil(month / m)``."""
        months = np.asarray(months)
        m = self.months_per_period
        return np.where(months >= 0, -(-months // m), -1)


def _curves(period: np.ndarray, k: int, codes: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    adopted = period >= 1
    out = np.empty((1 + len(sizes), k))
    # counts by (group, period), then cumulated; seeds (period 0) count from the start
    seeded = period == 0
    by_period = np.bincount(period[adopted] - 1, minlength=k)[:k]
    out[0] = (seeded.sum() + np.cumsum(by_period)) / len(period)
    if len(sizes):
        ok = codes >= 0
        flat = np.zeros((len(sizes), k))
        sel = ok & adopted
        np.add.at(flat, (codes[sel], period[sel] - 1), 1)
        base = np.bincount(codes[ok & seeded], minlength=len(sizes))
        out[1:] = (base[:, None] + np.cumsum(flat, axis=1)) / sizes[:, None]
    return out


def observed_adoption(dataset: Dataset, *, column: str = "adoption_time",
                      not_adopted: float | None = None,
                      time_unit: str | None = None, by: str | None = None,
                      min_group_size: int = 10,
                      influence: str = DEFAULT_INFLUENCE) -> ObservedAdoption:
    """Observed adoption of ``dataset`` on the model's monthly scale.

    Parameters
    ----------
    dataset : Dataset
        People (with ``column``) and ties.
    column : str
        People column of adoption times: numbers in ``time_unit``, or dates (then months).
    not_adopted : float, optional
        A code meaning "not adopted by the end of observation" (e.g. 18 in the physicians' ``toa``).
    time_unit : {"day", "week", "month", "quarter", "year"}, optional
        Unit of numeric times. Dates are always read as calendar months. None (not declared):
        months, and :attr:`ObservedAdoption.time_unit_note` says so.
    by : str, optional
        People column defining the groups with their own curve; default the network's
        (weakly) connected components.
    min_group_size : int
        Groups smaller than this have no curve of their own (too noisy), only the overall one.
    influence : str
        Direction influence travels on directed ties (exposure follows it; see
        :mod:`alumni_net.vocabulary`).

    Raises
    ------
    ValidationError
        No such column, no adopter, everyone adopting at one time, or times that are not whole
        units.

    Examples
    --------
    >>> from alumni_net.io import Dataset
    >>> people = pd.DataFrame({"person_id": [1, 2, 3, 4], "t": [1990, 1991, None, 1993]})
    >>> ties = pd.DataFrame({"source": [1, 2], "target": [2, 3], "kind": "tie"})
    >>> obs = observed_adoption(Dataset(people, ties), column="t", time_unit="year",
    ...                         min_group_size=3)
    >>> obs.period.tolist(), obs.horizon_months, obs.seeds.tolist(), obs.group_labels
    ([0, 1, -1, 3], 36, [1], ('component 1',))
    >>> obs.curves().round(2).tolist()
    [[0.5, 0.5, 0.75], [0.67, 0.67, 0.67]]
    >>> obs.exposure(obs.period).tolist()  # person 2: 1 of 2 contacts had adopted before
    [0.5, 0.0]
    """
    if time_unit is not None and time_unit not in TIME_UNITS:
        raise ConfigError(f"time unit must be one of {', '.join(TIME_UNITS)}, got {time_unit!r}")
    times = require_adoption_times(dataset, column, not_adopted=not_adopted).to_numpy(float)
    dates = column in dataset.people and pd.api.types.is_datetime64_any_dtype(
        dataset.people[column])
    unit = "month" if dates else (time_unit or DEFAULT_TIME_UNIT)
    given = ~np.isnan(times)
    first = float(times[given].min())
    steps = np.where(given, times - first, -1.0)
    if np.any(np.mod(steps[given], 1) != 0):
        raise ValidationError([Problem("people", None, column, (
            f"adoption times must be whole {unit}s counted from the first one to map onto the "
            "model's months"))])
    period = _periods(steps, given, TIME_UNITS[unit])
    matrix = influence_matrix(dataset, check_influence(influence)).tocoo()
    codes, labels = _groups(dataset, matrix, by, min_group_size)
    return ObservedAdoption(name=str(getattr(dataset, "name", "dataset")),
                            ids=dataset.people["person_id"].to_numpy(), period=period,
                            months_per_period=max(1, int(TIME_UNITS[unit])), group_codes=codes,
                            group_labels=labels, time_unit=unit, first_time=first,
                            exposers=(matrix.row.astype(np.int64), matrix.col.astype(np.int64)),
                            time_unit_note=time_unit_note(time_unit, dates=dates))


def _periods(steps: np.ndarray, given: np.ndarray, months_per_unit: float) -> np.ndarray:
    if months_per_unit >= 1:
        return steps.astype(np.int64)  # one period per unit
    # Days and weeks: the month each falls in, counted so that only time 0 is period 0. The
    # tolerance keeps a whole month's worth of days (30.4375 x k) in month k despite rounding.
    months = np.ceil(steps * months_per_unit - 1e-9)
    return np.where(given, months, -1).astype(np.int64)


def _groups(dataset, matrix, by: str | None, min_size: int) -> tuple[np.ndarray, tuple[str, ...]]:
    people = dataset.people
    if by is not None:
        if by not in people.columns:
            raise ValidationError([Problem("people", None, by, (
                f"there is no '{by}' column to group the adoption curves by"))])
        values = people[by].astype(object).where(people[by].notna(), None).to_numpy()
        keys = pd.Series([None if v is None else str(v) for v in values])
        labels_all, raw = np.unique(keys.fillna("\0"), return_inverse=True)
        raw = np.where(keys.isna().to_numpy(), -1, raw)
        names = [str(x) for x in labels_all]
    else:
        _, raw = connected_components(matrix, directed=True, connection="weak")
        names = None
    sizes = np.bincount(raw[raw >= 0], minlength=raw.max() + 1 if len(raw) else 0)
    big = np.flatnonzero(sizes >= min_size)
    big = big[np.argsort(-sizes[big], kind="stable")] if names is None else big
    recode = np.full(len(sizes), -1)
    recode[big] = np.arange(len(big))
    codes = np.where(raw >= 0, recode[np.maximum(raw, 0)], -1)
    if names is None:
        labels = tuple(f"component {i + 1}" for i in range(len(big)))
    else:
        labels = tuple(names[i] for i in big)
    return codes.astype(np.int64), labels
