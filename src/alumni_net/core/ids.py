"""Ids to positions at the scale of millions: hash every id once (one factorize), never compare."""

from __future__ import annotations

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
    """
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
