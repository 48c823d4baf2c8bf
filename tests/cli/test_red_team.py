"""Red team: hostile and odd inputs through every command that reads data.

Every case of :mod:`tests.cli.red_team_cases` runs through the commands of the CLI registry that
read a dataset (discovered from ``alumni_net.cli.COMMANDS``; ones added later run with DATA_DIR and
--out). Each run must end in exit 0 with correct output, or exit 2 with one sentence naming the
file, row and column; never a traceback; nothing half-written; and no CSV cell a spreadsheet
would run as a formula. To stay fast, cases marked ``full`` (one of each kind) run through every
command; the others through validate, analyze and export, and, when the input is refused, through
every command (a refusal costs a load). ``RED_TEAM_TABLE=path`` writes each outcome to ``path``.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import io
import json
import os
import re
import warnings
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import pytest  # noqa: E402
from tests.cli.red_team_cases import CASES, FORMULAS, LONG, Case  # noqa: E402

from alumni_net.cli import COMMANDS, build_parser, main  # noqa: E402

# How each command runs: small and few replicates; "{out}" is a folder for the results.
INVOCATIONS = {
    "validate": ["validate", "{data}"],
    "analyze": ["analyze", "{data}", "--out", "{out}/results", "--samples", "50"],
    "simulate": ["simulate", "{data}", "--out", "{out}/results", "--replicates", "2",
                 "--horizon", "12", "--workers", "1", "--seed", "1"],
    "map": ["map", "{data}", "--out", "{out}/maps/network.png"],
    "export": ["export", "{data}", "--out", "{out}/export"],
    "calibrate": ["calibrate", "{data}", "--out", "{out}/calibrate", "--particles", "20",
                  "--generations", "2", "--workers", "1", "--model", "simple"],
    "diffusion": ["diffusion", "{data}", "--out", "{out}/diffusion", "--replicates", "5"],
    "scenarios": ["scenarios", "{scenario}", "--out", "{out}/scenarios", "--replicates", "2",
                  "--workers", "1"],
    "report": ["report", "{out}/results", "--data", "{data}", "--no-maps"],
}
#: What a successful run leaves (relative to "{out}").
OUTPUTS = {
    "analyze": ["results/centrality.csv", "results/summary.json", "results/summary.md"],
    "simulate": ["results/multiplier.csv"],
    "map": ["maps/network.png"],
    "export": ["export/network.graphml", "export/network.gexf", "export/kumu.json"],
    "scenarios": ["scenarios/scenarios.csv"],
    "report": ["results/report.html"],
}
NOT_READING = {"synth": "makes its own data", "demo": "makes its own data",
               "dashboard": "starts a web server"}
CHEAP = ("validate", "analyze", "export")
#: Commands that fit a model to adoption data: they may refuse odd but valid data with a sentence.
MAY_REFUSE = {"calibrate", "diffusion", "scenarios"}
ORDER = ("validate", "analyze", "simulate", "map", "export", "calibrate", "diffusion",
         "scenarios", "report")
_SENTENCE_END = re.compile(r"[.;:)'\"\w]$")


def reading_commands() -> list[str]:
    names = [c for c in COMMANDS if c not in NOT_READING]
    return sorted(names, key=lambda c: ORDER.index(c) if c in ORDER else len(ORDER) - 1)


def invocation(name: str) -> list[str]:
    if name in INVOCATIONS:
        return INVOCATIONS[name]
    parser = next(a for a in build_parser()._actions
                  if isinstance(a, argparse._SubParsersAction)).choices[name]
    argv = [name]
    for action in parser._actions:
        if not action.option_strings and action.dest == "data_dir":
            argv.append("{data}")
        elif not action.option_strings or (action.required and action.dest != "out"):
            pytest.fail(f"'{name}' needs an argument this table cannot guess: {action.dest}")
        elif action.dest == "out":
            argv += [action.option_strings[0], f"{{out}}/{name}"]
    return argv


def run(argv: list[str]) -> tuple[int, str, str]:
    """Exit code, stdout and stderr of one command; Python warnings go to stderr as the CLI's do.

    Warnings are shown, not raised as the test configuration would: a user sees them as text.
    Only RuntimeWarnings about the numbers (a degenerate centrality on extreme data) may appear.
    """
    out, err = io.StringIO(), io.StringIO()
    with (contextlib.redirect_stdout(out), contextlib.redirect_stderr(err),
          warnings.catch_warnings(record=True) as caught):
        warnings.simplefilter("always")
        code = main(argv)
    shown = [f"warning: {w.category.__name__}: {w.message}" for w in caught]
    others = [w for w in caught if not issubclass(w.category, RuntimeWarning)]
    assert not others, (argv[0], [str(w.message)[:200] for w in others])
    return code, out.getvalue(), err.getvalue() + "".join(f"{line}\n" for line in shown)


def scenario_file(folder: Path, data: Path) -> Path:
    path = folder / "scenarios.toml"
    path.write_text(
        f"horizon_years = 1\nbaseline = \"random\"\ndata = {json.dumps(str(data))}\n"
        "[run]\nreplicates = 2\nseed = 1\n[cohorts]\nsize = 4\n"
        "[[scenario]]\nname = \"bigger\"\n[scenario.cohorts]\nsize = 6\n",
        encoding="utf-8",
    )
    return path


def leftovers(root: Path) -> list[str]:
    """Temporary files or folders of an interrupted write."""
    return [str(p) for p in root.rglob("*") if p.name.endswith((".partial", ".tmp"))]


def formula_cells(root: Path) -> list[str]:
    """CSV cells in ``root`` a spreadsheet would run (text starting with = + - @ tab CR)."""
    found = []
    for path in root.rglob("*.csv"):
        with open(path, newline="", encoding="utf-8") as fh:
            for row in csv.reader(fh):
                for cell in row:
                    if cell[:1] in ("=", "+", "-", "@", "\t", "\r") and not _number(cell):
                        found.append(f"{path.name}: {cell[:40]!r}")
    return found


def _number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def one_sentence_naming(err: str, fragments: tuple[str, ...]) -> bool:
    lines = [ln for ln in err.strip().splitlines() if not ln.startswith(("note:", "warning:"))]
    return bool(lines) and any(all(f in ln for f in fragments) for ln in lines)


def record(case: str, command: str, code: int, err: str) -> None:
    path = os.environ.get("RED_TEAM_TABLE")
    if path:
        lines = [ln for ln in err.strip().splitlines() if not ln.startswith("note:")]
        lines = [ln for ln in lines if code or ln.startswith("warning:")]
        first = lines[0][:90].replace("|", "/") if lines else ""
        with open(path, "a", encoding="utf-8") as fh:
            fh.write(f"| {case} | {command} | {code} | {first} |\n")


def check_success(case: Case, name: str, out: Path, stdout: str) -> None:
    for rel in OUTPUTS.get(name, []):
        assert (out / rel).is_file() and (out / rel).stat().st_size > 0, f"{name}: no {rel}"
    if case.people is None:
        return
    if name == "validate":
        assert f"{case.people:,} people" in stdout, stdout
    if name == "analyze":
        with open(out / "results/centrality.csv", newline="", encoding="utf-8") as fh:
            assert sum(1 for _ in csv.reader(fh)) - 1 == case.people
    if name == "export":
        assert (out / "export/network.graphml").read_text().count("<node ") == case.people


@pytest.fixture(autouse=True)
def _key(monkeypatch):
    monkeypatch.setenv("ALUMNI_NET_KEY", "red-team-key-0123456789")


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_hostile_input(case: Case, tmp_path: Path) -> None:
    data, out = tmp_path / "data", tmp_path / "out"
    case.build(data)
    scenario = scenario_file(tmp_path, data)
    ran_ok: list[str] = []
    for name in reading_commands():
        if not (case.full or case.refuse or name in CHEAP):
            continue
        if name == "report" and "analyze" not in ran_ok and not case.refuse:
            continue
        before = sorted(p for p in tmp_path.rglob("*"))
        argv = [a.format(data=data, out=out, scenario=scenario) for a in invocation(name)]
        code, stdout, err = run(argv)
        record(case.name, name, code, err)
        assert "Traceback" not in err, (name, err)
        assert code in (0, 2), (name, code, err)
        assert not leftovers(tmp_path), (name, leftovers(tmp_path))
        if case.refuse:
            assert code == 2, (name, stdout, err)
            assert one_sentence_naming(err, case.refuse), (name, case.refuse, err)
            assert sorted(p for p in tmp_path.rglob("*")) == before, f"{name} wrote something"
        elif code == 2:
            assert name in MAY_REFUSE, (name, err)
            assert one_sentence_naming(err, ("",)) and _SENTENCE_END.search(err.strip()), err
            assert sorted(p for p in tmp_path.rglob("*")) == before, f"{name} wrote something"
        else:
            check_success(case, name, out, stdout)
            ran_ok.append(name)
    assert not formula_cells(tmp_path / "out") if out.exists() else True
    if case.check is not None:
        case.check(out)


def test_formulas_are_quoted_and_read_back(tmp_path: Path) -> None:
    """The formula case's values are quoted in centrality.csv and read back as they were."""
    from alumni_net._tables import read_csv, restore_value

    case = next(c for c in CASES if c.name == "categories_with_spreadsheet_formulas")
    case.build(tmp_path / "data")
    assert run(["analyze", str(tmp_path / "data"), "--out", str(tmp_path / "out")])[0] == 0
    raw = (tmp_path / "out/centrality.csv").read_text(encoding="utf-8")
    assert "'=HYPERLINK(" in raw and "\n=" not in raw and ",=" not in raw
    sectors = set(read_csv(tmp_path / "out/centrality.csv")["sector"])
    # A quote before a formula character is the quoting itself, so "'=x" in the input reads as "=x".
    assert {restore_value(v) for v in FORMULAS.values()} <= sectors


def test_long_category_keeps_its_value(tmp_path: Path) -> None:
    case = next(c for c in CASES if c.name == "category_of_100000_characters")
    case.build(tmp_path / "data")
    assert run(["export", str(tmp_path / "data"), "--out", str(tmp_path / "out")])[0] == 0
    assert LONG in (tmp_path / "out/network.graphml").read_text(encoding="utf-8")
