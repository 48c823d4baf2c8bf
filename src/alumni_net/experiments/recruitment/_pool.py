"""The candidate pool of one recruitment: who may be picked, their labels, the tie-break order."""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import networkx as nx
import numpy as np
import pandas as pd

from alumni_net.core.rng import SeedLike
from alumni_net.errors import ConfigError
from alumni_net.experiments.recruitment.quotas import QuotaPlan, Quotas

if TYPE_CHECKING:
    from alumni_net.io import Dataset

__all__ = ["Pool", "child_seed", "make_pool", "networkx_graph"]


def child_seed(ss: np.random.SeedSequence, i: int) -> np.random.SeedSequence:
    """Child ``i`` of ``ss`` built from its entropy and spawn key: the same whatever was spawned
    before (``ss.spawn`` would depend on that)."""
    return np.random.SeedSequence(ss.entropy, spawn_key=(*ss.spawn_key, i))


@dataclass
class Pool:
    """Candidates in a fixed order: ``ids[i]``, their quota cell, a seeded tie-break ``rank``."""

    ids: list
    plan: QuotaPlan
    rank: np.ndarray  # a random permutation: among equal scores the lower rank is picked first
    k: int

    @property
    def n(self) -> int:
        return len(self.ids)


def make_pool(people: pd.DataFrame, k: int, candidates: Iterable[Hashable] | None,
              quotas: Quotas | None, exclude: Iterable[Hashable], seed: SeedLike) -> Pool:
    """Resolve the pool (candidates minus ``exclude``; default everyone not yet an alum)."""
    if not isinstance(people, pd.DataFrame) or "person_id" not in people.columns:
        raise ConfigError("people must be a table with a 'person_id' column")
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < 0:
        raise ConfigError(f"the number of recruits must be a whole number >= 0, got {k!r}")
    if quotas is not None and not isinstance(quotas, Quotas):
        raise ConfigError(f"quotas must be a Quotas object, got {type(quotas).__name__}")
    ids = people["person_id"]
    index = pd.Index(ids)
    if candidates is None:
        alum = people["is_alum"].fillna(False).astype(bool) if "is_alum" in people.columns \
            else pd.Series(False, index=people.index)
        chosen = ids[~alum.to_numpy()].tolist()
    else:
        chosen = list(dict.fromkeys(candidates))
        found = index.get_indexer(pd.Index(chosen, dtype=object)) if chosen else np.zeros(0, int)
        if (found < 0).any():
            missing = chosen[int(np.flatnonzero(found < 0)[0])]
            raise ConfigError(f"candidate {missing!r} is not in the people table")
    excluded = set(exclude)
    chosen = [c for c in chosen if c not in excluded]
    rows = index.get_indexer(pd.Index(chosen, dtype=object)) if chosen else np.zeros(0, int)
    sector = _labels(people, "sector", rows, quotas, need=quotas is not None and (
        quotas.sector is not None or quotas.min_service_users > 0))
    region = _labels(people, "region", rows, quotas,
                     need=quotas is not None and quotas.region is not None)
    plan = QuotaPlan(quotas, sector, region, int(k))
    rank = np.random.default_rng(seed).permutation(len(chosen))
    return Pool(ids=chosen, plan=plan, rank=rank, k=int(k))


def _labels(people: pd.DataFrame, column: str, rows: np.ndarray, quotas, *, need: bool):
    if column not in people.columns:
        if need:
            raise ConfigError(f"{column} quotas need a '{column}' column in the people table")
        return np.full(len(rows), None, dtype=object)
    values = people[column].to_numpy(dtype=object)[rows]
    return np.array([None if pd.isna(x) else str(x) for x in values], dtype=object)


def networkx_graph(graph: nx.Graph | Dataset) -> nx.Graph:
    """A networkx graph of ``graph`` (a networkx graph as is, or a Dataset)."""
    if isinstance(graph, nx.Graph):
        return graph
    if hasattr(graph, "people") and hasattr(graph, "ties"):
        from alumni_net.graph import to_networkx

        return to_networkx(graph)
    raise ConfigError(f"graph must be a networkx graph or a Dataset, not {type(graph).__name__}")
