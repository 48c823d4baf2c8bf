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
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from alumni_net.experiments.runner import Replicates

__all__ = ["network_interval", "pool_replicates", "stack_networks"]

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


def network_interval(values: pd.DataFrame, by: list[str], value: str = "value") -> pd.DataFrame:
    """Median and 90% interval over networks of ``value`` per group of ``by``.

    Examples
    --------
    >>> v = pd.DataFrame({"m": ["a"] * 3, "value": [1.0, 2.0, 3.0]})
    >>> network_interval(v, ["m"]).round(2).to_dict("records")
    [{'m': 'a', 'median': 2.0, 'lo': 1.1, 'hi': 2.9, 'n_networks': 3}]
    """
    grouped = values.groupby(by, sort=False, observed=True)[value]
    return pd.DataFrame({
        "median": grouped.median(), "lo": grouped.quantile(0.05), "hi": grouped.quantile(0.95),
        "n_networks": grouped.count(),
    }).reset_index()
