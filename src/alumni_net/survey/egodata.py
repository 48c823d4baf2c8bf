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
_REQUIRED = {"people": ("person_id", "cohort"), "ties": ("source", "target", "kind")}
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
    """Read a survey dataset folder (as :func:`write_ego_data` writes it), or egor's layout.

    The egocentric tables are read by the io stage's egocentric reader
    (:mod:`alumni_net.io.formats.egocentric`), the package's one reader of ego data: egor's
    names are read too (``egoID``, ``.egoID``, ``.altID``, ``.srcID``, ``.tgtID``, ``aaties``;
    a folder, or one workbook with ``egos``, ``alters`` and ``alter_ties`` sheets). Alter ids
    numbered within each ego are made unique (``EGO:1``). Without ``people`` the respondents are
    the roster (no non-response is known), without ``ties`` there are no programme ties.

    Raises
    ------
    ValidationError
        Listing every missing file and column, alters or alter ties of unknown egos, and
        respondents missing from the roster.
    """
    from alumni_net.io import load_dataset

    folder = Path(path)
    if not folder.exists():
        raise ValidationError([Problem(str(folder), None, None, "not found")])
    ds = load_dataset(folder, format="egocentric", directed=False)
    egos, alters, alter_ties = _ego_tables(ds)
    problems: list[Problem] = []
    roster = {name: _read(folder, name, problems) for name in ("people", "ties")} \
        if folder.is_dir() else {"people": None, "ties": None}
    people = roster["people"]
    if people is None:
        people = egos.rename(columns={"ego_id": "person_id"}).assign(is_alum=True, responded=True)
    ties = roster["ties"] if roster["ties"] is not None else pd.DataFrame(
        columns=list(TIE_COLUMNS))
    _check_roster(people, egos, problems)
    if problems:
        raise ValidationError(problems)
    meta_path = folder / "survey.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.is_file() else {}
    meta.setdefault("name", folder.stem)
    return EgoData(people, ties, egos, alters, alter_ties, meta)


def _ego_tables(ds) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """egos, alters and alter ties in the survey's columns from an egocentric dataset."""
    from alumni_net.io.formats.egocentric import NAMED

    people = ds.people
    is_ego = people["is_ego"].astype(bool).to_numpy()
    egos = people[is_ego].rename(columns={"person_id": "ego_id"})
    alters = people[~is_ego]
    ego_of = alters["ego"].astype(str).tolist()
    scoped = alters["person_id"].astype(str).tolist()
    # The reader scopes every alter id by its ego (EGO:ALTER); ids already unique (as the
    # survey import writes them) are kept as written.
    raw = [pid[len(ego) + 1:] for pid, ego in zip(scoped, ego_of, strict=True)]
    ids = raw if len(set(raw)) == len(raw) else scoped
    alters = alters.assign(alter_id=ids, ego_id=ego_of)
    id_of, ego_by = dict(zip(scoped, ids, strict=True)), dict(zip(scoped, ego_of, strict=True))
    between = ds.ties[ds.ties["kind"].astype(str) != NAMED]
    alter_ties = pd.DataFrame({"ego_id": between["source"].astype(str).map(ego_by),
                               "source": between["source"].astype(str).map(id_of),
                               "target": between["target"].astype(str).map(id_of)})
    return (_columns(egos, "egos"), _columns(alters, "alters"),
            _columns(alter_ties, "alter_ties"))


def _columns(frame: pd.DataFrame, name: str) -> pd.DataFrame:
    """The table's columns in order (missing ones empty), typed as the survey types them."""
    out = pd.DataFrame(index=range(len(frame)))
    for col in _TABLES[name]:
        values = frame[col] if col in frame.columns else pd.Series([""] * len(frame))
        values = values.reset_index(drop=True).astype(object)
        out[col] = values.where(values.notna(), "").astype(str)
    return _typed(out)


def _read(folder: Path, name: str, problems: list[Problem]) -> pd.DataFrame | None:
    """The survey dataset's own ``people`` or ``ties`` table, as :func:`write_ego_data` wrote it."""
    path = folder / f"{name}.csv"
    if not path.is_file():
        return None
    frame = read_csv(path, dtype=str, keep_default_na=False)
    for col in _REQUIRED[name]:
        if col not in frame.columns:
            problems.append(Problem(path.name, 1, col, "required column is missing"))
    for col in _TABLES[name]:
        if col not in frame.columns:
            frame[col] = ""
    return _typed(frame)


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.replace("", pd.NA)
    for col in out.columns:
        if col in _BOOL:
            out[col] = out[col].map(
                {"true": True, "True": True, "false": False, "False": False}).astype("boolean")
        elif col in _NUMBER:
            out[col] = pd.to_numeric(out[col], errors="coerce").astype(float)
    return out


def _check_roster(people, egos, problems) -> None:
    roster = set(people["person_id"].dropna())
    for i, ego in enumerate(egos["ego_id"], start=2):
        if ego not in roster:
            problems.append(Problem("egos.csv", i, "ego_id", f"'{ego}' is not in people.csv"))
