"""Known answers of the model's rules on hand-built graphs, for both engines."""


import networkx as nx
import numpy as np
import pandas as pd
import pytest

from alumni_net.abm import ContagionModel, ContagionParams, TopUp, simulate_once
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


@pytest.mark.parametrize("extra", [{}, {"threshold": 2.0, "threshold_spread": 1.0},
                                   {"threshold": 0.3, "threshold_kind": "fraction"}])
def test_fast_engine_push_and_pull_draw_the_same_coins(programme_graph, extra):
    params = ContagionParams(horizon_months=30, beta=0.3, alpha=0.01, decay=0.1,
                             group_boost=1.0, **extra)
    runs = {}
    for direction in ("push", "pull", "auto"):
        model = ContagionModel(programme_graph, params, rng=8)
        model.engine.direction = direction
        model.run()
        runs[direction] = np.concatenate([idx * 1000 + month for month, idx, _, _ in
                                          model.adoption_log])
    np.testing.assert_array_equal(runs["push"], runs["pull"])
    np.testing.assert_array_equal(runs["push"], runs["auto"])
    assert len(runs["push"]) > 20


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
