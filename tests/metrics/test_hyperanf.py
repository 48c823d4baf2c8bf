"""HyperANF estimates stay within their documented error of exact reach."""

from __future__ import annotations

import igraph as ig
import networkx as nx
import numpy as np
import pytest

from alumni_net.errors import ConfigError
from alumni_net.metrics import approximate_reach, expected_relative_error, reach_by_distance


@pytest.fixture(scope="module")
def ba_50k():
    return ig.Graph.Barabasi(50_000, 3)


def _relative_errors(graph, registers, seed, d=3):
    estimate = approximate_reach(graph, registers=registers, seed=seed)
    sample = np.random.default_rng(7).choice(graph.vcount(), 300, replace=False)
    exact = reach_by_distance(graph, sample)[f"reach_within_{d}"].to_numpy(float)
    approx = estimate[f"reach_within_{d}"].to_numpy()[sample]
    return (approx - exact) / exact


def test_approximate_reach_within_documented_error_on_50k_nodes(ba_50k):
    errors = _relative_errors(ba_50k, 256, seed=3)
    sigma = expected_relative_error(256)
    # Mean absolute error of a (near) normal estimate is 0.8 sigma; allow sampling slack.
    assert np.mean(np.abs(errors)) <= sigma
    assert abs(np.mean(errors)) <= sigma / 2  # no systematic bias
    assert np.quantile(np.abs(errors), 0.95) <= 3 * sigma


def test_more_registers_give_smaller_errors(ba_50k):
    coarse = np.mean(np.abs(_relative_errors(ba_50k, 16, seed=1, d=2)))
    fine = np.mean(np.abs(_relative_errors(ba_50k, 1024, seed=1, d=2)))
    assert fine < coarse / 3


def test_small_neighbourhoods_are_nearly_exact():
    est = approximate_reach(nx.path_graph(7), registers=4096, max_dist=2)
    assert est["reach_within_1"].round().tolist() == [1, 2, 2, 2, 2, 2, 1]
    assert est["reach_within_2"].round().tolist() == [2, 3, 4, 4, 4, 3, 2]


def test_same_seed_same_estimates_and_checks():
    G = nx.karate_club_graph()
    a = approximate_reach(G, registers=64, seed=5)
    b = approximate_reach(G, registers=64, seed=5)
    assert a.equals(b)
    with pytest.raises(ConfigError, match="power of two"):
        approximate_reach(G, registers=100)


@pytest.mark.parametrize("influence", ["target_to_source", "source_to_target"])
def test_directed_estimates_follow_the_direction_influence_travels(influence):
    G = nx.DiGraph([(1, 2), (2, 3)])  # 1 named 2, 2 named 3
    est = approximate_reach(G, registers=1024, influence=influence)
    exact = reach_by_distance(G, influence=influence)
    assert est["reach_within_2"].round().tolist() == exact["reach_within_2"].tolist()
    g = ig.Graph.Erdos_Renyi(3000, m=9000, directed=True)
    sample = np.arange(0, 3000, 10)
    est = approximate_reach(g, registers=256, influence=influence)["reach_within_3"].to_numpy()[
        sample
    ]
    exact = reach_by_distance(g, sample, influence=influence)["reach_within_3"].to_numpy(float)
    has = exact > 0
    assert np.mean(np.abs(est[has] - exact[has]) / exact[has]) <= expected_relative_error(256)


def test_reach_within_one_is_exact_with_repeated_ties_and_self_loops():
    # two ties 0-1 (two kinds), a self-loop at 2, a star around 3
    g = ig.Graph([(0, 1), (0, 1), (2, 2), (3, 4), (3, 5), (3, 6), (1, 3)])
    est = approximate_reach(g, registers=16, max_dist=1)
    assert est["reach_within_1"].tolist() == [1.0, 2.0, 0.0, 4.0, 1.0, 1.0, 1.0]


def test_every_step_matches_a_plain_union_of_sketches():
    """The sparse first step, the fused estimate and the prefetching union give the very
    estimates of register-wise maxima taken the plain way (an independent oracle)."""
    from alumni_net.metrics.hyperanf import _first_registers

    g = ig.Graph.Erdos_Renyi(400, m=1600)
    m, seed = 64, 11
    est = approximate_reach(g, registers=m, seed=seed, max_dist=3)
    salt = np.uint64(np.random.default_rng(seed).integers(0, 2**63 - 1))
    slot, rank = _first_registers(g.vcount(), 6, salt)
    regs = np.zeros((g.vcount(), m), dtype=np.uint8)
    regs[np.arange(g.vcount()), slot] = rank
    adj = g.get_adjlist()
    for d in (1, 2, 3):
        regs = np.array([np.max(regs[[v, *adj[v]]], axis=0) for v in range(g.vcount())])
        if d == 1:
            continue
        inv = (2.0 ** -regs.astype(float)).sum(axis=1)
        raw = 0.7213 / (1 + 1.079 / m) * m * m / inv
        zeros = (regs == 0).sum(axis=1)
        small = (raw <= 2.5 * m) & (zeros > 0)
        raw[small] = m * np.log(m / zeros[small])
        assert est[f"reach_within_{d}"].to_numpy() == pytest.approx(raw - 1.0, rel=1e-6)
