"""Turning numpy and pandas values into plain Python values (for JSON, graph attributes, tables)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

__all__ = ["json_scalar", "plain"]


def plain(value: Any) -> Any:
    """numpy scalars as the Python scalars they hold; anything else unchanged.

    Examples
    --------
    >>> plain(np.int64(3)), plain(np.float32(0.5)), plain("a")
    (3, 0.5, 'a')
    """
    return value.item() if isinstance(value, np.generic) else value


def json_scalar(value: Any) -> Any:
    """A JSON-ready scalar: numpy scalars as Python ones, NaN as None, whole floats as ints.

    Counts that pandas stored as floats (because a column also held a missing value) come out as
    whole numbers again.

    Examples
    --------
    >>> json_scalar(np.float64(12.0)), json_scalar(float("nan")), json_scalar(0.25)
    (12, None, 0.25)
    """
    value = plain(value)
    if isinstance(value, float):
        if math.isnan(value):
            return None
        if value.is_integer():
            return int(value)
    return value
