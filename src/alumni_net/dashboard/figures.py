"""The dashboard's two live figures: the network map coloured by state, the adoption curve."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from alumni_net.dashboard.session import Frame, Session

__all__ = ["STATE_COLOURS", "adoption_figure", "map_figure"]

#: unaware, practising, lapsed (colour-blind-safe: grey, orange, blue).
STATE_COLOURS = np.array(["#c8c8c8", "#e66100", "#5d9cec"])
_STATE_NAMES = ("not practising", "practising", "lapsed")


def map_figure(session: Session, frame: Frame | None) -> Figure:
    """The sampled people at their fixed positions, coloured by state this month (no labels)."""
    fig = Figure(figsize=(6, 5.4), dpi=90)
    ax = fig.add_subplot()
    xy, edges = session.map_positions, session.map_edges
    if len(edges):
        segs = np.stack([xy[edges[:, 0]], xy[edges[:, 1]]], axis=1)
        from matplotlib.collections import LineCollection

        ax.add_collection(LineCollection(segs, colors="#e4e4e4", linewidths=0.3, zorder=0))
    states = np.zeros(len(xy), dtype=int) if frame is None else frame.map_states
    ax.scatter(xy[:, 0], xy[:, 1], s=9, c=STATE_COLOURS[states], linewidths=0, zorder=1)
    for colour, name in zip(STATE_COLOURS, _STATE_NAMES, strict=True):
        ax.scatter([], [], s=20, c=colour, label=name)
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False, fontsize=8)
    ax.set_axis_off()
    when = "before the run" if frame is None else f"month {frame.month} ({frame.calendar_month})"
    ax.set_title(f"{len(xy):,} of {len(session.dataset.people):,} people, {when}", fontsize=9)
    fig.tight_layout()
    return fig


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
    fig.tight_layout()
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
