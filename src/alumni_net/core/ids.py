"""Ids to positions at the scale of millions: hash every id once, never compare.

Text ids are looked up by Arrow's hash join (``pyarrow.compute.index_in``), straight from
Arrow-backed pandas text without a Python string per value; anything else (numbers, mixed
values, missing ids) by one ``pandas.factorize``.

A lookup asked to be remembered (``remember=True``: loading validates the tie ends against the
people) is kept until the next one, so that compiling the model's network from the same tie
columns (millions of ends, seconds) does not look them up again. It is recalled only for the
very same Arrow buffers, which it holds (so they can be neither freed nor reused meanwhile, and
Arrow arrays never change), and for the same ids in any order (people are sorted after
validation); otherwise the ends are looked up afresh.
"""

from __future__ import annotations

import os
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

__all__ = ["positions"]


def positions(ids: ArrayLike, *arrays: ArrayLike, remember: bool = False) -> list[np.ndarray]:
    """For each array, the position of each value in ``ids`` (unique), or -1 when absent.

    ``remember`` keeps a text lookup for the next call on the same arrays (see the module doc).

    Examples
    --------
    >>> [p.tolist() for p in positions(np.array(["b", "a", "c"]), np.array(["a", "z", "c"]))]
    [[1, -1, 2]]
    >>> [p.tolist() for p in positions(np.array([7, 3]), np.array([3, 3, 9]))]
    [[1, 1, -1]]
    """
    found = _text_positions(ids, arrays, remember)
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


#: The remembered lookup: (ids, columns, positions as int32), or nothing.
_LAST: list[tuple[Any, list[Any], list[np.ndarray]]] = []
# Taken while the remembered lookup is read, replaced or dropped: a dashboard may load and
# compile datasets from several threads.
_LAST_LOCK = threading.Lock()


def _text_positions(ids: ArrayLike, arrays: tuple[ArrayLike, ...],
                    remember: bool = False) -> list[np.ndarray] | None:
    """:func:`positions` when every id and value is text (none missing), else None."""
    import pyarrow as pa

    known = _as_arrow_text(ids)
    columns = [_as_arrow_text(a) for a in arrays]
    if known is None or any(c is None for c in columns):
        return None
    if isinstance(known, pa.ChunkedArray):
        known = known.combine_chunks()
    recalled = _recall(known, columns)
    if recalled is not None:
        return recalled
    found = _look_up_all(known, columns)
    if remember and len(known) < 2**31:
        kept = (known, columns, [f.astype(np.int32) for f in found])
        with _LAST_LOCK:
            _LAST[:] = [kept]
    return found


def _recall(known: Any, columns: list[Any]) -> list[np.ndarray] | None:
    """The remembered positions of these very columns, for ``known`` (the remembered ids or
    the same ids in another order); None when there are none."""
    import pyarrow.compute as pc

    with _LAST_LOCK:
        if not _LAST:
            return None
        ids, remembered, codes = _LAST[0]
    if len(remembered) != len(columns) or any(
            _buffers(a) != _buffers(b) for a, b in zip(remembered, columns, strict=True)):
        return None
    if _buffers(ids) == _buffers(known):
        found = [c.astype(np.int64) for c in codes]
    else:
        if len(ids) != len(known):
            return None
        # Unique ids, as many, each found: the same ids in another order (a bijection).
        moved = pc.index_in(ids, value_set=known).fill_null(-1).to_numpy().astype(np.int64)
        if len(moved) and moved.min() < 0:
            return None
        found = [_moved(c, moved) for c in codes]
    with _LAST_LOCK:
        _LAST.clear()  # used once (the network is compiled once): its memory is not held longer
    return found


def _moved(codes: np.ndarray, moved: np.ndarray) -> np.ndarray:
    """``moved[codes]``, -1 where a code is -1: one pass and one new array (numpy's
    ``np.where`` made three of 30 million at national size, seconds of fresh memory)."""
    from alumni_net.core._remap import moved_into  # numba: not for every command's import

    out = np.empty(len(codes), dtype=np.int64)
    moved_into(codes, moved, out)
    return out


def _buffers(array: Any) -> tuple:
    """Where an Arrow array's values live: its chunks' offsets, lengths and buffer addresses."""
    import pyarrow as pa

    chunks = array.chunks if isinstance(array, pa.ChunkedArray) else [array]
    return tuple((c.offset, len(c), tuple(0 if b is None else b.address for b in c.buffers()))
                 for c in chunks)


def _look_up_all(known: Any, columns: list[Any]) -> list[np.ndarray]:
    import pyarrow.compute as pc

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
