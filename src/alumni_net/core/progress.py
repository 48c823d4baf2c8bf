"""Progress bars for long work: shown on a terminal, silent in pipes, CI and tests."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable

from tqdm.auto import tqdm

__all__ = ["progress", "progress_enabled"]


def progress_enabled() -> bool:
    """Bars go to stderr, and only when it is a terminal (ALUMNI_NET_PROGRESS=0/1 overrides)."""
    forced = os.environ.get("ALUMNI_NET_PROGRESS")
    if forced is not None:
        return forced not in {"", "0", "false", "no"}
    return sys.stderr.isatty()


def progress(iterable: Iterable | None = None, *, total: int | None = None,
             desc: str | None = None) -> tqdm:
    """A tqdm bar over ``iterable`` (or a manual bar with ``total``), disabled when not wanted."""
    return tqdm(
        iterable,
        total=total,
        desc=desc,
        disable=not progress_enabled(),
        file=sys.stderr,
        dynamic_ncols=True,
        leave=False,
    )
