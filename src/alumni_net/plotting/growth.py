"""Growth maps: the alumni network cohort by cohort, as small multiples and an animated GIF."""

from __future__ import annotations

import os
import textwrap
from collections.abc import Hashable, Mapping
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
from matplotlib.animation import PillowWriter
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from alumni_net.core.privacy import DEFAULT_MIN_COUNT, format_count
from alumni_net.core.rng import SeedLike
from alumni_net.errors import AlumniNetError
from alumni_net.plotting._layout import Positions, fit_square, force_layout
from alumni_net.plotting._style import (
    UNKNOWN,
    caption_text,
    finish_axes,
    legend_outside,
    new_axes,
    node_groups,
    sort_groups,
)

__all__ = ["growth_stages", "plot_growth_map", "plot_growth_panels", "save_growth_gif"]

_EARLIER, _NEW, _LATER, _NEVER = "#3182bd", "#e6550d", "#cccccc", "#999999"


def _is_adoption(order_by: str) -> bool:
    """An ordering by time of adoption (``adoption_year``, ``toa``), not by joining."""
    name = order_by.lower()
    return "adopt" in name or name in {"toa", "time_of_adoption"}


def _words(order_by: str) -> dict[str, str]:
    """What the stages, the people and the four kinds of people are called for ``order_by``.

    Examples
    --------
    >>> _words("adoption_year")["title"], _words("adoption_year")["never"]
    ('Adoption over time (by adoption year)', 'never adopted')
    >>> _words("cohort")["title"], _words("cohort")["later"]
    ('The alumni network, cohort by cohort', 'not yet joined (a later cohort)')
    """
    name = "time of adoption" if order_by.lower() == "toa" else order_by.replace("_", " ")
    if order_by == "cohort":
        return dict(name=name, title="The alumni network, cohort by cohort", who="people",
                    earlier="joined in an earlier cohort", now="joined in this cohort",
                    later="not yet joined (a later cohort)", never="", never_note="")
    if _is_adoption(order_by):
        return dict(name=name, title=f"Adoption over time (by {name})", who="adopters",
                    earlier="adopted earlier", now="adopted at this time",
                    later="not yet adopted", never="never adopted",
                    never_note="never adopted by the end of the data")
    return dict(name=name, title=f"The network, stage by stage (by {name})", who="people",
                earlier=f"earlier {name}", now=f"this {name}", later=f"later {name}",
                never=f"no {name}", never_note=f"no {name} value")


def _never(G: nx.Graph, order_by: str, labels: pd.Series) -> list[Hashable]:
    """People drawn as never reaching a stage: for an adoption ordering, those marked
    ``adopted`` false (whatever code their adoption time holds, such as a censoring value) or
    with no adoption time; for other orderings but cohort, those with no value. Cohort maps
    show the alumni only."""
    if order_by == "cohort":
        return []
    never = [v for v, s in labels.items() if s == UNKNOWN]
    if _is_adoption(order_by):
        flagged = {v for v, a in G.nodes(data="adopted") if a is not None and not pd.isna(a)
                   and not bool(a)}
        never += [v for v, s in labels.items() if s != UNKNOWN and v in flagged]
    return never


def growth_stages(G: nx.Graph, order_by: str = "cohort") -> list[str]:
    """The stages (e.g. cohorts) in time order, as labels; cohorts follow ``cohort_start``.

    Examples
    --------
    >>> G = nx.Graph()
    >>> G.add_nodes_from([(1, {"cohort": 10}), (2, {"cohort": 2}), (3, {})])
    >>> growth_stages(G)
    ['2', '10']
    """
    labels = node_groups(G, order_by)
    labels = labels[labels != UNKNOWN].drop(_never(G, order_by, labels), errors="ignore")
    if labels.empty:
        raise AlumniNetError(f"no one in the data has a '{order_by}' value to order growth by")
    starts = _stage_starts(G, labels) if order_by == "cohort" else None
    if starts is not None:
        return sorted(labels.unique(), key=lambda s: (starts[s], sort_groups(labels).index(s)))
    return sort_groups(labels.unique())


def _stage_starts(G: nx.Graph, labels: pd.Series) -> pd.Series | None:
    start = pd.to_datetime(
        pd.Series({v: G.nodes[v].get("cohort_start") for v in labels.index}), errors="coerce"
    )
    if start.isna().all():
        return None
    return start.groupby(labels).min().fillna(pd.Timestamp.max)


def plot_growth_map(
    G: nx.Graph,
    stage: Hashable,
    *,
    order_by: str = "cohort",
    pos: Positions | None = None,
    seed: SeedLike = 0,
    min_count: int = DEFAULT_MIN_COUNT,
    ax: Axes | None = None,
    title: str | None = None,
    data_name: str | None = None,
    caption: bool = True,
    legend: bool = True,
) -> Axes:
    """The network of everyone who had joined (or adopted) by ``stage``; newcomers highlighted.

    People with an ``order_by`` value are members; those reaching a later stage are drawn
    faintly ("not yet") so that successive maps share one frame. When ordering by adoption,
    people who never adopted (``adopted`` false, or no adoption time) are drawn hollow and
    called so, never "later". For cohorts with start dates, a tie dated (``since``) on or after
    the next cohort's start is not drawn yet. Pass ``pos`` (from a previous call) to keep
    positions. The legend sits outside the map (``legend=False`` leaves it to the caller).
    """
    ax = new_axes(ax)
    words = _words(order_by)
    stages = growth_stages(G, order_by)
    if str(stage) not in stages:
        raise AlumniNetError(f"'{stage}' is not a {order_by} in the data: {', '.join(stages)}")
    members, rank = _members(G, order_by, stages)
    never = _never(G, order_by, node_groups(G, order_by))
    H = G.subgraph(members + never)
    pos = pos if pos is not None else force_layout(H, seed)
    now = stages.index(str(stage))
    joined = [v for v in members if rank[v] <= now]
    ties = _stage_ties(G.subgraph(members), rank, now, _next_start(G, order_by, stages, now))
    handles = _draw_stage(ax, ties, pos, members, rank, now, never, words)
    if legend:
        legend_outside(ax, handles, None)
    fit_square(ax, {v: pos[v] for v in members + never})
    n_ties = len(ties)
    head = f"{words['name']} {stage}: {format_count(len(joined), min_count)} {words['who']}"
    text = None
    if caption:
        shown = (
            f"Everyone with a {order_by} up to and including {stage} "
            f"({format_count(len(joined), min_count)} {words['who']}, "
            f"{format_count(n_ties, min_count)} ties among them)."
        )
        if never:
            shown += (f" Hollow: {words['never_note']} "
                      f"({format_count(len(never), min_count)} people).")
        text = caption_text(
            data_name, shown=shown, suppressed=f"Counts below {min_count} shown as <{min_count}."
        )
    finish_axes(ax, title or head, text)
    return ax


def _members(G: nx.Graph, order_by: str,
             stages: list[str]) -> tuple[list[Hashable], dict[Hashable, int]]:
    labels = node_groups(G, order_by)
    index = {s: i for i, s in enumerate(stages)}
    rank = {v: index[s] for v, s in labels.items() if s in index}
    return list(rank), rank


def _next_start(G: nx.Graph, order_by: str, stages: list[str], now: int) -> pd.Timestamp | None:
    """When the stage after ``now`` began (cohorts with start dates only), else None."""
    if order_by != "cohort" or now + 1 >= len(stages):
        return None
    labels = node_groups(G, order_by)
    starts = _stage_starts(G, labels[labels != UNKNOWN])
    if starts is None or starts[stages[now + 1]] == pd.Timestamp.max:
        return None
    return starts[stages[now + 1]]


def _stage_ties(H: nx.Graph, rank: Mapping[Hashable, int], now: int,
                cutoff: pd.Timestamp | None) -> list[tuple[Hashable, Hashable]]:
    """Ties among people who had joined by ``now``, leaving out ties dated from ``cutoff`` on."""
    ties = []
    for u, v, since in H.edges(data="since"):
        if u == v or rank[u] > now or rank[v] > now:
            continue
        if cutoff is not None and since is not None and not pd.isna(since):
            if pd.Timestamp(since) >= cutoff:
                continue
        ties.append((u, v))
    return ties


def _draw_stage(ax: Axes, ties: list[tuple[Hashable, Hashable]], pos: Positions,
                members: list[Hashable], rank: Mapping[Hashable, int], now: int,
                never: list[Hashable], words: Mapping[str, str]) -> list[Line2D]:
    """Draw one stage; return the legend handles of the kinds of people drawn."""
    segs = [(pos[u], pos[v]) for u, v in ties]
    if segs:
        alpha = float(np.clip(25 / np.sqrt(len(segs)), 0.06, 0.6))
        ax.add_collection(LineCollection(segs, colors="#555555", linewidths=0.4, alpha=alpha))
    r = np.array([rank[v] for v in members])
    xy = np.array([pos[v] for v in members]).reshape(-1, 2)
    size = float(np.clip(2500 / max(len(members) + len(never), 1), 3, 60))
    if never:
        nxy = np.array([pos[v] for v in never]).reshape(-1, 2)
        ax.scatter(nxy[:, 0], nxy[:, 1], s=size, facecolors="none", edgecolors=_NEVER,
                   linewidths=0.5, zorder=0)
    for mask, colour, z in ((r > now, _LATER, 1), (r < now, _EARLIER, 2), (r == now, _NEW, 3)):
        if mask.any():
            ax.scatter(xy[mask, 0], xy[mask, 1], s=size, color=colour, zorder=z, linewidths=0)
    kinds = [
        (_EARLIER, words["earlier"], (r < now).any()),
        (_NEW, words["now"], (r == now).any()),
        (_LATER, words["later"], (r > now).any()),
    ]
    handles = [Line2D([], [], marker="o", ls="", color=c, label=lab) for c, lab, on in kinds if on]
    if never:
        handles.append(Line2D([], [], marker="o", ls="", mfc="none", mec=_NEVER,
                              label=words["never"]))
    return handles


def plot_growth_panels(
    G: nx.Graph,
    *,
    order_by: str = "cohort",
    seed: SeedLike = 0,
    max_panels: int = 12,
    ncols: int = 4,
    min_count: int = DEFAULT_MIN_COUNT,
    data_name: str | None = None,
    panel_size: float = 3.0,
) -> Figure:
    """Small multiples, one panel per stage (evenly spaced stages when there are more than
    ``max_panels``), sharing one layout and one legend above the panels; returns the Figure."""
    words = _words(order_by)
    stages = growth_stages(G, order_by)
    picks = _pick(stages, max_panels)
    members, _ = _members(G, order_by, stages)
    never = _never(G, order_by, node_groups(G, order_by))
    pos = force_layout(G.subgraph(members + never), seed)
    nrows = -(-len(picks) // ncols)
    ncols = min(ncols, len(picks))
    fig = Figure(figsize=(panel_size * ncols, panel_size * nrows + 0.8), layout="constrained")
    axes = fig.subplots(nrows, ncols, squeeze=False).ravel()
    for a, stage in zip(axes, picks, strict=False):
        plot_growth_map(
            G, stage, order_by=order_by, pos=pos, ax=a, min_count=min_count, caption=False,
            legend=False,
        )
    for a in axes[len(picks) :]:
        a.set_axis_off()
    fig.suptitle(words["title"], x=0.01, ha="left")
    # One legend for every panel, outside them all: it never covers people.
    handles = [Line2D([], [], marker="o", ls="", color=c, label=words[k])
               for c, k in ((_EARLIER, "earlier"), (_NEW, "now"), (_LATER, "later"))]
    if never:
        handles.append(Line2D([], [], marker="o", ls="", mfc="none", mec=_NEVER,
                              label=words["never"]))
    fig.legend(handles=handles, loc="outside upper right", ncols=len(handles), frameon=False,
               fontsize=8)
    skipped = "" if len(picks) == len(stages) else f" {len(picks)} of {len(stages)} stages shown."
    shown = f"{words['title']}; one layout for all panels.{skipped}"
    if never:
        shown += (f" Hollow: {words['never_note']} "
                  f"({format_count(len(never), min_count)} people).")
    text = caption_text(
        data_name, shown=shown, suppressed=f"Counts below {min_count} shown as <{min_count}."
    )
    # About 18 characters of 7-point text per inch: wrapped to the figure's width.
    fig.supxlabel(
        textwrap.fill(text, width=int(18 * panel_size * ncols)),
        fontsize=7,
        x=0.01,
        ha="left",
    )
    return fig


def _pick(stages: list[str], k: int) -> list[str]:
    if len(stages) <= k:
        return stages
    idx = np.unique(np.linspace(0, len(stages) - 1, k).round().astype(int))
    return [stages[i] for i in idx]


def save_growth_gif(
    G: nx.Graph,
    path: str | os.PathLike,
    *,
    order_by: str = "cohort",
    seed: SeedLike = 0,
    fps: float = 1.0,
    dpi: int = 80,
    size: float = 6.0,
    max_frames: int = 40,
    min_count: int = DEFAULT_MIN_COUNT,
    data_name: str | None = None,
) -> Path:
    """Write an animated GIF, one frame per stage (at most ``max_frames``), with one layout."""
    path = Path(path)
    if path.suffix.lower() != ".gif":
        raise AlumniNetError(f"an animation is written as .gif, not '{path.suffix}'")
    stages = growth_stages(G, order_by)
    members, _ = _members(G, order_by, stages)
    never = _never(G, order_by, node_groups(G, order_by))
    pos = force_layout(G.subgraph(members + never), seed)
    # The map on the left two thirds; the legend beside it, the caption under it, in the frame.
    fig = Figure(figsize=(size, size), dpi=dpi)
    ax = fig.add_axes((0.03, 0.24, 0.64, 0.68))
    # The stubs say fps is an int, but a frame may last longer than a second: PillowWriter
    # computes each frame's duration as 1000 / fps, and matplotlib's own Animation.save passes
    # it a float (1000 / interval).
    writer = PillowWriter(fps=fps)  # type: ignore[arg-type]
    path.parent.mkdir(parents=True, exist_ok=True)
    # Written beside the target and renamed, so an interrupted run leaves no broken GIF.
    tmp = path.with_name(f".{path.name}.partial.gif")
    try:
        with writer.saving(fig, str(tmp), dpi):
            for stage in _pick(stages, max_frames):
                ax.clear()
                plot_growth_map(
                    G,
                    stage,
                    order_by=order_by,
                    pos=pos,
                    ax=ax,
                    min_count=min_count,
                    data_name=data_name,
                )
                writer.grab_frame()
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path
