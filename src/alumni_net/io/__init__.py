"""Load, validate and pseudonymise alumni datasets (a folder of ``people`` and ``ties`` tables).

See ``data/README.md`` for the data dictionary.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

import pandas as pd

from alumni_net.core.ids import positions
from alumni_net.errors import ConfigError, Problem, ValidationError
from alumni_net.io._dataset import Dataset
from alumni_net.io._identifying import identifying_columns, identifying_note
from alumni_net.io._problems import describe_problems, grouped_error
from alumni_net.io._provenance import (
    compare_loaded_with,
    content_hash,
    key_fingerprint,
    read_loaded_with,
    reuse_loaded_with,
)
from alumni_net.io._pseudonymise import (
    PERSONAL_COLUMNS,
    Pseudonymiser,
    find_person,
    resolve_key,
)
from alumni_net.io._read import find_table, read_table
from alumni_net.io._validate import parse_people, parse_ties
from alumni_net.io._write import write_dataset

__all__ = [
    "PERSONAL_COLUMNS",
    "Dataset",
    "Pseudonymiser",
    "compare_loaded_with",
    "describe_problems",
    "identifying_columns",
    "load_dataset",
    "read_loaded_with",
    "read_metadata",
    "reuse_loaded_with",
    "find_person",
    "resolve_key",
    "validate_dataset",
    "write_dataset",
]

_META_KEYS = {"directed": bool, "name": str, "description": str, "pseudonymise": list,
              "categories": list}


def read_metadata(folder: str | os.PathLike) -> dict:
    """The optional ``dataset.toml`` of a dataset folder (directed, name, description, pseudonymise,
    categories)."""
    path = Path(folder) / "dataset.toml"
    if not path.is_file():
        return {}
    try:
        meta = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path} is not valid TOML: {exc}") from exc
    for key, kind in _META_KEYS.items():
        if key in meta and not isinstance(meta[key], kind):
            raise ConfigError(f"{path}: '{key}' must be a {kind.__name__}")
    return meta


def validate_dataset(path: str | os.PathLike, *, directed: bool | None = None) -> list[Problem]:
    """Every problem in the dataset folder ``path`` (an empty list when it is valid)."""
    try:
        _parse(Path(path), directed)
    except ValidationError as exc:
        return exc.problems
    return []


def load_dataset(
    path: str | os.PathLike,
    *,
    directed: bool | None = None,
    key: bytes | str | os.PathLike | None = None,
    pseudonymise: tuple[str, ...] | list[str] = (),
    pseudonymise_ids: bool = False,
) -> Dataset:
    """Load a dataset folder, validating it first.

    Parameters
    ----------
    path : folder holding ``people`` and ``ties`` tables (.csv, .parquet or .xlsx) and optionally
        ``dataset.toml``.
    directed : whether ties have a direction; default from ``dataset.toml``, else undirected.
        Direction is never guessed: nomination data (a named b, b named a) loaded as undirected
        fail validation with one leading hint to load them as directed. An undirected network
        written once per direction looks exactly like fully reciprocated nominations, so a guess
        could be silently wrong either way.
    key : pseudonymisation key (bytes, text or key-file path); default ``$ALUMNI_NET_KEY``,
        ``$ALUMNI_NET_KEY_FILE``, else a random key for this run (pseudonyms then differ between runs).
    pseudonymise : further columns to replace by keyed pseudonyms; ``name`` and ``email`` always are.
    pseudonymise_ids : also replace ``person_id`` (and tie ends) by keyed pseudonyms, as every
        command that writes files does.

    Returns
    -------
    Dataset
        With ``notes`` for the user (a random key; columns that are unique per person, alone or
        in pairs, and so would undo pseudonymised ids) and ``loaded_with``, the record of how
        the data were loaded that commands write beside their results.

    Raises
    ------
    ValidationError
        Listing every problem with file, row and column.
    ConfigError
        When a column to pseudonymise is not in the people table (a misspelt name would leave
        the real column in clear).
    """
    folder = Path(path)
    meta = read_metadata(folder) if folder.is_dir() else {}
    people, ties, used = _parse(folder, directed)
    asked = [*meta.get("pseudonymise", ()), *pseudonymise]
    _check_columns(folder, people, asked)
    categories = tuple(dict.fromkeys(str(c) for c in meta.get("categories", ())))
    _check_columns(folder, people, list(categories), what="declared categories")
    columns = list(dict.fromkeys(c for c in (*PERSONAL_COLUMNS, *asked) if c in people.columns))
    notes: list[str] = []
    key_kind, fingerprint = None, None
    if columns or pseudonymise_ids:
        secret, note = resolve_key(key)
        notes += [note] if note else []
        key_kind = "random" if note else "given"
        fingerprint = None if note else key_fingerprint(secret)
        people, ties = _pseudonymised(people, ties, Pseudonymiser(secret), columns, pseudonymise_ids)
    tables = [find_table(folder, stem, []) for stem in ("people", "ties")]
    found = identifying_note(people, skip=columns, file=tables[0].name)
    notes += [found] if found else []
    name = str(meta.get("name", folder.name))
    loaded_with = {
        "dataset": name,
        "content_sha256": content_hash(tables),
        "directed": used,
        "directed_from": "option" if directed is not None
        else "dataset.toml" if "directed" in meta else "default",
        "pseudonymised_columns": columns,
        "pseudonymised_ids": bool(pseudonymise_ids),
        "key": key_kind,
        "key_fingerprint": fingerprint,
    }
    return Dataset(
        people=people,
        ties=ties,
        directed=used,
        name=name,
        path=folder,
        notes=tuple(notes),
        loaded_with=loaded_with,
        categories=categories,
    )


def _check_columns(folder: Path, people: pd.DataFrame, asked: list[str], *,
                   what: str = "to pseudonymise") -> None:
    """A column asked to be pseudonymised must exist: a misspelt one would leave the real one
    in clear (and a misspelt category would withhold the real one without a word)."""
    missing = [c for c in dict.fromkeys(asked) if c not in people.columns]
    if missing:
        raise ConfigError(
            f"{folder}: column(s) {', '.join(repr(c) for c in missing)} {what} are not "
            f"in the people file (its columns: {', '.join(map(str, people.columns))})"
        )


def _parse(folder: Path, directed: bool | None) -> tuple[pd.DataFrame, pd.DataFrame, bool]:
    problems: list[Problem] = []
    if not folder.is_dir():
        raise ValidationError([Problem(str(folder), None, None, "is not a folder")])
    meta = read_metadata(folder)
    directed = bool(meta.get("directed", False)) if directed is None else directed
    people_path = find_table(folder, "people", problems)
    ties_path = find_table(folder, "ties", problems)
    people_text = read_table(people_path, problems) if people_path else None
    ties_text = read_table(ties_path, problems) if ties_path else None
    people = None
    if people_text is not None:
        people = parse_people(people_text, people_path.name, problems)
    ids = None if people is None else people["person_id"]
    ties = None
    if ties_text is not None:
        ties = parse_ties(ties_text, ties_path.name, ids, directed, problems)
    if problems:
        raise grouped_error(problems)
    people = _text_as_str(people.sort_values("person_id", kind="stable").reset_index(drop=True))
    ties = _text_as_str(ties.reset_index(drop=True))
    return people, ties, directed


def _text_as_str(frame: pd.DataFrame) -> pd.DataFrame:
    """Text columns in pandas' string dtype, whatever reader produced them (CSV, Parquet, Excel)."""
    for col in frame.columns:
        if frame[col].dtype == object:
            frame[col] = frame[col].astype("str")
    return frame


def _pseudonymised(people, ties, pseudo: Pseudonymiser, columns, ids: bool):
    people = people.copy()
    for col in columns:
        people[col] = pseudo.column(people[col], col)
    if ids:
        # Every tie end is a known id (validated), so positions map them to the new pseudonyms.
        old = people["person_id"].to_numpy()
        new = pseudo.column(people["person_id"], "person_id").to_numpy(dtype=object)
        src, dst = positions(old, ties["source"].to_numpy(), ties["target"].to_numpy())
        people["person_id"] = new
        ties = ties.assign(source=new[src], target=new[dst])
        people = people.sort_values("person_id", kind="stable").reset_index(drop=True)
    return people, ties
