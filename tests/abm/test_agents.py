"""PersonAgent: the reference engine's rules, and agents on demand under the fast engine."""

import numpy as np

from alumni_net.abm import ContagionModel, ContagionParams, PersonAgent


def test_fast_engine_agents_are_created_on_demand_and_kept_in_sync(programme_graph):
    model = ContagionModel(programme_graph, ContagionParams(horizon_months=20, beta=0.3), rng=2)
    model.run_for(10)
    people = model.people
    assert all(isinstance(a, PersonAgent) for a in people) and len(people) == 72
    model.run()
    codes = model.engine.states()
    assert [a.state for a in people] == [("unaware", "practising", "lapsed")[c] for c in codes]
    assert people[0].cell.coordinate == 0
    frame = model.datacollector.get_model_vars_dataframe()
    assert len(frame) == 21 and frame["practising"].iloc[-1] == model.counts["practising"]


def test_group_multiplier_is_the_same_in_both_engines(programme_graph):
    params = ContagionParams(horizon_months=14, group_boost=2.0, beta=0.2, p_course=0.7)
    fast = ContagionModel(programme_graph, params, engine="fast", rng=4)
    fast.run_for(13)
    states = fast.engine.states().copy()
    ref = ContagionModel(programme_graph, params, engine="reference", rng=4)
    for agent, code in zip(ref.people, states.tolist(), strict=True):
        agent.state = ("unaware", "practising", "lapsed")[code]
    group = fast.engine.group_multipliers()  # from the engine's table, at the start of month 14
    expected = [a.group_multiplier(14) for a in ref.people]
    np.testing.assert_allclose(group, expected)
    assert group.max() > 1.0
