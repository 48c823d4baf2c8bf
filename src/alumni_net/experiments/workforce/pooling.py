"""Intervals that include the network: replicates pooled across the K estimated networks.

A figure's uncertainty has two sources: which network the workforce is (the K networks are draws
from the fitted model's posterior predictive, so they carry the survey's sampling error and
non-response) and chance in the spread itself (the replicates on one network). Pooling every
replicate of every network, with the same number on each, gives draws from the mixture
``p(y) = mean_k p(y | network k)``; its quantiles are the interval, and its variance is the total
variance ``E_k[Var(y | k)] + Var_k(E[y | k])`` (the law of total variance), so neither source is
left out. Differences within a replicate (with minus without programme) are taken before pooling,
so they stay paired. For figures computed once per network (reach, centrality), the interval is
over the networks.

The interval is a prediction interval for one more draw, honest for the number of draws K: the
5% and 95% sample quantiles of K draws cover a further draw from the very same distribution
only about 76% of the time when K = 10 and 82% when K = 20 (the quantiles themselves are
uncertain), so :func:`prediction_interval` takes order statistics whose coverage is at least
90% whatever the distribution when K >= 19, and a Student-t prediction interval below that,
clipped to the measure's feasible range. With K = 20 the order statistics are the smallest and
the largest draw, which cover a further draw 19/21 = 90.5% of the time on average: calibrated,
not conservative (their expected width is about 3.7 SDs against 3.3 for a known normal, the
price of estimating the quantiles). The interval is predictive: for attributable adopters it
covers one more run of the epidemic on the workforce, not the expected number.

References
----------
Meeker, W. Q., Hahn, G. J., & Escobar, L. A. (2017). Statistical Intervals: A Guide for
Practitioners and Researchers (2nd ed., chapters 4 and 5). Wiley. doi:10.1002/9781118594841
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike
from scipy import stats

from alumni_net.experiments.runner import Replicates

__all__ = ["network_interval", "pool_replicates", "prediction_interval", "stack_networks"]

_TABLES = ("summary", "by_degree", "timeseries", "by_group")


def pool_replicates(runs: list[Replicates], *, name: str = "workforce") -> Replicates:
    """The replicates of every network as one run (replicate ``r`` of network ``k`` becomes
    replicate ``k * R + r``, with a ``network`` column).

    Examples
    --------
    >>> r = Replicates(pd.DataFrame({"replicate": [0, 1]}), pd.DataFrame({"replicate": []}),
    ...                pd.DataFrame({"replicate": []}), pd.DataFrame({"replicate": []}),
    ...                {"data": {}, "seed": 1})
    >>> pool_replicates([r, r]).summary.values.tolist()
    [[0, 0], [1, 0], [2, 1], [3, 1]]
    """
    sizes = [run.n_replicates for run in runs]
    first = runs[0].manifest
    manifest = {
        **{key: v for key, v in first.items() if key not in ("data", "config_hash", "seed")},
        "seeds": [run.manifest.get("seed") for run in runs],
        "data": {"name": name, "networks": [run.manifest.get("data") for run in runs]},
    }
    return Replicates(**{t: stack_networks([getattr(run, t) for run in runs], sizes)
                         for t in _TABLES}, manifest=manifest)


def stack_networks(tables: Sequence[pd.DataFrame], sizes: Sequence[int]) -> pd.DataFrame:
    """One table of each network's run (``sizes[k]`` replicates on network ``k``) as one:
    replicate ``r`` of network ``k`` becomes replicate ``sizes[0] + ... + sizes[k-1] + r``,
    with a ``network`` column. The pooling rule of :func:`pool_replicates` and of scenarios on
    a workforce folder; rows keep their other columns (a scenario's name, an arm), so
    differences within a replicate stay paired.

    Examples
    --------
    >>> t = pd.DataFrame({"replicate": [0, 1], "arm": ["programme", "programme"]})
    >>> stack_networks([t, t], [2, 2])[["replicate", "network"]].values.tolist()
    [[0, 0], [1, 0], [2, 1], [3, 1]]
    """
    offsets = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.int64)
    return pd.concat([t.assign(replicate=t["replicate"] + offset, network=k)
                      for k, (t, offset) in enumerate(zip(tables, offsets, strict=True))],
                     ignore_index=True)


def prediction_interval(values: ArrayLike, level: float = 0.9,
                        bounds: tuple[float, float] = (-math.inf, math.inf)
                        ) -> tuple[float, float, float]:
    """Median of ``values`` (K draws) and an interval a further draw falls in with probability
    ``level``: ``(lo, median, hi)``.

    With ``K + 1 >= 2 / (1 - level)`` (19 draws for 90%), the order statistics ``x_(i)`` and
    ``x_(K + 1 - i)`` with ``i = floor((1 - level) / 2 * (K + 1))``: a further exchangeable draw
    falls between them with probability ``(K + 1 - 2i) / (K + 1) >= level`` whatever the
    distribution (19/21 = 0.905 for K = 20: the smallest and the largest draw, calibrated on
    average, not conservative). With fewer draws no two order statistics reach ``level``, and
    the interval is Student's ``mean +- t(K - 1) s sqrt(1 + 1/K)``, which assumes the draws are
    roughly normal and can reach past what the measure can be (fewer than no people, more than
    everyone): it is clipped to ``bounds``, the measure's feasible range (a count of people:
    ``(0, people)``; a difference of two such counts: ``(-people, people)``). Clipping only
    removes values the measure cannot take, so a further draw, which lies inside ``bounds``, is
    in the clipped interval exactly when it is in the unclipped one: the coverage is unchanged.
    Order statistics are draws, so they are inside ``bounds`` already. One draw gives a point.

    Raises
    ------
    ValueError
        When ``bounds`` is not ``(low, high)`` with ``low <= high``, or a draw is outside it.

    Examples
    --------
    >>> prediction_interval(np.arange(1.0, 20.0))  # 19 draws: the smallest and the largest
    (1.0, 10.0, 19.0)
    >>> [round(x, 2) for x in prediction_interval([10.0, 12.0, 14.0])]
    [5.26, 12.0, 18.74]
    >>> [round(x, 2) for x in prediction_interval([1.0, 3.0, 9.0], bounds=(0.0, 12.0))]
    [0.0, 3.0, 12.0]
    """
    low, high = float(bounds[0]), float(bounds[1])
    if not low <= high:
        raise ValueError(f"bounds must be (low, high) with low <= high, got {bounds}")
    x = np.sort(np.asarray(values, dtype=float))
    x = x[~np.isnan(x)]
    k = len(x)
    if k and (x[0] < low or x[-1] > high):
        raise ValueError(f"draws from {x[0]:g} to {x[-1]:g} lie outside the measure's bounds "
                         f"{bounds}")
    if k == 0:
        return (math.nan, math.nan, math.nan)
    median = float(np.median(x))
    if k == 1:
        return (float(x[0]), median, float(x[0]))
    i = math.floor((1.0 - level) / 2.0 * (k + 1) + 1e-9)
    if i >= 1:
        return (float(x[i - 1]), median, float(x[k - i]))
    half = float(stats.t.ppf((1.0 + level) / 2.0, k - 1)) * float(x.std(ddof=1)) * math.sqrt(
        1.0 + 1.0 / k)
    mean = float(x.mean())
    return (max(mean - half, low), median, min(mean + half, high))


def network_interval(values: pd.DataFrame, by: list[str], value: str = "value",
                     bounds: tuple[float, float] = (-math.inf, math.inf)) -> pd.DataFrame:
    """Median and 90% prediction interval over networks of ``value`` per group of ``by``,
    clipped to ``bounds``, the measure's feasible range (see :func:`prediction_interval`).

    Examples
    --------
    >>> v = pd.DataFrame({"m": ["a"] * 3, "value": [1.0, 2.0, 3.0]})
    >>> network_interval(v, ["m"], bounds=(0, 100)).round(2).to_dict("records")
    [{'m': 'a', 'median': 2.0, 'lo': 0.0, 'hi': 5.37, 'n_networks': 3}]
    """
    grouped = values.groupby(by, sort=False, observed=True)[value]
    parts = grouped.agg(lambda x: prediction_interval(x.to_numpy(float), bounds=bounds))
    out = pd.DataFrame(parts.tolist(), index=parts.index, columns=["lo", "median", "hi"])
    out["n_networks"] = grouped.count()
    return out[["median", "lo", "hi", "n_networks"]].reset_index()
