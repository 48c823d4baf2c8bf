"""``survey import``: responses + roster -> a survey dataset (egos, alters, alter ties, programme
ties), pseudonymised on the way in, with the response rate by cohort, sector and region.

Ids: every alum's roster ``person_id`` becomes ``HMAC(key, "person_id:" + id)`` (the same
pseudonym :func:`alumni_net.io.load_dataset` gives the roster with ``pseudonymise_ids``), names
and emails are used only to match answers to the roster and are never written. Contacts outside
the programme have no names at all: each gets an id scoped to its ego (``EGO-c1``, ``EGO-c2``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from alumni_net.errors import Problem, ValidationError
from alumni_net.io import Pseudonymiser, resolve_key
from alumni_net.survey._responses import Answers, parse_responses
from alumni_net.survey._roster import Roster, parse_roster
from alumni_net.survey._table import SUFFIXES, read_table_file
from alumni_net.survey.egodata import (
    ALTER_COLUMNS,
    ALTER_TIE_COLUMNS,
    EGO_COLUMNS,
    PEOPLE_COLUMNS,
    TIE_COLUMNS,
    EgoData,
    write_ego_data,
)
from alumni_net.survey.questions import Categories

__all__ = ["COURSE_MONTHS", "SurveyImport", "import_survey", "response_rates"]

#: A course runs about six months (five day sessions), so contacts made through it date from then.
COURSE_MONTHS = 6


@dataclass(frozen=True)
class SurveyImport:
    """The imported survey, its response rates and notes for the user."""

    data: EgoData
    response_rate: pd.DataFrame
    notes: tuple[str, ...]


def import_survey(
    responses: str | os.PathLike | pd.DataFrame,
    roster: str | os.PathLike | pd.DataFrame,
    out: str | os.PathLike | None = None,
    *,
    categories: Categories,
    key: bytes | str | os.PathLike | None = None,
    contacts: int | None = None,
    name: str | None = None,
) -> SurveyImport:
    """Read the responses (CSV or Excel, one row per respondent) with the roster into a dataset.

    Parameters
    ----------
    responses : the response workbook (the kit's ``responses.xlsx``/``.csv`` or a form tool's
        export whose column titles carry the question ids in brackets), or that table itself.
    roster : every alum: ``person_id`` and ``cohort`` required; ``cohort_start``,
        ``action_learning_set``, ``sector``, ``region``, ``role``, ``name``, ``email``,
        ``self_assessment_start`` and ``self_assessment_end`` (the course's own ratings) used
        when present (a file or the table itself).
    out : folder to write the dataset into (atomically); None writes nothing.
    categories : the options for sector, region and role (answers must be among them).
    key : pseudonymisation key (see :func:`alumni_net.io.resolve_key`).
    contacts : the number of contacts the form allowed (default: read from the columns).

    Raises
    ------
    ValidationError
        Every problem at once (file, row, column): answers naming alumni missing from the
        roster, duplicate respondents, counts that are not numbers, a roster without cohorts,
        options that are not among the categories. Nothing is written.
    """
    problems: list[Problem] = []
    roster_name, responses_name = _name(roster, "roster.csv"), _name(responses, "responses.csv")
    roster_frame = _read(roster, problems)
    response_frame = _read(responses, problems)
    parsed_roster = answers = None
    if roster_frame is not None:
        parsed_roster = parse_roster(roster_frame, Path(roster_name), categories, problems)
    if response_frame is not None and parsed_roster is not None:
        answers = parse_responses(response_frame, responses_name, parsed_roster,
                                  categories, problems, contacts)
    if problems or answers is None or parsed_roster is None:
        raise ValidationError(problems)
    secret, note = resolve_key(key)
    data = _build(parsed_roster, answers, Pseudonymiser(secret), categories,
                  name or (Path(out).name if out is not None else Path(responses_name).stem))
    rates = response_rates(data.people)
    notes = [note] if note else []
    if answers.ignored_columns:
        notes.append(f"ignored {len(answers.ignored_columns)} column(s) that are not questions of "
                     f"the kit: {', '.join(answers.ignored_columns[:8])}")
    if out is not None:
        write_ego_data(out, data, extra={"response_rate": rates})
    return SurveyImport(data, rates, tuple(notes))


def _name(source, default: str) -> str:
    return default if isinstance(source, pd.DataFrame) else Path(source).name


def _read(path, problems: list[Problem]) -> pd.DataFrame | None:
    if isinstance(path, pd.DataFrame):  # tables already in memory (a simulated survey)
        return path.astype(object).where(path.notna(), "").astype(str)
    path = Path(path)
    if path.is_dir():
        problems.append(Problem(str(path), None, None,
                                f"is a folder: give the table file ({', '.join(SUFFIXES)})"))
        return None
    return read_table_file(path, problems)


def _build(roster: Roster, answers: Answers, pseudo: Pseudonymiser, categories: Categories,
           name: str) -> EgoData:
    table = roster.table
    ids = np.array([pseudo.one(pid, "person_id") for pid in table["person_id"]], dtype=object)
    egos, alters, alter_ties = _ego_tables(table, ids, answers)
    people = _people(table, ids, egos)
    ties = _ties(table, ids, answers)
    meta = {
        "name": name,
        "contacts": answers.contacts,
        "categories": categories.to_dict(),
        "alumni": len(people),
        "respondents": len(egos),
        "generator": "alumni_net.survey.import_survey",
    }
    return EgoData(people, ties, egos, alters, alter_ties, meta)


def _ego_tables(table, ids, answers: Answers):
    ego_rows, alter_rows, tie_rows = [], [], []
    for ego, alters, pairs in zip(answers.egos, answers.alters, answers.pairs, strict=True):
        r = ego["_roster_row"]
        ego_id = ids[r]
        row = {"ego_id": ego_id, "cohort": table.at[r, "cohort"]}
        for col in ("sector", "region", "role"):
            row[col] = ego.get(col) or table.at[r, col]
        for col in EGO_COLUMNS[5:]:
            row.setdefault(col, ego.get(col))
        row["self_assessment_start"] = table.at[r, "self_assessment_start"]
        row["self_assessment_end"] = table.at[r, "self_assessment_end"]
        row["n_contacts"] = len(alters)
        ego_rows.append(row)
        slot_id = {}
        for a in alters:
            alter_id = f"{ego_id}-c{a['slot']}"
            slot_id[a["slot"]] = alter_id
            alter_rows.append({
                "alter_id": alter_id, "ego_id": ego_id, "sector": a.get("sector"),
                "region": a.get("region"), "role": a.get("role"),
                "same_organisation": a.get("same_org"),
                "met_through_programme": a.get("met_through_programme"),
                "contacts_other_orgs": a.get("their_contacts"),
                "practice": a.get("practice"), "practice_year": a.get("practice_year"),
                "through_ego": a.get("through_you"),
            })
        tie_rows += [{"ego_id": ego_id, "source": slot_id[a], "target": slot_id[b]}
                     for a, b in pairs]
    egos = _frame(ego_rows, EGO_COLUMNS)
    alters = _frame(alter_rows, ALTER_COLUMNS)
    return egos, alters, _frame(tie_rows, ALTER_TIE_COLUMNS)


def _frame(rows: list[dict], columns) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=list(columns))
    for col in ("same_organisation", "met_through_programme", "practice", "through_ego",
                "practising"):
        if col in frame:
            frame[col] = frame[col].astype("boolean")
    return frame


def _people(table, ids, egos: pd.DataFrame) -> pd.DataFrame:
    """Every alum; sector, region and role from the roster (known for respondents and the rest
    alike, so they can weight), else from the respondent's answer."""
    people = pd.DataFrame({"person_id": ids, "is_alum": True})
    for col in ("cohort", "cohort_start", "action_learning_set", "sector", "region", "role"):
        people[col] = table[col].to_numpy()
    answered = egos.set_index("ego_id")
    for col in ("sector", "region", "role"):
        fill = people["person_id"].map(answered[col]) if len(answered) else None
        if fill is not None:
            people[col] = people[col].where(people[col].notna(), fill)
    people["responded"] = people["person_id"].isin(set(egos["ego_id"]))
    return people[list(PEOPLE_COLUMNS)]


def _ties(table, ids, answers: Answers) -> pd.DataFrame:
    """Cohort and set ties from the roster (all pairs), and reported ties between alumni."""
    start = table["cohort_start"]
    rows = []
    cohorts = table.groupby("cohort", sort=False).indices
    for members in cohorts.values():
        for x in range(len(members)):
            for y in range(x + 1, len(members)):
                a, b = members[x], members[y]
                rows.append((a, b, "cohort", start.iloc[a]))
                sets = table.at[a, "action_learning_set"], table.at[b, "action_learning_set"]
                if sets[0] and sets[0] == sets[1]:
                    rows.append((a, b, "action_learning_set", start.iloc[a]))
    reported = set()
    for ego, named in zip(answers.egos, answers.alumni, strict=True):
        for other in named:
            reported.add((min(ego["_roster_row"], other), max(ego["_roster_row"], other)))
    course = pd.DateOffset(months=COURSE_MONTHS)
    for a, b in sorted(reported):
        since = max(start.iloc[a], start.iloc[b]) if start.iloc[[a, b]].notna().all() else pd.NaT
        rows.append((a, b, "post_course_contact", since + course if pd.notna(since) else pd.NaT))
    frame = pd.DataFrame(rows, columns=["a", "b", "kind", "since"])
    out = pd.DataFrame({
        "source": ids[frame["a"].to_numpy(int)] if len(frame) else [],
        "target": ids[frame["b"].to_numpy(int)] if len(frame) else [],
        "kind": frame["kind"], "weight": 1.0,
        "since": pd.to_datetime(frame["since"]).dt.strftime("%Y-%m-%d"),
    })
    return out[list(TIE_COLUMNS)]


def response_rates(people: pd.DataFrame) -> pd.DataFrame:
    """Alumni, respondents and the response rate by cohort, sector and region (and overall).

    Examples
    --------
    >>> p = pd.DataFrame({"cohort": [1, 1, 2], "sector": ["health", "voluntary", "health"],
    ...                   "region": ["london"] * 3, "responded": [True, False, True]})
    >>> response_rates(p).round(3).values.tolist()[:3]
    [['all', 'all', 3, 2, 0.667], ['cohort', '1', 2, 1, 0.5], ['cohort', '2', 1, 1, 1.0]]
    """
    parts = [pd.DataFrame({"group_type": ["all"], "group": ["all"], "alumni": [len(people)],
                           "respondents": [int(people["responded"].sum())]})]
    for col in ("cohort", "sector", "region"):
        grouped = people.groupby(people[col].astype("string").fillna("(unknown)"), sort=True)
        part = grouped["responded"].agg(["size", "sum"]).reset_index()
        part.columns = ["group", "alumni", "respondents"]
        parts.append(part.assign(group_type=col))
    out = pd.concat(parts, ignore_index=True)[["group_type", "group", "alumni", "respondents"]]
    out["respondents"] = out["respondents"].astype(int)
    out["response_rate"] = out["respondents"] / out["alumni"]
    return out
