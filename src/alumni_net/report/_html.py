"""Small helpers for the self-contained page: numbers as readers expect them, embedded images.

The HTML itself comes from the templates in ``report/templates/`` (see :mod:`._render`).
"""

from __future__ import annotations

import base64
import io

from matplotlib.figure import Figure

from alumni_net.core.formatting import number
from alumni_net.core.privacy import figure_metadata

__all__ = ["figure_png", "file_uri", "number"]


def figure_png(fig: Figure, *, dpi: int = 110) -> str:
    """The figure as a base64 ``data:`` URI (PNG, no metadata)."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, metadata=figure_metadata("png"))
    return file_uri(buf.getvalue(), ".png")


def file_uri(data: bytes, suffix: str) -> str:
    """Image bytes as a base64 ``data:`` URI (PNG, SVG or GIF by ``suffix``)."""
    mime = {".png": "image/png", ".svg": "image/svg+xml", ".gif": "image/gif"}[suffix.lower()]
    return f"data:{mime};base64," + base64.b64encode(data).decode("ascii")
