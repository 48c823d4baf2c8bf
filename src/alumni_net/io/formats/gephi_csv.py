"""Gephi's spreadsheet pair: a nodes table and an edges table (CSV), as Gephi's Data Laboratory
imports and exports them.

Gephi's "Spreadsheet" format page (gephi.org/users/supported-graph-formats/spreadsheet): the
nodes table has ``Id`` (and ``Label``, attributes), the edges table ``Source`` and ``Target``
(and ``Type`` = Directed / Undirected / Mixed, ``Weight``, ``Label``, ``Id``, attributes); the
separator is often ``;``. Give the edges file (its nodes file is the one beside it named with
``nodes`` for ``edges``, or ``nodes.csv``; without one, the people are the edges' ends) or a
folder holding ``nodes.csv`` and ``edges.csv``. An edge's ``Kind`` (else its ``Label``) is the
tie's kind; a node's ``Label`` different from its ``Id`` is its ``name``, pseudonymised on load.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from alumni_net.errors import Problem
from alumni_net.io.formats._graph import graph_tables
from alumni_net.io.formats.base import Format, peek_headers
from alumni_net.io.toolkit import ReadOptions, Tables, read_csv_text

__all__ = ["GEPHI_CSV"]


def _headers(path: Path) -> list[str]:
    found = peek_headers(path, 50)
    return found[0] if found else []


def _is_edges(path: Path) -> bool:
    head = _headers(path)
    return "source" in head and "target" in head


def _pair(path: Path) -> tuple[Path | None, Path | None]:
    """(nodes, edges) files of a folder or beside an edges file."""
    if path.is_dir():
        edges = [p for p in sorted(path.glob("*.csv")) if "edge" in p.stem.lower()]
        nodes = [p for p in sorted(path.glob("*.csv")) if "node" in p.stem.lower()]
        return (nodes[0] if nodes else None), (edges[0] if edges else None)
    twin = path.with_name(re.sub("edges", "nodes", path.name, flags=re.IGNORECASE))
    if twin == path or not twin.is_file():
        twin = path.with_name("nodes.csv")
    return (twin if twin.is_file() and twin != path else None), path


def _sniff(path: Path) -> bool:
    if path.is_dir():
        nodes, edges = _pair(path)
        return edges is not None and _is_edges(edges) and (
            nodes is None or "id" in _headers(nodes))
    return _is_edges(path) and "from" not in _headers(path)


def _read(path: Path, options: ReadOptions, problems: list[Problem]) -> Tables | None:
    notes: list[str] = []
    nodes_path, edges_path = _pair(path)
    if edges_path is None:
        problems.append(Problem(str(path), None, None, "holds no edges table (a CSV file named "
                                "like edges.csv, with Source and Target)"))
        return None
    edges = read_csv_text(edges_path, options, problems, notes)
    nodes = read_csv_text(nodes_path, options, problems, notes) if nodes_path else None
    if edges is None or (nodes_path is not None and nodes is None):
        return None
    edges.columns = [str(c).strip() for c in edges.columns]
    low = {c.lower(): c for c in edges.columns}
    for need in ("source", "target"):
        if need not in low:
            problems.append(Problem(edges_path.name, 1, need.title(),
                                    "required column is missing from the header"))
    if problems:
        return None
    if nodes is None:
        ends = pd.unique(pd.concat([edges[low["source"]], edges[low["target"]]]))
        nodes = pd.DataFrame({"Id": [e for e in ends if e != ""]}, dtype=object)
        node_rows = np.zeros(len(nodes), dtype=np.int64)
        notes.append(f"{edges_path.name}: no nodes table beside it (nodes.csv), so the people "
                     "are the edges' ends, without attributes")
    else:
        node_rows = np.arange(len(nodes)) + 2
    nodes.columns = [str(c).strip() for c in nodes.columns]
    nlow = {c.lower(): c for c in nodes.columns}
    if "id" not in nlow:
        problems.append(Problem((nodes_path or edges_path).name, 1, "Id",
                                "required column is missing from the header"))
        return None
    node_cols = {"id": nodes[nlow["id"]]}
    if "label" in nlow:
        node_cols["label"] = nodes[nlow["label"]]
    node_cols.update({c: nodes[c] for c in nodes.columns
                      if c.lower() not in ("id", "label", "time interval")})
    directed, edge_cols = _edge_columns(edges, low)
    return graph_tables(path, nodes=node_cols, node_rows=node_rows, edges=edge_cols,
                        edge_rows=np.arange(len(edges)) + 2,
                        where_nodes=nodes_path.name if nodes_path else edges_path.name,
                        where_edges=edges_path.name, unit="row", meta={"directed": directed},
                        notes=notes, files=[p for p in (nodes_path, edges_path) if p],
                        headers={k: low[k] for k in ("source", "target", "weight", "kind")
                                 if k in low})


def _edge_columns(edges: pd.DataFrame, low: dict) -> tuple[bool | None, dict]:
    cols = {"source": edges[low["source"]], "target": edges[low["target"]]}
    directed = None
    if "type" in low:
        kinds = set(edges[low["type"]].str.strip().str.lower()) - {""}
        directed = bool(kinds & {"directed", "mixed"})
    for c in edges.columns:
        key = c.lower()
        if key in ("source", "target", "type", "id", "time interval"):
            continue
        cols["weight" if key == "weight" else "kind" if key == "kind" else
             "label" if key == "label" else c] = edges[c]
    return directed, cols


GEPHI_CSV = Format(
    name="gephi-csv",
    title="Gephi spreadsheet pair (nodes and edges .csv)",
    suffixes=(".csv",),
    sniff=_sniff,
    read=_read,
    example="examples/gephi/edges.csv",
    one_line="Gephi's CSV pair: `edges.csv` (`Source`, `Target`, `Type`, `Weight`) and "
             "`nodes.csv` beside it (`Id`, `Label`, attributes)",
    folder=True,
)
