"""Turning numpy and pandas values into plain Python values (for JSON, graph attributes, tables),
and yes/no columns into booleans."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["flag", "json_scalar", "plain", "unreadable_flags"]


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


_TRUE = {"true", "yes", "y", "t", "1", "1.0"}
_FALSE = {"false", "no", "n", "f", "0", "0.0", ""}


def flag(values: pd.Series) -> np.ndarray:
    """A yes/no column as booleans: true/false, yes/no, 1/0 (any case); missing is no.

    Examples
    --------
    >>> flag(pd.Series(["true", "No", None, "1", True])).tolist()
    [True, False, False, True, True]
    """
    if pd.api.types.is_bool_dtype(values):
        return values.fillna(False).to_numpy(dtype=bool)
    text = values.astype(object).where(values.notna(), "").astype(str).str.strip().str.lower()
    return text.isin(_TRUE).to_numpy()


def unreadable_flags(values: pd.Series) -> list[str]:
    """Values of a yes/no column that are neither yes nor no."""
    if pd.api.types.is_bool_dtype(values):
        return []
    text = values.dropna().astype(str).str.strip()
    return sorted(set(text[~text.str.lower().isin(_TRUE | _FALSE)]))
