"""Ids to positions at the scale of millions: hash every id once, never compare.

Text ids are looked up by Arrow's hash join (``pyarrow.compute.index_in``), straight from
Arrow-backed pandas text without a Python string per value; anything else (numbers, mixed
values, missing ids) by one ``pandas.factorize``.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

__all__ = ["positions"]


def positions(ids: ArrayLike, *arrays: ArrayLike) -> list[np.ndarray]:
    """For each array, the position of each value in ``ids`` (unique), or -1 when absent.

    Examples
    --------
    >>> [p.tolist() for p in positions(np.array(["b", "a", "c"]), np.array(["a", "z", "c"]))]
    [[1, -1, 2]]
    >>> [p.tolist() for p in positions(np.array([7, 3]), np.array([3, 3, 9]))]
    [[1, 1, -1]]
    """
    found = _text_positions(ids, arrays)
    if found is not None:
        return found
    ids = np.asarray(ids)
    columns = [np.asarray(a) for a in arrays]
    n = len(ids)
    if ids.dtype.kind in "iu" and all(a.dtype.kind in "iu" for a in columns):
        values = np.concatenate([ids, *columns])
    else:
        values = np.concatenate([ids.astype(object), *(a.astype(object) for a in columns)])
    codes, _ = pd.factorize(values)
    # The ids are unique and come first, so id i gets code i; later codes are unknown values.
    out: list[np.ndarray] = []
    start = n
    for a in columns:
        c = codes[start:start + len(a)]
        out.append(np.where(c < n, c, -1).astype(np.int64))
        start += len(a)
    return out


def _text_positions(ids: ArrayLike, arrays: tuple[ArrayLike, ...]) -> list[np.ndarray] | None:
    """:func:`positions` when every id and value is text (none missing), else None."""
    import pyarrow as pa
    import pyarrow.compute as pc

    known = _as_arrow_text(ids)
    columns = [_as_arrow_text(a) for a in arrays]
    if known is None or any(c is None for c in columns):
        return None
    if isinstance(known, pa.ChunkedArray):
        known = known.combine_chunks()

    def look_up(c: Any) -> np.ndarray:
        if not len(c):
            return np.zeros(0, dtype=np.int64)
        return pc.index_in(c, value_set=known).fill_null(-1).to_numpy().astype(np.int64)

    if len(columns) < 2 or sum(len(c) for c in columns) < 1_000_000:
        return [look_up(c) for c in columns]
    # Arrow's lookup runs on one core and releases the GIL: the tie ends' two columns (30
    # million each at national size, seconds apiece) are looked up side by side.
    with ThreadPoolExecutor(max_workers=min(len(columns), os.cpu_count() or 1)) as pool:
        return list(pool.map(look_up, columns))


def _as_arrow_text(values: ArrayLike) -> Any:
    """``values`` as Arrow text when each one is a string (none missing), else None.

    Arrow-backed pandas text is used as it is; Python strings are converted once.
    """
    import pyarrow as pa

    if isinstance(values, (pd.Series, pd.Index)):
        values = values.array
    if isinstance(values, pd.api.extensions.ExtensionArray):
        dtype = values.dtype
        if not (isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow"):
            return None
        text = pa.array(values)
    else:
        values = np.asarray(values)
        if values.dtype.kind not in "OU":
            return None
        try:
            text = pa.array(values, type=pa.large_string(), from_pandas=False)
        except (pa.ArrowException, UnicodeError, TypeError, ValueError):
            return None
    if text.null_count or not pa.types.is_large_string(text.type) and not pa.types.is_string(
            text.type):
        return None
    return text.cast(pa.large_string())
