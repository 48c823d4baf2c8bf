"""Tables written for people to open: CSV and Excel cells a spreadsheet would run are neutralised.

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is a formula to
Excel, LibreOffice and Google Sheets (CSV injection). Following the OWASP rule, every such text
cell, header included, is written with a single quote in front, which spreadsheets show as text.
Text that already starts with quotes before such a character gets one more quote, so reading back
(:func:`read_csv`, and the dataset reader) removes exactly one and returns the original value.
Numbers are written as numbers: a negative number is not a formula.

Every CSV and Excel file the package writes goes through :func:`write_csv`, :func:`csv_text` or
:func:`write_excel`; files the package reads back go through :func:`read_csv` or :func:`restore`.
"""

from __future__ import annotations

import io
import os
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from alumni_net.core._csv import plain_csv
from alumni_net.core.files import atomic_write_bytes

__all__ = [
    "coded_text",
    "csv_text",
    "neutralise",
    "neutralise_value",
    "read_csv",
    "restore",
    "restore_value",
    "write_csv",
    "write_excel",
    "write_workbook",
]

# Any run of quotes, then a character that starts a formula: written with one more quote.
_NEEDS_QUOTE_RE = re.compile(r"^'*[=+\-@\t\r]")
_QUOTED_RE = re.compile(r"^'+[=+\-@\t\r]")


def neutralise_value(value: Any) -> Any:
    """One cell as written: text a spreadsheet would run gets a leading single quote.

    Examples
    --------
    >>> [neutralise_value(v) for v in ['=HYPERLINK("x")', "-2", "'=1", "health", -2]]
    ['\\'=HYPERLINK("x")', "'-2", "''=1", 'health', -2]
    """
    if isinstance(value, str) and _NEEDS_QUOTE_RE.match(value):
        return "'" + value
    return value


def restore_value(value: Any) -> Any:
    """Undo :func:`neutralise_value` (text that was not neutralised is returned unchanged).

    Examples
    --------
    >>> [restore_value(v) for v in ["'=1", "''=1", "'quoted", "health"]]
    ['=1', "'=1", "'quoted", 'health']
    """
    if isinstance(value, str) and _QUOTED_RE.match(value):
        return value[1:]
    return value


def _is_text(col: pd.Series) -> bool:
    return pd.api.types.is_object_dtype(col) or pd.api.types.is_string_dtype(col)


#: Every cell either pattern matches starts with one of these bytes.
_FIRST_BYTES = np.frombuffer(b"'=+-@\t\r", dtype=np.uint8)


def _hits(values: pd.Series, pattern: re.Pattern) -> np.ndarray:
    """Which cells are text matching ``pattern`` (vectorised for pandas' string dtype)."""
    if pd.api.types.is_object_dtype(values):
        return np.fromiter((isinstance(v, str) and pattern.match(v) is not None for v in values),
                           dtype=bool, count=len(values))
    maybe = _may_start_a_match(values)
    if maybe is None:
        return values.str.match(pattern.pattern).fillna(False).to_numpy(dtype=bool)
    hits = np.zeros(len(values), dtype=bool)
    where = np.flatnonzero(maybe)
    if len(where):  # the regular expression only where the first byte allows a match
        some = values.iloc[where]
        hits[where] = some.str.match(pattern.pattern).fillna(False).to_numpy(dtype=bool)
    return hits


def _may_start_a_match(values: pd.Series) -> np.ndarray | None:
    """For Arrow-backed text, the cells whose first byte is one of :data:`_FIRST_BYTES` (read
    from Arrow's offsets and data buffers: a table of millions of ids is cleared without
    running a regular expression over each); None for other text."""
    dtype = values.dtype
    if not (isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow"):
        return None
    import pyarrow as pa

    chunks = pa.chunked_array(pa.array(values.array)).chunks
    parts = []
    for chunk in chunks:
        if not (pa.types.is_string(chunk.type) or pa.types.is_large_string(chunk.type)):
            return None
        _, offsets_buf, data_buf = chunk.buffers()
        width = np.dtype(np.int64 if pa.types.is_large_string(chunk.type) else np.int32)
        at = chunk.offset  # a slice of a larger array starts part-way into its offsets
        offsets = np.frombuffer(offsets_buf, dtype=width)[at:at + len(chunk) + 1].astype(np.int64)
        data = (np.frombuffer(data_buf, dtype=np.uint8) if data_buf is not None
                else np.zeros(0, dtype=np.uint8))
        starts, ends = offsets[:-1], offsets[1:]
        first = np.zeros(len(chunk), dtype=np.uint8)
        filled = ends > starts
        first[filled] = data[starts[filled]]
        parts.append(filled & np.isin(first, _FIRST_BYTES))  # a missing cell is never a hit
    return np.concatenate(parts) if parts else np.zeros(0, dtype=bool)


def _map_text(frame: pd.DataFrame, pattern: re.Pattern,
              one: Callable[[str], str]) -> pd.DataFrame:
    """Apply ``one`` to the text cells and column names matching ``pattern``; a clean table (the
    usual case) is only scanned, never copied."""
    out = None
    for i in range(frame.shape[1]):
        col = frame.iloc[:, i]
        if isinstance(col.dtype, pd.CategoricalDtype):
            cats = pd.Series(col.cat.categories)
            if _is_text(cats) and _hits(cats, pattern).any():
                out = frame.copy() if out is None else out
                out.isetitem(i, col.cat.rename_categories([one(v) for v in cats]))
            continue
        if not _is_text(col):
            continue
        hits = _hits(col, pattern)
        if hits.any():
            out = frame.copy() if out is None else out
            values = col.to_numpy(dtype=object).copy()
            values[hits] = [one(v) for v in values[hits]]
            out.isetitem(i, pd.Series(values, index=col.index, dtype=col.dtype))
    names = [one(c) for c in frame.columns]
    if names != list(frame.columns):
        out = (frame.copy() if out is None else out).set_axis(names, axis=1)
    return frame if out is None else out


def neutralise(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with every text cell and column name a spreadsheet would run quoted (a copy
    when anything changes; ``frame`` itself when nothing needs to).

    Examples
    --------
    >>> t = pd.DataFrame({"sector": ["=1+1", "health"], "n": [-3, 4]})
    >>> neutralise(t).to_dict("list")
    {'sector': ["'=1+1", 'health'], 'n': [-3, 4]}
    """
    return _map_text(frame, _NEEDS_QUOTE_RE, neutralise_value)


def restore(frame: pd.DataFrame) -> pd.DataFrame:
    """Undo :func:`neutralise` on a table read back from a file the package wrote."""
    return _map_text(frame, _QUOTED_RE, restore_value)


def csv_text(frame: pd.DataFrame, **kwargs: Any) -> str:
    """``frame.to_csv(index=False, **kwargs)`` after :func:`neutralise`.

    Tables of plain columns (numbers, booleans, text) are formatted by Arrow's compute kernels
    rather than pandas' row writer, byte for byte as pandas writes them (:mod:`._csv`): a
    national person table of millions of rows takes seconds instead of a minute.

    Examples
    --------
    >>> print(csv_text(pd.DataFrame({"sector": ["@SUM(A1)", "health"]})), end="")
    sector
    '@SUM(A1)
    health
    """
    return _csv_bytes(frame, kwargs).decode("utf-8")


def write_csv(frame: pd.DataFrame, path: str | os.PathLike, **kwargs: Any) -> Path:
    """Write ``frame`` as CSV (neutralised, atomically: a temporary file then a rename)."""
    return atomic_write_bytes(path, _csv_bytes(frame, kwargs))


def _csv_bytes(frame: pd.DataFrame, kwargs: dict[str, Any]) -> bytes:
    kwargs.setdefault("index", False)
    frame = neutralise(frame)
    if kwargs == {"index": False}:
        fast = plain_csv(frame)
        if fast is not None:
            return fast
    return frame.to_csv(**kwargs).encode("utf-8")


def write_excel(frame: pd.DataFrame, path: str | os.PathLike, *, sheet_name: str = "Sheet1",
                **kwargs: Any) -> Path:
    """Write ``frame`` as an Excel sheet (neutralised, atomically)."""
    buf = io.BytesIO()
    kwargs.setdefault("index", False)
    neutralise(frame).to_excel(buf, sheet_name=sheet_name, **kwargs)
    return atomic_write_bytes(path, buf.getvalue())


def write_workbook(sheets: dict[str, pd.DataFrame], path: str | os.PathLike) -> Path:
    """Write several frames as the sheets of one Excel workbook (neutralised, atomically).

    Control characters a worksheet cannot hold (NUL and the like) are written as U+FFFD.
    """
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    def legal(value: Any) -> Any:
        return ILLEGAL_CHARACTERS_RE.sub("\ufffd", value) if isinstance(value, str) else value

    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as writer:
        for name, frame in sheets.items():
            neutralise(frame).map(legal).to_excel(writer, sheet_name=name, index=False)
    return atomic_write_bytes(path, buf.getvalue())


def read_csv(path: str | os.PathLike, **kwargs: Any) -> pd.DataFrame:
    """Read a CSV the package wrote, neutralised cells back to their original values.

    A text column that was only text because of the quotes (negative numbers written as text)
    comes back as numbers, as ``pandas.read_csv`` would have read the unquoted file.
    """
    frame = pd.read_csv(path, **kwargs)
    restored = restore(frame)
    if restored is frame:
        return frame
    for i in range(restored.shape[1]):
        col, before = restored.iloc[:, i], frame.iloc[:, i]
        if pd.api.types.is_object_dtype(col) and not col.equals(before):
            numbers = pd.to_numeric(col, errors="coerce")
            if numbers.notna().sum() == col.notna().sum():
                restored.isetitem(i, numbers)
    return restored


_STR = pd.api.types.pandas_dtype("str")


def coded_text(labels: Sequence[str] | np.ndarray | Any,
               codes: np.ndarray) -> pd.api.extensions.ExtensionArray:
    """``labels[codes]`` as pandas text (missing where ``codes < 0``).

    With Arrow-backed strings (pandas' default when pyarrow is installed) this is an Arrow
    ``take``, never making a Python string per row: 10x faster for millions of ties.

    Examples
    --------
    >>> text = coded_text(["a", "b"], np.array([1, -1, 0]))
    >>> text[0], text[2], bool(pd.isna(text[1]))
    ('b', 'a', True)
    """
    import pyarrow as pa

    codes = np.asarray(codes)
    missing = codes < 0
    if getattr(_STR, "storage", None) == "pyarrow":
        labels = labels if isinstance(labels, pa.Array) else pa.array(
            np.asarray(labels, dtype=object), type=pa.string())
        if missing.any():
            indices = pa.array(np.where(missing, 0, codes).astype(np.int64), mask=missing)
        else:  # no validity mask to carry: several times faster on millions of rows
            indices = pa.array(codes.astype(np.int64, copy=False))
        return pd.array(labels.take(indices), dtype=_STR)
    labels = np.asarray(labels.to_pylist() if isinstance(labels, pa.Array) else labels,
                        dtype=object)
    values = labels[np.where(missing, 0, codes)] if len(labels) else np.full(len(codes), None)
    values[missing] = None
    return pd.array(values, dtype=_STR)
