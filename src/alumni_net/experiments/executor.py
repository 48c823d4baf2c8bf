"""One executor for all parallel work: in this process, on a local process pool, or on a Dask
cluster.

The replicate runner, the scenario sweep and calibration all hand their work to
:class:`Executor`: a module-level function ``fn(shared, *task)`` and the data every task shares.
The shared data go to each worker once (a pool initializer, or a Dask scatter broadcast), never
once per task, and a local pool's workers map its large arrays from shared memory rather than
each holding a copy (:mod:`._sharing`). Results come back as ``(position, result)`` in
completion order, and callers store them by position, so results never depend on the number of
workers or on which finished first.

The local pool starts its workers from a forkserver that has already imported the model (spawn
where there is no forkserver). On an error or an interrupt (Ctrl-C, or SIGTERM, which the command
line turns into an interrupt) pending tasks are cancelled and running workers are stopped at
once; a worker whose parent is killed outright (SIGKILL) stops by itself, so no worker, forkserver
or resource tracker outlives the run. Workers lost during a run (a local worker process killed,
or a Dask cluster's worker or scheduler) raise :class:`~alumni_net.errors.ClusterError`, one
sentence instead of the pool's or Dask's own exception.

Examples
--------
>>> def add(shared, x):
...     return shared + x
>>> with Executor(add, 10, workers=1) as ex:
...     sorted(ex.map_unordered([(1,), (2,)]))
[(0, 11), (1, 12)]
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import re
import select
import signal
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from alumni_net.core.files import process_alive
from alumni_net.errors import ClusterError, ConfigError
from alumni_net.experiments._sharing import Shared, pack, unpack

__all__ = ["Executor", "check_dask_address", "default_workers", "execute"]

#: Modules a forkserver imports once, before it starts any worker.
PRELOAD = ["alumni_net.experiments", "alumni_net.abm"]

# Set in each pool worker by the initializer: what every task of the pool shares.
_SHARED: Any = None

_DASK_ADDRESS = re.compile(r"^((tcp|tls|ws|wss|ucx)://)?[\w.\-\[\]:]+:\d+$|^inproc://\S+$")


def default_workers() -> int:
    """The CPUs this process may use (respects affinity masks and container limits)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # macOS, Windows
        return os.cpu_count() or 1


def check_dask_address(address: str) -> None:
    """Raise ConfigError unless ``address`` looks like a Dask scheduler address.

    Checked before anything is written or connected: distributed hangs for a minute on an
    unknown protocol before failing.

    Examples
    --------
    >>> check_dask_address("tcp://10.0.0.5:8786")
    >>> check_dask_address("http://0.0.0.0")
    Traceback (most recent call last):
    ...
    alumni_net.errors.ConfigError: 'http://0.0.0.0' is not a Dask scheduler address; expected e.g. tcp://10.0.0.5:8786
    """
    if not isinstance(address, str) or not _DASK_ADDRESS.match(address):
        raise ConfigError(f"{address!r} is not a Dask scheduler address; expected e.g. "
                          "tcp://10.0.0.5:8786")


class Executor:
    """Runs ``fn(shared, *task)`` for many tasks, with ``shared`` shipped to each worker once.

    Parameters
    ----------
    fn : callable
        A module-level function (workers receive it by name): ``fn(shared, *task) -> result``.
    shared : object
        What every task needs (a network, parameters): picklable.
    workers : int, optional
        Local worker processes (default: the usable CPUs); 1 runs every task in this process.
        The pool is started at the first :meth:`map_unordered` with at most as many workers as
        that call has tasks, and serves every later call.
    dask_address : str, optional
        Scheduler address of a Dask cluster; overrides ``workers``. Its workers need the same
        version of alumni_net installed.

    Use as a context manager: leaving it normally shuts the pool down; leaving it on an
    exception (an interrupt included) stops the workers at once.
    """

    def __init__(self, fn: Callable[..., Any], shared: Any, *, workers: int | None = None,
                 dask_address: str | None = None) -> None:
        if dask_address is not None:
            check_dask_address(dask_address)
        self.fn, self.shared = fn, shared
        self.workers, self.dask_address = workers, dask_address
        self._pool: ProcessPoolExecutor | None = None
        self._client: Any = None
        self._state: Any = None  # the Dask future of ``shared``
        self._in_process = False
        self._packed: Shared | None = None  # what the pool's workers map (see _sharing)
        self._lost = False  # the cluster failed: closing its client may log its own errors

    def __enter__(self) -> Executor:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        self.close(abort=exc_type is not None)

    @property
    def parallel(self) -> bool:
        """True when tasks run outside this process (a pool of 2 or more, or Dask)."""
        return self.dask_address is not None or (self.workers or default_workers()) > 1

    def map_unordered(self, tasks: Sequence[tuple]) -> Iterator[tuple[int, Any]]:
        """Yield ``(i, fn(shared, *tasks[i]))`` for every task, as each one finishes.

        Closing the iterator early (an error or interrupt in the caller) cancels the tasks not
        yet started.
        """
        tasks = list(tasks)
        if not tasks:
            return
        if self.dask_address is not None:
            yield from self._on_dask(tasks, self.dask_address)
            return
        if self._pool is None and not self._in_process:
            n = min(self.workers or default_workers(), len(tasks))
            if n <= 1:
                self._in_process = True
            else:
                self._packed = pack(self.shared)
                self._pool = _start_pool(n, self._packed.data)
        if self._in_process or self._pool is None:
            for i, task in enumerate(tasks):
                yield i, self.fn(self.shared, *task)
            return
        yield from self._on_pool(self._pool, tasks)

    def close(self, *, abort: bool = False) -> None:
        """Shut the pool or the Dask client down; ``abort`` stops running workers at once."""
        pool, client = self._pool, self._client
        self._pool = self._client = self._state = None
        if pool is not None:
            if abort:
                _stop_workers(pool)
            else:
                pool.shutdown(wait=True, cancel_futures=True)
        if client is not None:
            _close_quietly(client, lost=self._lost)
        if self._packed is not None:
            self._packed.close()
            self._packed = None

    def _on_pool(self, pool: ProcessPoolExecutor, tasks: list[tuple]
                 ) -> Iterator[tuple[int, Any]]:
        with _signals_held():  # the first submission launches the workers
            futures = {pool.submit(_pool_task, self.fn, task): i
                       for i, task in enumerate(tasks)}
        pending = set(futures)
        try:
            while pending:
                finished, pending = wait(pending, return_when=FIRST_COMPLETED)
                for future in finished:
                    try:
                        result = future.result()
                    except BrokenProcessPool:
                        raise ClusterError("a worker process stopped during the run (killed, or "
                                           "out of memory)") from None
                    yield futures[future], result
        finally:
            for future in pending:  # on an error or interrupt, start nothing more
                future.cancel()

    def _on_dask(self, tasks: list[tuple], address: str) -> Iterator[tuple[int, Any]]:
        as_completed = _dask_as_completed()
        if self._client is None:
            self._client = _connect(address)
            # One copy on every worker, shared by all its tasks (a list of one, so that Dask
            # ships the object whole rather than scattering its items).
            try:
                [self._state] = self._client.scatter([self.shared], broadcast=True, hash=False)
            except (OSError, TimeoutError) as exc:
                raise self._failed(exc) from None
        client = self._client
        futures = [client.submit(_dask_task, self.fn, self._state, *task, pure=False)
                   for task in tasks]
        where = {f.key: i for i, f in enumerate(futures)}
        try:
            for future, result in as_completed(futures, loop=client.loop, with_results=True,
                                               raise_errors=False):
                if future.status == "finished":
                    yield where[future.key], result
                elif future.status == "error" and not _killed_worker(result):
                    future.result()  # the task's own error, with its traceback
                else:  # cancelled: the scheduler, or every copy of the shared data, was lost
                    raise self._failed(result)
        finally:
            _cancel_quietly(client, futures)

    def _failed(self, exc: BaseException) -> ClusterError:
        self._lost = True
        reason = getattr(exc, "reason", None) or _first_line(exc)  # FutureCancelledError.reason
        return ClusterError(f"the Dask cluster at {self.dask_address!r} failed during the run: a "
                            f"worker or the scheduler was lost ({reason})")


def execute(fn: Callable[..., Any], shared: Any, tasks: Sequence[tuple], *,
            workers: int | None = None,
            dask_address: str | None = None) -> Iterator[tuple[int, Any]]:
    """:meth:`Executor.map_unordered` of one batch of tasks, the executor closed afterwards."""
    with Executor(fn, shared, workers=workers, dask_address=dask_address) as ex:
        yield from ex.map_unordered(tasks)


# --- the local pool -------------------------------------------------------------------------


def pool_context() -> multiprocessing.context.BaseContext:
    """The start method of every local pool: a forkserver with the model preloaded, else spawn."""
    # Not "fork": forking a process with threads (numba, tqdm, a Jupyter kernel) can deadlock and
    # Python 3.12 warns about it. A forkserver that has already imported the model is as quick to
    # start workers from, and is the default on Linux from Python 3.14; elsewhere, spawn.
    if "forkserver" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(PRELOAD)
        return ctx
    return multiprocessing.get_context("spawn")


def _start_pool(n: int, packed: bytes) -> ProcessPoolExecutor:
    ctx = pool_context()
    if ctx.get_start_method() == "forkserver":
        # Started here, outside _signals_held: the server must not inherit held signals.
        from multiprocessing import forkserver

        forkserver.ensure_running()
    return ProcessPoolExecutor(max_workers=n, mp_context=ctx, initializer=_init_worker,
                               initargs=(packed, os.getpid()))


@contextlib.contextmanager
def _signals_held():
    """Hold Ctrl-C and SIGTERM in this thread while workers are launched; they arrive right
    after. Interrupted half-way through sending a worker its data, the worker would print a
    traceback of its own (a truncated pickle) beside the command's one-sentence message."""
    if not hasattr(signal, "pthread_sigmask") or \
            threading.current_thread() is not threading.main_thread():
        yield
        return
    held = {signal.SIGINT, signal.SIGTERM}
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _init_worker(packed: bytes, parent: int) -> None:
    global _SHARED
    _SHARED = unpack(packed)  # large arrays mapped from shared memory, not copied
    if hasattr(signal, "pthread_sigmask"):  # a spawned worker inherits the launcher's mask
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT, signal.SIGTERM})
    # Ctrl-C reaches the whole process group; the parent decides what stops, and stops us.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _exit_with(parent)


def _pool_task(fn: Callable[..., Any], task: tuple) -> Any:
    return fn(_SHARED, *task)


def _exit_with(pid: int) -> None:
    """Exit this worker as soon as process ``pid`` (the pool's owner) ends, however it ends.

    A parent killed outright cannot stop its workers, and workers waiting for tasks would wait
    for ever, keeping the forkserver and the resource tracker alive with them.
    """

    def watch() -> None:
        try:
            fd = os.pidfd_open(pid)  # Linux: readable when the process ends
        except (AttributeError, OSError):
            while process_alive(pid):
                time.sleep(1.0)
        else:
            select.select([fd], [], [])
        os._exit(1)

    threading.Thread(target=watch, name="alumni-net-parent-watch", daemon=True).start()


def _stop_workers(pool: ProcessPoolExecutor) -> None:
    """Cancel what has not started and stop the running workers now (not after their task)."""
    terminate = getattr(pool, "terminate_workers", None)  # Python >= 3.14
    if terminate is not None:
        terminate()
        return
    processes = list((getattr(pool, "_processes", None) or {}).values())
    for process in processes:
        if process.is_alive():
            process.terminate()
    for process in processes:
        process.join(timeout=5)
        if process.is_alive():
            process.kill()
            process.join(timeout=5)
    # A worker stopped while sending its result leaves half a message in the result pipe, and
    # the pool's manager thread would wait for the rest for ever (this process holds the pipe's
    # other write end), so shutdown, and the interpreter's exit after it, would never return.
    # With that end closed the read ends at end-of-file: the pool finds itself broken and stops.
    writer = getattr(getattr(pool, "_result_queue", None), "_writer", None)
    if writer is not None:
        writer.close()
    pool.shutdown(wait=True, cancel_futures=True)


# --- Dask -----------------------------------------------------------------------------------


def _dask_as_completed():
    """``dask.distributed.as_completed``, or one sentence saying what to install."""
    try:
        from dask.distributed import as_completed
    except ImportError:  # pragma: no cover - depends on the installation
        raise ConfigError(
            "running on a Dask cluster needs dask.distributed: pip install 'alumni-net[dask]'"
        ) from None
    return as_completed


def _connect(address: str):
    _dask_as_completed()  # the install check, one sentence
    from dask.distributed import Client

    try:
        return Client(address, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as exc:
        raise ConfigError(f"cannot reach the Dask scheduler at {address!r} "
                          f"({_first_line(exc)})") from None


def _dask_task(fn: Callable[..., Any], shared: Any, *task) -> Any:
    return fn(shared, *task)


def _killed_worker(exc: Any) -> bool:
    # A task that took its worker down (out of memory, killed) too many times.
    return type(exc).__name__ == "KilledWorker"


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0].rstrip(".") if str(exc).strip() else ""
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _cancel_quietly(client, futures) -> None:
    try:
        client.cancel(futures)
    except Exception:  # noqa: BLE001 - a lost scheduler cannot be told; nothing is left to stop
        pass


def _close_quietly(client, *, lost: bool) -> None:
    import logging

    # Closing a client that is trying to reconnect to a lost scheduler logs the cancelled
    # attempt with a traceback; the one-sentence ClusterError has already said what happened.
    loggers = [logging.getLogger(name) for name in ("distributed", "distributed.client")]
    levels = [logger.level for logger in loggers]
    if lost:
        for logger in loggers:
            logger.setLevel(logging.CRITICAL)
    try:
        client.close(timeout=10)
    except Exception:  # noqa: BLE001 - closing a client whose scheduler is gone
        pass
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)
