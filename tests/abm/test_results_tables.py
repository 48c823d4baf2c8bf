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


def test_counts_by_degree_without_the_table_match_the_table(programme_graph):
    """The runner counts adopters by degree from ``first_distances`` (no person ids): the
    same counts as from the adoptions table, and the table, made on first use, survives a
    pickle without the network it was made from."""
    import pickle

    from alumni_net.experiments.multiplier import adopters_by_degree, count_by_degree

    params = ContagionParams(horizon_months=36, beta=0.3, alpha=0.01, decay=0.3,
                             readoption=0.5)
    model = ContagionModel(programme_graph, params, rng=11)
    model.run()
    res = ReplicateResult.from_model(model)
    from_table = adopters_by_degree(res.adoptions)
    assert count_by_degree(res.first_distances).equals(from_table)
    assert res.adoptions["person_id"].duplicated().any()  # someone re-adopted: a real check
    assert len(res.first_distances) == res.summary["ever_adopted"]
    fresh = ReplicateResult.from_model(model)
    copy = pickle.loads(pickle.dumps(fresh))
    assert copy.adoptions.equals(res.adoptions)
    assert "network" not in repr(copy.__dict__)
