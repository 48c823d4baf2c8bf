"""Shared drawing helpers: colours, legends, captions and metadata-free saving."""

from __future__ import annotations

import contextlib
import datetime as _dt
import io
import os
import re
import textwrap
import warnings
from collections.abc import Hashable, Iterable, Iterator, Sequence
from pathlib import Path

import matplotlib
import networkx as nx
import numpy as np
import pandas as pd
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.legend import Legend
from matplotlib.typing import LineStyleType

from alumni_net.core.files import atomic_write_bytes
from alumni_net.core.privacy import figure_metadata
from alumni_net.core.publish import published_name
from alumni_net.errors import AlumniNetError

UNKNOWN = "unknown"
OTHER = "other"
SUPPRESSED_GROUP = "other (suppressed)"
IMAGE_FORMATS = ("png", "svg", "pdf")
#: More colours than this and the legend (two columns of 20) stops being readable; the rest
#: become "other", and the caption says which groups were merged.
MAX_COLOURS = 40
#: Legend entries per column beside a map.
LEGEND_ROWS = 20
ALUM_EDGE = "#111111"
TIE_COLOURS = ("#4d4d4d", "#1f78b4", "#e6550d", "#31a354", "#756bb1", "#d6616b", "#8c6d31")
TIE_STYLES: tuple[LineStyleType, ...] = ("-", "--", ":", "-.")


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


def _as_label(value: object) -> str:
    if value is None or (np.isscalar(value) and pd.isna(value)):
        return UNKNOWN
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    return str(value)


def sort_groups(groups: Iterable[str]) -> list[str]:
    """Groups in natural order, as a reader counts them: unknown, other and suppressed last.

    Labels that are all numbers (and stay distinct as numbers) sort by value; otherwise runs of
    digits inside labels compare as numbers, so cohort 2 comes before cohort 10 and the 2019
    cohorts ``2019.1``, ``2019.2``, ``2019.10`` keep that order (as numbers, ``2019.1`` and
    ``2019.10`` would be equal).

    Examples
    --------
    >>> sort_groups(["10", "2", "1", "11", "unknown"])
    ['1', '2', '10', '11', 'unknown']
    >>> sort_groups(["cohort 10", "cohort 2", "Cohort 1", "other"])
    ['Cohort 1', 'cohort 2', 'cohort 10', 'other']
    >>> sort_groups(["2019.10", "2019.2", "2019.1"])
    ['2019.1', '2019.2', '2019.10']
    >>> sort_groups(["0.5", "0.25", "-1"])
    ['-1', '0.25', '0.5']
    """
    tail = [SUPPRESSED_GROUP, OTHER, UNKNOWN]
    labels = set(groups)
    head = [g for g in labels if g not in tail]
    numbers = [_as_number(g) for g in head]
    if head and None not in numbers and len(set(numbers)) == len(head):
        ordered = [g for _, g in sorted(zip(numbers, head, strict=True))]
    else:
        ordered = sorted(head, key=_natural_key)
    return ordered + [g for g in tail if g in labels]


def _as_number(label: str) -> float | None:
    try:
        value = float(label)
    except (TypeError, ValueError):
        return None
    return value if np.isfinite(value) else None


_DIGITS = re.compile(r"(\d+)")


def _natural_key(label: str) -> tuple:
    """Text in lower case, runs of digits as numbers: ``"C10"`` after ``"C9"``."""
    parts = _DIGITS.split(str(label).lower())
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in parts if p) + (
        (2, 0, str(label)),)


def cap_groups(
    labels: pd.Series, max_groups: int = MAX_COLOURS, *, attr: str | None = None
) -> tuple[pd.Series, list[str], str]:
    """Keep the ``max_groups - 1`` largest groups, relabel the rest as "other".

    Returns the labels, the groups in legend order, and a sentence saying exactly what was
    merged ("" when every group keeps its colour).

    Examples
    --------
    >>> labels = pd.Series([f"v{i:02d}" for i in range(25) for _ in range(i + 1)])
    >>> _, order, note = cap_groups(labels, attr="village")
    >>> len(order), note
    (25, '')
    >>> _, order, note = cap_groups(labels, 6, attr="village")
    >>> order[-1], note.split(" are ")[0]
    ('other', 'The 20 smallest of 25 village groups')
    """
    counts = labels[labels != UNKNOWN].value_counts(sort=True)
    note = ""
    if len(counts) > max_groups:
        keep = set(counts.index[: max_groups - 1])
        merged = [g for g in counts.index if g not in keep]
        labels = labels.where(labels.isin(keep) | (labels == UNKNOWN), OTHER)
        what = f"{attr} groups" if attr else "groups"
        named = f" ({', '.join(sort_groups(merged))})" if len(merged) <= 10 else ""
        note = (
            f"The {len(merged)} smallest of {len(counts)} {what}{named} are drawn grey as "
            f"{OTHER} (the {max_groups - 1} largest have their own colour)."
        )
    return labels, sort_groups(labels.unique()), note


def group_colours(groups: Sequence[str]) -> dict[str, tuple]:
    """A colour per group; grey is kept for unknown and other, so no group is mistaken for them."""
    named = [g for g in groups if g not in (UNKNOWN, OTHER, SUPPRESSED_GROUP)]
    palette = _palette()
    colours = {g: palette[i % len(palette)] for i, g in enumerate(named)}
    colours.update({g: (0.6, 0.6, 0.6, 1.0) for g in groups if g not in colours})
    return colours


def _palette() -> list[tuple]:
    """54 colours without grey: tab10's strong colours, tab20's light shades, tab20b, tab20c."""
    tab10, tab20 = matplotlib.colormaps["tab10"], matplotlib.colormaps["tab20"]
    tab20b, tab20c = matplotlib.colormaps["tab20b"], matplotlib.colormaps["tab20c"]
    palette = [tab10(i) for i in (0, 1, 2, 3, 4, 5, 6, 8, 9)]
    palette += [tab20(i) for i in (1, 3, 5, 7, 9, 11, 13, 17, 19)]
    palette += [tab20b(i) for i in range(20)]
    palette += [tab20c(i) for i in range(16)]  # its last four are greys
    return palette


def legend_outside(ax: Axes, handles: Sequence[Artist], title: str | None) -> Legend:
    """A legend to the right of the axes, where it never hides part of a map; long legends
    wrap into columns of :data:`LEGEND_ROWS` entries."""
    ncol = max(1, -(-len(handles) // LEGEND_ROWS))
    return ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0),
                     fontsize=8 if ncol == 1 else 7, frameon=False, title=title, ncol=ncol)


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
    # The name comes from the data: checked like a cell (core.publish).
    parts = [f"Data: {published_name(data_name)}.", f"Drawn {date.isoformat()}.", shown]
    parts.extend(extra)
    parts.append(suppressed or "Nothing suppressed.")
    return " ".join(p.strip() for p in parts if p)


@contextlib.contextmanager
def missing_glyphs_drawn_as_boxes() -> Iterator[None]:
    """Draw characters the font lacks (emoji, some scripts in category names) as boxes, quietly.

    Matplotlib warns once per missing glyph; for data labels that is noise to the reader of a
    map or report, whose figure is still right apart from those characters.
    """
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r"Glyph \d+ .* missing from font")
        yield


def root_figure(ax: Axes) -> Figure:
    """The figure holding ``ax``, the one to save: for an axes in a subfigure, the whole figure
    (a subfigure is part of one and cannot be saved alone)."""
    fig = ax.get_figure(root=True)
    if fig is None:
        raise AlumniNetError("the axes belongs to no figure, so there is nothing to save")
    return fig


def save_figure(fig: Figure, path: str | os.PathLike, *, dpi: int = 150) -> Path:
    """Save ``fig`` as PNG, SVG or PDF (by suffix), atomically, with no metadata in the file."""
    path = Path(path)
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in IMAGE_FORMATS:
        raise AlumniNetError(
            f"cannot save a figure as '{path.suffix or path.name}'; use .png, .svg or .pdf"
        )
    buf = io.BytesIO()
    with missing_glyphs_drawn_as_boxes():
        fig.savefig(buf, format=fmt, dpi=dpi, metadata=figure_metadata(fmt), bbox_inches=None)
    return atomic_write_bytes(path, buf.getvalue())
