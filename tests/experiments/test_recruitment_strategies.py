"""Recruitment strategies other than influence: exact reach sets and greedy maximum coverage
against brute force, betweenness and bridging on hand-checked graphs, and the contract every
strategy keeps (k distinct people, never the excluded or alumni, seeded, quotas met)."""

from __future__ import annotations

import itertools
import math

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alumni_net.abm import ContagionParams
from alumni_net.experiments.recruitment import STRATEGIES, Quotas, recruit
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


@pytest.fixture(scope="module")
def programme():
    from alumni_net.synth import synthesize

    return synthesize(n_people=1_500, n_cohorts=3, seed=2)


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_every_strategy_on_a_synthetic_programme(programme, strategy):
    people = programme.people
    alumni = set(people.loc[people["is_alum"], "person_id"])
    exclude = people.loc[~people["is_alum"], "person_id"].iloc[:50].tolist()
    quotas = Quotas(sector={"health": 0.5, "voluntary": 0.25}, region={"london": 0.25},
                    min_service_users=2)
    kwargs = dict(strategy=strategy, quotas=quotas, exclude=exclude, rng=11,
                  params=ContagionParams(beta=0.05), replicates=20, horizon_months=24)
    picks = recruit(people, programme, 26, **kwargs)
    assert len(set(picks)) == 26
    assert not set(picks) & (alumni | set(exclude))
    chosen = people.set_index("person_id").loc[picks]
    assert (chosen["sector"] == "people_who_use_services").sum() >= 2
    assert (chosen["sector"] == "health").sum() == 12  # half of the 24 places left
    assert (chosen["sector"] == "voluntary").sum() == 6
    assert (chosen["region"] == "london").sum() == 7  # a quarter of 26, rounded up
    assert picks == recruit(people, programme, 26, **kwargs)


@settings(max_examples=40, deadline=None)
@given(graphs, st.sampled_from(STRATEGIES), st.integers(0, 2**31), st.data())
def test_recruits_are_never_excluded_or_alumni(G, strategy, seed, data):
    nodes = list(G)
    alumni = data.draw(st.lists(st.sampled_from(nodes), unique=True, max_size=2))
    exclude = data.draw(st.lists(st.sampled_from(nodes), unique=True, max_size=3))
    free = [v for v in nodes if v not in alumni and v not in exclude]
    k = data.draw(st.integers(0, len(free)))
    people = pd.DataFrame({"person_id": nodes, "is_alum": [v in alumni for v in nodes],
                           "sector": ["a", "b"] * (len(nodes) // 2) + ["a"] * (len(nodes) % 2)})
    picks = recruit(people, G, k, strategy=strategy, exclude=exclude, rng=seed, replicates=5,
                    params=ContagionParams(beta=0.3))
    assert len(picks) == len(set(picks)) == k
    assert set(picks) <= set(free)
