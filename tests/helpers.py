"""Test data shared across the suite: tiny datasets as text, and where the real datasets live."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
REAL = ROOT / "data" / "real"
SHARED_REAL = ROOT.parent / "shared" / "data" / "real"

# Counts from each dataset's README (people, ties by kind).
REAL_COUNTS = {
    "medical_innovation": (125, {"advice": 161, "discussion": 165, "friendship": 124}),
    "brazilian_farmers": (692, {"friend": 830, "influential": 923, "practice_a_source": 268,
                                "practice_b_source": 261, "practice_c_source": 237,
                                "coop_project": 339}),
    "lazega_lawyers": (71, {"advice": 892, "cowork": 1104, "friendship": 575}),
    "krackhardt_hightech": (21, {"advice": 190, "friendship": 102, "reports_to": 20}),
}


def real_dataset_dir(name: str) -> Path:
    """The committed copy when there is one (MIT data), else the shared folder (skip if absent)."""
    for base in (REAL, SHARED_REAL):
        if (base / name / "people.csv").is_file():
            return base / name
    pytest.skip(f"real dataset {name} is not available here")


def write_dataset_files(folder: Path, people: str, ties: str, meta: str | None = None) -> Path:
    """Write people.csv / ties.csv (and dataset.toml) from literal text."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "people.csv").write_text(people, encoding="utf-8")
    (folder / "ties.csv").write_text(ties, encoding="utf-8")
    if meta is not None:
        (folder / "dataset.toml").write_text(meta, encoding="utf-8")
    return folder


TWO_COHORTS_PEOPLE = (
    "person_id,name,email,is_alum,cohort,cohort_start,action_learning_set,sector,region\n"
    """a1,Ada Lovelace,ada@example.org,true,1,2016-09-01,C1-S1,health,London
a2,Brian Kernighan,brian@example.org,true,1,2016-09-01,C1-S1,social_care,London
b1,Grace Hopper,grace@example.org,true,2,2017-09-01,C2-S1,voluntary,North West
p1,Edsger Dijkstra,edsger@example.org,false,,,,health,London
p2,Barbara Liskov,barbara@example.org,,,,,local_government,North West
p3,Donald Knuth,donald@example.org,false,,,,private,Midlands
""")
TWO_COHORTS_TIES = """source,target,kind,weight,since
a1,a2,cohort,1,2016-09-01
a1,a2,action_learning_set,1,2016-09-01
a2,p1,colleague,2,
b1,p2,colleague,1,2015-01-01
p1,p3,partnership,0.5,2014
"""
#: Names and emails in the two-cohort fixture: none may reach any output.
PERSONAL_VALUES = [
    line.split(",")[i]
    for line in TWO_COHORTS_PEOPLE.strip().splitlines()[1:]
    for i in (1, 2)
]


# The metrics' hand-checked toy graph: cohorts A = {a1, a2} (tied to each other) and B = {b1};
# non-alumni on three arms, and one isolate (w) added by the tests that need it.
#   y2 - y1 - a2 - a1 - x1 - x2 - x3 - x4 - b1 - z1 - z2 - z3 - z4
TWO_COHORT_EDGES = [
    ("a1", "a2"), ("a1", "x1"), ("x1", "x2"), ("x2", "x3"), ("x3", "x4"), ("a2", "y1"),
    ("y1", "y2"), ("b1", "x4"), ("b1", "z1"), ("z1", "z2"), ("z2", "z3"), ("z3", "z4"),
]


def generic_invocation(name: str) -> list[str]:
    """The command line of a command that reads DATA_DIR and writes --out, from its own parser
    (for commands added after a test's table of invocations was written)."""
    import argparse

    from alumni_net.cli import build_parser

    parser = next(a for a in build_parser()._actions
                  if isinstance(a, argparse._SubParsersAction)).choices[name]
    argv = [name]
    for action in parser._actions:
        if not action.option_strings and action.dest == "data_dir":
            argv.append("{data}")
        elif not action.option_strings or (action.required and action.dest != "out"):
            pytest.fail(f"'{name}' needs an argument a test cannot guess: {action.dest}")
        elif action.dest == "out":
            argv += [action.option_strings[0], f"{{out}}/{name}"]
    return argv
