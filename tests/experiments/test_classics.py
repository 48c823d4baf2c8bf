"""Classic diffusion results reproduced with the package's own model.

Centola & Macy (2007, AJS 113:702) and Centola (2010, Science 329:1194): a behaviour that needs
reinforcement from two contacts (complex contagion) spreads further on a clustered lattice than on
a random network of the same size and degree, because the random network's long ties lead to
people who know only one adopter; a simple contagion (one contact is enough) spreads faster on
the random network, whose short paths reach everyone sooner. Christakis & Fowler (2008, BMJ
337:a2338) found effects that fall off with each degree of separation (about 15%, 10% and 6% for
happiness); in the model the share of adopters by degree of separation falls off with distance.
"""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest
from scipy import stats

from alumni_net.abm import ContagionModel, ContagionParams, simulate_once
from alumni_net.metrics import union_reach

N, K = 600, 8  # people and contacts each (Centola & Macy used rings of about this degree)


def _final_share(G, *, threshold: int, beta: float, horizon: int, seed: int) -> float:
    params = ContagionParams(horizon_months=horizon, beta=beta, decay=0.0, alpha=0.0,
                             threshold=threshold, threshold_kind="count")
    # Seed one person and their whole neighbourhood, as Centola & Macy did.
    model = ContagionModel(G, params, rng=seed, initial_adopters=[0, *G.neighbors(0)])
    model.run()
    return model.counts["practising"] / G.number_of_nodes()


def _networks(seed: int) -> tuple[nx.Graph, nx.Graph]:
    lattice = nx.watts_strogatz_graph(N, K, 0.0)  # clustered ring: neighbours share contacts
    random = nx.random_regular_graph(K, N, seed=seed)  # same size and degree, few shared contacts
    return lattice, random


def test_complex_contagion_spreads_further_on_a_clustered_lattice():
    lattice, random = zip(*[_networks(s) for s in range(8)], strict=True)
    on_lattice = [_final_share(g, threshold=2, beta=0.5, horizon=150, seed=s)
                  for s, g in enumerate(lattice)]
    on_random = [_final_share(g, threshold=2, beta=0.5, horizon=150, seed=s)
                 for s, g in enumerate(random)]
    assert min(on_lattice) > 0.95  # the ring fills, reinforcement travelling along it
    assert max(on_random) < 0.2  # long ties reach people with a single adopting contact
    assert stats.mannwhitneyu(on_lattice, on_random, alternative="greater").pvalue < 0.001


def test_simple_contagion_spreads_faster_on_the_random_network():
    lattice, random = zip(*[_networks(s) for s in range(8)], strict=True)
    on_lattice = [_final_share(g, threshold=0, beta=0.1, horizon=10, seed=s)
                  for s, g in enumerate(lattice)]
    on_random = [_final_share(g, threshold=0, beta=0.1, horizon=10, seed=s)
                 for s, g in enumerate(random)]
    assert np.mean(on_random) > 2 * np.mean(on_lattice)
    assert stats.mannwhitneyu(on_random, on_lattice, alternative="greater").pvalue < 0.001


@pytest.mark.parametrize("decay", [0.0, 0.05])
def test_adopters_fall_off_with_degrees_of_separation_from_the_alumni(decay):
    # A workforce of 1,500 with 30 alumni: among people who adopt through spread, fewer adopt at
    # each further degree from the nearest practising alum (the Christakis-Fowler gradient).
    G = nx.watts_strogatz_graph(1500, 6, 0.1, seed=3)
    rng = np.random.default_rng(4)
    alumni = set(rng.choice(1500, size=30, replace=False).tolist())
    nx.set_node_attributes(G, {v: v in alumni for v in G}, "is_alum")
    nx.set_node_attributes(G, {v: 0 if v in alumni else None for v in G}, "cohort_start")
    params = ContagionParams(horizon_months=36, beta=0.05, decay=decay, alpha=0.0,
                             p_course=1.0, training_months=0)
    adopters = np.zeros(3)
    for seed in range(6):
        adoptions = simulate_once(G, params, seed=seed).adoptions
        spread = adoptions[adoptions["via"] == "spread"]
        adopters += [(spread["distance"] == d).sum() for d in (1, 2, 3)]
    # Per person at that distance, so that more people further away do not hide the fall-off.
    people = union_reach(G, sorted(alumni))
    at_distance = np.array([people[f"reach_{d}"] for d in (1, 2, 3)], dtype=float)
    share = adopters / (6 * at_distance)
    assert share[0] > share[1] > share[2] > 0
