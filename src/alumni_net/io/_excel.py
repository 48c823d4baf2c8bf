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

from alumni_net.core.tables import restore
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
        has merged cells or formulas without saved values. Text the package's writers quoted so
        that a spreadsheet would not run it (``'=1``) is restored."""
        where = self.where(sheet)
        rows = self.rows(sheet)
        end = len(rows)
        while end and all(_empty(v) for v in rows[end - 1]):
            end -= 1
        if not end:
            problems.append(Problem(where, None, None, "is empty"))
            return None
        header = [cell_text(v) for v in rows[0]]
        if _merged(self, sheet, header, problems) | _formulas(self, sheet, rows, header, problems):
            return None
        width = max(map(len, rows[:end]))
        header += [f"Unnamed: {i}" for i in range(len(header), width)]
        if end == 1:
            return restore(pd.DataFrame(columns=header, dtype=object))
        grid = _grid(rows, 1, end, width)
        # Object columns, as the CSV reader gives: pandas' own string type would cost a copy
        # of every cell here and another when the readers turn the frame back to objects.
        columns = [_texts(grid[:, i]) for i in range(width)]
        frame = pd.DataFrame({i: pd.Series(c, dtype=object, copy=False)
                              for i, c in enumerate(columns)}).set_axis(header, axis=1)
        return restore(frame) if _quoted(header, columns) else frame


def _quoted(header: list[str], columns: list[np.ndarray]) -> bool:
    """Whether any cell may begin with the quote :func:`~alumni_net.core.tables.neutralise`
    adds (a cheap test on each column joined into one string; :func:`restore` looks closer)."""
    return any(h.startswith("'") for h in header) or any(
        "'" in "\n".join(c) for c in columns)


def _grid(rows: list[list], start: int, end: int, width: int) -> np.ndarray:
    """Rows ``start:end`` as a 2-d object array ``width`` wide, short rows padded with ''.

    calamine's rows are all as wide as the sheet's used range, so numpy builds the array in one
    pass in C; only rows a reader put together by hand (a sheet starting below row 1) need
    padding.
    """
    body = rows[start:end]
    if min(map(len, body)) < width:
        body = [r if len(r) == width else r + [""] * (width - len(r)) for r in body]
    grid = np.empty((len(body), width), dtype=object)
    grid[:] = body
    return grid


# The last workbook opened: finding a file's format and reading it open it several times.
_OPEN: dict[tuple, Workbook] = {}


def forget_workbooks() -> None:
    """Drop the cached workbook (the loader calls this when it is done)."""
    _OPEN.clear()
    _FORMULA_SEEN.clear()


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


def cell_text(value: object) -> str:
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


def _texts(values: np.ndarray) -> np.ndarray:
    """A column of cells (an object array) as text, as :func:`cell_text` makes each cell."""
    # Most columns hold only text, or only numbers: those skip the per-cell conversion.
    kinds = set(map(type, values))
    if kinds <= {str}:
        return np.fromiter(map(str.strip, values), dtype=object, count=len(values))
    if kinds <= {float, int} and len(values):
        numbers = values.astype(float)
        whole = np.isfinite(numbers) & (numbers == np.round(numbers)) & (np.abs(numbers) < 2**53)
        if whole.all():
            return numbers.astype(np.int64).astype(str).astype(object)
    return np.fromiter(map(cell_text, values), dtype=object, count=len(values))


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
    """Whether any worksheet of the workbook holds a formula; found once per file.

    The sheets' XML is inflated in chunks and searched as it comes (a formula usually shows in
    the first chunk; a sheet of a million rows without one is a few hundred megabytes of XML,
    which are never held whole)."""
    key = (str(path), *_stamp(path))
    if key not in _FORMULA_SEEN:
        _FORMULA_SEEN.clear()
        _FORMULA_SEEN[key] = _search_formulas(path)
    return _FORMULA_SEEN[key]


_FORMULA_SEEN: dict[tuple, bool] = {}
_CHUNK = 1 << 22


def _stamp(path: Path) -> tuple:
    try:
        stat = path.stat()
    except OSError:
        return (None, None)
    return (stat.st_mtime_ns, stat.st_size)


def _search_formulas(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as z:
            for name in z.namelist():
                if not (name.startswith("xl/worksheets/") and name.endswith(".xml")):
                    continue
                with z.open(name) as part:
                    tail = b""
                    while chunk := part.read(_CHUNK):
                        # a tag cut between two chunks is found in the three bytes kept
                        if _FORMULA.search(tail + chunk[:8]) or _FORMULA.search(chunk):
                            return True
                        tail = chunk[-3:]
            return False
    except (zipfile.BadZipFile, OSError, KeyError):
        return False
