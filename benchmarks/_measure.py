"""Timing and memory helpers shared by the benchmarks."""

from __future__ import annotations

import os
import random
import resource
import threading
import time
from contextlib import contextmanager

import igraph as ig


def max_rss_gb() -> float:
    """Peak resident memory of this process so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20


def _rss_bytes() -> int:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


@contextmanager
def measured(results: dict, name: str):
    """Record wall time and peak resident memory of the block under ``name``.

    Memory is sampled from /proc every 5 ms by a thread (it sees igraph's and numba's C
    allocations too, which tracemalloc would miss; tracemalloc also slows Python-heavy code).
    """
    peak = [_rss_bytes()]
    done = threading.Event()

    def watch():
        while not done.wait(0.005):
            peak[0] = max(peak[0], _rss_bytes())

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    start, cpu_start = time.perf_counter(), time.process_time()
    try:
        yield
    finally:
        seconds = time.perf_counter() - start
        cpu = time.process_time() - cpu_start
        done.set()
        watcher.join()
        peak_gb = max(peak[0], _rss_bytes()) / 2**30
        results[name] = {"seconds": seconds, "cpu_seconds": cpu, "peak_rss_gb": peak_gb,
                         "max_rss_gb": max_rss_gb()}
        print(
            f"  {name:<48} {seconds:9.2f} s ({cpu:7.2f} s CPU)   peak RSS during step "
            f"{peak_gb:6.2f} GB   process max RSS so far {max_rss_gb():6.2f} GB",
            flush=True,
        )


def best_of(results: dict, name: str, fn, repeats: int):
    """Run ``fn`` ``repeats`` times under :func:`measured`; keep the fastest time (the machine is
    shared, so the minimum is the least disturbed run) and the largest memory peak."""
    runs: dict = {}
    value = None
    for i in range(repeats):
        with measured(runs, name if repeats == 1 else f"{name} [run {i + 1}]"):
            value = fn()
    results[name] = {
        "seconds": min(r["seconds"] for r in runs.values()),
        "cpu_seconds": min(r["cpu_seconds"] for r in runs.values()),
        "peak_rss_gb": max(r["peak_rss_gb"] for r in runs.values()),
        "max_rss_gb": max_rss_gb(),
    }
    return value


def barabasi(n: int, m: int, seed: int) -> ig.Graph:
    """igraph.Graph.Barabasi(n, m) from a private seeded generator (global state untouched)."""
    ig.set_random_number_generator(random.Random(seed))
    try:
        return ig.Graph.Barabasi(n, m)
    finally:
        ig.set_random_number_generator(random)


def ratio(results: dict, a: str, b: str, *, key: str = "seconds") -> float:
    """Time of ``a`` over time of ``b`` (wall clock, or ``key="cpu_seconds"``)."""
    return results[a][key] / results[b][key]


def load_note() -> str:
    """The machine's load averages (1, 5, 15 min) and core count, for the record."""
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.1f} / {five:.1f} / {fifteen:.1f} on {os.cpu_count()} cores"


class TreeWatch:
    """CPU and memory of this process and every process it starts (pool workers included,
    which a fork server starts and never reports to ``wait4``), read from /proc every 0.2 s by a
    thread: CPU as the last reading of each process, memory as the largest sum of the tree's
    proportional set sizes (PSS: pages shared by workers counted once between them).

    Use as a context manager; afterwards ``cpu_seconds``, ``peak_pss_gb`` and ``seconds``.
    """

    def __init__(self, interval: float = 0.2):
        self.interval = interval
        self.cpu_seen: dict[int, float] = {}
        self.peak_pss_gb = 0.0
        self.seconds = 0.0
        self._done = threading.Event()

    def __enter__(self) -> TreeWatch:
        self._start = time.perf_counter()
        self._cpu0 = _own_cpu()
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._done.set()
        self._thread.join()
        self._sample()
        self.seconds = time.perf_counter() - self._start

    @property
    def cpu_seconds(self) -> float:
        """This process's CPU in the block plus its descendants' (user + system)."""
        me = os.getpid()
        return (self.cpu_seen.get(me, _own_cpu()) - self._cpu0
                + sum(v for pid, v in self.cpu_seen.items() if pid != me))

    def _watch(self) -> None:
        while not self._done.wait(self.interval):
            self._sample()

    def _sample(self) -> None:
        pss = 0
        for pid in _tree(os.getpid()):
            try:
                with open(f"/proc/{pid}/stat") as fh:
                    fields = fh.read().rsplit(")", 1)[1].split()
                with open(f"/proc/{pid}/smaps_rollup") as fh:
                    kb = next(int(line.split()[1]) for line in fh if line.startswith("Pss:"))
            except (OSError, StopIteration, IndexError, ValueError):
                continue
            self.cpu_seen[pid] = (int(fields[11]) + int(fields[12])) / _TICK
            pss += kb * 1024
        self.peak_pss_gb = max(self.peak_pss_gb, pss / 2**30)


_TICK = os.sysconf("SC_CLK_TCK")


def _own_cpu() -> float:
    with open("/proc/self/stat") as fh:
        fields = fh.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / _TICK


def _tree(root: int) -> list[int]:
    """``root`` and every process descended from it (from /proc)."""
    parent: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as fh:
                    parent[int(entry)] = int(fh.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
    found, frontier = [root], [root]
    while frontier:
        frontier = [pid for pid, ppid in parent.items() if ppid in frontier]
        found += frontier
    return found
