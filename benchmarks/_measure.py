"""Timing and memory helpers shared by the benchmarks."""

from __future__ import annotations

import random
import resource
import time
import tracemalloc
from contextlib import contextmanager

import igraph as ig


def max_rss_gb() -> float:
    """Peak resident memory of this process so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20


@contextmanager
def measured(results: dict, name: str):
    """Record wall time and peak traced (Python/numpy) allocation of the block under ``name``."""
    tracemalloc.start()
    start = time.perf_counter()
    try:
        yield
    finally:
        seconds = time.perf_counter() - start
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        results[name] = {"seconds": seconds, "traced_peak_gb": peak / 2**30, "max_rss_gb": max_rss_gb()}
        print(f"  {name:<48} {seconds:9.2f} s   traced peak {peak / 2**30:6.3f} GB   "
              f"process max RSS {max_rss_gb():6.2f} GB", flush=True)


def barabasi(n: int, m: int, seed: int) -> ig.Graph:
    """igraph.Graph.Barabasi(n, m) from a private seeded generator (global state untouched)."""
    ig.set_random_number_generator(random.Random(seed))
    try:
        return ig.Graph.Barabasi(n, m)
    finally:
        ig.set_random_number_generator(random)


def ratio(results: dict, a: str, b: str) -> float:
    return results[a]["seconds"] / results[b]["seconds"]
