"""Kumu JSON blueprints (.json): ``elements`` and ``connections``, read as Kumu reads them.

Kumu's guide "JSON / Blueprints" (docs.kumu.io/guides/import/blueprints): elements carry
``label`` (and ``id`` when labels repeat), ``type``, ``description``, ``tags`` (a list) and any
custom keys; connections ``from``, ``to`` (ids when elements have ids, else labels), ``type``,
``direction`` (directed, undirected, mutual) and custom keys. A full project backup (elements
whose fields sit under ``attributes``, with ``_id``) is read too. The matching rules and the
privacy of labels are those of the spreadsheet reader (:mod:`alumni_net.io.formats.kumu`): the
blueprint is turned into one element sheet and one connection sheet, and rows in messages are
positions in the ``elements`` or ``connections`` list (1 = the first).

The file is parsed with :mod:`json` (no code runs, no entities), refused when it is not a JSON
object with an ``elements`` or ``connections`` list, or nests deeper than Python can follow.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

from alumni_net.errors import Problem
from alumni_net.io.formats.base import Format, Sheet
from alumni_net.io.formats.kumu import read_kumu_tables
from alumni_net.io.toolkit import ReadOptions, Tables, decode

__all__ = ["KUMU_JSON"]

_ELEMENT_KEYS = {"id": "ID", "_id": "ID", "label": "Label", "type": "Type",
                 "element type": "Type", "description": "Description", "tags": "Tags"}
_CONNECTION_KEYS = {"id": None, "_id": None, "from": "From", "to": "To", "type": "Type",
                    "connection type": "Type", "direction": "Direction", "tags": "Tags",
                    "strength": "Strength", "description": "Description"}


def _sniff(path: Path) -> bool:
    try:
        with open(path, "rb") as fh:
            head = fh.read(4096).decode("utf-8", errors="replace")
    except OSError:
        return False
    return head.lstrip("\ufeff \r\n\t").startswith("{") and (
        '"elements"' in head or '"connections"' in head)


def _read(path: Path, options: ReadOptions, problems: list[Problem]) -> Tables | None:
    text = decode(path.read_bytes(), path.name, options, problems)
    if text is None:
        return None
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        problems.append(Problem(f"{path.name}, line {exc.lineno}", None, None,
                                f"is not valid JSON ({exc.msg})"))
        return None
    except RecursionError:
        problems.append(Problem(path.name, None, None, "nests too deeply to be a Kumu blueprint"))
        return None
    if not isinstance(doc, dict) or not isinstance(doc.get("connections", []), list) or not (
            isinstance(doc.get("elements", []), list)):
        problems.append(Problem(path.name, None, None,
                                "is not a Kumu blueprint: a JSON object with lists 'elements' "
                                "and 'connections'"))
        return None
    sheets = []
    for key, names, first in (("elements", _ELEMENT_KEYS, "Label"),
                              ("connections", _CONNECTION_KEYS, "From")):
        items = doc.get(key, [])
        if not items:
            continue
        frame = _frame(items, names, first, f"{path.name}, {key}", problems)
        if frame is not None:
            sheets.append(Sheet(key, frame, f"{path.name}, {key}", first_row=1))
    if problems:
        return None
    tables = read_kumu_tables(path, sheets, problems, [])
    if tables is not None and "direction" not in {c.lower() for s in sheets
                                                  for c in s.frame.columns}:
        tables.meta["directed"] = True
    return tables


def _frame(items: list, names: dict, first: str, where: str,
           problems: list[Problem]) -> pd.DataFrame | None:
    if all(type(item) is dict and "attributes" not in item for item in items):
        frame = _columns(items, names)
        if frame is not None:
            return _ordered(frame, first)
    rows = []
    for i, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            problems.append(Problem(where, i, None, "is not a JSON object"))
            continue
        attributes = item.get("attributes")
        flat = {**{k: v for k, v in item.items() if k != "attributes"},
                **(attributes if isinstance(attributes, dict) else {})}
        row = {}
        for key, value in flat.items():
            column = names.get(str(key).strip().lower(), str(key))
            if column is None or isinstance(value, dict):
                continue
            row[column] = "|".join(map(_cell, value)) if isinstance(value, list) else _cell(value)
        rows.append(row)
    if problems:
        return None
    return _ordered(pd.DataFrame(rows).fillna("").astype(object), first)


def _columns(items: list, names: dict) -> pd.DataFrame | None:
    """A blueprint's flat objects as columns of text, whole columns at a time; None when a
    value is a nested object or list of objects (then read item by item)."""
    frame = pd.DataFrame.from_records(items)
    out = {}
    for key in frame.columns:
        column = names.get(str(key).strip().lower(), str(key))
        if column is None:
            continue
        values = frame[key]
        missing = values.isna().to_numpy()
        kinds = set(map(type, values[~missing]))
        if kinds <= {str}:
            out[column] = values.where(~missing, "").astype(object).str.strip()
        elif kinds <= {int, float}:
            numbers = pd.to_numeric(values)
            whole = (numbers % 1 == 0).to_numpy() & ~missing
            text = np.where(whole, numbers.fillna(0).astype(np.int64).astype(str),
                            numbers.map(repr).to_numpy())
            out[column] = pd.Series(np.where(missing, "", text), dtype=object)
        elif dict in kinds:
            return None
        else:
            out[column] = values.map(
                lambda v: "|".join(map(_cell, v)) if isinstance(v, list) else _cell(v)
            ).where(~missing, "").astype(object)
    return pd.DataFrame(out)


def _ordered(frame: pd.DataFrame, first: str) -> pd.DataFrame:
    # Kumu's layout: the identifying columns first, as a spreadsheet has them.
    lead = ["ID", first, "To"] if first == "From" else ["ID", first]
    order = [c for c in lead if c in frame.columns]
    if first == "From" and "ID" in order:
        order.remove("ID")
    return frame[order + [c for c in frame.columns if c not in order]]


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


KUMU_JSON = Format(
    name="kumu-json",
    title="Kumu JSON blueprint (.json)",
    suffixes=(".json",),
    sniff=_sniff,
    read=_read,
    example="examples/kumu/two_cohorts_kumu.json",
    one_line="a Kumu JSON blueprint: `elements` (label, id, type, tags, fields) and "
             "`connections` (from, to, type, direction)",
)
