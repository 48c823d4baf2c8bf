"""What every reader returns: people and ties as text, and where each row came from.

A reader (one module per format under :mod:`alumni_net.io.formats`) turns its file into two
:class:`Table` s of text cells named as the schema names them. Validation then types them the
same way for every format, and :func:`relocate` turns the problems it finds back into the
reader's own places: the file, sheet, row or line, and the column as the file spells it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from alumni_net.errors import ConfigError, Problem

__all__ = ["DATE_ORDERS", "ReadOptions", "Table", "Tables", "UNSURVEYED", "relocate"]

DATE_ORDERS = ("day_first", "month_first")
UNSURVEYED = ("drop", "keep")


@dataclass(frozen=True)
class ReadOptions:
    """How to read a file, from the command line, ``dataset.toml`` or the file's own ``.toml``.

    ``encoding`` and ``separator`` for text tables (default: UTF-8, with or without a byte-order
    mark, and the separator found in the header); ``date_order`` settles dates such as
    ``03/04/2020`` that read both ways; ``unsurveyed`` keeps or drops people named in a survey
    who did not answer it; ``settings`` holds a format's own table of ``dataset.toml``.
    """

    encoding: str | None = None
    separator: str | None = None
    date_order: str | None = None
    unsurveyed: str = "drop"
    settings: dict = field(default_factory=dict, compare=False)

    def __post_init__(self):
        if self.date_order is not None and self.date_order not in DATE_ORDERS:
            raise ConfigError(f"date_order must be one of {', '.join(DATE_ORDERS)}, "
                              f"not {self.date_order!r}")
        if self.unsurveyed not in UNSURVEYED:
            raise ConfigError(f"unsurveyed must be 'drop' or 'keep', not {self.unsurveyed!r}")
        if self.separator is not None and len(self.separator) != 1:
            raise ConfigError(f"separator must be one character, not {self.separator!r}")
        if self.encoding is not None:
            import codecs

            try:
                codecs.lookup(self.encoding)
            except LookupError as exc:
                raise ConfigError(f"unknown encoding {self.encoding!r}") from exc


@dataclass
class Table:
    """One table of text cells ('' = missing) with the schema's column names.

    ``where`` names it in messages (``"people.csv"``, ``"map.xlsx, sheet 'Elements'"``);
    ``rows`` holds the row (or, with ``unit="line"``, the line) each frame row came from, by
    default the frame position + 2 (a header on row 1); ``headers`` maps schema names back to
    the headers as written; ``wheres``, when rows come from several files or sheets, names each
    row's own.
    """

    frame: pd.DataFrame
    where: str
    rows: np.ndarray | None = None
    unit: str = "row"
    headers: dict[str, str] = field(default_factory=dict)
    wheres: np.ndarray | None = None

    def row_of(self, position: int) -> int:
        return int(self.rows[position]) if self.rows is not None else position + 2


@dataclass
class Tables:
    """What a reader found: people, ties, and what it learnt about the data.

    ``meta`` may hold ``directed`` (when the format says: Pajek arcs, GEXF's edge type, Kumu's
    direction) and ``name``; ``labels`` are columns holding people's names or labels (Kumu's
    Label, Polinode's Name), pseudonymised like ``name``; ``files`` are hashed into the record
    of how the data were loaded; ``layout`` is ``"egocentric"`` for ego-network data.
    """

    people: Table
    ties: Table
    files: list[Path]
    meta: dict = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    labels: tuple[str, ...] = ()
    layout: str = "network"


def _header(table: Table, column: str | None) -> str | None:
    return column if column is None else table.headers.get(column, column)


def relocate(problems: list[Problem], table: Table) -> list[Problem]:
    """Problems found by validation (rows counted as in a plain table) in the reader's places."""
    out = []
    for p in problems:
        if p.file != table.where or p.row is None or p.row < 2:
            column = _header(table, p.column) if p.file == table.where else p.column
            out.append(Problem(p.file, p.row, column, p.message))
            continue
        row = table.row_of(p.row - 2)
        column = _header(table, p.column)
        where = table.where if table.wheres is None else str(table.wheres[p.row - 2])
        if table.unit == "line":
            out.append(Problem(f"{where}, line {row}", None, column, p.message))
        else:
            out.append(Problem(where, row, column, p.message))
    return out
