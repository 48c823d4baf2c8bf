"""The engine registry: every registered engine honours the contract the model relies on."""

import networkx as nx
import numpy as np
import pytest

from alumni_net.abm import ContagionModel, ContagionParams, TopUp
from alumni_net.abm.engines import ENGINE_CLASSES, engine_class
from alumni_net.errors import ConfigError
from alumni_net.vocabulary import ENGINES

PARAMS = ContagionParams(horizon_months=18, beta=0.25, alpha=0.01, decay=0.1, readoption=0.5,
                         group_boost=1.0, topups=[TopUp(month=10)])


def test_the_registry_and_the_shared_word_list_agree():
    assert tuple(ENGINE_CLASSES) == ENGINES
    assert all(cls.name == name for name, cls in ENGINE_CLASSES.items())
    with pytest.raises(ConfigError, match="engine must be one of fast, reference"):
        engine_class("turbo")


@pytest.mark.parametrize("name", list(ENGINE_CLASSES))
def test_every_engine_honours_the_contract(name, programme_graph):
    model = ContagionModel(programme_graph, PARAMS, engine=name, rng=3)
    engine = model.engine
    assert isinstance(engine, ENGINE_CLASSES[name]) and engine.name == name
    assert engine.last_event_month == 12 + 6  # the second cohort graduates in month 18
    model.run()
    n = model.network.n
    idx, months, via, dist = engine.adoptions(model.month)
    assert len(idx) == len(months) == len(via) == len(dist) > 0
    order = np.lexsort((idx, months))
    np.testing.assert_array_equal(order, np.arange(len(idx)))  # by month, then person
    assert set(np.unique(via)) <= set(range(5)) and set(np.unique(dist)) <= {-1, 0, 1, 2, 3, 4}
    sector = [k for k, (g, _) in enumerate(model.group_keys) if g == "sector"]
    for month in range(model.month + 1):
        counts, groups = engine.tallies(month)
        assert counts.sum() == n and counts.shape == (3,)
        assert groups.shape == (len(model.group_keys),) and groups[sector].sum() == counts[1]
        assert engine.new_adopters(month) == int((months == month).sum())
    infectors = engine.infectors(model.month)
    spread = via == 3
    assert len(infectors) == len(idx) and spread.any()
    assert (infectors[~spread] == -1).all() and (infectors[spread] >= 0).all()
    net = model.network
    for j, t, i in zip(idx[spread], months[spread], infectors[spread], strict=True):
        # the infector has a tie of influence towards j and adopted before that month
        assert j in net.indices[net.indptr[i]:net.indptr[i + 1]]
        assert ((idx == i) & (months < t)).any()
    assert np.bincount(engine.states(), minlength=3).tolist() == \
        engine.tallies(model.month)[0].tolist()
    again = ContagionModel(programme_graph, PARAMS, engine=name, rng=3)
    again.run()
    for a, b in zip((*engine.adoptions(model.month), infectors),
                    (*again.engine.adoptions(model.month), again.engine.infectors(model.month)),
                    strict=True):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("name", list(ENGINE_CLASSES))
def test_every_engine_stops_when_nothing_can_change(name):
    params = ContagionParams(horizon_months=50, beta=0.5, decay=1.0, readoption=0.0,
                             alpha=0.0, p_course=0.0)
    model = ContagionModel(nx.path_graph(6), params, engine=name, rng=0, initial_adopters=[0])
    last = model.engine.advance(50, until_quiet=True)
    assert last < 50 and model.engine.tallies(last)[0][1] == 0
    assert model.engine.advance(last) == last  # nothing left to run
