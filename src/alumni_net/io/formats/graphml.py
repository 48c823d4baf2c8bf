"""GraphML (.graphml), as Gephi, yEd, igraph and networkx write it.

Read: ``key`` (id, ``for`` node/edge, ``attr.name``, ``default``), ``graph`` (``edgedefault``),
``node`` (``id``, ``data``) and ``edge`` (``source``, ``target``, ``directed``, ``data``).
Values are looked up by their key's ``attr.name``; a ``label`` (or yEd-style ``Label``) that
differs from the node id becomes ``name``, pseudonymised on load. Nested graphs, hyperedges and
yEd's drawing data (elements inside ``data``) are ignored.

A streaming expat reader (:mod:`alumni_net.io.formats._xml`), for the reasons given in
:mod:`alumni_net.io.formats.gexf`: networkx's ``read_graphml`` builds the whole tree and knows no
line numbers; the tests check that both read the same graph. A DTD or entity is refused.
"""

from __future__ import annotations

from pathlib import Path

from alumni_net.errors import Problem
from alumni_net.io.formats._graph import graph_tables
from alumni_net.io.formats._xml import root_in_head, stream
from alumni_net.io.formats.base import Format
from alumni_net.io.toolkit import ReadOptions, Tables

__all__ = ["GRAPHML"]


def _sniff(path: Path) -> bool:
    return root_in_head(path, b"<graphml")


class _Collector:
    def __init__(self):
        self.keys = {}  # key id -> (for, name)
        self.defaults = {"node": {}, "edge": {}}
        self.key_id = None
        self.in_default = False
        self.depth_in_data = 0
        self.data_key = None
        self.buffer: list[str] = []
        self.owner = None
        self.depth = 0
        self.edgedefault = "undirected"
        self.directed_edges = set()
        self.nodes = {"id": []}
        self.node_lines: list[int] = []
        self.edges = {"source": [], "target": []}
        self.edge_lines: list[int] = []
        self.node_values: dict[str, dict[int, str]] = {}
        self.edge_values: dict[str, dict[int, str]] = {}
        self.graph_depth = 0

    def start(self, tag, attrs, line):
        if self.data_key is not None:
            self.depth_in_data += 1  # drawing data nested in a value: not read
            return
        if tag == "graph":
            self.graph_depth += 1
            if self.graph_depth == 1:
                self.edgedefault = attrs.get("edgedefault", "undirected")
        elif self.graph_depth > 1:
            return  # a nested graph
        elif tag == "node":
            self.owner = "node"
            self.nodes["id"].append(attrs.get("id", ""))
            self.node_lines.append(line)
        elif tag == "edge":
            self.owner = "edge"
            self.edges["source"].append(attrs.get("source", ""))
            self.edges["target"].append(attrs.get("target", ""))
            self.edge_lines.append(line)
            if "directed" in attrs:
                self.directed_edges.add(attrs["directed"])
        elif tag == "data" and self.owner is not None:
            self.data_key, self.buffer, self.depth_in_data = attrs.get("key", ""), [], 0
        elif tag == "key":
            self.key_id = attrs.get("id", "")
            self.keys[self.key_id] = (attrs.get("for", "all"),
                                      attrs.get("attr.name", self.key_id))
        elif tag == "default":
            self.in_default, self.buffer = True, []

    def attach(self, parser, local):
        """Install handlers that take the common events (an edge or node, its ``data`` and
        their text) without the generic path's extra calls: a million edges with two values
        each are nine million events, and each call saved is a second or so."""
        tags: dict[str, str] = {}
        start, end, nodes, edges = self.start, self.end, self.nodes["id"].append, self.edges
        sources, targets = edges["source"].append, edges["target"].append
        node_lines, edge_lines = self.node_lines, self.edge_lines

        def on_start(name, attrs):
            tag = tags.get(name)
            if tag is None:
                tag = tags[name] = local(name)
            if self.data_key is None and self.graph_depth == 1:
                if tag == "data":
                    if self.owner is not None:
                        self.data_key, self.buffer, self.depth_in_data = (
                            attrs.get("key", ""), [], 0)
                    return
                if tag == "edge" and "directed" not in attrs:
                    self.owner = "edge"
                    sources(attrs.get("source", ""))
                    targets(attrs.get("target", ""))
                    edge_lines.append(parser.CurrentLineNumber)
                    return
                if tag == "node":
                    self.owner = "node"
                    nodes(attrs.get("id", ""))
                    node_lines.append(parser.CurrentLineNumber)
                    return
            start(tag, attrs, parser.CurrentLineNumber)

        def on_end(name):
            tag = tags.get(name)
            if tag is None:
                tag = tags[name] = local(name)
            if tag == "data" and self.data_key is not None and self.depth_in_data == 0:
                self._store()
            elif tag in ("node", "edge") and self.data_key is None:
                self.owner = None
            else:
                end(tag)

        parser.StartElementHandler = on_start
        parser.EndElementHandler = on_end
        parser.CharacterDataHandler = self.text

    def end(self, tag):
        if self.data_key is not None:
            if tag == "data" and self.depth_in_data == 0:
                self._store()
            elif self.depth_in_data:
                self.depth_in_data -= 1
            return
        if tag == "graph":
            self.graph_depth -= 1
        elif tag in ("node", "edge"):
            self.owner = None
        elif tag == "default" and self.key_id in self.keys:
            kind, name = self.keys[self.key_id]
            for owner in ("node", "edge") if kind == "all" else (kind,):
                if owner in self.defaults:
                    self.defaults[owner][name] = "".join(self.buffer).strip()
            self.in_default = False

    def _store(self):
        key = self.keys.get(self.data_key)
        name = self.data_key if key is None else key[1]
        buffer = self.buffer
        value = (buffer[0] if len(buffer) == 1 else "".join(buffer)).strip()
        if self.owner == "node":
            column, i = self.node_values.get(name), len(self.node_lines) - 1
            if column is None:
                column = self.node_values[name] = {}
        else:
            column, i = self.edge_values.get(name), len(self.edge_lines) - 1
            if column is None:
                column = self.edge_values[name] = {}
        column[i] = value
        self.data_key = None

    def text(self, data):
        if (self.data_key is not None and self.depth_in_data == 0) or self.in_default:
            self.buffer.append(data)


def _column(values: dict[int, str], n: int, default: str) -> list[str]:
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
    for name, values in c.node_values.items():
        key = "label" if name.lower() == "label" else name
        nodes[key] = _column(values, n, c.defaults["node"].get(name, ""))
    edges = dict(c.edges)
    for name, values in c.edge_values.items():
        edges[name] = _column(values, m, c.defaults["edge"].get(name, ""))
    directed = c.edgedefault == "directed" or "true" in c.directed_edges
    return graph_tables(path, nodes=nodes, node_rows=c.node_lines, edges=edges,
                        edge_rows=c.edge_lines, where_nodes=path.name, where_edges=path.name,
                        meta={"directed": directed})


GRAPHML = Format(
    name="graphml",
    title="GraphML (.graphml)",
    suffixes=(".graphml", ".xml"),
    sniff=_sniff,
    read=_read,
    example="examples/gephi/physicians.graphml",
    one_line="a GraphML file (Gephi, yEd, igraph, networkx): node and edge `data` named by "
             "their keys' `attr.name`",
)
