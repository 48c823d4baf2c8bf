"""What a format module offers the registry, and helpers every reader shares."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from alumni_net.errors import Problem
from alumni_net.io.toolkit import ReadOptions, Table, Tables

__all__ = ["Format", "Sheet", "first_headers", "label_ids", "peek_headers", "read_sheets",
           "sheet_names", "table_from_columns"]

#: ``read(path, options, problems)``: the tables found, or None when ``problems`` say why not.
Reader = Callable[[Path, ReadOptions, list[Problem]], Tables | None]


@dataclass(frozen=True)
class Format:
    """One format the package reads.

    ``suffixes`` are the file endings it may have (empty for a folder layout); ``sniff`` says,
    from a cheap look at the file (or folder), whether it is in this format; ``read`` reads it;
    ``write`` (optional) writes a :class:`~alumni_net.io.Dataset` in it, for round trips;
    ``example`` is the shipped example under ``data/examples/``; ``one_line`` is what the README
    shows.
    """

    name: str
    title: str
    suffixes: tuple[str, ...]
    sniff: Callable[[Path], bool]
    read: Reader
    example: str
    one_line: str
    folder: bool = False
    write: Callable | None = None


def table_from_columns(columns: dict[str, list | np.ndarray | pd.Series], where: str,
                       rows: Sequence[int] | np.ndarray | None = None, unit: str = "row",
                       headers: dict | None = None) -> Table:
    """A :class:`Table` of text from columns of values ('' where missing)."""
    frame = pd.DataFrame({k: _text(v) for k, v in columns.items()})
    return Table(frame, where, None if rows is None else np.asarray(rows), unit, headers or {})


def _text(values) -> pd.Series:
    series = pd.Series(values, dtype=object) if not isinstance(values, pd.Series) else values
    return series.astype(object).where(series.notna(), "").map(
        lambda v: v if isinstance(v, str) else _plain(v)).astype(object)


def _plain(value) -> str:
    if isinstance(value, bool | np.bool_):
        return "true" if value else "false"
    if isinstance(value, float | np.floating) and float(value).is_integer():
        return str(int(value))
    return str(value)


def label_ids(labels: list[str]) -> dict[str, int]:
    """People known only by a label (a name) get ids 1, 2, ... in order of first appearance;
    the label is kept as their ``name``, which is pseudonymised on load.

    Examples
    --------
    >>> label_ids(["Ann", "Bo", "Ann", "Cy"])
    {'Ann': 1, 'Bo': 2, 'Cy': 3}
    """
    return {label: i + 1 for i, label in enumerate(dict.fromkeys(labels))}


@dataclass
class Sheet:
    """One sheet (or CSV file) as text: ``frame`` with its headers as written, ``where`` for
    messages; rows of ``frame`` are rows ``first_row``, ``first_row + 1``, ... of the sheet."""

    name: str
    frame: pd.DataFrame
    where: str
    first_row: int = 2


def read_sheets(path: Path, options: ReadOptions, problems: list[Problem],
                notes: list[str], *,
                skip: Callable[[str], bool] = lambda name: False) -> list[Sheet] | None:
    """The visible sheets of a workbook (hidden ones named in a note, never read), or a CSV
    file as one sheet named after the file; None with problems when unreadable."""
    from alumni_net.io.toolkit import SPREADSHEET_SUFFIXES, open_workbook, read_csv_text

    if path.suffix.lower() not in SPREADSHEET_SUFFIXES:
        frame = read_csv_text(path, options, problems, notes)
        return None if frame is None else [Sheet(path.stem, frame, path.name)]
    book = open_workbook(path, problems)
    if book is None:
        return None
    names = [n for n in book.visible_names if not skip(n)]
    note = book.hidden_note(names)
    notes += [note] if note else []
    sheets = []
    for name in names:
        if not any(any(v not in ("", None) for v in row) for row in book.rows(name)):
            continue  # an empty sheet is no data
        frame = book.text_frame(name, problems)
        if frame is not None:
            sheets.append(Sheet(name, frame, book.where(name)))
    return sheets


def first_headers(sheet: Sheet, n: int = 3) -> list[str]:
    """The first ``n`` headers of a sheet, lower case and stripped."""
    return [str(c).strip().lower() for c in list(sheet.frame.columns)[:n]]


def peek_headers(path: Path, n: int = 3) -> list[list[str]]:
    """The first ``n`` headers of each visible sheet (or of a CSV file), for ``sniff``; empty
    when the file cannot be read."""
    from alumni_net.io.toolkit import (
        SPREADSHEET_SUFFIXES,
        cell_text,
        decode,
        open_workbook,
        sniff_separator,
    )

    if path.suffix.lower() in SPREADSHEET_SUFFIXES:
        book = open_workbook(path, [])
        if book is None:
            return []
        out = []
        for name in book.visible_names:
            rows = book.rows(name)
            out.append([cell_text(v).lower() for v in (rows[0] if rows else [])][:n])
        return out
    try:
        with open(path, "rb") as fh:
            raw = fh.read(65536)
    except OSError:
        return []
    text = decode(raw, path.name, ReadOptions(), [])
    if text is None:
        text = raw.decode("cp1252", errors="replace")
    line = text.splitlines()[0] if text.strip() else ""
    import csv
    import io

    row = next(csv.reader(io.StringIO(line), delimiter=sniff_separator(text)), [])
    return [[c.strip().lower() for c in row][:n]]


def sheet_names(path: Path) -> list[str]:
    """The visible sheet names of a workbook, lower case (empty for other files)."""
    from alumni_net.io.toolkit import SPREADSHEET_SUFFIXES, open_workbook

    if path.suffix.lower() not in SPREADSHEET_SUFFIXES:
        return []
    book = open_workbook(path, [])
    return [] if book is None else [n.strip().lower() for n in book.visible_names]
