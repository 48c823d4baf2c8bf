"""One table file (CSV or Excel) as text cells, problems recorded rather than raised.

The survey reads files people export from form tools and spreadsheets: UTF-8 with or without a
byte-order mark (Excel's "CSV UTF-8" writes one), comma- or semicolon-separated, or a workbook
(its ``responses``/``roster``/``population`` sheet when there is one, else its first sheet).
"""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd

from alumni_net.core.tables import restore
from alumni_net.errors import Problem

__all__ = ["SUFFIXES", "read_table_file"]

SUFFIXES = (".csv", ".xlsx")


def read_table_file(path: Path, problems: list[Problem]) -> pd.DataFrame | None:
    """Every cell as stripped text ('' when empty); None (with a problem) when unreadable."""
    if not path.is_file():
        problems.append(Problem(str(path), None, None, "file not found"))
        return None
    if path.stat().st_size == 0:
        problems.append(Problem(path.name, None, None, "file is empty"))
        return None
    try:
        frame = _excel(path) if path.suffix.lower() in (".xlsx", ".xlsm") else _csv(path)
    except UnicodeDecodeError as exc:
        problems.append(Problem(path.name, None, None,
                                f"is not UTF-8 text ({exc.reason}); save it as CSV UTF-8"))
        return None
    except Exception as exc:  # noqa: BLE001 - any reader failure is a problem with the file
        kind = "Excel" if path.suffix.lower().startswith(".xls") else "CSV"
        problems.append(Problem(path.name, None, None, f"cannot be read as {kind} ({exc})"))
        return None
    frame.columns = [str(c).strip() for c in frame.columns]
    return restore(frame.fillna("").astype(str).apply(lambda c: c.str.strip()))


def _csv(path: Path) -> pd.DataFrame:
    text = path.read_bytes().decode("utf-8-sig")
    header = text.split("\n", 1)[0]
    sep = ";" if header.count(";") > header.count(",") else ","
    return pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False)


def _excel(path: Path) -> pd.DataFrame:
    sheets = pd.read_excel(path, sheet_name=None, dtype=str)
    for name in ("responses", "roster", "population", path.stem):
        for title, frame in sheets.items():
            if title.strip().lower() == name:
                return frame
    return next(iter(sheets.values()))
