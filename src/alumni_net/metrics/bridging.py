"""Bridging: how far people's ties cross sector, region or community lines; E-I index per group.

Ties either way count once (an undirected tie). Ties to people whose group is unknown are left
out. A person with no tie to anyone of known group has share 0 (no observed crossing); a person
whose own group is unknown has NaN shares.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from numba import njit

from alumni_net.graph import cached_rows, edge_arrays
from alumni_net.metrics._graphs import (
    GraphLike,
    as_igraph,
    traversal_csr,
    undirected_weighted,
)

__all__ = ["bridging_table", "ei_index"]


def bridging_table(
    G: GraphLike,
    *,
    attributes: Sequence[str] = ("sector", "region"),
    extra: Mapping[str, Sequence] | None = None,
) -> pd.DataFrame:
    """Per person and grouping: share of ties that cross groups and number of other groups reached.

    Columns ``cross_<attr>_share`` and ``n_other_<attr>s`` for each attribute present on the
    nodes, plus each ``extra`` grouping (name -> labels in node order, e.g. communities).

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.path_graph(3)
    >>> nx.set_node_attributes(G, {0: "health", 1: "health", 2: "social_care"}, "sector")
    >>> bridging_table(G)[["cross_sector_share", "n_other_sectors"]].to_numpy().tolist()
    [[0.0, 0.0], [0.5, 1.0], [1.0, 1.0]]
    """
    graph = as_igraph(G)
    edges = _undirected_edges(graph.graph)
    rows = traversal_csr(graph.graph, "all")  # cached: the searches of analyze built them
    table = pd.DataFrame({"person_id": graph.ids})
    groupings = {a: graph.graph.vs[a] for a in attributes if a in graph.graph.vs.attributes()}
    groupings |= dict(extra or {})
    for name, labels in groupings.items():
        codes = _codes(labels)
        share, others = _crossing(edges, rows, codes)
        table[f"cross_{name}_share"] = share
        table[f"n_other_{name}s" if not name.endswith("y") else f"n_other_{name[:-1]}ies"] = others
    return table


def ei_index(G: GraphLike, attribute: str | Sequence, *, min_count: int = 0) -> pd.DataFrame:
    """Krackhardt & Stern's E-I index per group: (external - internal) / (external + internal) ties.

    ``attribute`` is a node attribute name or labels in node order. Internal ties (both ends in
    the group) count once, external ties (one end outside) once. The last row, group ``"(all)"``,
    is the whole network's index. Groups with fewer than ``min_count`` members are dropped
    (small-count suppression for published tables).

    ``whole_components`` is True for a group made of whole components of the network (separate
    villages, regions): no tie can leave it, so its index is -1 by construction, a fact of how
    the data were collected rather than of anyone's choices. Communities never span components,
    so on such data every community that is a whole village has it. On ``"(all)"`` it is True
    when every group is.

    References
    ----------
    Krackhardt, D., & Stern, R. N. (1988). Informal networks and organizational crises: an
    experimental simulation. Social Psychology Quarterly 51(2), 123-140.
    https://doi.org/10.2307/2786835

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.path_graph(4)
    >>> ei_index(G, ["a", "a", "b", "b"])["ei_index"].tolist()
    [0.0, 0.0, -0.3333333333333333]
    """
    graph = as_igraph(G)
    labels = graph.graph.vs[attribute] if isinstance(attribute, str) else list(attribute)
    codes, names = pd.factorize(pd.Series(labels, dtype=object), use_na_sentinel=True)
    u, v = _undirected_edges(graph.graph)
    known = (codes[u] >= 0) & (codes[v] >= 0)
    cu, cv = codes[u][known], codes[v][known]
    internal = np.bincount(cu[cu == cv], minlength=len(names))
    external = np.bincount(cu[cu != cv], minlength=len(names)) + np.bincount(
        cv[cu != cv], minlength=len(names)
    )
    members = np.bincount(codes[codes >= 0], minlength=len(names))
    table = pd.DataFrame(
        {
            "group": [str(x) for x in names],
            "n_members": members,
            "internal_ties": internal,
            "external_ties": external,
        }
    )
    closed = _whole_components(graph.graph, codes, len(names))
    table["whole_components"] = closed
    total_int, total_ext = int((cu == cv).sum()), int((cu != cv).sum())
    table.loc[len(table)] = ["(all)", int(members.sum()), total_int, total_ext, bool(closed.all())]
    ties = table["internal_ties"] + table["external_ties"]
    table["ei_index"] = np.where(
        ties > 0,
        (table["external_ties"] - table["internal_ties"]) / ties.where(ties > 0, 1),
        np.nan,
    )
    table = table[(table["n_members"] >= min_count) | (table["group"] == "(all)")]
    table = table.assign(_last=table["group"] == "(all)")
    table = table.sort_values(
        ["_last", "n_members", "group"], ascending=[True, False, True], kind="stable"
    )
    return table.drop(columns="_last").reset_index(drop=True)


def _whole_components(g, codes: np.ndarray, n_groups: int) -> np.ndarray:
    """Per group: whether every component holding a member holds no one of another group."""
    # once per graph: analyze asks for every grouping's E-I index (7 s a search at 3 million)
    component = cached_rows(g, ("weak_components",), lambda: np.asarray(
        g.connected_components(mode="weak").membership, dtype=np.int64))
    known = codes >= 0
    pairs = pd.DataFrame({"c": component[known], "g": codes[known]}).drop_duplicates()
    mixed = pairs.groupby("c")["g"].transform("size").to_numpy() > 1
    closed = np.ones(n_groups, dtype=bool)
    closed[pairs["g"].to_numpy()[mixed]] = False
    return closed


def _undirected_edges(g) -> tuple[np.ndarray, np.ndarray]:
    # igraph's own edge arrays: the edge list as Python tuples takes seconds per 10 million ties
    return edge_arrays(undirected_weighted(g))


def _codes(labels) -> np.ndarray:
    codes, _ = pd.factorize(pd.Series(list(labels), dtype=object), use_na_sentinel=True)
    return codes


def _crossing(edges, rows, codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Share of known-group ties that cross, and number of other groups among contacts
    (``rows``: adjacency rows listing each person's contacts either way)."""
    n = len(codes)
    u, v = edges
    src, dst = np.concatenate([u, v]), np.concatenate([v, u])
    known = (codes[src] >= 0) & (codes[dst] >= 0)
    src, dst = src[known], dst[known]
    cross = codes[src] != codes[dst]
    ties = np.bincount(src, minlength=n)
    crossing = np.bincount(src[cross], minlength=n)
    share = np.where(ties > 0, crossing / np.maximum(ties, 1), 0.0)
    share = np.where(codes < 0, np.nan, share)
    n_groups = int(codes.max()) + 1 if n else 1
    others = _other_groups(rows[0], rows[1], codes.astype(np.int64), max(n_groups, 1))
    return share, np.where(codes < 0, np.nan, others.astype(float))


@njit(cache=True)
def _other_groups(indptr, indices, codes, n_groups):
    """Per person of known group, the distinct known groups other than their own among their
    contacts (a stamp per group instead of sorting every crossing tie)."""
    n = indptr.shape[0] - 1
    stamp = np.full(n_groups, -1, dtype=np.int64)
    out = np.zeros(n, dtype=np.int64)
    for v in range(n):
        own = codes[v]
        if own < 0:
            continue
        for e in range(indptr[v], indptr[v + 1]):
            c = codes[indices[e]]
            if c >= 0 and c != own and stamp[c] != v:
                stamp[c] = v
                out[v] += 1
    return out
