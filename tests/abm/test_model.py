"""Known answers of the model's rules on hand-built graphs, for both engines."""


import networkx as nx
import numpy as np
import pandas as pd
import pytest

from alumni_net.abm import ContagionModel, ContagionParams, TopUp, simulate_once
from alumni_net.abm.fast import FastEngine
from alumni_net.errors import AlumniNetError, ConfigError

ENGINES = ["fast", "reference"]
SURE = dict(beta=1.0, decay=0.0, alpha=0.0, p_course=1.0, default_tie_weight=1.0,
            tie_weights={}, alum_boost=1.0)


def alum_path(n: int = 6) -> nx.Graph:
    """0 - 1 - ... - n-1, where 0 is an alum who graduated before the start."""
    g = nx.path_graph(n)
    nx.set_node_attributes(g, False, "is_alum")
    g.nodes[0].update(is_alum=True, cohort="1", cohort_start=-6)
    return g


@pytest.mark.parametrize("engine", ENGINES)
def test_certain_spread_walks_the_path_and_records_distances(engine):
    res = simulate_once(alum_path(), ContagionParams(horizon_months=6, **SURE), seed=0,
                        engine=engine)
    a = res.adoptions
    assert a["person_id"].tolist() == [0, 1, 2, 3, 4, 5]
    assert a["month"].tolist() == [0, 1, 2, 3, 4, 5]
    assert a["via"].tolist() == ["course"] + ["spread"] * 5
    assert a["distance"].tolist() == [0, 1, 2, 3, 4, 4]
    assert res.timeseries["practising"].tolist() == [1, 2, 3, 4, 5, 6, 6]
    s = res.summary
    assert (s["adopters_by_degree_1"], s["adopters_by_degree_3"], s["adopters_by_degree_4plus"]) \
        == (1, 1, 2)
    assert s["practising_person_months"] == 2 + 3 + 4 + 5 + 6 + 6


@pytest.mark.parametrize("engine", ENGINES)
def test_who_infected_whom_follows_the_path_and_the_lowest_sender(engine):
    params = ContagionParams(horizon_months=6, **SURE)
    res = simulate_once(alum_path(), params, seed=0, engine=engine, record_infectors=True)
    assert res.adoptions["infector_id"].tolist() == [None, 0, 1, 2, 3, 4]
    # 1 and 3 both reach 2 in month 1 (beta = 1): the lower index is recorded; 0 and 4 hear
    # from one sender each
    star = nx.Graph([(1, 2), (3, 2), (0, 1), (3, 4)])
    res = simulate_once(star, params, seed=0, engine=engine, initial_adopters=[1, 3],
                        record_infectors=True)
    a = res.adoptions.set_index("person_id")
    assert a.loc[[0, 2, 4], "infector_id"].tolist() == [1, 1, 3]
    assert a.loc[[1, 3], "via"].tolist() == ["seed", "seed"]


@pytest.mark.parametrize("engine", ENGINES)
def test_without_the_programme_nobody_takes_the_course(engine):
    params = ContagionParams(horizon_months=6, **SURE)
    res = simulate_once(alum_path(), params, seed=0, engine=engine, programme=False,
                        initial_adopters=[3])
    a = res.adoptions.sort_values("person_id")
    assert a["via"].value_counts()["seed"] == 1 and "course" not in set(a["via"][a["via"] != 0])
    assert res.summary["adoptions_course"] == 0
    # the alum adopts through spread, 3 months after the seed; no alum practised before
    assert a.set_index("person_id").loc[0, "month"] == 3
    assert (a["distance"][~a["is_alum"]] == -1).all()


@pytest.mark.parametrize("engine", ENGINES)
def test_cohort_ties_exist_only_from_the_cohort_start(engine):
    g = nx.Graph()
    g.add_node("a", is_alum=True, cohort="1", cohort_start=0)
    g.add_node("b", is_alum=True, cohort="1", cohort_start=4)
    g.add_edge("a", "b", kinds=("cohort",))
    params = ContagionParams(horizon_months=8, training_months=20, **SURE)
    res = simulate_once(g, params, seed=0, engine=engine, initial_adopters=["a"])
    assert res.adoptions.set_index("person_id").loc["b", "month"] == 4  # the tie exists in month 4
    off = simulate_once(g, params, seed=0, engine=engine, programme=False,
                        initial_adopters=["a"])
    assert off.summary["ever_adopted"] == 1


@pytest.mark.parametrize("engine", ENGINES)
def test_post_course_contacts_do_not_exist_without_the_programme(engine):
    g = nx.Graph()
    g.add_node("a", is_alum=True, cohort="1", cohort_start=0)
    g.add_node("c", is_alum=False)
    g.add_edge("a", "c", kinds=("post_course_contact",), since=2)
    params = ContagionParams(horizon_months=6, training_months=20, **SURE)
    on = simulate_once(g, params, seed=0, engine=engine, initial_adopters=["a"])
    assert on.adoptions.set_index("person_id").loc["c", "month"] == 2
    off = simulate_once(g, params, seed=0, engine=engine, programme=False, initial_adopters=["a"])
    assert off.summary["ever_adopted"] == 1


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("kind, threshold, adopts", [
    ("count", 2, {"two"}), ("count", 3, set()),
    ("fraction", 0.5, {"two", "one"}), ("fraction", 0.6, {"two"}),
])
def test_complex_contagion_needs_enough_practising_contacts(engine, kind, threshold, adopts):
    g = nx.Graph([("s1", "two"), ("s2", "two"), ("s1", "one"), ("one", "x")])
    params = ContagionParams(horizon_months=1, threshold=threshold, threshold_kind=kind, **SURE)
    res = simulate_once(g, params, seed=0, engine=engine, initial_adopters=["s1", "s2"])
    assert set(res.adoptions["person_id"][res.adoptions["via"] == "spread"]) == adopts


@pytest.mark.parametrize("engine", ENGINES)
def test_topups_protect_and_reengage_invited_alumni(engine):
    g = nx.empty_graph(4)
    for i in range(4):
        g.nodes[i].update(is_alum=i < 3, cohort="1" if i < 2 else "2", cohort_start=-6)
    params = ContagionParams(
        horizon_months=6, beta=0.0, alpha=0.0, p_course=1.0, decay=1.0, readoption=0.0,
        topups=[TopUp(month=2, cohorts=["1"], duration_months=2, decay_multiplier=0.0,
                      p_reengage=1.0)])
    res = simulate_once(g, params, seed=0, engine=engine, initial_adopters=[3])
    # everyone lapses in month 1; cohort 1 re-engages at month 2 and is protected in month 3
    assert res.timeseries["practising"].tolist() == [4, 0, 2, 2, 0, 0, 0]
    assert res.adoptions["via"].tolist().count("reengaged") == 2


def test_common_random_numbers_align_background_adoption(programme_graph):
    # Without spread a non-alum's path depends only on their own draws, which the fast engine
    # shares between the runs with and without the programme.
    params = ContagionParams(horizon_months=36, beta=0.0, alpha=0.05, decay=0.1)
    on = simulate_once(programme_graph, params, seed=5, programme=True).adoptions
    off = simulate_once(programme_graph, params, seed=5, programme=False).adoptions
    cols = ["person_id", "month", "via"]
    pd.testing.assert_frame_equal(on[~on["is_alum"]][cols].reset_index(drop=True),
                                  off[~off["is_alum"]][cols].reset_index(drop=True))
    assert on["via"].eq("course").any() and not off["via"].eq("course").any()


def test_bad_arguments_raise_clear_errors(programme_graph):
    with pytest.raises(ConfigError, match="engine must be one of"):
        ContagionModel(programme_graph, engine="turbo")
    with pytest.raises(AlumniNetError, match="initial adopters not in the data"):
        ContagionModel(programme_graph, initial_adopters=["nobody"])


def _events(model) -> np.ndarray:
    idx, months, via, dist = model.adoption_arrays()
    return np.stack([idx, months, via, dist])


@pytest.mark.parametrize("extra", [{}, {"threshold": 2.0, "threshold_spread": 1.0},
                                   {"threshold": 0.3, "threshold_kind": "fraction"}])
def test_fast_engine_gives_the_same_run_in_one_call_or_month_by_month(programme_graph, extra,
                                                                       monkeypatch):
    params = ContagionParams(horizon_months=30, beta=0.3, alpha=0.01, decay=0.1,
                             group_boost=1.0, topups=[TopUp(month=14)], **extra)
    whole = ContagionModel(programme_graph, params, rng=8)
    whole.run()  # the engine runs all months in one kernel call
    stepped = ContagionModel(programme_graph, params, rng=8)
    for _ in range(30):
        stepped.step()
    np.testing.assert_array_equal(_events(whole), _events(stepped))
    # a tiny event store and adoption log that must grow as the run goes: the same run
    monkeypatch.setattr(FastEngine, "initial_slots", 32)
    monkeypatch.setattr(FastEngine, "initial_log", 4)
    grown = ContagionModel(programme_graph, params, rng=8)
    grown.run()
    np.testing.assert_array_equal(_events(whole), _events(grown))
    assert len(grown.engine.rows) > 32 and len(_events(whole)[0]) > 20
    pd.testing.assert_frame_equal(whole.datacollector.get_model_vars_dataframe(),
                                  grown.datacollector.get_model_vars_dataframe())


def test_fast_engine_runs_to_its_horizon_only(programme_graph):
    model = ContagionModel(programme_graph, ContagionParams(horizon_months=2), rng=1)
    model.run()
    with pytest.raises(ConfigError, match="up to horizon_months"):
        model.step()


@pytest.mark.parametrize("n_far", [1, 12])  # few far adopters: backward search; many: forward
def test_far_adopters_are_four_plus_when_reachable_and_minus_one_otherwise(n_far):
    g = alum_path(6)  # 0 (alum) - 1 - ... - 5
    island = nx.path_graph(range(100, 100 + n_far))  # no alum can reach these
    g.add_nodes_from(island.nodes, is_alum=False)
    g.add_edges_from(island.edges)
    g.add_nodes_from(range(200, 200 + n_far), is_alum=False)
    g.add_edges_from((5, 200 + i) for i in range(n_far))  # 5 steps from the alum
    params = ContagionParams(horizon_months=1, beta=0.0, alpha=1.0, p_course=1.0, decay=0.0)
    res = simulate_once(g, params, seed=0, initial_adopters=[0])
    dist = res.adoptions[res.adoptions["month"] == 1].set_index("person_id")["distance"]
    assert dist.loc[[1, 2, 3]].tolist() == [1, 2, 3]
    assert (dist.loc[[4, 5] + [200 + i for i in range(n_far)]] == 4).all()
    assert (dist.loc[list(island.nodes)] == -1).all()


def _first_months(res) -> dict:
    a = res.adoptions
    return a.groupby("person_id")["month"].min().to_dict()


def _star(n_leaves: int, *, alum_centre: bool) -> nx.Graph:
    g = nx.star_graph(n_leaves)  # centre 0
    nx.set_node_attributes(g, False, "is_alum")
    if alum_centre:  # graduates in month 5 (cohort start -1, six months of training)
        g.nodes[0].update(is_alum=True, cohort="1", cohort_start=-1)
    g.add_node("alum elsewhere", is_alum=True, cohort="1", cohort_start=-1)
    return g


@pytest.mark.parametrize("alum_centre", [False, True])
def test_a_larger_beta_transmits_no_later_under_the_same_seed(alum_centre):
    g = _star(60, alum_centre=alum_centre)
    low, high = (ContagionParams(horizon_months=48, beta=b, decay=0.0, alpha=0.0, p_course=0.0,
                                 tie_weights={}, alum_boost=2.0) for b in (0.02, 0.035))
    for seed in range(5):
        slow = _first_months(simulate_once(g, low, seed=seed, initial_adopters=[0]))
        fast = _first_months(simulate_once(g, high, seed=seed, initial_adopters=[0]))
        assert set(slow) <= set(fast)  # same thresholds, higher hazards: no later, never lost
        assert all(fast[p] <= m for p, m in slow.items())
        assert sum(fast[p] < m for p, m in slow.items()) > 0


def test_runs_with_and_without_the_programme_share_each_arcs_threshold():
    params = ContagionParams(horizon_months=48, beta=0.03, decay=0.0, alpha=0.0, p_course=1.0,
                             tie_weights={}, alum_boost=2.0)
    for seed in range(3):
        # a centre who is not an alum: the same arcs, spells and thresholds in both arms
        g = _star(40, alum_centre=False)
        on = simulate_once(g, params, seed=seed, initial_adopters=[0])
        off = simulate_once(g, params, seed=seed, initial_adopters=[0], programme=False)
        on_months, off_months = _first_months(on), _first_months(off)
        on_months.pop("alum elsewhere")  # the course makes the alum practise, with the programme
        assert on_months == off_months
        # an alum centre passes the practice on harder from graduation: never later
        g = _star(40, alum_centre=True)
        on = _first_months(simulate_once(g, params, seed=seed, initial_adopters=[0]))
        off = _first_months(simulate_once(g, params, seed=seed, initial_adopters=[0],
                                          programme=False))
        assert all(on[p] <= m for p, m in off.items())
