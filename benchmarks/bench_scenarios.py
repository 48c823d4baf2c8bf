"""Scenario sweep benchmark: ``examples/scenarios.toml`` (nine scenarios: six recruitment
strategies, regional cohorts, top-ups, complex contagion; 100 paired replicates each, the synthetic
20,000-person programme, ten future years) on 2 worker processes. Target: under 2 minutes.

Run ``python benchmarks/bench_scenarios.py [--quick]`` (or through benchmarks/run.py). Reported:
wall time of checking and recruiting (``prepare``), of the paired replicates on 2 workers, and in
total; and, because the machine may be shared, the CPU time of ``prepare``, of one replicate of
every scenario and of the sweep's fixed costs, measured in this process (``time.process_time``),
from which the time of 100 replicates on two dedicated cores is estimated: prepare + fixed + 100 x
CPU per replicate / 2 + tables. ``--quick`` runs 10 replicates on the workers.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from alumni_net.experiments.scenarios import (
    load_scenario_file,
    prepare,
    run_scenarios,
    write_tables,
)

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "scenarios.toml"
TARGET_SECONDS = 120.0


def main(quick: bool = False) -> dict:
    replicates = 10 if quick else 100
    workers, probe = 2, 3
    c0, t0 = time.process_time(), time.perf_counter()
    sf = load_scenario_file(EXAMPLE)
    prepared = prepare(sf)
    prepare_cpu, t1 = time.process_time() - c0, time.perf_counter()
    # In this process (its CPU time): 1 replicate, then 1 + probe; the difference is the CPU per
    # replicate, the rest a fixed cost (compiling the networks, hashing the data, first runs).
    c1 = time.process_time()
    run_scenarios(prepared, None, replicates=1, workers=1)
    c2 = time.process_time()
    run_scenarios(prepared, None, replicates=1 + probe, workers=1)
    per_replicate_cpu = ((time.process_time() - c2) - (c2 - c1)) / probe
    fixed_cpu = (c2 - c1) - per_replicate_cpu
    t2 = time.perf_counter()
    with tempfile.TemporaryDirectory() as out:
        run = run_scenarios(prepared, out, replicates=replicates, workers=workers)
        t3 = time.perf_counter()
        tables = write_tables(out, run)
    t4 = time.perf_counter()
    # the target is for 100 replicates: --quick measures fewer and scales the CPU time
    estimate = prepare_cpu + fixed_cpu + 100 * per_replicate_cpu / workers + (t4 - t3)
    result = {
        "scenarios": len(sf.scenarios),
        "replicates": replicates,
        "model_runs": len(sf.scenarios) * replicates + replicates * len(
            {str(p.params.threshold) for p in prepared.plans}),
        "people": prepared.data.n_people,
        "prepare_s": t1 - t0,
        "prepare_cpu_s": prepare_cpu,
        "cpu_per_replicate_s": per_replicate_cpu,
        "fixed_cpu_s": fixed_cpu,
        "replicates_s": t3 - t2,
        "tables_s": t4 - t3,
        "total_s": (t1 - t0) + (t4 - t2),
        "estimate_2_dedicated_cores_s": estimate,
        "rows": len(tables["scenarios"]),
    }
    print(f"example file: {result['scenarios']} scenarios x {replicates} paired replicates on "
          f"{result['people']:,} people, {workers} workers")
    print(f"  check + recruit   {result['prepare_s']:7.1f} s wall, {prepare_cpu:.1f} s CPU")
    print(f"  one replicate of every scenario: {per_replicate_cpu:.2f} s CPU "
          f"(plus {fixed_cpu:.1f} s CPU once: networks compiled, data hashed)")
    print(f"  replicates        {result['replicates_s']:7.1f} s wall on {workers} workers")
    print(f"  tables            {result['tables_s']:7.1f} s")
    print(f"  total             {result['total_s']:7.1f} s wall")
    verdict = "met" if estimate < TARGET_SECONDS else "NOT met"
    print(f"  100 replicates on {workers} dedicated cores (estimate from CPU time): "
          f"{estimate:.1f} s (target < {TARGET_SECONDS:.0f} s: {verdict})")
    return result


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10 replicates instead of 100")
    args = parser.parse_args()
    main(quick=args.quick)
    sys.exit(0)
