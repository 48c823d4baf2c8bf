"""Exact 1-2-3 reach of 3,000 sources and approximate reach of every node (issue 3 targets).

Graphs: igraph.Graph.Barabasi(100_000, 10) and (1_000_000, 10); 3,000 random sources; fixed seeds.
Peers, timed in the same run: igraph ``neighborhood_size(order=d, mindist=d)`` for d = 1, 2, 3
(what it takes igraph to give the same three counts), igraph's single ``order=3`` call (only the
cumulative count), and networkx ``single_source_shortest_path_length(cutoff=3)`` on a sample of
sources, extrapolated to all 3,000 (stated). "Whole call" is cold: the adjacency rows that
``reach_index`` caches on the igraph graph are dropped before each timing; the same call with
them cached (what any later query of the graph costs) is timed beside it.
"""

from __future__ import annotations

import sys
from pathlib import Path

import networkx as nx
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _measure import barabasi, best_of, load_note, max_rss_gb, measured, ratio  # noqa: E402

from alumni_net.graph import forget_cached_rows  # noqa: E402
from alumni_net.metrics import (  # noqa: E402
    approximate_reach,
    expected_relative_error,
    reach_by_distance,
    reach_index,
)
from alumni_net.metrics._graphs import IGraph  # noqa: E402

SEED = 20240601


def exact_reach(n: int, n_sources: int, nx_sample: int | None, results: dict, repeats: int) -> None:
    g = barabasi(n, 10, SEED)
    graph = IGraph(g, np.arange(n))
    sources = np.random.default_rng(SEED).choice(n, n_sources, replace=False)
    print(
        f" graph n={n:,} edges={g.ecount():,}; {n_sources:,} sources; best of {repeats} runs",
        flush=True,
    )
    reach_by_distance(IGraph(barabasi(200, 3, 1), np.arange(200)), [0, 1])  # load numba's cache
    tag = f"({n:,})"
    ours, prep, query = (
        f"ours: reach_by_distance(graph) {tag}",
        f"  of which reach_index {tag}",
        f"  of which the search {tag}",
    )
    ig3 = f"igraph: neighborhood_size d=1,2,3 {tag}"
    ig1 = f"igraph: neighborhood_size order=3 {tag}"
    cached = f"ours: whole call, adjacency cached {tag}"

    def cold():
        forget_cached_rows(g)
        return reach_by_distance(graph, sources)

    for _ in range(repeats):  # alternate ours and igraph so both see the same machine load
        table = best_of(results, ours, cold, 1)
        _keep_best(results, ours)
        best_of(results, cached, lambda: reach_by_distance(graph, sources), 1)
        _keep_best(results, cached)
        ref = best_of(
            results,
            ig3,
            lambda: [g.neighborhood_size(sources.tolist(), order=d, mindist=d) for d in (1, 2, 3)],
            1,
        )
        _keep_best(results, ig3)
        best_of(results, ig1, lambda: g.neighborhood_size(sources.tolist(), order=3, mindist=1), 1)
        _keep_best(results, ig1)
        forget_cached_rows(g)
        index = best_of(results, prep, lambda: reach_index(graph), 1)
        _keep_best(results, prep)
        best_of(results, query, lambda index=index: reach_by_distance(index, sources), 1)
        _keep_best(results, query)
    assert all(table[f"reach_{d}"].tolist() == ref[d - 1] for d in (1, 2, 3)), "differs from igraph"
    print("  counts identical to igraph's for all sources and d = 1, 2, 3")
    for label, key in (
        ("ours (whole call, cold)", ours),
        ("ours (whole call, adjacency cached)", cached),
        ("ours (search on a prepared ReachIndex)", query),
    ):
        print(
            f"  {label} / igraph d=1,2,3: {ratio(results, key, ig3):.3f}x;"
            f"  / igraph single order=3 call: {ratio(results, key, ig1):.3f}x"
        )
    target = 0.5 if n >= 1_000_000 else 1.0
    r = ratio(results, ours, ig3)
    print(
        f"  target whole call (cold) <= {target}x igraph d=1,2,3: "
        f"{'met' if r <= target else 'MISSED'} ({r:.3f}x); {load_note()}"
    )
    if nx_sample:
        G = nx.Graph()
        G.add_nodes_from(range(n))
        G.add_edges_from(g.get_edgelist())
        sample = sources[:nx_sample]
        key = f"networkx: {nx_sample} sources, cutoff=3 {tag}"
        with measured(results, key):
            for s in sample:
                lengths = nx.single_source_shortest_path_length(G, int(s), cutoff=3)
                np.bincount(np.fromiter(lengths.values(), dtype=np.int64), minlength=4)
        per_source = results[key]["seconds"] / nx_sample
        extrapolated = per_source * n_sources
        speedup = extrapolated / results[ours]["seconds"]
        results[f"networkx extrapolated {tag}"] = {"seconds": extrapolated}
        print(
            f"  networkx extrapolated to {n_sources:,} sources "
            f"({per_source * 1000:.1f} ms/source x "
            f"{n_sources:,}): {extrapolated:.1f} s; ours (whole call) is {speedup:.0f}x faster"
        )
        del G


def _keep_best(results: dict, name: str) -> None:
    """Fold this run into the best-so-far record of ``name``."""
    run = results.pop(name)
    best = results.setdefault(f"best: {name}", run)
    if run["seconds"] < best["seconds"]:
        best["seconds"] = run["seconds"]
        best["cpu_seconds"] = run["cpu_seconds"]
    best["peak_rss_gb"] = max(best["peak_rss_gb"], run["peak_rss_gb"])
    results[name] = best


def approximate_all(n: int, registers: int, n_check: int, results: dict) -> None:
    g = barabasi(n, 10, SEED)
    graph = IGraph(g, np.arange(n))
    print(
        f" graph n={n:,}; HyperANF with {registers} registers "
        f"(expected relative standard error {expected_relative_error(registers):.3f})",
        flush=True,
    )
    approximate_reach(
        IGraph(barabasi(200, 3, 1), np.arange(200)), registers=16
    )  # load numba's cache
    import numba

    before = load_note()
    key = f"ours: approximate_reach, every node ({n:,})"
    with measured(results, key):
        est = approximate_reach(graph, registers=registers, seed=SEED)
    # The issue 15 account of a 42 s run: say what the numba threads were and how busy the
    # machine was on either side of the step, so a slow figure can be told from a slow machine.
    print(f"  numba threading layer {numba.threading_layer()}, {numba.get_num_threads()} threads;"
          f" {before} before, {load_note()} after")
    wall, cpu = results[key]["seconds"], results[key]["cpu_seconds"]
    print(f"  target <= 10 s wall: {'met' if wall <= 10 else 'MISSED'} ({wall:.1f} s wall, "
          f"{cpu:.1f} s CPU)")
    check = np.random.default_rng(SEED + 1).choice(n, n_check, replace=False)
    exact = reach_by_distance(graph, check)
    for d in (1, 2, 3):
        approx = est[f"reach_within_{d}"].to_numpy()[check]
        truth = exact[f"reach_within_{d}"].to_numpy(float)
        rel = np.abs(approx - truth) / truth
        results[f"hyperanf mean relative error d={d} ({n:,})"] = {"value": float(rel.mean())}
        print(
            f"  d={d}: mean relative error {rel.mean():.4f} (median {np.median(rel):.4f}, "
            f"95th percentile {np.quantile(rel, 0.95):.4f}) over {n_check:,} nodes checked exactly"
        )
    worst = max(results[f"hyperanf mean relative error d={d} ({n:,})"]["value"] for d in (1, 2, 3))
    print(f"  target mean relative error <= 5%: {'met' if worst <= 0.05 else 'MISSED'} "
          f"(largest {worst:.1%}; reach within 1 is exact)")


def main(quick: bool = False) -> dict:
    results: dict = {}
    if quick:
        exact_reach(10_000, 300, 50, results, repeats=1)
        approximate_all(20_000, 256, 200, results)
    else:
        exact_reach(100_000, 3_000, 100, results, repeats=2)
        exact_reach(1_000_000, 3_000, None, results, repeats=2)
        approximate_all(1_000_000, 512, 1_000, results)
    print(f"  process peak memory for the whole run: {max_rss_gb():.2f} GB")
    return results


if __name__ == "__main__":
    main(quick="--quick" in sys.argv)
