"""UCINET DL files (.dl): ``fullmatrix``, ``edgelist1`` and ``nodelist1``, with labels.

The header, before ``data:``, holds ``dl``, ``n=`` (the number of people), ``format=``
(``fullmatrix`` by default, ``edgelist1``, ``nodelist1``), and optionally ``labels:`` (the people's
labels, separated by commas, spaces or lines) or ``labels embedded`` (labels in the data: the
matrix's first row and column, or the lists' entries). Keywords may share a line (``dl n=4
format=edgelist1``), as UCINET writes them. Entries are numbers 1 to n, or labels when embedded;
a matrix cell's value is the tie's weight (0: no tie). Rows name who chose: ties are directed.

A small parser rather than igraph's ``Read_DL``, which was tried first: it refuses the one-line
header UCINET itself writes, and says neither which line nor which entry disagrees with ``n``.
Here every problem names its line; the tests check that both read the same network where igraph
reads the file.
"""

from __future__ import annotations

import io
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from alumni_net.errors import Problem
from alumni_net.io.formats._graph import graph_tables
from alumni_net.io.formats.base import Format
from alumni_net.io.toolkit import ReadOptions, Tables, decode

if TYPE_CHECKING:
    from alumni_net.io import Dataset

__all__ = ["UCINET", "write_dl"]

_FORMATS = ("fullmatrix", "edgelist1", "nodelist1")
_TOKEN = re.compile(r'"([^"]*)"|([^\s,]+)')


def _sniff(path: Path) -> bool:
    try:
        with open(path, "rb") as fh:
            head = fh.read(256).decode("latin-1").lstrip().lower()
    except OSError:
        return False
    return bool(re.match(r"dl[\s,]", head))


def _tokens(line: str) -> list[str]:
    return [a if a else b for a, b in _TOKEN.findall(line)]


def _read(path: Path, options: ReadOptions, problems: list[Problem]) -> Tables | None:
    text = decode(path.read_bytes(), path.name, options, problems)
    if text is None:
        return None
    lines = text.splitlines()
    head, data_start = _header(lines, path.name, problems)
    if head is None:
        return None
    n, fmt, labels, embedded = head
    body = [(no, line) for no, line in enumerate(lines[data_start:], start=data_start + 1)
            if line.strip()]
    if not body:
        problems.append(Problem(f"{path.name}, line {data_start}", None, None,
                                "has no data after 'data:'"))
        return None
    if fmt == "fullmatrix":
        result = _matrix(body, n, labels, embedded, path.name, problems)
    else:
        result = _lists(body, n, labels, embedded, fmt, path.name, problems)
    if result is None or problems:
        return None
    labels, source, target, weight, rows = result
    ids = [str(i) for i in range(1, n + 1)]
    return graph_tables(path, nodes={"id": ids, "label": labels},
                        node_rows=np.zeros(n, dtype=np.int64),
                        edges={"source": source, "target": target, "weight": weight},
                        edge_rows=rows, where_nodes=path.name, where_edges=path.name,
                        meta={"directed": True})


def _header(lines: list[str], name: str, problems):
    """(n, format, labels, embedded) and the index of the first data line."""
    words, labels, reading_labels, embedded = [], [], False, False
    for i, raw in enumerate(lines):
        line = raw.strip()
        low = line.lower()
        if low.startswith("data:"):
            rest = line[5:].strip()
            if rest:
                lines.insert(i + 1, rest)
            break
        if reading_labels and not re.match(r"^(labels|format|n\s*=|dl\b|nm\s*=|row|col)", low):
            labels += _tokens(line)
            continue
        reading_labels = False
        if re.match(r"^(row\s+|col(umn)?\s+)?labels\s+embedded", low):
            embedded = True
            continue
        match = re.match(r"^(row\s+|col(umn)?\s+)?labels\s*:(.*)$", line, re.IGNORECASE)
        if match:
            reading_labels = True
            labels += _tokens(match.group(3))
            continue
        words += [w for w in re.split(r"[\s,]+", low) if w]
    else:
        problems.append(Problem(name, None, None, "has no 'data:' line (UCINET DL's layout: a "
                                "header, then data:)"))
        return None, 0
    header = " ".join(words)
    settings = {k: v for k, v in re.findall(r"\b(n|nm|nr|nc|format)\s*=\s*(\w+)", header)}
    if words[:1] != ["dl"]:
        problems.append(Problem(f"{name}, line 1", None, None, "does not start with 'dl'"))
    if "nm" in settings and settings["nm"] != "1":
        problems.append(Problem(name, None, None, "holds several matrices (nm), which are not "
                                "read; save one relation per file"))
    if "nr" in settings or "nc" in settings:
        problems.append(Problem(name, None, None, "is a two-mode matrix (nr, nc), which is not "
                                "read"))
    n_text = settings.get("n", "")
    if not n_text.isdigit() or int(n_text) < 1:
        problems.append(Problem(f"{name}, line 1", None, None, "must give n, the number of "
                                "people (dl n=...)"))
        return None, 0
    fmt = settings.get("format", "fullmatrix")
    if fmt not in _FORMATS:
        problems.append(Problem(f"{name}, line 1", None, None,
                                f"format={fmt} is not read (only {', '.join(_FORMATS)})"))
    n = int(n_text)
    if labels and len(labels) != n:
        problems.append(Problem(name, None, None, f"lists {len(labels)} labels where n={n}"))
    if problems:
        return None, 0
    return (n, fmt, labels or [""] * n, embedded), i + 1


def _matrix(body, n, labels, embedded, name, problems):
    if embedded:
        labels = _tokens(body[0][1])
        body = body[1:]
        if len(labels) != n:
            problems.append(Problem(f"{name}, line {body[0][0] - 1 if body else 0}", None, None,
                                    f"the matrix's first row holds {len(labels)} labels where "
                                    f"n={n}"))
            return None
    values, rows = [], []
    for no, line in body:
        tokens = _tokens(line)
        if embedded:
            tokens = tokens[1:]
        values += tokens
        rows += [no] * len(tokens)
    if len(values) != n * n:
        problems.append(Problem(f"{name}, line {body[-1][0]}", None, None,
                                f"the matrix holds {len(values)} values where n={n} needs "
                                f"{n * n} ({n} rows of {n}); check n"))
        return None
    cells = pd.to_numeric(pd.Series(values), errors="coerce").to_numpy()
    for i in np.flatnonzero(np.isnan(cells)):
        problems.append(Problem(f"{name}, line {rows[i]}", None, None,
                                f"'{values[i]}' is not a number"))
    if problems:
        return None
    r, c = np.divmod(np.flatnonzero(cells != 0), n)
    weight = [f"{w:g}" for w in cells[cells != 0]]
    line_of = np.array(rows)[cells != 0]
    return labels, (r + 1).astype(str), (c + 1).astype(str), weight, line_of


def _numbered_edges(body, n, name, problems):
    """An edge list of person numbers, read by pandas' C reader (a million lines in a second);
    None when some line is not ``i j [w]`` (then read token by token)."""
    try:
        frame = pd.read_csv(io.StringIO("\n".join(line for _, line in body)), sep=r"[\s,]+",
                            header=None, names=["s", "t", "w"], dtype=str, engine="python"
                            if any("," in line for _, line in body[:10]) else "c",
                            keep_default_na=False, skip_blank_lines=False)
    except (pd.errors.ParserError, ValueError):
        return None
    if len(frame) != len(body) or (frame["t"] == "").any():
        return None
    nos = np.array([no for no, _ in body])
    for col in ("s", "t"):
        values = pd.to_numeric(frame[col], errors="coerce")
        bad = values.isna() | (values < 1) | (values > n) | (values % 1 != 0)
        for i in np.flatnonzero(bad.to_numpy()):
            problems.append(Problem(f"{name}, line {nos[i]}", None, None,
                                    f"'{frame[col].iat[i]}' is not a person number from 1 to "
                                    f"n={n}"))
    return frame["s"].to_numpy(), frame["t"].to_numpy(), frame["w"].to_numpy(), nos


def _lists(body, n, labels, embedded, fmt, name, problems):
    if fmt == "edgelist1" and not embedded:
        fast = _numbered_edges(body, n, name, problems)
        if fast is not None:
            return (labels, *fast)
    number = {lab: str(i) for i, lab in enumerate(labels, start=1) if lab}
    source, target, weight, rows = [], [], [], []
    found = list(labels) if not embedded else []
    for no, line in body:
        tokens = _tokens(line)
        if len(tokens) < 2:
            problems.append(Problem(f"{name}, line {no}", None, None,
                                    "needs at least two entries (who, and whom)"))
            continue
        if fmt == "edgelist1":
            ends, w = tokens[:2], tokens[2] if len(tokens) > 2 else ""
            pairs = [(ends[0], ends[1], w)]
        else:
            pairs = [(tokens[0], t, "") for t in tokens[1:]]
        for a, b, w in pairs:
            ids = []
            for entry in (a, b):
                if embedded:
                    if entry not in number:
                        found.append(entry)
                        number[entry] = str(len(found))
                        if len(found) > n:
                            problems.append(Problem(
                                f"{name}, line {no}", None, None,
                                f"'{entry}' is person {len(found)} in the data, where n={n}; "
                                "check n"))
                    ids.append(number[entry])
                elif entry.isdigit() and 1 <= int(entry) <= n:
                    ids.append(str(int(entry)))
                else:
                    problems.append(Problem(f"{name}, line {no}", None, None,
                                            f"'{entry}' is not a person number from 1 to n={n}"))
                    ids.append("")
            source.append(ids[0])
            target.append(ids[1])
            weight.append(w)
            rows.append(no)
    if embedded:
        labels = found[:n] + [""] * (n - len(found))
    return labels, source, target, weight, np.array(rows)


def write_dl(ds: Dataset, path: str | os.PathLike) -> Path:
    """Write a dataset as a UCINET DL edge list with embedded labels (the person ids), one line
    per tie with its weight, atomically; kinds are not kept (one relation per DL file)."""
    from alumni_net.core.files import atomic_write_text

    ids = ds.people["person_id"].astype(str).tolist()
    lines = [f"dl n={len(ids)} format=edgelist1", "labels:", ",".join(f'"{i}"' for i in ids),
             "data:"]
    number = {pid: i for i, pid in enumerate(ids, start=1)}
    lines += [f"{number[str(s)]} {number[str(t)]} {w:g}" for s, t, w in
              zip(ds.ties["source"], ds.ties["target"], ds.ties["weight"], strict=True)]
    return atomic_write_text(path, "\n".join(lines) + "\n")


UCINET = Format(
    name="ucinet",
    title="UCINET DL (.dl)",
    suffixes=(".dl", ".txt"),
    sniff=_sniff,
    read=_read,
    example="examples/ucinet/physicians_advice.dl",
    one_line="a UCINET DL file: `dl n=... format=fullmatrix|edgelist1|nodelist1` with `labels:` "
             "or `labels embedded`",
    write=write_dl,
)
