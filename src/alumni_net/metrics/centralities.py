"""Who is central: one tidy table, one row per person, from igraph (default) or networkx.

Distance-based measures (betweenness, closeness, harmonic) count every tie as one step; tie
weights enter weighted degree, eigenvector, PageRank, brokerage and communities. Closeness and
harmonic centrality use incoming paths (networkx's convention for directed graphs).

On graphs larger than ``exact_limit`` people, betweenness, closeness and harmonic centrality are
estimated from ``samples`` uniformly drawn sources (Brandes & Pich 2007): sums over the sample are
scaled by ``n / samples``, which is unbiased; ``betweenness_se`` gives each person's standard
error from ten batches of sources (zero when exact). The relative error of a person's estimate
shrinks like ``1 / sqrt(samples)`` and is smallest for the most central people.

References
----------
Brandes, U., & Pich, C. (2007). Centrality estimation in large networks. International Journal of
Bifurcation and Chaos 17(7), 2303-2318. https://doi.org/10.1142/S0218127407018403
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import igraph as ig
import networkx as nx
import numpy as np
import pandas as pd

from alumni_net.core.rng import SeedLike, as_seed_sequence, igraph_rng
from alumni_net.errors import ConfigError
from alumni_net.graph import from_igraph
from alumni_net.metrics._bitbfs import default_chunks, group_bits, target_distance_sums
from alumni_net.metrics._graphs import GraphLike, as_igraph, undirected_weighted
from alumni_net.metrics._sampling import SourcePlan, plan_sources
from alumni_net.metrics.bridging import bridging_table
from alumni_net.metrics.community import communities
from alumni_net.metrics.structural_holes import brokerage

__all__ = ["CENTRALITY_MEASURES", "MEASURES", "Backend", "centrality", "centrality_table"]

Backend = Literal["igraph", "networkx"]
#: Measures computed by :func:`centrality` (igraph or networkx).
CENTRALITY_MEASURES = (
    "degree",
    "betweenness",
    "closeness",
    "harmonic",
    "eigenvector",
    "pagerank",
    "kcore",
)
#: Everything :func:`centrality_table` can add.
MEASURES = (*CENTRALITY_MEASURES, "brokerage", "community", "bridging")


def centrality_table(
    G: GraphLike,
    *,
    backend: Backend = "igraph",
    measures: Sequence[str] | None = None,
    attributes: Sequence[str] = ("sector", "region"),
    exact_limit: int = 5000,
    samples: int = 500,
    damping: float = 0.85,
    community_iterations: int = 2,
    seed: SeedLike = 0,
) -> pd.DataFrame:
    """One row per person: centralities, brokerage, community and cross-group bridging.

    Parameters
    ----------
    G : networkx graph (people as nodes), IGraph or igraph.Graph
    backend : "igraph" (fast) or "networkx" (reference); keyword-only.
    measures : subset of :data:`MEASURES` (default all).
    attributes : node attributes whose crossing ties are counted by ``bridging``.
    exact_limit, samples : above ``exact_limit`` people, path-based measures use ``samples``
        sampled sources.
    damping : PageRank damping factor.
    community_iterations : Leiden passes for ``community`` (see
        :func:`~alumni_net.metrics.community.communities`).
    seed : seeds source sampling and community detection.

    Returns
    -------
    DataFrame with ``person_id`` then the columns of :func:`centrality`,
    :func:`~alumni_net.metrics.structural_holes.brokerage` (``constraint``, ``effective_size``),
    ``community`` and :func:`~alumni_net.metrics.bridging.bridging_table` (with communities).

    References
    ----------
    Brandes, U. (2001). A faster algorithm for betweenness centrality. Journal of Mathematical
    Sociology 25(2), 163-177. https://doi.org/10.1080/0022250X.2001.9990249

    Brandes, U., & Pich, C. (2007). Centrality estimation in large networks. International Journal
    of Bifurcation and Chaos 17(7), 2303-2318. https://doi.org/10.1142/S0218127407018403

    Examples
    --------
    >>> import networkx as nx
    >>> t = centrality_table(nx.star_graph(3), measures=["degree", "betweenness", "brokerage"])
    >>> t["degree"].tolist(), t["betweenness"].tolist()
    ([3, 1, 1, 1], [1.0, 0.0, 0.0, 0.0])
    >>> t["constraint"].round(3).tolist()
    [0.333, 1.0, 1.0, 1.0]
    """
    chosen = _check_measures(measures, MEASURES)
    graph = as_igraph(G)
    sample_seed, community_seed = as_seed_sequence(seed).spawn(2)
    core = [m for m in chosen if m in CENTRALITY_MEASURES]
    table = centrality(
        graph if backend == "igraph" else G,
        backend=backend,
        measures=core,
        exact_limit=exact_limit,
        samples=samples,
        damping=damping,
        seed=sample_seed,
    )
    table["person_id"] = graph.ids
    if "brokerage" in chosen:
        table = table.merge(brokerage(graph, backend=backend), on="person_id", how="left")
    extra = {}
    if "community" in chosen:
        table["community"] = communities(graph, backend=backend, seed=community_seed,
                                         n_iterations=community_iterations).to_numpy()
        extra["community"] = table["community"].to_numpy()
    if "bridging" in chosen:
        crossing = bridging_table(graph, attributes=attributes, extra=extra)
        table = table.merge(crossing, on="person_id", how="left")
    return table[["person_id", *[c for c in table.columns if c != "person_id"]]]


def centrality(
    G: GraphLike,
    *,
    backend: Backend = "igraph",
    measures: Sequence[str] | None = None,
    exact_limit: int = 5000,
    samples: int = 500,
    damping: float = 0.85,
    seed: SeedLike = 0,
) -> pd.DataFrame:
    """Degree, betweenness, closeness, harmonic, eigenvector, PageRank and k-core per person.

    Columns: ``degree``/``weighted_degree`` (``in_``/``out_`` versions for directed graphs),
    ``betweenness`` (normalised as networkx does) and ``betweenness_se``, ``closeness``
    (Wasserman-Faust, for graphs that are not connected), ``harmonic`` (mean of 1/distance),
    ``eigenvector``, ``pagerank``, ``kcore``. Rows are in the graph's node order; no
    ``person_id`` column (see :func:`centrality_table`).

    Eigenvector centrality takes ties as undirected and is computed **per component**: the
    leading eigenvector of the whole network is zero outside its strongest component, which on
    data made of separate villages or regions would give almost everyone 0. Each component's
    leading eigenvector is scaled to length ``sqrt(n_c / n)`` (``n_c`` people in the component,
    ``n`` people with at least one tie; isolates get 0), so a connected network gets the usual
    unit-length values and the whole column has unit length. Compare values within a component:
    across components they say how central someone is in their own component, not overall.
    """
    chosen = _check_measures(measures, CENTRALITY_MEASURES)
    if backend not in ("igraph", "networkx"):
        raise ConfigError(f"backend must be 'igraph' or 'networkx', not {backend!r}")
    graph = as_igraph(G)
    plan = plan_sources(graph.graph.vcount(), exact_limit=exact_limit, samples=samples, seed=seed)
    if backend == "igraph":
        from alumni_net.metrics import _centrality_igraph

        # ARPACK (eigenvector) and PRPACK (PageRank) start from igraph's random vectors: seeded,
        # the table is identical run to run, not merely equal to rounding.
        with igraph_rng(seed):
            return _centrality_igraph.measures(graph.graph, chosen, plan, damping)
    from alumni_net.metrics import _centrality_networkx

    nxg = G if isinstance(G, nx.Graph) else from_igraph(graph.graph, graph.ids)
    return _centrality_networkx.measures(nxg, chosen, plan, damping)


def _check_measures(measures: Sequence[str] | None, allowed: Sequence[str]) -> list[str]:
    if measures is None:
        return list(allowed)
    unknown = [m for m in measures if m not in allowed]
    if unknown:
        raise ConfigError(f"unknown measure {unknown[0]!r}; choose from {', '.join(allowed)}")
    return list(measures)


def sampled_distance_sums(g: ig.Graph, plan: SourcePlan) -> tuple[np.ndarray, np.ndarray]:
    """Closeness and harmonic estimates from the sampled sources (bit-parallel BFS, numba)."""
    from alumni_net.graph import csr_adjacency

    n = g.vcount()
    indptr, indices = csr_adjacency(g, mode="in" if g.is_directed() else "all")
    reached = np.zeros(n)
    dist_sum = np.zeros(n)
    inv_sum = np.zeros(n)
    for batch in np.array_split(plan.sources, max(1, -(-len(plan.sources) // 4096))):
        init = group_bits(n, [v[None] for v in batch], -(-len(batch) // 64))
        r, d, h = target_distance_sums(indptr, indices, init, -1, default_chunks(), init.copy(),
                                       init.copy(), np.zeros_like(init))
        reached += r
        dist_sum += d
        inv_sum += h
    k_v = len(plan.sources) - np.isin(np.arange(n), plan.sources)
    with np.errstate(invalid="ignore", divide="ignore"):
        closeness = np.where(dist_sum > 0, reached * reached / (k_v * dist_sum), 0.0)
    return closeness, inv_sum / np.maximum(k_v, 1)


def component_scale(sizes: Sequence[int]) -> np.ndarray:
    """Length of each component's eigenvector: ``sqrt(n_c / n)`` over components of sizes ``n_c``.

    Examples
    --------
    >>> component_scale([3, 1]).round(3).tolist()
    [0.866, 0.5]
    """
    n_c = np.asarray(sizes, dtype=float)
    return np.sqrt(n_c / n_c.sum()) if len(n_c) else n_c


def betweenness_scale(n: int, directed: bool) -> float:
    """networkx's normalisation: ordered (directed) or unordered pairs of other people."""
    pairs = (n - 1) * (n - 2)
    return 1.0 / (pairs if directed else pairs / 2) if n > 2 else 0.0


def undirected(g: ig.Graph) -> ig.Graph:
    """Alias used by the backends: ties either way merged, weights summed."""
    return undirected_weighted(g)
