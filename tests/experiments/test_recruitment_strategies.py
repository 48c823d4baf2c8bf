"""Recruitment strategies other than random, degree and influence: exact reach sets and greedy
maximum coverage against brute force, betweenness and bridging on hand-checked graphs. The
contract every strategy keeps is checked over the registry in ``test_recruitment_contract.py``."""

from __future__ import annotations

import itertools
import math

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alumni_net.experiments.recruitment import recruit
from alumni_net.experiments.recruitment._pool import make_pool
from alumni_net.experiments.recruitment.coverage import Coverage, pick_by_reach
from alumni_net.metrics import reach_index

graphs = st.builds(
    lambda n, p, seed, directed: nx.gnp_random_graph(n, p, seed=seed, directed=directed),
    st.integers(2, 10), st.floats(0.1, 0.5), st.integers(0, 10_000), st.booleans())


def brute_ball(G: nx.Graph, sources, d: int) -> set:
    """People within d steps of a source in the direction influence travels (target to source
    on directed data: along reversed arcs)."""
    H = G.reverse(copy=False) if G.is_directed() else G
    out = set()
    for s in sources:
        out |= set(nx.single_source_shortest_path_length(H, s, cutoff=d))
    return out


@settings(max_examples=60, deadline=None)
@given(graphs, st.integers(1, 3), st.data())
def test_coverage_is_the_exact_union_of_reach_sets(G, d, data):
    index = reach_index(G)
    sources = data.draw(st.lists(st.sampled_from(list(G)), unique=True, max_size=4))
    base = data.draw(st.lists(st.sampled_from(list(G)), unique=True, max_size=2))
    cover = Coverage(index.push, d, index.vertices(base))
    assert cover.size == len(brute_ball(G, base, d))
    for s in sources:
        before = cover.size
        gain = cover.gain(int(index.vertices([s])[0]))
        assert cover.add(int(index.vertices([s])[0])) == gain == cover.size - before
    covered = set(index.ids[np.flatnonzero(cover.covered)].tolist())
    assert covered == brute_ball(G, base + sources, d)


def _reach_picks(G, k, *, lazy=True, base=(), seed=0):
    pool = make_pool(pd.DataFrame({"person_id": list(G)}), k, None, None, base, seed)
    return [pool.ids[i] for i in pick_by_reach(pool, G, base, "target_to_source", lazy=lazy)]


@settings(max_examples=40, deadline=None)
@given(graphs, st.integers(1, 3), st.integers(0, 2**31), st.booleans())
def test_max_coverage_against_brute_force(G, k, seed, with_base):
    base = [next(iter(G))] if with_base and len(G) > k else []
    people = [v for v in G if v not in base]
    k = min(k, len(people))
    value = {c: len(brute_ball(G, list(c) + base, 3)) for c in itertools.combinations(people, k)}
    best = max(value.values())
    picks = _reach_picks(G, k, base=base, seed=seed)
    got = len(brute_ball(G, picks + base, 3))
    already = len(brute_ball(G, base, 3))
    assert got - already >= (1 - 1 / math.e) * (best - already) - 1e-9
    if k == 1:
        assert got == best  # one pick: greedy is the brute-force optimum
    assert picks == _reach_picks(G, k, lazy=False, base=base, seed=seed)


def test_reach_on_a_path_counts_what_alumni_do_not_already_reach():
    G = nx.path_graph(14)
    people = pd.DataFrame({"person_id": list(G)})
    first = recruit(people, G, 1, strategy="reach", rng=4)[0]
    assert 3 <= first <= 10  # every one of them reaches 7 people (themselves included)
    # with an alum at 3 (reaching 0..6), only 10 adds 7 more people
    people["is_alum"] = people["person_id"] == 3
    assert recruit(people, G, 1, strategy="reach", rng=4) == [10]
    assert recruit(people, G, 2, strategy="reach", rng=4, influence="both")[0] == 10


def test_betweenness_picks_the_bridge():
    G = nx.barbell_graph(5, 3)  # two K5 joined by a path of 3: its middle carries every path
    people = pd.DataFrame({"person_id": list(G)})
    assert recruit(people, G, 1, strategy="betweenness", rng=0) == [6]
    assert sorted(recruit(people, G, 3, strategy="betweenness", rng=0)) == [5, 6, 7]


def test_bridging_picks_who_reaches_other_sectors_and_regions():
    G = nx.Graph([(0, 1), (0, 2), (0, 3), (4, 5), (4, 6), (7, 8)])
    people = pd.DataFrame({
        "person_id": range(9),
        "sector": ["a", "b", "c", "d", "a", "a", "b", "a", "a"],
        "region": ["x", "x", "x", "y", "x", "x", "x", "x", "x"],
    })
    # 0 reaches 3 other sectors and 1 other region; 4 reaches 1 other sector; 7 and 8 none
    assert recruit(people, G, 2, strategy="bridging", rng=0)[0] == 0
    assert set(recruit(people, G, 3, strategy="bridging", rng=0)) & {7, 8} == set()
    with pytest.raises(Exception, match="needs 'sector' or 'region'"):
        recruit(pd.DataFrame({"person_id": range(9)}), G, 1, strategy="bridging")
