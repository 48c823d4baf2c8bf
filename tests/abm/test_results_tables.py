"""Result tables of the fast engine are built straight from the model's arrays: they must count
exactly what the adoption log and the DataCollector hold."""

import numpy as np

from alumni_net.abm import ContagionModel, ContagionParams, ReplicateResult


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
