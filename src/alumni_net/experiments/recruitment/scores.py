"""Picking by score: each person gets one number, the best the quotas allow are picked in order.

Scores are computed on the whole network (a person's position does not change as others are
picked); the quotas decide which of the best-scored candidates are allowed. The score-based
strategies (``random``, ``degree``, ``betweenness``, ``bridging``) are one module each.
"""

from __future__ import annotations

import networkx as nx
import numpy as np

from alumni_net.errors import ConfigError
from alumni_net.experiments.recruitment._pool import Pool

__all__ = ["check_in_graph", "pick_by_score"]


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


def check_in_graph(G: nx.Graph, ids: list) -> None:
    """ConfigError naming the first candidate who is not a node of ``G``."""
    for pid in ids:
        if pid not in G:
            raise ConfigError(f"candidate {pid!r} is not a node of the network")
