"""Read an Excel workbook as a table of text, refusing the layouts that would lose people silently.

A workbook is read only when it is unambiguous: the sheet named like the file (``people`` or
``ties``) or the workbook's only sheet with data, and no merged cells in it (pandas reads a merged
block as one value and blanks, so a merged ``cohort`` cell would keep one alum in the cohort and
drop the rest without a word).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from alumni_net.errors import AlumniNetError, Problem

__all__ = ["read_excel"]


def read_excel(path: Path, problems: list[Problem]) -> pd.DataFrame | None:
    """The one sheet of people or ties in ``path`` as objects, or None with a problem."""
    try:
        import openpyxl
    except ImportError as exc:
        raise AlumniNetError(
            f"reading {path.name} needs openpyxl: pip install 'alumni-net[io]' ({exc})"
        ) from exc
    try:
        # Not read-only: merged ranges are only known to a fully loaded sheet.
        book = openpyxl.load_workbook(path, data_only=True)
    except Exception as exc:  # noqa: BLE001 - any reader failure is a problem with the file
        problems.append(Problem(path.name, None, None, f"cannot be read as Excel ({exc})"))
        return None
    try:
        sheet = _the_sheet(book, path, problems)
        if sheet is None or _merged(sheet, path, problems):
            return None
        rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    finally:
        book.close()
    while rows and all(v is None for v in rows[-1]):
        rows.pop()
    if not rows:
        problems.append(Problem(f"{path.name}, sheet '{sheet.title}'", None, None, "is empty"))
        return None
    header = ["" if v is None else str(v) for v in rows[0]]
    width = max(len(r) for r in rows)
    header += [f"Unnamed: {i}" for i in range(len(header), width)]
    return pd.DataFrame([r + [None] * (width - len(r)) for r in rows[1:]], columns=header,
                        dtype=object)


def _the_sheet(book, path: Path, problems: list[Problem]):
    named = [ws for ws in book.worksheets if ws.title.strip().lower() == path.stem.lower()]
    if named:
        return named[0]
    filled = [ws for ws in book.worksheets if ws.max_row > 1 or ws.cell(1, 1).value is not None]
    if len(filled) == 1:
        return filled[0]
    if not filled:
        problems.append(Problem(path.name, None, None, "file is empty (no sheet holds data)"))
        return None
    titles = ", ".join(f"'{ws.title}'" for ws in filled)
    problems.append(
        Problem(path.name, None, None,
                f"has {len(filled)} sheets with data ({titles}); name the sheet to read "
                f"'{path.stem}' or keep only that sheet")
    )
    return None


def _merged(sheet, path: Path, problems: list[Problem]) -> bool:
    ranges = sorted(sheet.merged_cells.ranges, key=lambda r: (r.min_row, r.min_col))
    for r in ranges[:20]:
        header = sheet.cell(1, r.min_col).value
        column = str(header) if header is not None and r.min_row > 1 else None
        problems.append(
            Problem(f"{path.name}, sheet '{sheet.title}'", r.min_row, column,
                    f"cells {r.coord} are merged, so only the first holds a value; unmerge them "
                    "and fill every cell")
        )
    return bool(ranges)
