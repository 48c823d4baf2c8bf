"""Text tables (CSV) as spreadsheets save them: byte-order marks, Windows encodings, separators.

Excel's "CSV UTF-8" starts with a byte-order mark (BOM) and is read as UTF-8; "Unicode text"
(UTF-16 with a BOM, tab-separated) is read too. A file that is not UTF-8 is refused with one
sentence naming the encoding it looks like (Excel's plain "CSV" on Windows is Windows-1252) and
how to declare it (``encoding = "cp1252"`` in ``dataset.toml``, or ``--encoding``); declared, it
is read. The separator is the one of ``, ; tab |`` found most often in the header outside quotes
(Excel writes ``;`` where the decimal mark is a comma), unless ``separator`` names it.

A large clean file (UTF-8 without a BOM, no quotes, no padding around values, a comma, semicolon
or bar between them) is read by pyarrow's multithreaded reader straight from its bytes into
Arrow-backed text: a national table of 30 million ties in seconds rather than minutes. Anything
else, and anything pyarrow refuses, takes the general path, so every problem it names (and every
way it reads a file) stays the same.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from pathlib import Path
from typing import Any

import pandas as pd

from alumni_net.core.tables import restore
from alumni_net.errors import Problem
from alumni_net.io._tables import ReadOptions

__all__ = ["decode", "read_csv_text", "sniff_separator"]

_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
         (codecs.BOM_UTF16_BE, "utf-16"))
_SEPARATORS = (",", ";", "\t", "|")
_NAMES = {",": "a comma", ";": "a semicolon", "\t": "a tab", "|": "a bar"}
_PARSER_LINE = re.compile(r"line (\d+)")
_PARSER_ROW = re.compile(r"row (\d+)")
# Bytes Windows-1252 leaves undefined: a file holding them is not Windows-1252 either.
_CP1252_UNDEFINED = frozenset(b"\x81\x8d\x8f\x90\x9d")


def decode(raw: bytes, name: str, options: ReadOptions, problems: list[Problem]) -> str | None:
    """The text of a file: its BOM's encoding, the declared one, else UTF-8 (or a problem)."""
    for bom, codec in _BOMS:
        if raw.startswith(bom):
            return raw.decode(codec, errors="replace")
    encoding = options.encoding or "utf-8"
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as exc:
        row = raw[: exc.start].count(b"\n") + 1
        byte = f"byte 0x{raw[exc.start]:02x}"
        if options.encoding:
            problems.append(Problem(name, row, None, f"cannot be read as {options.encoding} "
                                    f"({byte}); check the encoding named in dataset.toml"))
        else:
            problems.append(Problem(name, row, None, f"is not UTF-8 text ({byte}); "
                                    f"{_guess(raw)}"))
        return None


def _guess(raw: bytes) -> str:
    if not _CP1252_UNDEFINED.intersection(raw):
        return ('it looks like Windows-1252, as Excel saves "CSV" on Windows: add the line '
                'encoding = "cp1252" to dataset.toml (or give --encoding cp1252), or save it '
                'as "CSV UTF-8"')
    return ('name its encoding in dataset.toml (encoding = "...", or --encoding), or save it as '
            '"CSV UTF-8"')


def sniff_separator(text: str) -> str:
    """The separator of a table: the one found most often in its header outside quotes.

    Examples
    --------
    >>> sniff_separator('person_id;"a,b";sector\\n1;2;3\\n'), sniff_separator("person_id\\n1\\n")
    (';', ',')
    """
    header = text[: text.find("\n")] if "\n" in text else text
    outside = re.sub(r'"[^"]*"', "", header)
    counts = {s: outside.count(s) for s in _SEPARATORS}
    best = max(_SEPARATORS, key=lambda s: (counts[s], s == ","))
    return best if counts[best] else ","


def read_csv_text(path: Path, options: ReadOptions, problems: list[Problem],
                  notes: list[str], *, arrow: bool = False) -> pd.DataFrame | None:
    """Every cell of a CSV file as stripped text ('' missing); None with a problem if unreadable.

    With ``arrow``, a clean file (see the module docstring) comes back as pandas' Arrow-backed
    text (``str``) instead of Python strings; its cells are the same.
    """
    raw = path.read_bytes()
    if arrow:
        frame = _read_clean(raw, path, options, problems, notes)
        if frame is not _UNCLEAN:
            return frame
    text = decode(raw, path.name, options, problems)
    if text is None:
        return None
    if not text.strip():
        problems.append(Problem(path.name, None, None, "file is empty"))
        return None
    sep = options.separator or sniff_separator(text)
    _note_separator(path, sep, options, notes)
    # Spaces around values are not data; stripping them in the text is much faster than per cell
    # on millions of rows, and clean files (the usual case) skip it.
    if f" {sep}" in text or " \n" in text or f"\t{sep}" in text or text.endswith((" ", "\t")):
        pad = "" if sep == "\t" else "\t"
        text = re.sub(rf"[ {pad}]+(?={re.escape(sep)}|\r?\n|$)", "", text)
    if _repeated_header(text, sep, path, problems):  # pandas would rename a second 'x' to 'x.1'
        return None
    try:
        frame = pd.read_csv(io.StringIO(text), dtype=object, keep_default_na=False,
                            skipinitialspace=True, engine="c", sep=sep)
    except pd.errors.ParserError as exc:
        problems.append(Problem(path.name, _parser_row(str(exc)), None, _parser_message(str(exc))))
        return None
    except pd.errors.EmptyDataError:
        problems.append(Problem(path.name, None, None, "file is empty"))
        return None
    # Cells the package quoted against CSV injection ('=..., '-...) read back as written.
    return restore(frame) if "'" in text else frame


_UNCLEAN = object()  # what _read_clean returns for a file the general path must read
_STR = pd.api.types.pandas_dtype("str")
_CLEAN_SEPARATORS = (",", ";", "|")
_BLOCK = 1 << 24


def _read_clean(raw: bytes, path: Path, options: ReadOptions, problems: list[Problem],
                notes: list[str]) -> Any:
    """A clean file read by pyarrow; ``_UNCLEAN`` when the general path must read it.

    Clean means the two readers cannot differ: UTF-8 without a BOM (checked as strictly as
    Python decodes it), no quotes, NUL or lone carriage returns, no spaces or tabs around values
    (the general path strips them), a header of distinct non-empty names, and a separator that is
    not a tab (pandas skips tabs at the start of a value). pyarrow refuses rows of the wrong
    length, which the general path then names.
    """
    if getattr(_STR, "storage", None) != "pyarrow" or raw.startswith(tuple(b for b, _ in _BOMS)):
        return _UNCLEAN
    if options.encoding and codecs.lookup(options.encoding).name != "utf-8":
        return _UNCLEAN
    end = raw.find(b"\n")
    if end < 0 or not _utf8(raw):
        return _UNCLEAN
    header = raw[:end].decode("utf-8").removesuffix("\r")
    sep = options.separator or sniff_separator(header)
    if sep not in _CLEAN_SEPARATORS or not header:
        return _UNCLEAN
    if not _clean_bytes(raw, sep.encode()):
        return _UNCLEAN
    names = header.split(sep)
    if "" in names:
        return _UNCLEAN
    if _repeated_header(header + "\n", sep, path, problems):
        _note_separator(path, sep, options, notes)
        return None
    import pyarrow as pa
    import pyarrow.csv as pa_csv

    try:
        table = pa_csv.read_csv(
            pa.py_buffer(raw),
            read_options=pa_csv.ReadOptions(block_size=_BLOCK),
            parse_options=pa_csv.ParseOptions(delimiter=sep, quote_char=False),
            convert_options=pa_csv.ConvertOptions(
                column_types={n: pa.large_string() for n in names}, strings_can_be_null=False))
    except (pa.ArrowInvalid, pa.ArrowTypeError):  # rows of the wrong length, among others
        return _UNCLEAN
    if table.num_rows == 0:
        return _UNCLEAN
    _note_separator(path, sep, options, notes)
    frame = pd.DataFrame({n: pd.Series(pd.array(table.column(i), dtype=_STR), copy=False)
                          for i, n in enumerate(names)})
    return restore(frame) if b"'" in raw else frame


def _clean_bytes(raw: bytes, sep: bytes) -> bool:
    """No quote, NUL or lone carriage return, and no space or tab next to a separator or at
    either end of a line. One-byte searches first: a file without spaces needs no other."""
    if b'"' in raw or b"\0" in raw or raw.startswith((b" ", b"\t")) or raw.endswith((b" ", b"\t")):
        return False
    if b"\r" in raw and raw.count(b"\r") != raw.count(b"\r\n"):
        return False
    for pad in (b" ", b"\t"):
        if pad in raw and any(p in raw for p in (pad + sep, sep + pad, pad + b"\n", b"\n" + pad,
                                                  pad + b"\r\n")):
            return False
    return True


def _note_separator(path: Path, sep: str, options: ReadOptions, notes: list[str]) -> None:
    if sep != "," and not options.separator:
        notes.append(f"{path.name}: read with {_NAMES[sep]} as the separator (found in its "
                     "header); name another with separator = \"...\" in dataset.toml")


def _utf8(raw: bytes) -> bool:
    """Whether the bytes are UTF-8 as Python's strict decoder reads them (in blocks: no copy
    of a large file as one string)."""
    if raw.isascii():
        return True
    decoder = codecs.getincrementaldecoder("utf-8")()
    view = memoryview(raw)
    try:
        for start in range(0, len(raw), _BLOCK):
            decoder.decode(view[start:start + _BLOCK], final=start + _BLOCK >= len(raw))
    except UnicodeDecodeError:
        return False
    return True


def _repeated_header(text: str, sep: str, path: Path, problems: list[Problem]) -> bool:
    from alumni_net.io._schema import match_headers

    try:
        header = next(csv.reader(io.StringIO(text[: text.find("\n") + 1 or len(text)]),
                                 delimiter=sep), [])
    except csv.Error:
        return False  # the parser reports the file
    names = match_headers([c.strip() for c in header])[0]
    repeated = sorted({c for c in names if c and names.count(c) > 1})
    for name in repeated:
        problems.append(Problem(path.name, 1, name, "column appears more than once in the header"))
    return bool(repeated)


def _parser_row(message: str) -> int | None:
    # pandas says "line N" counting from 1, but "row N" counting from 0 (the header is row 0).
    if match := _PARSER_LINE.search(message):
        return int(match.group(1))
    if match := _PARSER_ROW.search(message):
        return int(match.group(1)) + 1
    return None


def _parser_message(message: str) -> str:
    if "EOF inside string" in message:
        return "a quoted value is never closed (is the file truncated?)"
    match = re.search(r"Expected (\d+) fields in line \d+, saw (\d+)", message)
    if match:
        return f"has {match.group(2)} values where the header has {match.group(1)} columns"
    return f"cannot be read as CSV ({message.strip()})"
