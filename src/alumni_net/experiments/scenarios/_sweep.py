"""Where a sweep's replicates run: one process pool (or one Dask cluster) for every scenario.

The runner's executors (:mod:`alumni_net.experiments._executors`) serve one network at a time;
starting a pool per scenario would cost seconds per scenario (workers import the model and load
its compiled kernels). Here every worker receives all the scenarios' networks once and takes jobs
from one queue, using the runner's own pieces: the pool context, the Dask client and
:func:`~alumni_net.experiments._replicate.replicate_tables`.

A job is one replicate of a *group*: the scenarios whose no-programme arm is the same run. The
no-programme arm is the same people with no programme; with the same seed, the same arcs in every
scenario's network (:func:`.apply.align_arcs`) and the same parameters outside the programme, it
is the same run, draw for draw, in every scenario of the group. It runs once per replicate and is
then read with each scenario's alumni (who counts as an alum changes the non-alumni counts, not
the run). Its adopters' distances stay those to the alumni of the scenario it ran on, and its
practising-by-cohort rows are dropped (future cohorts are the scenario's own), so no figure of a
scenario depends on another's labels. This halves the work of a sweep.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from types import SimpleNamespace
from typing import Any

import numpy as np
import pandas as pd

from alumni_net.experiments._executors import (
    _dask_client,
    _pool_context,
    dask_as_completed,
    default_workers,
)
from alumni_net.experiments._replicate import replicate_tables

__all__ = ["Sweep", "execute_sweep", "no_programme_key"]

#: Parameters that act only with the programme: scenarios differing only in these share their
#: no-programme arm (course effect, alum boost, set reinforcement, top-ups, course length).
PROGRAMME_ONLY = ("p_course", "alum_boost", "group_boost", "topups", "training_months")

Job = tuple[int, int, np.random.SeedSequence]  # group, replicate, seed


def no_programme_key(params) -> str:
    """Scenarios with equal keys have the same no-programme arm."""
    d = params.to_dict()
    return repr(sorted((k, v) for k, v in d.items() if k not in PROGRAMME_ONLY))


class Sweep:
    """What every worker needs: each scenario's network and parameters, grouped, and the engine."""

    def __init__(self, nets: dict[str, Any], params: dict[str, Any], engine: str):
        self.nets, self.params, self.engine = nets, params, engine
        groups: dict[str, list[str]] = {}
        for name, p in params.items():
            groups.setdefault(no_programme_key(p), []).append(name)
        self.groups = list(groups.values())


_WORKER_STATE: Sweep | None = None


def execute_sweep(sweep: Sweep, jobs: Sequence[Job], *, workers: int | None,
                  dask_address: str | None) -> Iterator[tuple[int, int, dict[str, dict]]]:
    """Run ``jobs`` (group, replicate, seed); yield ``(group, replicate, {scenario: tables})``
    as each finishes, in completion order."""
    if not jobs:
        return
    if dask_address is not None:
        yield from _on_dask(sweep, jobs, dask_address)
        return
    n = min(workers or default_workers(), len(jobs))
    if n <= 1:
        for job in jobs:
            yield _job(*job, sweep)
        return
    yield from _on_pool(sweep, jobs, n)


def _job(group: int, index: int, seed: np.random.SeedSequence, sweep: Sweep | None = None):
    from alumni_net.abm import simulate_once  # imported here: workers import the model lazily

    sweep = sweep if sweep is not None else _WORKER_STATE
    names = sweep.groups[group]

    def arm(name: str, programme: bool):
        # A fresh copy of the child seed per run, exactly as the runner's run_replicate does.
        fresh = np.random.SeedSequence(seed.entropy, spawn_key=seed.spawn_key)
        return simulate_once(sweep.nets[name], sweep.params[name], seed=fresh,
                             engine=sweep.engine, programme=programme)

    shared = arm(names[0], False)
    # The shared arm's tables are built once; only its summary row depends on who is an alum.
    base = replicate_tables(index, {"no_programme": _shared_arm(shared)})
    first = shared.adoptions.drop_duplicates("person_id")["person_id"]
    out = {}
    for name in names:
        net = sweep.nets[name]
        prog = replicate_tables(index, {"programme": arm(name, True)})
        alumni = int(net.is_alum[net.id_index.get_indexer(first)].sum())
        summary = base["summary"].assign(
            n_alumni=int(net.is_alum.sum()), ever_adopted_alumni=alumni,
            ever_adopted_non_alumni=len(first) - alumni)
        out[name] = {t: pd.concat([prog[t], summary if t == "summary" else base[t]],
                                  ignore_index=True) for t in prog}
    return group, index, out


def _shared_arm(res) -> SimpleNamespace:
    """The shared no-programme run without its practising-by-cohort rows (future cohorts are
    each scenario's own; see the module docstring)."""
    by_group = res.by_group[res.by_group["group_type"] != "cohort"].reset_index(drop=True)
    return SimpleNamespace(timeseries=res.timeseries, by_group=by_group,
                           adoptions=res.adoptions, summary=res.summary)


def _init_worker(sweep: Sweep) -> None:
    global _WORKER_STATE
    _WORKER_STATE = sweep


def _on_pool(sweep: Sweep, jobs: Sequence[Job], n: int):
    with ProcessPoolExecutor(max_workers=n, mp_context=_pool_context(),
                             initializer=_init_worker, initargs=(sweep,)) as pool:
        pending = {pool.submit(_job, *job) for job in jobs}
        try:
            while pending:
                finished, pending = wait(pending, return_when=FIRST_COMPLETED)
                for future in finished:
                    yield future.result()
        finally:
            for future in pending:  # on an error or interrupt, start nothing more
                future.cancel()


def _on_dask(sweep: Sweep, jobs: Sequence[Job], address: str):
    as_completed = dask_as_completed()
    with _dask_client(address) as client:
        # One copy of every scenario's network on each worker, shared by all its jobs.
        [shared] = client.scatter([sweep], broadcast=True, hash=False)
        futures = [client.submit(_job, *job, shared, pure=False) for job in jobs]
        try:
            for _future, result in as_completed(futures, loop=client.loop, with_results=True):
                yield result
        finally:
            client.cancel(futures)
