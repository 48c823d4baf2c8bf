"""Egocentric network data in egor's three-table layout (a folder, or one workbook).

egor's ``threefiles_to_egor(egos, alters.df, edges, ID.vars = list(ego = "egoID", alter =
"alterID", source = "Source", target = "Target"))``: a table of **egos** (respondents, one row
each, ``egoID`` and their attributes), a table of **alters** (the people each ego named, one row
per ego and alter: ``egoID``, ``alterID`` and the alter's attributes) and a table of **alter
ties** (``egoID``, ``Source``, ``Target``: ties between two alters of the same ego, as the ego
reported them). Give a folder holding ``egos``, ``alters`` and ``alter_ties`` (or ``aaties``,
``edges``) tables, or a workbook with sheets of those names. The id columns are found under
egor's names (any case, also ``ego_id``, ``.egoID``, ``.altID``, ``.srcID``, ``.tgtID``) or
named in the settings::

    [egocentric]
    ego = "respondent"
    alter = "alter_number"
    source = "from"
    target = "to"

The dataset (``Dataset.layout == "egocentric"``) holds everyone as ``people``:

- egos: ``person_id`` = the ego's id, ``is_ego`` = true, ``ego`` empty, the ego attributes;
- alters: ``person_id`` = ``"<ego id>:<alter id>"`` (alter ids are unique only within an ego),
  ``is_ego`` = false, ``ego`` = the ego who named them, the alter attributes. An alter is seen
  only through its ego: two egos naming the same colleague give two alters, as in egor.

and as ``ties``: each ego's tie to each of its alters (kind ``named``) and the alter-alter ties
(kind from a ``kind`` or ``type`` column, else ``alter_tie``; weight from ``weight``). Ties are
undirected unless the settings say ``directed = true``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from alumni_net.errors import ConfigError, Problem
from alumni_net.io.formats.base import Format, Sheet, read_sheets
from alumni_net.io.toolkit import (
    SPREADSHEET_SUFFIXES,
    SUFFIXES,
    ReadOptions,
    Table,
    Tables,
    find_table,
    match_headers,
    open_workbook,
)

__all__ = ["EGOCENTRIC", "NAMED"]

#: Kind of the tie between an ego and each alter it named.
NAMED = "named"
_TABLES = {"egos": ("egos", "ego"), "alters": ("alters", "alter"),
           "alter_ties": ("alter_ties", "aaties", "alter_alter_ties", "edges")}
_NAMES = {"ego": ("egoid", "ego_id", ".egoid", "ego"),
          "alter": ("alterid", "alter_id", ".altid", "altid", "alter"),
          "source": ("source", ".srcid", "srcid", "from"),
          "target": ("target", ".tgtid", "tgtid", "to")}


def _folder_files(path: Path) -> dict[str, Path]:
    found = {}
    for table, stems in _TABLES.items():
        for stem in stems:
            hits = [path / f"{stem}{s}" for s in SUFFIXES if (path / f"{stem}{s}").is_file()]
            if hits:
                found[table] = hits[0]
                break
    return found


def _sniff(path: Path) -> bool:
    if path.is_dir():
        found = _folder_files(path)
        return "egos" in found and "alters" in found
    if path.suffix.lower() not in SPREADSHEET_SUFFIXES:
        return False
    book = open_workbook(path, [])
    names = {n.strip().lower() for n in book.visible_names} if book else set()
    return "egos" in names and "alters" in names


def _read(path: Path, options: ReadOptions, problems: list[Problem]) -> Tables | None:
    notes: list[str] = []
    settings = options.settings.get("egocentric", {})
    if not isinstance(settings, dict):
        raise ConfigError("[egocentric] in the settings must be a table")
    sheets = _sheets(path, options, problems, notes)
    if sheets is None:
        return None
    egos, alters, aaties = sheets.get("egos"), sheets.get("alters"), sheets.get("alter_ties")
    for need, sheet in (("egos", egos), ("alters", alters)):
        if sheet is None:
            problems.append(Problem(str(path), None, None, f"has no {need} table"))
    if problems or egos is None or alters is None:
        return None
    ego_col = _column(egos, "ego", settings, problems)
    a_ego, a_alter = _column(alters, "ego", settings, problems), _column(
        alters, "alter", settings, problems)
    cols = {}
    if aaties is not None:
        cols = {k: _column(aaties, k, settings, problems) for k in ("ego", "source", "target")}
    if problems:
        return None
    return _tables(path, egos, alters, aaties, ego_col, a_ego, a_alter, cols, settings, notes,
                   problems)


def _sheets(path, options, problems, notes) -> dict[str, Sheet] | None:
    if path.is_dir():
        files = _folder_files(path)
        out = {}
        for table, file in files.items():
            got = read_sheets(file, options, problems, notes)
            if got:
                out[table] = Sheet(table, got[0].frame, got[0].where)
        for need in ("egos", "alters"):
            if need not in files:
                find_table(path, need, problems)
        return None if problems else out
    got = read_sheets(path, options, problems, notes)
    if got is None:
        return None
    out = {}
    for sheet in got:
        low = sheet.name.strip().lower()
        for table, stems in _TABLES.items():
            if low in stems:
                out[table] = sheet
    return out


def _column(sheet: Sheet, role: str, settings: dict, problems) -> str | None:
    named = settings.get(role)
    columns = {str(c).strip().lower(): c for c in sheet.frame.columns}
    if named is not None:
        if named not in sheet.frame.columns:
            problems.append(Problem(sheet.where, 1, named,
                                    "column named in the settings is not in the header"))
        return named
    for name in _NAMES[role]:
        if name in columns:
            return columns[name]
    problems.append(Problem(sheet.where, 1, None,
                            f"has no {role} id column ({', '.join(_NAMES[role][:3])}; or name "
                            f"it with [egocentric] {role} = \"...\" in the settings)"))
    return None


def _attributes(frame: pd.DataFrame, drop: list[str]) -> pd.DataFrame:
    out = frame.drop(columns=drop)
    names, _ = match_headers(list(out.columns), "people")
    out.columns = names
    return out.drop(columns=[c for c in ("person_id", "is_ego", "ego") if c in out.columns])


def _tables(path, egos, alters, aaties, ego_col, a_ego, a_alter, cols, settings, notes,
            problems):
    ego_ids = egos.frame[ego_col].str.strip()
    known = set(ego_ids[ego_ids != ""])
    alter_ego = alters.frame[a_ego].str.strip()
    alter_id = alter_ego + ":" + alters.frame[a_alter].str.strip()
    for i in np.flatnonzero((~alter_ego.isin(known)).to_numpy()):
        problems.append(Problem(alters.where, int(i) + 2, a_ego,
                                f"ego '{alter_ego.iat[i]}' is not in the egos table"))
    first = {}
    for i, pid in enumerate(alter_id):
        if pid in first:
            problems.append(Problem(alters.where, i + 2, a_alter,
                                    f"alter '{pid.split(':', 1)[1]}' of ego '{alter_ego.iat[i]}' "
                                    f"already appears in row {first[pid]}"))
        else:
            first[pid] = i + 2
    ego_people = _attributes(egos.frame, [ego_col])
    ego_people.insert(0, "person_id", ego_ids)
    ego_people["is_ego"] = "true"
    ego_people["ego"] = ""
    alter_people = _attributes(alters.frame, [a_ego, a_alter])
    alter_people.insert(0, "person_id", alter_id)
    alter_people["is_ego"] = "false"
    alter_people["ego"] = alter_ego
    people = pd.concat([ego_people, alter_people], ignore_index=True).fillna("").astype(object)
    rows = np.concatenate([np.arange(len(ego_people)) + 2, np.arange(len(alter_people)) + 2])
    named = pd.DataFrame({"source": alter_ego, "target": alter_id, "kind": NAMED})
    ties = [named]
    tie_rows = [np.arange(len(named)) + 2]
    if aaties is not None:
        frame = aaties.frame
        ego = frame[cols["ego"]].str.strip()
        src = ego + ":" + frame[cols["source"]].str.strip()
        dst = ego + ":" + frame[cols["target"]].str.strip()
        known_alters = set(alter_id)
        for col, ends in ((cols["source"], src), (cols["target"], dst)):
            for i in np.flatnonzero((~ends.isin(known_alters)).to_numpy()):
                problems.append(Problem(aaties.where, int(i) + 2, col,
                                        f"'{frame[col].iat[i]}' is not an alter of ego "
                                        f"'{ego.iat[i]}' in the alters table"))
        extra = _attributes(frame, [cols["ego"], cols["source"], cols["target"]])
        extra = extra.rename(columns={c: "kind" for c in extra.columns if c.lower() == "type"})
        if "kind" not in extra.columns:
            extra["kind"] = "alter_tie"
        names, _ = match_headers(list(extra.columns), "ties")
        extra.columns = names
        ties.append(pd.concat([pd.DataFrame({"source": src, "target": dst}), extra], axis=1))
        tie_rows.append(np.arange(len(frame)) + 2)
    if problems:
        return None
    ties = pd.concat(ties, ignore_index=True).fillna("").astype(object)
    where = alters.where if aaties is None else aaties.where
    n_egos = len(known)
    notes.append(f"{path.name}: egocentric data, {n_egos:,} egos naming {len(alter_id):,} "
                 "alters; alters are known only through their ego")
    people_wheres = np.array([egos.where] * len(ego_people) + [alters.where] * len(alter_people))
    tie_wheres = np.array([alters.where] * len(named) + (
        [aaties.where] * (len(ties) - len(named)) if aaties is not None else []))
    return Tables(
        Table(people, egos.where, rows, wheres=people_wheres),
        Table(ties, where, np.concatenate(tie_rows), wheres=tie_wheres),
        files=[path] if path.is_file() else sorted(_folder_files(path).values()),
        meta={"directed": bool(settings.get("directed", False))}, notes=notes,
        layout="egocentric")


EGOCENTRIC = Format(
    name="egocentric",
    title="Egocentric tables (egos, alters, alter ties), as egor's threefiles_to_egor reads them",
    suffixes=(".xlsx", ".xlsm", ".xls", ".ods"),
    sniff=_sniff,
    read=_read,
    example="examples/egocentric",
    one_line="egocentric data as egor holds it: `egos` (`egoID`), `alters` (`egoID`, "
             "`alterID`), `alter_ties` (`egoID`, `Source`, `Target`)",
    folder=True,
)
