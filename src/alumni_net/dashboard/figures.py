"""The dashboard's two live figures: the network map coloured by state, the adoption curve."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from alumni_net.dashboard.session import Frame, Session

__all__ = [
    "MAP_TIES",
    "STATE_COLOURS",
    "MapFigure",
    "adoption_figure",
    "comparison_figure",
    "comparison_sentence",
    "map_figure",
]

#: unaware, practising, lapsed (colour-blind-safe: grey, orange, blue).
STATE_COLOURS = np.array(["#c8c8c8", "#e66100", "#5d9cec"])
_STATE_NAMES = ("not practising", "practising", "lapsed")
#: Ties drawn behind the dots: enough to show the structure; more only slow each redraw.
MAP_TIES = 4000


class MapFigure:
    """The sampled people at fixed positions (no labels), recoloured each month.

    One figure per session: the ties and the legend are drawn once, and a month only changes
    the colours of the dots and the title, which keeps a redraw well under a second.
    """

    def __init__(self, session: Session):
        from matplotlib.collections import LineCollection

        self.session = session
        self.figure = Figure(figsize=(6, 5.4), dpi=90)
        self.figure.subplots_adjust(left=0.02, right=0.75, top=0.93, bottom=0.02)
        ax = self.figure.add_subplot()
        xy, edges = session.map_positions, session.map_edges[:MAP_TIES]
        if len(edges):
            segs = np.stack([xy[edges[:, 0]], xy[edges[:, 1]]], axis=1)
            ax.add_collection(LineCollection(segs, colors="#e4e4e4", linewidths=0.3, zorder=0))
        self.dots = ax.scatter(xy[:, 0], xy[:, 1], s=9, c=STATE_COLOURS[np.zeros(len(xy), int)],
                               linewidths=0, zorder=1)
        for colour, name in zip(STATE_COLOURS, _STATE_NAMES, strict=True):
            ax.scatter([], [], s=20, c=colour, label=name)
        ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False, fontsize=8)
        ax.set_axis_off()
        self.ax = ax
        self.show(None)

    def show(self, frame: Frame | None) -> Figure:
        """The figure coloured by the states of ``frame`` (None: before the run)."""
        xy = self.session.map_positions
        states = np.zeros(len(xy), dtype=int) if frame is None else frame.map_states
        self.dots.set_facecolors(STATE_COLOURS[states])
        when = ("before the run" if frame is None
                else f"month {frame.month} ({frame.calendar_month})")
        people = len(self.session.dataset.people)
        self.ax.set_title(f"{len(xy):,} of {people:,} people, {when}", fontsize=9)
        return self.figure


def map_figure(session: Session, frame: Frame | None) -> Figure:
    """A new map figure coloured by ``frame`` (see :class:`MapFigure` to redraw one)."""
    return MapFigure(session).show(frame)


def adoption_figure(frames: list[Frame], horizon_months: int | None = None) -> Figure:
    """People practising and lapsed month by month in this run (one replicate)."""
    fig = Figure(figsize=(6, 3.2), dpi=90)
    ax = fig.add_subplot()
    months = [f.month for f in frames]
    ax.plot(months, [f.counts["practising"] for f in frames], color=STATE_COLOURS[1],
            label="practising")
    ax.plot(months, [f.counts["lapsed"] for f in frames], color=STATE_COLOURS[2], label="lapsed")
    if horizon_months:
        ax.set_xlim(0, horizon_months)
    ax.set_xlabel("month")
    ax.set_ylabel("people")
    ax.legend(frameon=False, fontsize=8)
    ax.set_title("One replicate: compare scenarios for medians and 90% intervals", fontsize=9)
    fig.subplots_adjust(left=0.13, right=0.97, top=0.9, bottom=0.16)
    return fig


def comparison_figure(tables) -> Figure:
    """Practising people by month, median and 90% band, for scenarios A and B."""
    from alumni_net.plotting.scenarios import plot_scenario_adoption

    fig = Figure(figsize=(6.5, 3.6), dpi=90)
    ax = fig.add_subplot()
    plot_scenario_adoption(tables["adoption"], ax=ax,
                           source="dashboard scenarios A and B; illustrative parameters")
    fig.tight_layout()
    return fig


def comparison_sentence(tables, a, b) -> str:
    """What B changes against A by the end of the horizon, with the paired 90% interval."""
    from alumni_net.experiments.scenarios import HEADLINE

    rows = tables["scenarios"]
    row = rows[(rows["scenario"] == "B") & (rows["measure"] == HEADLINE)].iloc[0]
    n = int(row["n_replicates"])
    return (f"**B** ({b.label()}) instead of **A** ({a.label()}) changes the number of people "
            f"practising at the end by **{row['difference_median']:+,.0f}** "
            f"[90% interval {row['difference_lo']:+,.0f} to {row['difference_hi']:+,.0f}] "
            f"over {n} paired replicates.")
