"""Workforce benchmark (issue 16): survey import, fit and K = 20 networks for a 20,000-person
population in at most 1 minute on 2 cores.

The survey is made first, untimed: a synthetic programme of 20,000 people (10 yearly cohorts,
260 alumni) surveyed at a 40% response rate (``observe_survey``), written as the kit's roster and
response CSVs with a population file. Timed: ``survey import`` of those files, then
``alumni-net workforce`` with its defaults (ABC-SMC 150 particles x up to 6 generations on 3,000
people; 20 networks of 20,000 people under each of the two non-response assumptions, written as
dataset folders). Everything runs in this process, so CPU time is measured directly; on a shared
machine it is the figure to compare with the budget. ``--quick`` runs 5,000 people, 4 cohorts and
4 networks with smaller fit settings.

``--national`` measures the national case (<= 15 minutes and 16 GB on 2 cores): the survey is
made, untimed, on the ``national`` synthetic preset (3 million people, 3,120 alumni) and the
workforce is estimated on the same population (``--population national``, the default), so the
20 networks are of 3 million people each; CPU time, wall time and the peak resident memory of
this process are printed. ``--people N`` makes that survey on a smaller national-preset
programme and scales to its own population instead (a check of the code path);
``--networks K`` draws K networks.

Run ``python benchmarks/bench_workforce.py [--quick | --national [--people N] [--networks K]]``
(or the default case through benchmarks/run.py).
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from pathlib import Path

import numpy as np

from alumni_net.core.tables import write_csv
from alumni_net.experiments.workforce import FitSettings, observe_survey
from alumni_net.experiments.workforce.validation import population_of
from alumni_net.pipelines.workforce import estimate_workforce
from alumni_net.survey import categories_from_population, import_survey
from alumni_net.synth import synthesize
from alumni_net.synth.population import population_counts

BUDGET = 60.0  # seconds, survey import + fit + 20 networks, 20,000 people
NATIONAL_BUDGET = 15 * 60.0  # seconds, the same for the national preset's 3 million people
NATIONAL_MEMORY = 16 * 2**30  # bytes


def make_survey(folder: Path, n_people: int | None, cohorts: int | None, seed: int = 2016,
                preset: str = "programme") -> None:
    ds = synthesize(preset=preset, n_people=n_people, n_cohorts=cohorts, seed=seed)
    rng = np.random.default_rng(seed)
    respondents = rng.choice(ds.alumni, size=round(0.4 * len(ds.alumni)), replace=False)
    roster, responses = observe_survey(ds, respondents, seed=seed)
    write_csv(roster, folder / "roster.csv")
    write_csv(responses, folder / "responses.csv")
    write_csv(population_of(ds), folder / "population.csv")


def main(quick: bool = False) -> None:
    n_people, cohorts, k = (5_000, 4, 4) if quick else (20_000, 10, 20)
    settings = (FitSettings(particles=60, generations=4, fit_size=2_000) if quick
                else FitSettings())
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        make_survey(folder, n_people, cohorts)
        cpu0, wall0 = time.process_time(), time.perf_counter()
        pop = population_counts(folder / "population.csv")
        imported = import_survey(folder / "responses.csv", folder / "roster.csv",
                                 folder / "survey", categories=categories_from_population(pop),
                                 key=b"benchmark-key-0123456789")
        cpu1, wall1 = time.process_time(), time.perf_counter()
        wf = estimate_workforce(folder / "survey", folder / "population.csv",
                                folder / "workforce", networks=k, seed=0, settings=settings)
        cpu2, wall2 = time.process_time(), time.perf_counter()
        size = sum(p.stat().st_size for p in (folder / "workforce").rglob("*") if p.is_file())
    cpu, wall = cpu2 - cpu0, wall2 - wall0
    seconds = wf.meta["seconds"]
    verdict = "OK" if cpu <= BUDGET else "OVER"
    data = imported.data
    print(f"  workforce: {n_people:,} people, {data.n_respondents} of {data.n_alumni} alumni "
          f"answered; {k} networks under each of {len(wf.assumptions)} assumptions "
          f"({size / 2**20:.0f} MB written)")
    print(f"    import {cpu1 - cpu0:.1f} s CPU ({wall1 - wall0:.1f} s wall); fit "
          f"{seconds['fit']:.1f} s wall; networks {seconds['networks']:.1f} s wall")
    print(f"    total {cpu:.1f} s CPU, {wall:.1f} s wall (load average "
          f"{os.getloadavg()[0]:.1f}); budget {BUDGET:.0f} s"
          f"{'' if not quick else ' (full size)'}: {verdict if not quick else 'not judged'}")
    params = {r["parameter"]: round(r["median"], 3) for r in wf.meta["parameters"]}
    print(f"    fitted medians: {json.dumps(params)}", flush=True)


def national(people: int | None = None, networks: int = 20) -> None:
    """The national case: survey import, fit and ``networks`` networks on the national
    preset's population; CPU, wall and peak memory against 15 minutes and 16 GB."""
    import resource

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        make_survey(folder, people, None if people is None else 10, preset="national")
        population = "national" if people is None else folder / "population.csv"
        cpu0, wall0 = time.process_time(), time.perf_counter()
        pop = population_counts(population)
        imported = import_survey(folder / "responses.csv", folder / "roster.csv",
                                 folder / "survey", categories=categories_from_population(pop),
                                 key=b"benchmark-key-0123456789")
        wf = estimate_workforce(folder / "survey", population, folder / "workforce",
                                networks=networks, seed=0)
        cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # kilobytes on Linux
    data = imported.data
    judged = people is None and networks == 20
    verdict = ("OK" if cpu <= NATIONAL_BUDGET and peak <= NATIONAL_MEMORY else "OVER") \
        if judged else "not judged"
    print(f"  workforce (national): {int(pop['count'].sum()):,} people, {data.n_respondents} "
          f"of {data.n_alumni} alumni answered; {networks} networks under each of "
          f"{len(wf.assumptions)} assumptions")
    print(f"    total {cpu:.1f} s CPU, {wall:.1f} s wall (load average "
          f"{os.getloadavg()[0]:.1f}); peak memory {peak / 2**30:.1f} GB (the survey's "
          f"synthetic programme included); budget 15 min and 16 GB: {verdict}", flush=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--national", action="store_true")
    parser.add_argument("--people", type=int, default=None)
    parser.add_argument("--networks", type=int, default=20)
    args = parser.parse_args()
    if args.national:
        national(args.people, args.networks)
    else:
        main(quick=args.quick)
