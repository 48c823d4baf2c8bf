"""Drawing primitives for person-level maps: ties by kind, nodes by group, sizes by centrality."""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence

import networkx as nx
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection
from matplotlib.lines import Line2D

from alumni_net.core.publish import OTHER_KINDS, published_kinds
from alumni_net.errors import AlumniNetError
from alumni_net.plotting._layout import Positions
from alumni_net.plotting._style import ALUM_EDGE, TIE_COLOURS, TIE_STYLES

SEVERAL_KINDS = "several kinds"


def edge_kind(data: Mapping, shown: Mapping[str, str] | None = None) -> str:
    """The kind a tie is drawn as: its one kind, or "several kinds" for multiplex ties.

    ``shown`` maps kinds to what outputs may show (:func:`alumni_net.core.publish.
    published_kinds`); a kind it lacks is drawn as "other kinds".
    """
    kinds = data.get("kinds")
    if kinds is None:
        kinds = (data["kind"],) if data.get("kind") is not None else ("tie",)
    if isinstance(kinds, str):
        kinds = tuple(k for k in kinds.split(";") if k)
    if shown is not None:
        kinds = tuple(shown.get(str(k), OTHER_KINDS) for k in kinds)
    kinds = tuple(sorted(set(kinds)))
    return kinds[0] if len(kinds) == 1 else SEVERAL_KINDS


def draw_edges(
    ax: Axes, G: nx.Graph, pos: Positions, *, by_kind: bool = True, alpha: float | None = None
) -> list[Line2D]:
    """Draw ties as line collections, one colour and dash per kind; return legend handles."""
    segments: dict[str, list] = {}
    # The legend names kinds: only those outputs may publish (a kind can name a person).
    shown = published_kinds(G) if by_kind else None
    for u, v, data in G.edges(data=True):
        if u == v:
            continue
        kind = edge_kind(data, shown) if by_kind else "tie"
        segments.setdefault(kind, []).append((pos[u], pos[v]))
    kinds = _ordered_kinds(segments)
    m = max(G.number_of_edges(), 1)
    alpha = alpha if alpha is not None else float(np.clip(25 / np.sqrt(m), 0.06, 0.6))
    width = float(np.clip(8 / np.sqrt(m), 0.25, 1.2))
    handles = []
    for i, kind in enumerate(kinds):
        segs = [s for k in kinds[kind] for s in segments[k]]
        colour, style = TIE_COLOURS[i % len(TIE_COLOURS)], TIE_STYLES[i % len(TIE_STYLES)]
        lc = LineCollection(
            segs, colors=[colour], linestyles=style, linewidths=width, alpha=alpha, zorder=1
        )
        ax.add_collection(lc)
        handles.append(Line2D([], [], color=colour, linestyle=style, lw=1.5, label=kind))
    return handles


def _ordered_kinds(segments: Mapping[str, list]) -> dict[str, list[str]]:
    """Most frequent kinds first; beyond the palette the rest share "other kinds"."""
    # "other kinds" (kinds withheld, or beyond the palette) is always drawn last.
    order = sorted(segments, key=lambda k: (k == OTHER_KINDS, -len(segments[k]), k))
    if len(order) <= len(TIE_COLOURS):
        return {k: [k] for k in order}
    head = order[: len(TIE_COLOURS) - 1]
    return {**{k: [k] for k in head}, OTHER_KINDS: order[len(TIE_COLOURS) - 1 :]}


def draw_nodes(
    ax: Axes,
    nodes: Sequence[Hashable],
    pos: Positions,
    colours: Sequence,
    sizes: np.ndarray,
    alum: np.ndarray,
) -> None:
    """Alumni as outlined circles on top; everyone else as smaller plain circles underneath."""
    xy = np.array([pos[v] for v in nodes]).reshape(-1, 2)
    colour_of = np.array(colours, dtype=object)
    for mask, edge, scale, z in ((~alum, "none", 0.7, 2), (alum, ALUM_EDGE, 1.0, 3)):
        if mask.any():
            ax.scatter(
                xy[mask, 0],
                xy[mask, 1],
                s=sizes[mask] * scale,
                c=list(colour_of[mask]),
                edgecolors=edge,
                linewidths=0.6 if edge != "none" else 0,
                zorder=z,
            )


def alum_handles(alum: np.ndarray) -> list[Line2D]:
    """Legend entries explaining the two node styles (only those present; none when nobody is
    an alum, as in a study without a programme)."""
    handles: list[Line2D] = []
    if not alum.any():
        return handles
    handles.append(
        Line2D([], [], marker="o", ls="", color="#bbbbbb", mec=ALUM_EDGE, label="alum (outlined)")
    )
    if (~alum).any():
        handles.append(
            Line2D(
                [],
                [],
                marker="o",
                ls="",
                color="#bbbbbb",
                mec="none",
                markersize=4.5,
                label="not an alum",
            )
        )
    return handles


def node_sizes(
    G: nx.Graph,
    nodes: Sequence[Hashable],
    size_by: str | None,
    centrality: pd.DataFrame | Mapping | None,
) -> tuple[np.ndarray, str]:
    """Marker areas from a centrality (degree when none is given) and a phrase for the caption."""
    values, label = _centrality_values(G, nodes, size_by, centrality)
    n = max(len(nodes), 1)
    base = float(np.clip(2500 / n, 3, 80))
    lo, hi = np.nanmin(values, initial=0.0), np.nanmax(values, initial=0.0)
    scaled = np.zeros(len(nodes)) if hi <= lo else (np.nan_to_num(values, nan=lo) - lo) / (hi - lo)
    return base * (0.4 + 2.6 * np.sqrt(scaled)), label


def _centrality_values(G: nx.Graph, nodes: Sequence[Hashable], size_by: str | None,
                       centrality: pd.DataFrame | Mapping | None) -> tuple[np.ndarray, str]:
    if size_by is None:
        return np.ones(len(nodes)), "equal size"
    if centrality is not None:
        values = _as_series(centrality, size_by).reindex(list(nodes)).to_numpy(dtype=float)
        if len(values) and np.isnan(values).all():
            raise AlumniNetError(
                "none of the centrality table's person ids are in the network; was it computed "
                "from the same data with the same pseudonymisation key?"
            )
        return values, f"size by {size_by}"
    if size_by in ("degree", "degree_total"):
        return np.array([G.degree(v) for v in nodes], dtype=float), "size by degree"
    values = [G.nodes[v].get(size_by) for v in nodes]
    if all(v is None for v in values):
        raise AlumniNetError(
            f"cannot size nodes by '{size_by}': give a centrality table with that column "
            "(from 'alumni-net analyze') or use --size-by degree"
        )
    return pd.to_numeric(pd.Series(values), errors="coerce").to_numpy(float), f"size by {size_by}"


def _as_series(centrality: pd.DataFrame | Mapping, column: str) -> pd.Series:
    if isinstance(centrality, pd.DataFrame):
        if column not in centrality.columns:
            cols = ", ".join(c for c in centrality.columns if c != "person_id")
            raise AlumniNetError(f"the centrality table has no column '{column}'; it has: {cols}")
        table = centrality.set_index("person_id") if "person_id" in centrality else centrality
        return pd.to_numeric(table[column], errors="coerce")
    return pd.Series(dict(centrality), dtype=float)
