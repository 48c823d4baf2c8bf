"""Text tables (CSV) as spreadsheets save them: byte-order marks, Windows encodings, separators.

Excel's "CSV UTF-8" starts with a byte-order mark (BOM) and is read as UTF-8; "Unicode text"
(UTF-16 with a BOM, tab-separated) is read too. A file that is not UTF-8 is refused with one
sentence naming the encoding it looks like (Excel's plain "CSV" on Windows is Windows-1252) and
how to declare it (``encoding = "cp1252"`` in ``dataset.toml``, or ``--encoding``); declared, it
is read. The separator is the one of ``, ; tab |`` found most often in the header outside quotes
(Excel writes ``;`` where the decimal mark is a comma), unless ``separator`` names it.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from pathlib import Path

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
                  notes: list[str]) -> pd.DataFrame | None:
    """Every cell of a CSV file as stripped text ('' missing); None with a problem if unreadable."""
    raw = path.read_bytes()
    text = decode(raw, path.name, options, problems)
    if text is None:
        return None
    if not text.strip():
        problems.append(Problem(path.name, None, None, "file is empty"))
        return None
    sep = options.separator or sniff_separator(text)
    if sep != "," and not options.separator:
        notes.append(f"{path.name}: read with {_NAMES[sep]} as the separator (found in its "
                     "header); name another with separator = \"...\" in dataset.toml")
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
