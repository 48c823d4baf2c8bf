"""Simulating adoption curves for many parameter draws, in this process or across workers.

Each draw is run with its own child seed, so a draw's curves depend only on its parameters and its
seed: results are identical whether the draws run here, on a local pool of ``workers`` processes or
on a Dask cluster. The package's one executor (:class:`~alumni_net.experiments.executor.Executor`)
lives as long as the :class:`Simulator`, so a calibration of many generations pays the start-up
of its workers once; the network is shipped to each worker once, and batches of draws come back
in completion order and are put back in order by position.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from alumni_net.abm import ContagionModel, ContagionNetwork, ContagionParams
from alumni_net.abm.results import VIA  # the route names, in the order of the engine's codes
from alumni_net.errors import AlumniNetError
from alumni_net.experiments.calibration.observed import ObservedAdoption
from alumni_net.experiments.calibration.priors import Background
from alumni_net.experiments.executor import Executor

__all__ = ["CurveTask", "Simulator", "simulate_summary"]

#: The route of adoption through contagion (a practising contact passed the practice on).
_SPREAD = VIA.index("spread")


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
        # Field name -> value, the names known only at run time (the fitted ones, of several
        # types with the background's); ContagionParams checks them all on creation.
        changes: dict[str, Any] = {**given, **self.background.fields(rates)}
        return dataclasses.replace(self.base, **changes)

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
    model.release()  # its arrays now, not at the next cycle collection
    period = obs.period_of_months(first[task.order])
    adopted = period >= 1
    spread = float((route[task.order][adopted] == _SPREAD).mean()) if adopted.any() else 0.0
    return np.append(obs.summarise(period), spread)


def _forget_parameter_caches(net: ContagionNetwork) -> None:
    # The fast engine caches per-person arrays on the network keyed by the whole parameter set;
    # every draw of a calibration has its own, never reused, so they would pile up in memory.
    for key in [k for k in net.memo if any(isinstance(x, ContagionParams) for x in k)]:
        del net.memo[key]


def _run_items(task: CurveTask, items) -> np.ndarray:
    """Summaries of a batch of draws (an executor task: ``task`` is what every draw shares)."""
    return np.stack([simulate_summary(task, values, seed) for values, seed in items])


class Simulator:
    """Runs draws in this process (``workers=1``), on a local pool, or on a Dask cluster.

    Use as a context manager so that the pool or the Dask client is closed (and its workers
    stopped at once if the calibration fails or is interrupted).
    """

    def __init__(self, task: CurveTask, *, workers: int = 1,
                 dask_address: str | None = None) -> None:
        self.task, self.workers, self.dask_address = task, max(1, int(workers)), dask_address
        self._executor = Executor(_run_items, task, workers=self.workers,
                                  dask_address=dask_address)

    def __enter__(self) -> Simulator:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        self._executor.__exit__(exc_type, exc, tb)

    def run(self, values: np.ndarray, seeds: Sequence[np.random.SeedSequence], *,
            done: Callable[[int], Any] | None = None) -> np.ndarray:
        """Summary of each draw: ``values[i]`` (natural scale) with ``seeds[i]``; stacked in order.

        ``done(k)`` is called as each batch of ``k`` draws finishes (for a progress bar).
        """
        done = done or (lambda k: None)
        items = [(tuple(map(float, v)), s) for v, s in zip(values, seeds, strict=True)]
        if not items:
            return np.zeros((0, len(self.task.observed.summary()) + 1))
        parallel = self._executor.parallel
        workers = self.workers if self.dask_address is None else 8
        size = 25 if not parallel else max(1, min(50, math.ceil(len(items) / (4 * workers))))
        chunks = [items[i:i + size] for i in range(0, len(items), size)]
        out: dict[int, np.ndarray] = {}
        for position, curves in self._executor.map_unordered([(c,) for c in chunks]):
            out[position] = curves  # by position: the order of completion never matters
            done(len(chunks[position]))
        return np.concatenate([out[position] for position in range(len(chunks))])
