"""Pooling replicates across networks: the mixture whose variance is the total variance."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from alumni_net.experiments.runner import Replicates
from alumni_net.experiments.workforce.pooling import (
    network_interval,
    pool_replicates,
    prediction_interval,
)


def _run(values, seed) -> Replicates:
    n = len(values)
    summary = pd.DataFrame({"replicate": np.arange(n), "value": values})
    empty = pd.DataFrame({"replicate": pd.Series([], dtype=int)})
    return Replicates(summary, empty, empty, empty, {"seed": seed, "data": {"name": f"n{seed}"}})


def test_pooled_variance_is_within_plus_between_networks():
    rng = np.random.default_rng(0)
    means = np.array([10.0, 20.0, 35.0])
    runs = [_run(rng.normal(m, 2.0, 4000), k) for k, m in enumerate(means)]
    pooled = pool_replicates(runs).summary
    assert pooled["replicate"].tolist() == list(range(12_000))
    assert pooled.groupby("network").size().tolist() == [4000] * 3
    within = np.mean([r.summary["value"].var(ddof=0) for r in runs])
    between = np.var([r.summary["value"].mean() for r in runs])
    assert pooled["value"].var(ddof=0) == pytest.approx(within + between, rel=1e-9)
    # the 90% interval of the mixture is wider than any one network's
    lo, hi = pooled["value"].quantile([0.05, 0.95])
    assert hi - lo > 3 * (runs[0].summary["value"].quantile(0.95)
                          - runs[0].summary["value"].quantile(0.05))


def test_the_manifest_names_every_network():
    pooled = pool_replicates([_run([1.0], 1), _run([2.0], 2)], name="survey")
    assert pooled.manifest["seeds"] == [1, 2]
    assert pooled.manifest["data"]["networks"] == [{"name": "n1"}, {"name": "n2"}]


def test_interval_over_networks():
    v = pd.DataFrame({"m": ["a"] * 5 + ["b"] * 5, "value": list(range(5)) + [7.0] * 5})
    out = network_interval(v, ["m"]).set_index("m")
    assert out.loc["a", "median"] == 2 and out.loc["b", "lo"] == out.loc["b", "hi"] == 7
    assert out["n_networks"].tolist() == [5, 5]


def test_student_t_interval_is_clipped_to_the_measure_s_bounds():
    # three draws: mean 4, s = sqrt(19) and t(2, 0.95) = 2.919986, so the unclipped interval is
    # 4 -+ 2.919986 * 4.358899 * sqrt(4 / 3) = (-10.70, 18.70): below no one and above the 12
    # people there are; clipped to (0, 12), and an unbounded measure keeps it whole
    draws = [1.0, 2.0, 9.0]
    half = 2.919986 * np.sqrt(19.0) * np.sqrt(4.0 / 3.0)
    lo, med, hi = prediction_interval(draws)
    assert (lo, med, hi) == pytest.approx((4.0 - half, 2.0, 4.0 + half), rel=1e-6)
    assert prediction_interval(draws, bounds=(0.0, 12.0)) == (0.0, 2.0, 12.0)
    # a difference of counts (attributable adopters) may be negative: only its own bound clips
    assert prediction_interval([-1.0, 2.0, 9.0], bounds=(-3.0, 3.0 + 9.0))[0] == -3.0
    # order statistics (K >= 19) are draws, inside the bounds already
    assert prediction_interval(np.arange(20.0), bounds=(0.0, 19.0)) == (0.0, 9.5, 19.0)
    with pytest.raises(ValueError, match="outside"):
        prediction_interval(draws, bounds=(0.0, 5.0))
    with pytest.raises(ValueError, match="low <= high"):
        prediction_interval(draws, bounds=(5.0, 0.0))


def test_network_interval_passes_the_bounds_on():
    v = pd.DataFrame({"m": ["a"] * 3, "value": [1.0, 2.0, 9.0]})
    out = network_interval(v, ["m"], bounds=(0, 10)).iloc[0]
    assert (out["lo"], out["hi"]) == (0.0, 10.0)
    assert network_interval(v, ["m"]).iloc[0]["lo"] < 0  # no bounds: nothing clipped
