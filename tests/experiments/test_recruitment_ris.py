"""Reverse-influence sampling: RR sets drawn on the fly are the influence strategy's samples,
RR estimates are unbiased for the spread, the analytic two-person answer, the quotas, the
certificate, the same picks at any number of threads, and RIS against CELF on small graphs
(same or better expected spread on independent samples, within Monte Carlo error)."""

from __future__ import annotations

import math

import networkx as nx
import numba
import numpy as np
import pandas as pd
import pytest
from scipy import stats

from alumni_net.abm import ContagionParams
from alumni_net.errors import ConfigError
from alumni_net.experiments.recruitment import Quotas
from alumni_net.experiments.recruitment._pool import make_pool
from alumni_net.experiments.recruitment.influence import LiveEdgeSample, pick_by_influence
from alumni_net.experiments.recruitment.ris import (
    ReverseSampler,
    greedy_factor,
    pick_by_ris,
    ris_selection,
)

PARAMS = ContagionParams(beta=0.05, decay=0.05, p_course=0.7)


def _live(G, replicates, seed, base=(), params=PARAMS, horizon=24):
    seed = seed if isinstance(seed, np.random.SeedSequence) else np.random.SeedSequence(seed)
    return LiveEdgeSample(G, params=params, replicates=replicates, horizon_months=horizon,
                          seed=seed, base=base)


def _pool(G, k, quotas=None, people=None, exclude=(), seed=0):
    people = pd.DataFrame({"person_id": list(G)}) if people is None else people
    return make_pool(people, k, None, quotas, exclude, seed)


def _cand_of(sampler, pool):
    cand = np.full(sampler.n, -1, dtype=np.int64)
    cand[sampler.vertices(pool.ids)] = np.arange(pool.n)
    return cand


def test_keyed_rr_sets_are_those_of_the_influence_strategys_samples():
    """Delays computed on demand from the keyed draws give the very RR sets that the
    LiveEdgeSample's materialised samples give, set by set."""
    G = nx.connected_watts_strogatz_graph(300, 6, 0.1, seed=1)
    live = _live(G, 20, 5, base=[0, 1, 2])
    materialised = ReverseSampler(live)
    keyed = ReverseSampler(G, params=PARAMS, horizon_months=24, seed=np.random.SeedSequence(5),
                           base=[0, 1, 2], replicates=20)
    keyed.root = materialised.root  # same targets and replicate choices
    pool = _pool(G, 5, exclude=[0, 1, 2])
    a = materialised.rr_sets(0, 0, 4000, _cand_of(keyed, pool))
    b = keyed.rr_sets(0, 0, 4000, _cand_of(keyed, pool))
    assert np.array_equal(a[0], b[0])
    assert all(sorted(a[1][a[0][j]:a[0][j + 1]]) == sorted(b[1][b[0][j]:b[0][j + 1]])
               for j in range(4000))
    assert a[0][-1] > 4000  # sets of more than the target alone


def test_rr_estimate_is_unbiased_for_the_spread_on_the_same_samples():
    G = nx.connected_watts_strogatz_graph(200, 6, 0.2, seed=2)
    live = _live(G, 30, 6, base=[5])
    sampler = ReverseSampler(live)
    pool = _pool(G, 3, exclude=[5])
    ptr, members = sampler.rr_sets(0, 0, 60_000, _cand_of(sampler, pool))
    chosen = [10, 50, 120]
    cand = set(pool.ids.index(v) for v in chosen)
    hit = np.array([bool(cand & set(members[ptr[j]:ptr[j + 1]])) for j in range(60_000)])
    estimate = 200 * hit.mean()
    se = 200 * hit.std() / math.sqrt(len(hit))
    assert abs(estimate - live.spread(chosen)) < 4 * se


def test_two_people_match_the_analytic_probability():
    beta, decay, horizon = 0.25, 0.3, 8
    p = ContagionParams(beta=beta, decay=decay, readoption=0.0, alpha=0.0, p_course=0.8,
                        alum_boost=1.0)
    exact = 0.8 * (1 + sum((1 - beta) ** (j - 1) * beta * (1 - decay) ** (j - 1)
                           for j in range(1, horizon + 1)))
    G = nx.path_graph(2)
    sampler = ReverseSampler(G, params=p, horizon_months=horizon, seed=3)  # fresh keys
    pool = _pool(G, 1)
    ptr, members = sampler.rr_sets(0, 0, 100_000, _cand_of(sampler, pool))
    zero = pool.ids.index(0)
    hit = np.array([zero in members[ptr[j]:ptr[j + 1]] for j in range(100_000)])
    assert abs(2 * hit.mean() - exact) < 4 * 2 * hit.std() / math.sqrt(len(hit))


def test_alumni_reach_is_covered_already():
    # beta 1, no lapsing, one month on the path 0-1-2-3-4: the alum at 0 brings 1 in, so
    # recruiting 1 adds only 2; recruiting 3 adds 2, 3 and 4
    p = ContagionParams(beta=1.0, decay=0.0, p_course=1.0, alum_boost=1.0)
    G = nx.path_graph(5)
    pool = _pool(G, 1, exclude=[0])
    sel = ris_selection(pool, ReverseSampler(G, params=p, horizon_months=1, seed=0, base=[0]))
    assert pool.ids[sel.picks[0]] == 3
    assert sel.estimate == pytest.approx(3.0, abs=0.15)


@pytest.mark.parametrize("quotas", [None, Quotas(sector={"health": 0.5}),
                                    Quotas(sector={"health": 0.5}, region={"north": 0.5})])
def test_quotas_exclusions_and_the_stated_factor(quotas):
    G = nx.connected_watts_strogatz_graph(400, 6, 0.1, seed=4)
    rng = np.random.default_rng(0)
    people = pd.DataFrame({"person_id": list(G),
                           "sector": rng.choice(["health", "social_care"], 400, p=[0.2, 0.8]),
                           "region": rng.choice(["north", "south"], 400, p=[0.3, 0.7])})
    pool = _pool(G, 6, quotas, people, exclude=[0, 1])
    sel = ris_selection(pool, ReverseSampler(G, params=PARAMS, horizon_months=24, seed=1,
                                             base=[0, 1]))
    ids = [pool.ids[i] for i in sel.picks]
    assert len(ids) == 6 and not {0, 1} & set(ids)
    chosen = people.set_index("person_id").loc[ids]
    if quotas is not None:
        assert (chosen["sector"] == "health").sum() == 3
    if quotas is not None and quotas.region is not None:
        assert (chosen["region"] == "north").sum() == 3
    assert sel.factor == greedy_factor(pool)
    assert sel.factor == {None: 1 - 1 / math.e, 1: 0.5, 2: 1 / 3}[
        None if quotas is None else 1 + (quotas.region is not None)]
    assert 0 < sel.lower <= sel.estimate <= sel.optimum_upper
    assert sel.ratio == pytest.approx(sel.lower / sel.optimum_upper)
    assert "With probability at least" in sel.statement()


def test_the_certificate_holds_against_the_brute_force_optimum():
    """On a graph small enough to enumerate every pair, the certified lower bound is below the
    picks' spread and the certified upper bound above the best pair's (many samples)."""
    import itertools

    G = nx.connected_watts_strogatz_graph(24, 4, 0.3, seed=5)
    live = _live(G, 2000, 9, params=ContagionParams(beta=0.1, decay=0.1, p_course=0.8),
                 horizon=12)
    pool = _pool(G, 2)
    sel = ris_selection(pool, ReverseSampler(live))
    best = max(live.spread(list(c)) for c in itertools.combinations(G, 2))
    got = live.spread([pool.ids[i] for i in sel.picks])
    assert sel.lower <= got <= best <= sel.optimum_upper
    assert got >= sel.ratio * best


def test_same_picks_at_any_number_of_threads():
    G = nx.connected_watts_strogatz_graph(500, 6, 0.1, seed=7)
    before = numba.get_num_threads()
    try:
        picks = []
        for threads in (1, before):
            numba.set_num_threads(threads)
            picks.append(pick_by_ris(_pool(G, 5), G, params=PARAMS, horizon_months=24, seed=2))
    finally:
        numba.set_num_threads(before)
    assert picks[0] == picks[1]


@pytest.mark.parametrize(("graph_seed", "quotas"), [(11, None), (12, Quotas(sector={"a": 0.5}))])
def test_ris_matches_or_beats_celf_within_monte_carlo_error(graph_seed, quotas):
    """Each strategy as it runs by default picks 6 of 300: CELF on the influence strategy's 100
    samples, RIS on fresh keyed samples (one per RR set). Each cohort is then scored on 2,000
    independent samples, paired: RIS's expected spread is not lower than CELF's beyond Monte
    Carlo error (one-sided paired t test at 1%)."""
    G = nx.connected_watts_strogatz_graph(300, 6, 0.15, seed=graph_seed)
    people = pd.DataFrame({"person_id": list(G), "sector": ["a", "b", "b"] * 100})
    seed = np.random.SeedSequence(graph_seed)
    pool = _pool(G, 6, quotas, people, exclude=[0, 150])
    celf = pick_by_influence(pool, _live(G, 100, seed, base=[0, 150]))
    pool = _pool(G, 6, quotas, people, exclude=[0, 150])
    ris = pick_by_ris(pool, G, params=PARAMS, horizon_months=24, seed=seed, base=[0, 150])
    judge = _live(G, 2000, graph_seed + 1000, base=[0, 150])
    diff = judge.per_sample([pool.ids[i] for i in ris]) - judge.per_sample(
        [pool.ids[i] for i in celf])
    assert stats.ttest_1samp(diff, 0.0, alternative="less").pvalue > 0.01


def test_bad_arguments_are_one_sentence():
    G = nx.path_graph(5)
    with pytest.raises(ConfigError, match="LiveEdgeSample carries its own"):
        ReverseSampler(_live(G, 2, 0), params=PARAMS)
    with pytest.raises(ConfigError, match="max_rr_sets"):
        pick_by_ris(_pool(G, 1), G, max_rr_sets=10)
    with pytest.raises(ConfigError, match="replicates"):
        ReverseSampler(G, replicates=0)
