"""Ego maps: one alum (or a whole cohort) at the centre, rings at 1, 2 and 3 degrees."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable

import networkx as nx
import numpy as np
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection
from matplotlib.lines import Line2D
from matplotlib.patches import Circle

from alumni_net.core.privacy import DEFAULT_MIN_COUNT, format_count
from alumni_net.errors import AlumniNetError
from alumni_net.plotting._layout import Positions, circle_layout, point
from alumni_net.plotting._style import (
    caption_text,
    finish_axes,
    legend_outside,
    new_axes,
    node_groups,
)

__all__ = ["INFLUENCE_MODES", "degree_rings", "plot_ego_map"]

_RING_COLOURS = ("#111111", "#d7301f", "#fc8d59", "#fdcc8a", "#fef0d9", "#f7f7f7")
_MODES = ("all", "out", "in")
#: The analysis module's names for the same choices (``alumni_net.metrics.reach``).
INFLUENCE_MODES = {"both": "all", "source_to_target": "out", "target_to_source": "in"}
#: Each person reached: their distance from the nearest source and who reached them (None for
#: a source).
Rings = dict[Hashable, tuple[int, Hashable | None]]


def degree_rings(
    G: nx.Graph, sources: list[Hashable], max_degree: int = 3, *, mode: str = "all"
) -> Rings:
    """Breadth-first distance from the nearest source, and the node it was reached from.

    ``mode`` says which ties count on directed data: "all" ignores direction, "out" follows
    ties from source to target, "in" the reverse (reach's ``influence="target_to_source"``,
    the default of the analysis); the analysis names (:data:`INFLUENCE_MODES`) are accepted too.

    Examples
    --------
    >>> rings = degree_rings(nx.path_graph(5), [0], 3)
    >>> {v: d for v, (d, _) in rings.items()}
    {0: 0, 1: 1, 2: 2, 3: 3}
    """
    mode = INFLUENCE_MODES.get(mode, mode)
    if mode not in _MODES:
        raise AlumniNetError(f"mode must be one of {', '.join(_MODES)}, not '{mode}'")
    step = _neighbours(G, mode)
    found: Rings = {s: (0, None) for s in sources}
    frontier = list(sources)
    for d in range(1, max_degree + 1):
        nxt = []
        for u in frontier:
            for v in step(u):
                if v not in found:
                    found[v] = (d, u)
                    nxt.append(v)
        frontier = nxt
    return found


def _neighbours(G: nx.Graph, mode: str) -> Callable[[Hashable], Iterable[Hashable]]:
    if not G.is_directed() or mode == "all":
        return (lambda v: nx.all_neighbors(G, v)) if G.is_directed() else G.neighbors
    return G.successors if mode == "out" else G.predecessors


def plot_ego_map(
    G: nx.Graph,
    ego: Hashable | None = None,
    *,
    cohort: Hashable | None = None,
    max_degree: int = 3,
    mode: str = "all",
    min_count: int = DEFAULT_MIN_COUNT,
    ax: Axes | None = None,
    person_labels: bool = False,
    title: str | None = None,
    data_name: str | None = None,
    max_people: int = 5000,
) -> Axes:
    """Rings at 1, 2, 3 degrees around one person (``ego``) or every alum of ``cohort``.

    Each ring is labelled with the number of people first reached at that distance (``"<10"``
    below the minimum count); lines show, for each person, one shortest path back towards the
    centre.
    The centre's id is written only when ``person_labels`` is True. Beyond ``max_people``
    people the rings carry the counts alone.

    Examples
    --------
    >>> ax = plot_ego_map(nx.star_graph(12), 0)
    >>> [t.get_text() for t in ax.texts][:3]
    ['1 degree: 12', '2 degrees: 0', '3 degrees: 0']
    """
    ax = new_axes(ax)
    sources, who = _sources(G, ego, cohort)
    mode = INFLUENCE_MODES.get(mode, mode)
    rings = degree_rings(G, sources, max_degree, mode=mode)
    counts = np.bincount([d for d, _ in rings.values()], minlength=max_degree + 1)
    _draw_rings(ax, counts, max_degree, min_count)
    # Beyond max_people the rings carry the counts alone: points would only make a grey disc.
    drawn = rings if len(rings) <= max_people else {s: rings[s] for s in sources}
    pos = _ring_positions(drawn, sources, max_degree)
    _draw_tree(ax, drawn, pos)
    _draw_people(ax, drawn, pos)
    if person_labels:
        for s in sources:
            ax.annotate(str(s), point(pos[s]), fontsize=6, xytext=(3, 3),
                        textcoords="offset points")
    _ring_legend(ax, counts, max_degree)
    lim = max_degree + 0.6
    ax.set_xlim(-lim, lim)
    ax.set_ylim(-lim, lim)
    ax.set_aspect("equal")
    shown = (
        f"Centre: {who}. Rings: people first reached at exactly 1 to {max_degree} "
        f"degrees ({_mode_note(G, mode)}); ring labels count them."
    )
    if len(drawn) < len(rings):
        shown += f" Too many people to draw one by one ({len(rings):,}): the rings give counts."
    caption = caption_text(
        data_name, shown=shown, suppressed=f"Ring counts below {min_count} shown as <{min_count}."
    )
    finish_axes(ax, title or f"Within {max_degree} degrees of {who}", caption)
    return ax


def _sources(G: nx.Graph, ego: Hashable | None,
             cohort: Hashable | None) -> tuple[list[Hashable], str]:
    if (ego is None) == (cohort is None):
        raise AlumniNetError("give exactly one of an ego (a person id) or a cohort")
    if ego is not None:
        if ego not in G:
            ego = _match_id(G, ego)
        return [ego], "one alum" if G.nodes[ego].get("is_alum") else "one person"
    labels = node_groups(G, "cohort")
    members = [v for v, c in labels.items() if c == str(cohort)]
    if not members:
        raise AlumniNetError(f"no one in the data belongs to cohort '{cohort}'")
    return members, f"cohort {cohort} ({len(members)} people)"


def _match_id(G: nx.Graph, ego: Hashable) -> Hashable:
    """Accept an id typed on the command line ("17") for integer ids, and vice versa."""
    for v in G.nodes:
        if str(v) == str(ego):
            return v
    raise AlumniNetError(f"person '{ego}' is not in the network")


def _ring_positions(rings: Rings, sources: list[Hashable], max_degree: int) -> Positions:
    """Sources in the middle; each ring in the clockwise order of the nodes that reached it."""
    pos: Positions = (
        {sources[0]: np.zeros(2)} if len(sources) == 1 else circle_layout(sources, radius=0.35)
    )
    # Fraction of a clockwise turn from the top: children follow their parents round the rings.
    turn = {v: i / max(len(sources), 1) for i, v in enumerate(sources)}
    for d in range(1, max_degree + 1):
        ring = [v for v, (dv, _) in rings.items() if dv == d]
        ring.sort(key=lambda v: (turn[rings[v][1]], str(v)))
        frac = (np.arange(len(ring)) + 0.5) / max(len(ring), 1)
        theta = np.pi / 2 - 2 * np.pi * frac
        for v, f, t in zip(ring, frac, theta, strict=True):
            pos[v] = d * np.array([np.cos(t), np.sin(t)])
            turn[v] = float(f)
    return pos


def _draw_people(ax: Axes, rings: Rings, pos: Positions) -> None:
    nodes = list(rings)
    dist = np.array([rings[v][0] for v in nodes])
    size = float(np.clip(3000 / max(len(nodes), 1), 2, 60))
    xy = np.array([pos[v] for v in nodes])
    ax.scatter(
        xy[:, 0],
        xy[:, 1],
        s=np.where(dist == 0, size * 3, size),
        zorder=3,
        c=[_RING_COLOURS[min(d, len(_RING_COLOURS) - 1)] for d in dist],
        edgecolors="#333333",
        linewidths=0.3,
    )


def _draw_rings(ax: Axes, counts: np.ndarray, max_degree: int, min_count: int) -> None:
    for d in range(1, max_degree + 1):
        ax.add_patch(Circle((0, 0), d, fill=False, ls="--", lw=0.6, ec="#999999", zorder=0))
        label = f"{d} degree{'s' if d > 1 else ''}: {format_count(counts[d], min_count)}"
        ax.text(
            0,
            d + 0.08,
            label,
            ha="center",
            va="bottom",
            fontsize=8,
            zorder=5,
            bbox=dict(boxstyle="round,pad=0.15", fc="white", ec="none", alpha=0.85),
        )


def _draw_tree(ax: Axes, rings: Rings, pos: Positions) -> None:
    segs = [(pos[p], pos[v]) for v, (_, p) in rings.items() if p is not None]
    if segs:
        alpha = float(np.clip(8 / np.sqrt(len(segs)), 0.03, 0.5))
        ax.add_collection(LineCollection(segs, colors="#555555", linewidths=0.4, alpha=alpha))


def _ring_legend(ax: Axes, counts: np.ndarray, max_degree: int) -> None:
    labels = ["centre"] + [f"{d} degree{'s' if d > 1 else ''}" for d in range(1, max_degree + 1)]
    handles = [
        Line2D(
            [],
            [],
            marker="o",
            ls="",
            mec="#333333",
            label=label,
            color=_RING_COLOURS[min(d, len(_RING_COLOURS) - 1)],
        )
        for d, label in enumerate(labels)
        if counts[d] > 0
    ]
    legend_outside(ax, handles, "distance")


def _mode_note(G: nx.Graph, mode: str) -> str:
    if not G.is_directed() or mode == "all":
        return "ties in either direction" if G.is_directed() else "undirected ties"
    if mode == "out":
        return "following ties from nominator to nominee"
    return "from nominee to nominator, the way advice and influence travel"
