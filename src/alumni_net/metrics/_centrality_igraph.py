"""igraph implementations of the centrality columns (see :mod:`alumni_net.metrics.centralities`)."""

from __future__ import annotations

import igraph as ig
import numpy as np
import pandas as pd

from alumni_net.metrics._brandes import batch_dependencies
from alumni_net.metrics._graphs import traversal_csr
from alumni_net.metrics._power import pagerank_power
from alumni_net.metrics._sampling import SourcePlan

__all__ = ["measures"]


def measures(g: ig.Graph, chosen: list[str], plan: SourcePlan, damping: float) -> pd.DataFrame:
    from alumni_net.metrics.centralities import sampled_distance_sums, undirected

    n = g.vcount()
    cols: dict[str, np.ndarray] = {}
    # The attribute's name, not its values: a list of a million floats costs a conversion each
    # way that igraph skips when it reads its own attribute.
    weights = "weight" if "weight" in g.es.attributes() else None
    if "degree" in chosen:
        cols |= _degrees(g, weights)
    if "betweenness" in chosen:
        cols["betweenness"], cols["betweenness_se"] = _betweenness(g, plan)
    if {"closeness", "harmonic"} & set(chosen):
        if plan.exact:
            close = np.nan_to_num(np.asarray(g.closeness(mode="in", normalized=True), dtype=float))
            reached = np.asarray(
                g.neighborhood_size(order=max(n, 1), mode="in", mindist=1), dtype=float
            )
            closeness = close * reached / max(n - 1, 1)
            harmonic = np.asarray(g.harmonic_centrality(mode="in", normalized=True), dtype=float)
        else:
            closeness, harmonic = sampled_distance_sums(g, plan)
        for name, values in (("closeness", closeness), ("harmonic", harmonic)):
            if name in chosen:
                cols[name] = np.nan_to_num(values) if n > 1 else np.zeros(n)
    # Only eigenvector and k-core read the undirected copy; without them, no copy is made.
    und = undirected(g) if {"eigenvector", "kcore"} & set(chosen) else g
    if "eigenvector" in chosen:
        cols["eigenvector"] = _eigenvector(und)
    if "pagerank" in chosen:
        cols["pagerank"] = _pagerank(g, weights, damping)
    if "kcore" in chosen:
        cols["kcore"] = np.asarray(und.coreness(), dtype=np.int64)
    return pd.DataFrame(cols, index=pd.RangeIndex(n))


def _degrees(g: ig.Graph, weights) -> dict[str, np.ndarray]:
    if not g.is_directed():
        return {
            "degree": np.asarray(g.degree(), dtype=np.int64),
            "weighted_degree": np.asarray(g.strength(weights=weights), dtype=float),
        }
    return {
        "in_degree": np.asarray(g.degree(mode="in"), dtype=np.int64),
        "out_degree": np.asarray(g.degree(mode="out"), dtype=np.int64),
        "in_weighted_degree": np.asarray(g.strength(mode="in", weights=weights), dtype=float),
        "out_weighted_degree": np.asarray(g.strength(mode="out", weights=weights), dtype=float),
    }


def _betweenness(g: ig.Graph, plan: SourcePlan) -> tuple[np.ndarray, np.ndarray]:
    from alumni_net.metrics.centralities import betweenness_scale

    n = g.vcount()
    scale = betweenness_scale(n, g.is_directed())
    if plan.exact:
        return np.asarray(g.betweenness(directed=True), dtype=float) * scale, np.zeros(n)
    k = len(plan.sources)
    indptr, indices = traversal_csr(g, "out")
    # Each batch, scaled by n / its size, is an unbiased estimate; batch means give the error.
    # numba's sources run in parallel and equal igraph's betweenness(sources=...) (tested).
    sums = batch_dependencies(indptr, indices, plan.batches, undirected=not g.is_directed())
    per_batch = np.array([row * n / len(b) for row, b in zip(sums, plan.batches, strict=True)])
    sizes = np.array([len(b) for b in plan.batches], dtype=float)
    estimate = (per_batch * sizes[:, None]).sum(axis=0) / k
    se = per_batch.std(axis=0, ddof=1) / np.sqrt(len(plan.batches))
    return estimate * scale, se * scale


#: Above this many people PageRank is found by power iteration (numba) instead of ARPACK, which
#: takes minutes there (81 s of CPU on 3 million people and 14.5 million ties).
ARPACK_LIMIT = 1_000_000


def _pagerank(g: ig.Graph, weights, damping: float) -> np.ndarray:
    if g.vcount() > ARPACK_LIMIT:
        return pagerank_power(g, damping, weights=weights)
    # ARPACK, not the default PRPACK: PRPACK's last bits differ between processes on the same
    # input, while ARPACK under the caller's seeded igraph generator repeats exactly.
    return np.asarray(
        g.pagerank(damping=damping, weights=weights, directed=True, implementation="arpack"))


def _eigenvector(und: ig.Graph) -> np.ndarray:
    """Eigenvector centrality per component (see :func:`alumni_net.metrics.centrality`).

    Each component of two or more people is solved alone (igraph refuses graphs that are not
    connected) and its leading eigenvector scaled to length ``sqrt(n_c / n)``; isolates get 0.
    """
    from alumni_net.metrics.centralities import component_scale

    out = np.zeros(und.vcount())
    parts = [m for m in und.connected_components() if len(m) > 1]
    scale = component_scale([len(m) for m in parts])
    for members, length in zip(parts, scale, strict=True):
        sub = und if len(members) == und.vcount() else und.subgraph(members)  # connected: no copy
        vec = np.abs(np.asarray(sub.eigenvector_centrality(weights="weight"), dtype=float))
        out[members] = vec * (length / np.linalg.norm(vec))
    return out
