"""Population tables: how many people work in each region, sector and role.

A **population table** is a CSV file or a workbook (.xlsx, .xlsm, .xls, .ods: its sheet named
``population`` or like the file, else its only visible sheet with data) with one row per region x
sector x role and these columns (header row first, any order, in any case; other columns,
such as ``sources``, are allowed and kept):

========  =====================================================================================
region    region label, e.g. ``london`` or ``scotland``
sector    sector label, e.g. ``health``, ``social_care``, ``local_government``, ``voluntary``
role      role label, e.g. ``nurse_midwife``
count     number of people (a whole number >= 0; headcount, not full-time equivalents),
          thousands separated or not: ``1000``, ``1,000`` or ``1 000``
========  =====================================================================================

Files are read as evaluators hold them, through the io stage's reading machinery
(:mod:`alumni_net.io.toolkit`): Excel's CSV with its byte-order mark, the separator found in the
header, workbooks through python-calamine (a count typed as a number is read as that number).

Each (region, sector, role) appears at most once; cells with no row hold nobody. The package
ships one: ``uk_workforce`` (:data:`UK_WORKFORCE`), the UK health and social care workforce
in published headcounts (about 4.1 million people, 2023/24 releases) across the seven NHS England
regions and the three devolved nations, in eight roles. Its sources are listed by
:func:`population_sources` and in ``data/README.md``, where each figure is marked as sourced,
derived, allocated or from memory. The ``national`` synthetic preset scales it to its population
size; the survey-to-workforce step uses it as its default population.

Examples
--------
>>> table = load_population()
>>> int(table["count"].sum())
4086240
>>> sorted(table["sector"].unique())
['health', 'local_government', 'social_care', 'voluntary']
>>> scale_counts([1, 1, 2], 5).tolist()
[1, 1, 3]
>>> [whole_count(text) for text in ("1000", "1,000", "1 000", "12,345,678", "1,00", "1.5")]
[1000, 1000, 1000, 12345678, None, None]
"""

from __future__ import annotations

import os
import re
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from alumni_net.errors import ConfigError, Problem, ValidationError
from alumni_net.io.toolkit import SPREADSHEET_SUFFIXES, ReadOptions, open_workbook, read_csv_text

__all__ = [
    "POPULATION_COLUMNS",
    "UK_WORKFORCE",
    "load_population",
    "population_path",
    "population_sources",
    "scale_counts",
    "split_counts",
    "whole_count",
]

#: Name of the packaged UK health and social care workforce table.
UK_WORKFORCE = "uk_workforce"
#: Columns every population table has.
POPULATION_COLUMNS = ("region", "sector", "role", "count")

_PACKAGED = {UK_WORKFORCE: "uk_workforce.csv"}
#: Digits, or groups of three separated the UK way (comma) or by a space (also the no-break and
#: narrow no-break spaces spreadsheets write), the same separator throughout.
_COUNT = re.compile(r"\d+|\d{1,3}(?P<sep>[, \u00a0\u202f])\d{3}(?:(?P=sep)\d{3})*")
_SEPARATORS = re.compile(r"[, \u00a0\u202f]")


def whole_count(text: str) -> int | None:
    """The whole number ``text`` writes (``"1,000"``, ``"1 000"`` or ``"1000"``), or None.

    Only thousands separators are read: a decimal point is never taken as one (``"1.000"`` is
    not a count), nor are groups that are not of three (``"1,00"``).
    """
    text = text.strip()
    return int(_SEPARATORS.sub("", text)) if _COUNT.fullmatch(text) else None


def population_path(source: str | os.PathLike = UK_WORKFORCE) -> Path:
    """The file behind ``source``: a packaged table's name, or a path returned as it is."""
    if isinstance(source, str) and source in _PACKAGED:
        return Path(str(resources.files("alumni_net.synth") / "data" / _PACKAGED[source]))
    return Path(source)


def load_population(source: str | os.PathLike = UK_WORKFORCE) -> pd.DataFrame:
    """Read and check a population table (see the module docstring for the format).

    Parameters
    ----------
    source : ``"uk_workforce"`` (the packaged table, default) or the path of a CSV file or a
        workbook.

    Returns
    -------
    DataFrame with ``region``, ``sector``, ``role`` (text) and ``count`` (int64) first, then any
    other columns of the file, in file order.

    Raises
    ------
    ValidationError
        Every problem at once, each naming the file (and sheet), row and column: an unreadable
        file, a missing column, an empty label, a count that is not a whole number >= 0, a
        repeated (region, sector, role).
    ConfigError
        The file does not exist.
    """
    path = population_path(source)
    if not path.is_file():
        raise ConfigError(f"population table {path} not found (give a CSV file, a workbook or "
                          f"'{UK_WORKFORCE}')")
    problems: list[Problem] = []
    raw, name = _read_cells(path, problems)
    if raw is None:
        raise ValidationError(problems)
    # Headers as spreadsheets write them ("Region", "Count ") name the same columns.
    raw.columns = [str(c).strip().lower() if str(c).strip().lower() in POPULATION_COLUMNS
                   else str(c).strip() for c in raw.columns]
    twice = [c for c in POPULATION_COLUMNS if list(raw.columns).count(c) > 1]
    if twice:
        raise ValidationError([Problem(name, 1, c, "column appears twice; keep one")
                               for c in twice])
    missing = [c for c in POPULATION_COLUMNS if c not in raw.columns]
    if missing:
        raise ValidationError([Problem(name, None, c, "column is missing (a population table "
                                       "has region, sector, role and count)") for c in missing])
    raw = pd.DataFrame({c: raw[c].astype(str).str.strip() for c in raw.columns})
    problems = _cell_problems(raw, name)
    if problems:
        raise ValidationError(problems)
    table = raw.copy()
    table["count"] = np.array([whole_count(v) for v in raw["count"]], dtype=np.int64)
    rest = [c for c in table.columns if c not in POPULATION_COLUMNS]
    return table[[*POPULATION_COLUMNS, *rest]].reset_index(drop=True)


def _read_cells(path: Path, problems: list[Problem]) -> tuple[pd.DataFrame | None, str]:
    """Every cell of the file as text, and how messages name it (the file, or file and sheet)."""
    if path.stat().st_size == 0:
        problems.append(Problem(path.name, None, None, "file is empty"))
        return None, path.name
    if path.suffix.lower() not in SPREADSHEET_SUFFIXES:
        return read_csv_text(path, ReadOptions(), problems, []), path.name
    book = open_workbook(path, problems)
    if book is None:
        return None, path.name
    visible = book.visible_names
    named = [n for n in visible if n.strip().lower() in ("population", path.stem.lower())]
    filled = named[:1] or [n for n in visible if any(any(r) for r in book.rows(n)[:2])]
    if len(filled) != 1:
        problems.append(Problem(path.name, None, None,
                                f"has {len(filled)} sheets with data; name the one to read "
                                "'population'"))
        return None, path.name
    return book.text_frame(filled[0], problems), book.where(filled[0])


def _cell_problems(raw: pd.DataFrame, name: str) -> list[Problem]:
    problems = []
    rows = np.arange(len(raw)) + 2  # spreadsheet rows: the header is row 1
    for col in POPULATION_COLUMNS[:3]:
        empty = raw[col] == ""
        problems += [Problem(name, int(r), col, "is empty") for r in rows[empty.to_numpy()]]
    text = raw["count"]
    whole = np.array([whole_count(v) is not None for v in text], dtype=bool)
    problems += [Problem(name, int(r), "count", f"must be a whole number >= 0, got {v!r}")
                 for r, v in zip(rows[~whole], text[~whole], strict=True)]
    keys = [tuple(k) for k in raw[list(POPULATION_COLUMNS[:3])].to_numpy()]
    first: dict[tuple, int] = {}
    for r, key in zip(rows, keys, strict=True):
        if key in first:
            problems.append(Problem(name, int(r), None, f"repeats region, sector and role "
                                                        f"{', '.join(key)} (first on row "
                                                        f"{first[key]})"))
        else:
            first[key] = int(r)
    return problems


def population_sources() -> pd.DataFrame:
    """The sources of the packaged ``uk_workforce`` table: ``key`` (as in its ``sources`` column),
    ``publisher``, ``title``, ``year``, ``url`` and ``used_for`` (the figures taken from it).

    Examples
    --------
    >>> population_sources().set_index("key").loc["25", "publisher"]
    'NHS Providers'
    """
    path = resources.files("alumni_net.synth") / "data" / "uk_workforce_sources.csv"
    return pd.read_csv(str(path), dtype=str, keep_default_na=False)


def scale_counts(counts: ArrayLike, total: int) -> np.ndarray:
    """Whole numbers proportional to ``counts`` that add up to ``total`` exactly.

    Largest-remainder (Hamilton) rounding: each gets ``floor(count * total / sum)``, and the
    people left over go to the largest fractional parts (ties to the earlier entry), so shares
    are kept to within one person and the same table always gives the same numbers.
    """
    counts = np.asarray(counts, dtype=np.float64)
    if total < 0 or counts.sum() <= 0:
        raise ConfigError(f"cannot scale counts summing to {counts.sum():g} to {total}")
    exact = counts * (total / counts.sum())
    base = np.floor(exact).astype(np.int64)
    left = int(total - base.sum())
    order = np.argsort(-(exact - base), kind="stable")
    base[order[:left]] += 1
    return base


def split_counts(counts: ArrayLike, region: ArrayLike, n_people: int, community_share: float,
                 n_regions: int) -> tuple[np.ndarray, np.ndarray]:
    """A population table's ``counts`` scaled to its share of ``n_people``, and the people who
    use services (``community_share`` of ``n_people``) by region, spread as the workforce is.

    ``region`` holds each row's region code (``0 .. n_regions - 1``). The synthetic generator and
    the workforce estimate (:func:`alumni_net.synth.population.preset_population`) both count a
    preset's people with this one function, so they place the same people.

    Examples
    --------
    >>> workforce, community = split_counts([30, 10, 60], [0, 0, 1], 110, 1 / 11, 2)
    >>> workforce.tolist(), community.tolist()
    ([30, 10, 60], [4, 6])
    """
    n_comm = round(n_people * community_share)
    scaled = scale_counts(counts, n_people - n_comm)
    by_region = np.bincount(np.asarray(region, dtype=np.int64), weights=scaled,
                            minlength=n_regions)
    comm = scale_counts(by_region, n_comm) if n_comm else np.zeros(n_regions, np.int64)
    return scaled, comm
