"""Kumu spreadsheets (.xlsx, .csv), read as Kumu's importer reads them.

Kumu's guide "Structure your data for Kumu" (docs.kumu.io/guides/import) sets the layout:

- an **element** sheet has ``Label`` in A1 (or ``ID`` in A1 and ``Label`` beside it), then
  optional ``Type``, ``Description``, ``Tags`` and custom fields;
- a **connection** sheet has ``From`` in A1 and ``To`` in B1 (or ``ID`` first), then optional
  ``Type``, ``Direction`` (directed, undirected, mutual), ``Strength``, ``Tags`` and custom
  fields; ``A | B | C`` in a To cell draws a connection to each;
- a sheet whose name contains ``(ignore)`` is skipped.

Matching follows "How do I avoid duplicating data?": elements are told apart by ``Label``, by
``Label`` + ``Type`` when there is a Type column, or by ``ID`` when there is one (then From and To
hold IDs). Kumu silently merges two rows with the same label; here they are refused with the
rows named, since two people of the same name would otherwise become one. A connection sheet
alone makes its elements from the labels it names.

People's ids are the element IDs, or 1, 2, ... in order of appearance; every ``Label`` (a
person's name, usually) is kept as ``name`` and so pseudonymised on load. ``Type`` and ``Tags``
are kept as ``type`` and ``tags``; custom fields named like the schema (``Sector``, ``Cohort``)
are those columns. Connections are directed unless a ``Direction`` column says otherwise
(Kumu draws arrows by default); a ``mutual`` connection in directed data is a tie each way. A
numeric ``Strength`` is the tie's weight (text, such as "strong", is kept as ``strength``).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from alumni_net.errors import Problem
from alumni_net.io.formats._graph import LIST_SEP, split_kinds
from alumni_net.io.formats.base import (
    Format,
    Sheet,
    peek_headers,
    read_sheets,
)
from alumni_net.io.toolkit import ReadOptions, Table, Tables, match_headers

__all__ = ["KUMU", "WORDS", "read_kumu_tables"]

_FAN = "|"


def _kind(sheet: Sheet) -> str | None:
    head = [str(c).strip().lower() for c in list(sheet.frame.columns)[:3]]
    if head[:1] == ["label"] or head[:2] == ["id", "label"]:
        return "elements"
    if head[:2] == ["from", "to"] or head[:3] == ["id", "from", "to"]:
        return "connections"
    return None


def _sniff(path: Path) -> bool:
    for head in peek_headers(path):
        if head[:1] == ["label"] or head[:2] in (["id", "label"], ["from", "to"]) or head[:3] == [
                "id", "from", "to"]:
            return True
    return False


def _skip(name: str) -> bool:
    return "(ignore)" in name.lower()


def _read(path: Path, options: ReadOptions, problems: list[Problem]) -> Tables | None:
    notes: list[str] = []
    sheets = read_sheets(path, options, problems, notes, skip=_skip)
    if sheets is None:
        return None
    return read_kumu_tables(path, sheets, problems, notes)


#: The words of Kumu's layout, for messages; Polinode's reader names its own.
WORDS = {"Label": "Label", "ID": "ID", "From": "From", "To": "To", "Type": "Type",
         "Strength": "Strength"}


def read_kumu_tables(path: Path, sheets: list[Sheet], problems: list[Problem],
                     notes: list[str], words: dict | None = None,
                     directed: bool = True) -> Tables | None:
    """Kumu element and connection sheets (already read) as tables; ``words`` names the columns
    in messages as the format names them; ``directed`` is the default direction."""
    words = {**WORDS, **(words or {})}
    elements: list[Sheet] = []
    connections: list[Sheet] = []
    for sheet in sheets:
        kind = _kind(sheet)
        if kind is None:
            problems.append(Problem(sheet.where, 1, None,
                                    "is neither a Kumu element sheet (Label in A1) nor a "
                                    "connection sheet (From in A1, To in B1); add (ignore) to the "
                                    "sheet's name to skip it"))
        (elements if kind == "elements" else connections if kind else []).append(sheet)
    if not connections and not problems:
        problems.append(Problem(path.name, None, None,
                                "has Kumu elements but no connection sheet (From in A1, To in "
                                "B1); a network needs ties"))
    if problems:
        return None
    people, lookup = _elements(elements, problems, words) if elements else (None, None)
    if problems:  # people who cannot be told apart: matching ties to them would only mislead
        return None
    result = _connections(connections, lookup, problems, words, directed)
    if problems or result is None:
        return None
    ties, meta = result
    if people is None:
        people = ties.attrs["implicit_people"]
    rows = ties.attrs["rows"]
    headers = {"person_id": words["ID"], "name": words["Label"], "type": "Type", "tags": "Tags"}
    people_table = Table(people.astype(object), people.attrs["where"], people.attrs["rows"],
                         headers=headers, wheres=people.attrs.get("wheres"))
    ties_table = Table(ties.astype(object), ties.attrs["where"], rows,
                       wheres=ties.attrs.get("wheres"),
                       headers={"source": words["From"], "target": words["To"],
                                "kind": words["Type"], "weight": words["Strength"]})
    return Tables(people_table, ties_table, files=[path], meta=meta, notes=notes,
                  labels=("name",))


def _holds(column: pd.Series, part: str) -> bool:
    """Whether any cell holds ``part``: one search of the column joined, where ``.str.contains``
    on a column of objects calls Python once a cell (a second on a million connections)."""
    if column.dtype != object:  # pandas' string type searches in C already
        return bool(column.str.contains(part, regex=False).any())
    try:
        return part in "\x00".join(column.to_numpy())
    except TypeError:  # a cell that is not text
        return bool(column.astype(str).str.contains(part, regex=False).any())


def _elements(sheets: list[Sheet], problems: list[Problem], words: dict):
    """People from element sheets, and the ids each From/To text may name."""
    frames = []
    for sheet in sheets:
        frame = sheet.frame.copy()
        names, _ = match_headers(list(frame.columns), "people")
        lowered = [str(c).strip().lower() for c in frame.columns]
        renamed = {"label": "name", "id": "person_id", "type": "type", "tags": "tags",
                   "description": "description"}
        frame.columns = [renamed.get(low, name) for low, name in zip(lowered, names, strict=True)]
        frame["__where"] = sheet.where
        frame["__row"] = np.arange(len(frame)) + sheet.first_row
        frames.append(frame)
    people = pd.concat(frames, ignore_index=True).fillna("")
    by_id = "person_id" in people.columns
    typed = "type" in people.columns and not by_id
    what = words["ID"] if by_id else words["Label"]
    key = people["person_id"] if by_id else people["name"]
    if typed:
        key = key + "\x1f" + people["type"]
    for i in np.flatnonzero((people["person_id"] if by_id else people["name"]).eq("").to_numpy()):
        problems.append(Problem(people["__where"].iat[i], int(people["__row"].iat[i]), what,
                                f"{what} is empty"))
    dup = key.duplicated() & (key != "")
    if dup.any():
        first = key.drop_duplicates().reset_index().set_index(key.name or 0)["index"]
        for i in np.flatnonzero(dup.to_numpy()):
            j = first[key.iat[i]]
            both = what + (f" and {words['Type']}" if typed else "")
            problems.append(Problem(
                people["__where"].iat[i], int(people["__row"].iat[i]), what,
                f"{both} '{key.iat[i].split(chr(31))[0]}' already appears in row "
                f"{people['__row'].iat[j]}; two rows would become one person, so give each "
                f"person an {words['ID']} column, or remove one row"))
    if not by_id:
        codes, _ = pd.factorize(key)
        people.insert(0, "person_id", (codes + 1).astype(str))
    rows, where = people["__row"].to_numpy(), people["__where"].iat[0]
    wheres = people["__where"].to_numpy() if people["__where"].nunique() > 1 else None
    out = people.drop(columns=["__where", "__row"])
    if by_id and "name" in out.columns and (out["name"] == out["person_id"]).all():
        out = out.drop(columns=["name"])  # labels that are the ids (the package's export)
    out.attrs.update(rows=rows, where=where, wheres=wheres)
    texts = out["person_id"] if by_id or "name" not in out.columns else out["name"]
    return out, pd.DataFrame({"text": texts, "id": out["person_id"]})


def _connections(sheets: list[Sheet], lookup, problems: list[Problem], words: dict,
                 directed: bool):
    frames = []
    for sheet in sheets:
        frame = sheet.frame.copy()
        names, _ = match_headers(list(frame.columns), "ties")
        special = {"from": "source", "to": "target", "type": "kind", "strength": "strength",
                   "direction": "direction", "tags": "tags", "id": "__id"}
        frame.columns = [special.get(str(c).strip().lower(), n)
                         for c, n in zip(frame.columns, names, strict=True)]
        frame["__where"] = sheet.where
        frame["__row"] = np.arange(len(frame)) + sheet.first_row
        frames.append(frame.drop(columns=["__id"], errors="ignore"))
    ties = pd.concat(frames, ignore_index=True).fillna("")
    if ties.empty:
        problems.append(Problem(sheets[0].where, None, None, "has no connection rows"))
        return None
    if _holds(ties["target"], _FAN):  # A | B | C: one tie to each
        ties["target"] = ties["target"].str.split(_FAN, regex=False)
        ties = ties.explode("target", ignore_index=True)
        ties["target"] = ties["target"].str.strip()
    implicit = None
    if lookup is None:  # a connection sheet alone: its labels are the people
        labels = pd.concat([ties["source"], ties["target"]])
        codes, uniques = pd.factorize(labels[labels != ""])
        implicit = pd.DataFrame({"person_id": (np.arange(len(uniques)) + 1).astype(str),
                                 "name": uniques})
        implicit.attrs.update(rows=None, where=sheets[0].where)
        lookup = pd.DataFrame({"text": implicit["name"], "id": implicit["person_id"]})
    counts = lookup["text"].value_counts()
    single = lookup.drop_duplicates("text", keep=False).set_index("text")["id"]
    for end, column in (("source", words["From"]), ("target", words["To"])):
        text = ties[end]
        ids = text.map(single)
        for i in np.flatnonzero(ids.isna().to_numpy()):
            value = text.iat[i]
            if value == "":
                message = f"{column} is empty"
            elif value in counts.index:
                message = (f"'{value}' is the {words['Label']} of {counts[value]} elements of "
                           f"different types; give the elements an {words['ID']} column and use "
                           f"the IDs in {words['From']} and {words['To']}")
            else:
                message = (f"'{value}' names no one: it is not the {words['Label']} (or "
                           f"{words['ID']}) of any row of the people sheet")
            problems.append(Problem(ties["__where"].iat[i], int(ties["__row"].iat[i]), column,
                                    message))
        ties[end] = ids.astype(object).where(ids.notna(), "")
    meta, ties = _direction(ties, problems, directed, words)
    if "kind" in ties.columns and _holds(ties["kind"], LIST_SEP):
        # Several kinds on one connection (as the package's export writes a pair's kinds).
        ties, _ = split_kinds(ties, np.zeros(len(ties)), column="kind")
    if "strength" in ties.columns and "weight" not in ties.columns:
        given = ties["strength"] != ""
        numeric = pd.to_numeric(ties["strength"].where(given), errors="coerce")
        if numeric[given].notna().all():
            ties = ties.rename(columns={"strength": "weight"})
    rows, where = ties["__row"].to_numpy(), ties["__where"].iat[0]
    wheres = ties["__where"].to_numpy() if ties["__where"].nunique() > 1 else None
    ties = ties.drop(columns=["__where", "__row"])
    ties.attrs.update(rows=rows, where=where, wheres=wheres, implicit_people=implicit)
    return ties, meta


def _direction(ties: pd.DataFrame, problems, default: bool, words: dict):
    """Kumu's Direction column: directed data unless every connection is undirected or mutual;
    in directed data an undirected or mutual connection is a tie each way."""
    if "direction" not in ties.columns:
        return {"directed": default}, ties
    value = ties["direction"].str.strip().str.lower().replace("", "directed")
    bad = ~value.isin(["directed", "undirected", "mutual"])
    for i in np.flatnonzero(bad.to_numpy()):
        problems.append(Problem(ties["__where"].iat[i], int(ties["__row"].iat[i]), "Direction",
                                "Direction must be directed, undirected or mutual"))
    directed = bool((value == "directed").any())
    ties = ties.drop(columns=["direction"])
    if not directed:
        return {"directed": False}, ties
    back = ties[(value != "directed").to_numpy()].rename(
        columns={"source": "target", "target": "source"})
    return {"directed": True}, pd.concat([ties, back[ties.columns]], ignore_index=True)


KUMU = Format(
    name="kumu",
    title="Kumu spreadsheet (.xlsx, .csv)",
    suffixes=(".xlsx", ".xlsm", ".xls", ".ods", ".csv"),
    sniff=_sniff,
    read=_read,
    example="examples/kumu/lawyers_kumu.xlsx",
    one_line="a Kumu workbook or CSV: element sheets with `Label` in A1 (optional `ID` first), "
             "connection sheets with `From`/`To` in A1/B1",
)
