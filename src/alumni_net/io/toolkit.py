"""What a format module (:mod:`alumni_net.io.formats`) reads files with: the public face of the
io stage's reading machinery.

A new format is one module in ``io/formats/`` plus its tests; it builds :class:`Tables` (text
cells with their file, sheet and row) from its file with these helpers, and the io stage
validates and pseudonymises them like any other dataset. The helpers live in private modules
of ``io/``; formats, a subfolder, import them from here.
"""

from __future__ import annotations

from alumni_net.io._excel import SPREADSHEET_SUFFIXES, cell_text, open_workbook
from alumni_net.io._read import SUFFIXES, find_table, read_table, text_table
from alumni_net.io._schema import match_headers
from alumni_net.io._tables import ReadOptions, Table, Tables
from alumni_net.io._text import decode, read_csv_text, sniff_separator
from alumni_net.io._write import write_dataset

__all__ = [
    "SPREADSHEET_SUFFIXES",
    "SUFFIXES",
    "ReadOptions",
    "Table",
    "Tables",
    "cell_text",
    "decode",
    "find_table",
    "match_headers",
    "open_workbook",
    "read_csv_text",
    "read_table",
    "sniff_separator",
    "text_table",
    "write_dataset",
]
