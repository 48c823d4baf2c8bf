"""Sheets as tables of text: the column-wise conversion reads every cell as ``cell_text`` would,
and the formula check finds a formula wherever the chunks of the sheet's XML are cut."""

from __future__ import annotations

import datetime

import numpy as np
import openpyxl
import pandas as pd
import pytest

from alumni_net.io import _excel
from alumni_net.io._excel import cell_text, forget_workbooks, open_workbook
from alumni_net.io.formats.kumu import _holds

pytest.importorskip("python_calamine")


@pytest.fixture(autouse=True)
def _fresh():
    forget_workbooks()
    yield
    forget_workbooks()


def _book(path, rows, title="people"):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


MIXED = [
    ["person_id", "mixed", "numbers", "flag", "when"],
    ["p1", "text", 1001, True, datetime.datetime(2020, 1, 2)],
    ["p2", 2.5, 44197, False, datetime.datetime(2020, 1, 2, 9, 30)],
    [" p3 ", None, 3.0, None, None],
    ["p4", datetime.date(2021, 5, 6), -7, True, 44197],
    ["p5", "'=1", 2**60, None, None],
]


def test_every_cell_reads_as_cell_text_would(tmp_path):
    """The oracle is the per-cell conversion: text, whole numbers (Excel serial day numbers
    stay numbers, read as dates later), fractions, booleans, dates, empty cells, a number too
    large for a float to hold exactly, and the writers' quote (restored)."""
    path = _book(tmp_path / "mixed.xlsx", MIXED)
    problems = []
    book = open_workbook(path, problems)
    frame = book.text_frame("people", problems)
    assert problems == []
    assert list(frame.columns) == MIXED[0]
    assert all(frame[c].dtype == object for c in frame.columns)
    raw = book.rows("people")
    expected = [[cell_text(v) for v in row] for row in raw[1:]]
    expected[4][1] = "=1"  # '=1 is how the package writes =1; it reads back as =1
    assert frame.to_numpy().tolist() == expected
    assert frame.to_numpy().tolist() == [
        ["p1", "text", "1001", "true", "2020-01-02"],
        ["p2", "2.5", "44197", "false", "2020-01-02T09:30:00"],
        ["p3", "", "3", "", ""],
        ["p4", "2021-05-06", "-7", "true", "44197"],
        ["p5", "=1", str(2**60), "", ""],
    ]


def test_short_rows_and_trailing_empty_rows(tmp_path):
    """A sheet whose header is wider than its rows, and empty rows at the end."""
    path = _book(tmp_path / "short.xlsx",
                 [["person_id", "cohort", "note"], ["p1"], ["p2", 3], [None], [None, None]])
    problems = []
    frame = open_workbook(path, problems).text_frame("people", problems)
    assert problems == []
    assert frame.to_numpy().tolist() == [["p1", "", ""], ["p2", "3", ""]]


def test_grid_pads_rows_that_are_short():
    rows = [["h1", "h2", "h3"], ["a"], ["b", 2, None], ["c", "d"]]
    grid = _excel._grid(rows, 1, 4, 3)
    assert grid.shape == (3, 3)
    assert grid.tolist() == [["a", "", ""], ["b", 2, None], ["c", "d", ""]]


def test_header_only_sheet_is_an_empty_table(tmp_path):
    path = _book(tmp_path / "header.xlsx", [["person_id", "cohort"]])
    problems = []
    frame = open_workbook(path, problems).text_frame("people", problems)
    assert problems == [] and frame.empty and list(frame.columns) == ["person_id", "cohort"]


@pytest.mark.parametrize("chunk", [8, 13, 64, 1 << 22])
def test_formulas_are_found_wherever_the_chunks_are_cut(tmp_path, monkeypatch, chunk):
    """The sheet's XML is searched in chunks: a formula tag cut between two is still found."""
    monkeypatch.setattr(_excel, "_CHUNK", chunk)
    rows = [["person_id", "cohort"]] + [[f"p{i}", 1] for i in range(30)] + [["p30", "=1"]]
    path = _book(tmp_path / "formula.xlsx", rows)
    assert _excel._search_formulas(path)
    problems = []
    assert open_workbook(path, problems).text_frame("people", problems) is None
    assert [p.row for p in problems] == [32]
    assert "holds the formula =1 with no saved value" in problems[0].message
    plain = _book(tmp_path / "plain.xlsx", rows[:-1])
    assert not _excel._search_formulas(plain)


def test_the_formula_search_runs_once_per_file(tmp_path, monkeypatch):
    path = _book(tmp_path / "two.xlsx", [["person_id"], ["p1"]])
    calls = []
    real = _excel._search_formulas
    monkeypatch.setattr(_excel, "_search_formulas", lambda p: calls.append(p) or real(p))
    assert not _excel._has_formulas(path) and not _excel._has_formulas(path)
    assert len(calls) == 1
    forget_workbooks()
    _excel._has_formulas(path)
    assert len(calls) == 2


@pytest.mark.parametrize("dtype", [object, "str"])
def test_holds_finds_a_part_in_any_cell(dtype):
    column = pd.Series(["a", "b | c", ""], dtype=dtype)
    assert _holds(column, "|") and not _holds(column, ";")
    assert not _holds(pd.Series([], dtype=dtype), "|")


def test_holds_reads_cells_that_are_not_text():
    assert _holds(pd.Series(["a", 1.5, "x;y"], dtype=object), ";")
    assert not _holds(pd.Series(["a", np.nan], dtype=object), ";")
