"""Graph plumbing shared by the measures: one igraph view with an id map, direction of influence."""

from __future__ import annotations

from typing import Literal

import igraph as ig
import networkx as nx
import numpy as np

from alumni_net.errors import ConfigError
from alumni_net.graph import IGraph, csr_adjacency, to_igraph

__all__ = [
    "GraphLike",
    "Influence",
    "as_igraph",
    "pull_csr",
    "push_csr",
    "undirected_weighted",
    "vertex_index",
]

GraphLike = nx.Graph | IGraph | ig.Graph
Influence = Literal["target_to_source", "source_to_target", "both"]

# Mode of the *pull* adjacency (the vertices a search steps onto v from) and of the *push*
# adjacency (the vertices a search steps onto from u).
_PULL_MODE = {"target_to_source": "out", "source_to_target": "in", "both": "all"}
_PUSH_MODE = {"target_to_source": "in", "source_to_target": "out", "both": "all"}


def as_igraph(G: GraphLike) -> IGraph:
    """An :class:`IGraph` for networkx graphs, IGraphs (as is) and bare igraph graphs (ids 0..n-1)."""
    if isinstance(G, IGraph):
        return G
    if isinstance(G, ig.Graph):
        return IGraph(G, np.arange(G.vcount(), dtype=np.int64))
    if isinstance(G, nx.Graph):
        return to_igraph(G)
    raise TypeError(f"expected a networkx graph, IGraph or igraph.Graph, not {type(G).__name__}")


def pull_csr(g: ig.Graph, influence: Influence) -> tuple[np.ndarray, np.ndarray]:
    """CSR whose row v lists the people from whom influence reaches v in one step.

    Nomination data say "source named target"; advice and influence then travel from the named
    person to the one who named them (``"target_to_source"``, the default everywhere).
    """
    _check_influence(influence)
    return csr_adjacency(g, mode=_PULL_MODE[influence] if g.is_directed() else "all")


def push_csr(g: ig.Graph, influence: Influence) -> tuple[np.ndarray, np.ndarray]:
    """CSR whose row u lists the people u influences directly (see :func:`pull_csr`)."""
    _check_influence(influence)
    return csr_adjacency(g, mode=_PUSH_MODE[influence] if g.is_directed() else "all")


def _check_influence(influence) -> None:
    if influence not in _PULL_MODE:
        raise ConfigError(f"influence must be one of {sorted(_PULL_MODE)}, not {influence!r}")


def undirected_weighted(g: ig.Graph) -> ig.Graph:
    """The graph with ties in either direction merged into one undirected tie (weights summed)."""
    if "weight" not in g.es.attributes():
        g = g.copy()
        g.es["weight"] = 1.0
    if not g.is_directed():
        return g
    return g.as_undirected(mode="collapse", combine_edges={"weight": "sum"})


def vertex_index(graph: IGraph, people) -> np.ndarray:
    """Vertex indices of ``people`` (ids), with a clear error for an unknown id."""
    index = graph.index
    missing = [p for p in people if p not in index]
    if missing:
        raise ConfigError(
            f"{len(missing)} source id(s) are not in the network, e.g. {missing[0]!r}"
        )
    return np.fromiter((index[p] for p in people), dtype=np.int64, count=len(people))
