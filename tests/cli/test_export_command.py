"""``alumni-net export DATA_DIR --out DIR``: Gephi and Kumu files, pseudonymised."""

from __future__ import annotations

import json

import networkx as nx

from alumni_net.cli import main
from alumni_net.io import Pseudonymiser


def test_export_writes_chosen_formats_with_pseudonyms(two_cohorts, pseudonym_key, tmp_path, capsys):
    out = tmp_path / "export"
    assert main(["export", str(two_cohorts), "--out", str(out)]) == 0
    printed = capsys.readouterr().out.split()
    assert printed == [str(out / n) for n in ("network.gexf", "network.graphml", "kumu.json",
                                              "kumu.xlsx")]
    pseudo = Pseudonymiser(pseudonym_key)
    ids = {pseudo.one(i, "person_id") for i in ("a1", "a2", "b1", "p1", "p2", "p3")}
    assert set(nx.read_gexf(out / "network.gexf").nodes) == ids
    assert set(nx.read_graphml(out / "network.graphml").nodes) == ids
    kumu = json.loads((out / "kumu.json").read_text(encoding="utf-8"))
    assert {e["label"] for e in kumu["elements"]} == ids
    raw = b"".join(p.read_bytes() for p in out.iterdir())
    assert b'"a1"' not in raw and b">a1<" not in raw and b'id="a1"' not in raw


def test_export_one_format(two_cohorts, pseudonym_key, tmp_path):
    out = tmp_path / "export"
    assert main(["export", str(two_cohorts), "--out", str(out), "--format", "kumu"]) == 0
    assert [p.name for p in out.iterdir()] == ["kumu.json"]
