"""``degree``: the most connected, the people who influence most others directly.

On directed data a person's degree counts the distinct people they influence directly, in the
direction influence travels (see :mod:`alumni_net.vocabulary`).
"""

from __future__ import annotations

import networkx as nx
import numpy as np

from alumni_net.experiments.recruitment._pool import Pool
from alumni_net.experiments.recruitment.registry import Exhaustion, Request, Strategy
from alumni_net.experiments.recruitment.scores import check_in_graph, pick_by_score

__all__ = ["NO_TIES", "STRATEGY", "degree_scores"]


def degree_scores(G: nx.Graph, ids: list, influence: str) -> np.ndarray:
    """Number of distinct people each candidate influences directly."""
    check_in_graph(G, ids)
    if not G.is_directed():
        return np.array([G.degree(p) for p in ids], dtype=float)
    if influence == "target_to_source":  # the people who named them
        return np.array([len(set(G.predecessors(p)) - {p}) for p in ids], dtype=float)
    if influence == "source_to_target":
        return np.array([len(set(G.successors(p)) - {p}) for p in ids], dtype=float)
    return np.array([len((set(G.predecessors(p)) | set(G.successors(p))) - {p}) for p in ids],
                    dtype=float)


def _pick(pool: Pool, request: Request) -> list[int]:
    return pick_by_score(pool, degree_scores(request.network(), pool.ids, request.influence))


def _no_ties(picks: list, request: Request) -> np.ndarray:
    # Once the connected are gone, the strategy fills places with people who influence no one.
    return degree_scores(request.network(), picks, request.influence) == 0


#: Picks that add nothing to a strategy of connected people: those without ties.
NO_TIES = Exhaustion("have no ties", _no_ties)

STRATEGY = Strategy(name="degree", description="the most connected people", pick=_pick, rank=10,
                    exhaustion=NO_TIES)
