"""Arrays to tables, and tables to byte-for-byte reproducible files.

Ids are numbered by a random permutation (so an id says nothing about organisation or role),
rows are sorted (people by id; ties by source, target, kind), dates are ISO text and weights
are written with a fixed format, so the same seed always writes the same bytes.
"""

from __future__ import annotations

import math
import os
from pathlib import Path

import numpy as np
import pandas as pd

from alumni_net.core.files import atomic_dir
from alumni_net.core.tables import csv_text, neutralise
from alumni_net.synth.params import KINDS, REGIONS, ROLES, SECTORS, SERVICE_USER_SECTOR
from alumni_net.synth.population import Population
from alumni_net.synth.programme import Programme

__all__ = ["TieTable", "people_frame", "ties_frame", "toml_text", "write_files"]

PEOPLE_COLUMNS = ("person_id", "is_alum", "cohort", "cohort_start", "action_learning_set",
                  "sector", "region", "organisation", "role")
TIE_COLUMNS = ("source", "target", "kind", "weight", "since")

#: All ties as arrays: person indices ``a < b`` (before renumbering), kind code, since (or NaT).
TieTable = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]


_STR = pd.api.types.pandas_dtype("str")


def _labels(prefix: str, n: int, width: int) -> np.ndarray:
    width = max(width, len(str(n)))
    return np.array([f"{prefix}{i:0{width}d}" for i in range(1, n + 1)], dtype=object)


def _text(labels, codes: np.ndarray):
    """``labels[codes]`` as pandas text (missing where ``codes < 0``).

    With Arrow-backed strings (pandas' default when pyarrow is installed) this decodes a
    dictionary array, never making a Python string per row: 10x faster for millions of ties.
    """
    labels = np.asarray(labels, dtype=object)
    missing = codes < 0
    if getattr(_STR, "storage", None) == "pyarrow":
        import pyarrow as pa

        indices = pa.array(np.where(missing, 0, codes).astype(np.int64), mask=missing)
        decoded = pa.DictionaryArray.from_arrays(indices, pa.array(labels, type=pa.string()))
        return pd.array(decoded.cast(pa.string()), dtype=_STR)
    values = labels[np.where(missing, 0, codes)]
    values[missing] = None
    return pd.array(values, dtype=_STR)


def people_frame(pop: Population, prog: Programme, number: np.ndarray, org_number: np.ndarray,
                 n_sets: int) -> pd.DataFrame:
    """One row per person in id order; ``number[i]`` is person ``i``'s 0-based id number."""
    order = np.argsort(number)
    cohort = prog.cohort[order]
    alum = cohort >= 0
    n_cohorts = len(prog.start)
    width = max(2, len(str(n_cohorts)))
    set_names = [f"C{c + 1:0{width}d}-S{s + 1}" for c in range(n_cohorts) for s in range(n_sets)]
    sets = np.where(alum, cohort * n_sets + prog.als[order], -1)
    return pd.DataFrame({
        "person_id": _text(_labels("P", pop.n, 7), np.arange(pop.n)),
        "is_alum": alum,
        "cohort": pd.Series(cohort + 1, dtype="Int64").mask(~alum),
        "cohort_start": pd.Series(np.where(alum, prog.start[np.maximum(cohort, 0)],
                                           np.datetime64("NaT", "D"))).astype("datetime64[us]"),
        "action_learning_set": _text(set_names, sets),
        "sector": _text((*SECTORS, SERVICE_USER_SECTOR), pop.sector[order]),
        "region": _text(REGIONS, pop.region[order]),
        "organisation": _text(_labels("ORG", pop.n_orgs, 5), org_number[pop.org[order]]),
        "role": _text(ROLES, pop.role[order]),
    })


def ties_frame(ties: TieTable, number: np.ndarray, n: int) -> pd.DataFrame:
    """One row per tie with ``source < target`` (as ids), sorted by source, target and kind."""
    a, b, kind, since = ties
    src, dst = np.minimum(number[a], number[b]), np.maximum(number[a], number[b])
    order = np.lexsort((kind, dst, src))
    ids = _labels("P", n, 7)
    return pd.DataFrame({
        "source": _text(ids, src[order]),
        "target": _text(ids, dst[order]),
        "kind": _text(KINDS, kind[order]),
        "weight": np.ones(len(order)),
        "since": pd.Series(since[order]).astype("datetime64[us]"),
    })


def _as_text(frame: pd.DataFrame) -> pd.DataFrame:
    """Every column as text, missing values as missing; each distinct value formatted once."""
    out = {}
    for col in frame.columns:
        values = frame[col]
        if pd.api.types.is_string_dtype(values):
            out[col] = values
            continue
        missing = values.isna().to_numpy()
        if pd.api.types.is_datetime64_any_dtype(values):
            raw = values.to_numpy().astype("datetime64[D]")
            fmt = str
        elif pd.api.types.is_bool_dtype(values):
            raw, fmt = values.to_numpy(), lambda v: "true" if v else "false"
        elif pd.api.types.is_integer_dtype(values):
            raw, fmt = values.to_numpy(dtype=np.int64, na_value=0), str
        else:
            raw, fmt = values.to_numpy(dtype=float, na_value=0.0), lambda v: f"{v:.6g}"
        unique, present = np.unique(raw[~missing], return_inverse=True)
        codes = np.full(len(raw), -1, dtype=np.int64)
        codes[~missing] = present
        out[col] = _text([fmt(v) for v in unique], codes)
    return pd.DataFrame(out)


def _write_csv(text: pd.DataFrame, path: Path) -> None:
    """Unquoted CSV, ``\n`` line ends, missing as empty: with pyarrow's writer when pandas' text
    is Arrow-backed (20x faster on millions of rows), else pandas'; both write the same bytes."""
    text = neutralise(text)  # generated labels never start like a formula; checked, not assumed
    if getattr(_STR, "storage", None) != "pyarrow":
        path.write_text(csv_text(text, lineterminator="\n", na_rep=""), encoding="utf-8")
        return
    import pyarrow as pa
    import pyarrow.csv as pa_csv

    table = pa.Table.from_pandas(text, preserve_index=False)
    options = pa_csv.WriteOptions(include_header=False, quoting_style="none")
    with open(path, "wb") as fh:
        fh.write((",".join(text.columns) + "\n").encode("utf-8"))
        pa_csv.write_csv(table, fh, options)


def write_files(
    out: str | os.PathLike, people: pd.DataFrame, ties: pd.DataFrame, meta: dict
) -> Path:
    """Write ``people.csv``, ``ties.csv`` and ``dataset.toml`` atomically into ``out``."""
    with atomic_dir(out) as tmp:
        _write_csv(_as_text(people), tmp / "people.csv")
        _write_csv(_as_text(ties), tmp / "ties.csv")
        (tmp / "dataset.toml").write_text(toml_text(meta), encoding="utf-8")
    return Path(out)


def _toml_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"TOML cannot hold {value}")
        return repr(value)
    text = str(value).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{text}"'


def toml_text(meta: dict) -> str:
    """TOML for a dict of scalars and (nested) dicts of scalars, keys in the order given.

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
