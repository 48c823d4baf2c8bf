"""Exports round-trip: what Gephi and Kumu read back is the network we wrote."""

from __future__ import annotations

import json

import networkx as nx
import pandas as pd
import pytest
from tests.helpers import PERSONAL_VALUES, real_dataset_dir

from alumni_net.errors import AlumniNetError
from alumni_net.graph import to_networkx
from alumni_net.io import load_dataset
from alumni_net.report.export import (
    EXPORT_FILES,
    export_network,
    exportable_graph,
    kumu_document,
    write_gexf,
    write_graphml,
    write_kumu,
)


@pytest.fixture
def two_cohort_graph(two_cohorts, pseudonym_key):
    return to_networkx(load_dataset(two_cohorts, pseudonymise_ids=True))


def _expected(G):
    return exportable_graph(G)


@pytest.mark.parametrize("reader", ["gexf", "graphml"])
def test_xml_exports_round_trip(two_cohort_graph, tmp_path, reader):
    write = write_gexf if reader == "gexf" else write_graphml
    path = write(two_cohort_graph, tmp_path / f"net.{reader}")
    back = nx.read_gexf(path) if reader == "gexf" else nx.read_graphml(path)
    want = _expected(two_cohort_graph)
    assert back.is_directed() == two_cohort_graph.is_directed()
    assert sorted(back.nodes) == sorted(str(v) for v in two_cohort_graph.nodes)
    assert {frozenset(e) for e in back.edges} == {
        frozenset(map(str, e)) for e in two_cohort_graph.edges
    }
    for v, data in want.nodes(data=True):
        # GEXF's timeline: a node starts at its cohort's start (issue 14).
        got = {k: x for k, x in back.nodes[v].items() if k not in ("label", "id", "start")}
        assert got == data
        if reader == "gexf" and "cohort_start" in data:
            assert back.nodes[v]["start"] == data["cohort_start"]
    for u, v, data in want.edges(data=True):
        got = {k: x for k, x in back.edges[u, v].items() if k not in ("id", "label", "start")}
        assert got == data


def test_tie_kinds_dates_and_alumni_survive(two_cohort_graph, tmp_path):
    back = nx.read_graphml(write_graphml(two_cohort_graph, tmp_path / "net.graphml"))
    kinds = sorted(d["kinds"] for *_, d in back.edges(data=True))
    assert kinds == ["action_learning_set;cohort", "colleague", "colleague", "partnership"]
    since = sorted(d["since"] for *_, d in back.edges(data=True) if "since" in d)
    assert since == ["2014-01-01", "2015-01-01", "2016-09-01"]
    assert sum(bool(d["is_alum"]) for _, d in back.nodes(data=True)) == 3
    cohorts = {d.get("cohort_start") for _, d in back.nodes(data=True)} - {None}
    assert cohorts == {"2016-09-01", "2017-09-01"}


def test_directed_real_network_round_trips(tmp_path):
    G = to_networkx(load_dataset(real_dataset_dir("lazega_lawyers")))
    # One office has fewer than 10 lawyers: the column is published once declared a category.
    assert "office_label" not in exportable_graph(G).nodes["1"]
    G.graph["categories"] = ("office_label",)
    paths = export_network(G, tmp_path)
    assert [p.name for p in paths] == list(EXPORT_FILES.values())
    gexf, graphml = nx.read_gexf(paths[0]), nx.read_graphml(paths[1])
    for back in (gexf, graphml):
        assert back.is_directed()
        assert back.number_of_nodes() == 71 and back.number_of_edges() == G.number_of_edges()
        assert back.nodes["1"]["office_label"] == "Boston"
        assert back.edges["1", "2"]["kinds"] == "advice;friendship"
    kumu = json.loads(paths[2].read_text(encoding="utf-8"))
    assert len(kumu["elements"]) == 71 and len(kumu["connections"]) == G.number_of_edges()
    assert {c["direction"] for c in kumu["connections"]} == {"directed"}


def test_kumu_elements_and_connections(two_cohort_graph, tmp_path):
    path = write_kumu(two_cohort_graph, tmp_path / "kumu.json")
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert doc == kumu_document(two_cohort_graph)
    labels = {e["label"] for e in doc["elements"]}
    assert labels == {str(v) for v in two_cohort_graph.nodes}
    assert sorted(e["type"] for e in doc["elements"]) == ["Alum"] * 3 + ["Person"] * 3
    pairs = {frozenset((c["from"], c["to"])) for c in doc["connections"]}
    assert pairs == {frozenset(map(str, e)) for e in two_cohort_graph.edges}
    assert {c["direction"] for c in doc["connections"]} == {"undirected"}
    multiplex = next(c for c in doc["connections"] if c["type"] == "action_learning_set;cohort")
    assert multiplex["tags"] == ["action_learning_set", "cohort"]
    assert "action_learning_set;cohort" in {c["type"] for c in doc["connections"]}


def test_no_names_or_emails_in_any_export(two_cohorts, pseudonym_key, tmp_path):
    # Even a graph built without pseudonymisation loses its name and email attributes.
    G = to_networkx(load_dataset(two_cohorts))
    G.nodes[next(iter(G))]["name"] = "Ada Lovelace"
    G.nodes[next(iter(G))]["email"] = "ada@example.org"
    for path in export_network(G, tmp_path):
        text = path.read_bytes().lower()
        assert not any(v.lower().encode() in text for v in PERSONAL_VALUES), path.name


def test_values_are_made_writable():
    G = nx.MultiDiGraph()
    G.add_node(
        "a", when=pd.Timestamp("2020-01-02 03:04"), score=float("nan"), mixed=1, tags={"y", "x"}
    )
    G.add_node("b", mixed="text", score=2)
    G.add_edge("a", "b", key="advice", weight=2.0)
    G.add_edge("a", "b", key="friendship")
    G.graph["categories"] = ("when", "score", "mixed", "tags")  # else withheld: 2 people each
    H = exportable_graph(G)
    assert isinstance(H, nx.DiGraph) and not H.is_multigraph()
    assert H.nodes["a"] == {"when": "2020-01-02T03:04:00", "mixed": "1", "tags": "x;y"}
    assert H.nodes["b"] == {"mixed": "text", "score": 2}
    assert H.edges["a", "b"] == {"kinds": "advice;friendship", "weight": 3.0,
                                 "kind_weights": "2;1"}
    with pytest.raises(AlumniNetError, match="unknown export format"):
        export_network(G, ".", ["csv"])


@pytest.mark.parametrize("name", ["brazilian_farmers", "medical_innovation"])
def test_every_attribute_of_real_networks_round_trips(name, tmp_path):
    # brazilian_farmers has 148 columns of mixed numbers, text and gaps.
    G = to_networkx(load_dataset(real_dataset_dir(name)))
    want = exportable_graph(G)
    gexf_path, graphml_path = export_network(G, tmp_path, ["gexf", "graphml"])
    for back in (nx.read_gexf(gexf_path), nx.read_graphml(graphml_path)):
        assert back.number_of_edges() == G.number_of_edges()
        for v, data in want.nodes(data=True):
            assert {k: x for k, x in back.nodes[v].items() if k != "label"} == data
