"""Figures drawn for the report: embedded PNGs, and a note instead of a crash when a results
file has an unexpected shape."""

from __future__ import annotations

from collections.abc import Callable

from matplotlib.axes import Axes
from matplotlib.figure import Figure as MplFigure

from alumni_net.errors import AlumniNetError
from alumni_net.report._blocks import Block, Figure, figure_block
from alumni_net.report._data import Inputs
from alumni_net.report._html import figure_png

__all__ = ["figure_of", "try_figure"]


def figure_of(ax_or_fig: Axes | MplFigure, caption: str, alt: str) -> Figure:
    """The figure an Axes is drawn in (the whole figure, for one in a subfigure), embedded."""
    fig = ax_or_fig if isinstance(ax_or_fig, MplFigure) else ax_or_fig.get_figure(root=True)
    if fig is None:
        raise ValueError(f"'{alt}' was drawn on axes that belong to no figure")
    return figure_block(figure_png(fig), caption, alt)


def try_figure(draw: Callable[[], Axes | MplFigure], caption: str, alt: str,
               inputs: Inputs) -> list[Block]:
    """Draw one figure; a results file of an unexpected shape becomes a note, not a crash."""
    try:
        return [figure_of(draw(), caption, alt)]
    except (AlumniNetError, KeyError, ValueError) as exc:
        inputs.problems.append(f"Could not draw '{alt}': {exc}")
        return []
