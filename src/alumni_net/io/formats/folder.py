"""The package's own layout: a folder of ``people`` and ``ties`` tables, or one workbook.

A folder holds ``people`` and ``ties`` as CSV, Parquet or a spreadsheet (.xlsx, .xls, .ods),
and optionally ``dataset.toml`` (see ``data/README.md``). A single workbook with sheets named
``people`` and ``ties`` is the same dataset in one file. Columns are the schema's
(:mod:`alumni_net.io._schema`), matched whatever their case or surrounding spaces.
"""

from __future__ import annotations

from pathlib import Path

from alumni_net.errors import Problem
from alumni_net.io.formats.base import Format
from alumni_net.io.toolkit import (
    SUFFIXES,
    ReadOptions,
    Table,
    Tables,
    find_table,
    open_workbook,
    read_table,
    text_table,
)

__all__ = ["FOLDER", "WORKBOOK"]


def _sniff_folder(path: Path) -> bool:
    return path.is_dir() and any((path / f"{stem}{s}").exists()
                                 for stem in ("people", "ties") for s in SUFFIXES)


def _read_folder(path: Path, options: ReadOptions, problems: list[Problem]) -> Tables | None:
    notes: list[str] = []
    found = [find_table(path, stem, problems) for stem in ("people", "ties")]
    tables = [read_table(p, problems, options, notes) if p else None for p in found]
    people, ties = tables
    if people is None or ties is None:
        return None
    return Tables(people, ties, files=[p for p in found if p is not None], notes=notes)


def _sniff_workbook(path: Path) -> bool:
    if not path.is_file() or path.suffix.lower() not in (".xlsx", ".xlsm", ".xls", ".ods"):
        return False
    book = open_workbook(path, [])
    return book is not None and {"people", "ties"} <= {n.strip().lower() for n in book.names}


def _read_workbook(path: Path, options: ReadOptions, problems: list[Problem]) -> Tables | None:
    book = open_workbook(path, problems)
    if book is None:
        return None
    notes: list[str] = []
    tables: list[Table | None] = []
    for stem in ("people", "ties"):
        names = [n for n in book.names if n.strip().lower() == stem]
        if names and not book.visible[names[0]]:
            problems.append(Problem(book.where(names[0]), None, None,
                                    "is hidden, and hidden sheets are never read; unhide it"))
            tables.append(None)
            continue
        frame = book.text_frame(names[0], problems) if names else None
        if not names:
            problems.append(Problem(path.name, None, None, f"has no sheet named '{stem}'"))
        tables.append(text_table(frame, book.where(names[0]), stem, problems, notes)
                      if frame is not None else None)
    people, ties = tables
    if people is None or ties is None:
        return None
    note = book.hidden_note([n for n in book.names if n.strip().lower() in ("people", "ties")])
    return Tables(people, ties, files=[path], notes=notes + ([note] if note else []))


def _write_folder(ds, path, **kwargs):
    from alumni_net.io.toolkit import write_dataset

    return write_dataset(ds, path, **kwargs)


FOLDER = Format(
    name="folder",
    title="alumni_net dataset folder",
    suffixes=(),
    sniff=_sniff_folder,
    read=_read_folder,
    example="synthetic/small",
    one_line="a folder of `people.csv` and `ties.csv` (or .parquet, .xlsx, .xls, .ods) and "
             "`dataset.toml`",
    folder=True,
    write=_write_folder,
)

WORKBOOK = Format(
    name="workbook",
    title="alumni_net workbook (sheets people and ties)",
    suffixes=(".xlsx", ".xlsm", ".xls", ".ods"),
    sniff=_sniff_workbook,
    read=_read_workbook,
    example="examples/workbook/two_cohorts.xlsx",
    one_line="one workbook whose sheets `people` and `ties` hold the same tables",
)
