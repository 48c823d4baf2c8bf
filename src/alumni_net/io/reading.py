"""What a format module reads with: the public names of io's reading internals.

A format (:mod:`alumni_net.io.formats`) is one module that turns a file into text tables; it
reads through the same helpers as the package's own folder and workbook readers, so that every
format meets CSV and spreadsheet realities the same way and reports problems with their places.
These are those helpers, public for the formats' folder (and a new format's author); the modules
that define them stay private to ``io``.
"""

from __future__ import annotations

from alumni_net.io._excel import SPREADSHEET_SUFFIXES, cell_text, open_workbook
from alumni_net.io._read import SUFFIXES, find_table, read_table, text_table
from alumni_net.io._schema import match_headers
from alumni_net.io._tables import ReadOptions, Table, Tables
from alumni_net.io._text import decode, read_csv_text, sniff_separator

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
]
