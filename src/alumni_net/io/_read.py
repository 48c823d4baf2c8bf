"""Read one table (CSV, Parquet or Excel) as text, recording problems instead of raising."""

from __future__ import annotations

import io
import re
from pathlib import Path

import numpy as np
import pandas as pd

from alumni_net._tables import restore
from alumni_net.errors import AlumniNetError, Problem

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
    frame.columns = [str(c).strip() for c in frame.columns]
    return frame


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
    return frame.apply(_as_text)


def _as_text(col: pd.Series) -> pd.Series:
    """Cells as text the way a CSV would hold them (1001.0 read from Excel becomes '1001')."""
    def one(value) -> str:
        if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NaT:
            return ""
        if isinstance(value, (float, np.floating)) and float(value).is_integer():
            return str(int(value))
        if isinstance(value, pd.Timestamp):
            return value.isoformat()
        return str(value).strip()

    return col.map(one).astype(object)
