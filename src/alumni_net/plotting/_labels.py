"""Text labels placed where they overlap nothing already drawn (other labels, circles).

Each label has a list of candidate positions, tried in order; the first whose box, measured
with the figure's own renderer after layout, touches no box placed before is kept. A label with
no free position is left out, and the caller says so in the caption.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TypedDict, Unpack

import numpy as np
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.backend_bases import RendererBase
from matplotlib.figure import Figure
from matplotlib.text import Text
from matplotlib.transforms import Bbox

__all__ = ["Candidate", "LabelPlacer", "TextStyle", "laid_out", "outward", "overlapping_pairs"]

#: Space kept between two labels, in points.
_GAP_POINTS = 1.5


class TextStyle(TypedDict, total=False):
    """How a placed label looks (matplotlib text properties)."""

    fontsize: float
    color: str
    zorder: float
    bbox: dict[str, object]


@dataclass(frozen=True)
class Candidate:
    """One place a label may go: an anchor in data coordinates, an offset in points and the
    alignment that makes the text extend away from the anchor."""

    xy: tuple[float, float]
    offset: tuple[float, float] = (0.0, 0.0)
    ha: str = "center"
    va: str = "center"


@dataclass
class LabelPlacer:
    """Places labels on ``ax`` one by one, never over an earlier one or an obstacle (and, with
    ``inside``, never beyond the axes, where legends and captions go)."""

    ax: Axes
    inside: bool = False
    placed: list[Bbox] = field(default_factory=list)
    left_out: int = 0

    def __post_init__(self) -> None:
        # Layout first (constrained layout moves the axes), so that measured boxes are final.
        self.figure, self.renderer = laid_out(self.ax)

    def avoid_circle(self, xy: tuple[float, float], diameter_points: float) -> None:
        """Keep labels off a marker of ``diameter_points`` centred at data point ``xy``."""
        x, y = self.ax.transData.transform(xy)
        r = diameter_points / 2 * self.figure.dpi / 72
        self.placed.append(Bbox([[x - r, y - r], [x + r, y + r]]))

    def place(self, text: str, candidates: Sequence[Candidate],
              **style: Unpack[TextStyle]) -> Text | None:
        """Draw ``text`` at the first free candidate; None (and counted) when none is free."""
        for c in candidates:
            label = self.ax.annotate(text, c.xy, xytext=c.offset, textcoords="offset points",
                                     ha=c.ha, va=c.va, **style)
            box = label.get_window_extent(self.renderer)
            fits = not self.inside or _within(box, self.ax.get_window_extent(self.renderer))
            if fits and not any(_touch(box, other, self._gap) for other in self.placed):
                self.placed.append(box)
                return label
            label.remove()
        self.left_out += 1
        return None

    @property
    def _gap(self) -> float:
        return _GAP_POINTS * self.figure.dpi / 72


def laid_out(artist: Artist) -> tuple[Figure, RendererBase]:
    """The figure ``artist`` is drawn in, laid out (constrained layout placed, text sized), and
    the renderer that measured it. The whole figure, not the subfigure an axes may sit in: only
    a figure draws and has a renderer."""
    figure = artist.get_figure(root=True)
    if figure is None:
        raise ValueError("the artist is not in a figure, so there is nothing to measure it in")
    figure.draw_without_rendering()
    # matplotlib has no public accessor for the renderer a figure is laid out with (its stubs
    # leave the private one out); Figure._get_renderer is what its own get_window_extent uses,
    # and a new renderer per measured label would cost a canvas each on non-Agg backends.
    return figure, figure._get_renderer()  # type: ignore[attr-defined]


def _touch(a: Bbox, b: Bbox, gap: float) -> bool:
    return not (a.x1 + gap <= b.x0 or b.x1 + gap <= a.x0 or a.y1 + gap <= b.y0
                or b.y1 + gap <= a.y0)


def _within(a: Bbox, outer: Bbox) -> bool:
    return outer.x0 <= a.x0 and a.x1 <= outer.x1 and outer.y0 <= a.y0 and a.y1 <= outer.y1


def overlapping_pairs(texts: Sequence[Text]) -> list[tuple[str, str]]:
    """Pairs of non-empty texts whose drawn boxes overlap (for tests and checks)."""
    shown = [t for t in texts if t.get_text() and t.get_visible()]
    if not shown:
        return []
    _, renderer = laid_out(shown[0])
    boxes = [t.get_window_extent(renderer) for t in shown]
    out = []
    for i in range(len(shown)):
        for j in range(i + 1, len(shown)):
            if _touch(boxes[i], boxes[j], 0.0):
                out.append((shown[i].get_text(), shown[j].get_text()))
    return out


def outward(xy: np.ndarray, centre: np.ndarray, distance: float,
            steps: Sequence[float] = (0.0, 14.0, 28.0, 42.0)) -> list[Candidate]:
    """Candidates pointing away from ``centre`` at ``distance`` points from ``xy``, then
    further out by each of ``steps`` points (staggering crowded neighbours)."""
    d = np.asarray(xy, float) - np.asarray(centre, float)
    norm = float(np.hypot(*d))
    ux, uy = (d / norm) if norm > 0 else (0.0, -1.0)
    ha = "left" if ux > 0.35 else "right" if ux < -0.35 else "center"
    va = "bottom" if uy > 0.35 else "top" if uy < -0.35 else "center"
    return [Candidate((float(xy[0]), float(xy[1])), ((distance + s) * ux, (distance + s) * uy),
                      ha, va) for s in steps]
