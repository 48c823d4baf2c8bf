"""Graph files (GEXF, GraphML, Gephi's CSV, Pajek, UCINET) as people and ties tables.

Graph formats name a node by an id and may give it a label: the id is the ``person_id`` and a
label that differs from it (a person's name, usually) becomes ``name``, pseudonymised on load.
Edges carry their kind as ``kind`` (or, as the package's own exports write several kinds of one
pair on one edge, ``kinds`` = ``"advice;friendship"`` with ``kind_weights`` and ``kind_since``
aligned with it: one tie per kind), else as their label. A node's ``start`` equal to its
``cohort_start`` and an edge's ``start`` equal to its ``since`` are the exports' timeline copies
and are dropped; other ``start``/``end`` values stay as attributes.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from alumni_net.io.toolkit import Table, Tables, match_headers

__all__ = ["LIST_SEP", "graph_tables", "split_kinds"]

#: How the package's exports join several values in one attribute.
LIST_SEP = ";"


def _frame(columns: dict) -> pd.DataFrame:
    frame = pd.DataFrame({k: pd.Series(v, dtype=object) for k, v in columns.items()})
    return frame.where(frame.notna(), "").astype(object)


def graph_tables(path: Path, *, nodes: dict, node_rows, edges: dict, edge_rows,
                 where_nodes: str, where_edges: str, unit: str = "line",
                 meta: dict | None = None, notes: list[str] | None = None,
                 files: list[Path] | None = None, headers: dict | None = None) -> Tables:
    """Tables from node columns (``id``, optional ``label``, attributes) and edge columns
    (``source``, ``target``, optional ``weight``, ``kind``, ``kinds``, ``label``, attributes),
    all text, with the line (or row) of each node and edge."""
    people = _frame(nodes)
    label = people.pop("label") if "label" in people.columns else None
    people = people.rename(columns={"id": "person_id"})
    names, _ = match_headers(list(people.columns), "people")
    people.columns = names
    if label is not None and ((label != "") & (label != people["person_id"])).any():
        people["name"] = label.where(label != people["person_id"], "")
    _drop_copy(people, "start", "cohort_start")
    ties = _frame(edges)
    rows = np.asarray(edge_rows)
    names, _ = match_headers(list(ties.columns), "ties")
    ties.columns = names
    if "kind" not in ties.columns and "kinds" in ties.columns:
        ties, rows = split_kinds(ties, rows)
    elif "kind" not in ties.columns and "label" in ties.columns:
        ties = ties.rename(columns={"label": "kind"})
    _drop_copy(ties, "start", "since")
    return Tables(
        Table(people, where_nodes, np.asarray(node_rows), unit, {"person_id": "id"}),
        Table(ties.reset_index(drop=True), where_edges, rows, unit, headers or {}),
        files=files or [path], meta=meta or {}, notes=notes or [], labels=("name",),
    )


def _drop_copy(frame: pd.DataFrame, copy: str, original: str) -> None:
    if copy in frame.columns and original in frame.columns and (
            frame[copy] == frame[original]).all():
        del frame[copy]


def split_kinds(ties: pd.DataFrame, rows: np.ndarray, column: str = "kinds"):
    """An edge holding several kinds (``kinds`` = ``"a;b"``, with ``kind_weights`` and
    ``kind_since`` aligned where they differ) as one tie per kind; without per-kind weights the
    kinds share the edge's weight equally."""
    lists = {c: ties.pop(c).str.split(LIST_SEP, regex=False)
             for c in (column, "kind_weights", "kind_since") if c in ties.columns}
    n = lists[column].str.len()
    out = ties.loc[ties.index.repeat(n)].reset_index(drop=True)
    out["kind"] = np.concatenate(lists[column].to_numpy()) if len(out) else []
    if "weight" in out.columns:
        total = pd.to_numeric(out["weight"].where(out["weight"] != ""), errors="coerce")
        share = total / np.repeat(n.to_numpy(), n.to_numpy())
        out["weight"] = np.where(share.notna(), share.map(lambda w: f"{w:.17g}"), out["weight"])
    if "kind_weights" in lists:
        out["weight"] = _aligned(lists["kind_weights"], n, out.get("weight"))
    if "kind_since" in lists:
        out["since"] = _aligned(lists["kind_since"], n, out.get("since"))
    return out, np.repeat(rows, n.to_numpy())


def _aligned(values: pd.Series, n: pd.Series, fallback) -> np.ndarray:
    """Per-kind values where the list has one per kind, else the edge's value."""
    good = values.str.len() == n
    parts = [v if ok is True else [None] * k for v, ok, k in zip(values, good, n, strict=True)]
    flat = np.array([None if x == "" else x for p in parts for x in p], dtype=object)
    if fallback is not None:
        missing = pd.isna(flat)
        flat[missing] = np.asarray(fallback, dtype=object)[missing]
    return np.where(pd.isna(flat), "", flat)
