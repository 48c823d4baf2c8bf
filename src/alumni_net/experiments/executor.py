"""One executor for all parallel work: in this process, on a local process pool, or on a Dask
cluster.

The replicate runner, the scenario sweep and calibration all hand their work to
:class:`Executor`: a module-level function ``fn(shared, *task)`` and the data every task shares.
The shared data go to each worker once (as it starts, or a Dask scatter broadcast), never
once per task, and a local pool's workers map its large arrays from shared memory rather than
each holding a copy (:mod:`._sharing`). Results come back as ``(position, result)`` in
completion order, and callers store them by position, so results never depend on the number of
workers or on which finished first.

The local pool starts its workers from a forkserver that has already imported the model (spawn
where there is no forkserver), and the thread that iterates the results drives them itself: no
manager thread, and each worker has pipes of its own, so a worker stopped half-way through
sending a result holds up nothing. On an error or an interrupt (Ctrl-C, or SIGTERM, which the
command line turns into an interrupt) pending tasks are cancelled and running workers are stopped
at once; a worker whose parent is killed outright (SIGKILL) stops by itself, so no worker,
forkserver or resource tracker outlives the run. Workers lost during a run (a local worker process
killed, or a Dask cluster's worker or scheduler) raise :class:`~alumni_net.errors.ClusterError`,
one sentence instead of Dask's own exception.

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
import multiprocessing.connection
import multiprocessing.util
import os
import re
import select
import signal
import struct
import threading
import time
import traceback
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from alumni_net.core.files import process_alive
from alumni_net.errors import ClusterError, ConfigError
from alumni_net.experiments._sharing import Shared, decode, encode, pack, unpack

__all__ = ["Executor", "check_dask_address", "default_workers", "execute", "prepare_pool"]

#: Modules a forkserver imports once, before it starts any worker.
PRELOAD = ["alumni_net.experiments", "alumni_net.abm"]

_DASK_ADDRESS = re.compile(r"^((tcp|tls|ws|wss|ucx)://)?[\w.\-\[\]:]+:\d+$|^inproc://\S+$")


def default_workers() -> int:
    """The CPUs this process may use (respects affinity masks and container limits)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # macOS, Windows
        return os.cpu_count() or 1


def prepare_pool(workers: int | None = None, n_tasks: int | None = None, *,
                 dask_address: str | None = None) -> bool:
    """Start the local pool's forkserver now, when a pool will run the work; returns whether it
    did.

    The forkserver imports the model before it starts any worker: seconds, which the first
    :meth:`Executor.map_unordered` would otherwise wait for. Called before the caller loads and
    compiles its data, that import runs beside the loading, on another core. Nothing else
    changes: the workers still start at the first call, and the forkserver ends with this
    process. Nothing is started for work that runs in this process (one worker or one task)
    or on Dask, or where there is no forkserver.
    """
    if dask_address is not None or min(workers or default_workers(), n_tasks or 2) <= 1:
        return False
    if pool_context().get_start_method() != "forkserver":
        return False
    from multiprocessing import forkserver

    forkserver.ensure_running()
    return True


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
        self._pool: _Pool | None = None
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

        Closing the iterator early (an error or interrupt in the caller) starts no more tasks and
        stops the workers still running one.
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
                self._pool = _Pool(n, self.fn, self._packed.data)
        if self._in_process or self._pool is None:
            for i, task in enumerate(tasks):
                yield i, self.fn(self.shared, *task)
            return
        yield from self._pool.run(tasks)

    def close(self, *, abort: bool = False) -> None:
        """Shut the pool or the Dask client down; ``abort`` stops running workers at once."""
        pool, client = self._pool, self._client
        self._pool = self._client = self._state = None
        if pool is not None:
            if abort:
                pool.stop()
            else:
                pool.close()
        if client is not None:
            _close_quietly(client, lost=self._lost)
        if self._packed is not None:
            self._packed.close()
            self._packed = None

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
#
# No manager thread (as concurrent.futures has): the caller's thread drives the workers itself.
# Each worker has a pipe of tasks and a pipe of results of its own, one task at a time, and the
# parent reads results without blocking, a message whole only once all its bytes are in. So a
# worker stopped half-way through sending a result (killed, out of memory, terminated at an
# interrupt) leaves half a message in its own pipe only, which is dropped with it; it can neither
# hold up another worker's result nor leave a thread reading for ever that shutdown, and the
# interpreter's exit after it, would wait for. Python 3.13's ProcessPoolExecutor did both: its
# workers share one result pipe, and its manager thread reads a message whole, blocking.


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


class _RemoteTraceback(Exception):
    """The traceback of a task's error in its worker (the error's ``__cause__``)."""

    def __init__(self, text: str):
        super().__init__(text)
        self.text = text

    def __str__(self) -> str:
        return self.text


class _Worker:
    """One worker process, the parent's ends of its two pipes, and the task it is running."""

    def __init__(self, ctx: Any, fn: Callable[..., Any], packed: bytes) -> None:
        task_out, task_in = ctx.Pipe(duplex=False)
        result_out, result_in = ctx.Pipe(duplex=False)
        self.process = ctx.Process(target=_serve, name="alumni-net-worker",
                                   args=(fn, packed, os.getpid(), task_out, result_in))
        try:
            self.process.start()
        finally:
            # Only the worker holds these ends now: its result pipe ends when the worker does.
            task_out.close()
            result_in.close()
        self.tasks, self.results = task_in, result_out
        if _RAW:
            os.set_blocking(result_out.fileno(), False)
        self.inbox = bytearray()
        self.task: int | None = None  # the position of the task it runs; None when idle

    def receive(self) -> tuple[list[bytes], bool]:
        """The whole messages that have arrived, and whether the pipe has ended."""
        if not _RAW:
            return self._receive_whole()
        ended = False
        while True:
            try:
                chunk = os.read(self.results.fileno(), 1 << 20)
            except BlockingIOError:
                break
            if not chunk:
                ended = True
                break
            self.inbox += chunk
        messages = []
        while len(self.inbox) >= _HEADER.size:
            (size,) = _HEADER.unpack_from(self.inbox)
            if len(self.inbox) < _HEADER.size + size:
                break
            messages.append(bytes(self.inbox[_HEADER.size:_HEADER.size + size]))
            del self.inbox[:_HEADER.size + size]
        return messages, ended

    def _receive_whole(self) -> tuple[list[bytes], bool]:
        # Windows pipes are not file descriptors: whole messages, once some bytes are in (a
        # worker that ends mid-message breaks its pipe, which ends the read).
        messages = []
        try:
            while self.results.poll():
                messages.append(self.results.recv_bytes())
        except (EOFError, OSError):
            return messages, True
        return messages, False

    def close(self) -> None:
        self.tasks.close()
        self.results.close()


#: A message on a result pipe: its length, then its bytes.
_HEADER = struct.Struct("!Q")
#: Result pipes are file descriptors, read without blocking (not on Windows).
_RAW = os.name == "posix"


class _Pool:
    """``n`` worker processes, driven by the thread that iterates :meth:`run`."""

    def __init__(self, n: int, fn: Callable[..., Any], packed: bytes) -> None:
        self.n, self.fn, self.packed = n, fn, packed
        self.context = pool_context()
        self.workers: list[_Worker] = []
        # At exit (a pool never closed), before multiprocessing waits for its children.
        self._finalizer = multiprocessing.util.Finalize(self, _stop, args=(self.workers,),
                                                        exitpriority=10)
        self._fill()

    def _fill(self) -> None:
        """Start workers until there are ``n`` (at the start, and after an early exit)."""
        if self.context.get_start_method() == "forkserver":
            # Started here, outside _signals_held: the server must not inherit held signals.
            from multiprocessing import forkserver

            forkserver.ensure_running()
        try:
            with _signals_held():
                while len(self.workers) < self.n:
                    self.workers.append(_Worker(self.context, self.fn, self.packed))
        except BaseException:
            _stop(self.workers)
            raise

    def run(self, tasks: list[tuple]) -> Iterator[tuple[int, Any]]:
        """Yield ``(i, result of tasks[i])`` as each finishes; on an early exit, stop the
        workers still running a task of this call (their results would come to nobody)."""
        if len(self.workers) < self.n:
            self._fill()
        waiting = list(range(len(tasks)))[::-1]
        try:
            while True:
                self._hand_out(tasks, waiting)
                busy = [w for w in self.workers if w.task is not None]
                if not busy:
                    return
                ready = set(multiprocessing.connection.wait(
                    [w.results for w in busy] + [w.process.sentinel for w in self.workers]))
                done: list[tuple[int, Any]] = []
                failed = None
                for worker in self.workers:
                    if worker.results in ready or worker.process.sentinel in ready:
                        failed = _replies(worker, done) or failed
                if failed is None:  # workers busy again before the caller sees the results
                    self._hand_out(tasks, waiting)
                yield from done
                if failed is not None:
                    raise failed
        finally:
            running = [w for w in self.workers if w.task is not None]
            if running:
                self.workers[:] = [w for w in self.workers if w.task is None]
                _stop(running)

    def close(self) -> None:
        """Let idle workers finish (their task pipe ends); stop any that do not within 10 s."""
        for worker in self.workers:
            worker.tasks.close()
        deadline = time.monotonic() + 10
        for worker in self.workers:
            worker.process.join(timeout=max(0.0, deadline - time.monotonic()))
        self.stop()

    def stop(self) -> None:
        """Stop every worker now, whatever it is doing."""
        self._finalizer()

    def _hand_out(self, tasks: list[tuple], waiting: list[int]) -> None:
        """Give each idle worker the next task (``waiting`` holds positions, the next last)."""
        for worker in self.workers:
            if worker.task is None and waiting:
                worker.task = waiting.pop()
                try:
                    worker.tasks.send_bytes(encode((worker.task, tasks[worker.task])))
                except OSError:  # its end of the pipe is closed: the worker has gone
                    raise _lost() from None


def _replies(worker: _Worker, done: list[tuple[int, Any]]) -> BaseException | None:
    """Add the results the worker has sent whole to ``done``; return a task's error (with its
    traceback) or, for a worker that has gone, ClusterError."""
    messages, ended = worker.receive()
    for message in messages:
        position, ok, value = decode(message)
        worker.task = None
        if not ok:
            error, text = value
            error.__cause__ = _RemoteTraceback(text)
            return error
        done.append((position, value))
    if ended or not worker.process.is_alive():
        return _lost()
    return None


def _lost() -> ClusterError:
    return ClusterError("a worker process stopped during the run (killed, or out of memory)")


def _stop(workers: list[_Worker]) -> None:
    """Stop the workers now (not after their task) and close the parent's ends of their pipes."""
    for worker in workers:
        if worker.process.is_alive():
            worker.process.terminate()
    for worker in workers:
        worker.process.join(timeout=5)
        if worker.process.is_alive():  # signals still held while it started
            worker.process.kill()
            worker.process.join(timeout=5)
        worker.close()
        with contextlib.suppress(ValueError):  # a process still running after SIGKILL
            worker.process.close()
    workers.clear()


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


def _serve(fn: Callable[..., Any], packed: bytes, parent: int,
           tasks: multiprocessing.connection.Connection,
           results: multiprocessing.connection.Connection) -> None:
    """A worker: the shared data once, then each task it is handed, until its task pipe ends."""
    if hasattr(signal, "pthread_sigmask"):  # a spawned worker inherits the launcher's mask
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT, signal.SIGTERM})
    # Ctrl-C reaches the whole process group; the parent decides what stops, and stops us.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _exit_with(parent)
    shared, failed = None, None
    try:
        shared = unpack(packed)  # large arrays mapped from shared memory, not copied
    except BaseException as exc:  # noqa: BLE001 - the parent raises it at the first task
        failed = exc
    del packed
    while True:
        try:
            position, task = decode(tasks.recv_bytes())
        except (EOFError, OSError):  # the pool is closing
            return
        try:
            if failed is not None:
                raise failed
            reply = encode((position, True, fn(shared, *task)))
        except BaseException as exc:  # noqa: BLE001 - sent to the parent, raised there
            reply = _failure(position, exc)
        try:
            _send(results, reply)
        except OSError:  # the parent has gone, or stopped listening
            return


def _failure(position: int, exc: BaseException) -> bytes:
    text = "".join(traceback.format_exception(exc))
    try:
        return encode((position, False, (exc, text)))
    except Exception:  # noqa: BLE001 - an error that does not pickle: its type and message
        return encode((position, False, (RuntimeError(_first_line(exc)), text)))


def _send(results: multiprocessing.connection.Connection, message: bytes) -> None:
    if not _RAW:
        results.send_bytes(message)
        return
    view = memoryview(_HEADER.pack(len(message)) + message)
    while view:
        view = view[os.write(results.fileno(), view):]


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
