"""Spreadsheet workbooks (.xlsx, .xls, .ods) as tables of text, refusing what would lose data.

Cells are read with calamine (``python-calamine``, the ``io`` extra): a million rows in seconds,
where openpyxl takes most of a minute, and .xls and .ods as well as .xlsx. What calamine does
not say is checked beside it:

- **Hidden sheets are never read silently.** Readers choose among visible sheets only; a hidden
  sheet that would have been chosen is named in a note, and a workbook whose only data are
  hidden is refused.
- **Formulas without saved values.** A workbook written by a script (openpyxl, pandas) holds
  formulas such as ``=1`` without the value Excel would have computed and saved, so every reader
  sees an empty cell. When a sheet holds formulas, openpyxl finds them, and each formula cell
  read as empty is a problem naming its sheet and cell.
- **Merged cells** hold their value in the first cell only (a merged ``cohort`` block would keep
  one alum in the cohort and drop the rest): refused, naming the cells.
"""

from __future__ import annotations

import datetime
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from alumni_net.errors import AlumniNetError, Problem

__all__ = ["SPREADSHEET_SUFFIXES", "Workbook", "cell_text", "forget_workbooks", "open_workbook"]

SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
_FORMULA = re.compile(rb"<f[ >/]")


@dataclass
class Workbook:
    """A workbook's sheets, in order, with their visibility; cells read on demand."""

    path: Path
    names: list[str]
    visible: dict[str, bool]
    _book: Any  # python_calamine.CalamineWorkbook (the io extra, imported on use)

    def where(self, sheet: str) -> str:
        return f"{self.path.name}, sheet '{sheet}'"

    @property
    def visible_names(self) -> list[str]:
        return [n for n in self.names if self.visible[n]]

    def hidden_note(self, chosen: list[str]) -> str | None:
        """A note naming the hidden sheets (which are never read)."""
        hidden = [n for n in self.names if not self.visible[n]]
        if not hidden:
            return None
        names = ", ".join(f"'{n}'" for n in hidden)
        read = ", ".join(f"'{n}'" for n in chosen) or "no sheet"
        return (f"{self.path.name}: hidden sheet{'s' if len(hidden) > 1 else ''} {names} "
                f"{'were' if len(hidden) > 1 else 'was'} not read (hidden sheets never are; "
                f"read {read}); unhide a sheet to read it")

    def rows(self, sheet: str) -> list[list]:
        """The sheet's cells as Python values from A1 ('' or None where empty); read once."""
        cache = self.__dict__.setdefault("_cells", {})
        if sheet not in cache:
            cache[sheet] = self._rows(sheet)
        return cache[sheet]

    def _sheet(self, sheet: str):
        # calamine parses the whole sheet on each get_sheet_by_name: once per sheet.
        cache = self.__dict__.setdefault("_sheets", {})
        if sheet not in cache:
            cache[sheet] = self._book.get_sheet_by_name(sheet)
        return cache[sheet]

    def _rows(self, sheet: str) -> list[list]:
        data = self._sheet(sheet)
        rows = data.to_python()
        top, left = data.start if rows else (0, 0)
        if left:
            rows = [[""] * left + r for r in rows]
        return [[] for _ in range(top)] + rows

    def merged(self, sheet: str) -> list:
        return list(self._sheet(sheet).merged_cell_ranges or [])

    def text_frame(self, sheet: str, problems: list[Problem]) -> pd.DataFrame | None:
        """The sheet as a frame of text, header on row 1; None (with problems) when it is empty,
        has merged cells or formulas without saved values."""
        where = self.where(sheet)
        rows = list(self.rows(sheet))
        while rows and all(_empty(v) for v in rows[-1]):
            rows.pop()
        if not rows:
            problems.append(Problem(where, None, None, "is empty"))
            return None
        header = [cell_text(v) for v in rows[0]]
        if _merged(self, sheet, header, problems) | _formulas(self, sheet, rows, header, problems):
            return None
        width = max(len(r) for r in rows)
        header += [f"Unnamed: {i}" for i in range(len(header), width)]
        body = [r + [""] * (width - len(r)) for r in rows[1:]]
        columns = list(zip(*body, strict=True)) if body else [() for _ in header]
        return pd.DataFrame({i: _texts(col) for i, col in enumerate(columns)}).set_axis(
            header, axis=1) if body else pd.DataFrame(columns=header, dtype=object)


# The last workbook opened: finding a file's format and reading it open it several times.
_OPEN: dict[tuple, Workbook] = {}


def forget_workbooks() -> None:
    """Drop the cached workbook (the loader calls this when it is done)."""
    _OPEN.clear()


def open_workbook(path: Path, problems: list[Problem]) -> Workbook | None:
    """Open a workbook, or None with a problem; a missing reader is an error naming the extra."""
    try:
        stat = path.stat()
    except OSError as exc:
        problems.append(Problem(path.name, None, None, f"cannot be read ({exc.strerror})"))
        return None
    key = (str(path.resolve()), stat.st_mtime_ns, stat.st_size)
    if key in _OPEN:
        return _OPEN[key]
    book = _open(path, problems)
    if book is not None:
        _OPEN.clear()
        _OPEN[key] = book
    return book


def _open(path: Path, problems: list[Problem]) -> Workbook | None:
    try:
        import python_calamine
    except ImportError as exc:
        raise AlumniNetError(
            f"reading {path.name} needs python-calamine (and openpyxl for formulas): "
            f"pip install 'alumni-net[io]' ({exc})"
        ) from exc
    try:
        book = python_calamine.CalamineWorkbook.from_path(str(path))
        meta = list(book.sheets_metadata)
    except Exception as exc:  # noqa: BLE001 - any reader failure is a problem with the file
        kind = {".ods": "an OpenDocument spreadsheet", ".xls": "an Excel 97-2003 workbook"}.get(
            path.suffix.lower(), "an Excel workbook")
        problems.append(Problem(path.name, None, None, f"cannot be read as {kind} ({exc})"))
        return None
    visible = {m.name: str(m.visible).endswith("Visible") for m in meta}
    return Workbook(path, [m.name for m in meta], visible, book)


def cell_text(value) -> str:
    """A cell as the text a CSV would hold (1001.0 -> '1001', dates as ISO, '' when empty).

    Examples
    --------
    >>> [cell_text(v) for v in (None, 1001.0, 0.5, True, datetime.date(2020, 1, 2), " x ")]
    ['', '1001', '0.5', 'true', '2020-01-02', 'x']
    """
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if np.isnan(value):
            return ""
        return str(int(value)) if value.is_integer() and abs(value) < 2**63 else repr(value)
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    return str(value).strip()


def _texts(values) -> list[str]:
    # Most columns hold only text, or only numbers: those skip the per-cell conversion.
    kinds = set(map(type, values))
    if kinds <= {str}:
        return [v.strip() for v in values]
    if kinds <= {float, int} and len(values):
        numbers = np.asarray(values, dtype=float)
        whole = np.isfinite(numbers) & (numbers == np.round(numbers)) & (np.abs(numbers) < 2**53)
        if whole.all():
            return numbers.astype(np.int64).astype(str).tolist()
    return [cell_text(v) for v in values]


def _empty(value) -> bool:
    return value is None or value == ""


def _column_letters(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _merged(book: Workbook, sheet: str, header: list[str], problems: list[Problem]) -> bool:
    ranges = sorted(book.merged(sheet))
    for (r0, c0), (r1, c1) in ranges[:20]:
        cells = f"{_column_letters(c0)}{r0 + 1}:{_column_letters(c1)}{r1 + 1}"
        column = header[c0] if r0 > 0 and c0 < len(header) and header[c0] else None
        problems.append(Problem(book.where(sheet), r0 + 1, column,
                                f"cells {cells} are merged, so only the first holds a value; "
                                "unmerge them and fill every cell"))
    return bool(ranges)


def _formulas(book: Workbook, sheet: str, rows: list[list], header: list[str],
              problems: list[Problem]) -> bool:
    """Formula cells that every reader sees as empty (no value was saved with them)."""
    if book.path.suffix.lower() not in (".xlsx", ".xlsm") or not _has_formulas(book.path):
        return False
    import openpyxl

    found = False
    wb = openpyxl.load_workbook(book.path, read_only=True, data_only=False)
    try:
        for r, row in enumerate(wb[sheet].iter_rows(values_only=True)):
            for c, value in enumerate(row):
                if not (isinstance(value, str) and value.startswith("=")):
                    continue
                if r < len(rows) and c < len(rows[r]) and not _empty(rows[r][c]):
                    continue  # the saved value was read
                found = True
                column = header[c] if r > 0 and c < len(header) and header[c] else None
                problems.append(Problem(
                    book.where(sheet), r + 1, column,
                    f"cell {_column_letters(c)}{r + 1} holds the formula {value[:40]} with no "
                    "saved value, so it reads as empty (the file was written by a program that "
                    "does not compute formulas); open and save it in Excel, or write the values"))
    finally:
        wb.close()
    return found


def _has_formulas(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as z:
            parts = [n for n in z.namelist()
                     if n.startswith("xl/worksheets/") and n.endswith(".xml")]
            return any(_FORMULA.search(z.read(n)) for n in parts)
    except (zipfile.BadZipFile, OSError, KeyError):
        return False
