"""Parameter checks shared by every validated dataclass and config reader.

Each raises :class:`~alumni_net.errors.ConfigError` with one sentence naming the parameter, what
is allowed and what was given, so that a programme leader can fix a file without a traceback.

Examples
--------
>>> check_probability("p_course", 0.5)
>>> check_int("replicates", True, 1, 10)
Traceback (most recent call last):
...
alumni_net.errors.ConfigError: replicates must be a whole number from 1 to 10, got True
"""

from __future__ import annotations

import math
from typing import Any

from alumni_net.errors import ConfigError

__all__ = [
    "check",
    "check_choice",
    "check_int",
    "check_nonnegative",
    "check_number",
    "check_probability",
]


def check(ok: bool, message: str) -> None:
    """Raise ConfigError(message) unless ``ok``."""
    if not ok:
        raise ConfigError(message)


def _is_number(value: Any) -> bool:
    # bool is an int subclass in Python; `beta = true` is a typo, not 1.
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def check_probability(name: str, value: Any) -> None:
    """``value`` is a probability in [0, 1]."""
    check(_is_number(value) and 0.0 <= value <= 1.0,
          f"{name} must be a probability in [0, 1], got {value!r}")


def check_nonnegative(name: str, value: Any) -> None:
    """``value`` is a finite number >= 0."""
    check(_is_number(value) and math.isfinite(value) and value >= 0,
          f"{name} must be a finite number >= 0, got {value!r}")


def check_int(name: str, value: Any, lo: int, hi: int) -> None:
    """``value`` is a whole number (not a bool) from ``lo`` to ``hi``."""
    check(isinstance(value, int) and not isinstance(value, bool) and lo <= value <= hi,
          f"{name} must be a whole number from {lo:,} to {hi:,}, got {value!r}")


def check_number(name: str, value: Any, lo: float, hi: float) -> None:
    """``value`` is a number (not a bool) from ``lo`` to ``hi``."""
    check(_is_number(value) and lo <= value <= hi,
          f"{name} must be a number from {lo} to {hi}, got {value!r}")


def check_choice(name: str, value: Any, allowed: tuple[str, ...]) -> None:
    """``value`` is one of ``allowed``."""
    check(value in allowed, f"{name} must be one of {', '.join(allowed)}, got {value!r}")
