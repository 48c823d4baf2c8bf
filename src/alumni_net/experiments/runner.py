"""Seeded replicate runner: many runs of the contagion model, on processes or Dask, resumable.

Replicate ``i`` of a run with root seed ``s`` uses child ``SeedSequence(s).spawn(n)[i]`` in both
arms (with and without the programme: common random numbers), so results are the same whatever
the number of workers, whether they run on a Dask cluster, and whether the run was interrupted
and resumed. Finished replicates are streamed to ``out_dir/replicates/`` as they complete (see
:mod:`alumni_net.experiments.store`). Replicates run on the package's one executor
(:mod:`alumni_net.experiments.executor`): in this process, on a local pool, or on Dask.

Examples
--------
>>> import networkx as nx
>>> from alumni_net.abm import ContagionParams, build_network
>>> G = nx.path_graph(4)
>>> nx.set_node_attributes(G, {0: True, 1: False, 2: False, 3: False}, "is_alum")
>>> reps = run_replicates(G, ContagionParams(horizon_months=3), n_replicates=2, seed=1, workers=1)
>>> reps.summary[["replicate", "arm"]].values.tolist()
[[0, 'programme'], [0, 'no_programme'], [1, 'programme'], [1, 'no_programme']]
"""

from __future__ import annotations

import os
from collections.abc import Hashable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from alumni_net.abm import ContagionParams, NetworkSource, build_network
from alumni_net.core.checks import check_choice
from alumni_net.core.progress import progress
from alumni_net.core.rng import SeedLike, as_seed_sequence
from alumni_net.errors import ClusterError, ConfigError
from alumni_net.experiments.executor import Executor, check_dask_address, default_workers
from alumni_net.experiments.replicate import TABLES, RunSpec, replicate_task
from alumni_net.experiments.store import ReplicateStore, run_manifest
from alumni_net.vocabulary import ENGINES

__all__ = ["Replicates", "check_run_arguments", "run_on_networks", "run_replicates"]


@dataclass(frozen=True)
class Replicates:
    """Tidy per-replicate tables of a run, ordered by replicate then arm.

    Attributes
    ----------
    summary : DataFrame
        One row per (replicate, arm): the model's summary (n_alumni, ever_adopted, ...).
    by_degree : DataFrame
        replicate, arm, degree (0 alum, 1, 2, 3, 4 = 4+, -1 unconnected), adopters.
    timeseries : DataFrame
        replicate, arm, month, unaware, practising, lapsed, new_adopters.
    by_group : DataFrame
        replicate, arm, month, group_type, group, practising.
    manifest : dict
        Seed, engine, parameters, data fingerprint and ``config_hash`` of the run.
    """

    summary: pd.DataFrame
    by_degree: pd.DataFrame
    timeseries: pd.DataFrame
    by_group: pd.DataFrame
    manifest: dict

    @property
    def n_replicates(self) -> int:
        return int(self.summary["replicate"].nunique())


def run_replicates(
    data: NetworkSource,
    params: ContagionParams | None = None,
    *,
    n_replicates: int,
    seed: SeedLike = 0,
    engine: str = "fast",
    workers: int | None = None,
    dask_address: str | None = None,
    out_dir: str | Path | None = None,
    resume: bool = False,
    counterfactual: bool = True,
    param_draws: Sequence[ContagionParams] = (),
    initial_adopters: Iterable[Hashable] = (),
) -> Replicates:
    """Run ``n_replicates`` seeded replicates of the model on ``data``.

    Parameters
    ----------
    data : Dataset or networkx graph
        Whatever :func:`alumni_net.abm.simulate_once` accepts.
    params : ContagionParams, optional
        Model parameters (defaults when None).
    n_replicates : int
        Number of replicates (>= 1).
    seed : int, SeedSequence, Generator or None
        Root seed; replicate i uses child i of ``SeedSequence(seed).spawn(n_replicates)``.
    engine : str
        Model engine: a registered engine (:data:`alumni_net.vocabulary.ENGINES`).
    workers : int, optional
        Processes of the local pool (default: the usable CPUs); 1 runs in this process.
    dask_address : str, optional
        Scheduler address of a Dask cluster (e.g. ``"tcp://10.0.0.5:8786"``); overrides ``workers``.
        Its workers need the same version of alumni_net installed; the data go to each worker
        once (a broadcast scatter), and results come back here to be stored.
    out_dir : path, optional
        Stream each finished replicate to ``out_dir/replicates/`` (Parquet, atomic writes).
    resume : bool
        Keep replicates already in ``out_dir`` (same data, parameters, engine and seed only) and
        run the rest.
    counterfactual : bool
        Also run each replicate without the programme (needed for attributable measures).
    param_draws : sequence of ContagionParams, optional
        Replicate ``i`` runs ``param_draws[i % len(param_draws)]`` instead of ``params`` (draws
        of a calibrated posterior, so that the intervals carry the parameter uncertainty).
    initial_adopters : sequence of person ids, optional
        People practising from month 0 in both arms (e.g. the adopters already observed).

    Returns
    -------
    Replicates
    """
    params = ContagionParams() if params is None else params
    check_run_arguments(n_replicates, engine, workers, resume, out_dir, dask_address)
    spec = RunSpec(params=params, engine=engine, counterfactual=counterfactual,
                   draws=tuple(param_draws), initial_adopters=tuple(initial_adopters))
    [reps] = _run([data], spec, [seed], n_replicates, workers=workers, dask_address=dask_address,
                  out_dirs=None if out_dir is None else [out_dir], resume=resume)
    return reps


def run_on_networks(
    datasets: Sequence[Any],
    params: ContagionParams | None = None,
    *,
    n_replicates: int,
    seeds: Sequence[SeedLike],
    engine: str = "fast",
    workers: int | None = None,
    dask_address: str | None = None,
    out_dirs: Sequence[str | Path] | None = None,
    resume: bool = False,
    counterfactual: bool = True,
) -> list[Replicates]:
    """``n_replicates`` seeded replicates on each of several datasets, all on one executor.

    What :func:`run_replicates` does for one dataset, for many at once (the K networks of a
    workforce folder): one local pool or one Dask client serves every replicate of every
    dataset, each worker receiving every dataset once. Dataset ``k`` runs from root seed
    ``seeds[k]`` and streams to ``out_dirs[k]/replicates/`` (its own store, its own manifest), so
    its results are exactly those of ``run_replicates(datasets[k], ..., seed=seeds[k],
    out_dir=out_dirs[k])``, at any number of workers, on Dask, and resumed dataset by dataset.

    Returns
    -------
    list of Replicates, one per dataset, in order.
    """
    params = ContagionParams() if params is None else params
    first = None if not out_dirs else out_dirs[0]
    check_run_arguments(n_replicates, engine, workers, resume, first, dask_address)
    if len(seeds) != len(datasets) or (out_dirs is not None and len(out_dirs) != len(datasets)):
        raise ConfigError(f"{len(datasets)} datasets need as many seeds and output folders, got "
                          f"{len(seeds)} seeds and {len(out_dirs or datasets)} folders")
    spec = RunSpec(params=params, engine=engine, counterfactual=counterfactual)
    return _run(datasets, spec, seeds, n_replicates, workers=workers, dask_address=dask_address,
                out_dirs=out_dirs, resume=resume)


def _run(datasets: Sequence[Any], spec: RunSpec, seeds: Sequence[SeedLike], n: int, *,
         workers, dask_address, out_dirs, resume) -> list[Replicates]:
    roots = [as_seed_sequence(seed) for seed in seeds]
    parallel = dask_address is not None or (workers or default_workers()) > 1
    built = None
    if parallel and not resume:
        # A fresh run runs every replicate, so its networks are compiled now, while a thread
        # hashes the data for the manifests (hashlib and Arrow release the GIL): seconds of
        # the national preset's fingerprint spent beside the compiling rather than before it.
        with ThreadPoolExecutor(max_workers=1) as thread:
            hashing = thread.submit(_manifests, datasets, spec, roots)
            built = [compiled(data, spec) for data in datasets]
            manifests = hashing.result()
    else:
        manifests = _manifests(datasets, spec, roots)
    stores = None if out_dirs is None else [
        ReplicateStore(out, m, resume=resume) for out, m in zip(out_dirs, manifests, strict=True)]
    # Dataset by dataset, so that a worker mostly runs on one network at a time; a fresh
    # copy of each root, since spawning from a SeedSequence the caller passed would mutate it.
    tasks = [(k, i, s) for k, root in enumerate(roots)
             for i, s in enumerate(np.random.SeedSequence(
                 root.entropy, spawn_key=root.spawn_key).spawn(n))
             if stores is None or not stores[k].done(i)]
    kept: dict[tuple[int, int], dict] = {}
    total = n * len(datasets)
    if built is not None:
        datasets = built
    elif parallel and tasks:  # compiled here once, not by every worker (shared memory on a pool)
        datasets = [compiled(data, spec) for data in datasets]
    with (progress(total=total, desc="replicates") as bar,
          Executor(replicate_task, (tuple(datasets), spec), workers=workers,
                   dask_address=dask_address) as executor):
        bar.update(total - len(tasks))
        try:
            for position, tables in executor.map_unordered(tasks):
                k, index = tasks[position][:2]
                if stores is not None:
                    stores[k].write(index, tables)  # streamed now: a killed run keeps it
                kept[k, index] = tables
                bar.update()
        except ClusterError as exc:
            raise ClusterError(f"{exc}; {_kept(stores, total)}") from None
    # Ordered by replicate index, never by completion order; earlier runs' replicates from disk
    # (Parquet keeps the dtypes, so they are indistinguishable from fresh ones: tested).
    out = []
    for k, manifest in enumerate(manifests):
        per = [kept[k, i] if stores is None or (k, i) in kept else stores[k].read(i)
               for i in range(n)]
        frames = {t: pd.concat([p[t] for p in per], ignore_index=True) for t in TABLES}
        out.append(Replicates(**frames, manifest=manifest))
    return out


def _manifests(datasets: Sequence[Any], spec: RunSpec,
               roots: Sequence[np.random.SeedSequence]) -> list[dict]:
    return [run_manifest(data, spec, root) for data, root in zip(datasets, roots, strict=True)]


def compiled(data: Any, spec: RunSpec) -> Any:
    """``data`` compiled into the model's network once, here, when every replicate's parameters
    compile it alike; else ``data`` as it is.

    Workers then receive arrays (mapped from shared memory by a local pool) instead of each
    compiling a Dataset of millions of ties again.
    """
    params = spec.draws or (spec.params,)
    how = {(p.start, p.influence, p.background_by) for p in params}
    if len(how) != 1:
        return data
    start, influence, background_by = how.pop()
    return build_network(data, start=start, influence=influence, columns=(background_by,))


def check_run_arguments(n_replicates: int, engine: str, workers: int | None, resume: bool,
                        out_dir: str | os.PathLike | None, dask_address: str | None = None) -> None:
    """Raise ConfigError (one sentence) for arguments no run can use, before anything is written."""
    if isinstance(n_replicates, bool) or not isinstance(n_replicates, int) or n_replicates < 1:
        raise ConfigError(f"the number of replicates must be an integer >= 1, got {n_replicates!r}")
    check_choice("engine", engine, ENGINES)
    if workers is not None and (not isinstance(workers, int) or workers < 1):
        raise ConfigError(f"workers must be an integer >= 1, got {workers!r}")
    if resume and out_dir is None:
        raise ConfigError("resume needs an output folder holding the interrupted run")
    if dask_address is not None:
        check_dask_address(dask_address)


def _kept(stores: list[ReplicateStore] | None, n: int) -> str:
    if stores is None:
        return "no replicate was kept (no output folder)"
    done = sum(store.count() for store in stores)
    where = stores[0].root if len(stores) == 1 else f"{len(stores)} folders like {stores[0].root}"
    return f"{done:,} of {n:,} replicates are finished and kept in {where}"
