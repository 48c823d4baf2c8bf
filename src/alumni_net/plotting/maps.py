"""Network maps: the whole network, aggregated groups, one alum's three degrees, growth by cohort.

Every ``plot_*`` function draws on ``ax`` (a new figure when None) and returns the Axes. Maps
never show names: person-level labels (pseudonymised ids) need ``person_labels=True``.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Hashable, Mapping, Sequence
from typing import Any, overload

import networkx as nx
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.collections import PathCollection
from matplotlib.lines import Line2D

from alumni_net.core.privacy import DEFAULT_MIN_COUNT, format_count, looks_personal
from alumni_net.core.publish import allow_list, pool_small_groups, pooled_note
from alumni_net.core.rng import SeedLike
from alumni_net.errors import AlumniNetError
from alumni_net.plotting._aggregate import Aggregated, aggregate_network
from alumni_net.plotting._draw import alum_handles, draw_edges, draw_nodes, node_sizes
from alumni_net.plotting._labels import Candidate, LabelPlacer, TextStyle, laid_out, outward
from alumni_net.plotting._layout import (
    Positions,
    circle_layout,
    fit_square,
    force_layout,
    point,
)
from alumni_net.plotting._style import (
    SUPPRESSED_GROUP,
    UNKNOWN,
    cap_groups,
    caption_text,
    finish_axes,
    group_colours,
    legend_outside,
    new_axes,
    node_groups,
)

__all__ = [
    "DEFAULT_GROUPINGS",
    "MAX_PEOPLE",
    "aggregate_network",
    "choose_grouping",
    "map_mode",
    "plot_aggregated_map",
    "plot_network_map",
]

#: Above this many people a person-level map stops being legible (see :func:`plot_network_map`).
MAX_PEOPLE = 5000
#: Attributes tried, in order, when no grouping is named.
DEFAULT_GROUPINGS = ("cohort", "sector", "region")


def plot_network_map(
    G: nx.Graph,
    *,
    color_by: str | None = None,
    size_by: str | None = "degree",
    centrality: pd.DataFrame | Mapping | None = None,
    ax: Axes | None = None,
    seed: SeedLike = 0,
    max_people: int = MAX_PEOPLE,
    person_labels: bool = False,
    min_count: int = DEFAULT_MIN_COUNT,
    title: str | None = None,
    data_name: str | None = None,
    pos: Positions | None = None,
) -> Axes:
    """Person-level map: colour by a group, size by a centrality, alumni outlined, ties by kind.

    Up to ``max_people`` people everyone is drawn. Beyond that the map shows the alumni and
    their direct contacts when those fit, and otherwise falls back to an aggregated map
    (:func:`plot_aggregated_map`); the caption says which.

    Parameters
    ----------
    G : networkx.Graph or DiGraph
        Nodes carry attributes such as ``is_alum``, ``cohort``, ``sector``; edges ``kinds``.
    color_by : str, optional
        Node attribute for colours; default the first of cohort, sector, region present.
    size_by : str or None, default "degree"
        Column of ``centrality`` (or node attribute) for marker size; degree is computed when
        no table is given. None draws equal sizes.
    centrality : DataFrame or mapping, optional
        Table with ``person_id`` and the ``size_by`` column (``centrality.csv``), or id -> value.
    seed : int, Generator, SeedSequence or None
        Seeds the layout.
    person_labels : bool, default False
        Draw pseudonymised ids beside people (all up to 300 people, else the 30 largest).

    Examples
    --------
    >>> G = nx.path_graph(4)
    >>> nx.set_node_attributes(G, {0: "health", 1: "health", 2: "voluntary", 3: "health"}, "sector")
    >>> ax = plot_network_map(G, color_by="sector")
    >>> [t.get_text() for t in ax.get_legend().get_texts()]
    ['health', 'voluntary']
    """
    _require_people(G)
    ax = new_axes(ax)
    asked, color_by = color_by, choose_grouping(G, color_by, min_count=min_count)
    view, shown = _map_view(G, max_people)
    if view is None:
        fallback = asked  # None lets the aggregated map choose (sector first)
        note = f"The network has {G.number_of_nodes():,} people, too many for a person-level map."
        return plot_aggregated_map(
            G,
            group_by=fallback,
            ax=ax,
            min_count=min_count,
            seed=seed,
            title=title,
            data_name=data_name,
            note=note,
        )
    nodes = list(view.nodes)
    pos = pos if pos is not None else force_layout(view, seed)
    kind_handles = draw_edges(ax, view, pos)
    labels = node_groups(view, color_by) if color_by else _single_group(nodes)
    labels, pooled_text = _pooled_unless_published(G, labels, color_by, min_count)
    groups, order, merged_note = cap_groups(labels, attr=color_by)
    palette = group_colours(order)
    sizes, size_note = node_sizes(view, nodes, size_by, centrality)
    alum = np.array([bool(view.nodes[v].get("is_alum", False)) for v in nodes], dtype=bool)
    draw_nodes(ax, nodes, pos, [palette[groups[v]] for v in nodes], sizes, alum)
    _legends(ax, order, palette, color_by, kind_handles + alum_handles(alum))
    if person_labels:
        _draw_labels(ax, nodes, pos, sizes)
    fit_square(ax, pos)
    extra = [f"Colour: {color_by or 'none'}; {size_note}.", pooled_text, merged_note,
             _direction_note(G)]
    if person_labels:
        extra.append("Labels are pseudonymised ids.")
    caption = caption_text(
        data_name, shown=shown, extra=extra, suppressed="No counts shown; no names or emails drawn."
    )
    finish_axes(ax, title or ("Alumni network map" if alum.any() else "Network map"), caption)
    return ax


@overload
def choose_grouping(
    G: nx.Graph, attr: str, *, default: str | None = None,
    order: tuple[str, ...] = DEFAULT_GROUPINGS, min_count: int = DEFAULT_MIN_COUNT,
) -> str: ...


@overload
def choose_grouping(
    G: nx.Graph, attr: str | None, *, default: str | None = None,
    order: tuple[str, ...] = DEFAULT_GROUPINGS, min_count: int = DEFAULT_MIN_COUNT,
) -> str | None: ...


def choose_grouping(
    G: nx.Graph,
    attr: str | None,
    *,
    default: str | None = None,
    order: tuple[str, ...] = DEFAULT_GROUPINGS,
    min_count: int = DEFAULT_MIN_COUNT,
) -> str | None:
    """``attr`` checked against the data, or the first attribute of ``order`` present.

    ``"sector+region"`` names blocks of two attributes. Raises AlumniNetError for an attribute
    nobody has, and for one that outputs never publish (a name, an email, an id, free text: see
    :mod:`alumni_net.core.publish`), since a map's legend and labels show its values.
    """
    if attr is not None:
        allowed = None
        for part in attr.split("+"):
            if looks_personal(part):
                raise AlumniNetError(f"'{part}' is a personal field; maps never show it")
            if part == "person_id":  # the node itself, not an attribute: refused, as an id
                allow_list(G, min_count=min_count).check_grouping(part, purpose="colour a map")
            if not any(part in d for _, d in G.nodes(data=True)):
                raise AlumniNetError(f"no one in the data has a '{part}' value; {_available(G)}")
            allowed = allowed or allow_list(G, min_count=min_count)
            allowed.check_grouping(part, purpose="colour or group a map")
        return attr
    allowed = allow_list(G, min_count=min_count)
    for name in order:
        if allowed.allows(name) and any(d.get(name) is not None for _, d in G.nodes(data=True)):
            return name
    return default


def _require_people(G: nx.Graph) -> None:
    if G.number_of_nodes() == 0:
        raise AlumniNetError("the network has no people to draw")


def _available(G: nx.Graph) -> str:
    keys = sorted(str(c) for c in allow_list(G).columns)
    return "available: " + (", ".join(keys[:20]) if keys else "none")


def map_mode(G: nx.Graph, max_people: int = MAX_PEOPLE) -> str:
    """What :func:`plot_network_map` draws: "everyone", "alumni and contacts" or "aggregated".

    Examples
    --------
    >>> G = nx.path_graph(30)
    >>> nx.set_node_attributes(G, {v: v == 10 for v in G}, "is_alum")
    >>> map_mode(G), map_mode(G, max_people=5), map_mode(G, max_people=2)
    ('everyone', 'alumni and contacts', 'aggregated')
    """
    view, _ = _map_view(G, max_people)
    if view is None:
        return "aggregated"
    return "everyone" if view.number_of_nodes() == G.number_of_nodes() else "alumni and contacts"


def _map_view(G: nx.Graph, max_people: int) -> tuple[nx.Graph | None, str]:
    """The graph to draw and a sentence saying what it is; None means aggregate instead."""
    n = G.number_of_nodes()
    if n <= max_people:
        return G, f"All {n:,} people and {G.number_of_edges():,} ties."
    alumni = [v for v, a in G.nodes(data="is_alum") if a]
    keep = set(alumni)
    for v in alumni:
        keep.update(nx.all_neighbors(G, v) if G.is_directed() else G.neighbors(v))
    if not alumni or len(keep) > max_people:
        return None, ""
    shown = (
        f"The network has {n:,} people, more than the {max_people:,} a person-level map "
        f"shows legibly; this map shows the {len(alumni):,} alumni and their "
        f"{len(keep) - len(alumni):,} direct contacts."
    )
    return G.subgraph(keep), shown


def _pooled_unless_published(G: nx.Graph, labels: pd.Series, color_by: str | None,
                             min_count: int) -> tuple[pd.Series, str]:
    """Colour groups of a column outputs do not publish (rare values) pooled with their
    complement, as every grouping is; schema and declared categories are shown as they are."""
    if not color_by:
        return labels, ""
    allowed = allow_list(G, min_count=min_count)
    if all(allowed.allows(part) for part in color_by.split("+")):
        return labels, ""
    pooled, n = pool_small_groups(labels, min_count=min_count, label=SUPPRESSED_GROUP)
    return pooled, pooled_note(n, color_by, min_count)


def _single_group(nodes: list[Hashable]) -> pd.Series:
    return pd.Series("people", index=nodes, dtype=object)


def _legends(ax: Axes, order: Sequence[str], palette: Mapping[str, tuple],
             color_by: str | None, style_handles: Sequence[Line2D]) -> None:
    """Style legend (ties, alumni) inside; the group legend, outside, is ``ax.get_legend()``."""
    if style_handles:
        # Inside the frame: constrained layout makes room for one outside legend only.
        styles = ax.legend(
            handles=style_handles,
            loc="lower right",
            fontsize=7,
            framealpha=0.85,
            title="ties and people",
            title_fontsize=7,
        )
        ax.add_artist(styles)
    handles = [Line2D([], [], marker="o", ls="", color=palette[g], label=g) for g in order]
    legend_outside(ax, handles, color_by or None)


def _draw_labels(ax: Axes, nodes: Sequence[Hashable], pos: Positions,
                 sizes: np.ndarray) -> None:
    chosen = nodes if len(nodes) <= 300 else [nodes[i] for i in np.argsort(-sizes)[:30]]
    for v in chosen:
        ax.annotate(str(v), point(pos[v]), fontsize=5, xytext=(2, 2), textcoords="offset points")


def _direction_note(G: nx.Graph) -> str:
    if G.is_directed():
        return "Ties are directed nominations, drawn without arrows."
    return ""


def plot_aggregated_map(
    G: nx.Graph,
    *,
    group_by: str | None = None,
    min_count: int = DEFAULT_MIN_COUNT,
    hide_small: bool = False,
    ax: Axes | None = None,
    seed: SeedLike = 0,
    title: str | None = None,
    data_name: str | None = None,
    note: str | None = None,
) -> Axes:
    """One node per group (area = people), line width = ties between groups; small counts hidden.

    Without ``group_by``, groups are the first of sector, region and cohort in the data; data
    with none of them are grouped by community (seeded Leiden, :func:`alumni_net.metrics.
    communities`), and the caption says so. A named attribute with a single value is refused:
    one circle says nothing.

    Groups with fewer than ``min_count`` people are merged, with their complement, into "other
    (suppressed)" (hidden when ``hide_small``); between-group links with fewer than ``min_count``
    ties are not drawn; alumni counts below the minimum count read "<10" (no alumni line when
    nobody is an alum). Labels never overlap: group labels sit outside the ring, tie counts
    along their lines where they are free, and the caption says if any found no room. The
    legend lists exactly the groups drawn.
    ``seed`` seeds the community detection when groups are communities.

    Examples
    --------
    >>> G = nx.complete_graph(25)
    >>> nx.set_node_attributes(G, {v: "health" if v < 15 else "voluntary" for v in G}, "sector")
    >>> ax = plot_aggregated_map(G, group_by="sector")
    >>> [t.get_text() for t in ax.get_legend().get_texts()]
    ['health', 'voluntary']
    >>> [t.get_text() for t in ax.texts][1:]  # after the caption: groups, then ties between
    ['health\\n15 people', 'voluntary\\n10 people', '150']
    """
    _require_people(G)
    ax = new_axes(ax)
    # Everyone has a sector or region; only alumni have a cohort, so it comes last here.
    asked = group_by
    if asked is None:
        # The first of these that splits people into two or more groups.
        splitting = tuple(a for a in ("sector", "region", "cohort")
                          if len(set(node_groups(G, a)) - {UNKNOWN}) > 1)
        group_by = choose_grouping(G, None, order=splitting, min_count=min_count)
    else:
        group_by = choose_grouping(G, group_by, min_count=min_count)
    how = ""
    if group_by is None:
        labels, how = community_groups(G, seed)
        agg = aggregate_network(G, labels, min_count=min_count, hide_small=hide_small)
        group_by = "community"
    else:
        if asked is not None:
            _require_several_groups(G, group_by)
        agg = aggregate_network(G, group_by, min_count=min_count, hide_small=hide_small)
    order = list(agg.groups["group"])
    pos: Positions = circle_layout(order) if len(order) > 1 else {g: np.zeros(2) for g in order}
    palette = group_colours(order)
    _draw_links(ax, agg.links, pos)
    circles = _draw_groups(ax, agg.groups, pos, palette)
    handles = [Line2D([], [], marker="o", ls="", color=palette[g], label=g) for g in order]
    legend_outside(ax, handles, group_by)
    fit_square(ax, pos, pad=0.45)
    shown = (
        f"{len(order)} groups by {group_by}; circle area = people, "
        "line width = ties between groups."
    )
    caption = caption_text(
        data_name,
        shown=shown,
        extra=[how, note or "", _direction_note(G)],
        suppressed=_suppression_note(agg),
    )
    finish_axes(ax, title or f"Ties between {group_by} groups", caption)
    groups_out, counts_out = _label_map(ax, agg, pos, circles, min_count, alumni=_any_alum(G))
    crowded = []
    if groups_out:
        crowded.append(f"{groups_out} group label(s) left out for lack of room (the legend "
                       "names every group).")
    if counts_out:
        crowded.append(f"{counts_out} tie count(s) left unlabelled where they would overlap "
                       "other labels.")
    if crowded:
        _extend_caption(ax, caption, " ".join(crowded))
    return ax


def community_groups(G: nx.Graph, seed: SeedLike = 0) -> tuple[pd.Series, str]:
    """Each person's community as a group label ("community 1" the largest) and a sentence
    saying how the groups were found, for data with no sector, region or cohort."""
    from alumni_net.metrics import communities

    found = communities(G, seed=seed)
    labels = pd.Series(
        [f"community {c + 1}" for c in found.to_numpy()], index=found.index, dtype=object
    )
    how = (
        "The data have no sector, region or cohort that splits people into groups, so they "
        "are grouped by community: "
        f"{found.nunique():,} communities found by Leiden modularity clustering (igraph, "
        f"{f'seed {seed}' if isinstance(seed, int) else 'seeded'}); numbers are labels, 1 the "
        "largest."
    )
    return labels, how


def _require_several_groups(G: nx.Graph, attr: str) -> None:
    values = set(node_groups(G, attr))
    if len(values) == 1:
        raise AlumniNetError(
            f"everyone has the same {attr} ({next(iter(values))}), so an aggregated map would "
            "be one circle; choose another attribute, or give none to group by community"
        )


def _draw_links(ax: Axes, links: pd.DataFrame, pos: Positions) -> None:
    if links.empty:
        return
    top = float(links["ties"].max())
    for row in links.itertuples():
        (x0, y0), (x1, y1) = pos[row.source], pos[row.target]
        ax.plot(
            [x0, x1],
            [y0, y1],
            color="#777777",
            alpha=0.6,
            zorder=1,
            lw=0.8 + 9.0 * row.ties / top,
            solid_capstyle="round",
        )


def _draw_groups(ax: Axes, groups: pd.DataFrame, pos: Positions,
                 palette: Mapping[str, tuple]) -> dict[str, PathCollection]:
    """One circle per group, area proportional to people (sized again by :func:`_make_room`)."""
    top = float(groups["people"].max()) if len(groups) else 1.0
    circles = {}
    for row in groups.itertuples():
        x, y = pos[row.group]
        circles[row.group] = ax.scatter([x], [y], s=300 + 2700 * row.people / top,
                                        color=palette[row.group], edgecolors="white",
                                        linewidths=1.0, zorder=3)
    return circles


def _any_alum(G: nx.Graph) -> bool:
    return any(bool(a) for _, a in G.nodes(data="is_alum"))


def _label_map(ax: Axes, agg: Aggregated, pos: Positions, circles: dict[str, PathCollection],
               min_count: int, *, alumni: bool) -> tuple[int, int]:
    """Group labels outside the ring (away from the ties inside it), then tie counts along their
    lines where they overlap nothing; returns how many group labels and tie counts found no
    room."""
    labels = {row.group: _group_label(row, min_count, alumni) for row in agg.groups.itertuples()}
    areas = _make_room(ax, pos, labels, circles)
    placer = LabelPlacer(ax, inside=True)
    for group, area in areas.items():
        placer.avoid_circle(point(pos[group]), np.sqrt(area))
    centre = np.mean(np.array(list(pos.values())), axis=0) if pos else np.zeros(2)
    for group, text in labels.items():
        radius = np.sqrt(areas[group]) / 2 + 4  # clear of the circle and the gap
        where = (outward(pos[group], centre, radius, steps=[_STAGGER * k for k in range(4)])
                 if len(pos) > 1 else
                 [Candidate(point(pos[group]), (0, -radius), "center", "top")])
        placer.place(text, where, **_GROUP_STYLE)
    groups_out, placer.left_out = placer.left_out, 0
    if len(agg.links) > 30:  # too many to read: the line widths carry them
        return groups_out, 0
    style: TextStyle = {"fontsize": 6, "color": "#333333", "zorder": 4,
                        "bbox": {"boxstyle": "round,pad=0.1", "fc": "white", "ec": "none",
                                 "alpha": 0.8}}
    for row in agg.links.sort_values("ties", ascending=False).itertuples():
        a, b = np.asarray(pos[row.source]), np.asarray(pos[row.target])
        spots = [Candidate(point(a + t * (b - a))) for t in _ALONG]
        placer.place(format_count(row.ties, min_count), spots, **style)
    return groups_out, placer.left_out


_GROUP_STYLE: TextStyle = {"fontsize": 7, "zorder": 5}


def _group_label(row: Any, min_count: int, alumni: bool) -> str:
    """Name and counts of one group: ``row`` is a row of ``Aggregated.groups.itertuples()``."""
    lines = [*_wrap_name(str(row.group)), f"{format_count(row.people, min_count)} people"]
    if alumni:  # a study without a programme has no alumni to count
        lines.append(f"{format_count(row.alumni, min_count)} alumni")
    return "\n".join(lines)


def _wrap_name(name: str, width: int = 16) -> list[str]:
    """A long group name on lines of about ``width`` characters, broken after ``_``, ``-`` or a
    space (``north_east_and_`` / ``yorkshire``)."""
    parts = re.findall(r"[^_\- ]+[_\- ]*", name) or [name]
    lines = [""]
    for part in parts:
        if lines[-1] and len(lines[-1]) + len(part.rstrip()) > width:
            lines.append("")
        lines[-1] += part
    return [line.rstrip() if line.endswith(" ") else line for line in lines]


def _make_room(ax: Axes, pos: Positions, labels: dict[str, str],
               circles: dict[str, PathCollection]) -> dict[str, float]:
    """Limits and circle sizes that leave room for every group label; returns each circle's
    area in points squared.

    The ring (radius 1 in data units) gets the largest radius ``R`` in points at which every
    label, beside its circle and pointing away from the centre, stays inside the axes (off the
    legend beside them); circles then shrink, all by the same factor, until neighbours on the
    ring no longer touch.
    """
    areas = {g: float(c.get_sizes()[0]) for g, c in circles.items()}
    if len(pos) < 2:
        return areas
    figure, renderer = laid_out(ax)
    points = figure.dpi / 72
    half_width = ax.get_window_extent(renderer).width / points / 2
    probe = ax.text(0, 0, "", **_GROUP_STYLE)
    radius = half_width * 0.8
    for group, text in labels.items():
        probe.set_text(text)
        box = probe.get_window_extent(renderer)
        w, h = box.width / points, box.height / points
        x, y = pos[group]
        d = np.sqrt(areas[group]) / 2 + 4 + _STAGGER  # one staggered step still fits
        # Extent beyond the circle's centre, along each axis, of a label pointing outward.
        ex = abs(x) * d + (w if abs(x) > 0.35 else w / 2)
        ey = abs(y) * d + (h if abs(y) > 0.35 else h / 2)
        for coord, extent in ((x, ex), (y, ey)):
            if abs(coord) > 1e-9:
                radius = min(radius, (half_width - extent) / abs(coord))
    probe.remove()
    radius = max(radius, half_width * 0.25)
    half = half_width / radius
    ax.set_xlim(-half, half)
    ax.set_ylim(-half, half)
    spacing = 2 * radius * np.sin(np.pi / len(pos))  # between neighbouring centres, in points
    largest = np.sqrt(max(areas.values()))
    if largest > 0.9 * spacing:
        scale = (0.9 * spacing / largest) ** 2
        for group, circle in circles.items():
            areas[group] *= scale
            circle.set_sizes([areas[group]])
    return areas


_STAGGER = 14.0  # points between a label's staggered positions


#: Where along a tie line its count may go, tried in this order.
_ALONG = (0.5, 0.42, 0.58, 0.34, 0.66, 0.27, 0.73)


def _extend_caption(ax: Axes, caption: str, sentence: str) -> None:
    """Add a sentence to the caption drawn by ``finish_axes``."""
    wrapped = "\n".join(textwrap.wrap(caption, width=110))
    for text in ax.texts:
        if text.get_text() == wrapped:
            text.set_text("\n".join(textwrap.wrap(f"{caption} {sentence}", width=110)))
            return


def _suppression_note(agg: Aggregated) -> str:
    t = agg.min_count
    parts = []
    if agg.merged:
        parts.append(
            f"{agg.merged} group(s) merged into 'other (suppressed)': those with fewer than {t} "
            "people, with the next smallest where needed so that none can be worked out from "
            "the total."
        )
    if agg.hidden:
        parts.append(f"{agg.hidden} group(s) with fewer than {t} people not shown.")
    if agg.lumped:
        parts.append(
            f"The {agg.lumped} smallest groups (each at least {t} people) drawn together "
            "as 'other'."
        )
    if agg.hidden_links:
        parts.append(f"{agg.hidden_links} link(s) with fewer than {t} ties not drawn.")
    parts.append(f"Counts below {t} shown as <{t}.")
    return " ".join(parts)
