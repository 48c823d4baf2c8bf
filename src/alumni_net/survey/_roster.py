"""The programme's roster: who was in which cohort and action learning set (every alum)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from alumni_net.errors import Problem
from alumni_net.survey._values import Cell, normalise, parse_answer
from alumni_net.survey.questions import Categories

__all__ = ["ROSTER_COLUMNS", "Roster", "parse_roster"]

#: Columns a roster may hold; ``person_id`` and ``cohort`` are required.
ROSTER_COLUMNS = ("person_id", "name", "email", "cohort", "cohort_start", "action_learning_set",
                  "sector", "region", "role", "self_assessment_start", "self_assessment_end")


@dataclass(frozen=True)
class Roster:
    """Every alum: ``table`` (typed, in roster order) and ``lookup``: normalised person_id,
    email or name -> row positions (a name two alumni share maps to both)."""

    table: pd.DataFrame
    lookup: dict[str, list[int]]

    def find(self, text: str) -> list[int]:
        return self.lookup.get(normalise(text), [])


def parse_roster(frame: pd.DataFrame, path: Path, categories: Categories,
                 problems: list[Problem]) -> Roster | None:
    """Check and type the roster; None when a required column is missing."""
    file = path.name
    frame.columns = [normalise(c) for c in frame.columns]
    missing = [c for c in ("person_id", "cohort") if c not in frame.columns]
    for col in missing:
        why = ("every alum needs a cohort (the roster has no cohort column)" if col == "cohort"
               else "required column is missing")
        problems.append(Problem(file, 1, col, why))
    if missing:
        return None
    out: dict[str, list] = {c: [] for c in ROSTER_COLUMNS}
    seen: dict[str, int] = {}
    for i, row in enumerate(frame.to_dict("records"), start=2):
        pid = str(row["person_id"]).strip()
        if not pid:
            problems.append(Problem(file, i, "person_id", "person_id is empty"))
        elif normalise(pid) in seen:
            problems.append(Problem(file, i, "person_id",
                                    f"'{pid}' is already on row {seen[normalise(pid)]}"))
        else:
            seen[normalise(pid)] = i
        if not str(row["cohort"]).strip():
            problems.append(Problem(file, i, "cohort", "the cohort is empty: every alum needs one"))
        for col in ROSTER_COLUMNS:
            out[col].append(_value(row, col, Cell(file, i, col, problems), categories))
    table = pd.DataFrame(out)
    table["cohort_start"] = pd.to_datetime(table["cohort_start"])
    lookup: dict[str, list[int]] = {}
    for pos, row in enumerate(table.itertuples(index=False)):
        keys = {normalise(v) for v in (row.person_id, row.email, row.name) if v}
        for key in keys:
            lookup.setdefault(key, []).append(pos)
    return Roster(table, lookup)


def _value(row: dict, col: str, cell: Cell, categories: Categories):
    text = str(row.get(col, "") or "").strip()
    if col in ("sector", "region", "role"):
        return parse_answer(text, "choice", cell, categories.of(col))
    if col.startswith("self_assessment"):
        return parse_answer(text, "scale", cell)
    if col == "cohort_start":
        return _date(text, cell)
    return text or None


def _date(text: str, cell: Cell):
    if not text:
        return None
    if text.isdigit() and len(text) == 4:
        return pd.Timestamp(f"{text}-01-01")
    try:
        return pd.Timestamp(text)
    except ValueError:
        cell.problem(f"'{text}' is not a date: write YYYY-MM-DD or a year")
        return None
