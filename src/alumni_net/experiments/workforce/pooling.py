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

import pandas as pd

from alumni_net.experiments.runner import Replicates

__all__ = ["network_interval", "pool_replicates"]

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
    frames: dict[str, list] = {t: [] for t in _TABLES}
    offset = 0
    for k, run in enumerate(runs):
        for t in _TABLES:
            table = getattr(run, t)
            frames[t].append(table.assign(replicate=table["replicate"] + offset, network=k))
        offset += run.n_replicates
    first = runs[0].manifest
    manifest = {
        **{key: v for key, v in first.items() if key not in ("data", "config_hash", "seed")},
        "seeds": [run.manifest.get("seed") for run in runs],
        "data": {"name": name, "networks": [run.manifest.get("data") for run in runs]},
    }
    return Replicates(**{t: pd.concat(frames[t], ignore_index=True) for t in _TABLES},
                      manifest=manifest)


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
