"""Simulating adoption curves for many parameter draws, in this process or across workers.

Each draw is run with its own child seed, so a draw's curves depend only on its parameters and its
seed: results are identical whether the draws run here, on a local pool of ``workers`` processes or
on a Dask cluster. The pool (the package's executor context: forkserver with the model preloaded,
see :mod:`alumni_net.experiments._executors`) lives as long as the :class:`Simulator`, so a
calibration of many generations pays the start-up of its workers once; the network is shipped to
each worker once.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from alumni_net.abm import ContagionModel, ContagionNetwork, ContagionParams
from alumni_net.abm.results import VIA  # the route names, in the order of the engine's codes
from alumni_net.errors import AlumniNetError
from alumni_net.experiments._executors import _dask_client, _pool_context
from alumni_net.experiments.calibration.observed import ObservedAdoption
from alumni_net.experiments.calibration.priors import Background

__all__ = ["CurveTask", "Simulator", "simulate_summary"]

#: The route of adoption through contagion (a practising contact passed the practice on).
_SPREAD = VIA.index("spread")

# Set in each pool worker by the initializer: what every draw shares.
_WORKER_TASK: CurveTask | None = None


@dataclass(frozen=True, eq=False)
class CurveTask:
    """What every simulation of one calibration shares: network, fixed parameters, observation."""

    network: ContagionNetwork
    base: ContagionParams
    observed: ObservedAdoption
    programme: bool
    names: tuple[str, ...]  # the fitted fields, in the order of a draw's values
    background: Background = Background()  # which of the names are background rates

    def params(self, values: Sequence[float]) -> ContagionParams:
        """The model's parameters for one draw (``values`` in the order of :attr:`names`)."""
        given = dict(zip(self.names, map(float, values), strict=True))
        rates = {n: given.pop(n) for n in self.background.names if n in given}
        return dataclasses.replace(self.base, **given, **self.background.fields(rates))

    @cached_property
    def order(self) -> np.ndarray:
        """The network position of each observed person (both follow the data, but say so)."""
        order = pd.Index(self.network.ids).get_indexer(self.observed.ids)
        if (order < 0).any():
            raise AlumniNetError("the network and the observed adoption times list different "
                                 "people")
        return order


def simulate_summary(task: CurveTask, values: Sequence[float],
                    seed: np.random.SeedSequence) -> np.ndarray:
    """One run of the model with the fitted fields set to ``values``: its summary, then the share
    of its adoptions that came through contagion.

    Returns :meth:`ObservedAdoption.summarise` of the simulated adoption periods (first
    adoptions only: a person who lapses and takes the practice up again counts once, at their
    first adoption, as an observed adoption time does), followed by one more value: the share
    of the first adoptions in periods 1..K that came by the route ``spread`` (0 when nobody
    adopted).
    """
    net, obs = task.network, task.observed
    model = ContagionModel(net, task.params(values), programme=task.programme, rng=seed,
                           initial_adopters=obs.seeds)
    model.run()
    _forget_parameter_caches(net)
    first = np.full(net.n, -1, dtype=np.int64)
    route = np.full(net.n, -1, dtype=np.int64)
    for month, people, via, _dist in reversed(model.adoption_log):
        first[people] = month  # reversed: the earliest month is written last
        route[people] = via
    period = obs.period_of_months(first[task.order])
    adopted = period >= 1
    spread = float((route[task.order][adopted] == _SPREAD).mean()) if adopted.any() else 0.0
    return np.append(obs.summarise(period), spread)


def _forget_parameter_caches(net: ContagionNetwork) -> None:
    # The fast engine caches per-person arrays on the network keyed by the whole parameter set;
    # every draw of a calibration has its own, never reused, so they would pile up in memory.
    for key in [k for k in net.memo if any(isinstance(x, ContagionParams) for x in k)]:
        del net.memo[key]


def _init_worker(task: CurveTask) -> None:
    global _WORKER_TASK
    _WORKER_TASK = task


def _run_chunk(items: list[tuple[tuple[float, ...], np.random.SeedSequence]]) -> np.ndarray:
    return _run_items(_WORKER_TASK, items)


def _run_items(task: CurveTask, items) -> np.ndarray:
    return np.stack([simulate_summary(task, values, seed) for values, seed in items])


class Simulator:
    """Runs draws in this process (``workers=1``), on a local pool, or on a Dask cluster.

    Use as a context manager so that the pool or the Dask client is closed.
    """

    def __init__(self, task: CurveTask, *, workers: int = 1, dask_address: str | None = None):
        self.task, self.workers, self.dask_address = task, max(1, int(workers)), dask_address
        self._pool: ProcessPoolExecutor | None = None
        self._client: Any = None
        self._state: Any = None

    def __enter__(self) -> Simulator:
        if self.dask_address is not None:
            self._client = _dask_client(self.dask_address)
            [self._state] = self._client.scatter([self.task], broadcast=True, hash=False)
        elif self.workers > 1:
            self._pool = ProcessPoolExecutor(max_workers=self.workers, mp_context=_pool_context(),
                                             initializer=_init_worker, initargs=(self.task,))
        return self

    def __exit__(self, *exc) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
        if self._client is not None:
            self._client.close()

    def run(self, values: np.ndarray, seeds: Sequence[np.random.SeedSequence], *,
            done: Callable[[int], Any] | None = None) -> np.ndarray:
        """Summary of each draw: ``values[i]`` (natural scale) with ``seeds[i]``; stacked in order.

        ``done(k)`` is called as each batch of ``k`` draws finishes (for a progress bar).
        """
        done = done or (lambda k: None)
        items = [(tuple(map(float, v)), s) for v, s in zip(values, seeds, strict=True)]
        if not items:
            return np.zeros((0, len(self.task.observed.summary()) + 1))
        parallel = self._pool is not None or self._client is not None
        size = 25 if not parallel else max(
            1, min(50, math.ceil(len(items) / (4 * (self.workers if self._pool else 8)))))
        chunks = [items[i:i + size] for i in range(0, len(items), size)]
        if not parallel:
            results = (_run_items(self.task, c) for c in chunks)
        elif self._pool is not None:
            results = self._pool.map(_run_chunk, chunks)  # yields in submission order
        else:
            futures = [self._client.submit(_run_items, self._state, c, pure=False) for c in chunks]
            results = (f.result() for f in futures)
        out = []
        for chunk, curves in zip(chunks, results, strict=True):
            out.append(curves)
            done(len(chunk))
        return np.concatenate(out)
