"""``betweenness``: the people who sit between others, on the shortest paths between them.

Exact up to 5,000 people, else estimated from 500 seeded sample sources (Brandes & Pich 2007),
through :func:`alumni_net.metrics.centrality_table`.

References
----------
Brandes, U. (2001). A faster algorithm for betweenness centrality. Journal of Mathematical Sociology
25(2), 163-177. https://doi.org/10.1080/0022250X.2001.9990249

Brandes, U., & Pich, C. (2007). Centrality estimation in large networks. International Journal of
Bifurcation and Chaos 17(7), 2303-2318. https://doi.org/10.1142/S0218127407018403
"""

from __future__ import annotations

import networkx as nx
import numpy as np

from alumni_net.core.rng import SeedLike
from alumni_net.experiments.recruitment._pool import Pool
from alumni_net.experiments.recruitment.degree import NO_TIES
from alumni_net.experiments.recruitment.registry import Request, Strategy
from alumni_net.experiments.recruitment.scores import check_in_graph, pick_by_score

__all__ = ["STRATEGY", "betweenness_scores"]


def betweenness_scores(G: nx.Graph, ids: list, seed: SeedLike) -> np.ndarray:
    """Betweenness of each candidate (0 for people the table does not list)."""
    from alumni_net.metrics import centrality_table

    check_in_graph(G, ids)
    table = centrality_table(G, measures=["betweenness"], seed=seed)
    values = table.set_index("person_id")["betweenness"]
    return values.reindex(ids).fillna(0.0).to_numpy(dtype=float)


def _pick(pool: Pool, request: Request) -> list[int]:
    return pick_by_score(pool, betweenness_scores(request.network(), pool.ids, request.child(1)))


STRATEGY = Strategy(name="betweenness",
                    description="the people who sit between others (betweenness)", pick=_pick,
                    rank=20, exhaustion=NO_TIES)
