"""Running a scenario file: every scenario with the same per-replicate seeds, resumable.

Replicate ``i`` of every scenario uses child ``i`` of ``SeedSequence(seed).spawn(n)`` in both arms,
as :func:`alumni_net.experiments.run_replicates` does, so differences between scenarios are
paired. The fast engine draws every random number as a keyed hash of (seed, purpose, person or
arc, month); the people are the same in every scenario and every scenario's network carries the
same arcs (the other scenarios' programme ties are present but never active, see
:func:`.apply.align_arcs`), so two scenarios share every draw they both make: common random
numbers, not merely common seeds. Recruits are chosen once per scenario, from one recruitment
seed that all scenarios share (child ``2**32`` of the root), whatever the number of replicates.

Replicates run on one process pool, or one Dask cluster given a scheduler address, for the whole
sweep (the package's :class:`~alumni_net.experiments.executor.Executor` running the jobs of
:mod:`._sweep`); the no-programme arm, the same run in
every scenario that changes only the programme, runs once per replicate. Finished replicates
stream into one replicate store per scenario (``OUT/runs/NAME/replicates/``, the runner's store):
a sweep killed at any point resumes with ``resume=True`` and loses or repeats no replicate.
"""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from alumni_net.core.progress import progress
from alumni_net.errors import AlumniNetError, ClusterError, Problem, ValidationError
from alumni_net.experiments.executor import Executor
from alumni_net.experiments.replicate import RunSpec
from alumni_net.experiments.runner import check_run_arguments
from alumni_net.experiments.scenarios._sweep import Sweep, sweep_job
from alumni_net.experiments.scenarios.apply import (
    Plan,
    Timeline,
    align_arcs,
    plan_scenario,
    timeline,
)
from alumni_net.experiments.scenarios.checks import check_against_data
from alumni_net.experiments.scenarios.spec import ScenarioFile
from alumni_net.experiments.store import ReplicateStore, run_manifest
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
    from alumni_net.experiments.recruitment import networkx_graph, strategy

    ds = load_people(sf) if data is None else data
    problems = check_against_data(sf, ds)
    _raise(sf, problems)
    tl = timeline(ds, sf)
    root = np.random.SeedSequence(sf.seed if seed is None else seed)
    recruiting = np.random.SeedSequence(root.entropy, spawn_key=(*root.spawn_key, RECRUITMENT_KEY))
    graph = None
    plans = []
    for scenario in sf.scenarios:
        # A strategy that reads no ties (random, list) needs no graph: converting a large
        # dataset to networkx costs seconds, which the dashboard's "run" should not wait for.
        r = scenario.recruitment
        used = [r.strategy, *([r.fallback] if r.exhausted == "fallback" else [])]
        if not any(strategy(name).needs_network for name in used):
            where = ds
        else:
            graph = networkx_graph(ds) if graph is None else graph
            where = graph
        try:
            plans.append(plan_scenario(sf, scenario, ds, tl, where, recruiting))
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
    check_run_arguments(n, sf.engine, workers, resume, out_dir, dask_address)
    root = np.random.SeedSequence(seed)
    seeds = np.random.SeedSequence(root.entropy, spawn_key=root.spawn_key).spawn(n)
    started = time.perf_counter()
    specs = {p.scenario.name: RunSpec(params=p.params, engine=sf.engine, counterfactual=True)
             for p in prepared.plans}
    manifests = {p.scenario.name: run_manifest(p.dataset, specs[p.scenario.name], root)
                 for p in prepared.plans}
    stores = {} if out_dir is None else {
        name: ReplicateStore(Path(out_dir) / "runs" / name, m, resume=resume)
        for name, m in manifests.items()}
    sweep = Sweep({}, {p.scenario.name: p.params for p in prepared.plans}, sf.engine)
    # A job is one replicate of a group of scenarios sharing their no-programme arm, in replicate
    # order, so a stopped sweep leaves whole replicates; finished ones are not run again.
    jobs = [(g, i, s) for i, s in enumerate(seeds) for g, names in enumerate(sweep.groups)
            if any(name not in stores or not stores[name].done(i) for name in names)]
    kept: dict[tuple[str, int], dict] = {}
    total = n * len(specs)
    with progress(total=total, desc="scenarios x replicates") as bar:
        bar.update(total - sum(len(sweep.groups[g]) for g, _, _ in jobs))
        sweep.nets = _networks(prepared, {name for g, _, _ in jobs for name in sweep.groups[g]})
        with Executor(sweep_job, sweep, workers=workers, dask_address=dask_address) as executor:
            try:
                for position, per in executor.map_unordered(jobs):
                    index = jobs[position][1]
                    for name, tables in per.items():
                        if name in stores and not stores[name].done(index):
                            stores[name].write(index, tables)  # streamed: a killed sweep keeps it
                        kept[name, index] = {t: tables[t] for t in _KEEP}
                        bar.update()
            except ClusterError as exc:
                kept_where = (f"the finished replicates are kept in {Path(out_dir) / 'runs'}"
                              if stores and out_dir is not None
                              else "no replicate was kept (no output folder)")
                raise ClusterError(f"{exc}; {kept_where}") from None
    frames: dict[str, list[pd.DataFrame]] = {t: [] for t in _KEEP}
    for name in specs:
        for i in range(n):
            tables = kept.get((name, i)) or stores[name].read(i, _KEEP)
            for t in _KEEP:
                frames[t].append(tables[t].assign(scenario=name))
    tables = {t: _scenario_first(pd.concat(frames[t], ignore_index=True)) for t in _KEEP}
    manifest = {"seed": seed, "replicates": n, "engine": sf.engine,
                "scenarios": {name: {k: m[k] for k in ("config_hash", "data")}
                              for name, m in manifests.items()},
                "elapsed_seconds": round(time.perf_counter() - started, 3)}
    return ScenarioRun(prepared, tables["summary"], tables["timeseries"], n, seed, manifest)


def _networks(prepared: Prepared, needed: set[str]) -> dict:
    """Each scenario's network, compiled once here and shipped to the workers as arrays."""
    from alumni_net.abm import build_network

    return {p.scenario.name: build_network(p.dataset, start=p.params.start,
                                           influence=p.params.influence,
                                           columns=(p.params.background_by,))
            for p in prepared.plans if p.scenario.name in needed}


def _scenario_first(frame: pd.DataFrame) -> pd.DataFrame:
    return frame[["scenario", *[c for c in frame.columns if c != "scenario"]]]
