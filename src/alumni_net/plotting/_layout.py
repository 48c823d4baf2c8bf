"""Seeded, fast node positions from igraph's force-directed layouts."""

from __future__ import annotations

from collections.abc import Hashable, Sequence

import igraph
import networkx as nx
import numpy as np
from matplotlib.axes import Axes

from alumni_net.core.rng import SeedLike, as_generator, igraph_rng

Positions = dict[Hashable, np.ndarray]


def force_layout(G: nx.Graph, seed: SeedLike = 0) -> Positions:
    """Fruchterman-Reingold positions in the unit square, reproducible for a given seed.

    Iterations fall as the graph grows (500 up to 1,000 nodes, 100 at 5,000) so that a
    5,000-person map lays out in a few seconds; igraph's grid variant takes over from 1,000 nodes.
    """
    nodes = list(G.nodes)
    n = len(nodes)
    if n == 0:
        return {}
    rng = as_generator(seed)
    start = rng.uniform(-1.0, 1.0, size=(n, 2))
    if n == 1:
        return {nodes[0]: np.zeros(2)}
    index = {v: i for i, v in enumerate(nodes)}
    edges = {(min(index[u], index[v]), max(index[u], index[v])) for u, v in G.edges if u != v}
    g = igraph.Graph(n=n, edges=sorted(edges), directed=False)
    niter = int(np.clip(500 * 1000 / max(n, 1), 100, 500))
    with igraph_rng(rng):
        coords = np.asarray(
            g.layout_fruchterman_reingold(seed=start.tolist(), niter=niter, grid="auto").coords
        )
    return dict(zip(nodes, _normalise(coords), strict=True))


def _normalise(coords: np.ndarray) -> np.ndarray:
    """Centre and scale to [-1, 1] so marker sizes mean the same on every map."""
    coords = coords - coords.mean(axis=0)
    span = np.abs(coords).max()
    return coords / span if span > 0 else coords


def point(xy: np.ndarray) -> tuple[float, float]:
    """A position as the ``(x, y)`` pair matplotlib's annotations take."""
    return float(xy[0]), float(xy[1])


def circle_layout(nodes: Sequence[Hashable], radius: float = 1.0) -> Positions:
    """Nodes evenly on a circle, first at the top, clockwise."""
    angles = np.pi / 2 - 2 * np.pi * np.arange(len(nodes)) / max(len(nodes), 1)
    return {
        v: radius * np.array([np.cos(a), np.sin(a)]) for v, a in zip(nodes, angles, strict=True)
    }


def fit_square(ax: Axes, pos: Positions, pad: float = 0.08) -> None:
    """Square, equal-aspect limits around ``pos`` (so circles stay round in any figure shape)."""
    xy = np.array(list(pos.values())).reshape(-1, 2) if pos else np.zeros((1, 2))
    lo, hi = xy.min(axis=0), xy.max(axis=0)
    centre, half = (lo + hi) / 2, (hi - lo).max() / 2 + pad
    ax.set_xlim(centre[0] - half, centre[0] + half)
    ax.set_ylim(centre[1] - half, centre[1] + half)
    ax.set_aspect("equal", adjustable="box")
