"""Load any supported file or folder into a validated, pseudonymised :class:`Dataset`.

One path for every format: the registry finds the format (:mod:`alumni_net.io.formats`), its
reader returns text tables, :mod:`alumni_net.io._validate` types and checks them the same way
for all, problems are put back in the reader's places (file, sheet, row or line, column as
written), and names, emails and labels are pseudonymised.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from alumni_net.core.ids import positions
from alumni_net.core.privacy import looks_personal
from alumni_net.errors import ConfigError, Problem, ValidationError
from alumni_net.io._dataset import Dataset
from alumni_net.io._identifying import identifying_note
from alumni_net.io._problems import grouped_error
from alumni_net.io._provenance import content_hash, key_fingerprint
from alumni_net.io._pseudonymise import PERSONAL_COLUMNS, Pseudonymiser, resolve_key
from alumni_net.io._tables import ReadOptions, Tables, relocate
from alumni_net.io._validate import parse_people, parse_ties

if TYPE_CHECKING:  # the formats import this module's neighbours; only the type is needed here
    from alumni_net.io.formats.base import Format

__all__ = ["load_dataset", "read_metadata", "read_options", "settings_file", "validate_dataset"]

_META_KEYS = {"directed": bool, "name": str, "description": str, "pseudonymise": list,
              "encoding": str, "separator": str, "date_order": str, "unsurveyed": str,
              "format": str, "categories": list, "time_unit": str, "schedule": str}
#: Metadata that reach outputs (report titles, summaries): checked like cells.
_SHOWN_KEYS = ("name", "description")


def settings_file(path: str | os.PathLike) -> Path | None:
    """The settings of a dataset: ``dataset.toml`` in its folder; for a single file, the file's
    own ``NAME.toml`` beside it, else a ``dataset.toml`` beside it."""
    path = Path(path)
    candidates = ([path / "dataset.toml"] if path.is_dir()
                  else [path.with_suffix(".toml"), path.parent / "dataset.toml"])
    return next((c for c in candidates if c.is_file() and c != path), None)


def read_metadata(path: str | os.PathLike) -> dict:
    """The settings of a dataset (see :func:`settings_file`): directed, name, description,
    pseudonymise, encoding, separator, date_order, unsurveyed, format, and a format's own table.

    Raises
    ------
    ConfigError
        When the file is not TOML, a key has the wrong type, or a name or description holds an
        email address (they reach every output).
    """
    file = settings_file(path)
    if file is None:
        return {}
    try:
        meta = tomllib.loads(file.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{file} is not valid TOML: {exc}") from exc
    for key, kind in _META_KEYS.items():
        if key in meta and not isinstance(meta[key], kind):
            raise ConfigError(f"{file}: '{key}' must be a {kind.__name__}")
    for key in _SHOWN_KEYS:
        if key in meta and looks_personal("value", [meta[key]]):
            raise ConfigError(
                f"{file}: '{key}' holds an email address, and the dataset's {key} reaches every "
                f"output (reports, summaries, the dashboard); give a {key} that names no one")
    return meta


def read_options(meta: dict, **given: Any) -> ReadOptions:
    """Reading options: those given (command line) win over the dataset's settings."""
    keys = ("encoding", "separator", "date_order", "unsurveyed")
    values: dict[str, Any] = {k: given.get(k) if given.get(k) is not None else meta.get(k)
                              for k in keys}
    values["unsurveyed"] = values["unsurveyed"] or "drop"
    settings = {k: v for k, v in meta.items() if isinstance(v, dict)}
    return ReadOptions(**values, settings=settings)


def _read(path: Path, fmt_name: str | None, options: ReadOptions) -> tuple[Tables, Format]:
    from alumni_net.io._excel import forget_workbooks
    from alumni_net.io.formats import detect

    try:
        fmt = detect(path, fmt_name)
        problems: list[Problem] = []
        tables = fmt.read(path, options, problems)
    finally:
        forget_workbooks()
    if problems or tables is None:
        raise grouped_error(problems or [Problem(str(path), None, None, "could not be read")])
    return tables, fmt


def _typed(tables: Tables, directed: bool, date_order: str | None
           ) -> tuple[pd.DataFrame, pd.DataFrame]:
    problems: list[Problem] = []
    pt, tt = tables.people, tables.ties
    found: list[Problem] = []
    people = parse_people(pt.frame, pt.where, found, date_order)
    problems += relocate(found, pt)
    ids = None if people is None else people["person_id"]
    found = []
    ties = parse_ties(tt.frame, tt.where, ids, directed, found, date_order)
    problems += relocate(found, tt)
    if problems or people is None or ties is None:  # a table is None only with its problems
        raise grouped_error(problems)
    people = _text_as_str(people.sort_values("person_id", kind="stable").reset_index(drop=True))
    ties = _text_as_str(ties.reset_index(drop=True))
    return people, ties


def validate_dataset(path: str | os.PathLike, *, directed: bool | None = None,
                     format: str | None = None, **options: Any) -> list[Problem]:
    """Every problem in the dataset at ``path`` (an empty list when it is valid)."""
    try:
        _parse(Path(path), directed, format, options)
    except ValidationError as exc:
        return exc.problems
    return []


def _parse(path: Path, directed: bool | None, fmt_name: str | None, given: dict
           ) -> tuple[pd.DataFrame, pd.DataFrame, bool, str, dict, Tables, Format]:
    if not path.exists() and not path.suffix:
        raise ValidationError([Problem(str(path), None, None, "is not a folder")])
    meta = read_metadata(path) if path.exists() else {}
    options = read_options(meta, **given)
    tables, fmt = _read(path, fmt_name or meta.get("format"), options)
    if directed is None:
        directed = meta["directed"] if "directed" in meta else tables.meta.get("directed")
        source = ("dataset.toml" if "directed" in meta else
                  fmt.name if tables.meta.get("directed") is not None else "default")
    else:
        source = "option"
    directed = bool(directed)
    people, ties = _typed(tables, directed, options.date_order)
    return people, ties, directed, source, meta, tables, fmt


def load_dataset(
    path: str | os.PathLike,
    *,
    directed: bool | None = None,
    key: bytes | str | os.PathLike | None = None,
    pseudonymise: tuple[str, ...] | list[str] = (),
    pseudonymise_ids: bool = False,
    format: str | None = None,
    encoding: str | None = None,
    separator: str | None = None,
    date_order: str | None = None,
    unsurveyed: str | None = None,
) -> Dataset:
    """Load a dataset folder, or one file in any supported format, validating it first.

    Parameters
    ----------
    path : a folder holding ``people`` and ``ties`` tables (.csv, .parquet, .xlsx, .xls, .ods)
        and optionally ``dataset.toml``; or a single file in a format of
        :data:`alumni_net.io.formats.FORMATS` (Kumu, Polinode, GEXF, GraphML, Gephi's CSV pair,
        Pajek, UCINET DL, a wide nomination survey, egocentric tables), found from its ending and
        content, with settings from ``NAME.toml`` or ``dataset.toml`` beside it.
    directed : whether ties have a direction; default from ``dataset.toml``, else from the
        format when it says (Pajek arcs, GEXF's edge type, Kumu's direction), else undirected.
        Direction is never guessed from the ties: nomination data (a named b, b named a) loaded
        as undirected fail validation with one leading hint to load them as directed.
    key : pseudonymisation key (bytes, text or key-file path); default ``$ALUMNI_NET_KEY``,
        ``$ALUMNI_NET_KEY_FILE``, else a random key for this run (pseudonyms then differ between
        runs).
    pseudonymise : further columns to replace by keyed pseudonyms; ``name`` and ``email`` always
        are, as are labels that name people (Kumu's Label, Polinode's Name).
    pseudonymise_ids : also replace ``person_id`` (and tie ends) by keyed pseudonyms, as every
        command that writes files does.
    format : force a format by name (``--format``) instead of detecting it.
    encoding, separator, date_order, unsurveyed : reading options, over ``dataset.toml``'s
        (``date_order`` is ``"day_first"`` or ``"month_first"``; ``unsurveyed`` is ``"drop"``
        or ``"keep"`` for people named in a survey who did not answer it).

    Returns
    -------
    Dataset
        With ``notes`` for the user (a random key; how headers were read; columns that are
        unique per person and so would undo pseudonymised ids) and ``loaded_with``, the record of
        how the data were loaded that commands write beside their results.

    Raises
    ------
    ValidationError
        Listing every problem with file (and sheet), row or line, and column.
    ConfigError
        When a column to pseudonymise is not in the people table (a misspelt name would leave
        the real column in clear), or the settings are invalid.
    """
    where = Path(path)
    given = {"encoding": encoding, "separator": separator, "date_order": date_order,
             "unsurveyed": unsurveyed}
    people, ties, used, source, meta, tables, fmt = _parse(where, directed, format, given)
    asked = [*meta.get("pseudonymise", ()), *pseudonymise]
    _check_columns(where, people, asked)
    categories = tuple(dict.fromkeys(str(c) for c in meta.get("categories", ())))
    _check_columns(where, people, list(categories), what="declared categories")
    columns = list(dict.fromkeys(c for c in (*PERSONAL_COLUMNS, *tables.labels, *asked)
                                 if c in people.columns))
    notes: list[str] = list(tables.notes)
    key_kind, fingerprint = None, None
    # A key that is given is checked even when nothing here needs it (validate, simulate): an
    # empty variable or a key file anyone may change is a mistake the next command would hit.
    secret, note = resolve_key(key)
    if columns or pseudonymise_ids:
        notes += [note] if note else []
        key_kind = "random" if note else "given"
        fingerprint = None if note else key_fingerprint(secret)
        people, ties = _pseudonymised(people, ties, Pseudonymiser(secret), columns,
                                      pseudonymise_ids)
    found = identifying_note(people, skip=columns, file=tables.people.where)
    notes += [found] if found else []
    name = str(meta.get("name", tables.meta.get("name") or (where.name if where.is_dir()
                                                             else where.stem)))
    loaded_with = {
        "dataset": name,
        "format": fmt.name,
        "content_sha256": content_hash(tables.files),
        "directed": used,
        "directed_from": source,
        "pseudonymised_columns": columns,
        "pseudonymised_ids": bool(pseudonymise_ids),
        "key": key_kind,
        "key_fingerprint": fingerprint,
    }
    return Dataset(people=people, ties=ties, directed=used, name=name, path=where,
                   notes=tuple(notes), loaded_with=loaded_with, layout=tables.layout,
                   categories=categories)


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


def _text_as_str(frame: pd.DataFrame) -> pd.DataFrame:
    """Text columns in pandas' string dtype, whatever reader produced them."""
    for col in frame.columns:
        if frame[col].dtype == object:
            frame[col] = frame[col].astype("str")
    return frame


def _pseudonymised(people: pd.DataFrame, ties: pd.DataFrame, pseudo: Pseudonymiser,
                   columns: Iterable[str], ids: bool) -> tuple[pd.DataFrame, pd.DataFrame]:
    people = people.copy()
    for col in columns:
        people[col] = pseudo.column(people[col], col)
    if ids:
        # Every tie end is a known id (validated), so positions map them to the new pseudonyms.
        old = people["person_id"].to_numpy()
        new = pseudo.column(people["person_id"], "person_id").to_numpy(dtype=object)
        # The ends as they are (Arrow-backed text is looked up without a Python string each).
        src, dst = positions(old, ties["source"], ties["target"])
        people["person_id"] = new
        if "ego" in people.columns:  # egocentric data: an alter's ego is a person id too
            known = people["ego"].notna().to_numpy()
            ego_pos = positions(old, people["ego"].to_numpy()[known])[0]
            ego = np.array(people["ego"].astype(object).to_numpy(), dtype=object)
            ego[known] = new[ego_pos]
            people["ego"] = ego
        ties = ties.assign(source=new[src], target=new[dst])
        people = people.sort_values("person_id", kind="stable").reset_index(drop=True)
    return people, ties
