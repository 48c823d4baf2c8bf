"""Recruitment: the pool, quotas (exact counts, feasibility), the random and degree strategies.

What every strategy keeps (quotas met exactly or refused like brute force, nobody excluded
picked, the same picks at any thread count) is checked over the registry in
``test_recruitment_contract.py``."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from scipy import stats

from alumni_net.errors import ConfigError
from alumni_net.experiments.recruitment import (
    Quotas,
    apportion,
    check_quotas_feasible,
    recruit,
)
from alumni_net.experiments.recruitment.quotas import REST

USERS = "people_who_use_services"


def people_of(G: nx.Graph, **columns) -> pd.DataFrame:
    return pd.DataFrame({"person_id": list(G), **columns})


def test_degree_picks_the_hubs_in_order():
    G = nx.Graph([(0, i) for i in range(1, 6)] + [(1, i) for i in range(6, 9)] + [(2, 9)])
    picks = recruit(people_of(G), G, 3, strategy="degree", rng=1)
    assert picks[:2] == [0, 1]  # degrees 5 and 4
    assert picks[2] == 2  # the only person of degree 2


def test_degree_follows_the_direction_of_influence():
    # 1, 2 and 3 named 0 as their adviser: influence flows from 0 to them by default
    G = nx.DiGraph([(1, 0), (2, 0), (3, 0), (0, 4)])
    people = people_of(G)
    assert recruit(people, G, 1, strategy="degree", rng=0) == [0]
    assert recruit(people, G, 1, strategy="degree", rng=0, influence="source_to_target") != [4]


def test_ties_are_broken_by_the_seed_reproducibly():
    G = nx.cycle_graph(30)  # everyone has degree 2
    people = people_of(G)
    runs = {s: recruit(people, G, 5, strategy="degree", rng=s) for s in range(6)}
    assert runs[3] == recruit(people, G, 5, strategy="degree", rng=3)
    assert len({tuple(r) for r in runs.values()}) == 6


def test_random_is_uniform_over_the_pool():
    G = nx.path_graph(4)
    people = people_of(G)
    counts = np.zeros(4)
    for seed in range(320):
        counts[recruit(people, G, 1, strategy="random", rng=seed)[0]] += 1
    assert stats.chisquare(counts).pvalue > 0.001


def test_random_seeded_and_order_is_pick_order():
    G = nx.path_graph(40)
    people = people_of(G)
    a = recruit(people, G, 10, strategy="random", rng=np.random.SeedSequence(7))
    assert a == recruit(people, G, 10, strategy="random", rng=np.random.SeedSequence(7))
    assert a != sorted(a) or a != recruit(people, G, 10, strategy="random", rng=8)
    assert len(set(a)) == 10


def test_default_pool_is_everyone_not_yet_an_alum_and_exclude_is_honoured():
    G = nx.star_graph(6)
    people = people_of(G, is_alum=[True] + [False] * 6)
    picks = recruit(people, G, 6, strategy="degree", rng=0)
    assert 0 not in picks and sorted(picks) == [1, 2, 3, 4, 5, 6]
    picks = recruit(people, G, 3, strategy="random", rng=0, exclude=[1, 2, 3])
    assert sorted(picks) == [4, 5, 6]
    picks = recruit(people, G, 2, strategy="degree", candidates=[0, 5, 6], exclude=[0], rng=0)
    assert sorted(picks) == [5, 6]


def test_pool_too_small_is_one_sentence():
    G = nx.path_graph(3)
    with pytest.raises(ConfigError, match="the candidate pool has 2 people for 3 places"):
        recruit(people_of(G), G, 3, exclude=[0])


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"sector": {"health": 1.5}}, "sector quota share of 'health' must be a number in"),
        ({"region": {"a": 0.6, "b": 0.6}}, "region quota shares must sum to at most 1"),
        ({"sector": ["health"]}, "sector quota must map sector labels to shares"),
        ({"min_service_users": -1}, "min_service_users must be a whole number >= 0"),
        ({"min_service_users": True}, "min_service_users must be a whole number >= 0"),
        ({"sector": {"health": float("nan")}}, "must be a number in"),
    ],
)
def test_bad_quotas_are_one_sentence(kwargs, message):
    with pytest.raises(ConfigError, match=message):
        Quotas(**kwargs)


def test_unknown_strategy_names_the_choices():
    G = nx.path_graph(3)
    with pytest.raises(ConfigError, match="unknown recruitment strategy 'degre'; choose one of"):
        recruit(people_of(G), G, 1, strategy="degre")


@pytest.mark.parametrize(
    ("shares", "k", "expected"),
    [
        ({"a": 0.5, "b": 0.5}, 3, {"a": 2, "b": 1, REST: 0}),  # tie: the first named wins
        ({"a": 0.35, "b": 0.25, "c": 0.2, "d": 0.2}, 24, {"a": 8, "b": 6, "c": 5, "d": 5,
                                                          REST: 0}),
        ({"a": 0.5}, 25, {"a": 13, REST: 12}),  # 12.5 each: a named part before the rest
        ({"a": 0.1, "b": 0.1}, 5, {"a": 1, "b": 0, REST: 4}),
        ({"a": 0.0}, 4, {"a": 0, REST: 4}),
        ({}, 3, {REST: 3}),
    ],
)
def test_apportion_largest_remainder(shares, k, expected):
    assert apportion(shares, k) == expected
    assert sum(apportion(shares, k).values()) == k


def test_check_quotas_feasible_names_the_quota():
    people = pd.DataFrame({
        "person_id": range(8),
        "sector": ["health"] * 4 + ["voluntary"] * 2 + [USERS] * 2,
        "region": ["north", "south"] * 4,
    })
    check_quotas_feasible(people, None, 4, Quotas(sector={"health": 0.5}, min_service_users=2))
    # two places reserved, the other two by sector share: all health
    check_quotas_feasible(people, None, 4, Quotas(sector={"health": 1.0}, min_service_users=2))
    cases = [
        (Quotas(sector={"voluntary": 0.75}), "needs 3 of 4 places from 'voluntary' but the "
                                             "candidate pool has 2"),
        (Quotas(min_service_users=3), "min_service_users needs 3 people who use services"),
        (Quotas(region={"east": 0.25}), "needs 1 of 4 places from 'east'"),
        (Quotas(min_service_users=5), r"min_service_users \(5\) is more than the 4 places"),
        (Quotas(sector={"health": 0.25}, region={"north": 1.0}),
         "from regions the quota does not name|cannot be met together"),
    ]
    for quotas, message in cases:
        with pytest.raises(ConfigError, match=message):
            check_quotas_feasible(people, None, 4, quotas)
    # health only in the north and south halves; voluntary and service users split likewise:
    # 3 health + 1 other, all in the south, is impossible with 2 health people in the south
    with pytest.raises(ConfigError, match="cannot be met together"):
        check_quotas_feasible(people, None, 4, Quotas(sector={"health": 0.75},
                                                      region={"south": 1.0}))
