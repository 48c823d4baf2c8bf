"""Deprecation shims for import paths that moved when the package was laid out by stage (0.2)."""

from __future__ import annotations

import importlib
import warnings
from collections.abc import Callable

__all__ = ["moved"]


def moved(old: str, new: str) -> Callable[[str], object]:
    """A module ``__getattr__`` for ``old`` that warns once per name and forwards to ``new``."""

    def __getattr__(name: str) -> object:
        module = importlib.import_module(new)
        # Only the public names of the new module: tools that probe a module for optional
        # attributes (doctest finders, pytest) must get AttributeError, not a warning.
        if name not in getattr(module, "__all__", ()):
            raise AttributeError(f"module {old!r} has no attribute {name!r}")
        warnings.warn(f"{old} moved to {new}; import {name} from there (the old path goes in 0.3)",
                      DeprecationWarning, stacklevel=2)
        return getattr(module, name)

    return __getattr__
