"""The workforce validation at full size (issue 16 §5): survey a complete network, run the whole
pipeline, compare with the truth; coverage of the 90% intervals and relative bias per measure.

    python benchmarks/validate_workforce.py --case synthetic --repetitions 50 --folder DIR
    python benchmarks/validate_workforce.py --case synthetic --fresh --repetitions 50 --folder DIR

Each repetition is written to ``DIR/<case>/`` as it finishes, so the run can be stopped and
started again (it does only the repetitions not yet there). ``--fresh`` (synthetic only) surveys
a fresh synthetic programme each repetition (seed ``SYNTHETIC_SEED + 1 + i``, written to
``DIR/synthetic-fresh/``): coverage over programmes as well as surveys, which is what the
intervals claim; without it every repetition surveys the same network and alumni. Prints the
coverage table, CPU and wall seconds per repetition, and the load average before and after.
One worker, by design.
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

from alumni_net.experiments.workforce.validation import (
    CASES,
    SYNTHETIC_SEED,
    coverage_table,
    farmers_programme,
    population_of,
    run_fresh_validation,
    run_validation,
    synthetic_programme,
    true_values,
)
from alumni_net.survey import categories_from_population

FARMERS = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "real" / \
    "brazilian_farmers"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--case", choices=[*CASES, "both"], default="both")
    ap.add_argument("--repetitions", type=int, default=50)
    ap.add_argument("--truth-replicates", type=int, default=50)
    ap.add_argument("--folder", type=Path, required=True)
    ap.add_argument("--farmers", type=Path, default=FARMERS)
    ap.add_argument("--fresh", action="store_true",
                    help="a fresh synthetic programme each repetition (synthetic only)")
    args = ap.parse_args()
    if args.fresh:
        fresh(args)
        return
    for case in (CASES if args.case == "both" else [args.case]):
        load = os.getloadavg()
        cpu, wall = time.process_time(), time.perf_counter()
        ds = synthetic_programme() if case == "synthetic" else farmers_programme(args.farmers)
        settings = CASES[case]
        truth = true_values(ds, settings, replicates=args.truth_replicates, seed=99)
        runs = run_validation(ds, categories_from_population(population_of(ds)), truth,
                              args.repetitions, settings=settings, seed=10_000,
                              folder=args.folder / case)
        reps = runs.drop_duplicates("repetition")
        print(f"\n{case}: {ds.name}, {len(ds.people):,} people, {len(ds.alumni)} alumni; "
              f"{reps['repetition'].nunique()} repetitions")
        print(coverage_table(runs).round(3).to_string(index=False))
        print(f"per repetition: CPU {reps['cpu_seconds'].mean():.1f} s, wall "
              f"{reps['wall_seconds'].mean():.1f} s (mean); this run CPU "
              f"{time.process_time() - cpu:.0f} s, wall {time.perf_counter() - wall:.0f} s; "
              f"load average {load[0]:.2f} before, {os.getloadavg()[0]:.2f} after", flush=True)


def fresh(args) -> None:
    load = os.getloadavg()
    cpu, wall = time.process_time(), time.perf_counter()
    runs = run_fresh_validation(lambda i: synthetic_programme(seed=SYNTHETIC_SEED + 1 + i),
                                args.repetitions, settings=CASES["synthetic"], seed=10_000,
                                truth_replicates=args.truth_replicates,
                                folder=args.folder / "synthetic-fresh")
    reps = runs.drop_duplicates("repetition")
    print(f"\nsynthetic, a fresh programme each repetition; {len(reps)} repetitions")
    print(coverage_table(runs).round(3).to_string(index=False))
    print(f"per repetition: CPU {reps['cpu_seconds'].mean():.1f} s, wall "
          f"{reps['wall_seconds'].mean():.1f} s (mean); this run CPU "
          f"{time.process_time() - cpu:.0f} s, wall {time.perf_counter() - wall:.0f} s; "
          f"load average {load[0]:.2f} before, {os.getloadavg()[0]:.2f} after", flush=True)


if __name__ == "__main__":
    main()
