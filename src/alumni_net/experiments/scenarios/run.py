"""Running a scenario file: every scenario with the same per-replicate seeds, resumable.

Replicate ``i`` of every scenario uses child ``i`` of ``SeedSequence(seed).spawn(n)`` in both arms,
as :func:`alumni_net.experiments.run_replicates` does, so differences between scenarios are
paired. The fast engine draws every random number as a keyed hash of (seed, purpose, person or
arc, month); the people are the same in every scenario and every scenario's network carries the
same arcs (the other scenarios' programme ties are present but never active, see
:func:`.apply.align_arcs`), so two scenarios share every draw they both make: common random
numbers, not merely common seeds. Recruits are chosen once per scenario, from one recruitment
seed that all scenarios share (child ``2**32`` of the root), whatever the number of replicates.

Replicates run on the package's executors (a process pool, or Dask given a scheduler address) and
stream into one replicate store per scenario (``OUT/runs/NAME/replicates/``): a sweep killed at
any point resumes with ``resume=True`` and loses or repeats no replicate.
"""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from alumni_net._progress import progress
from alumni_net.errors import AlumniNetError, Problem, ValidationError
from alumni_net.experiments._executors import execute
from alumni_net.experiments._replicate import RunSpec
from alumni_net.experiments._store import ReplicateStore
from alumni_net.experiments.runner import _check_run_arguments, _manifest
from alumni_net.experiments.scenarios.apply import Plan, Timeline, align_arcs, plan_scenario, \
    timeline
from alumni_net.experiments.scenarios.checks import check_against_data
from alumni_net.experiments.scenarios.spec import ScenarioFile
from alumni_net.io import Dataset

__all__ = ["Prepared", "ScenarioRun", "load_people", "prepare", "run_scenarios"]

#: Spawn-key index of the recruitment seed (replicates use 0 .. n-1, far below it).
RECRUITMENT_KEY = 2**32
_KEEP = ("summary", "timeseries")  # what the published tables need from each replicate


@dataclass(frozen=True)
class Prepared:
    """A checked scenario file applied to its data: one plan per scenario, baseline first."""

    file: ScenarioFile
    data: Dataset
    timeline: Timeline
    plans: tuple[Plan, ...]


@dataclass(frozen=True)
class ScenarioRun:
    """Per-replicate results of every scenario (``scenario`` column first), plans and manifest."""

    prepared: Prepared
    summary: pd.DataFrame
    timeseries: pd.DataFrame
    n_replicates: int
    seed: int
    manifest: dict


def load_people(sf: ScenarioFile) -> Dataset:
    """The file's dataset folder, or its synthetic programme, as the model needs it.

    Ids are kept as they are (pseudonymising with a random key would change results between runs
    and break resume); nothing written names a person, and personal columns are dropped.
    """
    if sf.data is not None:
        from alumni_net.io import PERSONAL_COLUMNS, load_dataset

        ds = load_dataset(sf.data, pseudonymise_ids=False)
        people = ds.people.drop(columns=[c for c in ds.people.columns if c in PERSONAL_COLUMNS])
        return dataclasses.replace(ds, people=people, notes=())
    from alumni_net.synth import synthesize

    opts = dict(sf.synthetic)
    preset, seed = opts.pop("preset", "programme"), opts.pop("seed", 0)
    return synthesize(preset=preset, seed=seed, **opts)


def prepare(sf: ScenarioFile, *, seed: int | None = None, data: Dataset | None = None) -> Prepared:
    """Check ``sf`` against its data and recruit every scenario's future cohorts.

    Raises ValidationError listing every problem (nothing is written by this function).
    """
    from alumni_net.experiments.recruitment._pool import networkx_graph

    ds = load_people(sf) if data is None else data
    problems = check_against_data(sf, ds)
    _raise(sf, problems)
    tl = timeline(ds, sf)
    root = np.random.SeedSequence(sf.seed if seed is None else seed)
    recruiting = np.random.SeedSequence(root.entropy, spawn_key=(*root.spawn_key, RECRUITMENT_KEY))
    graph = networkx_graph(ds)
    plans = []
    for scenario in sf.scenarios:
        try:
            plans.append(plan_scenario(sf, scenario, ds, tl, graph, recruiting))
        except AlumniNetError as exc:  # e.g. a recruiter's ConfigError, named by scenario
            problems.append(f"scenario {scenario.name!r}: {str(exc).rstrip('.')}")
    _raise(sf, problems)
    return Prepared(sf, ds, tl, tuple(align_arcs(plans)))


def _raise(sf: ScenarioFile, problems: list[str]) -> None:
    if problems:
        raise ValidationError([Problem(str(sf.source), None, None, p) for p in problems])


def run_scenarios(
    prepared: Prepared,
    out_dir: str | Path | None = None,
    *,
    replicates: int | None = None,
    seed: int | None = None,
    workers: int | None = None,
    dask_address: str | None = None,
    resume: bool = False,
) -> ScenarioRun:
    """Run every scenario's replicates (paired seeds), streaming them to ``out_dir/runs/``.

    Parameters
    ----------
    prepared : Prepared
        From :func:`prepare` (its recruits must come from the same ``seed``).
    out_dir : path, optional
        Keep each finished replicate in ``out_dir/runs/SCENARIO/replicates/``.
    replicates, seed : int, optional
        Override the file's ``[run]`` values.
    workers, dask_address, resume
        As for :func:`alumni_net.experiments.run_replicates`.
    """
    sf = prepared.file
    n = sf.replicates if replicates is None else replicates
    seed = sf.seed if seed is None else seed
    _check_run_arguments(n, sf.engine, workers, resume, out_dir)
    root = np.random.SeedSequence(seed)
    seeds = np.random.SeedSequence(root.entropy, spawn_key=root.spawn_key).spawn(n)
    started = time.perf_counter()
    frames: dict[str, list[pd.DataFrame]] = {t: [] for t in _KEEP}
    manifests = {}
    with progress(total=n * len(prepared.plans), desc="scenarios x replicates") as bar:
        for plan in prepared.plans:
            per, manifests[plan.scenario.name] = _run_one(
                plan, seeds, root, sf.engine, out_dir, workers, dask_address, resume, bar)
            for t in _KEEP:
                frames[t] += [p[t].assign(scenario=plan.scenario.name) for p in per]
    tables = {t: _scenario_first(pd.concat(frames[t], ignore_index=True)) for t in _KEEP}
    manifest = {"seed": seed, "replicates": n, "engine": sf.engine, "scenarios": manifests,
                "elapsed_seconds": round(time.perf_counter() - started, 3)}
    return ScenarioRun(prepared, tables["summary"], tables["timeseries"], n, seed, manifest)


def _run_one(plan: Plan, seeds, root, engine, out_dir, workers, dask_address, resume, bar):
    from alumni_net.abm import build_network

    spec = RunSpec(params=plan.params, engine=engine, counterfactual=True)
    manifest = _manifest(plan.dataset, spec, root)
    store = None
    if out_dir is not None:
        store = ReplicateStore(Path(out_dir) / "runs" / plan.scenario.name, manifest,
                               resume=resume)
    tasks = [(i, s) for i, s in enumerate(seeds) if store is None or not store.done(i)]
    bar.update(len(seeds) - len(tasks))
    kept: dict[int, dict] = {}
    if tasks:
        # Compiled once here and shipped to the workers as arrays.
        net = build_network(plan.dataset, start=plan.params.start,
                            influence=plan.params.influence)
        for index, tables in execute(net, spec, tasks, workers=workers,
                                     dask_address=dask_address):
            if store is not None:
                store.write(index, tables)
            kept[index] = {t: tables[t] for t in _KEEP}
            bar.update()
    per = [kept[i] if i in kept else {t: pd.read_parquet(store._file(i, t)) for t in _KEEP}
           for i in range(len(seeds))]
    return per, {k: v for k, v in manifest.items() if k in ("config_hash", "data")}


def _scenario_first(frame: pd.DataFrame) -> pd.DataFrame:
    return frame[["scenario", *[c for c in frame.columns if c != "scenario"]]]
