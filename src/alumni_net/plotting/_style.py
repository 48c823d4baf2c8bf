"""Shared drawing helpers: colours, legends, captions and metadata-free saving."""

from __future__ import annotations

import datetime as _dt
import io
import os
import textwrap
from collections.abc import Hashable, Iterable, Sequence
from pathlib import Path

import matplotlib
import networkx as nx
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from alumni_net._files import atomic_write_bytes
from alumni_net.errors import AlumniNetError
from alumni_net.privacy import figure_metadata

UNKNOWN = "unknown"
OTHER = "other"
SUPPRESSED_GROUP = "other (suppressed)"
IMAGE_FORMATS = ("png", "svg", "pdf")
#: More colours than this and the legend stops being readable; the rest become "other".
MAX_COLOURS = 12
ALUM_EDGE = "#111111"
TIE_COLOURS = ("#4d4d4d", "#1f78b4", "#e6550d", "#31a354", "#756bb1", "#d6616b", "#8c6d31")
TIE_STYLES = ("-", "--", ":", "-.")


def new_axes(ax: Axes | None, figsize: tuple[float, float] = (8.0, 8.0)) -> Axes:
    """Return ``ax`` or a fresh Axes on a new figure (never pyplot's current one)."""
    if ax is not None:
        return ax
    fig = Figure(figsize=figsize, layout="constrained")
    return fig.add_subplot()


def node_groups(G: nx.Graph, attr: str, nodes: Iterable[Hashable] | None = None) -> pd.Series:
    """The value of ``attr`` for each node as text (``"unknown"`` when missing), indexed by node.

    ``"sector+region"`` combines attributes into blocks such as ``"health / london"``.
    """
    nodes = list(G.nodes if nodes is None else nodes)
    parts = attr.split("+")
    if len(parts) > 1:
        labels = [
            " / ".join(_as_label(G.nodes[v].get(p)) for p in parts)
            if all(G.nodes[v].get(p) is not None for p in parts)
            else UNKNOWN
            for v in nodes
        ]
        return pd.Series(labels, index=nodes, dtype=object)
    return pd.Series([_as_label(G.nodes[v].get(attr)) for v in nodes], index=nodes, dtype=object)


def _as_label(value) -> str:
    if value is None or (np.isscalar(value) and pd.isna(value)):
        return UNKNOWN
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    return str(value)


def sort_groups(groups: Iterable[str]) -> list[str]:
    """Groups in natural order: numbers numerically, then text, with unknown/other last."""
    tail = [SUPPRESSED_GROUP, OTHER, UNKNOWN]

    def key(g: str):
        if g in tail:
            return (2, tail.index(g), 0.0, "")
        try:
            return (0, 0, float(g), "")
        except ValueError:
            return (1, 0, 0.0, g.lower())

    return sorted(set(groups), key=key)


def cap_groups(labels: pd.Series, max_groups: int = MAX_COLOURS) -> tuple[pd.Series, list[str]]:
    """Keep the ``max_groups - 1`` largest groups, relabel the rest as "other"; return the order."""
    counts = labels.value_counts()
    if len(counts) > max_groups:
        keep = set(counts.index[: max_groups - 1])
        labels = labels.where(labels.isin(keep) | (labels == UNKNOWN), OTHER)
    return labels, sort_groups(labels.unique())


def group_colours(groups: Sequence[str]) -> dict[str, tuple]:
    """A colour per group; grey is kept for unknown and other, so no group is mistaken for them."""
    named = [g for g in groups if g not in (UNKNOWN, OTHER, SUPPRESSED_GROUP)]
    tab10, tab20 = matplotlib.colormaps["tab10"], matplotlib.colormaps["tab20"]
    # tab10 without its grey, then tab20's light shades without theirs: 18 distinct colours.
    palette = [tab10(i) for i in (0, 1, 2, 3, 4, 5, 6, 8, 9)]
    palette += [tab20(i) for i in (1, 3, 5, 7, 9, 11, 13, 17, 19)]
    colours = {g: palette[i % len(palette)] for i, g in enumerate(named)}
    colours.update({g: (0.6, 0.6, 0.6, 1.0) for g in groups if g not in colours})
    return colours


def legend_outside(ax: Axes, handles: list, title: str | None):
    """A legend to the right of the axes, where it never hides part of a map."""
    return ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8,
                     frameon=False, title=title)


def finish_axes(ax: Axes, title: str | None, caption: str | None) -> None:
    """Blank frame, a title, and a wrapped caption under the drawing."""
    ax.set_axis_off()
    if title:
        ax.set_title(title, fontsize=12, loc="left")
    if caption:
        add_caption(ax, caption)


def add_caption(ax: Axes, caption: str, *, below: float = 4.0) -> None:
    """Wrapped small text under the Axes, ``below`` points under its bottom edge."""
    wrapped = "\n".join(textwrap.wrap(caption, width=110))
    ax.annotate(
        wrapped,
        xy=(0.0, 0.0),
        xycoords="axes fraction",
        xytext=(0.0, -below),
        textcoords="offset points",
        ha="left",
        va="top",
        fontsize=7,
        color="#333333",
    )


def caption_text(
    data_name: str | None,
    *,
    shown: str,
    suppressed: str | None = None,
    extra: Iterable[str] = (),
    date: _dt.date | None = None,
) -> str:
    """The caption every map carries: data, date, what is shown and what was suppressed."""
    date = date or _dt.datetime.now(_dt.UTC).date()
    parts = [f"Data: {data_name or 'unnamed dataset'}.", f"Drawn {date.isoformat()}.", shown]
    parts.extend(extra)
    parts.append(suppressed or "Nothing suppressed.")
    return " ".join(p.strip() for p in parts if p)


def save_figure(fig: Figure, path: str | os.PathLike, *, dpi: int = 150) -> Path:
    """Save ``fig`` as PNG, SVG or PDF (by suffix), atomically, with no metadata in the file."""
    path = Path(path)
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in IMAGE_FORMATS:
        raise AlumniNetError(
            f"cannot save a figure as '{path.suffix or path.name}'; use .png, .svg or .pdf"
        )
    buf = io.BytesIO()
    fig.savefig(buf, format=fmt, dpi=dpi, metadata=figure_metadata(fmt), bbox_inches=None)
    return atomic_write_bytes(path, buf.getvalue())
