"""Read one table (CSV, Parquet or Excel) as text, recording problems instead of raising."""

from __future__ import annotations

import csv
import datetime
import io
import re
from pathlib import Path

import numpy as np
import pandas as pd

from alumni_net.core.tables import restore
from alumni_net.errors import AlumniNetError, Problem
from alumni_net.io._excel import read_excel

__all__ = ["SUFFIXES", "find_table", "read_table"]

# Order matters: the first format found wins, and a folder holding two is reported.
SUFFIXES = (".csv", ".parquet", ".xlsx", ".xls")
_BOM = b"\xef\xbb\xbf"
_PARSER_LINE = re.compile(r"line (\d+)")
_PARSER_ROW = re.compile(r"row (\d+)")
_TRAILING_SPACE = re.compile(r"[ \t]+(?=,|\r?\n|$)")


def find_table(folder: Path, stem: str, problems: list[Problem]) -> Path | None:
    """The one file ``stem.<suffix>`` in ``folder``; a problem when there is none or several."""
    found = [folder / f"{stem}{s}" for s in SUFFIXES if (folder / f"{stem}{s}").is_file()]
    folders = [folder / f"{stem}{s}" for s in SUFFIXES if (folder / f"{stem}{s}").is_dir()]
    if not found and folders:
        problems.append(Problem(folders[0].name, None, None, "is a folder, not a file"))
        return None
    if not found:
        problems.append(
            Problem(f"{folder}/{stem}.csv", None, None, "file not found (also looked for .parquet, .xlsx)")
        )
        return None
    if len(found) > 1:
        names = ", ".join(p.name for p in found)
        problems.append(Problem(str(folder), None, None, f"holds {names}; keep only one {stem} file"))
        return None
    return found[0]


def read_table(path: Path, problems: list[Problem]) -> pd.DataFrame | None:
    """Every cell as a stripped string ('' for missing); None (with a problem) if unreadable."""
    suffix = path.suffix.lower()
    if path.stat().st_size == 0:
        problems.append(Problem(path.name, None, None, "file is empty"))
        return None
    if suffix == ".csv":
        frame = _read_csv(path, problems)
    else:
        frame = _read_binary(path, suffix, problems)
    if frame is None:
        return None
    frame.columns = [_known(str(c).strip()) for c in frame.columns]
    if _header_below(frame, path, problems):
        return None
    return frame


# Columns the package knows, matched whatever their case ('Person_ID', 'SOURCE').
_KNOWN = {c.lower(): c for c in (
    "person_id", "is_alum", "cohort", "cohort_start", "action_learning_set", "sector", "region",
    "organisation", "role", "adoption_time", "name", "email", "source", "target", "kind",
    "weight", "since")}
_KEY = {"people": "person_id", "ties": "source"}


def _known(column: str) -> str:
    return _KNOWN.get(column.lower(), column)


def _header_below(frame: pd.DataFrame, path: Path, problems: list[Problem]) -> bool:
    """A title or blank rows above the header: say on which row the header is."""
    key = _KEY.get(path.stem.lower())
    if key is None or key in frame.columns:
        return False
    head = frame.head(20)
    for i, row in enumerate(head.itertuples(index=False)):
        if any(isinstance(v, str) and v.strip().lower() == key for v in row):
            problems.append(
                Problem(path.name, i + 2, key,
                        f"the header (with {key}) is on row {i + 2}, not row 1; delete the rows "
                        "above it")
            )
            return True
    return False


def _read_csv(path: Path, problems: list[Problem]) -> pd.DataFrame | None:
    raw = path.read_bytes()
    if raw.startswith(_BOM):
        problems.append(
            Problem(path.name, 1, None, "starts with a byte-order mark (BOM); save it as UTF-8 without BOM")
        )
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        row = raw[: exc.start].count(b"\n") + 1
        problems.append(
            Problem(path.name, row, None, f"is not UTF-8 text (byte 0x{raw[exc.start]:02x}); save it as UTF-8")
        )
        return None
    if not text.strip():
        problems.append(Problem(path.name, None, None, "file is empty"))
        return None
    # Spaces around values are not data; stripping them in the text is much faster than per cell
    # on millions of rows, and clean files (the usual case) skip it.
    if " ," in text or " \n" in text or "\t," in text or text.endswith((" ", "\t")):
        text = _TRAILING_SPACE.sub("", text)
    if _repeated_header(text, path, problems):  # pandas would rename the second 'x' to 'x.1'
        return None
    try:
        frame = pd.read_csv(
            io.StringIO(text), dtype=object, keep_default_na=False, skipinitialspace=True, engine="c"
        )
    except pd.errors.ParserError as exc:
        problems.append(Problem(path.name, _parser_row(str(exc)), None, _parser_message(str(exc))))
        return None
    except pd.errors.EmptyDataError:
        problems.append(Problem(path.name, None, None, "file is empty"))
        return None
    # Cells the package quoted against CSV injection ('=..., '-...) read back as written.
    return restore(frame) if "'" in text else frame


def _repeated_header(text: str, path: Path, problems: list[Problem]) -> bool:
    try:
        header = next(csv.reader(io.StringIO(text[: text.find("\n") + 1 or len(text)])), [])
    except csv.Error:
        return False  # the parser reports the file
    names = [_known(c.strip()) for c in header]
    repeated = sorted({c for c in names if c and names.count(c) > 1})
    for name in repeated:
        problems.append(Problem(path.name, 1, name, "column appears more than once in the header"))
    return bool(repeated)


def _parser_row(message: str) -> int | None:
    # pandas says "line N" counting from 1, but "row N" counting from 0 (the header is row 0).
    if match := _PARSER_LINE.search(message):
        return int(match.group(1))
    if match := _PARSER_ROW.search(message):
        return int(match.group(1)) + 1
    return None


def _parser_message(message: str) -> str:
    if "EOF inside string" in message:
        return "a quoted value is never closed (is the file truncated?)"
    match = re.search(r"Expected (\d+) fields in line \d+, saw (\d+)", message)
    if match:
        return f"has {match.group(2)} values where the header has {match.group(1)} columns"
    return f"cannot be read as CSV ({message.strip()})"


def _read_binary(path: Path, suffix: str, problems: list[Problem]) -> pd.DataFrame | None:
    try:
        if suffix == ".parquet":
            frame = pd.read_parquet(path)
        elif suffix == ".xlsx":
            frame = read_excel(path, problems)
            if frame is None:
                return None
        else:
            frame = pd.read_excel(path, sheet_name=0, dtype=object)
    except ImportError as exc:
        raise AlumniNetError(
            f"reading {path.name} needs openpyxl: pip install 'alumni-net[io]' ({exc})"
        ) from exc
    except Exception as exc:  # noqa: BLE001 - any reader failure is a problem with the file
        kind = "Parquet" if suffix == ".parquet" else "Excel"
        problems.append(Problem(path.name, None, None, f"cannot be read as {kind} ({exc})"))
        return None
    # Cells the package quoted against formula injection read back as written.
    return restore(frame.apply(_as_text))


def _as_text(col: pd.Series) -> pd.Series:
    """Cells as text the way a CSV would hold them (1001.0 read from Excel becomes '1001')."""
    def one(value) -> str:
        if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NaT:
            return ""
        if isinstance(value, (float, np.floating)) and float(value).is_integer():
            return str(int(value))
        if isinstance(value, (pd.Timestamp, datetime.date)):  # Excel dates come as datetimes
            return value.isoformat()
        return str(value).strip()

    return col.map(one).astype(object)
