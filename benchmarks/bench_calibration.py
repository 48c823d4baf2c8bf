"""Calibration benchmarks (issues 10 and 17): ABC-SMC model choice of no contagion, simple and
complex contagion on the 125-physician network (issue 17: within 2x of the 38 s that simple and
complex alone took on a quiet 2-core machine) and on a 1,000-person network of 10 villages
(within 2x of 520 s).

The physicians are also calibrated with a background over three periods (issue 17 phase B: the
time-varying background in every model), against the same budget.

Run ``python benchmarks/bench_calibration.py [--quick]`` (or through benchmarks/run.py). Each run
uses the default settings of ``alumni-net calibrate`` (300 particles per model, up to 8
generations, one simulated data set per particle) on 2 worker processes; wall time includes
starting the workers. The model probabilities and fitted values are printed so that a slower run
can be told from a different one.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import time
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd

from alumni_net.abm import ContagionModel, ContagionParams, build_network
from alumni_net.experiments.calibration import SMCSettings, calibrate_dataset
from alumni_net.experiments.calibration.simulator import CurveTask, simulate_summary
from alumni_net.io import Dataset, load_dataset

HERE = Path(__file__).resolve().parent
PHYSICIANS = [HERE.parent / "data" / "real" / "medical_innovation",
              HERE.parent.parent / "shared" / "data" / "real" / "medical_innovation"]
#: Issue 17: within twice the quiet-machine times of the two-model calibration (38 s, 520 s).
BUDGET = {"physicians": 2 * 38.0, "villages": 2 * 520.0}
TRUTH = {"beta": 0.004, "alpha": 0.0015}


def villages(n_villages: int = 10, size: int = 100, years: int = 10, seed: int = 0) -> Dataset:
    """Villages (clustered ring lattices, degree 6) with yearly adoption times simulated from
    TRUTH over ``years`` years; three initial adopters per village."""
    rng = np.random.default_rng(seed)
    G = nx.disjoint_union_all([
        nx.connected_watts_strogatz_graph(size, 6, 0.1, seed=int(rng.integers(2**31)))
        for _ in range(n_villages)])
    seeds = [v * size + i for v in range(n_villages) for i in range(3)]
    params = ContagionParams(horizon_months=12 * years, decay=0.0, **TRUTH)
    model = ContagionModel(G, params, programme=False, rng=seed, initial_adopters=seeds)
    model.run()
    first = np.full(G.number_of_nodes(), np.nan)
    for month, people, _via, _dist in reversed(model.adoption_log):
        first[people] = month
    year = np.ceil(first / 12)  # adoption in months 1..12 -> year 1, month 0 -> year 0
    people = pd.DataFrame({"person_id": np.arange(G.number_of_nodes()), "adoption_time": year,
                           "is_alum": False})
    ties = pd.DataFrame(list(G.edges()), columns=["source", "target"]).assign(kind="tie")
    return Dataset(people, ties, directed=False, name=f"{n_villages} synthetic villages")


def _cpu_per_simulation(cal, ds, n: int = 100) -> float:
    """CPU seconds of one simulation, measured here on ``n`` draws of the model-averaged
    posterior (the workers' CPU time is not visible from this process: they are children of
    the forkserver)."""
    names = tuple(k for k, _ in cal.draws.values)
    values = np.column_stack([v for _, v in cal.draws.values])[:n]
    base = dataclasses.replace(cal.params, horizon_months=cal.observed.horizon_months,
                               threshold=0.0)
    task = CurveTask(build_network(ds, influence=base.influence, columns=(cal.background.by,)),
                     base, cal.observed, False, names, cal.background)
    simulate_summary(task, values[0], np.random.SeedSequence(n))  # numba's cache loaded first
    start = time.process_time()
    for i, v in enumerate(values):
        simulate_summary(task, v, np.random.SeedSequence(i))
    return (time.process_time() - start) / len(values)


def run(name: str, ds, settings: SMCSettings, label: str | None = None, **options) -> float:
    """Calibrate both models on 2 workers; print wall time, an estimate for 2 dedicated cores,
    and the fitted values.

    On a shared machine the wall time depends on the other jobs; the estimate (simulations x
    CPU seconds per simulation / 2) is what two dedicated cores would take.
    """
    start = time.perf_counter()
    cal = calibrate_dataset(ds, model="both", settings=settings, workers=2, seed=0, **options)
    wall = time.perf_counter() - start
    history = next(iter(cal.fits.values())).smc.history  # one joint population: shared
    sims = int(history["simulations"].sum()) + sum(len(f.check.distances)
                                                   for f in cal.fits.values())
    per = _cpu_per_simulation(cal, ds)
    dedicated = sims * per / 2
    verdict = "OK" if min(wall, dedicated) <= BUDGET[name] else "OVER"
    print(f"  {label or name}: {wall:.1f} s wall; {sims} simulations x {1e3 * per:.1f} ms "
          "CPU each = "
          f"about {dedicated:.0f} s on 2 dedicated cores; budget {BUDGET[name]:.0f} s: "
          f"{verdict}", flush=True)
    for _, r in cal.fitted.iterrows():
        print(f"    {r['model']:12s} {r['parameter']:9s} {r['value']:.3g} "
              f"[{r['lo']:.3g}, {r['hi']:.3g}] identified={r['identified']}")
    for model, fit in cal.fits.items():
        print(f"    {model}: P = {fit.probability:.3f}, predictive check "
              f"{fit.check.share_inside:.0%} inside")
    print(f"    {len(history)} generations; {cal.verdict}; chosen: {cal.chosen}", flush=True)
    return wall


def main(quick: bool = False) -> None:
    settings = SMCSettings(population=60, max_generations=3) if quick else SMCSettings()
    folder = next((p for p in PHYSICIANS if (p / "people.csv").is_file()), None)
    if folder is None:
        print("  physicians: data not found; skipped", file=sys.stderr)
    else:
        physicians = load_dataset(folder)
        run("physicians", physicians, settings, column="toa", not_adopted=18)
        # Issue 17 phase B: every model with a background over three periods (two more
        # parameters each); the same budget.
        run("physicians", physicians, settings, column="toa", not_adopted=18,
            background_periods=3, label="physicians, background over 3 periods")
    ds = villages(size=30 if quick else 100)
    print(f"  villages: {ds.n_people} people, "
          f"{int(ds.people['adoption_time'].notna().sum())} adopters within 10 years; "
          f"truth {TRUTH}", flush=True)
    run("villages", ds, settings, time_unit="year", params=ContagionParams(decay=0.0))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    main(quick=parser.parse_args().quick)
