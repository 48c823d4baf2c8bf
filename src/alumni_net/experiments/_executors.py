"""Where replicates run: in this process, on a local process pool, or on a Dask cluster.

Every executor yields ``(index, tables)`` in completion order; the caller stores by index, so
results never depend on which worker finished first. The data are shipped once per worker (a pool
initializer, or a Dask scatter broadcast), not once per replicate.
"""

from __future__ import annotations

import multiprocessing
import os
import re
from collections.abc import Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from typing import Any

import numpy as np

from alumni_net.errors import ConfigError
from alumni_net.experiments._replicate import RunSpec, run_replicate

__all__ = ["default_workers", "execute"]

Task = tuple[int, np.random.SeedSequence]

# Set in each pool worker by the initializer: the data and spec shared by all its replicates.
_WORKER_STATE: tuple[Any, RunSpec] | None = None


def default_workers() -> int:
    """The CPUs this process may use (respects affinity masks and container limits)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # macOS, Windows
        return os.cpu_count() or 1


def execute(
    data: Any,
    spec: RunSpec,
    tasks: Sequence[Task],
    *,
    workers: int | None,
    dask_address: str | None,
) -> Iterator[tuple[int, dict]]:
    """Run ``tasks`` and yield each ``(index, tables)`` as soon as it is finished."""
    if dask_address is not None:
        yield from _on_dask(data, spec, tasks, dask_address)
        return
    n = min(workers or default_workers(), len(tasks))
    if n <= 1:
        for index, seed in tasks:
            yield index, run_replicate(data, spec, index, seed)
    else:
        yield from _on_pool(data, spec, tasks, n)


def _init_worker(data: Any, spec: RunSpec) -> None:
    global _WORKER_STATE
    _WORKER_STATE = (data, spec)


def _pool_task(index: int, seed: np.random.SeedSequence) -> tuple[int, dict]:
    data, spec = _WORKER_STATE
    return index, run_replicate(data, spec, index, seed)


def _pool_context() -> multiprocessing.context.BaseContext:
    # Not "fork": forking a process with threads (numba, tqdm, a Jupyter kernel) can deadlock and
    # Python 3.12 warns about it. A forkserver that has already imported the model is as quick to
    # start workers from, and is the default on Linux from Python 3.14; elsewhere, spawn.
    if "forkserver" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["alumni_net.experiments", "alumni_net.abm"])
        return ctx
    return multiprocessing.get_context("spawn")


def _on_pool(data: Any, spec: RunSpec, tasks: Sequence[Task], n: int) -> Iterator[tuple[int, dict]]:
    with ProcessPoolExecutor(
        max_workers=n, mp_context=_pool_context(), initializer=_init_worker, initargs=(data, spec)
    ) as pool:
        pending = {pool.submit(_pool_task, index, seed) for index, seed in tasks}
        try:
            while pending:
                finished, pending = wait(pending, return_when=FIRST_COMPLETED)
                for future in finished:
                    yield future.result()
        finally:
            # On an error or interrupt, do not start replicates nobody will collect.
            for future in pending:
                future.cancel()


def _dask_task(state: tuple[Any, RunSpec], index: int, seed: np.random.SeedSequence):
    data, spec = state
    return index, run_replicate(data, spec, index, seed)


def dask_as_completed():
    """``dask.distributed.as_completed``, or one sentence saying what to install."""
    try:
        from dask.distributed import as_completed
    except ImportError:  # pragma: no cover - depends on the installation
        raise ConfigError(
            "running on a Dask cluster needs dask.distributed: pip install 'alumni-net[dask]'"
        ) from None
    return as_completed


def _on_dask(data: Any, spec: RunSpec, tasks: Sequence[Task], address: str):
    as_completed = dask_as_completed()
    with _dask_client(address) as client:
        # One copy of the data on every worker, shared by all the replicates it runs (a list of
        # one, so Dask ships the pair as one object rather than scattering its items).
        [state] = client.scatter([(data, spec)], broadcast=True, hash=False)
        futures = [
            client.submit(_dask_task, state, index, seed, pure=False)
            for index, seed in tasks
        ]
        try:
            for _future, result in as_completed(futures, loop=client.loop, with_results=True):
                yield result
        finally:
            client.cancel(futures)


_DASK_ADDRESS = re.compile(r"^((tcp|tls|ws|wss|ucx)://)?[\w.\-\[\]:]+:\d+$|^inproc://\S+$")


def _dask_client(address: str):
    from dask.distributed import Client

    # Checked here: distributed hangs for a minute on an unknown protocol before failing.
    if not _DASK_ADDRESS.match(address):
        raise ConfigError(
            f"{address!r} is not a Dask scheduler address; expected e.g. tcp://10.0.0.5:8786"
        )
    try:
        return Client(address, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as exc:
        reason = str(exc).splitlines()[0].rstrip(".") if str(exc) else type(exc).__name__
        raise ConfigError(f"cannot reach the Dask scheduler at {address!r} ({reason})") from None
