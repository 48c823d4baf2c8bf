"""The background that changes over time and by group (rules.background_rates): the time to
background adoption against its analytic law, P(T > t) = prod over months m <= t of (1 - p_m),
through the inverse CDF (rules.background_month) and through both engines."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest
from scipy import stats

from alumni_net.abm import ContagionModel, ContagionParams, build_network
from alumni_net.abm.rules import background_month, background_rates
from alumni_net.errors import ConfigError

HORIZON = 18
BREAKS = (6, 12)
#: group "a": a slow start, then a campaign, then a lull; group "b": steady; unlisted: alpha.
RATES = {"a": (0.01, 0.15, 0.03), "b": (0.05, 0.05, 0.05)}
ALPHA = 0.02


def _params(**kw) -> ContagionParams:
    return ContagionParams(horizon_months=HORIZON, beta=0.0, decay=0.0, alpha=ALPHA,
                           background_breaks=BREAKS, background_by="village",
                           background_groups=tuple(RATES),
                           background_rates=RATES["a"] + RATES["b"], **kw)


def _monthly(rates) -> np.ndarray:
    """The monthly probability of months 1..HORIZON."""
    starts = (0, *BREAKS)
    return np.array([rates[np.searchsorted(starts, m, "right") - 1] for m in
                     range(1, HORIZON + 1)])


def _pmf(rates) -> np.ndarray:
    """P(T = t) for t = 1..HORIZON, then P(T > HORIZON)."""
    p = _monthly(rates)
    survive = np.concatenate([[1.0], np.cumprod(1 - p)])
    return np.append(survive[:-1] * p, survive[-1])


def test_the_inverse_cdf_is_the_analytic_law():
    starts = np.array((0, *BREAKS))
    miss = np.log1p(-np.array(RATES["a"]))
    cdf = np.cumsum(_pmf(RATES["a"]))[:-1]  # P(T <= t), t = 1..HORIZON
    for t, c in enumerate(cdf, start=1):  # just below and at each step of the CDF
        assert background_month(c - 1e-9, miss, starts, 0, HORIZON) == t
        if t < HORIZON:
            assert background_month(c + 1e-9, miss, starts, 0, HORIZON) == t + 1
    assert background_month(0.999999, miss, starts, 0, HORIZON) == HORIZON + 1
    # Starting later: the law of T given T > 7 (memoryless within and across periods).
    later = _pmf(RATES["a"])[7:] / (1 - cdf[6])  # months 8..HORIZON, then never
    draws = [background_month(u, miss, starts, 7, HORIZON)
             for u in np.random.default_rng(3).random(4000)]
    counts = np.bincount(draws, minlength=HORIZON + 2)[8:]
    assert counts.sum() == 4000
    assert stats.chisquare(counts, 4000 * later).pvalue > 0.001


def test_rates_by_group_and_period():
    net_people = nx.empty_graph(3)
    nx.set_node_attributes(net_people, {0: "a", 1: "b", 2: "z"}, "village")
    net = build_network(net_people, columns=("village",))
    rates = background_rates(_params(), net)
    assert [rates.probability(i, m) for i in range(3) for m in (1, 7, 13)] == [
        0.01, 0.15, 0.03, 0.05, 0.05, 0.05, ALPHA, ALPHA, ALPHA]
    with pytest.raises(ConfigError, match="does not carry"):
        background_rates(_params(), build_network(nx.empty_graph(3)))


@pytest.mark.parametrize("bad", [dict(background_rates=(0.1,)), dict(background_breaks=(5, 5)),
                                 dict(background_groups=("a",))])
def test_a_background_of_the_wrong_shape_is_refused(bad):
    base = dict(background_breaks=BREAKS, background_rates=(0.1, 0.2, 0.3))
    with pytest.raises(ConfigError):
        ContagionParams(**{**base, **bad})


def _village_graph(n_each: int) -> nx.Graph:
    g = nx.empty_graph(3 * n_each)  # no ties: background adoption alone
    villages = ["a"] * n_each + ["b"] * n_each + ["z"] * n_each
    nx.set_node_attributes(g, dict(enumerate(villages)), "village")
    return g


@pytest.mark.parametrize(("engine", "n_each", "runs"), [("fast", 400, 5), ("reference", 200, 2)])
def test_both_engines_draw_the_analytic_time_to_background_adoption(engine, n_each, runs):
    g = _village_graph(n_each)
    first = {v: [] for v in ("a", "b", "z")}
    for seed in range(runs):
        model = ContagionModel(g, _params(), engine=engine, rng=seed)
        model.run()
        month = np.full(g.number_of_nodes(), HORIZON + 1)
        for m, people, _via, _dist in model.adoption_log:
            month[people] = np.minimum(month[people], m)
        for k, v in enumerate(("a", "b", "z")):
            first[v].append(month[k * n_each:(k + 1) * n_each])
    for v, rates in {**RATES, "z": (ALPHA,) * 3}.items():
        observed = np.bincount(np.concatenate(first[v]), minlength=HORIZON + 2)[1:]
        expected = _pmf(rates) * n_each * runs
        # Pool sparse cells so that every expected count is at least 5.
        obs, exp, acc_o, acc_e = [], [], 0, 0.0
        for o, e in zip(observed, expected, strict=True):
            acc_o, acc_e = acc_o + o, acc_e + e
            if acc_e >= 5:
                obs.append(acc_o), exp.append(acc_e)
                acc_o, acc_e = 0, 0.0
        obs[-1] += acc_o
        exp[-1] += acc_e
        assert stats.chisquare(obs, exp).pvalue > 0.001, (engine, v, obs, np.round(exp))
