"""networkx implementations of the centrality columns: the reference igraph must match."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd

from alumni_net.metrics._sampling import SourcePlan

__all__ = ["measures"]


def measures(G: nx.Graph, chosen: list[str], plan: SourcePlan, damping: float) -> pd.DataFrame:
    from alumni_net.metrics.centralities import betweenness_scale

    nodes = list(G.nodes)
    n = len(nodes)
    cols: dict[str, np.ndarray] = {}

    def column(mapping, dtype=float):
        return np.array([mapping[v] for v in nodes], dtype=dtype)

    if "degree" in chosen:
        if G.is_directed():
            cols["in_degree"] = column(dict(G.in_degree()), np.int64)
            cols["out_degree"] = column(dict(G.out_degree()), np.int64)
            cols["in_weighted_degree"] = column(dict(G.in_degree(weight="weight")))
            cols["out_weighted_degree"] = column(dict(G.out_degree(weight="weight")))
        else:
            cols["degree"] = column(dict(G.degree()), np.int64)
            cols["weighted_degree"] = column(dict(G.degree(weight="weight")))
    if "betweenness" in chosen:
        if plan.exact:
            cols["betweenness"] = column(nx.betweenness_centrality(G, normalized=True))
        else:
            sources = [nodes[i] for i in plan.sources]
            raw = nx.betweenness_centrality_subset(G, sources, nodes, normalized=False)
            # betweenness_centrality_subset halves undirected sums, as the full measure does.
            cols["betweenness"] = (
                column(raw) * n / len(sources) * betweenness_scale(n, G.is_directed())
            )
        cols["betweenness_se"] = np.zeros(n) if plan.exact else np.full(n, np.nan)
    if "closeness" in chosen or "harmonic" in chosen:
        closeness, harmonic = _distance_measures(G, nodes, plan)
        if "closeness" in chosen:
            cols["closeness"] = closeness
        if "harmonic" in chosen:
            cols["harmonic"] = harmonic
    if "eigenvector" in chosen:
        cols["eigenvector"] = _eigenvector(G, nodes)
    if "pagerank" in chosen:
        cols["pagerank"] = column(
            nx.pagerank(G, alpha=damping, weight="weight", tol=1e-12, max_iter=10_000)
        )
    if "kcore" in chosen:
        cols["kcore"] = column(nx.core_number(nx.Graph(G.to_undirected())), np.int64)
    return pd.DataFrame(cols, index=pd.RangeIndex(n))


def _distance_measures(G: nx.Graph, nodes: list, plan: SourcePlan) -> tuple[np.ndarray, np.ndarray]:
    n = len(nodes)
    if plan.exact:
        closeness = nx.closeness_centrality(G, wf_improved=True)
        harmonic = nx.harmonic_centrality(G)
        scale = 1.0 / (n - 1) if n > 1 else 0.0
        return (
            np.array([closeness[v] for v in nodes], dtype=float),
            np.array([harmonic[v] * scale for v in nodes], dtype=float),
        )
    position = {v: i for i, v in enumerate(nodes)}
    reached, dist_sum, inv_sum = np.zeros(n), np.zeros(n), np.zeros(n)
    for s in plan.sources:
        for v, d in nx.single_source_shortest_path_length(G, nodes[s]).items():
            if d > 0:
                i = position[v]
                reached[i] += 1
                dist_sum[i] += d
                inv_sum[i] += 1.0 / d
    k_v = len(plan.sources) - np.isin(np.arange(n), plan.sources)
    with np.errstate(invalid="ignore", divide="ignore"):
        closeness = np.where(dist_sum > 0, reached * reached / (k_v * dist_sum), 0.0)
    return closeness, inv_sum / np.maximum(k_v, 1)


def _eigenvector(G: nx.Graph, nodes: list) -> np.ndarray:
    """Eigenvector centrality per component of the symmetric weighted adjacency (ties either way
    merged, weights summed), each component's vector of length ``sqrt(n_c / n)`` as igraph's."""
    from alumni_net.metrics.centralities import component_scale

    und = nx.Graph()
    und.add_nodes_from(nodes)
    for u, v, w in G.edges(data="weight", default=1.0):
        if und.has_edge(u, v):
            und[u][v]["weight"] += w
        else:
            und.add_edge(u, v, weight=w)
    parts = [list(c) for c in nx.connected_components(und) if len(c) > 1]
    position = {v: i for i, v in enumerate(nodes)}
    out = np.zeros(len(nodes))
    for members, length in zip(parts, component_scale([len(m) for m in parts]), strict=True):
        if len(members) == 2:  # a pair: equal shares (ARPACK needs three people or more)
            vec = np.ones(2)
        else:
            values = nx.eigenvector_centrality_numpy(und.subgraph(members), weight="weight")
            vec = np.abs(np.array([values[v] for v in members]))
        out[[position[v] for v in members]] = vec * (length / np.linalg.norm(vec))
    return out
