"""The national workforce on one machine (issue 15, section 4 and 5 targets).

Each command runs as the user runs it, in its own process (``alumni-net ...``), timed from the
outside: wall clock, CPU (user + system, all its threads and worker processes) and peak memory
of the process and its workers together, with the load average before and after. Peak memory is
the largest sum over the process tree of each process's proportional set size (PSS, from
``/proc/PID/smaps_rollup``): a page shared by k processes counts 1/k in each, so the network
that every worker maps from shared memory counts once, as it occupies memory once. The peak sum
of resident set sizes (RSS) is reported beside it; it counts such a page once per process, and
overstates the machine's memory in use by about (workers) x (shared network). Where smaps_rollup
cannot be read, a process's RSS stands in for its PSS and the output says so.

Targets, on 2 cores: ``synth --preset national`` <= 10 minutes, ``analyze`` <= 10 minutes,
``simulate`` 100 replicates of 10 years <= 5 minutes, recruiting 24 by reverse-influence sampling
under the programme's quotas with every non-alum a candidate <= 10 minutes; each <= 16 GB (peak
PSS). ``--quick`` runs the same steps on a 100,000-person national preset (a smoke check).
``--without simulate`` (repeatable) leaves a step out, e.g. to measure synth, analyze and RIS
before a new engine is merged; the dataset is still written. ``--data DIR`` uses a national
dataset already written (synth is skipped); ``--replicates N`` simulates N replicates and
extrapolates 100 from when each replicate finished. ``--json FILE`` writes the figures (per
step: seconds, CPU seconds, peak PSS and peak summed RSS in GB, what was measured, exit code).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _measure import _tree, load_note  # noqa: E402  (one process-tree walk, shared)

MINUTES = {"synth": 10, "analyze": 10, "simulate": 5, "ris": 10}
PEAK_GB = 16
SEED = 20240601
KEY = "0123456789abcdef0123456789abcdef"  # a fixed pseudonymisation key: outputs repeat


def run(name: str, command: list[str], results: dict) -> None:
    """Run ``command``; record wall, CPU and peak memory of it and every process it starts.

    Worker processes may be started by a fork server that never waits for them, so their usage
    does not reach ``wait4``: the process tree is read from /proc every 0.2 s instead (CPU as
    the last reading of each process; memory as the largest total PSS of the tree, read every
    5 s, and the largest total RSS).
    """
    before = load_note()
    start = time.perf_counter()
    env = {**os.environ, "ALUMNI_NET_KEY": KEY, "ALUMNI_NET_PROGRESS": "0"}
    with tempfile.TemporaryFile(mode="w+") as log:
        proc = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT,
                                text=True)
        cpu_seen: dict[int, float] = {}
        peak, peak_rss, without_pss = 0.0, 0.0, set()
        own = time.process_time()
        tick = 0
        while proc.poll() is None:
            pss = rss = 0.0
            # smaps_rollup walks the page tables of a process of 10 GB: read every 5 s only,
            # or the watching takes a share of a core from what it watches (measured: 150 s
            # of CPU over a 10-minute analyze at every 0.2 s, 25 s over a 6-minute simulate
            # at every 2 s); the resident set every 0.2 s. The memory of these commands
            # stands for minutes at a time (a worker's arrays, the parent's network), which
            # a reading every 5 s cannot miss.
            with_pss = tick % 25 == 0
            tick += 1
            for pid in _tree(proc.pid):
                got = _usage(pid, with_pss)
                if got is not None:
                    cpu_seen[pid], rss_pid, pss_pid = got
                    rss += rss_pid
                    if with_pss and pss_pid is None:
                        without_pss.add(pid)
                    pss += rss_pid if pss_pid is None else pss_pid
            if with_pss:
                peak = max(peak, pss)
            peak_rss = max(peak_rss, rss)
            time.sleep(0.2)
        own = time.process_time() - own
        wall = time.perf_counter() - start
        log.seek(0)
        out = log.read()
    code = proc.returncode
    cpu = sum(cpu_seen.values())
    measure = "pss" if not without_pss else "pss, rss where smaps_rollup was unreadable"
    results[name] = {"seconds": wall, "cpu_seconds": cpu, "peak_pss_gb": peak,
                     "peak_rss_gb": peak_rss, "memory": measure, "exit": code,
                     "watching_cpu_seconds": own}
    limit = MINUTES[name] * 60
    verdict = "met" if code == 0 and wall <= limit and peak <= PEAK_GB else "MISSED"
    print(f"  {name:<9} {wall:8.1f} s wall ({wall / 60:5.1f} min)  {cpu:8.1f} s CPU  "
          f"peak {peak:5.2f} GB PSS ({peak_rss:5.2f} GB summed RSS)  "
          f"target <= {MINUTES[name]} min, <= {PEAK_GB} GB: {verdict}")
    if without_pss:
        print(f"            note: /proc/PID/smaps_rollup was unreadable for {len(without_pss)} "
              "of its processes; their RSS is counted in the PSS figure (an overstatement)")
    print(f"            {before} before; {load_note()} after; watching it took {own:.1f} s "
          "of CPU", flush=True)
    lines = out.strip().splitlines()
    shown = lines[-15:] if code else lines[-1:]
    print("\n".join(f"            | {line}" for line in shown), flush=True)


_TICK = os.sysconf("SC_CLK_TCK")
_PAGE = os.sysconf("SC_PAGE_SIZE")


def _usage(pid: int, with_pss: bool = True) -> tuple[float, float, float | None] | None:
    """CPU seconds (user + system), resident GB and proportional GB (None when smaps_rollup
    cannot be read, or ``with_pss`` is false) of one process, or None when it is gone (or has
    finished: a zombie)."""
    try:
        with open(f"/proc/{pid}/stat") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
        if fields[0] in "ZX":
            return None
        with open(f"/proc/{pid}/statm") as fh:
            pages = int(fh.read().split()[1])
        pss = _pss(pid) if with_pss else None
    except (OSError, IndexError, ValueError):  # ended while it was read
        return None
    return (int(fields[11]) + int(fields[12])) / _TICK, pages * _PAGE / 2**30, pss


_ROLLUP = os.path.exists("/proc/self/smaps_rollup")  # Linux >= 4.14


def _pss(pid: int) -> float | None:
    """Proportional set size of one process in GB (``Pss:`` of smaps_rollup), or None when it
    cannot be read (an older kernel, another user's process); OSError when the process ended."""
    if not _ROLLUP:
        return None
    try:
        with open(f"/proc/{pid}/smaps_rollup") as fh:
            text = fh.read()
    except PermissionError:
        return None
    for line in text.splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1]) / 2**20  # kB
    return None


def ris_main(data: str, out: str) -> None:
    """The RIS step, in its own process: 24 recruits, programme quotas, every non-alum."""
    import numpy as np

    from alumni_net.experiments.recruitment import Quotas, trained
    from alumni_net.experiments.recruitment._pool import make_pool
    from alumni_net.experiments.recruitment.ris import ReverseSampler, ris_selection
    from alumni_net.io import load_dataset

    ds = load_dataset(data, pseudonymise_ids=True, key=KEY)
    quotas = Quotas(sector={"health": 0.35, "social_care": 0.25, "local_government": 0.2,
                            "voluntary": 0.2})
    pool = make_pool(ds.people, 24, None, quotas, (), SEED)
    sampler = ReverseSampler(ds, seed=np.random.SeedSequence(SEED), base=trained(ds.people))
    selection = ris_selection(pool, sampler)
    Path(out).write_text(json.dumps({"statement": selection.statement(),
                                     "rr_sets": selection.rr_sets,
                                     "candidates": pool.n}) + "\n", encoding="utf-8")
    print(f"{pool.n:,} candidates; {selection.statement()}")


def main(quick: bool = False, without: tuple[str, ...] = (), data: str | None = None,
         replicates: int = 100) -> dict:
    exe = str(Path(sys.executable).with_name("alumni-net"))
    results: dict = {}
    people = ["--people", "100000"] if quick else []
    with tempfile.TemporaryDirectory(prefix="bench_national_") as tmp:
        given, tmp = data, Path(tmp)
        data = given or f"{tmp}/national"
        print(f" national preset{' (100,000 people: quick)' if quick else ''}; {load_note()}",
              flush=True)
        if given is None:
            run("synth", [exe, "synth", "--preset", "national", "--seed", str(SEED), "--out",
                          data, *people], results)
        else:
            print(f"  synth     skipped: the dataset in {given} is used")
        if "analyze" not in without:
            run("analyze", [exe, "analyze", data, "--out", str(tmp / "analysis")], results)
        if "analyze" in results and results["analyze"]["exit"] == 0:
            summary = json.loads((tmp / "analysis" / "summary.json").read_text())
            for line in summary.get("precision", []):
                print(f"            - {line}")
        if "simulate" not in without:
            started = time.time()
            run("simulate", [exe, "simulate", data, "--replicates", str(replicates),
                             "--workers", "2", "--out", str(tmp / "simulation")], results)
            if replicates != 100 and results["simulate"]["exit"] == 0:
                _extrapolate(tmp / "simulation" / "replicates", started, replicates)
        if "ris" not in without:
            run("ris", [sys.executable, __file__, "--ris", data, str(tmp / "ris.json")], results)
    return results


def _extrapolate(store: Path, started: float, n: int) -> None:
    """From when each replicate's files were written: the time before the first replicate
    finished, the time per replicate after it, and what 100 replicates would take."""
    done = sorted(p.stat().st_mtime for p in store.rglob("*summary*"))
    if len(done) < 2:
        return
    first = done[0] - started
    per = (done[-1] - done[0]) / (len(done) - 1)
    print(f"            {len(done)} replicates: the first finished after {first:.1f} s, then "
          f"{per:.1f} s per replicate (2 workers); 100 replicates would take about "
          f"{first + 99 * per:.0f} s")


if __name__ == "__main__":
    if "--ris" in sys.argv:
        i = sys.argv.index("--ris")
        ris_main(sys.argv[i + 1], sys.argv[i + 2])
    else:
        left_out = tuple(sys.argv[i + 1] for i, a in enumerate(sys.argv[:-1]) if a == "--without")
        if unknown := set(left_out) - {"analyze", "simulate", "ris"}:
            sys.exit(f"--without takes analyze, simulate or ris, got {', '.join(sorted(unknown))}")
        def value(flag: str) -> str | None:
            return sys.argv[sys.argv.index(flag) + 1] if flag in sys.argv else None

        figures = main(quick="--quick" in sys.argv, without=left_out, data=value("--data"),
                       replicates=int(value("--replicates") or 100))
        if out := value("--json"):
            Path(out).write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
            print(f" figures written to {out}")
