"""Polinode workbooks: a network (``Nodes`` + ``Edges``) and a survey export.

Polinode's guide ("Networks", docs.polinode.com) takes an Excel workbook with a ``Nodes`` sheet
(``Name`` first, then node attributes) and an ``Edges`` sheet (``Source`` and ``Target``, naming
nodes by Name, then edge attributes such as ``Type`` or ``Weight``). Its survey export holds a
``Node Attributes`` sheet (``Name`` and the respondents' attributes) and one sheet per
relationship question (``Relationship Question 1``, ...) of ``Source``/``Target`` rows: the
question's sheet name becomes the ties' kind. Polinode's public guide does not show the survey
export's columns; this reader takes the layout the issue (14) describes and says which sheet
or column it missed when a file differs.

Names are people's names: ``Name`` is kept as ``name`` (pseudonymised on load) and people get
ids 1, 2, ... (or the ``Id`` column when there is one). Matching, duplicate names and a Target
naming nobody are handled as for Kumu (:mod:`alumni_net.io.formats.kumu`); edges are directed
(Source named Target) unless an edge ``Direction`` column says otherwise.
"""

from __future__ import annotations

import re
from pathlib import Path

from alumni_net.errors import Problem
from alumni_net.io.formats.base import Format, Sheet, read_sheets, sheet_names
from alumni_net.io.formats.kumu import read_kumu_tables
from alumni_net.io.toolkit import ReadOptions, Tables

__all__ = ["POLINODE", "POLINODE_SURVEY"]

_WORDS = {"Label": "Name", "ID": "Id", "From": "Source", "To": "Target"}
_QUESTION = re.compile(r"^relationship question\s*\d+", re.IGNORECASE)


def _sniff_network(path: Path) -> bool:
    return {"nodes", "edges"} <= set(sheet_names(path))


def _sniff_survey(path: Path) -> bool:
    names = sheet_names(path)
    return "node attributes" in names and any(_QUESTION.match(n) for n in names)


def _as_kumu(sheet: Sheet, kind: str, problems: list[Problem], question: str | None = None
             ) -> Sheet | None:
    """A Polinode sheet in Kumu's layout (Name -> Label, Source/Target -> From/To)."""
    frame = sheet.frame.copy()
    lower = {str(c).strip().lower(): c for c in frame.columns}
    need = ["name"] if kind == "nodes" else ["source", "target"]
    missing = [n for n in need if n not in lower]
    if missing:
        problems.append(Problem(sheet.where, 1, None,
                                f"has no {' or '.join(m.title() for m in missing)} column "
                                f"(its columns: {', '.join(map(str, frame.columns))})"))
        return None
    rename = {lower["name"]: "Label"} if kind == "nodes" else {
        lower["source"]: "From", lower["target"]: "To"}
    if kind == "nodes" and "id" in lower:
        rename[lower["id"]] = "ID"
    frame = frame.rename(columns=rename)
    if question is not None and "type" not in lower:
        frame["Type"] = question
    lead = (["ID", "Label"] if "ID" in frame.columns else ["Label"]) if kind == "nodes" else [
        "From", "To"]
    frame = frame[lead + [c for c in frame.columns if c not in lead]]
    return Sheet(sheet.name, frame, sheet.where, sheet.first_row)


def _read_network(path: Path, options: ReadOptions, problems: list[Problem]) -> Tables | None:
    notes: list[str] = []
    sheets = read_sheets(path, options, problems, notes)
    if sheets is None:
        return None
    by_name = {s.name.strip().lower(): s for s in sheets}
    for need in ("nodes", "edges"):
        if need not in by_name:
            problems.append(Problem(path.name, None, None,
                                    f"has no '{need.title()}' sheet (Polinode's layout: Nodes "
                                    "and Edges)"))
    if problems:
        return None
    found = [_as_kumu(by_name["nodes"], "nodes", problems),
             _as_kumu(by_name["edges"], "edges", problems)]
    kumu = [s for s in found if s is not None]
    if problems or len(kumu) < len(found):
        return None
    return read_kumu_tables(path, kumu, problems, notes, words=_WORDS)


def _read_survey(path: Path, options: ReadOptions, problems: list[Problem]) -> Tables | None:
    notes: list[str] = []
    sheets = read_sheets(path, options, problems, notes)
    if sheets is None:
        return None
    nodes = [s for s in sheets if s.name.strip().lower() == "node attributes"]
    questions = [s for s in sheets if _QUESTION.match(s.name.strip())]
    if not nodes or not questions:
        problems.append(Problem(path.name, None, None,
                                "has no 'Node Attributes' sheet or no 'Relationship Question' "
                                "sheet (Polinode's survey export)"))
        return None
    found = [_as_kumu(nodes[0], "nodes", problems)]
    found += [_as_kumu(q, "edges", problems, question=_kind(q.name)) for q in questions]
    kumu = [s for s in found if s is not None]
    if problems or len(kumu) < len(found):
        return None
    return read_kumu_tables(path, kumu, problems, notes, words=_WORDS)


def _kind(sheet_name: str) -> str:
    return re.sub(r"\W+", "_", sheet_name.strip().lower()).strip("_")


POLINODE = Format(
    name="polinode",
    title="Polinode network workbook (.xlsx)",
    suffixes=(".xlsx", ".xlsm", ".xls", ".ods"),
    sniff=_sniff_network,
    read=_read_network,
    example="examples/polinode/physicians_polinode.xlsx",
    one_line="a Polinode workbook: sheet `Nodes` (`Name` + attributes) and sheet `Edges` "
             "(`Source`, `Target` + attributes)",
)

POLINODE_SURVEY = Format(
    name="polinode-survey",
    title="Polinode survey export (.xlsx)",
    suffixes=(".xlsx", ".xlsm", ".xls", ".ods"),
    sniff=_sniff_survey,
    read=_read_survey,
    example="examples/polinode/physicians_polinode_survey.xlsx",
    one_line="a Polinode survey export: sheet `Node Attributes` and one sheet per "
             "`Relationship Question n` (`Source`, `Target`)",
)
