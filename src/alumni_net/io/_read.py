"""Read one ``people`` or ``ties`` table (CSV, Parquet or a spreadsheet) as text, recording
problems instead of raising."""

from __future__ import annotations

import datetime
from pathlib import Path

import numpy as np
import pandas as pd

from alumni_net.core.tables import restore
from alumni_net.errors import AlumniNetError, Problem
from alumni_net.io._excel import SPREADSHEET_SUFFIXES, open_workbook
from alumni_net.io._schema import REQUIRED, match_headers
from alumni_net.io._tables import ReadOptions, Table
from alumni_net.io._text import read_csv_text

_STR = pd.api.types.pandas_dtype("str")

__all__ = ["SUFFIXES", "find_table", "read_table", "text_table"]

# Order matters: the first format found wins, and a folder holding two is reported.
SUFFIXES = (".csv", ".parquet", ".xlsx", ".xls", ".ods")


def find_table(folder: Path, stem: str, problems: list[Problem]) -> Path | None:
    """The one file ``stem.<suffix>`` in ``folder``; a problem when there is none or several."""
    found = [folder / f"{stem}{s}" for s in SUFFIXES if (folder / f"{stem}{s}").is_file()]
    folders = [folder / f"{stem}{s}" for s in SUFFIXES if (folder / f"{stem}{s}").is_dir()]
    if not found and folders:
        problems.append(Problem(folders[0].name, None, None, "is a folder, not a file"))
        return None
    if not found:
        others = ", ".join(s for s in SUFFIXES[1:])
        problems.append(
            Problem(f"{folder}/{stem}.csv", None, None,
                    f"file not found (also looked for {others})")
        )
        return None
    if len(found) > 1:
        names = ", ".join(p.name for p in found)
        problems.append(Problem(str(folder), None, None,
                                f"holds {names}; keep only one {stem} file"))
        return None
    return found[0]


def read_table(path: Path, problems: list[Problem], options: ReadOptions | None = None,
               notes: list[str] | None = None) -> Table | None:
    """The ``people`` or ``ties`` table in ``path`` as text with schema names; None if
    unreadable."""
    options = options or ReadOptions()
    notes = notes if notes is not None else []
    suffix = path.suffix.lower()
    if path.stat().st_size == 0:
        problems.append(Problem(path.name, None, None, "file is empty"))
        return None
    where = path.name
    if suffix == ".csv":
        frame = read_csv_text(path, options, problems, notes, arrow=True)
    elif suffix == ".parquet":
        frame = _read_parquet(path, problems)
    elif suffix in SPREADSHEET_SUFFIXES:
        frame, where = _read_sheet(path, problems, notes)
    else:
        problems.append(Problem(path.name, None, None, "is not a table the package reads"))
        return None
    if frame is None:
        return None
    return text_table(frame, where, path.stem.lower(), problems, notes)


def text_table(frame: pd.DataFrame, where: str, table: str | None, problems: list[Problem],
               notes: list[str]) -> Table | None:
    """A frame of text as a :class:`Table`: headers matched to the schema (the renames noted
    once), and a header found below row 1 reported."""
    names, renamed = match_headers(list(frame.columns), table if table in REQUIRED else None)
    frame.columns = names
    shown = {k: v for k, v in renamed.items() if k.strip().lower() != v}
    if shown:
        pairs = ", ".join(f"'{k}' as {v}" for k, v in shown.items())
        notes.append(f"{where}: read the header{'s' if len(shown) > 1 else ''} {pairs}")
    if _header_below(frame, where, table, problems):
        return None
    return Table(frame, where, headers={v: k.strip() for k, v in renamed.items()})


def _header_below(frame: pd.DataFrame, where: str, table: str | None,
                  problems: list[Problem]) -> bool:
    """A title or blank rows above the header: say on which row the header is."""
    if table not in REQUIRED:
        return False
    key = REQUIRED[table][0]
    if key in frame.columns:
        return False
    for i, row in enumerate(frame.head(20).itertuples(index=False)):
        if any(isinstance(v, str) and match_headers([v])[0] == [key] for v in row):
            problems.append(
                Problem(where, i + 2, key,
                        f"the header (with {key}) is on row {i + 2}, not row 1; delete the rows "
                        "above it")
            )
            return True
    return False


def _read_parquet(path: Path, problems: list[Problem]) -> pd.DataFrame | None:
    try:
        import pyarrow.parquet as pq

        table = pq.read_table(path)
        text = _arrow_text(table)
        if text is not None:  # every column text, as the package writes them: no pandas trip
            return text
        frame = pd.read_parquet(path)
    except ImportError as exc:
        raise AlumniNetError(f"reading {path.name} needs pyarrow ({exc})") from exc
    except Exception as exc:  # noqa: BLE001 - any reader failure is a problem with the file
        problems.append(Problem(path.name, None, None, f"cannot be read as Parquet ({exc})"))
        return None
    return restore(frame.apply(_as_text))


# What Python's str.strip() removes (str.isspace): a cell starting or ending with one of these
# sends its table down the general path, which strips cell by cell as a CSV is read.
_SPACE_AT_END = r"^[\t-\r\x1c-\x20\x85\p{Z}]|[\t-\r\x1c-\x20\x85\p{Z}]$"


def _arrow_text(table) -> pd.DataFrame | None:
    """A table whose every column is text (plain or dictionary-encoded, no index columns) as
    pandas' Arrow-backed text with missing as '', as a clean CSV is read: the Parquet tables the
    package writes load in seconds. None for anything else (numbers, dates, an index, pandas
    without Arrow text, cells to strip), which takes the general path."""
    import pyarrow as pa
    import pyarrow.compute as pc

    meta = table.schema.pandas_metadata or {}
    if getattr(_STR, "storage", None) != "pyarrow" or meta.get("index_columns") \
            or table.num_rows == 0 or len(set(table.column_names)) < table.num_columns:
        return None
    columns, quoted = {}, False
    for name, column in zip(table.column_names, table.columns, strict=True):
        kind = column.type.value_type if pa.types.is_dictionary(column.type) else column.type
        if not (pa.types.is_string(kind) or pa.types.is_large_string(kind)):
            return None
        column = column.cast(pa.large_string())
        if column.null_count:
            column = pc.fill_null(column, "")
        if _may_hold_spaces(column) and pc.any(pc.match_substring_regex(
                column, _SPACE_AT_END)).as_py():
            return None
        quoted = quoted or bool(pc.any(pc.match_substring(column, "'")).as_py())
        columns[name] = pd.Series(pd.array(column, dtype=_STR), copy=False)
    frame = pd.DataFrame(columns)
    # cells the package quoted against spreadsheets ('=..., '-...) read back as written
    return restore(frame) if quoted or any("'" in n for n in columns) else frame


def _may_hold_spaces(column) -> bool:
    """Whether any byte of the text could be (part of) a character str.isspace() is true of:
    an ASCII space or control (<= 0x20), or a lead byte of U+0085, U+00A0 or U+1680..U+3000
    (>= 0xC2). Two reductions over the raw bytes, no copy, so columns of ids and codes (the
    usual case) skip the regular expression."""
    for chunk in column.chunks:
        data = chunk.buffers()[2]
        if data is not None and data.size:
            raw = np.frombuffer(data, np.uint8)
            if raw.min() <= 0x20 or raw.max() >= 0xC2:
                return True
    return False


def _read_sheet(path: Path, problems: list[Problem], notes: list[str]):
    """The sheet named like the file (``people``), else the only visible sheet with data."""
    book = open_workbook(path, problems)
    if book is None:
        return None, path.name
    named = [n for n in book.visible_names if n.strip().lower() == path.stem.lower()]
    filled = named or [n for n in book.visible_names if any(any(r) for r in book.rows(n)[:2])]
    chosen = filled[:1] if named or len(filled) == 1 else []
    hidden = [n for n in book.names if n not in book.visible_names]
    note = book.hidden_note(chosen) if hidden and chosen else None
    if note:
        notes.append(note)
    if not chosen and not filled:
        if hidden:
            problems.append(Problem(path.name, None, None,
                                    f"its only data are in hidden sheet(s) "
                                    f"{', '.join(repr(n) for n in hidden)}, which are never read; "
                                    "unhide the sheet to read"))
        else:
            problems.append(Problem(path.name, None, None, "file is empty (no sheet holds data)"))
        return None, path.name
    if not chosen:
        titles = ", ".join(f"'{n}'" for n in filled)
        problems.append(
            Problem(path.name, None, None,
                    f"has {len(filled)} sheets with data ({titles}); name the sheet to read "
                    f"'{path.stem}' or keep only that sheet")
        )
        return None, path.name
    frame = book.text_frame(chosen[0], problems)
    return frame, book.where(chosen[0])


def _as_text(col: pd.Series) -> pd.Series:
    """Cells as text the way a CSV would hold them (1001.0 becomes '1001')."""
    def one(value) -> str:
        if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NaT:
            return ""
        if isinstance(value, (float, np.floating)) and float(value).is_integer():
            return str(int(value))
        if isinstance(value, (pd.Timestamp, datetime.date)):
            return value.isoformat()
        return str(value).strip()

    return col.map(one).astype(object)
