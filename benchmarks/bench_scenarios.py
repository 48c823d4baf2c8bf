"""Scenario sweep benchmark: ``examples/scenarios.toml`` (nine scenarios: six recruitment
strategies, regional cohorts, top-ups, complex contagion; 100 paired replicates each, the synthetic
20,000-person programme, ten future years) on 2 worker processes. Target: under 2 minutes.

Run ``python benchmarks/bench_scenarios.py [--quick]`` (or through benchmarks/run.py). Reported:
wall time of checking and recruiting (``prepare``), of the paired replicates, and in total, plus
the CPU time of this process and of its workers (``os.times``), so that a machine shared with
other work can be told apart from a slow sweep. ``--quick`` runs 10 replicates.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

from alumni_net.experiments.scenarios import load_scenario_file, prepare, run_scenarios, \
    write_tables

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "scenarios.toml"
TARGET_SECONDS = 120.0


def main(quick: bool = False) -> dict:
    replicates = 10 if quick else 100
    workers = 2
    cpu0, t0 = os.times(), time.perf_counter()
    sf = load_scenario_file(EXAMPLE)
    prepared = prepare(sf)
    t1 = time.perf_counter()
    with tempfile.TemporaryDirectory() as out:
        run = run_scenarios(prepared, out, replicates=replicates, workers=workers)
        t2 = time.perf_counter()
        tables = write_tables(out, run)
    t3 = time.perf_counter()
    cpu = os.times()
    own = (cpu.user - cpu0.user) + (cpu.system - cpu0.system)
    children = (cpu.children_user - cpu0.children_user) + \
        (cpu.children_system - cpu0.children_system)
    result = {
        "scenarios": len(sf.scenarios),
        "replicates": replicates,
        "model_runs": len(sf.scenarios) * replicates * 2,
        "people": prepared.data.n_people,
        "prepare_s": t1 - t0,
        "replicates_s": t2 - t1,
        "tables_s": t3 - t2,
        "total_s": t3 - t0,
        "cpu_main_s": own,
        "cpu_workers_s": children,
        "rows": len(tables["scenarios"]),
    }
    print(f"example file: {result['scenarios']} scenarios x {replicates} paired replicates on "
          f"{result['people']:,} people, {workers} workers")
    print(f"  check + recruit   {result['prepare_s']:7.1f} s")
    print(f"  replicates        {result['replicates_s']:7.1f} s")
    print(f"  tables            {result['tables_s']:7.1f} s")
    print(f"  total             {result['total_s']:7.1f} s  (target < {TARGET_SECONDS:.0f} s: "
          f"{'met' if result['total_s'] < TARGET_SECONDS else 'NOT met'})")
    print(f"  CPU: this process {own:.1f} s, workers {children:.1f} s")
    return result


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10 replicates instead of 100")
    args = parser.parse_args()
    main(quick=args.quick)
    sys.exit(0)
