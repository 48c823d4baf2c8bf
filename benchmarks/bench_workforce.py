"""Workforce benchmark (issue 16): survey import, fit and K = 20 networks for a 20,000-person
population in at most 1 minute on 2 cores; for the national preset's 3 million in at most 15
minutes and 16 GB.

The survey is made first, untimed: a synthetic programme of 20,000 people (10 yearly cohorts,
260 alumni) surveyed at a 40% response rate (``observe_survey``), written as the kit's roster and
response CSVs with a population file. Timed: ``survey import`` of those files, then
``alumni-net workforce`` with its defaults (ABC-SMC 150 particles x up to 6 generations on 3,000
people; 20 networks of 20,000 people under each of the two non-response assumptions, drawn by
one process per CPU on the package's executor and written as dataset folders, CSV at this
size). CPU (user + system) is that of this process and its workers, read from /proc, and
peak memory the largest sum of their proportional set sizes (PSS); on a shared machine CPU is
the figure to compare, wall clock on a quiet one. ``--quick`` runs 5,000 people, 4 cohorts and
4 networks with smaller fit settings.

``--national`` measures the national case: the survey is made, untimed, on the ``national``
synthetic preset (3 million people, 3,120 alumni) and the workforce is estimated on the same
population (``--population national``, the default), so the 20 networks per assumption are of
3 million people each (written as Parquet: past a spreadsheet's rows). Then, timed apart,
loading one network (``load_dataset``, what ``analyze`` and ``simulate`` do per network).
``--people N`` makes that survey on a smaller national-preset programme and scales the
population to N people instead (a check of the code path, or a measurement at 1 million to
extrapolate from on a smaller machine); ``--networks K`` draws K networks; ``--workers N``
sets the drawing processes.

Run ``python benchmarks/bench_workforce.py [--quick | --national [--people N] [--networks K]
[--workers N]]`` (or the default case through benchmarks/run.py).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _measure import TreeWatch  # noqa: E402

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


def main(quick: bool = False, workers: int | None = None) -> None:
    n_people, cohorts, k = (5_000, 4, 4) if quick else (20_000, 10, 20)
    settings = (FitSettings(particles=60, generations=4, fit_size=2_000) if quick
                else FitSettings())
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        make_survey(folder, n_people, cohorts)
        with TreeWatch() as watch:
            imported, wf = _timed(folder, folder / "population.csv", k, settings, workers)
        size = sum(p.stat().st_size for p in (folder / "workforce").rglob("*") if p.is_file())
    seconds = wf.meta["seconds"]
    verdict = "OK" if watch.seconds <= BUDGET else "OVER"
    data = imported.data
    print(f"  workforce: {n_people:,} people, {data.n_respondents} of {data.n_alumni} alumni "
          f"answered; {k} networks under each of {len(wf.assumptions)} assumptions "
          f"({size / 2**20:.0f} MB of {'/'.join(wf.meta['network_tables'])} written, "
          f"{wf.meta['draw_workers']} drawing processes)")
    print(f"    fit {seconds['fit']:.1f} s wall; networks {seconds['networks']:.1f} s wall")
    print(f"    total {watch.seconds:.1f} s wall, {watch.cpu_seconds:.1f} s CPU (this process "
          f"and its workers; load average {os.getloadavg()[0]:.1f}), peak {watch.peak_pss_gb:.2f}"
          f" GB PSS; budget {BUDGET:.0f} s wall{'' if not quick else ' (full size)'}: "
          f"{verdict if not quick else 'not judged'}")
    params = {r["parameter"]: round(r["median"], 3) for r in wf.meta["parameters"]}
    print(f"    fitted medians: {json.dumps(params)}", flush=True)


def _timed(folder: Path, population, k: int, settings: FitSettings | None,
           workers: int | None):
    """The timed part: survey import, then the workforce estimate (fit and K networks)."""
    pop = population_counts(population)
    imported = import_survey(folder / "responses.csv", folder / "roster.csv", folder / "survey",
                             categories=categories_from_population(pop),
                             key=b"benchmark-key-0123456789")
    wf = estimate_workforce(folder / "survey", population, folder / "workforce", networks=k,
                            seed=0, settings=settings, workers=workers)
    return imported, wf


def national(people: int | None = None, networks: int = 20, workers: int | None = None) -> None:
    """The national case: survey import, fit and ``networks`` networks on the national
    preset's population (or one scaled to ``people``); wall, CPU and peak PSS of the process
    tree against 15 minutes and 16 GB; then loading one network."""
    from alumni_net.experiments.workforce.model import scaled_counts
    from alumni_net.io import load_dataset

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        make_survey(folder, None if people is None else min(people, 200_000),
                    None if people is None else 10, preset="national")
        population: str | Path = "national"
        if people is not None:  # the national table's shares at ``people``, every group kept
            pop = population_counts("national")
            pop["count"] = scaled_counts(pop["count"].to_numpy(), people)
            population = folder / "population_scaled.csv"
            write_csv(pop, population)
        with TreeWatch() as watch:
            imported, wf = _timed(folder, population, networks, None, workers)
        path = wf.network_paths()[0]
        size = sum(p.stat().st_size for p in (folder / "workforce").rglob("*") if p.is_file())
        with TreeWatch() as load:
            ds = load_dataset(path)
        n_ties = len(ds.ties)
        del ds
    data = imported.data
    seconds = wf.meta["seconds"]
    judged = people is None and networks == 20
    met = watch.seconds <= NATIONAL_BUDGET and watch.peak_pss_gb * 2**30 <= NATIONAL_MEMORY
    verdict = ("OK" if met else "OVER") if judged else "not judged"
    total = wf.meta["population"]["people"]
    print(f"  workforce (national): {total:,} people, {data.n_respondents} of {data.n_alumni} "
          f"alumni answered; {networks} networks under each of {len(wf.assumptions)} "
          f"assumptions ({'/'.join(wf.meta['network_tables'])} tables, {size / 2**30:.1f} GB, "
          f"{wf.meta['draw_workers']} drawing processes; network 1: {n_ties:,} ties)")
    print(f"    fit {seconds['fit']:.1f} s wall; networks {seconds['networks']:.1f} s wall "
          f"({seconds['networks'] / (networks * len(wf.assumptions)):.1f} s a network)")
    print(f"    total {watch.seconds:.1f} s wall, {watch.cpu_seconds:.1f} s CPU (load average "
          f"{os.getloadavg()[0]:.1f}); peak {watch.peak_pss_gb:.2f} GB PSS over the process "
          f"tree; budget 15 min and 16 GB: {verdict}")
    print(f"    loading network 1 (load_dataset): {load.seconds:.1f} s wall, "
          f"{load.cpu_seconds:.1f} s CPU, peak {load.peak_pss_gb:.2f} GB", flush=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--national", action="store_true")
    parser.add_argument("--people", type=int, default=None)
    parser.add_argument("--networks", type=int, default=20)
    parser.add_argument("--workers", type=int, default=None)
    args = parser.parse_args()
    if args.national:
        national(args.people, args.networks, args.workers)
    else:
        main(quick=args.quick, workers=args.workers)
