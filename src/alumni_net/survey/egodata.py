"""Ego data: what a survey of alumni observes, as egor's three tables plus the programme's own.

A survey dataset is a folder:

- ``people.csv``: every alum on the roster (``person_id``, ``is_alum``, ``cohort``,
  ``cohort_start``, ``action_learning_set``, ``sector``, ``region``, ``role``, ``responded``);
- ``ties.csv``: the programme's ties (``cohort`` and ``action_learning_set`` from the roster) and
  the ties between alumni that respondents reported (``post_course_contact``);
- ``egos.csv``: one row per respondent (``ego_id`` = their ``person_id``) with the answers about
  themselves and the counts;
- ``alters.csv``: one row per contact outside the programme a respondent described
  (``alter_id`` scoped to the ego, ``ego_id``, sector, region, role, same organisation ...);
- ``alter_ties.csv``: ``ego_id``, ``source``, ``target``: pairs of an ego's contacts who know
  each other;
- ``dataset.toml`` and ``survey.json``: name and provenance (response counts, categories, how
  many contacts the form allowed).

``people`` + ``ties`` is an ordinary dataset (``alumni-net analyze`` reads it); ``egos`` +
``alters`` + ``alter_ties`` is egor's egocentric layout (``egos``; ``alters`` with ``ego_id``;
alter-alter ties with ``ego_id``).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from alumni_net.core.files import atomic_dir
from alumni_net.core.tables import read_csv, write_csv
from alumni_net.errors import Problem, ValidationError

__all__ = [
    "ALTER_COLUMNS",
    "EGO_COLUMNS",
    "PEOPLE_COLUMNS",
    "EgoData",
    "read_ego_data",
    "write_ego_data",
]

PEOPLE_COLUMNS = ("person_id", "is_alum", "cohort", "cohort_start", "action_learning_set",
                  "sector", "region", "role", "responded")
EGO_COLUMNS = ("ego_id", "cohort", "sector", "region", "role", "know_own_org",
               "know_other_orgs", "shared_own_org", "shared_other_orgs", "self_assessment_start",
               "self_assessment_end", "self_assessment_now", "practising", "practising_since",
               "n_contacts")
ALTER_COLUMNS = ("alter_id", "ego_id", "sector", "region", "role", "same_organisation",
                 "met_through_programme", "contacts_other_orgs", "practice", "practice_year",
                 "through_ego")
ALTER_TIE_COLUMNS = ("ego_id", "source", "target")
TIE_COLUMNS = ("source", "target", "kind", "weight", "since")
_TABLES = {"people": PEOPLE_COLUMNS, "ties": TIE_COLUMNS, "egos": EGO_COLUMNS,
           "alters": ALTER_COLUMNS, "alter_ties": ALTER_TIE_COLUMNS}
_REQUIRED = {"people": ("person_id", "cohort"), "ties": ("source", "target", "kind"),
             "egos": ("ego_id",), "alters": ("alter_id", "ego_id"),
             "alter_ties": ("ego_id", "source", "target")}
_BOOL = ("is_alum", "responded", "same_organisation", "met_through_programme", "practice",
         "through_ego", "practising")
_NUMBER = ("know_own_org", "know_other_orgs", "shared_own_org", "shared_other_orgs",
           "self_assessment_start", "self_assessment_end", "self_assessment_now",
           "practising_since", "practice_year", "n_contacts", "weight", "contacts_other_orgs")


@dataclass(frozen=True)
class EgoData:
    """A survey of alumni: the roster's people and ties, and the egocentric tables.

    ``meta`` holds ``name``, ``contacts`` (the name generator's cap), ``categories`` (the options
    offered for sector, region and role) and the import's provenance.
    """

    people: pd.DataFrame
    ties: pd.DataFrame
    egos: pd.DataFrame
    alters: pd.DataFrame
    alter_ties: pd.DataFrame
    meta: dict = field(default_factory=dict)

    @property
    def n_alumni(self) -> int:
        return len(self.people)

    @property
    def n_respondents(self) -> int:
        return len(self.egos)

    @property
    def contacts(self) -> int:
        """How many contacts outside the programme the form allowed (the truncation)."""
        named = self.alters.groupby("ego_id").size()
        return int(self.meta.get("contacts", named.max() if len(named) else 0))

    def source_sentence(self) -> str:
        """'a survey of R of A alumni', as every figure built on it says.

        Examples
        --------
        >>> e = pd.DataFrame({"ego_id": ["a"]})
        >>> p = pd.DataFrame({"person_id": ["a", "b", "c"]})
        >>> EgoData(p, pd.DataFrame(), e, pd.DataFrame(), pd.DataFrame()).source_sentence()
        'a survey of 1 of 3 alumni'
        """
        return f"a survey of {self.n_respondents:,} of {self.n_alumni:,} alumni"


def write_ego_data(out: str | os.PathLike, data: EgoData,
                   extra: dict[str, pd.DataFrame] | None = None) -> Path:
    """Write the survey dataset folder atomically (every table, ``dataset.toml``, ``survey.json``
    and any ``extra`` tables, such as the response rates)."""
    with atomic_dir(out) as tmp:
        for name in _TABLES:
            write_csv(getattr(data, name), tmp / f"{name}.csv")
        for name, table in (extra or {}).items():
            write_csv(table, tmp / f"{name}.csv")
        meta = data.meta
        toml = (f'name = "{_toml_text(meta.get("name", "alumni survey"))}"\n'
                "directed = false\n"
                'description = "Alumni survey: roster, programme ties and egocentric tables '
                '(alumni_net.survey)."\n')
        (tmp / "dataset.toml").write_text(toml, encoding="utf-8")
        (tmp / "survey.json").write_text(json.dumps(meta, indent=2, default=str) + "\n",
                                         encoding="utf-8")
    return Path(out)


def _toml_text(value: str) -> str:
    return str(value).replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")


def read_ego_data(path: str | os.PathLike) -> EgoData:
    """Read a survey dataset folder (as :func:`write_ego_data` writes it, or egor's layout).

    ``egos``, ``alters`` and ``alter_ties`` are required (egor's names are read too: ``.egoID``,
    ``.altID``, ``.srcID``, ``.tgtID``, ``aaties.csv``; alter ids numbered within each ego are
    made unique); without ``people`` the respondents are the roster (no non-response is known),
    without ``ties`` there are no programme ties.

    Raises
    ------
    ValidationError
        Listing every missing file and column, and alters or alter ties of unknown egos.
    """
    folder = Path(path)
    problems: list[Problem] = []
    if not folder.is_dir():
        raise ValidationError([Problem(str(folder), None, None, "is not a folder")])
    frames = {name: _read(folder, name, problems) for name in _TABLES}
    if problems:
        raise ValidationError(problems)
    egos = frames["egos"]
    _scope_alter_ids(frames["alters"], frames["alter_ties"])
    people = frames["people"]
    if people is None:
        people = egos.rename(columns={"ego_id": "person_id"}).assign(is_alum=True, responded=True)
    ties = frames["ties"] if frames["ties"] is not None else pd.DataFrame(
        columns=list(TIE_COLUMNS))
    _check_links(folder, people, egos, frames["alters"], frames["alter_ties"], problems)
    if problems:
        raise ValidationError(problems)
    meta_path = folder / "survey.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.is_file() else {}
    meta.setdefault("name", folder.name)
    return EgoData(people, ties, egos, frames["alters"], frames["alter_ties"], meta)


#: egor's own column and file names (``.egoID``, ``.altID``, ``.srcID``, ``.tgtID``; ``aaties``).
_EGOR_COLUMNS = {".egoid": "ego_id", "egoid": "ego_id", ".altid": "alter_id",
                 "altid": "alter_id", ".srcid": "source", "srcid": "source", ".tgtid": "target",
                 "tgtid": "target"}
_EGOR_FILES = {"alter_ties": ("aaties",)}


def _read(folder: Path, name: str, problems: list[Problem]) -> pd.DataFrame | None:
    path = folder / f"{name}.csv"
    for other in _EGOR_FILES.get(name, ()):
        if not path.is_file() and (folder / f"{other}.csv").is_file():
            path = folder / f"{other}.csv"
    if not path.is_file():
        if name in ("people", "ties"):
            return None
        problems.append(Problem(f"{folder}/{name}.csv", None, None, "file not found"))
        return None
    frame = read_csv(path, dtype=str, keep_default_na=False)
    frame = frame.rename(columns=lambda c: _EGOR_COLUMNS.get(str(c).strip().lower(), c))
    for col in _REQUIRED[name]:
        if col not in frame.columns:
            problems.append(Problem(path.name, 1, col, "required column is missing"))
    for col in _TABLES[name]:
        if col not in frame.columns:
            frame[col] = ""
    return _typed(frame)


def _scope_alter_ids(alters: pd.DataFrame, alter_ties: pd.DataFrame) -> None:
    """egor numbers alters within each ego (1, 2, 3 for every ego): such ids are made unique
    by prefixing the ego's id (``EGO-1``), in the alters and in the alter ties alike."""
    if alters["alter_id"].is_unique:
        return
    alters["alter_id"] = alters["ego_id"].astype(str) + "-" + alters["alter_id"].astype(str)
    for col in ("source", "target"):
        alter_ties[col] = alter_ties["ego_id"].astype(str) + "-" + alter_ties[col].astype(str)


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.replace("", pd.NA)
    for col in out.columns:
        if col in _BOOL:
            out[col] = out[col].map(
                {"true": True, "True": True, "false": False, "False": False}).astype("boolean")
        elif col in _NUMBER:
            out[col] = pd.to_numeric(out[col], errors="coerce").astype(float)
    return out


def _check_links(folder, people, egos, alters, alter_ties, problems) -> None:
    known = set(egos["ego_id"].dropna())
    roster = set(people["person_id"].dropna())
    for i, ego in enumerate(egos["ego_id"], start=2):
        if ego not in roster:
            problems.append(Problem("egos.csv", i, "ego_id", f"'{ego}' is not in people.csv"))
    for i, ego in enumerate(alters["ego_id"], start=2):
        if ego not in known:
            problems.append(Problem("alters.csv", i, "ego_id", f"'{ego}' is not in egos.csv"))
    alter_ids = set(alters["alter_id"].dropna())
    for i, row in enumerate(alter_ties.itertuples(index=False), start=2):
        for col in ("source", "target"):
            if getattr(row, col) not in alter_ids:
                problems.append(Problem("alter_ties.csv", i, col,
                                        f"'{getattr(row, col)}' is not in alters.csv"))
