"""The one writer of datasets: ``people.csv``, ``ties.csv`` and ``dataset.toml``, atomically
(or ``people.parquet`` and ``ties.parquet`` holding the same cells, for tables too large for a
spreadsheet: see :data:`TABLE_FORMATS`).

The same tables always give the same bytes: dates as ``YYYY-MM-DD`` (with the time only when
there is one), true/false, integers as integers, other numbers in their shortest exact form
(``0.5``, ``1`` for 1.0), missing values as empty cells, cells a spreadsheet would run quoted
(:mod:`alumni_net.core.tables`), and CSV quoting only where a value needs it. Every distinct
value is formatted once, and with Arrow-backed text (pandas' default with pyarrow) the CSV is
written by pyarrow without a Python string per row, so the synthetic generator's millions of
ties are written in seconds (:mod:`alumni_net.synth` writes through here).
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from alumni_net.core.files import atomic_dir
from alumni_net.core.tables import coded_text, csv_text, neutralise
from alumni_net.io._dataset import Dataset
from alumni_net.io._schema import PEOPLE_COLUMNS, TIE_COLUMNS

__all__ = ["EXCEL_ROWS", "TABLE_FORMATS", "table_format_for", "text_column", "toml_text",
           "write_dataset", "write_tables"]

#: How a dataset's tables are written: ``csv`` (opens in a spreadsheet) or ``parquet`` (the same
#: text cells, compressed, several times faster to write and read: for tables of millions of
#: rows). ``auto`` picks CSV while every table fits in a spreadsheet (:data:`EXCEL_ROWS`).
TABLE_FORMATS = ("auto", "csv", "parquet")
#: Data rows a spreadsheet shows (Excel's 1,048,576 rows less the header).
EXCEL_ROWS = 1_048_575

_STR = pd.api.types.pandas_dtype("str")
_NEEDS_QUOTES = r'[,"\r\n]'


def write_dataset(ds: Dataset, out: str | os.PathLike, *, extra_meta: dict | None = None) -> Path:
    """Write ``people.csv``, ``ties.csv`` and ``dataset.toml``; the same Dataset gives the same
    bytes, and :func:`~alumni_net.io.load_dataset` reads them back as they were."""
    meta = {"name": ds.name, "directed": ds.directed, **(extra_meta or {})}
    return write_tables(out, ds.people, ds.ties, meta)


def write_tables(out: str | os.PathLike, people: pd.DataFrame, ties: pd.DataFrame,
                 meta: dict, *, table_format: str = "csv") -> Path:
    """Write people and ties frames (schema columns first) and the settings into ``out``.

    ``table_format`` is one of :data:`TABLE_FORMATS`. Parquet files hold the text cells the CSV
    files would (every column text, missing as null), so either loads as the same dataset.
    """
    kind = table_format_for(table_format, len(people), len(ties))
    write = _write_csv if kind == "csv" else _write_parquet
    with atomic_dir(out) as tmp:
        write(_ordered(people, PEOPLE_COLUMNS), tmp / f"people.{kind}")
        write(_ordered(ties, TIE_COLUMNS), tmp / f"ties.{kind}")
        (tmp / "dataset.toml").write_text(toml_text(meta), encoding="utf-8")
    return Path(out)


def table_format_for(table_format: str, *rows: int) -> str:
    """``csv`` or ``parquet`` for tables of ``rows`` rows (``auto``: CSV while each fits in a
    spreadsheet).

    Examples
    --------
    >>> table_format_for("auto", 20_000, 300_000), table_format_for("auto", 3_000_000, 1)
    ('csv', 'parquet')
    """
    if table_format not in TABLE_FORMATS:
        raise ValueError(f"table_format must be one of {', '.join(TABLE_FORMATS)}, "
                         f"got {table_format!r}")
    if table_format == "auto":
        return "csv" if max(rows, default=0) <= EXCEL_ROWS else "parquet"
    return table_format


def _ordered(frame: pd.DataFrame, schema: tuple[str, ...]) -> pd.DataFrame:
    cols = [c for c in schema if c in frame.columns]
    return frame[cols + [c for c in frame.columns if c not in cols]]


def text_column(values: pd.Series) -> pd.Series:
    """A column as the text the writer writes (missing stays missing)."""
    if pd.api.types.is_string_dtype(values) and not pd.api.types.is_object_dtype(values):
        return values
    labels, codes = _text_codes(values)
    return _labelled(labels, codes)


def _text_codes(values: pd.Series) -> tuple[list[str], np.ndarray]:
    """The distinct values of a column as the text written, and each row's code (-1 missing)."""
    missing = values.isna().to_numpy()
    fmt: Callable[[Any], str]
    if pd.api.types.is_datetime64_any_dtype(values):
        raw = values.to_numpy().astype("datetime64[us]")
        fmt = _date
    elif pd.api.types.is_bool_dtype(values):
        raw, fmt = values.to_numpy(), lambda v: "true" if v else "false"
    elif pd.api.types.is_integer_dtype(values):
        raw, fmt = values.to_numpy(dtype=np.int64, na_value=0), str
    elif pd.api.types.is_float_dtype(values):
        raw, fmt = values.to_numpy(dtype=float, na_value=0.0), _number
    else:  # objects: text, or values of mixed types
        raw = values.astype(object).where(~missing, "").map(_plain).to_numpy(dtype=object)
        fmt = str
    # hashed, not sorted: a national table's weight column is 30 million copies of one value
    present, unique = pd.factorize(raw[~missing])
    codes = np.full(len(raw), -1, dtype=np.int64)
    codes[~missing] = present
    return [fmt(v) for v in unique], codes


def _coded_column(values: pd.Series) -> pd.Series:
    """A column as text for Parquet: Arrow-backed text as it is, anything else as categories of
    its distinct values written as text (a dictionary column: millions of rows of a few values
    are neither decoded nor scanned row by row)."""
    if pd.api.types.is_string_dtype(values) and not pd.api.types.is_object_dtype(values):
        return values
    labels, codes = _text_codes(values)
    if len(set(labels)) < len(labels):  # two values written alike: plain text
        return _labelled(labels, codes)
    return pd.Series(pd.Categorical.from_codes(codes, categories=pd.Index(labels, dtype=object)))


def _date(value: np.datetime64) -> str:
    stamp = pd.Timestamp(value)
    return stamp.strftime("%Y-%m-%d") if stamp == stamp.normalize() else stamp.isoformat()


def _number(value: float | np.floating) -> str:
    number = float(value)
    return str(int(number)) if number.is_integer() and abs(number) < 2**53 else repr(number)


def _plain(value) -> str:
    if isinstance(value, bool | np.bool_):
        return "true" if value else "false"
    if isinstance(value, float | np.floating):
        return _number(value)
    if isinstance(value, pd.Timestamp):
        return _date(value.to_datetime64())
    return str(value)


def _labelled(labels, codes: np.ndarray) -> pd.Series:
    """``labels[codes]`` as pandas text (missing where ``codes < 0``; see
    :func:`~alumni_net.core.tables.coded_text`)."""
    return pd.Series(coded_text(np.asarray(labels, dtype=object), codes))


def _write_csv(frame: pd.DataFrame, path: Path) -> None:
    """CSV with ``\\n`` line ends and missing as empty: with pyarrow's writer when pandas' text is
    Arrow-backed (20x faster on millions of rows), else pandas'; both write the same bytes."""
    raw = pd.DataFrame({c: text_column(frame[c]) for c in frame.columns})
    # pyarrow quotes every text value or none: values that need quotes go through pandas.
    # (Quoted against spreadsheets once: csv_text does it on that path, neutralise on this one.)
    plain = not any(raw[c].str.contains(_NEEDS_QUOTES, regex=True).any() for c in raw.columns)
    if getattr(_STR, "storage", None) != "pyarrow" or not plain:
        path.write_text(csv_text(raw, lineterminator="\n", na_rep=""), encoding="utf-8")
        return
    import pyarrow as pa
    import pyarrow.csv as pa_csv

    text = neutralise(raw)
    table = pa.Table.from_pandas(text, preserve_index=False)
    header = csv_text(pd.DataFrame(columns=list(raw.columns)), lineterminator="\n")
    options = pa_csv.WriteOptions(include_header=False, quoting_style="none")
    with open(path, "wb") as fh:
        fh.write(header.encode("utf-8"))
        pa_csv.write_csv(table, fh, options)


def _write_parquet(frame: pd.DataFrame, path: Path) -> None:
    """Parquet whose every column is the text the CSV would hold (quoted against spreadsheets
    alike), so that both load as the same dataset; columns of few distinct values
    dictionary-encoded, zstd-compressed, no index and no pandas metadata (any Parquet reader
    sees text), and the same tables give the same bytes. No column statistics: the package
    reads whole tables (nothing skips row groups by them), and the minimum and maximum of
    every text column were a sixth of the time to write a national network's ties."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    text = neutralise(pd.DataFrame({c: _coded_column(frame[c]) for c in frame.columns}))
    table = pa.Table.from_pandas(text, preserve_index=False).replace_schema_metadata(None)
    pq.write_table(table, path, compression="zstd", store_schema=False, write_statistics=False)


def _toml_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"TOML cannot hold {value}")
        return repr(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    text = (str(value).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
            .replace("\r", "\\r").replace("\t", "\\t"))
    return f'"{text}"'


def toml_text(meta: dict) -> str:
    """TOML for a dict of scalars, lists and (nested) dicts of them, keys in the order given.

    Examples
    --------
    >>> meta = {"name": "x", "directed": False, "params": {"n": 3, "s": {"a": 0.5}}}
    >>> print(toml_text(meta), end="")
    name = "x"
    directed = false
    <BLANKLINE>
    [params]
    n = 3
    <BLANKLINE>
    [params.s]
    a = 0.5
    """
    return "\n".join(_toml_table(meta, ())) + "\n"


def _toml_table(table: dict, path: tuple[str, ...]) -> list[str]:
    lines = [f"[{'.'.join(path)}]"] if path else []
    lines += [f"{k} = {_toml_value(v)}" for k, v in table.items() if not isinstance(v, dict)]
    for key, value in table.items():
        if isinstance(value, dict):
            lines += ["", *_toml_table(value, (*path, key))]
    return lines
