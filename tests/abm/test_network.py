import igraph as ig
import networkx as nx
import numpy as np
import pandas as pd
import pytest

from alumni_net.abm import build_network
from alumni_net.errors import AlumniNetError


def _entries(net):
    """{(source id, target id): {kind: month}} for checking by hand."""
    out: dict = {}
    for a, k, m in zip(net.entry_arc, net.entry_kind, net.entry_month, strict=True):
        pair = (net.ids[net.src[a]], net.ids[net.indices[a]])
        out.setdefault(pair, {})[net.kinds[k]] = int(m)
    return out


def test_undirected_ties_give_an_arc_each_way_in_csr_order():
    net = build_network(nx.path_graph(3))
    assert net.indptr.tolist() == [0, 1, 3, 4]
    assert net.indices.tolist() == [1, 0, 2, 1]
    # in-arcs of person 1 come from 0 and 2
    ins = net.rev_arc[net.rev_indptr[1]:net.rev_indptr[2]]
    assert sorted(net.src[ins].tolist()) == [0, 2]


@pytest.mark.parametrize("influence, arcs", [
    ("target_to_source", [("b", "a")]),
    ("source_to_target", [("a", "b")]),
    ("both", [("a", "b"), ("b", "a")]),
])
def test_nominations_flow_in_the_chosen_direction(influence, arcs):
    g = nx.DiGraph([("a", "b")])  # a named b
    net = build_network(g, influence=influence)
    assert sorted(_entries(net)) == arcs


def test_programme_ties_start_with_the_cohort_and_others_at_since():
    g = nx.Graph()
    g.add_node("x", is_alum=True, cohort="1", cohort_start=0)
    g.add_node("y", is_alum=True, cohort="2", cohort_start=12)
    g.add_node("z", is_alum=False)
    g.add_edge("x", "y", kinds=("cohort", "colleague"), since=5)
    g.add_edge("y", "z", kinds=("colleague",))
    e = _entries(build_network(g))
    assert e[("x", "y")] == {"cohort": 12, "colleague": 5}
    assert e[("y", "z")]["colleague"] < 0  # no date: there from the start


def test_post_course_contacts_are_programme_ties_from_their_date():
    g = nx.Graph()
    g.add_node("x", is_alum=True, cohort="1", cohort_start=0)
    g.add_node("z", is_alum=False)
    g.add_node("w", is_alum=False)
    g.add_edge("x", "z", kinds=("post_course_contact",), since=9)
    g.add_edge("x", "w", kinds=("post_course_contact",))
    net = build_network(g)
    e = _entries(net)
    assert e[("x", "z")] == {"post_course_contact": 9}  # dated: from its date
    assert e[("x", "w")] == {"post_course_contact": 0}  # undated: no earlier than the cohort
    # Absent without the programme: the course is why these people met.
    assert net.entry_programme.all()


def test_dates_become_months_since_the_first_cohort():
    people = pd.DataFrame({
        "person_id": [1, 2, 3], "is_alum": [True, True, False],
        "cohort": ["1", "2", None],
        "cohort_start": pd.to_datetime(["2015-09-01", "2016-09-15", None]),
    })
    ties = pd.DataFrame({"source": [1, 2], "target": [2, 3], "kind": ["cohort", "colleague"],
                         "since": pd.to_datetime([None, "2016-01-20"])})
    ds = type("DS", (), {"people": people, "ties": ties, "directed": False})()
    net = build_network(ds)
    assert str(net.start) == "2015-09"
    assert net.cohort_start[:2].tolist() == [0.0, 12.0]
    assert _entries(net)[(2, 3)] == {"colleague": 4}
    assert _entries(net)[(1, 2)] == {"cohort": 12}
    later = build_network(ds, start="2016-01")
    assert later.cohort_start[:2].tolist() == [-4.0, 8.0]


def test_real_dataset_and_igraph_inputs(medical_innovation):
    net = build_network(medical_innovation)
    pairs = set(zip(medical_innovation.ties["target"], medical_innovation.ties["source"],
                    strict=True))
    assert net.n == 125 and net.n_arcs == len(pairs)
    assert set(net.kinds) == {"advice", "discussion", "friendship"}
    g = ig.Graph.Ring(5)
    assert build_network(g).n_arcs == 10
    assert build_network(g) is build_network(g)  # compiled once per object


def test_groups_and_sets_are_coded(programme_graph):
    net = build_network(programme_graph)
    codes, labels = net.groups["sector"]
    assert labels == ("care", "health")
    assert (codes >= 0).all()
    assert net.als.max() == 5 and (net.als[~net.is_alum] == -1).all()
    assert int(np.sum(net.is_alum)) == 24


def test_bad_inputs_raise_clear_errors():
    with pytest.raises(AlumniNetError, match="needs a Dataset or a networkx graph"):
        build_network([1, 2])
    with pytest.raises(AlumniNetError, match="simple graph"):
        build_network(nx.MultiGraph([(0, 1)]))


def test_networks_pickle_without_their_caches(programme_graph):
    import pickle

    from alumni_net.abm import ContagionModel, ContagionParams

    net = build_network(programme_graph)
    ContagionModel(net, ContagionParams(horizon_months=2), engine="reference", rng=0).run()
    assert net.memo  # arc plans and the influence graph are cached
    again = pickle.loads(pickle.dumps(net))
    assert again.memo == {}
    np.testing.assert_array_equal(again.indices, net.indices)
    assert again.index == net.index


def test_tie_months_floor_each_date_to_its_month_before_and_after_1970():
    """The cast to months (fast path for naive dates) against pandas' year and month fields."""
    import pandas as pd

    from alumni_net.abm.network import _months

    start = pd.Period("1999-07", "M")
    dates = pd.Series(pd.to_datetime(
        ["1969-12-31 23:59", "1960-01-01", "2024-03-31 23:59:59.999", None, "1999-07-01",
         "1899-12-31", "1970-01-01"], format="mixed"))
    expected = ((dates.dt.year - start.year) * 12 + (dates.dt.month - start.month)).to_numpy(float)
    np.testing.assert_array_equal(_months(dates, start), expected)
    np.testing.assert_array_equal(_months(dates.dt.tz_localize("Europe/London"), start), expected)
    assert _months(dates, start)[0] == -355  # December 1969 is 355 months before July 1999


def test_a_loaded_folder_compiles_by_hand_with_the_tie_ends_remembered_from_loading(tmp_path):
    """Loading remembers where each tie end is among the people (people listed out of order,
    sorted on load); compiling from that lookup gives the arcs written in the file."""
    from alumni_net.core import ids
    from alumni_net.io import load_dataset

    (tmp_path / "people.csv").write_text("person_id,is_alum\nc,false\na,true\nd,false\nb,false\n")
    (tmp_path / "ties.csv").write_text("source,target,kind\na,b,colleague\nd,a,colleague\n"
                                       "c,b,partnership\n")
    ds = load_dataset(tmp_path, directed=True)
    assert ids._LAST  # remembered by the validation of the tie ends
    net = build_network(ds, influence="source_to_target")
    assert not ids._LAST
    assert net.ids.tolist() == ["a", "b", "c", "d"]
    arcs = sorted((net.ids[s], net.ids[t]) for s, t in zip(net.src, net.indices, strict=True))
    assert arcs == [("a", "b"), ("c", "b"), ("d", "a")]
    assert set(_entries(net)) == set(arcs)
