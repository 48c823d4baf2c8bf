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

import contextlib
import csv
import io
import json
import os
import re
import signal
import subprocess
import sys
import time
import warnings
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import pytest  # noqa: E402
from tests.cli.red_team_cases import CASES, FORMULAS, LONG, Case  # noqa: E402
from tests.helpers import generic_invocation  # noqa: E402

from alumni_net.cli import COMMANDS, main  # noqa: E402

# How each command runs: small and few replicates; "{out}" is a folder for the results.
INVOCATIONS = {
    "validate": ["validate", "{data}"],
    "analyze": ["analyze", "{data}", "--out", "{out}/results", "--samples", "50"],
    "simulate": [
        "simulate",
        "{data}",
        "--out",
        "{out}/results",
        "--replicates",
        "2",
        "--horizon",
        "12",
        "--workers",
        "1",
        "--seed",
        "1",
    ],
    "map": ["map", "{data}", "--out", "{out}/maps/network.png"],
    "export": ["export", "{data}", "--out", "{out}/export"],
    "calibrate": [
        "calibrate",
        "{data}",
        "--out",
        "{out}/calibrate",
        "--particles",
        "20",
        "--generations",
        "2",
        "--workers",
        "1",
        "--model",
        "simple",
    ],
    "diffusion": ["diffusion", "{data}", "--out", "{out}/diffusion", "--replicates", "5"],
    "scenarios": [
        "scenarios",
        "{scenario}",
        "--out",
        "{out}/scenarios",
        "--replicates",
        "2",
        "--workers",
        "1",
    ],
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
NOT_READING = {
    "synth": "makes its own data",
    "demo": "makes its own data",
    "dashboard": "starts a web server",
}
CHEAP = ("validate", "analyze", "export")
#: Commands that fit a model to adoption data: they may refuse odd but valid data with a sentence.
MAY_REFUSE = {"calibrate", "diffusion", "scenarios"}
ORDER = (
    "validate",
    "analyze",
    "simulate",
    "map",
    "export",
    "calibrate",
    "diffusion",
    "scenarios",
    "report",
)
_SENTENCE_END = re.compile(r"[.;:)'\"\w]$")


def reading_commands() -> list[str]:
    names = [c for c in COMMANDS if c not in NOT_READING]
    return sorted(names, key=lambda c: ORDER.index(c) if c in ORDER else len(ORDER) - 1)


def invocation(name: str) -> list[str]:
    return INVOCATIONS[name] if name in INVOCATIONS else generic_invocation(name)


def run(argv: list[str]) -> tuple[int, str, str]:
    """Exit code, stdout and stderr of one command; Python warnings go to stderr as the CLI's do.

    Warnings are shown, not raised as the test configuration would: a user sees them as text.
    Only RuntimeWarnings about the numbers (a degenerate centrality on extreme data) may appear.
    """
    out, err = io.StringIO(), io.StringIO()
    with (
        contextlib.redirect_stdout(out),
        contextlib.redirect_stderr(err),
        warnings.catch_warnings(record=True) as caught,
    ):
        warnings.simplefilter("always")
        code = main(argv)
    shown = [f"warning: {w.category.__name__}: {w.message}" for w in caught]
    others = [w for w in caught if not issubclass(w.category, RuntimeWarning)]
    assert not others, (argv[0], [str(w.message)[:200] for w in others])
    return code, out.getvalue(), err.getvalue() + "".join(f"{line}\n" for line in shown)


def scenario_file(folder: Path, data: Path) -> Path:
    path = folder / "scenarios.toml"
    path.write_text(
        f'horizon_years = 1\nbaseline = "random"\ndata = {json.dumps(str(data))}\n'
        "[run]\nreplicates = 2\nseed = 1\n[cohorts]\nsize = 4\n"
        '[[scenario]]\nname = "bigger"\n[scenario.cohorts]\nsize = 6\n',
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
    _check_case(case, tmp_path, every_command=False)


# The accepted cases that the default run sends through the cheap commands only: every command,
# kept under -m slow so that the default suite stays within its time.
@pytest.mark.slow
@pytest.mark.parametrize("case", [c for c in CASES if not (c.full or c.refuse)],
                         ids=[c.name for c in CASES if not (c.full or c.refuse)])
def test_hostile_input_through_every_command(case: Case, tmp_path: Path) -> None:
    _check_case(case, tmp_path, every_command=True)


def _check_case(case: Case, tmp_path: Path, *, every_command: bool) -> None:
    data, out = tmp_path / "data", tmp_path / "out"
    case.build(data)
    scenario = scenario_file(tmp_path, data)
    ran_ok: list[str] = []
    for name in reading_commands():
        if not (every_command or case.full or case.refuse or name in CHEAP):
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
    from alumni_net.core.tables import read_csv, restore_value

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


# --- output folders, two runs at once, SIGKILL --------------------------------------------------


def _writing_commands() -> list[str]:
    return [c for c in reading_commands() if "{out}" in " ".join(invocation(c)) and c != "report"]


@pytest.fixture
def base(tmp_path: Path) -> Path:
    case = next(c for c in CASES if c.name == "crlf_line_ends")  # a valid programme
    case.build(tmp_path / "data")
    return tmp_path / "data"


def test_out_that_is_a_file_for_every_command(base: Path, tmp_path: Path) -> None:
    taken = tmp_path / "taken"
    taken.write_text("keep me")
    scenario = scenario_file(tmp_path, base)
    for name in [*_writing_commands(), "report"]:
        argv = [a.format(data=base, out=taken, scenario=scenario) for a in invocation(name)]
        if name == "report":
            argv[1] = str(taken)
        code, _, err = run(argv)
        record("out_is_a_file", name, code, err)
        assert code == 2 and "Traceback" not in err and str(taken) in err, (name, err)
        assert taken.read_text() == "keep me" and not leftovers(tmp_path)


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_read_only_out_folder(base: Path, tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    try:
        for name in _writing_commands():
            code, _, err = run(
                [
                    a.format(data=base, out=locked, scenario=scenario_file(tmp_path, base))
                    for a in invocation(name)
                ]
            )
            assert code == 2 and "Permission denied" in err and str(locked) in err, (name, err)
        assert list(locked.iterdir()) == []
    finally:
        locked.chmod(0o755)


def test_a_write_refused_by_the_system_is_one_sentence(base, tmp_path, monkeypatch) -> None:
    """A read-only or full disk, as the rename of the finished files would meet it."""

    def refuse(src, dst):
        raise PermissionError(13, "Permission denied", str(dst))

    monkeypatch.setattr(os, "replace", refuse)
    for name in ("analyze", "export"):
        code, _, err = run(
            [a.format(data=base, out=tmp_path / "out", scenario="") for a in invocation(name)]
        )
        record("out_read_only", name, code, err)
        assert code == 2 and err.startswith(f"alumni-net {name}: Permission denied: "), err
        assert not leftovers(tmp_path)
        assert not any((tmp_path / "out").rglob("*.csv"))


def test_out_holding_a_different_run(base: Path, tmp_path: Path) -> None:
    other = next(c for c in CASES if c.name == "ids_2_to_the_63")
    other.build(tmp_path / "other")
    out = tmp_path / "out"
    assert run(["analyze", str(base), "--out", str(out)])[0] == 0
    assert run(["report", str(out), "--no-maps"])[0] == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    for name in ("analyze", "simulate"):
        argv = [
            a.format(data=tmp_path / "other", out=out.parent, scenario="") for a in invocation(name)
        ]
        argv[argv.index("--out") + 1] = str(out)
        code, _, err = run(argv)
        record("out_holds_a_different_run", name, code, err)
        assert code == 2 and "holds results of other data" in err and str(out) in err, err
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    # The same data again: the run replaces the earlier one whole, stale report removed.
    assert run(["analyze", str(base), "--out", str(out), "--max-dist", "2"])[0] == 0
    assert not (out / "report.html").exists()


def _cli(*args: str) -> list[str]:
    return [
        sys.executable,
        "-c",
        "import sys; from alumni_net.cli import main; sys.exit(main(sys.argv[1:]))",
        *args,
    ]


def _env() -> dict:
    return {**os.environ, "ALUMNI_NET_KEY": "red-team-key-0123456789", "MPLBACKEND": "Agg"}


def test_two_runs_into_one_out_at_once(base: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    runs = [
        subprocess.Popen(
            _cli("analyze", str(base), "--out", str(out), "--max-dist", d),
            env=_env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for d in ("2", "3")
    ]
    results = []
    for proc in runs:
        with proc:
            _, err = proc.communicate(timeout=600)
        results.append((proc.returncode, err))
    for code, err in results:
        record("same_out_two_runs_at_once", "analyze", code, err)
        assert code in (0, 2) and "Traceback" not in err, err
    assert any(code == 0 for code, _ in results)
    summary = json.loads((out / "summary.json").read_text())
    depth = summary["reach"]["max_dist"]
    with open(out / "reach.csv", newline="") as fh:
        header = next(csv.reader(fh))
    assert f"reach_{depth}" in header and f"reach_{depth + 1}" not in header  # one run's files
    assert not leftovers(tmp_path)


@pytest.mark.parametrize("command", ["analyze", "report"])
def test_sigkill_leaves_no_partial_file(command: str, tmp_path: Path) -> None:
    from alumni_net.synth import synthesize

    data, out = tmp_path / "data", tmp_path / "out"
    synthesize(data, n_people=1500, n_cohorts=1, seed=2, overwrite=True)
    if command == "report":
        assert run(["analyze", str(data), "--out", str(out)])[0] == 0
        argv = ["report", str(out), "--no-maps"]
    else:
        argv = ["analyze", str(data), "--out", str(out)]
    proc = subprocess.Popen(
        _cli(*argv), env=_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    # Kill it the moment its temporary output appears (or whenever it ends on its own).
    while proc.poll() is None and not leftovers(tmp_path):
        time.sleep(0.005)
    killed = proc.poll() is None
    with proc:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
    record("sigkill_during_" + command, command, -9 if killed else proc.returncode, "")
    finished = {"analyze": "centrality.csv", "report": "report.html"}[command]
    if (out / finished).exists():  # only ever whole files
        text = (out / finished).read_text(encoding="utf-8")
        assert text.endswith("</html>\n") if command == "report" else text.count("\n") == 1501
    if command == "analyze":
        assert not (out / "summary.json").exists() or json.loads((out / "summary.json").read_text())
    # The next run removes what the killed one left and finishes cleanly.
    assert run(argv)[0] == 0
    assert not leftovers(tmp_path)


# issue 19 red team: executors ----------------------------------------------------------------
# SIGTERM, SIGKILL and a lost Dask cluster during runs with workers: each stops with a sentence
# (or silently, for SIGKILL), keeps only whole replicates, and leaves no process behind. Last,
# places for people who use services on data without a sector column (was KeyError: 'sector').


def _session(sid: int) -> list[str]:
    """Processes of session ``sid`` still running (zombies have finished): ``pid command``."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
            cmdline = (stat.parent / "cmdline").read_bytes().replace(b"\0", b" ")
        except OSError:
            continue  # ended while we looked
        state, _ppid, _pgrp, session = text[text.rindex(")") + 2:].split()[:4]
        if int(session) == sid and state != "Z":
            found.append(f"{stat.parent.name} {cmdline.decode(errors='replace')[:120]}")
    return found


def _gone(sid: int, timeout: float = 30.0) -> list[str]:
    """Processes of session ``sid`` left after ``timeout`` seconds (empty: all ended)."""
    deadline = time.monotonic() + timeout
    while (left := _session(sid)) and time.monotonic() < deadline:
        time.sleep(0.2)
    return left


def _start(argv: list[str], err: Path) -> subprocess.Popen:
    """A command in its own session, stderr to a file (workers that outlive it would hold a
    pipe open), progress bars off."""
    env = {**_env(), "ALUMNI_NET_PROGRESS": "0"}
    with open(err, "wb") as fh:
        return subprocess.Popen(_cli(*argv), env=env, stdout=subprocess.DEVNULL, stderr=fh,
                                start_new_session=True)


def _until(ready, proc: subprocess.Popen, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not ready():
        if proc.poll() is not None or time.monotonic() > deadline:
            os.killpg(proc.pid, signal.SIGKILL)
            raise AssertionError(f"{what} did not happen (exit {proc.poll()})")
        time.sleep(0.1)


def _finished(folder: Path) -> int:
    return len(list(folder.glob("replicates/rep-*.summary.parquet")))


def _only_whole_replicates(out: Path, *, killed: bool = False) -> None:
    """Each replicate has all four tables or none, and no temporary file is left. A process
    killed outright may leave a temporary file and a replicate without its summary (not
    finished: the next run drops both), but never a summary without the other tables."""
    per: dict[str, set[str]] = {}
    for path in (out / "replicates").glob("rep-*.parquet"):
        replicate, table, _ = path.name.split(".")
        per.setdefault(replicate, set()).add(table)
    whole = {"timeseries", "by_group", "by_degree", "summary"}
    for replicate, tables in per.items():
        assert tables == whole or (killed and "summary" not in tables), (replicate, tables)
    assert killed or not leftovers(out)


@pytest.fixture(scope="module")
def programme_dir(tmp_path_factory) -> Path:
    from alumni_net.synth import synthesize

    folder = tmp_path_factory.mktemp("programme") / "data"
    synthesize(folder, n_people=1000, n_cohorts=2, seed=1, overwrite=True)
    return folder


SIMULATE_SLOWLY = ["--replicates", "40", "--engine", "reference", "--horizon", "24", "--seed", "3"]


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads processes from /proc")
@pytest.mark.timeout(300)
@pytest.mark.parametrize("how", ["SIGTERM", pytest.param("SIGKILL", marks=pytest.mark.slow)])
def test_simulate_with_workers_stopped_by_a_signal_leaves_no_process(programme_dir, tmp_path,
                                                                     how) -> None:
    """Before: SIGTERM exited silently and left the forkserver, two workers and the resource
    tracker (about 930 MB) running; so did SIGKILL. Now SIGTERM gets what Ctrl-C gets, and
    workers whose parent was killed outright stop by themselves."""
    out, err = tmp_path / "out", tmp_path / "stderr"
    proc = _start(["simulate", str(programme_dir), "--out", str(out), *SIMULATE_SLOWLY,
                   "--workers", "2"], err)
    _until(lambda: _finished(out) >= 1, proc, 240, "a finished replicate")
    proc.send_signal(getattr(signal, how))
    code = proc.wait(timeout=60)
    left = _gone(proc.pid)
    text = err.read_text()
    record("sigterm_simulate_with_workers" if how == "SIGTERM" else "sigkill_simulate_workers",
           "simulate", code, text)
    assert not left, left
    _only_whole_replicates(out, killed=how == "SIGKILL")
    assert not (out / "multiplier.csv").exists()
    if how == "SIGTERM":
        assert code == 143, text
        assert text.strip().splitlines()[-1] == (
            "alumni-net simulate: stopped (SIGTERM); nothing half-written was kept; run the same "
            "command with --resume to continue."), text
        assert "Traceback" not in text, text
    else:
        assert code == -signal.SIGKILL


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads processes from /proc")
@pytest.mark.timeout(300)
def test_calibrate_with_workers_stopped_by_sigterm(base: Path, tmp_path: Path) -> None:
    out, err = tmp_path / "out", tmp_path / "stderr"
    proc = _start(["calibrate", str(base), "--out", str(out), "--particles", "300",
                   "--generations", "8", "--workers", "2", "--model", "simple"], err)
    # main, resource tracker, forkserver and two workers: the pool is running
    _until(lambda: len(_session(proc.pid)) >= 5, proc, 240, "a pool of two workers")
    time.sleep(0.5)
    proc.send_signal(signal.SIGTERM)
    code = proc.wait(timeout=60)
    left = _gone(proc.pid)
    text = err.read_text()
    record("sigterm_calibrate_with_workers", "calibrate", code, text)
    assert not left, left
    assert code == 143 and "Traceback" not in text, text
    assert text.strip().splitlines()[-1] == (
        "alumni-net calibrate: stopped (SIGTERM); nothing half-written was kept."), text
    assert not out.exists() or not any(out.iterdir())


def _dask_cluster(folder: Path) -> tuple[subprocess.Popen, subprocess.Popen, str]:
    """A scheduler and one worker (no nanny), each a process in its own session, on 127.0.0.1."""
    file = folder / "scheduler.json"
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL,
             "start_new_session": True}
    scheduler = subprocess.Popen(
        [sys.executable, "-m", "distributed.cli.dask_scheduler", "--host", "127.0.0.1",
         "--port", "0", "--no-dashboard", "--scheduler-file", str(file)], **quiet)
    _until(file.exists, scheduler, 120, "the scheduler's start")
    time.sleep(0.2)  # written whole
    worker = subprocess.Popen(
        [sys.executable, "-m", "distributed.cli.dask_worker", "--scheduler-file", str(file),
         "--nthreads", "1", "--no-nanny", "--no-dashboard", "--host", "127.0.0.1"], **quiet)
    return scheduler, worker, json.loads(file.read_text())["address"]


@pytest.mark.timeout(300)
@pytest.mark.parametrize("lost", ["worker", pytest.param("scheduler", marks=pytest.mark.slow)])
def test_a_lost_dask_cluster_is_one_sentence(programme_dir, tmp_path, lost) -> None:
    """Before: ``TypeError: cannot unpack non-iterable FutureCancelledError``. Now one sentence:
    the cluster failed, the finished replicates are kept, --resume continues (and it does)."""
    pytest.importorskip("dask.distributed")
    scheduler, worker, address = _dask_cluster(tmp_path)
    out, err = tmp_path / "out", tmp_path / "stderr"
    settings = ["--replicates", "8", "--engine", "reference", "--horizon", "12", "--seed", "3"]
    argv = ["simulate", str(programme_dir), "--out", str(out), *settings, "--dask", address]
    try:
        proc = _start(argv, err)
        _until(lambda: _finished(out) >= 1, proc, 240, "a finished replicate")
        victim = worker if lost == "worker" else scheduler
        os.killpg(victim.pid, signal.SIGKILL)
        code = proc.wait(timeout=120)
    finally:
        for p in (worker, scheduler):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(p.pid, signal.SIGKILL)
            p.wait(timeout=60)
    text = err.read_text()
    record(f"dask_{lost}_lost_mid_run", "simulate", code, text)
    last = text.strip().splitlines()[-1]
    assert code == 1 and "Traceback" not in text and "TypeError" not in text, text
    assert last.startswith(f"alumni-net simulate: the Dask cluster at {address!r} failed during "
                           "the run: a worker or the scheduler was lost ("), text
    assert last.endswith(f"are finished and kept in {out / 'replicates'}; run the same command "
                         "with --resume to continue."), text
    kept = _finished(out)
    assert 1 <= kept < 8 and f"{kept} of 8 replicates" in last
    _only_whole_replicates(out)
    if lost == "worker":  # --resume continues, here in this process, from the kept replicates
        resumed = ["simulate", str(programme_dir), "--out", str(out), *settings, "--workers", "1",
                   "--resume"]
        assert run(resumed)[0] == 0
        assert _finished(out) == 8 and (out / "multiplier.csv").is_file()


def test_places_for_people_who_use_services_on_data_without_sectors(base, tmp_path) -> None:
    """Before: ``KeyError: 'sector'`` (the shared physicians have no sector column). Now exit 2,
    one sentence naming the file, the scenario and the key, nothing written."""
    people = (base / "people.csv").read_text().splitlines()
    column = people[0].split(",").index("sector")
    (base / "people.csv").write_text("\n".join(
        ",".join(c for i, c in enumerate(row.split(",")) if i != column) for row in people) + "\n")
    path = scenario_file(tmp_path, base)
    path.write_text(path.read_text().replace("[cohorts]\nsize = 4\n",
                                             "[cohorts]\nsize = 4\n[quotas]\n"
                                             "min_service_users = 1\n"))
    code, _, err = run(["scenarios", str(path), "--out", str(tmp_path / "out"), "--workers", "1"])
    record("service_user_places_without_sector", "scenarios", code, err)
    assert code == 2 and "Traceback" not in err and "KeyError" not in err, err
    assert one_sentence_naming(err, (str(path), "scenario 'random'", "[quotas] min_service_users",
                                     "needs a 'sector' column")), err
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("command", ["analyze", "simulate"])
def test_a_key_file_anyone_may_change_is_refused(base, tmp_path, command) -> None:
    """Before: a world-writable key file was used without a word (whoever can change the key
    can make pseudonyms that match theirs). Now exit 2, one sentence naming the file and the
    fix, nothing written."""
    key = tmp_path / "key.txt"
    key.write_text("a-key-of-thirty-two-characters-0")
    key.chmod(0o666)
    out = tmp_path / "out"
    code, _, err = run([command, str(base), "--out", str(out), "--key-file", str(key)])
    record("key_file_world_writable", command, code, err)
    assert code == 2 and "Traceback" not in err, err
    assert one_sentence_naming(err, (str(key), "can be changed by anyone", "chmod 600")), err
    assert not out.exists()


@pytest.mark.parametrize("command", ["analyze", "validate"])
def test_an_empty_key_variable_is_refused(base, tmp_path, monkeypatch, command) -> None:
    """Before: ``ALUMNI_NET_KEY=""`` fell back to a random key without a word (pseudonyms that
    match no other run) while a one-character key was refused. Now both are one sentence."""
    out = tmp_path / "out"
    argv = [command, str(base)] + (["--out", str(out)] if command == "analyze" else [])
    for value, words in (("", "is set but empty"), ("x", "is too short")):
        monkeypatch.setenv("ALUMNI_NET_KEY", value)
        code, _, err = run(argv)
        record(f"key_variable_{'empty' if not value else 'one_character'}", command, code, err)
        assert code == 2 and "Traceback" not in err, err
        assert one_sentence_naming(err, ("$ALUMNI_NET_KEY", words)), err
        assert not out.exists()


# end of issue 19 red team: executors ---------------------------------------------------------


@pytest.mark.slow
@pytest.mark.timeout(3600)  # minutes per command on a loaded machine
def test_a_million_ties_on_50000_people(tmp_path: Path) -> None:
    """validate, analyze and export on 10^6 ties among 50,000 people: time and peak memory are
    printed (and recorded with RED_TEAM_TABLE); each must finish with exit 0."""
    import resource

    import numpy as np

    rng = np.random.default_rng(11)
    n, m = 50_000, 1_000_000
    pairs = set()
    while len(pairs) < m:
        a, b = rng.integers(0, n, size=(2, m))
        lo, hi = np.minimum(a, b), np.maximum(a, b)
        keep = lo != hi
        pairs.update(zip(lo[keep].tolist(), hi[keep].tolist(), strict=True))
    pairs = sorted(pairs)[:m]
    data = tmp_path / "data"
    data.mkdir()
    alum = np.zeros(n, bool)
    alum[rng.choice(n, 600, replace=False)] = True
    with open(data / "people.csv", "w") as fh:
        fh.write("person_id,is_alum,cohort,sector\n")
        fh.writelines(
            f"P{i},{'true' if alum[i] else 'false'},{1 + i % 5 if alum[i] else ''},s{i % 7}\n"
            for i in range(n)
        )
    with open(data / "ties.csv", "w") as fh:
        fh.write("source,target\n")
        fh.writelines(f"P{a},P{b}\n" for a, b in pairs)
    for argv in (
        ["validate", str(data)],
        ["analyze", str(data), "--out", str(tmp_path / "out")],
        ["export", str(data), "--out", str(tmp_path / "export")],
    ):
        start = time.perf_counter()
        with subprocess.Popen(
            _cli(*argv), env=_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
        ) as proc:
            _, err = proc.communicate(timeout=3600)
        seconds = time.perf_counter() - start
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # MiB, largest child
        line = f"{argv[0]}: exit {proc.returncode}, {seconds:.1f} s, peak memory <= {peak:.0f} MiB"
        print(line)
        record("million_ties_50000_people", argv[0], proc.returncode, line)
        assert proc.returncode == 0 and "Traceback" not in err, err[-2000:]
