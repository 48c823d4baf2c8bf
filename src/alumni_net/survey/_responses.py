"""The response workbook (one row per respondent, one column per question) read into records.

Columns are found by the question id in square brackets anywhere in the title (``[sector]
Which sector ...``, as the kit's questions read), or by the bare id (the kit's own workbook).
Form tools' own columns (start time, a response number) are ignored; their "Email" column is the
respondent's identity when the form recorded it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import combinations

import pandas as pd

from alumni_net.errors import Problem
from alumni_net.survey._roster import Roster
from alumni_net.survey._values import Cell, normalise, parse_answer, split_choices
from alumni_net.survey.questions import (
    CONTACT_FIELDS,
    Categories,
    Question,
    contact_column,
    pair_column,
    questionnaire,
)

__all__ = ["Answers", "parse_responses"]

_BRACKETED = re.compile(r"\[([A-Za-z0-9_]+)\]")
_CONTACT = re.compile(r"^contact(\d+)_")
#: Titles form tools give the respondent's identity.
_IDENTITY = {"identity", "email", "e_mail", "email_address", "person_id", "respondent"}


@dataclass
class Answers:
    """Parsed responses: one record per respondent (roster row and answers), the contacts each
    described, the pairs of contacts who know each other, and the alumni each named."""

    egos: list[dict] = field(default_factory=list)
    alters: list[list[dict]] = field(default_factory=list)
    pairs: list[list[tuple[int, int]]] = field(default_factory=list)
    alumni: list[list[int]] = field(default_factory=list)
    contacts: int = 0
    ignored_columns: list[str] = field(default_factory=list)


def parse_responses(frame: pd.DataFrame, file: str, roster: Roster, categories: Categories,
                    problems: list[Problem], contacts: int | None = None) -> Answers | None:
    """Every response row checked; problems name the file, the spreadsheet row and the column."""
    columns, ignored = _columns(frame, file, problems)
    if "identity" not in columns.values():
        problems.append(Problem(file, 1, "identity", "no column says who answered: add the "
                                "respondent's email or roster person_id ([identity])"))
        return None
    n = contacts if contacts is not None else _n_contacts(columns.values())
    questions = {q.id: q for q in questionnaire(n)}
    frame = frame.rename(columns=columns)[[c for c in columns.values()]]
    out = Answers(contacts=n, ignored_columns=ignored)
    seen: dict[int, int] = {}
    for i, row in enumerate(frame.to_dict("records"), start=2):
        ego = _ego(row, i, file, roster, questions, categories, problems, seen)
        if ego is None:
            continue
        out.egos.append(ego)
        alters, slots = _alters(row, i, file, n, questions, categories, problems)
        out.alters.append(alters)
        out.pairs.append(_pairs(row, i, file, n, slots, problems))
        out.alumni.append(_alumni(row, i, file, roster, ego["_roster_row"], problems))
    return out


def _columns(frame: pd.DataFrame, file: str, problems: list[Problem]):
    """Title -> question id, for the titles that carry one; the rest are ignored."""
    known = {q.id for q in questionnaire(50)}
    found: dict[str, str] = {}
    ignored = []
    for title in frame.columns:
        match = _BRACKETED.search(str(title))
        qid = match.group(1) if match else normalise(title)
        qid = "identity" if qid in _IDENTITY else qid
        if qid not in known:
            ignored.append(str(title))
            continue
        if qid in found.values():
            problems.append(Problem(file, 1, str(title), f"a second column for question [{qid}]"))
            continue
        found[title] = qid
    return found, ignored


def _n_contacts(ids) -> int:
    slots = [int(m.group(1)) for q in ids if (m := _CONTACT.match(q))]
    return max(slots, default=0)


def _answer(row, qid, i, file, questions, categories, problems):
    q: Question = questions[qid]
    options = categories.of(q.choices) if q.choices else ()
    return parse_answer(row.get(qid, "") or "", q.answer, Cell(file, i, qid, problems), options)


def _ego(row, i, file, roster, questions, categories, problems, seen) -> dict | None:
    who = str(row.get("identity", "") or "").strip()
    if not who:
        problems.append(Problem(file, i, "identity", "says nobody: who answered is empty"))
        return None
    rows = roster.find(who)
    if len(rows) != 1:
        what = "is not in the roster" if not rows else "matches several alumni in the roster"
        problems.append(Problem(file, i, "identity", f"'{who}' {what}"))
        return None
    if rows[0] in seen:
        problems.append(Problem(file, i, "identity",
                                f"'{who}' answered already on row {seen[rows[0]]} (a duplicate "
                                "respondent: keep one response)"))
        return None
    seen[rows[0]] = i
    ego = {"_roster_row": rows[0]}
    for qid in ("sector", "region", "role", "self_assessment_now", "practising",
                "practising_since", "know_own_org", "know_other_orgs", "shared_own_org",
                "shared_other_orgs"):
        if qid in row:
            ego[qid] = _answer(row, qid, i, file, questions, categories, problems)
    return ego


def _alters(row, i, file, n, questions, categories, problems):
    alters, slots = [], []
    for k in range(1, n + 1):
        cols = [contact_column(k, f) for f in CONTACT_FIELDS]
        if not any(str(row.get(c, "") or "").strip() for c in cols):
            continue
        alter = {"slot": k}
        for f, c in zip(CONTACT_FIELDS, cols, strict=True):
            if f != "label" and c in row:  # the label is never kept: it may be initials
                alter[f] = _answer(row, c, i, file, questions, categories, problems)
        alters.append(alter)
        slots.append(k)
    return alters, slots


def _pairs(row, i, file, n, slots, problems) -> list[tuple[int, int]]:
    pairs = []
    for a, b in combinations(range(1, n + 1), 2):
        col = pair_column(a, b)
        value = parse_answer(row.get(col, "") or "", "yes_no", Cell(file, i, col, problems))
        if value and a in slots and b in slots:
            pairs.append((a, b))
    return pairs


def _alumni(row, i, file, roster, me, problems) -> list[int]:
    text = str(row.get("alumni_contacts", "") or "")
    named = []
    for item in split_choices(text):
        rows = roster.find(item)
        if len(rows) != 1:
            what = ("is not in the roster" if not rows
                    else "matches several alumni in the roster (make the names unique)")
            problems.append(Problem(file, i, "alumni_contacts", f"'{item}' {what}"))
        elif rows[0] != me and rows[0] not in named:
            named.append(rows[0])
    return named
