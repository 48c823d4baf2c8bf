"""One replicate: the model with and without the programme from one child seed, as tidy tables.

Shared by the runner (:mod:`.runner`) and the scenario sweep: :func:`replicate_task` is what the
:class:`~alumni_net.experiments.executor.Executor` runs for each replicate (on one of the run's
datasets: a workforce folder's K networks share one executor).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from alumni_net.experiments.multiplier import ARMS, adopters_by_degree, count_by_degree

__all__ = ["TABLES", "RunSpec", "replicate_tables", "replicate_task", "run_replicate"]

#: Tables of one replicate, in the order they are written (summary last: it marks completion).
#: Per-person adoption records are reduced to counts by degree in the worker: no person id ever
#: reaches the replicate store, and far less has to travel back from the workers.
TABLES = ("timeseries", "by_group", "by_degree", "summary")


@dataclass(frozen=True)
class RunSpec:
    """What every replicate of a run shares besides the data: parameters, engine, arms.

    With ``draws`` (parameter sets, e.g. draws of a calibrated posterior), replicate ``i`` runs
    ``draws[i % len(draws)]`` instead of ``params``; ``initial_adopters`` (person ids) practise
    from month 0 in both arms (e.g. the adopters already observed).
    """

    params: Any
    engine: str = "fast"
    counterfactual: bool = True
    draws: tuple = ()
    initial_adopters: tuple = ()

    @property
    def arms(self) -> tuple[str, ...]:
        return ARMS if self.counterfactual else ARMS[:1]

    def params_for(self, index: int) -> Any:
        """The parameters of replicate ``index``."""
        return self.draws[index % len(self.draws)] if self.draws else self.params


def run_replicate(data: Any, spec: RunSpec, index: int, seed: np.random.SeedSequence) -> dict:
    """Run replicate ``index`` in every arm from the same child ``seed`` (common random numbers)."""
    from alumni_net.abm import simulate_once  # imported here: workers import the model lazily

    results = {}
    # The arm without the programme first: the ties there at its start are some of those there
    # with the programme, whose first run then joins its components instead of finding them
    # (``abm._plans.components``). Each arm's draws are keyed, so the order changes nothing.
    for arm in sorted(spec.arms, key=lambda a: a == "programme"):
        # A fresh copy of the child seed per arm: if the model spawns from the seed it is handed,
        # both arms must still start from exactly the same random streams.
        arm_seed = np.random.SeedSequence(seed.entropy, spawn_key=seed.spawn_key)
        results[arm] = simulate_once(
            data, spec.params_for(index), seed=arm_seed, engine=spec.engine,
            programme=arm == "programme", initial_adopters=spec.initial_adopters,
        )
    return replicate_tables(index, {arm: results[arm] for arm in spec.arms})


def replicate_task(shared: tuple[tuple, RunSpec], dataset: int, index: int,
                   seed: np.random.SeedSequence) -> dict:
    """:func:`run_replicate` as an executor task: ``shared`` is the run's ``(datasets, spec)``
    (one dataset, or the networks of a workforce folder), ``dataset`` the position of the one
    this replicate runs on."""
    datasets, spec = shared
    return run_replicate(datasets[dataset], spec, index, seed)


def replicate_tables(index: int, results: dict[str, Any]) -> dict[str, pd.DataFrame]:
    """Tidy tables of one replicate from its per-arm results (``ReplicateResult``-like objects).

    Each table gets leading ``replicate`` and ``arm`` columns so replicates concatenate.
    """
    parts: dict[str, list[pd.DataFrame]] = {name: [] for name in TABLES}
    for arm, res in results.items():
        parts["timeseries"].append(_tag(res.timeseries, index, arm))
        parts["by_group"].append(_tag(res.by_group, index, arm))
        first = getattr(res, "first_distances", None)  # known without the adoptions table
        by_degree = (adopters_by_degree(res.adoptions) if first is None
                     else count_by_degree(first))
        parts["by_degree"].append(_tag(by_degree, index, arm))
        parts["summary"].append(_tag(pd.DataFrame([_flat(res.summary)]), index, arm))
    return {name: pd.concat(frames, ignore_index=True) for name, frames in parts.items()}


def _tag(frame: pd.DataFrame, index: int, arm: str) -> pd.DataFrame:
    tagged = frame.reset_index(drop=True)
    tagged.insert(0, "arm", pd.Series([arm] * len(tagged), dtype="str"))
    tagged.insert(0, "replicate", np.full(len(tagged), index, dtype=np.int64))
    return tagged


def _flat(summary: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """Flatten nested summary values (dicts, sequences) to scalar columns ``key_subkey``."""
    out: dict[str, Any] = {}
    for key, value in summary.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(_flat(value, f"{name}_"))
        elif isinstance(value, (list, tuple, np.ndarray)):
            out.update({f"{name}_{i}": v for i, v in enumerate(value)})
        else:
            out[name] = value.item() if isinstance(value, np.generic) else value
    return out
