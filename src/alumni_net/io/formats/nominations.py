"""Wide nomination surveys, as netdiffuseR's ``survey_to_diffnet`` reads them (.csv, .xlsx).

One row per respondent: an id column, nomination columns (``friend1``, ``friend2``, ... or
``net1_1`` ... ``net3_3``: the columns sharing a stem are one question, the stem is the ties'
kind), and optionally a group column (ids unique only within a group: a city, a school) and an
adoption-time column (``toa`` or ``adoption_time``). Any other column is an attribute.

As in ``survey_to_diffnet`` (netdiffuseR, Valente & Vega Yon): with a group, integer ids become
``group * 10^d + id`` (``d`` the digits of the largest id), so the 125 physicians of Medical
Innovation get the ids ``city*1000 + id`` netdiffuseR gives them; other ids become
``group-id``. Nominees who did not answer the survey are dropped (netdiffuseR's
``no.unsurveyed = TRUE``) or kept as people without attributes (``unsurveyed = "keep"``), and
counted either way in a note; self-nominations and a nominee named twice for one question are
dropped and counted (netdiffuseR's ``self = FALSE``, ``multiple = FALSE``). Ties are directed:
the respondent named the nominee.

Columns are found by name, or named in the file's settings (``NAME.toml`` or ``dataset.toml``)::

    [nominations]
    id = "id"
    group = "city"
    adoption_time = "toa"
    questions = { advice = ["net1_1", "net1_2", "net1_3"] }   # else found from their names
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from alumni_net.errors import ConfigError, Problem
from alumni_net.io.formats.base import Format, peek_headers, read_sheets
from alumni_net.io.toolkit import ReadOptions, Table, Tables, match_headers

__all__ = ["NOMINATIONS", "nomination_columns"]

_NUMBERED = re.compile(r"^(.*?)[ _.\-]?(\d{1,2})$")
_IDS = ("id", "person_id", "respondent", "respondent_id", "idvar")
_TIMES = ("adoption_time", "toa")


def nomination_columns(headers: list[str]) -> dict[str, list[str]]:
    """Columns that share a stem and end in a number, by stem (two or more per stem).

    Examples
    --------
    >>> nomination_columns(["id", "friend1", "friend2", "net1_1", "net1_2", "age", "yr1"])
    {'friend': ['friend1', 'friend2'], 'net1': ['net1_1', 'net1_2']}
    """
    stems: dict[str, list[str]] = {}
    for h in headers:
        match = _NUMBERED.match(str(h).strip())
        if match and any(ch.isalpha() for ch in match.group(1)):
            stems.setdefault(match.group(1).rstrip("_ .-"), []).append(h)
    return {k: v for k, v in stems.items() if len(v) >= 2}


def _settings(options: ReadOptions) -> dict:
    settings = options.settings.get("nominations", {})
    if not isinstance(settings, dict):
        raise ConfigError("[nominations] in the settings must be a table")
    return settings


def _sniff(path: Path) -> bool:
    for head in peek_headers(path, 200):
        if any(h in _IDS for h in head) and nomination_columns(head):
            return True
    return False


def _read(path: Path, options: ReadOptions, problems: list[Problem]) -> Tables | None:
    notes: list[str] = []
    settings = _settings(options)
    sheets = read_sheets(path, options, problems, notes)
    if not sheets:
        if sheets is not None:
            problems.append(Problem(path.name, None, None, "is empty"))
        return None
    sheet = sheets[0]
    frame = sheet.frame
    columns = {str(c).strip(): c for c in frame.columns}
    lower = {k.lower(): k for k in columns}
    id_col = settings.get("id") or next((lower[k] for k in _IDS if k in lower), None)
    group = settings.get("group") or lower.get("group")
    toa = settings.get("adoption_time") or next((lower[k] for k in _TIMES if k in lower), None)
    questions = settings.get("questions") or nomination_columns(list(columns))
    named = [c for c in (id_col, group, toa, *[q for qs in questions.values() for q in qs]) if c]
    for col in named:
        if col not in columns:
            problems.append(Problem(sheet.where, 1, col, "column named in the settings is not "
                                    "in the header" if settings else "column not found"))
    if id_col is None:
        problems.append(Problem(sheet.where, 1, None, "has no id column (id, or name it with "
                                "[nominations] id = \"...\" in the settings)"))
    if not questions:
        problems.append(Problem(sheet.where, 1, None, "has no nomination columns (friend1, "
                                "friend2, ...; or name them with [nominations] questions)"))
    if problems:
        return None
    frame = frame.rename(columns={v: k for k, v in columns.items()})
    return _tables(path, sheet.where, frame, id_col, group, toa, questions, options, notes,
                   problems)


def _digits(ids: pd.Series, groups: pd.Series | None) -> int | None:
    """netdiffuseR's ``d``: the digits of the largest respondent id, when ids and groups are
    integers (else None: ids become ``group-id``)."""
    given = ids != ""
    if groups is None or not given.any():
        return None
    numeric = ids.str.fullmatch(r"\d+") & groups.str.fullmatch(r"\d+")
    return len(str(ids[given].astype(np.int64).max())) if numeric[given].all() else None


def _combined(ids: pd.Series, groups: pd.Series | None, digits: int | None) -> pd.Series:
    """netdiffuseR's ids: ``group * 10^d + id`` for integers, else ``group-id``."""
    if groups is None:
        return ids
    given = ids != ""
    numeric = ids.str.fullmatch(r"\d+").fillna(False)
    if digits is not None and numeric[given].all():
        out = groups.where(given, "0").astype(np.int64) * 10**digits + ids.where(
            given, "0").astype(np.int64)
        return out.astype(str).where(given, "")
    return (groups + "-" + ids).where(given, "")


def _tables(path, where, frame, id_col, group, toa, questions, options, notes, problems):
    ids = frame[id_col].str.strip()
    groups = frame[group].str.strip() if group else None
    digits = _digits(ids, groups)
    person = _combined(ids, groups, digits)
    dup = person.duplicated() & (person != "")
    for i in np.flatnonzero(dup.to_numpy()):
        hint = "" if group else (" (if ids are unique only within a group, such as a city, name "
                                 "it with [nominations] group = \"...\")")
        problems.append(Problem(where, int(i) + 2, id_col,
                                f"id {ids.iat[i]} already appears in this survey{hint}"))
    if problems:
        return None
    surveyed = set(person[person != ""])
    ties = []
    for kind, cols in questions.items():
        for col in cols:
            named = frame[col].str.strip()
            given = (named != "") & (named.str.upper() != "NA") & (person != "")
            target = _combined(named.where(given, ""), groups, digits)
            ties.append(pd.DataFrame({"source": person[given], "target": target[given],
                                      "kind": kind, "row": np.flatnonzero(given) + 2,
                                      "column": col}))
    ties = pd.concat(ties, ignore_index=True)
    self_named = ties["source"] == ties["target"]
    repeated = ties.duplicated(["source", "target", "kind"]) & ~self_named
    outside = ~ties["target"].isin(surveyed)
    n_out, n_people = int(outside.sum()), ties.loc[outside, "target"].nunique()
    keep = options.unsurveyed == "keep"
    drop = self_named | repeated | (outside & (not keep))
    if n_out:
        notes.append(f"{path.name}: {n_out:,} nominations name {n_people:,} people who did not "
                     f"answer the survey; they were "
                     f"{'kept as people without answers' if keep else 'dropped'} "
                     f"(unsurveyed = \"{'drop' if keep else 'keep'}\" in the settings "
                     f"{'drops' if keep else 'keeps'} them)")
    if self_named.any() or repeated.any():
        notes.append(f"{path.name}: dropped {int(self_named.sum()):,} self-nominations and "
                     f"{int(repeated.sum()):,} repeated nominations (one question naming the "
                     "same person twice)")
    ties = ties[~drop].reset_index(drop=True)
    people = frame.drop(columns=[c for cs in questions.values() for c in cs])
    people = people.rename(columns={id_col: "__id"})
    names, _ = match_headers(list(people.columns), "people")
    people.columns = names
    if toa and toa != "adoption_time":
        people = people.rename(columns={toa: "adoption_time"})
    people.insert(0, "person_id", person)
    people = people.drop(columns=["__id"]).rename(columns={})
    rows = np.arange(len(people)) + 2
    if keep and n_out:
        extra = sorted(set(ties["target"]) - surveyed)
        add = pd.DataFrame({"person_id": extra}, dtype=object)
        people = pd.concat([people, add], ignore_index=True).fillna("")
        rows = np.concatenate([rows, np.zeros(len(extra), dtype=np.int64)])
    people_table = Table(people.astype(object), where, rows, headers={"person_id": id_col})
    ties_table = Table(ties[["source", "target", "kind"]].astype(object), where,
                       ties["row"].to_numpy(), headers={"source": id_col})
    return Tables(people_table, ties_table, files=[path], meta={"directed": True}, notes=notes)


NOMINATIONS = Format(
    name="nominations",
    title="Wide nomination survey (.csv, .xlsx), as netdiffuseR's survey_to_diffnet reads it",
    suffixes=(".csv", ".xlsx", ".xlsm", ".xls", ".ods"),
    sniff=_sniff,
    read=_read,
    example="examples/nominations/medical_innovation_survey.csv",
    one_line="a wide survey: one row per respondent, `id`, nomination columns `friend1`, "
             "`friend2`, ..., optional group and `toa` columns (netdiffuseR's survey_to_diffnet)",
)
