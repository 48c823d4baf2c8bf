"""Arrays to tables, and tables to byte-for-byte reproducible files.

Ids are numbered by a random permutation (so an id says nothing about organisation or role),
rows are sorted (people by id; ties by source, target, kind), dates are ISO text and weights
are written with a fixed format, so the same seed always writes the same bytes.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from alumni_net.core.tables import coded_text
from alumni_net.io import toml_text, write_tables
from alumni_net.synth.params import KINDS, REGIONS, ROLES, SECTORS, SERVICE_USER_SECTOR
from alumni_net.synth.population import Population
from alumni_net.synth.programme import Programme

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = ["TieTable", "coded_text", "numbered_labels", "people_frame", "ties_frame", "toml_text",
           "write_files"]

PEOPLE_COLUMNS = ("person_id", "is_alum", "cohort", "cohort_start", "action_learning_set",
                  "sector", "region", "organisation", "role")
TIE_COLUMNS = ("source", "target", "kind", "weight", "since")

#: All ties as arrays: person indices ``a < b`` (before renumbering), kind code, since (or NaT).
TieTable = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]




def _labels(prefix: str, n: int, width: int) -> np.ndarray:
    width = max(width, len(str(n)))
    return np.array([f"{prefix}{i:0{width}d}" for i in range(1, n + 1)], dtype=object)


_text = coded_text


def numbered_labels(prefix: str, numbers: np.ndarray, width: int) -> pa.Array:
    """``f"{prefix}{x:0{width}d}"`` for every ``x`` of ``numbers`` (>= 0, each with at most
    ``width`` digits) as an Arrow text array, without a Python string per label (millions of
    people's ids in a tenth of a second).

    Examples
    --------
    >>> numbered_labels("W", np.array([7, 120]), 4).to_pylist()
    ['W0007', 'W0120']
    """
    import pyarrow as pa

    numbers = np.asarray(numbers, np.int64)
    if len(numbers) and (numbers.min() < 0 or numbers.max() >= 10**width):
        raise ValueError(f"numbers must be from 0 to {10**width - 1} to be {width} digits wide")
    head = prefix.encode("utf-8")
    cells = np.empty((len(numbers), len(head) + width), np.uint8)
    cells[:, :len(head)] = np.frombuffer(head, np.uint8)
    rest = numbers.copy()
    for i in range(width - 1, -1, -1):
        cells[:, len(head) + i] = rest % 10 + ord("0")
        rest //= 10
    large = cells.size >= 2**31  # past 32-bit offsets
    offsets = np.arange(len(numbers) + 1, dtype=np.int64 if large else np.int32) * cells.shape[1]
    kind = pa.LargeStringArray if large else pa.StringArray
    return kind.from_buffers(len(numbers), pa.py_buffer(offsets), pa.py_buffer(cells.reshape(-1)))


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


def write_files(
    out: str | os.PathLike, people: pd.DataFrame, ties: pd.DataFrame, meta: dict, *,
    table_format: str = "csv",
) -> Path:
    """Write ``people.csv``, ``ties.csv`` and ``dataset.toml`` atomically into ``out`` (or the
    tables as Parquet: ``table_format``, see :data:`alumni_net.io.TABLE_FORMATS`), through the
    package's one dataset writer (:func:`alumni_net.io.write_tables`)."""
    return write_tables(out, people, ties, meta, table_format=table_format)
