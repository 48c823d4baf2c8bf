"""Invariants of the contagion model on random small networks and parameters (hypothesis)."""

import networkx as nx
import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from alumni_net.abm import ContagionParams, simulate_once

FEW = settings(max_examples=25, deadline=None)


@st.composite
def programmes(draw, connected=False):
    """A random graph with some alumni (cohorts starting between months -6 and 10)."""
    n = draw(st.integers(2, 24))
    seed = draw(st.integers(0, 2**16))
    if connected:
        g = nx.random_labeled_tree(n, seed=seed) if n > 2 else nx.path_graph(n)
        extra = nx.gnp_random_graph(n, draw(st.floats(0, 0.3)), seed=seed + 1)
        g.add_edges_from(extra.edges)
    else:
        g = nx.gnp_random_graph(n, draw(st.floats(0, 0.4)), seed=seed)
    rng = np.random.default_rng(seed)
    kinds = ["cohort", "colleague", "action_learning_set", "tie"]
    for u, v in g.edges:
        g.edges[u, v]["kinds"] = tuple(sorted(set(rng.choice(kinds, rng.integers(1, 3)))))
    for i in g.nodes:
        if rng.random() < 0.3:
            g.nodes[i].update(is_alum=True, cohort=str(i % 2),
                              cohort_start=int(rng.integers(-6, 11)),
                              action_learning_set=f"S{i % 3}", sector=("a", "b")[i % 2])
        else:
            g.nodes[i].update(is_alum=False, sector="a")
    return g


probabilities = st.floats(0, 1)
params = st.builds(
    ContagionParams, horizon_months=st.integers(0, 20), beta=probabilities, alpha=st.floats(0, 0.2),
    decay=probabilities, readoption=probabilities, p_course=probabilities,
    threshold=st.sampled_from([0.0, 1.0, 2.0]), group_boost=st.floats(0, 3),
    alum_boost=st.floats(0, 3))


@FEW
@given(g=programmes(), p=params, seed=st.integers(0, 1000),
       engine=st.sampled_from(["fast", "fast", "reference"]), programme=st.booleans())
def test_counts_always_sum_to_the_population(g, p, seed, engine, programme):
    res = simulate_once(g, p, seed=seed, engine=engine, programme=programme,
                        initial_adopters=[0])
    ts = res.timeseries
    assert (ts[["unaware", "practising", "lapsed"]].sum(axis=1) == g.number_of_nodes()).all()
    assert (ts["unaware"].diff().dropna() <= 0).all()  # nobody becomes unaware again
    assert len(res.adoptions) == ts["new_adopters"].sum()
    assert res.summary["ever_adopted"] == g.number_of_nodes() - ts["unaware"].iloc[-1]
    if not programme:
        assert not res.adoptions["via"].isin(["course", "reengaged"]).any()


@FEW
@given(g=programmes(), p=params, seed=st.integers(0, 1000),
       engine=st.sampled_from(["fast", "fast", "reference"]))
def test_no_spread_and_no_background_means_only_course_adopters(g, p, seed, engine):
    p = ContagionParams(**{**p.to_dict(), "beta": 0.0, "alpha": 0.0})
    res = simulate_once(g, p, seed=seed, engine=engine, initial_adopters=[0])
    assert set(res.adoptions["via"]) <= {"seed", "course", "reengaged"}
    adopters = set(res.adoptions["person_id"])
    alumni = {i for i, a in g.nodes(data="is_alum") if a}
    assert adopters <= alumni | {0}


@FEW
@given(g=programmes(connected=True), seed=st.integers(0, 1000),
       engine=st.sampled_from(["fast", "fast", "reference"]), start=st.integers(0, 23))
def test_certain_spread_without_lapsing_reaches_everyone_on_a_connected_graph(g, seed, engine,
                                                                              start):
    n = g.number_of_nodes()
    p = ContagionParams(horizon_months=n, beta=1.0, decay=0.0, alpha=0.0, default_tie_weight=1.0,
                        tie_weights={}, p_course=0.0)
    # programme ties appear late; without the programme only the others count, so use "tie"
    for u, v in g.edges:
        g.edges[u, v]["kinds"] = ("tie",)
    res = simulate_once(g, p, seed=seed, engine=engine, initial_adopters=[start % n])
    assert res.summary["practising_end"] == n
    assert res.timeseries["lapsed"].max() == 0
