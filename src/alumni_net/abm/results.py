"""One replicate's results as plain pandas tables and a dict of scalars (picklable)."""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from numba import njit

from alumni_net.abm.model import ContagionModel
from alumni_net.abm.network import NetworkSource
from alumni_net.abm.params import ContagionParams
from alumni_net.abm.rules import VIA
from alumni_net.core.rng import SeedLike

# VIA is re-exported: callers (calibration's simulator) import it from here.
__all__ = ["DEGREE_KEYS", "VIA", "ReplicateResult", "simulate_once"]

#: Summary keys of non-alum adopters by distance to the nearest practising alum when they first
#: adopted; "none" counts those no practising alum could reach (or none practised).
DEGREE_KEYS = {1: "adopters_by_degree_1", 2: "adopters_by_degree_2", 3: "adopters_by_degree_3",
               4: "adopters_by_degree_4plus", -1: "adopters_by_degree_none"}
_TIMESERIES = ["month", "unaware", "practising", "lapsed", "new_adopters"]
_VIA_DTYPE = pd.CategoricalDtype(list(VIA))


class ReplicateResult:
    """Results of one model run.

    Attributes
    ----------
    timeseries : DataFrame
        One row per month 0..horizon: ``month, unaware, practising, lapsed, new_adopters``
        (month 0 is the initial state, its new adopters are seeds and early graduates).
    by_group : DataFrame
        Long form ``month, group_type, group, practising`` for sector, region and cohort
        (only the group types present in the data).
    adoptions : DataFrame
        One row per adoption event: ``person_id, month, via`` (seed, course, reengaged, spread,
        background), ``is_alum``, ``distance`` (to the nearest practising alum at the start of
        that month along active ties: 0 for alumni, 1, 2, 3, 4 meaning 4+, -1 unreachable or
        no alum practising). A person who lapses and re-adopts appears again. With
        ``record_infectors``, also ``infector_id``: for an adoption by spread the id of the
        person whose transmission caused it (the one with the lowest index when several did
        in that month), missing for the other routes; the infection happened in ``month``.
    summary : dict
        Scalars; see :func:`summarise`.
    first_distances : ndarray or None
        The ``distance`` of each person's first adoption (one entry per person who ever
        adopted), when known without the table (:meth:`from_model`).
    """

    def __init__(self, timeseries: pd.DataFrame, by_group: pd.DataFrame,
                 adoptions: pd.DataFrame | _AdoptionLog,
                 summary: dict[str, Any] | None = None, *,
                 first_distances: np.ndarray | None = None) -> None:
        self.timeseries = timeseries
        self.by_group = by_group
        self._adoptions = adoptions
        self.summary: dict[str, Any] = {} if summary is None else summary
        self.first_distances = first_distances

    @property
    def adoptions(self) -> pd.DataFrame:
        # Made on first use: a national replicate adopts millions of times, and the runner only
        # needs counts by degree (``first_distances``), not a table of person ids.
        if isinstance(self._adoptions, _AdoptionLog):
            self._adoptions = self._adoptions.frame()
        return self._adoptions

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state["_adoptions"] = self.adoptions  # never the network the log points into
        return state

    def __repr__(self) -> str:
        return (f"ReplicateResult(months={len(self.timeseries)}, "
                f"ever_adopted={self.summary.get('ever_adopted')})")

    @classmethod
    def from_model(cls, model: ContagionModel, *,
                   record_infectors: bool = False) -> ReplicateResult:
        """Collect the tables of a model that has been run (with ``record_infectors``, who
        infected whom in ``adoptions``)."""
        # Straight from the DataCollector's lists and the adoption log's arrays: a DataFrame
        # of everything first would cost more than the model run on small networks.
        collected = model.datacollector.model_vars
        block = np.array([collected[c] for c in _TIMESERIES], dtype=np.int64).T
        columns = dict(zip(_TIMESERIES, block.T, strict=True))
        by_group = _by_group(columns["month"], collected, model)
        idx, months, via, dist = _log_arrays(model)
        first = _first_adoptions(idx, model.network.n)
        summary = _summary(model, columns, idx, via, dist, first)
        # one block of int64 columns: no per-column checks (they cost more than small runs)
        timeseries = pd.DataFrame(block, columns=_TIMESERIES, copy=False)
        net = model.network
        log = _AdoptionLog(net.ids, net.is_alum, idx, months, via, dist)
        adoptions: pd.DataFrame | _AdoptionLog = log
        if record_infectors:
            adoptions = log.frame()
            adoptions["infector_id"] = _infector_ids(model)
        return cls(timeseries, by_group, adoptions, summary, first_distances=dist[first])


@dataclass(frozen=True)
class _AdoptionLog:
    """What the adoptions table is made from (the network's ids and the engine's log)."""

    ids: np.ndarray
    is_alum: np.ndarray
    idx: np.ndarray
    months: np.ndarray
    via: np.ndarray
    dist: np.ndarray

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame({
            "person_id": self.ids[self.idx], "month": self.months,
            "via": pd.Categorical.from_codes(self.via, dtype=_VIA_DTYPE, validate=False),
            "is_alum": self.is_alum[self.idx], "distance": self.dist,
        })


@njit(cache=True)
def _first_adoptions(idx: np.ndarray, n: int) -> np.ndarray:
    """Whether each entry of the (month-ordered) log is that person's first adoption: one
    pass, where sorting the log to find them cost more than some national months."""
    seen = np.zeros(n, dtype=np.bool_)
    out = np.empty(idx.shape[0], dtype=np.bool_)
    for q in range(idx.shape[0]):
        i = idx[q]
        out[q] = not seen[i]
        seen[i] = True
    return out


def simulate_once(data: NetworkSource, params: ContagionParams | None = None, *,
                  seed: SeedLike, engine: str = "fast", programme: bool = True,
                  initial_adopters: Iterable[Hashable] = (),
                  until_quiet: bool = False, record_infectors: bool = False) -> ReplicateResult:
    """Build a :class:`ContagionModel`, run it to the horizon and return its results.

    Parameters are those of :class:`ContagionModel`; ``until_quiet`` stops once nothing can
    change (the time series then ends at that month); ``record_infectors`` adds who infected
    whom to the adoptions (column ``infector_id``).

    Examples
    --------
    >>> import networkx as nx
    >>> params = ContagionParams(horizon_months=2, beta=1.0, decay=0.0, alpha=0.0)
    >>> res = simulate_once(nx.path_graph(3), params, seed=0, initial_adopters=[0])
    >>> res.timeseries["practising"].tolist(), res.summary["ever_adopted"]
    ([1, 2, 3], 3)
    >>> res.adoptions["via"].tolist()
    ['seed', 'spread', 'spread']
    >>> simulate_once(nx.path_graph(3), params, seed=0, initial_adopters=[0],
    ...               record_infectors=True).adoptions["infector_id"].tolist()
    [None, 0, 1]
    """
    model = ContagionModel(data, params, engine=engine, programme=programme, rng=seed,
                           initial_adopters=initial_adopters)
    model.run(until_quiet=until_quiet)
    result = ReplicateResult.from_model(model, record_infectors=record_infectors)
    model.release()  # now, not when the cycle collector gets to it (see ContagionModel.release)
    return result


def summarise(model: ContagionModel, timeseries: pd.DataFrame,
              adoptions: pd.DataFrame) -> dict[str, Any]:
    """Scalars of one run: sizes, adopters (unique people), person-months, degrees, routes."""
    idx = model.network.id_index.get_indexer(adoptions["person_id"]).astype(np.int64)
    via = adoptions["via"].cat.codes.to_numpy(np.int8)
    columns = {c: timeseries[c].to_numpy() for c in ("unaware", "practising", "lapsed")}
    return _summary(model, columns, idx, via, adoptions["distance"].to_numpy(),
                    _first_adoptions(idx, model.network.n))


def _summary(model: ContagionModel, columns: dict[str, np.ndarray], idx: np.ndarray,
             via: np.ndarray, dist: np.ndarray, first: np.ndarray) -> dict[str, Any]:
    """``first`` marks each person's first adoption in the log."""
    net = model.network
    first_alum = net.is_alum[idx[first]]
    non_alum_dist = dist[first][~first_alum]
    out: dict[str, Any] = {
        "engine": model.engine.name, "programme": model.programme,
        "months": int(model.month), "n_people": int(net.n), "n_alumni": int(net.is_alum.sum()),
        "ever_adopted": len(first_alum), "ever_adopted_non_alumni": int((~first_alum).sum()),
        "ever_adopted_alumni": int(first_alum.sum()),
        "practising_end": int(columns["practising"][-1]),
        "lapsed_end": int(columns["lapsed"][-1]),
        "unaware_end": int(columns["unaware"][-1]),
        "practising_person_months": int(columns["practising"][1:].sum()),
    }
    for d, key in DEGREE_KEYS.items():
        out[key] = int((non_alum_dist == d).sum())
    routes = np.bincount(via.astype(np.int64), minlength=len(VIA))
    for code, name in enumerate(VIA):
        out[f"adoptions_{name}"] = int(routes[code])
    return out


def _log_arrays(model: ContagionModel) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The adoption log as flat arrays: person index, month, via code, distance."""
    idx, months, via, dist = model.adoption_arrays()
    return idx, months, via, dist.astype(np.int64)


def _infector_ids(model: ContagionModel) -> np.ndarray:
    """The infector's id of each adoption (None for routes other than spread)."""
    infectors = model.adoption_infectors()
    out = np.full(len(infectors), None, dtype=object)
    known = infectors >= 0
    out[known] = model.network.ids[infectors[known]]
    return out


def _by_group(months: np.ndarray, collected: dict, model: ContagionModel) -> pd.DataFrame:
    group_types, groups = _group_labels(model.network, model.group_keys)
    k = len(groups)
    counts = np.array(collected["practising_by_group"], dtype=np.int64).reshape(len(months), k)
    order = np.tile(np.arange(k), len(months))
    return pd.DataFrame({
        "month": np.repeat(months, k), "group_type": group_types.take(order),
        "group": groups.take(order), "practising": counts.ravel(),
    })


def _group_labels(net, keys: list[tuple[str, str]]):
    """The (group_type, group) labels as string arrays, made once per network: converting
    Python strings for every replicate costs more than a small run."""
    if "group_labels" not in net.memo:
        net.memo["group_labels"] = tuple(
            pd.array(np.array([key[i] for key in keys], dtype=object), dtype="str")
            for i in (0, 1))
    return net.memo["group_labels"]
