"""Transmission trees, the reproduction number and the generation time against known answers:
a path and a star (beta = 1), re-adoption after lapsing, and a branching process whose offspring
mean and generation-time distribution are known."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from alumni_net.abm import ContagionParams, simulate_once
from alumni_net.abm.transmission import (
    NO_INFECTOR,
    TransmissionRecord,
    generation_times,
    generations,
    pack_trees,
    parents,
    reproduction,
    tree_summary,
    unpack_trees,
)
from alumni_net.errors import AlumniNetError


def path_record(n: int, horizon: int) -> TransmissionRecord:
    """A path 0-1-...-(n-1), person 0 seeded, beta 1: person k adopts in month k from k - 1."""
    k = np.arange(min(n, horizon + 1))
    return TransmissionRecord(k, k, np.where(k == 0, NO_INFECTOR, k - 1), horizon)


def test_a_path_with_beta_one_has_r_one_and_generation_time_one():
    rec = path_record(10, 6)  # the run ends before the path does: every adopter passes it on
    table = reproduction(rec)
    assert table["r"].iloc[:-1].tolist() == [1.0] * 6
    assert np.isnan(table["r"].iloc[-1])  # the last month's adopters had no month left
    assert table["followed_months"].tolist() == [6, 5, 4, 3, 2, 1, 0]
    assert generation_times(rec).tolist() == [1] * 6
    assert generations(rec).tolist() == list(range(7))  # generation = distance along the path


def test_the_end_of_a_path_passes_it_on_to_no_one():
    table = reproduction(path_record(4, 6))  # four people, seven months
    assert table["r"].tolist()[:4] == [1.0, 1.0, 1.0, 0.0]
    assert table["adopters"].tolist() == [1, 1, 1, 1, 0, 0, 0]
    assert table["r"].iloc[4:].isna().all()  # no adopters: no value


def test_a_star_from_its_centre():
    leaves = 5
    rec = TransmissionRecord(np.arange(leaves + 1), [0] + [1] * leaves,
                             [NO_INFECTOR] + [0] * leaves, horizon=3)
    assert reproduction(rec)["r"].tolist()[:2] == [5.0, 0.0]
    summary = tree_summary(rec)
    assert (summary["roots"], summary["trees"], summary["largest_tree"], summary["depth"],
            summary["generation_1"], summary["mean_offspring"]) == (1, 1, 6, 1, 5, 5 / 6)


def test_a_readopter_passes_it_on_from_the_spell_in_which_they_practised():
    # 0 seeds (month 0), 1 catches it in 2; 0 lapses and re-adopts in the background in month 4;
    # 2 catches it from 0 in month 6: from 0's second spell, two months after it began.
    rec = TransmissionRecord([0, 1, 0, 2], [0, 2, 4, 6], [-1, 0, -1, 0], horizon=8)
    assert parents(rec).tolist() == [-1, 0, -1, 2]
    assert generation_times(rec).tolist() == [2, 2]
    assert tree_summary(rec)["trees"] == 2


def test_an_infector_who_had_not_adopted_is_refused():
    with pytest.raises(AlumniNetError, match="event 1 .* infector 0, who had not adopted"):
        parents(TransmissionRecord([0, 1], [1, 1], [-1, 0], horizon=2))  # same month: not yet
    with pytest.raises(AlumniNetError, match="in order"):
        TransmissionRecord([0, 1], [2, 1], [-1, -1], horizon=2)


def test_a_branching_process_gives_back_its_offspring_mean_and_generation_time():
    # Each adopter causes Poisson(1.5) adoptions, each a Geometric(0.5) number of months later
    # (mean 2). Cohorts followed long enough give r = 1.5; the generation times are geometric.
    rng = np.random.default_rng(7)
    horizon, mean_offspring, p = 12, 1.5, 0.5
    events = [(0, NO_INFECTOR, i) for i in range(200)]  # (month, infector, person)
    frontier, person = list(range(200)), 200
    month_of = dict.fromkeys(range(200), 0)
    while frontier:
        nxt = []
        for who in frontier:
            for delay in rng.geometric(p, rng.poisson(mean_offspring)):
                when = month_of[who] + int(delay)
                if when <= horizon:
                    events.append((when, who, person))
                    month_of[person] = when
                    nxt.append(person)
                    person += 1
        frontier = nxt
    events.sort(key=lambda e: e[0])
    month, infector, who = map(np.array, zip(*events, strict=True))
    rec = TransmissionRecord(who, month, infector, horizon)
    table = reproduction(rec)
    # Offspring within the horizon of cohort t: 1.5 x P(delay <= horizon - t).
    expected = mean_offspring * (1 - (1 - p) ** table["followed_months"])
    early = table[(table["month"] <= 4) & (table["adopters"] >= 100)]
    assert len(early) >= 3
    se = np.sqrt(mean_offspring / early["adopters"])  # Poisson: variance = mean
    assert (np.abs(early["r"] - expected[early.index]) < 3 * se).all(), early
    # The seeds' transmissions: a delay beyond the horizon has probability 0.5 ** 12.
    parent = parents(rec)
    from_seeds = (parent != NO_INFECTOR) & (month[np.maximum(parent, 0)] == 0)
    times = generation_times(rec, parent)[from_seeds[parent != NO_INFECTOR]]
    assert len(times) > 250
    assert times.mean() == pytest.approx(1 / p, abs=3 * np.sqrt((1 - p) / p**2 / len(times)))
    assert np.mean(times == 1) == pytest.approx(p, abs=3 * np.sqrt(p * (1 - p) / len(times)))


def test_trees_pack_and_unpack_unchanged():
    records = [path_record(5, 6), TransmissionRecord([3, 1, 0, 2], [0, 0, 1, 3], [-1, -1, 3, 0],
                                                     horizon=4)]
    packed = pack_trees(records)
    assert packed["offsets"].tolist() == [0, 5, 9]
    assert packed["parent"].dtype == np.int32 and packed["parent"].tolist()[5:] == [-1, -1, 0, 2]
    for a, b in zip(unpack_trees(packed), records, strict=True):
        for name in ("person", "month", "infector"):
            np.testing.assert_array_equal(getattr(a, name), getattr(b, name))
        assert a.horizon == b.horizon


def test_a_record_from_an_adoptions_table():
    adoptions = pd.DataFrame({"person_id": [7, 5, 9], "month": [2, 0, 1],
                              "infector_id": [9, None, 5]})
    rec = TransmissionRecord.from_adoptions(adoptions, horizon=3)
    assert rec.person.tolist() == [0, 1, 2] and rec.infector.tolist() == [-1, 0, 1]  # codes
    assert generations(rec).tolist() == [0, 1, 2]


# --- from the engines' record of who infected whom ----------------------------------------------

@pytest.mark.parametrize("engine", ["fast", "reference"])
def test_a_simulated_path_with_beta_one(engine):
    params = ContagionParams(horizon_months=6, beta=1.0, decay=0.0, alpha=0.0, p_course=0.0)
    res = simulate_once(nx.path_graph(12), params, seed=3, engine=engine, initial_adopters=[0],
                        record_infectors=True)
    rec = TransmissionRecord.from_adoptions(res.adoptions, horizon=6)
    table = reproduction(rec)
    assert table["r"].iloc[:6].tolist() == [1.0] * 6  # one new adopter per adopter, each month
    assert generation_times(rec).tolist() == [1] * 6
    summary = tree_summary(rec)
    assert (summary["roots"], summary["depth"], summary["largest_tree"]) == (1, 6, 7)
    assert generations(rec).tolist() == list(range(7))  # = distance from the seed on the path


@pytest.mark.parametrize("engine", ["fast", "reference"])
def test_a_simulated_star_from_its_centre(engine):
    params = ContagionParams(horizon_months=3, beta=1.0, decay=0.0, alpha=0.0, p_course=0.0)
    res = simulate_once(nx.star_graph(8), params, seed=1, engine=engine, initial_adopters=[0],
                        record_infectors=True)
    table = reproduction(TransmissionRecord.from_adoptions(res.adoptions, horizon=3))
    assert table["r"].tolist()[:2] == [8.0, 0.0]  # the centre reaches all 8 leaves in month 1
