"""Round trips (issue 14): ``export``, then reading each exported file back, gives the same
people, ties, kinds, weights and dates; and the readers agree with the field's own readers
(networkx for GEXF and GraphML, igraph for Pajek and UCINET DL)."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import igraph as ig
import networkx as nx
import numpy as np
import pandas as pd
import pytest
from tests.helpers import real_dataset_dir
from tests.io.examples import EXAMPLES

from alumni_net.cli import main
from alumni_net.core.publish import allow_list
from alumni_net.graph import to_networkx
from alumni_net.io import load_dataset

KEY = "round-trip-key-0123456789"
EXPORTED = ("network.gexf", "network.graphml", "kumu.json", "kumu.xlsx")
#: Fields the exports add for the tools' displays (Kumu's element type and timeline tags).
DISPLAY = ["type", "tags"]


@pytest.fixture(autouse=True)
def _key(monkeypatch):
    monkeypatch.setenv("ALUMNI_NET_KEY", KEY)


def _export(data: Path, out: Path) -> None:
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        assert main(["export", str(data), "--out", str(out)]) == 0


def _people(ds) -> pd.DataFrame:
    frame = ds.people.drop(columns=[c for c in (*DISPLAY, "name", "email") if c in ds.people])
    return frame.astype(str).set_index("person_id").sort_index().sort_index(axis=1)


def _ties(ds) -> pd.DataFrame:
    ties = ds.ties[["source", "target", "kind", "weight", "since"]].copy()
    ties["since"] = ties["since"].dt.strftime("%Y-%m-%d").fillna("")
    ties["weight"] = ties["weight"].round(9)
    if not ds.directed:  # a pair's ends in either order
        ends = np.sort(ties[["source", "target"]].astype(str).to_numpy(), axis=1)
        ties[["source", "target"]] = ends
    return ties.astype(str).sort_values(list(ties.columns)).reset_index(drop=True)


@pytest.mark.parametrize("source", ["two_cohorts", "lazega_lawyers", "medical_innovation"])
def test_every_export_reads_back_as_the_same_dataset(source, two_cohorts, tmp_path):
    data = two_cohorts if source == "two_cohorts" else real_dataset_dir(source)
    if source == "two_cohorts":  # weights and dates that differ between a pair's kinds
        ties = (data / "ties.csv").read_text() + "a2,a1,colleague,2.5,2018-03-01\n"
        (data / "ties.csv").write_text(ties)
    want = load_dataset(data, pseudonymise_ids=True)
    # The exports publish the allow-list (issue 19): the people columns that are categories.
    published = ["person_id", *allow_list(to_networkx(want)).columns]
    want_people = want.people[[c for c in want.people.columns if c in published]]
    _export(data, tmp_path / "out")
    for name in EXPORTED:
        back = load_dataset(tmp_path / "out" / name)
        assert back.directed == want.directed, name
        pd.testing.assert_frame_equal(_people(back), _people(want.__class__(
            people=want_people, ties=want.ties)), check_dtype=False, obj=name)
        pd.testing.assert_frame_equal(_ties(back), _ties(want), obj=name)


def test_gexf_carries_the_cohort_timeline(two_cohorts, tmp_path):
    _export(two_cohorts, tmp_path / "out")
    text = (tmp_path / "out/network.gexf").read_text()
    assert 'mode="dynamic"' in text and 'timeformat="date"' in text
    G = nx.read_gexf(tmp_path / "out/network.gexf")
    starts = sorted(d["start"] for _, d in G.nodes(data=True) if "start" in d)
    assert starts == ["2016-09-01", "2016-09-01", "2017-09-01"]  # the three alumni


def test_kumu_keeps_ids_and_tags_cohort_years(two_cohorts, tmp_path):
    import json

    _export(two_cohorts, tmp_path / "out")
    doc = json.loads((tmp_path / "out/kumu.json").read_text())
    assert all(e["id"] == e["label"] and e["id"].startswith("p_") for e in doc["elements"])
    tags = sorted(tuple(e["tags"]) for e in doc["elements"])
    # Cohorts started in 2016 and 2017: the 2016 alumni are there from 2016, the 2017 alum
    # from 2017, everyone else throughout.
    assert tags == [("2016", "2017")] * 5 + [("2017",)]
    book = pd.read_excel(tmp_path / "out/kumu.xlsx", sheet_name=None, engine="calamine")
    assert list(book) == ["Elements", "Connections"]
    assert list(book["Elements"].columns[:2]) == ["ID", "Label"]
    assert list(book["Connections"].columns[:2]) == ["From", "To"]


def test_streaming_xml_readers_agree_with_networkx():
    for name in ("physicians.gexf", "physicians.graphml"):
        path = EXAMPLES / "gephi" / name
        G = nx.read_gexf(path) if name.endswith("gexf") else nx.read_graphml(path)
        ds = load_dataset(path)
        ours = sorted(zip(ds.ties["source"].astype(str), ds.ties["target"].astype(str),
                          ds.ties["kind"], strict=True))
        theirs = sorted((u, v, d["kind"]) for u, v, d in G.edges(data=True))
        assert ours == theirs
        assert sorted(ds.people["person_id"].astype(str)) == sorted(G.nodes)
        attrs = ds.people.set_index(ds.people["person_id"].astype(str))
        assert all(int(attrs.loc[v, "city"]) == d["city"] for v, d in G.nodes(data=True))


def test_pajek_reader_agrees_with_igraph(tmp_path):
    path = EXAMPLES / "pajek" / "physicians.net"
    # igraph cannot read Pajek's relation names (*Arcs :1 "advice"); the same file without them:
    plain = tmp_path / "plain.net"
    plain.write_text(re.sub(r'^\*Arcs :\d+ "\w+"$', "*Arcs", path.read_text(), flags=re.M))
    g = ig.Graph.Read_Pajek(str(plain))
    ds = load_dataset(path)
    ours = sorted((int(s) - 1, int(t) - 1) for s, t in zip(ds.ties["source"], ds.ties["target"],
                                                           strict=True))
    assert ours == sorted(g.get_edgelist()) and g.is_directed() == ds.directed
    assert ds.n_people == g.vcount()


def test_ucinet_reader_agrees_with_igraph(tmp_path):
    # igraph's reader needs n and format on lines of their own; the content is the example's.
    text = (EXAMPLES / "ucinet" / "physicians_advice.dl").read_text()
    n_line, *rest = text.splitlines()
    split = tmp_path / "split.dl"
    split.write_text("\n".join([n_line.split()[0] + " " + n_line.split()[1],
                                "format = edgelist1", *rest]) + "\n")
    g = ig.Graph.Read_DL(str(split), directed=True)
    for path in (EXAMPLES / "ucinet" / "physicians_advice.dl", split):
        ds = load_dataset(path)
        ours = sorted((int(s) - 1, int(t) - 1) for s, t in zip(
            ds.ties["source"], ds.ties["target"], strict=True))
        assert ours == sorted(g.get_edgelist())


def test_a_ucinet_matrix_and_lists(tmp_path):
    (tmp_path / "m.dl").write_text(
        "DL N=3\nFORMAT = FULLMATRIX\nLABELS EMBEDDED\nDATA:\nann bob cy\nann 0 1 0\n"
        "bob 2 0 1\ncy 0 0 0\n")
    ds = load_dataset(tmp_path / "m.dl")
    assert sorted(zip(ds.ties["source"], ds.ties["target"], ds.ties["weight"], strict=True)) == [
        (1, 2, 1.0), (2, 1, 2.0), (2, 3, 1.0)]
    assert ds.people["name"].str.fullmatch(r"n_[0-9a-f]{16}").all()
    (tmp_path / "n.dl").write_text("dl n=3 format=nodelist1\nlabels embedded\ndata:\n"
                                   "ann bob cy\nbob cy\ndi ann\n")
    with pytest.raises(Exception, match=r"line 6: 'di' is person 4 in the data, where n=3"):
        load_dataset(tmp_path / "n.dl")
    (tmp_path / "f.dl").write_text("dl n=3 format=fullmatrix\ndata:\n0 1 0 1\n1 0 1\n0 1 0\n")
    with pytest.raises(Exception, match=r"holds 10 values where n=3 needs 9"):
        load_dataset(tmp_path / "f.dl")
