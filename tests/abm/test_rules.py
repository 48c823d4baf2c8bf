"""The rules module: keyed draws, the probabilities of monthly events, background rates."""

import numpy as np
import pytest
from scipy import stats

from alumni_net.abm import ContagionParams, rules


def test_keyed_draws_are_uniform_and_independent_across_streams_and_months():
    key = np.uint64(123456789)
    u = rules.uniforms(key, rules.S_SPREAD, 50_000, 7)
    assert stats.kstest(u, "uniform").pvalue > 0.001
    assert (u >= 0).all() and (u < 1).all()
    others = [rules.uniforms(key, rules.S_SPREAD, 50_000, 8),
              rules.uniforms(key, rules.S_LAPSE, 50_000, 7),
              rules.uniforms(key, rules.S_RESPREAD, 50_000, 7)]
    for v in others:
        assert abs(np.corrcoef(u, v)[0, 1]) < 4 / np.sqrt(50_000)
        assert stats.kstest(v, "uniform").pvalue > 0.001
    # the same key, stream, item and month always give the same number
    np.testing.assert_array_equal(u, rules.uniforms(key, rules.S_SPREAD, 50_000, 7))


def test_streams_are_distinct_and_fit_the_counter():
    codes = list(rules.STREAMS.values())
    assert len(set(codes)) == len(codes) and all(0 < c < 16 for c in codes)


@pytest.mark.parametrize("p", [0.003, 0.2, 0.9])
def test_first_success_is_the_geometric_month_of_the_first_coin(p):
    u = rules.uniforms(np.uint64(5), rules.S_SPREAD, 200_000, 0)
    months = np.array([rules.first_success(x, np.log1p(-p), 10_000) for x in u])
    assert months.min() >= 1
    for k in (1, 2, 5, 20):  # P(first success after month k) = (1 - p)^k
        expected = (1 - p) ** k
        assert abs((months > k).mean() - expected) < 5 * np.sqrt(expected * (1 - expected)
                                                               / len(u)) + 1e-9
    assert rules.first_success(0.5, 0.0, 12) == 13  # p = 0: never within the cap
    assert rules.first_success(0.5, -np.inf, 12) == 1  # p = 1: the first month


def test_an_exponential_threshold_reproduces_the_monthly_coins():
    # P(sum of hazards over t months reaches E) = 1 - prod(1 - p_s): the event-driven draw
    p = np.array([0.1, 0.1, 0.3, 0.05, 0.6])
    h = np.array([rules.hazard(x) for x in p])
    u = rules.uniforms(np.uint64(9), rules.S_SPREAD, 100_000, 3)
    e = np.array([rules.exponential(x) for x in u])
    month = np.searchsorted(np.cumsum(h), e, side="left") + 1  # first month the sum >= E
    expected = np.append(p * np.concatenate([[1.0], np.cumprod(1 - p)[:-1]]), np.prod(1 - p))
    observed = np.bincount(month, minlength=7)[1:]
    assert stats.chisquare(observed, expected * len(u)).pvalue > 0.001
    assert rules.hazard(1.0) == np.inf


def test_event_probabilities():
    assert float(rules.transmission_probability(0.2, 0.5, 1.5, 2.0)) == pytest.approx(0.3)
    assert float(rules.transmission_probability(0.8, 1.0, 1.5, 1.0)) == 1.0
    assert rules.lapse_probability(0.04, 0.5, 2.0) == pytest.approx(0.01)
    assert rules.group_multiplier(2.0, 1, 4) == pytest.approx(1.5)
    assert rules.group_multiplier(2.0, 0, 0) == 1.0  # nobody else in the set
    assert rules.sender_boost(1.5, 10, 10) == 1.5 and rules.sender_boost(1.5, 9, 10) == 1.0
    assert rules.passes_threshold(2, 2.0, False, 0)
    assert not rules.passes_threshold(1, 0.5, True, 3)
    assert rules.passes_threshold(2, 0.5, True, 3)
    assert not rules.passes_threshold(0, 0.0, True, 0)  # no contacts: nobody to follow
    np.testing.assert_allclose(rules.person_threshold(2.0, 1.0, np.array([0.0, 0.5, 1.0])),
                               [1.0, 2.0, 3.0])
    assert float(rules.person_threshold(0.5, 1.0, 0.0)) == 0.0  # floored at 0


def test_background_rates_are_alpha_for_everyone_every_month():
    rates = rules.background_rates(ContagionParams(alpha=0.002), None)
    assert rates.n_groups == 1 and rates.any
    assert [rates.probability(i, m) for i, m in ((0, 0), (7, 119))] == [0.002, 0.002]
    assert not rules.background_rates(ContagionParams(alpha=0.0), None).any


def test_states_and_routes_are_named_in_code_order():
    assert rules.STATES[rules.PRACTISING] == "practising"
    assert [rules.VIA[c] for c in rules.ROUTE_PRIORITY] == [
        "seed", "course", "reengaged", "spread", "background"]
