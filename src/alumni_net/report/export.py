"""Exports for evaluators' tools: GEXF and GraphML (Gephi), Kumu JSON and workbook.

Ids are the dataset's (pseudonymised) person ids. What else is written is decided by
:func:`alumni_net.core.publish.published_graph`: the people columns on the allow-list (schema
categories, declared or detected categories; never names, emails or free text), tie kinds as
published (a kind that may name someone becomes "other kinds"), weights and dates. Values the
formats cannot hold (dates, tuples, missing values) are written as text or left out.

Format mechanics (issue 14), so that each file reads back into the same dataset
(:func:`alumni_net.io.load_dataset` reads them all):

- One edge per connected pair (Gephi's view), with ``kinds`` (``"advice;friendship"``), the
  summed ``weight`` and the earliest ``since``; from a multigraph (one edge per tie, as
  :func:`alumni_net.graph.to_networkx` gives with ``multigraph=True``) also, where the kinds
  differ in them, ``kind_weights`` and ``kind_since`` aligned with ``kinds``. The readers split
  such an edge back into one tie per kind (equal weights share the total).
- GEXF carries Gephi's timeline: each alum's node starts at its cohort's start and each edge at
  its ``since`` (open-ended: an alum stays an alum), so Gephi's timeline shows the programme grow.
- Kumu: each element has a stable ``id`` (the pseudonymised person id, which Kumu matches on when
  the map is imported again) and the years it is present in ``tags`` (an alum from its cohort's
  start year to the last cohort's, everyone else every year), for Kumu's tagged-timeline
  control; ``kumu.xlsx`` holds the same as Elements and Connections sheets for Kumu's
  spreadsheet import.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd

from alumni_net.core.files import atomic_write_bytes, atomic_write_text
from alumni_net.core.publish import published_graph
from alumni_net.errors import AlumniNetError

__all__ = [
    "EXPORT_FILES",
    "export_network",
    "exportable_graph",
    "kumu_document",
    "write_gexf",
    "write_graphml",
    "write_kumu",
    "write_kumu_xlsx",
]

#: File written for each export format.
EXPORT_FILES = {"gexf": "network.gexf", "graphml": "network.graphml", "kumu": "kumu.json",
                "kumu-xlsx": "kumu.xlsx"}
_LIST_SEP = ";"


def exportable_graph(G: nx.Graph) -> nx.Graph:
    """A copy of ``G`` that GEXF and GraphML can hold: string ids, plain attribute values.

    Dates become ISO text, tuples and lists ``";"``-joined text
    (``kinds`` -> ``"cohort;colleague"``),
    numpy scalars Python numbers, missing values are left out; an attribute holding mixed types
    is written as text throughout (GraphML declares one type per attribute). Multigraphs are
    collapsed to one edge per pair with all kinds listed.

    Examples
    --------
    >>> G = nx.Graph()
    >>> G.add_edge(1, 2, kinds=("cohort", "colleague"), since=pd.Timestamp("2016-09-01"))
    >>> H = exportable_graph(G)
    >>> list(H.nodes), H.edges["1", "2"]["kinds"], H.edges["1", "2"]["since"]
    (['1', '2'], 'cohort;colleague', '2016-09-01')
    """
    # Published first, one tie at a time, so that each kind keeps its own weight and date.
    G = _simple(published_graph(G))
    H = G.__class__()
    H.graph.update({k: _attribute_value(v) for k, v in G.graph.items()
                    if _attribute_value(v) is not None})
    H.add_nodes_from((str(v), _attribute_dict(d)) for v, d in G.nodes(data=True))
    H.add_edges_from((str(u), str(v), _attribute_dict(d)) for u, v, d in G.edges(data=True))
    _uniform_types(H.nodes.values())
    _uniform_types(d for *_, d in H.edges(data=True))
    return H


def _simple(G: nx.Graph) -> nx.Graph:
    """Collapse a multigraph keyed by kind into one edge per pair, kinds sorted, with the weight
    and date of each kind aligned with them (``kind_weights``, ``kind_since``)."""
    if not G.is_multigraph():
        return G
    H = nx.DiGraph() if G.is_directed() else nx.Graph()
    H.graph.update(G.graph)
    H.add_nodes_from(G.nodes(data=True))
    per_pair: dict[tuple, dict] = {}
    for u, v, k, d in G.edges(keys=True, data=True):
        pair = (u, v) if G.is_directed() or (u, v) in per_pair or (v, u) not in per_pair else (
            v, u)
        slot, kind = per_pair.setdefault(pair, {}), str(d.get("kind", k))
        if kind in slot:  # withheld kinds published as one ("other kinds"): one tie, summed
            dates = [x for x in (slot[kind].get("since"), d.get("since")) if not _missing(x)]
            d = {"weight": float(slot[kind].get("weight", 1.0)) + float(d.get("weight", 1.0)),
                 "since": min(dates) if dates else None}
        slot[kind] = d
    for (u, v), kinds in per_pair.items():
        names = sorted(kinds)
        weights = [float(kinds[k].get("weight", 1.0)) for k in names]
        dates = [_attribute_value(kinds[k].get("since")) for k in names]
        known = [x for x in dates if x is not None]
        data = {"kinds": tuple(names), "weight": sum(weights),
                "since": min(known) if known else None}
        # Per-kind values only where they differ: equal weights are the total over the kinds,
        # equal dates the edge's own.
        if len(set(weights)) > 1:
            data["kind_weights"] = _LIST_SEP.join(_number(w) for w in weights)
        if len(set(dates)) > 1:
            data["kind_since"] = _LIST_SEP.join(x or "" for x in dates)
        H.add_edge(u, v, **data)
    return H


def _missing(value: object) -> bool:
    return value is None or value is pd.NaT or (isinstance(value, float) and np.isnan(value))


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _attribute_value(value: object) -> str | bool | int | float | None:
    """A value GEXF/GraphML/JSON can hold, or None to leave the attribute out."""
    if value is None:
        return None
    if isinstance(value, (pd.Timestamp, _dt.datetime, _dt.date, np.datetime64)):
        stamp = pd.Timestamp(value)
        if pd.isna(stamp):
            return None
        return stamp.date().isoformat() if stamp == stamp.normalize() else stamp.isoformat()
    if isinstance(value, (tuple, list, set, frozenset, np.ndarray)):
        items = sorted(str(x) for x in value) if isinstance(value, (set, frozenset)) else value
        return _LIST_SEP.join(str(x) for x in items)
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (np.integer, int)):
        return int(value)
    if isinstance(value, (np.floating, float)):
        return None if np.isnan(value) else float(value)
    if isinstance(value, str):
        return value
    return str(value)


def _attribute_dict(d: Mapping) -> dict:
    out = {}
    for k, v in d.items():
        p = _attribute_value(v)
        if p is not None:
            out[str(k)] = p
    return out


def _uniform_types(dicts: Iterable[dict]) -> None:
    """Make each attribute one type across all items (int+float -> float, else mixed -> text)."""
    dicts = list(dicts)
    types: dict[str, set] = {}
    for d in dicts:
        for k, v in d.items():
            types.setdefault(k, set()).add(type(v))
    for k, ts in types.items():
        if len(ts) < 2:
            continue
        cast = float if ts <= {int, float} else str
        for d in dicts:
            if k in d:
                d[k] = cast(d[k])


def write_gexf(G: nx.Graph, path: str | os.PathLike) -> Path:
    """Write ``G`` as GEXF 1.2 (Gephi) with its timeline (see the module docstring), atomically;
    returns the path."""
    H = exportable_graph(G)
    for _, d in H.nodes(data=True):
        if d.get("cohort_start"):
            d["start"] = str(d["cohort_start"])
    for *_, d in H.edges(data=True):
        if d.get("since"):
            d["start"] = str(d["since"])
    text = "\n".join(nx.generate_gexf(H)) + "\n"
    return atomic_write_text(path, text)


def write_graphml(G: nx.Graph, path: str | os.PathLike) -> Path:
    """Write ``G`` as GraphML, atomically; returns the path."""
    return _write_xml(nx.generate_graphml, G, path)


def _write_xml(generate: Callable[[nx.Graph], Iterable[str]], G: nx.Graph,
               path: str | os.PathLike) -> Path:
    text = "\n".join(generate(exportable_graph(G))) + "\n"
    return atomic_write_text(path, text)


def kumu_document(G: nx.Graph) -> dict:
    """Kumu's JSON import shape: ``elements`` (one per person) and ``connections`` (one per tie).

    Each element has ``id`` and ``label`` (the person id: stable, so that Kumu updates the same
    elements when the map is imported again), ``type`` ("Alum" or "Person"), ``tags`` (the
    years it is present, for Kumu's tagged-timeline control) and its attributes as custom
    fields; each connection ``from``, ``to`` (ids), ``type`` (the tie kinds), ``direction``
    ("directed" for nominations, "undirected" otherwise: Kumu's "mutual" would draw two
    arrowheads) and its attributes (``weight``, ``since``, per-kind values).
    """
    H = exportable_graph(G)
    direction = "directed" if H.is_directed() else "undirected"
    years = _timeline_years(H)
    elements = [
        {
            "id": v,
            "label": v,
            "type": "Alum" if d.get("is_alum") else "Person",
            "tags": _years_present(d, years),
            **{k: val for k, val in d.items() if k not in ("id", "label", "type", "tags")},
        }
        for v, d in H.nodes(data=True)
    ]
    connections = [
        {
            "from": u,
            "to": v,
            "type": d.get("kinds", d.get("kind", "tie")),
            "direction": direction,
            "tags": str(d.get("kinds", d.get("kind", "tie"))).split(_LIST_SEP),
            **{
                k: val
                for k, val in d.items()
                if k not in ("from", "to", "type", "direction", "tags", "kinds")
            },
        }
        for u, v, d in H.edges(data=True)
    ]
    return {"elements": elements, "connections": connections}


def _timeline_years(H: nx.Graph) -> list[str]:
    starts = sorted({str(d["cohort_start"])[:4] for _, d in H.nodes(data=True)
                     if d.get("is_alum") and d.get("cohort_start")})
    return [str(y) for y in range(int(starts[0]), int(starts[-1]) + 1)] if starts else []


def _years_present(d: dict, years: list[str]) -> list[str]:
    if not years:
        return []
    start = str(d.get("cohort_start") or "")[:4]
    if d.get("is_alum") and start:
        return [y for y in years if y >= start]
    return list(years)


def write_kumu(G: nx.Graph, path: str | os.PathLike) -> Path:
    """Write Kumu JSON (see :func:`kumu_document`), atomically; returns the path."""
    text = json.dumps(kumu_document(G), indent=1, ensure_ascii=False, allow_nan=False)
    return atomic_write_bytes(path, (text + "\n").encode("utf-8"))


def write_kumu_xlsx(G: nx.Graph, path: str | os.PathLike) -> Path:
    """Write Kumu's spreadsheet import: an Elements sheet (ID and Label first, Tags joined with
    ``|`` as Kumu reads them) and a Connections sheet (From and To first), atomically."""
    from alumni_net.core.tables import write_workbook

    doc = kumu_document(G)
    elements = pd.DataFrame([_kumu_row(e, ("id", "label")) for e in doc["elements"]])
    connections = pd.DataFrame([_kumu_row(c, ("from", "to")) for c in doc["connections"]])
    return write_workbook({"Elements": elements, "Connections": connections}, path)


#: Excel holds at most this many characters in a cell; longer text is cut there in kumu.xlsx
#: (kumu.json keeps it whole).
_EXCEL_CELL = 32767


def _kumu_row(item: dict, first: tuple[str, str]) -> dict:
    row = {}
    for key in (*first, *[k for k in item if k not in first]):
        value = item.get(key)
        title = {"id": "ID", "label": "Label", "from": "From", "to": "To", "type": "Type",
                 "tags": "Tags", "direction": "Direction"}.get(key, key)
        value = "|".join(map(str, value)) if isinstance(value, list) else value
        row[title] = value[:_EXCEL_CELL] if isinstance(value, str) else value
    return row


_WRITERS = {"gexf": write_gexf, "graphml": write_graphml, "kumu": write_kumu,
            "kumu-xlsx": write_kumu_xlsx}


def export_network(
    G: nx.Graph, out_dir: str | os.PathLike,
    formats: Iterable[str] = ("gexf", "graphml", "kumu", "kumu-xlsx"),
) -> list[Path]:
    """Write ``network.gexf``, ``network.graphml``, ``kumu.json`` and/or ``kumu.xlsx`` into
    ``out_dir``."""
    formats = list(dict.fromkeys(formats))
    unknown = [f for f in formats if f not in _WRITERS]
    if unknown:
        raise AlumniNetError(
            f"unknown export format(s) {', '.join(unknown)}; use {', '.join(_WRITERS)}"
        )
    out = Path(out_dir)
    return [_WRITERS[f](G, out / EXPORT_FILES[f]) for f in formats]
