"""``bridging``: people whose ties reach the most other sectors and regions.

Scores come from :func:`alumni_net.metrics.bridging_table`: other sectors plus other regions
reached by one's ties; among equals, more crossing ties first.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence

import networkx as nx
import numpy as np
import pandas as pd

from alumni_net.errors import ConfigError
from alumni_net.experiments.recruitment._pool import Pool
from alumni_net.experiments.recruitment.registry import Exhaustion, Request, Strategy
from alumni_net.experiments.recruitment.scores import check_in_graph, pick_by_score

__all__ = ["STRATEGY", "bridging_scores", "contacts"]


def bridging_scores(G: nx.Graph, ids: list, people: pd.DataFrame | None = None) -> np.ndarray:
    """Other sectors plus other regions reached by each candidate's ties, plus a fraction below
    1 for their crossing ties (so that those only break ties).

    Sector and region come from ``people`` when it has the column, else from the graph's node
    attributes. The crossing ties of a person are ``cross_<attr>_share x contacts`` summed over
    sector and region.
    """
    from alumni_net.graph import as_igraph
    from alumni_net.metrics import bridging_table

    check_in_graph(G, ids)
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


def contacts(G: nx.Graph, index: Sequence[Hashable] | pd.Index) -> pd.Series:
    """Distinct contacts (ties either way) of each person in ``index``."""
    U = G.to_undirected(as_view=True) if G.is_directed() else G
    return pd.Series([len(set(U[p]) - {p}) for p in index], index=index, dtype=float)


def _pick(pool: Pool, request: Request) -> list[int]:
    return pick_by_score(pool, bridging_scores(request.network(), pool.ids, request.people))


def _no_crossing_tie(picks: list, request: Request) -> np.ndarray:
    """Picks without a tie (either way) to someone of another sector or region."""
    G = request.network()
    people = request.people
    labels = {c: dict(zip(people["person_id"], people[c], strict=True))
              for c in ("sector", "region") if c in people.columns}
    out = []
    for p in picks:
        near = (set(G.predecessors(p)) | set(G.successors(p)) if G.is_directed()
                else set(G[p])) - {p}
        crosses = False
        for of in labels.values():
            own = of.get(p)
            if pd.notna(own) and any(pd.notna(x) and x != own for x in map(of.get, near)):
                crosses = True
                break
        out.append(not crosses)
    return np.array(out, dtype=bool)


STRATEGY = Strategy(name="bridging",
                    description="bridging people (ties across sectors and regions)", pick=_pick,
                    rank=30, columns=(("sector", "region"),),
                    exhaustion=Exhaustion("have no tie to another sector or region",
                                          _no_crossing_tie))
