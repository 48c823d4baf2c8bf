"""Fuzz: corrupted inputs always end in a clear validation error, never a traceback or output."""

from __future__ import annotations

import argparse
import contextlib
import io
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.helpers import TWO_COHORTS_PEOPLE, TWO_COHORTS_TIES

from alumni_net.cli import COMMANDS, build_parser, main


def _lines(text: str) -> list[str]:
    return text.strip("\n").split("\n")


def _join(lines: list[str]) -> str:
    return "\n".join(lines) + "\n"


def _drop_column(files, draw):
    table, column = draw(st.sampled_from([("people", "person_id"), ("ties", "source"),
                                          ("ties", "target")]))
    lines = _lines(files[table])
    at = lines[0].split(",").index(column)
    files[table] = _join([",".join(c for i, c in enumerate(line.split(",")) if i != at)
                          for line in lines])


def _duplicate_id(files, draw):
    lines = _lines(files["people"])
    files["people"] = _join([*lines, draw(st.sampled_from(lines[1:]))])


def _dangling_tie(files, draw):
    stranger = draw(st.sampled_from(["zz", "x9", "nobody", "a1 "])
                    .filter(lambda s: s.strip() != "a1"))
    files["ties"] += f"a1,{stranger},colleague,1,\n"


def _bad_weight(files, draw):
    bad = draw(st.sampled_from(["0", "-1", "-0.5", "heavy", "inf", "nan", "1e400"]))
    files["ties"] += f"a1,p3,advice,{bad},\n"


def _bad_date(files, draw):
    bad = draw(st.text(alphabet="abcdefghijklmnopqrstuvwxyz/", min_size=1, max_size=12))
    files["ties"] += f"a2,p3,advice,1,{bad}\n"


def _truncate(files, draw):
    # Cut a tie row inside its target id and drop the rest, as an interrupted copy would.
    lines = _lines(files["ties"])
    row = draw(st.integers(1, len(lines) - 1))
    source, target = lines[row].split(",")[:2]
    cut = len(source) + 1 + draw(st.integers(0, len(target) - 1))
    files["ties"] = _join(lines[:row]) + lines[row][:cut]


def _encoding(files, draw):
    # Undeclared Windows encodings are refused (with the line to declare them); UTF-16 with its
    # byte-order mark and UTF-8 with one are read, so they are not corruptions.
    table = draw(st.sampled_from(["people", "ties"]))
    codec = draw(st.sampled_from(["latin-1", "cp1252"]))
    files[table] = (files[table].replace("London", "Londön").replace("cohort,", "cohört,")
                    .encode(codec))


def _empty(files, draw):
    files[draw(st.sampled_from(["people", "ties"]))] = ""


CORRUPTIONS = [_drop_column, _duplicate_id, _dangling_tie, _bad_weight, _bad_date, _truncate,
               _encoding, _empty]


@st.composite
def corrupted(draw):
    files = {"people": TWO_COHORTS_PEOPLE, "ties": TWO_COHORTS_TIES}
    chosen = draw(st.lists(st.sampled_from(CORRUPTIONS), min_size=1, max_size=3, unique=True))
    # Emptying a file goes after the edits that need its rows.
    text_edits = sorted((c for c in chosen if c is not _encoding), key=lambda c: c is _empty)
    byte_edits = [c for c in chosen if c is _encoding]
    for corrupt in text_edits + byte_edits[:1]:  # byte-level edits last, and only one of them
        corrupt(files, draw)
    return files


def _writing_commands() -> list[str]:
    """Commands that read DATA_DIR and write --out: each must write nothing for bad input."""
    names = []
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    for name in COMMANDS:
        dests = {a.dest for a in sub.choices[name]._actions}
        if {"data_dir", "out"} <= dests:
            names.append(name)
    return names


def _run(argv: list[str]) -> tuple[int, str]:
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = main(argv)
    return code, err.getvalue()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(files=corrupted())
def test_corrupted_input_is_a_clear_error_and_writes_nothing(files):
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "data"
        folder.mkdir()
        for table, content in files.items():
            path = folder / f"{table}.csv"
            path.write_bytes(content) if isinstance(content, bytes) else path.write_text(content)
        before = sorted(Path(tmp).rglob("*"))
        code, err = _run(["validate", str(folder)])
        assert code == 2
        assert "Traceback" not in err
        lines = err.strip().splitlines()
        assert lines and all(
            line.startswith(("people.csv", "ties.csv", str(folder))) for line in lines[:-1]
        ), err
        for command in _writing_commands():
            out = Path(tmp) / f"out-{command}"
            code, err = _run([command, str(folder), "--out", str(out)])
            assert code == 2, (command, err)
            assert "Traceback" not in err
            assert "problem" in err.splitlines()[-1]
            assert not out.exists()
        assert sorted(Path(tmp).rglob("*")) == before
