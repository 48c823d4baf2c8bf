"""One table file (CSV or a workbook) as text cells, problems recorded rather than raised.

The survey reads files people export from form tools and spreadsheets. It reads them with the
io stage's reading machinery (:mod:`alumni_net.io.toolkit`), as every dataset is read: UTF-8 with
or without a byte-order mark (Excel's "CSV UTF-8" writes one), the separator found in the header
(comma, semicolon, tab), a workbook through python-calamine (its ``responses`` / ``roster`` /
``population`` sheet when there is one, else its only visible sheet with data).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from alumni_net.core.tables import restore
from alumni_net.errors import Problem
from alumni_net.io.toolkit import SPREADSHEET_SUFFIXES, ReadOptions, open_workbook, read_csv_text

__all__ = ["SUFFIXES", "read_table_file"]

SUFFIXES = (".csv", *SPREADSHEET_SUFFIXES)
_SHEETS = ("responses", "roster", "population")


def read_table_file(path: Path, problems: list[Problem],
                    notes: list[str] | None = None) -> pd.DataFrame | None:
    """Every cell as stripped text ('' when empty); None (with a problem) when unreadable."""
    notes = notes if notes is not None else []
    if not path.is_file():
        problems.append(Problem(str(path), None, None, "file not found"))
        return None
    if path.stat().st_size == 0:
        problems.append(Problem(path.name, None, None, "file is empty"))
        return None
    suffix = path.suffix.lower()
    if suffix in SPREADSHEET_SUFFIXES:
        frame = _sheet(path, problems)
    elif suffix == ".csv":
        frame = read_csv_text(path, ReadOptions(), problems, notes)
    else:
        problems.append(Problem(path.name, None, None,
                                f"is not a table the survey reads ({', '.join(SUFFIXES)})"))
        return None
    if frame is None:
        return None
    frame.columns = [str(c).strip() for c in frame.columns]
    return restore(frame.fillna("").astype(str).apply(lambda c: c.str.strip()))


def _sheet(path: Path, problems: list[Problem]) -> pd.DataFrame | None:
    book = open_workbook(path, problems)
    if book is None:
        return None
    visible = book.visible_names
    for name in (*_SHEETS, path.stem.lower()):
        named = [n for n in visible if n.strip().lower() == name]
        if named:
            return book.text_frame(named[0], problems)
    filled = [n for n in visible if any(any(r) for r in book.rows(n)[:2])]
    if len(filled) != 1:
        problems.append(Problem(path.name, None, None,
                                f"has {len(filled)} sheets with data; name the one to read "
                                f"'{path.stem}' or one of {', '.join(_SHEETS)}"))
        return None
    return book.text_frame(filled[0], problems)
