"""``survey template``: the questionnaire, a paste-ready list of questions and the workbooks the
package reads back.

Files written (atomically) into the output folder:

- ``questionnaire.md``: the questionnaire as respondents read it, then, for the programme team,
  why each question is asked and where its answer goes in the data model;
- ``questions.txt``: one question per paragraph with its options, ready to paste into
  Microsoft Forms, Google Forms or Qualtrics (each title starts with its id in brackets, which
  the import uses to find the answers in the form's export);
- ``responses.xlsx`` (sheets ``responses``, ``roster``, ``options``, ``questions``) and
  ``responses.csv`` / ``roster.csv``: empty tables with the columns the import reads.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pandas as pd

from alumni_net.core.files import atomic_dir
from alumni_net.core.markdown import render_markdown
from alumni_net.core.tables import write_csv, write_workbook
from alumni_net.survey._roster import ROSTER_COLUMNS
from alumni_net.survey.questions import (
    ANSWERS,
    DEFAULT_CONTACTS,
    DEFAULT_PRACTICE,
    Categories,
    Question,
    questionnaire,
)

__all__ = ["TEMPLATE_FILES", "questions_text", "write_template"]

TEMPLATE_FILES = ("questionnaire.md", "questions.txt", "responses.xlsx", "responses.csv",
                  "roster.csv")
_YES_NO = {"yes_no": ("yes", "no"), "yes_no_unknown": ("yes", "no", "don't know")}
_INTROS = {
    "People outside the programme": (
        "Think of the people outside the programme you have worked with most in the last 12 "
        "months: colleagues in your organisation and partners in others, not other alumni. "
        "Describe up to {n} of them, each by initials or a number only."),
}


def write_template(out: str | os.PathLike, categories: Categories, *,
                   contacts: int = DEFAULT_CONTACTS, practice: str = DEFAULT_PRACTICE) -> Path:
    """Write the survey kit into ``out`` (see the module docstring); returns the folder."""
    if not 1 <= contacts <= 20:
        from alumni_net.errors import ConfigError

        raise ConfigError(f"contacts must be a whole number from 1 to 20, got {contacts!r}")
    qs = questionnaire(contacts, practice)
    columns = [q.id for q in qs]
    with atomic_dir(out) as tmp:
        (tmp / "questionnaire.md").write_text(_markdown(qs, categories, contacts, practice),
                                              encoding="utf-8")
        (tmp / "questions.txt").write_text(questions_text(qs, categories), encoding="utf-8")
        responses = pd.DataFrame(columns=columns)
        roster = pd.DataFrame(columns=list(ROSTER_COLUMNS))
        write_workbook({"responses": responses, "roster": roster,
                        "options": _options(categories), "questions": _question_table(qs)},
                       tmp / "responses.xlsx")
        write_csv(responses, tmp / "responses.csv")
        write_csv(roster, tmp / "roster.csv")
    return Path(out)


def _options_of(q: Question, categories: Categories) -> tuple[str, ...]:
    if q.choices:
        return (*categories.of(q.choices), "don't know") if q.id.startswith("contact") else \
            categories.of(q.choices)
    return _YES_NO.get(q.answer, ())


def questions_text(qs: tuple[Question, ...], categories: Categories) -> str:
    """Plain text: each question's title, then its options one per line (paste-ready).

    Examples
    --------
    >>> c = Categories(("health", "voluntary"), ("london",), ("manager",))
    >>> print(questions_text(questionnaire(1)[1:3], c), end="")
    [sector] In which sector do you work now?
    health
    voluntary
    <BLANKLINE>
    [region] In which region do you mainly work?
    london
    """
    blocks = []
    for q in qs:
        lines = [q.title, *_options_of(q, categories)]
        if q.answer in ("count", "scale", "year", "label", "identity"):
            lines.append(f"(answer: {ANSWERS[q.answer]})")
        if q.answer == "alumni":
            lines.append("(options: every alum's name as roster.csv writes it; several may be "
                         "chosen)")
        blocks.append("\n".join(lines) + "\n")
    return "\n".join(blocks)


def _markdown(qs, categories, contacts, practice) -> str:
    sections: list[dict[str, Any]] = []
    number = 0
    for q in qs:
        if not sections or sections[-1]["title"] != q.section:
            intro = _INTROS.get(q.section, "").format(n=contacts)
            sections.append({"title": q.section, "intro": intro, "questions": []})
        number += 1
        sections[-1]["questions"].append({
            "number": number, "id": q.id, "text": q.text, "answer": ANSWERS[q.answer],
            "options": _options_of(q, categories) if q.choices else (),
        })
    rows = [[f"[{q.id}]", q.why, q.maps_to] for q in qs
            if not q.id.startswith(("contact", "knows")) or q.id.startswith("contact1_")
            or q.id == "knows_1_2"]
    return render_markdown("questionnaire.md.j2", sections=sections, rows=rows,
                           contacts=contacts, practice=practice)


def _options(categories: Categories) -> pd.DataFrame:
    cols = categories.to_dict()
    n = max(len(v) for v in cols.values())
    return pd.DataFrame({k: list(v) + [""] * (n - len(v)) for k, v in cols.items()})


def _question_table(qs) -> pd.DataFrame:
    return pd.DataFrame({
        "id": [q.id for q in qs], "question": [q.text for q in qs],
        "answer": [ANSWERS[q.answer] for q in qs], "why": [q.why for q in qs],
        "where_it_goes": [q.maps_to for q in qs],
    })
