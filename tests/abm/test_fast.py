"""Analytic oracles for the one-generation special case (independent cascade = Reed-Frost SIR),
run on the fast engine (the reference engine is held to the fast one in test_reference.py)."""

from functools import cache

import networkx as nx
import numpy as np
import pytest
from scipy import optimize, stats

from alumni_net.abm import ContagionModel, ContagionParams, build_network

N_REPS = 2000


def one_generation(p: float, horizon: int = 40) -> ContagionParams:
    """Practising lasts exactly one month and lapsed people cannot re-adopt."""
    return ContagionParams(horizon_months=horizon, beta=p, decay=1.0, readoption=0.0,
                           alpha=0.0, p_course=0.0, default_tie_weight=1.0)


def final_sizes(graph, params, seeds, n_reps, root=0):
    """Total ever-adopters (seeds included) for replicates root..root+n_reps-1."""
    net = build_network(graph)
    out = np.empty(n_reps, dtype=int)
    for r in range(n_reps):
        model = ContagionModel(net, params, rng=root + r, initial_adopters=seeds)
        model.run(until_quiet=True)
        out[r] = net.n - model.counts["unaware"]
    return out


def reed_frost_final_size(n: int, p: float) -> np.ndarray:
    """Exact distribution of the final size (1..n) of a Reed-Frost epidemic from 1 case."""
    @cache
    def dist(s: int, i: int) -> tuple[float, ...]:
        if i == 0:
            out = [0.0] * (n + 1)
            out[n - s] = 1.0
            return tuple(out)
        q = 1 - (1 - p) ** i
        total = np.zeros(n + 1)
        for k in range(s + 1):
            total += stats.binom.pmf(k, s, q) * np.array(dist(s - k, k))
        return tuple(total)

    return np.array(dist(n - 1, 1))[1:]


def test_reed_frost_exact_distribution_on_an_action_learning_set_k6():
    p = 0.3
    sizes = final_sizes(nx.complete_graph(6), one_generation(p), [0], N_REPS)
    expected = reed_frost_final_size(6, p) * N_REPS
    observed = np.bincount(sizes, minlength=7)[1:]
    assert expected.sum() == pytest.approx(N_REPS)
    assert stats.chisquare(observed, expected).pvalue > 0.001
    # and the test has power: the distribution for p = 0.35 is rejected
    wrong = reed_frost_final_size(6, 0.35) * N_REPS
    assert stats.chisquare(observed, wrong).pvalue < 0.001


def test_regular_tree_adopters_first_reached_at_distance_d():
    k, p, depth = 4, 0.4, 4
    tree = nx.Graph()
    frontier, nxt = [0], 1
    for d in range(depth):
        new = []
        for u in frontier:
            for _ in range(k if d == 0 else k - 1):
                tree.add_edge(u, nxt)
                new.append(nxt)
                nxt += 1
        frontier = new
    dist = nx.single_source_shortest_path_length(tree, 0)
    net = build_network(tree)
    by_d = np.zeros((N_REPS, depth + 1))
    params = one_generation(p)
    for r in range(N_REPS):
        model = ContagionModel(net, params, rng=r, initial_adopters=[0])
        model.run(until_quiet=True)
        for month, idx, _, _ in model.adoption_log:
            for i in idx.tolist():
                d = dist[int(net.ids[i])]
                assert d == month  # on a tree the cascade advances one level a month
                by_d[r, d] += 1
    for d in range(1, depth + 1):
        expected = k * (k - 1) ** (d - 1) * p**d
        se = by_d[:, d].std(ddof=1) / np.sqrt(N_REPS)
        assert abs(by_d[:, d].mean() - expected) < 4 * se, d


def test_erdos_renyi_final_share_matches_the_percolation_equation():
    n, c, p = 2000, 3.0, 0.6
    s_star = optimize.brentq(lambda s: s - (1 - np.exp(-c * p * s)), 1e-6, 1.0)
    shares = []
    for g_seed in range(4):
        g = nx.fast_gnp_random_graph(n, c / (n - 1), seed=g_seed)
        rng = np.random.default_rng(g_seed)
        for r in range(50):
            seed_node = int(rng.integers(n))
            size = final_sizes(g, one_generation(p, 200), [seed_node], 1,
                               root=1000 * g_seed + r)[0]
            shares.append(size / n)
    shares = np.array(shares)
    major = shares[shares > 0.1]  # minor outbreaks die out near the seed
    assert len(major) > 100
    se = major.std(ddof=1) / np.sqrt(len(major))
    assert abs(major.mean() - s_star) < 4 * se + 2 / n
    # about s_star of single seeds land in the giant cluster and start a major outbreak
    assert abs(len(major) / len(shares) - s_star) < 4 * np.sqrt(s_star * (1 - s_star) / 200)


def test_keyed_draws_are_uniform_and_independent_across_streams_and_months():
    from alumni_net.abm import _kernels as k

    key = np.uint64(123456789)
    u = k.uniforms(key, k.S_SPREAD, 50_000, 7)
    assert stats.kstest(u, "uniform").pvalue > 0.001
    assert (u >= 0).all() and (u < 1).all()
    other_month = k.uniforms(key, k.S_SPREAD, 50_000, 8)
    other_stream = k.uniforms(key, k.S_LAPSE, 50_000, 7)
    for v in (other_month, other_stream):
        assert abs(np.corrcoef(u, v)[0, 1]) < 4 / np.sqrt(50_000)
        assert stats.kstest(v, "uniform").pvalue > 0.001
    # the same key, stream, item and month always give the same number
    np.testing.assert_array_equal(u, k.uniforms(key, k.S_SPREAD, 50_000, 7))


@pytest.mark.parametrize("alpha", [0.003, 0.2, 1.0])
def test_background_adoption_hits_each_person_with_probability_alpha(alpha):
    n, months = 20_000, 5
    params = ContagionParams(horizon_months=months, beta=0.0, decay=0.0, alpha=alpha)
    model = ContagionModel(nx.empty_graph(n), params, rng=3)
    model.run()
    adopted = n - model.counts["unaware"]
    expected = 1 - (1 - alpha) ** months
    assert abs(adopted / n - expected) <= 4 * np.sqrt(expected * (1 - expected) / n) + 1e-12
    per_month = [len(idx) for _, idx, _, _ in model.adoption_log]
    assert per_month[0] == pytest.approx(n * alpha, abs=4 * np.sqrt(n * alpha) + 1e-9)
