"""Where a sweep's replicates run: one process pool (or one Dask cluster) for every scenario.

The runner's executors (:mod:`alumni_net.experiments._executors`) serve one network at a time;
starting a pool per scenario would cost seconds per scenario (workers import the model and load
its compiled kernels). Here every worker receives all the scenarios' networks once and takes
(scenario, replicate) jobs from one queue, using the runner's own pieces: the pool context, the
Dask client and :func:`~alumni_net.experiments._replicate.run_replicate`. Jobs are yielded in
completion order; the caller stores them by (scenario, replicate).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from typing import Any

import numpy as np

from alumni_net.errors import ConfigError
from alumni_net.experiments._executors import _dask_client, _pool_context, default_workers
from alumni_net.experiments._replicate import RunSpec, run_replicate

__all__ = ["execute_sweep"]

Job = tuple[str, int, np.random.SeedSequence]
State = dict[str, tuple[Any, RunSpec]]

_WORKER_STATE: State | None = None


def execute_sweep(state: State, jobs: Sequence[Job], *, workers: int | None,
                  dask_address: str | None) -> Iterator[tuple[str, int, dict]]:
    """Run ``jobs`` (scenario, replicate, seed) on ``state`` (scenario -> (network, spec));
    yield ``(scenario, replicate, tables)`` as each finishes."""
    if not jobs:
        return
    if dask_address is not None:
        yield from _on_dask(state, jobs, dask_address)
        return
    n = min(workers or default_workers(), len(jobs))
    if n <= 1:
        for name, index, seed in jobs:
            yield name, index, run_replicate(*state[name], index, seed)
        return
    yield from _on_pool(state, jobs, n)


def _init_worker(state: State) -> None:
    global _WORKER_STATE
    _WORKER_STATE = state


def _job(name: str, index: int, seed: np.random.SeedSequence, state: State | None = None):
    data, spec = (state if state is not None else _WORKER_STATE)[name]
    return name, index, run_replicate(data, spec, index, seed)


def _on_pool(state: State, jobs: Sequence[Job], n: int):
    with ProcessPoolExecutor(max_workers=n, mp_context=_pool_context(),
                             initializer=_init_worker, initargs=(state,)) as pool:
        pending = {pool.submit(_job, *job) for job in jobs}
        try:
            while pending:
                finished, pending = wait(pending, return_when=FIRST_COMPLETED)
                for future in finished:
                    yield future.result()
        finally:
            for future in pending:  # on an error or interrupt, start nothing more
                future.cancel()


def _on_dask(state: State, jobs: Sequence[Job], address: str):
    try:
        from dask.distributed import as_completed
    except ImportError:  # pragma: no cover - depends on the installation
        raise ConfigError(
            "running on a Dask cluster needs dask.distributed: pip install 'alumni-net[dask]'"
        ) from None

    with _dask_client(address) as client:
        # One copy of every scenario's network on each worker, shared by all its jobs.
        [shared] = client.scatter([state], broadcast=True, hash=False)
        futures = [client.submit(_job, *job, shared, pure=False) for job in jobs]
        try:
            for _future, result in as_completed(futures, loop=client.loop, with_results=True):
                yield result
        finally:
            client.cancel(futures)
