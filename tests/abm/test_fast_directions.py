"""The fast engine's three ways of spreading (push, pull, a sweep over every arc) flip the same
keyed coins, so they give identical runs; the result tables are built straight from arrays."""

import numpy as np
import pytest

from alumni_net.abm import ContagionModel, ContagionParams, ReplicateResult


@pytest.mark.parametrize("extra", [{}, {"threshold": 2.0, "threshold_spread": 1.0},
                                   {"readoption": 0.0, "alum_boost": 0.0}])
def test_dense_sweep_draws_the_same_coins_as_push_and_pull(programme_graph, extra):
    params = ContagionParams(horizon_months=30, beta=0.3, alpha=0.01, decay=0.1,
                             group_boost=1.0, **extra)
    logs = {}
    for direction in ("push", "pull", "dense"):
        model = ContagionModel(programme_graph, params, rng=8)
        model.engine.direction = direction
        model.run()
        logs[direction] = np.concatenate([idx * 1000 + month for month, idx, _, _ in
                                          model.adoption_log])
    np.testing.assert_array_equal(logs["push"], logs["dense"])
    np.testing.assert_array_equal(logs["pull"], logs["dense"])
    assert len(logs["push"]) > 20


def test_auto_sweeps_every_arc_when_most_practise(programme_graph):
    params = ContagionParams(horizon_months=3, beta=0.5, alpha=0.0, decay=0.0)
    everyone = list(programme_graph.nodes)
    model = ContagionModel(programme_graph, params, rng=1, initial_adopters=everyone[::2])
    practising = np.flatnonzero(model.engine.states() == 1)
    assert model.engine._direction(practising) == "dense"
    assert model.engine._direction(practising[:1]) == "push"


def test_tables_count_what_the_log_says(programme_graph):
    params = ContagionParams(horizon_months=24, beta=0.2, alpha=0.005, decay=0.2)
    model = ContagionModel(programme_graph, params, rng=4)
    model.run()
    res = ReplicateResult.from_model(model)
    events = sum(len(idx) for _, idx, _, _ in model.adoption_log)
    people = len(np.unique(np.concatenate([idx for _, idx, _, _ in model.adoption_log])))
    assert len(res.adoptions) == events
    assert res.summary["ever_adopted"] == people
    assert sum(res.summary[f"adoptions_{v}"] for v in
               ("seed", "course", "reengaged", "spread", "background")) == events
    assert res.timeseries["month"].tolist() == list(range(25))
    assert res.summary["practising_person_months"] == res.timeseries["practising"][1:].sum()
    assert (res.timeseries[["unaware", "practising", "lapsed"]].sum(axis=1)
            == programme_graph.number_of_nodes()).all()
