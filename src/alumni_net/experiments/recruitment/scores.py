"""Score-based strategies: each person gets one number, the best feasible are picked in order.

Scores are computed on the whole network (a person's position does not change as others are
picked); the quotas decide which of the best-scored candidates are allowed. Directed data:
degree counts the people one influences directly, in the direction of ``influence``.
"""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd

from alumni_net.errors import ConfigError
from alumni_net.experiments.recruitment._pool import Pool

__all__ = ["betweenness_scores", "bridging_scores", "degree_scores", "pick_by_score"]


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


def betweenness_scores(G: nx.Graph, ids: list, seed) -> np.ndarray:
    """Betweenness from :func:`alumni_net.metrics.centrality_table`: exact up to 5,000 people,
    else estimated from 500 seeded sample sources (Brandes & Pich 2007)."""
    from alumni_net.metrics import centrality_table

    _in_graph(G, ids)
    table = centrality_table(G, measures=["betweenness"], seed=seed)
    values = table.set_index("person_id")["betweenness"]
    return values.reindex(ids).fillna(0.0).to_numpy(dtype=float)


def bridging_scores(G: nx.Graph, ids: list, people=None) -> np.ndarray:
    """Other sectors plus other regions reached by one's ties (from
    :func:`alumni_net.metrics.bridging_table`); among equals, more crossing ties first.

    Sector and region come from ``people`` when it has the column, else from the graph's node
    attributes. The crossing ties of a person are ``cross_<attr>_share x contacts`` summed over
    sector and region; they enter as a fraction below 1 so that they only break ties.
    """
    from alumni_net.graph import as_igraph
    from alumni_net.metrics import bridging_table

    _in_graph(G, ids)
    order = as_igraph(G).ids
    extra, attributes = {}, []
    for column in ("sector", "region"):
        if people is not None and column in people.columns:
            labels = people.set_index("person_id")[column].reindex(order)
            extra[column] = [None if pd.isna(x) else str(x) for x in labels]
        else:
            attributes.append(column)
    table = bridging_table(G, attributes=attributes, extra=extra).set_index("person_id")
    present = [a for a in ("sector", "region") if f"cross_{a}_share" in table.columns]
    if not present:
        raise ConfigError("the bridging strategy needs 'sector' or 'region' on the people")
    groups = sum(table[f"n_other_{a}s"].fillna(0.0) for a in present)
    degree = contacts(G, table.index)
    crossing = sum(table[f"cross_{a}_share"].fillna(0.0) * degree for a in present)
    score = groups + crossing / (1.0 + float(crossing.max()))
    return score.reindex(ids).fillna(0.0).to_numpy(dtype=float)


def contacts(G: nx.Graph, index) -> pd.Series:
    """Distinct contacts (ties either way) of each person in ``index``."""
    U = G.to_undirected(as_view=True) if G.is_directed() else G
    return pd.Series([len(set(U[p]) - {p}) for p in index], index=index, dtype=float)
