"""Pajek networks (.net, .paj).

Read: ``*Vertices n`` then ``i "label" ...`` lines (vertices without a line keep their number as
label), ``*Arcs`` (directed) and ``*Edges`` (undirected) sections of ``u v [weight]`` lines,
``*Arcslist``/``*Edgeslist`` (``u v1 v2 ...``), ``*Matrix`` (n rows of n values, 0 = no tie),
a relation's name as ``*Arcs :2 "advice"`` (the ties' kind), and ``%`` comments. Vertex numbers
are the ``person_id`` s; a label other than the number is the ``name``, pseudonymised on load.
Arcs make the data directed; edges in directed data are ties both ways.

A small parser rather than igraph's ``Read_Pajek``, which was tried first: igraph turns a file
holding both ``*Arcs`` and ``*Edges`` into one undirected graph, reads an empty section without a
word, and reports an arc to a vertex that does not exist without its line. Here every problem
names its line, and the tests check that both read the same graph from the physicians' network.
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

__all__ = ["PAJEK", "write_pajek"]

_SECTION = re.compile(r"^\*(\w+)\s*(.*)$")
_VERTEX = re.compile(r'^\s*(\d+)\s*(?:"([^"]*)"|(\S+))?')
_RELATION = re.compile(r':\s*(\d+)\s*(?:"([^"]*)"|(\S+))?')
_LISTS = {"arcs": True, "edges": False, "arcslist": True, "edgeslist": False}


def _sniff(path: Path) -> bool:
    try:
        with open(path, "rb") as fh:
            head = fh.read(4096).decode("latin-1")
    except OSError:
        return False
    return bool(re.search(r"^\s*\*vertices\s+\d+", head, re.IGNORECASE | re.MULTILINE))


def _read(path: Path, options: ReadOptions, problems: list[Problem]) -> Tables | None:
    text = decode(path.read_bytes(), path.name, options, problems)
    if text is None:
        return None
    lines = text.splitlines()
    sections = _sections(lines, path.name, problems)
    if not sections or sections[0][0] != "vertices":
        problems.append(Problem(path.name, None, None,
                                "has no *Vertices line before its ties (Pajek's layout: "
                                "*Vertices n, then *Arcs or *Edges)"))
        return None
    _, header, start, body = sections[0]
    n = _count(header, path.name, start, problems)
    if n is None:
        return None
    labels = _vertices(body, n, path.name, problems)
    parts, any_arcs = [], False
    for name, header, start, body in sections[1:]:
        if not body:
            problems.append(Problem(f"{path.name}, line {start}", None, None,
                                    f"the *{name.title()} section is empty (is the file "
                                    "truncated?)"))
            continue
        kind = _relation(header)
        if name in _LISTS:
            any_arcs |= _LISTS[name]
            parts.append(_ties(name, body, n, kind, path.name, problems))
        elif name == "matrix":
            any_arcs = True
            parts.append(_matrix(body, n, kind, path.name, problems))
        else:
            problems.append(Problem(f"{path.name}, line {start}", None, None,
                                    f"*{name} sections are not read (only *Vertices, *Arcs, "
                                    "*Edges, *Arcslist, *Edgeslist and *Matrix)"))
    if problems:
        return None
    if not parts:
        problems.append(Problem(path.name, None, None, "has no *Arcs or *Edges section: a "
                                "network needs ties"))
        return None
    ties = pd.concat([p for p, _ in parts], ignore_index=True)
    if any_arcs:  # undirected edges in directed data are ties both ways
        undirected = ties[~ties["arc"]]
        back = undirected.rename(columns={"source": "target", "target": "source"})
        ties = pd.concat([ties, back[ties.columns]], ignore_index=True)
    rows = ties.pop("line").to_numpy()
    ties = ties.drop(columns=["arc"])
    ids = [str(i) for i in range(1, n + 1)]
    return graph_tables(path, nodes={"id": ids, "label": labels},
                        node_rows=np.arange(1, n + 1) + 0, edges={c: ties[c] for c in ties},
                        edge_rows=rows, where_nodes=path.name, where_edges=path.name,
                        meta={"directed": any_arcs})


def _sections(lines: list[str], name: str, problems) -> list[tuple]:
    """(name, rest of the header, line number, [(line number, text), ...]) per section."""
    out: list[tuple] = []
    for no, raw in enumerate(lines, start=1):
        first = raw[:1]
        if first not in ("*", "%", " ", "\t", "") and out:  # the usual line: fast
            out[-1][3].append((no, raw))
            continue
        line = raw.strip()
        if not line or line.startswith("%"):
            continue
        match = _SECTION.match(line)
        if match:
            word = match.group(1).lower()
            if word == "network":
                continue
            out.append((word, match.group(2), no, []))
        elif out:
            out[-1][3].append((no, line))
        else:
            problems.append(Problem(f"{name}, line {no}", None, None,
                                    "comes before any *Vertices line"))
    return out


def _count(header: str, name: str, line: int, problems) -> int | None:
    parts = header.split()
    if not parts or not parts[0].isdigit() or int(parts[0]) < 1:
        problems.append(Problem(f"{name}, line {line}", None, None,
                                "*Vertices must give the number of vertices"))
        return None
    if len(parts) > 1:
        problems.append(Problem(f"{name}, line {line}", None, None,
                                "is a two-mode network (*Vertices n m), which is not read"))
        return None
    return int(parts[0])


def _vertices(body, n: int, name: str, problems) -> list[str]:
    labels = [""] * n
    seen: dict[int, int] = {}
    for no, line in body:
        match = _VERTEX.match(line)
        if not match:
            problems.append(Problem(f"{name}, line {no}", None, None,
                                    "is not a vertex line (a number, then its label)"))
            continue
        i = int(match.group(1))
        if not 1 <= i <= n:
            problems.append(Problem(f"{name}, line {no}", None, None,
                                    f"vertex {i} is outside 1 to {n} (*Vertices {n})"))
            continue
        if i in seen:
            problems.append(Problem(f"{name}, line {no}", None, None,
                                    f"vertex {i} is listed again (first on line {seen[i]})"))
        seen[i] = no
        labels[i - 1] = match.group(2) if match.group(2) is not None else (match.group(3) or "")
    return labels


def _relation(header: str) -> str:
    match = _RELATION.search(header)
    if not match:
        return ""
    return match.group(2) or match.group(3) or f"relation_{match.group(1)}"


def _pairs(body):
    """Source, target and weight of ``u v [w]`` lines: pandas' C reader when every line is
    such a line (a million in a second), else token by token."""
    try:
        frame = pd.read_csv(io.StringIO("\n".join(line for _, line in body)), sep=r"\s+",
                            header=None, names=["s", "t", "w"], dtype=str, engine="c",
                            keep_default_na=False, skip_blank_lines=False)
        if len(frame) == len(body):
            return frame["s"].to_numpy(), frame["t"].to_numpy(), frame["w"].to_numpy()
    except (pd.errors.ParserError, ValueError):
        pass
    parts = pd.Series([line for _, line in body]).str.split()
    third = parts.str[2].astype(object)
    return (parts.str[0].to_numpy(), parts.str[1].to_numpy(),
            third.where(third.notna(), "").to_numpy())


def _ties(kind_word: str, body, n: int, kind: str, name: str, problems):
    nos = np.array([no for no, _ in body])
    if kind_word.endswith("list"):
        parts = pd.Series([line for _, line in body]).str.split()
        counts = parts.str.len().to_numpy() - 1
        source = np.repeat(parts.str[0].to_numpy(), np.maximum(counts, 0))
        target = np.concatenate([p[1:] for p in parts]) if len(parts) else np.array([])
        weight = np.full(len(source), "")
        nos = np.repeat(nos, np.maximum(counts, 0))
    else:
        source, target, weight = _pairs(body)
    frame = pd.DataFrame({"source": source, "target": target, "weight": weight})
    for col in ("source", "target"):
        values = pd.to_numeric(frame[col], errors="coerce")
        bad = values.isna() | (values < 1) | (values > n) | (values % 1 != 0)
        for i in np.flatnonzero(bad.to_numpy()):
            shown = frame[col].iat[i]
            problems.append(Problem(f"{name}, line {nos[i]}", None, None,
                                    f"'{shown}' is not a vertex (the file lists 1 to {n})"
                                    if shown is not None else "has no second vertex"))
    frame["kind"] = kind
    frame["arc"] = _LISTS[kind_word]
    frame["line"] = nos
    return frame.astype({"source": str, "target": str}), _LISTS[kind_word]


def _matrix(body, n: int, kind: str, name: str, problems):
    if len(body) != n:
        problems.append(Problem(f"{name}, line {body[0][0]}", None, None,
                                f"the *Matrix has {len(body)} rows where *Vertices says {n}"))
        return pd.DataFrame(), True
    rows = []
    for r, (no, line) in enumerate(body, start=1):
        values = line.split()
        if len(values) != n:
            problems.append(Problem(f"{name}, line {no}", None, None,
                                    f"has {len(values)} values where *Vertices says {n}"))
            continue
        for c, v in enumerate(values, start=1):
            if v not in ("0", "0.0"):
                rows.append((str(r), str(c), v, kind, True, no))
    frame = pd.DataFrame(rows, columns=["source", "target", "weight", "kind", "arc", "line"])
    return frame, True


def write_pajek(ds: Dataset, path: str | os.PathLike) -> Path:
    """Write a dataset as Pajek (vertex numbers in ``person_id`` order; ids as labels; kinds as
    relations ``*Arcs :k "kind"``), atomically."""
    from alumni_net.core.files import atomic_write_text

    ids = ds.people["person_id"].astype(str).tolist()
    number = {pid: i for i, pid in enumerate(ids, start=1)}
    lines = [f"*Vertices {len(ids)}"] + [f'{i} "{pid}"' for pid, i in number.items()]
    word = "*Arcs" if ds.directed else "*Edges"
    for k, (kind, group) in enumerate(ds.ties.groupby("kind", sort=True), start=1):
        lines.append(f'{word} :{k} "{kind}"')
        lines += [f"{number[str(s)]} {number[str(t)]} {w:g}" for s, t, w in
                  zip(group["source"], group["target"], group["weight"], strict=True)]
    return atomic_write_text(path, "\n".join(lines) + "\n")


PAJEK = Format(
    name="pajek",
    title="Pajek network (.net)",
    suffixes=(".net", ".paj"),
    sniff=_sniff,
    read=_read,
    example="examples/pajek/physicians.net",
    one_line="a Pajek `.net` file: `*Vertices n` with labels, then `*Arcs` or `*Edges` "
             "(`u v weight`)",
    write=write_pajek,
)
