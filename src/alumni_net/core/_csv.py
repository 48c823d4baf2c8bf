"""CSV bytes of a plain table, formatted by Arrow's compute kernels exactly as pandas writes them.

``DataFrame.to_csv`` turns every float into text with numpy's shortest round-trip repr and then
writes row by row through Python's ``csv`` module: about 20 seconds for a table of a million
people and 27 columns, a minute at national size. Here each column becomes one Arrow string
array and the rows are joined in C, with pandas' rules (``index=False``, ``na_rep=""``,
``QUOTE_MINIMAL``, ``"\\n"`` line ends):

- floats as ``repr`` (``1.0``, ``1e-07``, ``1.5e+20``, ``inf``; missing empty). Arrow prints
  the same shortest digits with other layout rules, which are rewritten (``1`` -> ``1.0``,
  ``1e-7`` -> ``1e-07``, ``0.00001`` -> ``1e-05``); magnitudes where the layouts differ
  otherwise (1e9 to 1e16) are formatted by Python, value by value;
- integers as digits; booleans ``True``/``False``; pandas' nullable integers and booleans the
  same, missing empty;
- text as is, quoted (inner quotes doubled) when it holds a comma, a quote or a line break.

Anything else (dates, categories, objects that are not text, one-column tables, whose empty
row pandas writes as ``""``) returns None and is written by pandas. ``tests/core`` compares
both writers byte for byte.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv

__all__ = ["plain_csv"]

_QUOTE_RE = r'[,"\r\n]'  # what QUOTE_MINIMAL quotes with "," and "\n" (csv quotes "\r" too)


def plain_csv(frame: pd.DataFrame) -> bytes | None:
    """``frame.to_csv(index=False)`` encoded as UTF-8, or None for a table this cannot write."""
    if frame.shape[1] < 2 or len(frame) == 0:
        return None
    if not all(isinstance(c, str) for c in frame.columns):
        return None
    columns = []
    for i in range(frame.shape[1]):
        text = _column_text(frame.iloc[:, i])
        if text is None:
            return None
        columns.append(text)
    header = io.StringIO()
    csv.writer(header, lineterminator="\n").writerow(list(frame.columns))
    return header.getvalue().encode("utf-8") + _body(columns)


def _body(columns: list[pa.Array]) -> bytes:
    """The rows of ready-made cells: Arrow's CSV writer when no cell is quoted (it refuses
    quotes when told not to add its own), else a join (four times slower)."""
    if not any(pc.any(pc.match_substring(c, '"')).as_py() for c in columns):
        table = pa.table(columns, names=[f"c{i}" for i in range(len(columns))])
        out = io.BytesIO()
        pa_csv.write_csv(table, out, pa_csv.WriteOptions(include_header=False,
                                                         quoting_style="none"))
        return out.getvalue()
    rows = pc.binary_join_element_wise(*columns, pa.scalar(",", pa.large_string()))
    rows = pc.binary_join_element_wise(rows, pa.scalar("", pa.large_string()),
                                       pa.scalar("\n", pa.large_string()))
    return _data_bytes(rows)


def _data_bytes(rows: pa.Array) -> bytes:
    """The concatenated values of a large_string array without nulls."""
    rows = pa.concat_arrays([rows]) if rows.offset else rows
    offsets = np.frombuffer(rows.buffers()[1], dtype=np.int64)[rows.offset:rows.offset
                                                                 + len(rows) + 1]
    data = rows.buffers()[2]
    return b"" if data is None else data.to_pybytes()[offsets[0]:offsets[-1]]


def _column_text(col: pd.Series) -> pa.Array | None:
    dtype = col.dtype
    if isinstance(dtype, np.dtype):
        if dtype == np.float64:
            return _floats(col.to_numpy())
        if dtype.kind in "iu":
            return _large(pc.cast(pa.array(col.to_numpy()), pa.string()))
        if dtype.kind == "b":
            return _booleans(pa.array(col.to_numpy()))
        if dtype.kind == "O" and pd.api.types.infer_dtype(col, skipna=True) in ("string", "empty"):
            return _text(pa.array(col.to_numpy(), type=pa.large_string(), from_pandas=True))
        return None
    if isinstance(dtype, pd.StringDtype):
        values = pa.array(col.array)  # Arrow-backed text: no Python strings made
        if isinstance(values, pa.ChunkedArray):
            values = values.combine_chunks()
        return _text(pc.cast(values, pa.large_string()))
    if isinstance(dtype, pd.BooleanDtype):
        return _booleans(pa.array(col.array, type=pa.bool_(), from_pandas=True))
    if isinstance(dtype, (pd.Int8Dtype, pd.Int16Dtype, pd.Int32Dtype, pd.Int64Dtype,
                          pd.UInt8Dtype, pd.UInt16Dtype, pd.UInt32Dtype, pd.UInt64Dtype)):
        values = pa.array(col.array, from_pandas=True)
        return _large(pc.fill_null(pc.cast(values, pa.string()), ""))
    return None


def _large(values: pa.Array) -> pa.Array:
    return pc.cast(values, pa.large_string())


def _booleans(values: pa.Array) -> pa.Array:
    text = pc.if_else(values, pa.scalar("True", pa.large_string()),
                      pa.scalar("False", pa.large_string()))
    return pc.fill_null(text, pa.scalar("", pa.large_string()))


def _text(values: pa.Array) -> pa.Array:
    needs = pc.match_substring_regex(values, _QUOTE_RE)
    if pc.any(needs).as_py():
        quoted = pc.binary_join_element_wise(
            pa.scalar('"', pa.large_string()), pc.replace_substring(values, '"', '""'),
            pa.scalar('"', pa.large_string()), pa.scalar("", pa.large_string()))
        values = pc.if_else(needs, quoted, values)
    return pc.fill_null(values, pa.scalar("", pa.large_string()))


def _floats(values: np.ndarray) -> pa.Array:
    """``repr`` of each float (numpy's ``astype(str)``, as pandas writes them), missing empty."""
    text = pc.cast(pa.array(values), pa.large_string())
    size = np.abs(values)
    with np.errstate(invalid="ignore"):
        # Arrow writes whole numbers without ".0" where repr is positional (and zero as "0").
        whole = (size < 1e9) & ((size >= 1e-4) | (size == 0)) & (values == np.trunc(values))
        tiny = (size < 1e-6) & (size > 0)  # both scientific; Arrow's exponent may be one digit
        spelled_out = (size >= 1e-6) & (size < 1e-4)  # Arrow 0.00000123, repr 1.23e-06
        by_python = (size >= 1e9) & (size < 1e16)  # Arrow 1.2e+10, repr 12000000000.0
    text = _patch(text, whole, lambda part: pc.binary_join_element_wise(
        part, pa.scalar(".0", pa.large_string()), pa.scalar("", pa.large_string())))
    # 1e-7 -> 1e-07 (exponents of 16 and more have two digits already)
    text = _patch(text, tiny, lambda part: pc.replace_substring_regex(
        part, r"e-(\d)$", r"e-0\1"))

    def scientific(part: pa.Array) -> pa.Array:
        for zeros, exponent in (("0000", "05"), ("00000", "06")):
            part = pc.replace_substring_regex(
                part, rf"^(-?)0\.{zeros}([1-9])$", rf"\1\2e-{exponent}")
            part = pc.replace_substring_regex(
                part, rf"^(-?)0\.{zeros}([1-9])(\d+)$", rf"\1\2.\3e-{exponent}")
        return part

    text = _patch(text, spelled_out, scientific)
    text = _patch(text, by_python, lambda part: pa.array(
        [repr(v) for v in values[by_python].tolist()], type=pa.large_string()))
    return _patch(text, np.isnan(values), lambda part: pa.array(
        [""] * len(part), type=pa.large_string()))


def _patch(text: pa.Array, where: np.ndarray,
           rewrite: Callable[[pa.Array], pa.Array]) -> pa.Array:
    """``text`` with the cells at ``where`` replaced by ``rewrite`` of those cells."""
    if not where.any():
        return text
    mask = pa.array(where)
    return pc.replace_with_mask(text, mask, rewrite(text.filter(mask)))
