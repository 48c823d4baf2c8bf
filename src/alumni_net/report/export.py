"""Exports for evaluators' tools: GEXF and GraphML (Gephi), Kumu JSON.

Ids are the dataset's (pseudonymised) person ids. What else is written is decided by
:func:`alumni_net.core.publish.published_graph`: the people columns on the allow-list (schema
categories, declared or detected categories; never names, emails or free text), tie kinds as
published (a kind that may name someone becomes "other kinds"), weights and dates. Values the
formats cannot hold (dates, tuples, missing values) are written as text or left out.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
from collections.abc import Iterable, Mapping
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
]

#: File written for each export format.
EXPORT_FILES = {"gexf": "network.gexf", "graphml": "network.graphml", "kumu": "kumu.json"}
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
    G = published_graph(_simple(G))
    H = G.__class__()
    H.graph.update({k: _attribute_value(v) for k, v in G.graph.items() if _attribute_value(v) is not None})
    H.add_nodes_from((str(v), _attribute_dict(d)) for v, d in G.nodes(data=True))
    H.add_edges_from((str(u), str(v), _attribute_dict(d)) for u, v, d in G.edges(data=True))
    _uniform_types(H.nodes.values())
    _uniform_types(d for *_, d in H.edges(data=True))
    return H


def _simple(G: nx.Graph) -> nx.Graph:
    """Collapse a multigraph keyed by kind into one edge per pair, kinds sorted."""
    if not G.is_multigraph():
        return G
    H = nx.DiGraph() if G.is_directed() else nx.Graph()
    H.graph.update(G.graph)
    H.add_nodes_from(G.nodes(data=True))
    for u, v, k, d in G.edges(keys=True, data=True):
        kind = d.get("kind", k)
        if H.has_edge(u, v):
            e = H.edges[u, v]
            e["kinds"] = tuple(sorted(set(e["kinds"]) | {str(kind)}))
            e["weight"] = e.get("weight", 0.0) + float(d.get("weight", 1.0))
        else:
            H.add_edge(u, v, kinds=(str(kind),), weight=float(d.get("weight", 1.0)))
    return H


def _attribute_value(value):
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
    """Write ``G`` as GEXF 1.2 (Gephi), atomically; returns the path."""
    return _write_xml(nx.generate_gexf, G, path)


def write_graphml(G: nx.Graph, path: str | os.PathLike) -> Path:
    """Write ``G`` as GraphML, atomically; returns the path."""
    return _write_xml(nx.generate_graphml, G, path)


def _write_xml(generate, G: nx.Graph, path) -> Path:
    text = "\n".join(generate(exportable_graph(G))) + "\n"
    return atomic_write_text(path, text)


def kumu_document(G: nx.Graph) -> dict:
    """Kumu's JSON import shape: ``elements`` (one per person) and ``connections`` (one per tie).

    Each element has ``label`` (the person id) and ``type`` ("Alum" or "Person") plus its
    attributes as custom fields; each connection ``from``, ``to``, ``type`` (the tie kinds),
    ``tags`` (one per kind, for Kumu's filters) and ``direction`` ("directed" for nominations,
    "undirected" otherwise: Kumu's "mutual" would draw two arrowheads).
    """
    H = exportable_graph(G)
    direction = "directed" if H.is_directed() else "undirected"
    elements = [
        {
            "label": v,
            "type": "Alum" if d.get("is_alum") else "Person",
            **{k: val for k, val in d.items() if k not in ("label", "type")},
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
                if k not in ("from", "to", "type", "direction", "tags")
            },
        }
        for u, v, d in H.edges(data=True)
    ]
    return {"elements": elements, "connections": connections}


def write_kumu(G: nx.Graph, path: str | os.PathLike) -> Path:
    """Write Kumu JSON (see :func:`kumu_document`), atomically; returns the path."""
    text = json.dumps(kumu_document(G), indent=1, ensure_ascii=False, allow_nan=False)
    return atomic_write_bytes(path, (text + "\n").encode("utf-8"))


_WRITERS = {"gexf": write_gexf, "graphml": write_graphml, "kumu": write_kumu}


def export_network(
    G: nx.Graph, out_dir: str | os.PathLike, formats: Iterable[str] = ("gexf", "graphml", "kumu")
) -> list[Path]:
    """Write ``network.gexf``, ``network.graphml`` and/or ``kumu.json`` into ``out_dir``."""
    formats = list(dict.fromkeys(formats))
    unknown = [f for f in formats if f not in _WRITERS]
    if unknown:
        raise AlumniNetError(
            f"unknown export format(s) {', '.join(unknown)}; use {', '.join(_WRITERS)}"
        )
    out = Path(out_dir)
    return [_WRITERS[f](G, out / EXPORT_FILES[f]) for f in formats]
