"""GEXF (.gexf), Gephi's own format, versions 1.1 to 1.3.

Read: ``graph`` (``defaultedgetype``), ``attributes`` (declared ids, titles and defaults for
nodes and edges), ``node`` (``id``, ``label``, ``start``/``end``, ``attvalues``) and ``edge``
(``source``, ``target``, ``type``, ``weight``, ``kind``, ``label``, ``start``/``end``,
``attvalues``). Attribute values are looked up by their declared title; a node's ``id`` is its
``person_id`` and a different ``label`` its ``name``. Timelines (Gephi's ``start``/``end``, which
the package's export writes from cohort starts and tie dates) are kept as attributes unless they
copy ``cohort_start`` or ``since``. Dynamic attribute values (spells) are not read.

This is a streaming expat reader (:mod:`alumni_net.io.formats._xml`) rather than networkx's
``read_gexf``: that builds the whole tree and a networkx graph (6x the time, 4x the memory of the
package's CSV for a million edges) and cannot say on which line an edge names an unknown node;
the tests check that both read the same graph from the package's exports and real networks. A
DTD or entity declaration is refused.
"""

from __future__ import annotations

from pathlib import Path

from alumni_net.errors import Problem
from alumni_net.io.formats._graph import graph_tables
from alumni_net.io.formats._xml import root_in_head, stream
from alumni_net.io.formats.base import Format
from alumni_net.io.toolkit import ReadOptions, Tables

__all__ = ["GEXF"]


def _sniff(path: Path) -> bool:
    return root_in_head(path, b"<gexf")


class _Collector:
    """Columns of nodes and edges as the parser meets them."""

    def __init__(self):
        self.declared = {"node": {}, "edge": {}}  # id -> title
        self.defaults = {"node": {}, "edge": {}}  # title -> default
        self.cls = None
        self.attr_id = None
        self.in_default = False
        self.default_text = []
        self.owner = None  # "node" or "edge" whose attvalues are being read
        self.edge_type = "undirected"
        self.edge_types: set[str] = set()
        self.nodes = {"id": [], "label": []}
        self.node_lines = []
        self.edges = {"source": [], "target": []}
        self.edge_lines = []
        self.node_values: dict[str, dict[int, str]] = {}
        self.edge_values: dict[str, dict[int, str]] = {}
        self.edge_xml: dict[str, dict[int, str]] = {}
        self.parser = None
        self.local = None

    def attach(self, parser, local):
        self.parser, self.local = parser, local

    def fast_edges(self):
        """A start handler for the edges section (most of a file): only edges and their values,
        no end or text events, everything it touches bound locally (a million edges are
        three million calls)."""
        parser = self.parser
        sources, targets = self.edges["source"].append, self.edges["target"].append
        lines = self.edge_lines
        add_line = lines.append
        xml, types, values = self.edge_xml, self.edge_types, self.edge_values
        declared = self.declared["edge"]
        extra = ("weight", "kind", "label", "start", "end")

        def handle(name, attrs):
            if name.endswith("attvalue"):
                key = attrs.get("for") or attrs.get("id", "")
                column = values.get(declared.get(key, key))
                if column is None:
                    column = values[declared.get(key, key)] = {}
                column[len(lines) - 1] = attrs.get("value", "")
            elif name.endswith("edge") and (len(name) == 4 or name[-5] == "}"):
                i = len(lines)
                sources(attrs.get("source", ""))
                targets(attrs.get("target", ""))
                add_line(parser.CurrentLineNumber)
                if len(attrs) > 3 or "id" not in attrs:
                    for key in extra:
                        if key in attrs:
                            xml.setdefault(key, {})[i] = attrs[key]
                    if "type" in attrs:
                        types.add(attrs["type"])

        return handle

    def start(self, tag, attrs, line):
        if tag == "node":
            self.owner = "node"
            i = len(self.node_lines)
            self.nodes["id"].append(attrs.get("id", ""))
            self.nodes["label"].append(attrs.get("label", ""))
            self.node_lines.append(line)
            for key in ("start", "end"):
                if key in attrs:
                    self.node_values.setdefault(key, {})[i] = attrs[key]
        elif tag == "edge":
            self.owner = "edge"
            i = len(self.edge_lines)
            self.edges["source"].append(attrs.get("source", ""))
            self.edges["target"].append(attrs.get("target", ""))
            self.edge_lines.append(line)
            for key in ("weight", "kind", "label", "start", "end"):
                if key in attrs:
                    self.edge_xml.setdefault(key, {})[i] = attrs[key]
            if "type" in attrs:
                self.edge_types.add(attrs["type"])
        elif tag == "attvalue":
            key = attrs.get("for", attrs.get("id", ""))
            if self.owner == "node":
                title = self.declared["node"].get(key, key)
                self.node_values.setdefault(title, {})[len(self.node_lines) - 1] = attrs.get(
                    "value", "")
            elif self.owner == "edge":
                title = self.declared["edge"].get(key, key)
                self.edge_values.setdefault(title, {})[len(self.edge_lines) - 1] = attrs.get(
                    "value", "")
        elif tag == "edges" and self.parser is not None:
            self.parser.StartElementHandler = self.fast_edges()
            self.parser.EndElementHandler = None
            self.parser.CharacterDataHandler = None
        elif tag == "graph":
            self.edge_type = attrs.get("defaultedgetype", "undirected")
        elif tag == "attributes":
            self.cls = attrs.get("class", "node")
        elif tag == "attribute" and self.cls in self.declared:
            self.attr_id = attrs.get("id", "")
            self.declared[self.cls][self.attr_id] = attrs.get("title", self.attr_id)
        elif tag == "default":
            self.in_default, self.default_text = True, []

    def end(self, tag):
        if tag in ("node", "edge"):
            self.owner = None
        elif tag == "default" and self.cls in self.declared and self.attr_id is not None:
            title = self.declared[self.cls][self.attr_id]
            self.defaults[self.cls][title] = "".join(self.default_text).strip()
            self.in_default = False

    def text(self, data):
        if self.in_default:
            self.default_text.append(data)


def _column(values: dict[int, str], n: int, default: str = "") -> list[str]:
    out = [default] * n
    for i, v in values.items():
        out[i] = v
    return out


def _read(path: Path, options: ReadOptions, problems: list[Problem]) -> Tables | None:
    c = _Collector()
    if stream(path, c.start, c.end, problems, c.text, on_parser=c.attach) is None:
        return None
    n, m = len(c.node_lines), len(c.edge_lines)
    if not n:
        problems.append(Problem(path.name, None, None, "has no nodes"))
        return None
    nodes = dict(c.nodes)
    for title, values in c.node_values.items():
        nodes[title] = _column(values, n, c.defaults["node"].get(title, ""))
    edges = dict(c.edges)
    for title, values in c.edge_values.items():
        edges[title] = _column(values, m, c.defaults["edge"].get(title, ""))
    for key, values in c.edge_xml.items():
        if key in edges and key in ("kind", "label"):
            continue  # an attribute of that title says more than the XML attribute
        edges[key] = _column(values, m)
    directed = c.edge_type == "directed" or "directed" in c.edge_types
    where = f"{path.name}"
    return graph_tables(path, nodes=nodes, node_rows=c.node_lines, edges=edges,
                        edge_rows=c.edge_lines, where_nodes=where, where_edges=where,
                        meta={"directed": directed})


GEXF = Format(
    name="gexf",
    title="GEXF (.gexf), Gephi's format",
    suffixes=(".gexf",),
    sniff=_sniff,
    read=_read,
    example="examples/gephi/physicians.gexf",
    one_line="a GEXF file from Gephi (node `id`, `label`, attributes, `start`/`end`; edge "
             "`source`, `target`, `weight`, `kind`)",
)
