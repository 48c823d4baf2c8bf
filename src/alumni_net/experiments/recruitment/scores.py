"""Score-based strategies: each person gets one number, the best feasible are picked in order.

Scores are computed on the whole network (a person's position does not change as others are
picked); the quotas decide which of the best-scored candidates are allowed. Directed data:
degree counts the people one influences directly, in the direction of ``influence``.
"""

from __future__ import annotations

import networkx as nx
import numpy as np

from alumni_net.errors import ConfigError
from alumni_net.experiments.recruitment._pool import Pool

__all__ = ["degree_scores", "pick_by_score"]


def pick_by_score(pool: Pool, score: np.ndarray) -> list[int]:
    """Pool positions of the ``k`` best scores allowed by the quotas (ties: seeded rank)."""
    order = np.lexsort((pool.rank, -np.asarray(score, dtype=float)))
    picks: list[int] = []
    for i in order:
        if len(picks) == pool.k:
            break
        if pool.plan.allows(int(i)):
            pool.plan.pick(int(i))
            picks.append(int(i))
    return picks


def _in_graph(G: nx.Graph, ids: list) -> None:
    for pid in ids:
        if pid not in G:
            raise ConfigError(f"candidate {pid!r} is not a node of the network")


def degree_scores(G: nx.Graph, ids: list, influence: str) -> np.ndarray:
    """Number of distinct people each candidate influences directly."""
    _in_graph(G, ids)
    if not G.is_directed():
        return np.array([G.degree(p) for p in ids], dtype=float)
    if influence == "target_to_source":  # the people who named them
        return np.array([len(set(G.predecessors(p)) - {p}) for p in ids], dtype=float)
    if influence == "source_to_target":
        return np.array([len(set(G.successors(p)) - {p}) for p in ids], dtype=float)
    return np.array([len((set(G.predecessors(p)) | set(G.successors(p))) - {p}) for p in ids],
                    dtype=float)
