"""What a format module offers the registry, and helpers every reader shares."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from alumni_net.errors import Problem
from alumni_net.io._tables import ReadOptions, Table, Tables

__all__ = ["Format", "label_ids", "table_from_columns"]

#: ``read(path, options, problems)``: the tables found, or None when ``problems`` say why not.
Reader = Callable[[Path, ReadOptions, list[Problem]], Tables | None]


@dataclass(frozen=True)
class Format:
    """One format the package reads.

    ``suffixes`` are the file endings it may have (empty for a folder layout); ``sniff`` says,
    from a cheap look at the file (or folder), whether it is in this format; ``read`` reads it;
    ``write`` (optional) writes a :class:`~alumni_net.io.Dataset` in it, for round trips;
    ``example`` is the shipped example under ``data/examples/``; ``one_line`` is what the README
    shows.
    """

    name: str
    title: str
    suffixes: tuple[str, ...]
    sniff: Callable[[Path], bool]
    read: Reader
    example: str
    one_line: str
    folder: bool = False
    write: Callable | None = None


def table_from_columns(columns: dict[str, list | np.ndarray | pd.Series], where: str,
                       rows=None, unit: str = "row", headers: dict | None = None) -> Table:
    """A :class:`Table` of text from columns of values ('' where missing)."""
    frame = pd.DataFrame({k: _text(v) for k, v in columns.items()})
    return Table(frame, where, None if rows is None else np.asarray(rows), unit, headers or {})


def _text(values) -> pd.Series:
    series = pd.Series(values, dtype=object) if not isinstance(values, pd.Series) else values
    return series.astype(object).where(series.notna(), "").map(
        lambda v: v if isinstance(v, str) else _plain(v)).astype(object)


def _plain(value) -> str:
    if isinstance(value, bool | np.bool_):
        return "true" if value else "false"
    if isinstance(value, float | np.floating) and float(value).is_integer():
        return str(int(value))
    return str(value)


def label_ids(labels: list[str]) -> dict[str, int]:
    """People known only by a label (a name) get ids 1, 2, ... in order of first appearance;
    the label is kept as their ``name``, which is pseudonymised on load.

    Examples
    --------
    >>> label_ids(["Ann", "Bo", "Ann", "Cy"])
    {'Ann': 1, 'Bo': 2, 'Cy': 3}
    """
    return {label: i + 1 for i, label in enumerate(dict.fromkeys(labels))}
