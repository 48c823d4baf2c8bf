"""Ids to positions at the scale of millions: hash every id once (one factorize), never compare."""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["positions"]


def positions(ids, *arrays) -> list[np.ndarray]:
    """For each array, the position of each value in ``ids`` (unique), or -1 when absent.

    Examples
    --------
    >>> [p.tolist() for p in positions(np.array(["b", "a", "c"]), np.array(["a", "z", "c"]))]
    [[1, -1, 2]]
    """
    ids = np.asarray(ids)
    arrays = [np.asarray(a) for a in arrays]
    n = len(ids)
    if ids.dtype.kind in "iu" and all(a.dtype.kind in "iu" for a in arrays):
        values = np.concatenate([ids, *arrays])
    else:
        values = np.concatenate([ids.astype(object), *(a.astype(object) for a in arrays)])
    codes, _ = pd.factorize(values)
    # The ids are unique and come first, so id i gets code i; later codes are unknown values.
    out, start = [], n
    for a in arrays:
        c = codes[start:start + len(a)]
        out.append(np.where(c < n, c, -1).astype(np.int64))
        start += len(a)
    return out
