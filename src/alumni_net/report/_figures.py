"""Figures drawn for the report: embedded PNGs, and a note instead of a crash when a results
file has an unexpected shape."""

from __future__ import annotations

from alumni_net.errors import AlumniNetError
from alumni_net.report._blocks import Block, Figure, figure_block
from alumni_net.report._data import Inputs
from alumni_net.report._html import figure_png

__all__ = ["figure_of", "try_figure"]


def figure_of(ax_or_fig, caption: str, alt: str) -> Figure:
    fig = getattr(ax_or_fig, "figure", ax_or_fig)
    return figure_block(figure_png(fig), caption, alt)


def try_figure(draw, caption: str, alt: str, inputs: Inputs) -> list[Block]:
    """Draw one figure; a results file of an unexpected shape becomes a note, not a crash."""
    try:
        return [figure_of(draw(), caption, alt)]
    except (AlumniNetError, KeyError, ValueError) as exc:
        inputs.problems.append(f"Could not draw '{alt}': {exc}")
        return []
