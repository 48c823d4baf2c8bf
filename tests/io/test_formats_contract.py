"""The contract every registered format keeps, run over the registry (a new format is checked
without a new test here): it reads its shipped example into the network the example was made
from, is found from the example's ending and content, round-trips where it has a writer,
pseudonymises the labels that name people, and refuses a hostile file with one sentence, exit 2
and nothing written."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import pandas as pd
import pytest
from tests.io.examples import EXAMPLES, ROOT

from alumni_net.cli import main
from alumni_net.errors import ValidationError
from alumni_net.io import Pseudonymiser, load_dataset
from alumni_net.io.formats import FORMATS, detect

KEY = b"contract-key-0123456789"
REAL = ROOT / "data" / "real"
EXAMPLE_DIR = ROOT / "data"

#: What each example holds: (people, ties by kind or total), and text of a label in the file
#: that names someone and must not survive loading (None: the example has no such labels).
EXPECTED = {
    "folder": ((2000, None), None),
    "workbook": ((6, 5), "Ada Lovelace"),
    "kumu": ((71, {"advice": 892, "cowork": 1104, "friendship": 575}), "Lawyer 07"),
    "kumu-json": ((6, 5), "Grace Hopper"),
    "polinode": ((125, {"advice": 161, "discussion": 165, "friendship": 124}), "Dr 1002"),
    "polinode-survey": ((125, {"relationship_question_1": 161, "relationship_question_2": 165,
                               "relationship_question_3": 124}), "Dr 1002"),
    "gexf": ((125, {"advice": 161, "discussion": 165, "friendship": 124}), "Dr 1002"),
    "graphml": ((125, {"advice": 161, "discussion": 165, "friendship": 124}), None),
    "gephi-csv": ((125, {"advice": 161, "discussion": 165, "friendship": 124}), "Dr 1002"),
    "pajek": ((125, {"advice": 161, "discussion": 165, "friendship": 124}), None),
    "ucinet": ((125, 161), None),
    "nominations": ((125, {"net1": 161, "net2": 165, "net3": 124}), None),
    "egocentric": ((91, {"named": 79, "alter_tie": 247}), None),
}


@pytest.fixture(autouse=True)
def _key(monkeypatch):
    monkeypatch.setenv("ALUMNI_NET_KEY", KEY.decode())


def example(name: str) -> Path:
    return EXAMPLE_DIR / FORMATS[name].example


def test_every_format_is_in_the_contract():
    assert set(FORMATS) == set(EXPECTED)


@pytest.mark.parametrize("name", list(FORMATS))
def test_reads_its_example(name):
    (n_people, ties), _ = EXPECTED[name]
    path = example(name)
    assert detect(path).name == name
    ds = load_dataset(path)
    assert ds.n_people == n_people
    if isinstance(ties, dict):
        assert ds.summary()["ties_by_kind"] == dict(sorted(ties.items()))
    elif ties is not None:
        assert ds.n_ties == ties
    assert ds.loaded_with["format"] == name


@pytest.mark.parametrize("name", [n for n, f in FORMATS.items() if f.write is not None])
def test_round_trips_through_its_writer(name, tmp_path):
    fmt = FORMATS[name]
    ds = load_dataset(example(name), pseudonymise_ids=True)
    out = tmp_path / ("data" if fmt.folder else f"copy{fmt.suffixes[0]}")
    fmt.write(ds, out)
    back = load_dataset(out, directed=ds.directed)
    # Formats that number people (Pajek, UCINET) keep each id as the label, read as a name.
    if name in ("pajek", "ucinet"):
        ids = ds.people["person_id"].astype(str).tolist()
        pseudo = Pseudonymiser(KEY)
        assert back.people["name"].tolist() == [pseudo.one(i, "name") for i in ids]
        mapping = dict(zip(back.people["person_id"].astype(str), ids, strict=True))
        back_ties = back.ties.assign(source=back.ties["source"].astype(str).map(mapping),
                                     target=back.ties["target"].astype(str).map(mapping))
    else:
        pd.testing.assert_frame_equal(back.people, ds.people, check_dtype=False)
        back_ties = back.ties
    cols = ["source", "target", "weight"] + (["kind"] if name != "ucinet" else [])
    key = cols[:2]
    got = back_ties[cols].astype({"source": str, "target": str}).sort_values(key + cols[2:])
    want = ds.ties[cols].astype({"source": str, "target": str}).sort_values(key + cols[2:])
    assert got.reset_index(drop=True).equals(want.reset_index(drop=True))


@pytest.mark.parametrize("name", list(FORMATS))
def test_labels_that_name_people_are_pseudonymised(name):
    _, label = EXPECTED[name]
    ds = load_dataset(example(name))
    if "name" in ds.people:
        assert ds.people["name"].dropna().str.fullmatch(r"n_[0-9a-f]{16}").all()
    if label is None:
        return
    files = [example(name)] if name != "gephi-csv" else [example(name).with_name("nodes.csv")]
    raw = b"".join(f.read_bytes() for f in files)
    if example(name).suffix in (".json", ".gexf", ".csv"):
        assert label.encode() in raw  # the example does hold the label ...
    text = ds.people.astype(str).to_csv() + ds.ties.astype(str).to_csv()
    assert label not in text  # ... and the loaded data do not


#: A hostile or broken file of each format: (file name, content or a maker) and the fragments
#: the one sentence must hold.
def _xlsx(sheets, hidden=()):
    from tests.io.examples import _book

    return lambda path: _book(sheets, path, hidden)


HOSTILE = {
    "folder": ("data/people.csv", "person_id,cohort\n1,1\n", ("ties.csv", "file not found")),
    "workbook": ("book.xlsx", _xlsx({"people": [["person_id"], ["a"]], "ties": [["source"]]}),
                 ("book.xlsx", "sheet 'ties'", "column 'target'")),
    "kumu": ("map.xlsx", _xlsx({"Elements": [["Label"], ["Ann"], ["Bo"]],
                                "Connections": [["From", "To"], ["Ann", "Cy"]]}),
             ("map.xlsx", "sheet 'Connections'", "row 2", "column 'To'", "'Cy' names no one")),
    "kumu-json": ("map.json", '{"elements": [{"label": "A"}], "connections": '
                  '[{"from": "A", "to": "B"}]}',
                  ("map.json, connections", "row 1", "column 'To'", "'B' names no one")),
    "polinode": ("net.xlsx", _xlsx({"Nodes": [["Name"], ["Ann"]], "Edges": [["Source"], ["Ann"]]}),
                 ("net.xlsx", "sheet 'Edges'", "no Target column")),
    "polinode-survey": ("survey.xlsx", _xlsx({"Node Attributes": [["Name"], ["Ann"], ["Ann"]],
                                              "Relationship Question 1": [["Source", "Target"],
                                                                          ["Ann", "Ann"]]}),
                        ("survey.xlsx", "sheet 'Node Attributes'", "row 3", "already appears")),
    "gexf": ("net.gexf", '<?xml version="1.0"?>\n<!DOCTYPE gexf [<!ENTITY a "aaaaaaaaaa">\n'
             '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>\n<gexf><graph><nodes>'
             '<node id="1" label="&b;"/></nodes></graph></gexf>\n',
             ("net.gexf, line 2", "document type (DTD)")),
    "graphml": ("net.graphml", '<?xml version="1.0"?>\n<!DOCTYPE g [<!ENTITY x SYSTEM '
                '"file:///etc/passwd">]>\n<graphml><graph><node id="&x;"/></graph></graphml>\n',
                ("net.graphml, line 2", "document type (DTD)")),
    "gephi-csv": ("edges.csv", "Source;Target;Weight\n1;2;1\n2;3;heavy\n",
                  ("edges.csv", "row 3", "column 'Weight'")),
    "pajek": ("net.net", '*Vertices 3\n1 "A"\n2 "B"\n3 "C"\n*Arcs\n*Edges\n1 2\n',
              ("net.net, line 5", "*Arcs section is empty")),
    "ucinet": ("net.dl", "dl n=3 format=edgelist1\ndata:\n1 2\n2 5\n",
               ("net.dl, line 4", "'5' is not a person number from 1 to n=3")),
    "nominations": ("survey.csv", "id,friend1,friend2\n1,2,3\n2,1,\n2,3,\n",
                    ("survey.csv", "row 4", "column 'id'", "already appears")),
    "egocentric": ("ego/alters.csv", None, ("alters.csv", "row 3", "column 'egoID'",
                                            "not in the egos table")),
}


def _write_hostile(name: str, root: Path) -> Path:
    rel, content, _ = HOSTILE[name]
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    if name == "egocentric":
        (path.parent / "egos.csv").write_text("egoID\n1\n")
        path.write_text("egoID,alterID\n1,1\n7,1\n")
        return path.parent
    if callable(content):
        content(path)
    else:
        path.write_text(content, encoding="utf-8")
    return path.parent if name == "folder" else path


@pytest.mark.parametrize("name", list(FORMATS))
def test_refuses_a_hostile_file_with_one_sentence(name, tmp_path):
    data = _write_hostile(name, tmp_path / "in")
    fragments = HOSTILE[name][2]
    with pytest.raises(ValidationError) as info:
        load_dataset(data, format=name)
    lines = [str(p) for p in info.value.problems]
    assert len(lines) == 1 and all(f in lines[0] for f in fragments), lines
    out = tmp_path / "out"
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = main(["analyze", str(data), "--out", str(out)])
    assert code == 2 and not out.exists()
    assert "Traceback" not in err.getvalue()
    assert any(all(f in line for f in fragments) for line in err.getvalue().splitlines())


def test_examples_are_what_the_generator_makes(tmp_path):
    """The committed text examples are exactly what tests/io/examples.py writes."""
    from tests.io.examples import MAKERS

    for rel, make in MAKERS.items():
        if rel.endswith((".xlsx", ".gexf")) or "." not in rel:
            continue  # workbooks and GEXF carry dates; folders are checked file by file below
        fresh = make(tmp_path / rel)
        assert fresh.read_bytes() == (EXAMPLES / rel).read_bytes(), rel
    folder = MAKERS["egocentric"](tmp_path / "ego")
    for file in folder.iterdir():
        assert file.read_bytes() == (EXAMPLES / "egocentric" / file.name).read_bytes()
    assert re.search(r"n_[0-9a-f]{16}", Pseudonymiser(KEY).one("x", "name"))
