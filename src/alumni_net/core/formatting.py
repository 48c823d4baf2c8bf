"""Numbers and intervals as readers see them, in every output: Markdown, HTML and figures.

One rule, so that a table in ``summary.md`` and the same figure in ``report.html`` or on a plot
never disagree: counts of people (or of model runs' people) are whole numbers with thousands
separators, whatever the quantile interpolation gave (an interval is never "93.35 to 193");
rates, ratios and shares keep three significant figures.
"""

from __future__ import annotations

import math
import re
from typing import Any

__all__ = ["estimate", "interval", "is_rate", "number", "whole"]

# Words that mark a measure as a rate/ratio rather than a count of people.
_RATE_WORDS = re.compile(
    r"(^|_)(per|share|ratio|rate|mean|index|score|fraction|proportion|probability)(_|$)"
)


def _missing(x: Any) -> bool:
    try:
        return x is None or math.isnan(float(x))
    except (TypeError, ValueError):
        return True


def number(x: Any, *, missing: str = "") -> str:
    """A number: thousands separated from 100 up, three significant figures below.

    Examples
    --------
    >>> [number(v) for v in (1241.0, 851.5, 7.4321, 0.000223, 26.0, -3.25)]
    ['1,241', '852', '7.43', '0.000223', '26', '-3.25']
    >>> number(None, missing="n/a")
    'n/a'
    """
    if _missing(x):
        return missing
    x = float(x)
    if x.is_integer() or abs(x) >= 100:
        return f"{x:,.0f}"
    return f"{x:.3g}"


def whole(x: Any, *, missing: str = "") -> str:
    """A count: the nearest whole number, thousands separated.

    Examples
    --------
    >>> whole(93.35), whole(1277.65), whole(None, missing="n/a")
    ('93', '1,278', 'n/a')
    """
    if _missing(x):
        return missing
    return f"{round(float(x)):,}"


def is_rate(measure: object) -> bool:
    """Whether a measure's name says it is a rate, ratio or share rather than a count.

    Examples
    --------
    >>> [is_rate(m) for m in ("adopters", "attributable_per_alum", "overlap ratio",
    ...                       "attributable_share_of_branching", "practising_person_months")]
    [False, True, True, True, False]
    """
    return bool(_RATE_WORDS.search(str(measure).lower().replace(" ", "_")))


def interval(lo: Any, hi: Any, *, count: bool, missing: str = "n/a") -> str:
    """A 90% (or any) interval as ``"lo to hi"``: counts whole, rates to three figures.

    Examples
    --------
    >>> interval(93.35, 193.0, count=True), interval(1.1667, 2.34, count=False)
    ('93 to 193', '1.17 to 2.34')
    >>> interval(float("nan"), 3, count=True)
    'n/a'
    """
    if _missing(lo) or _missing(hi):
        return missing
    fmt = whole if count else number
    return f"{fmt(lo)} to {fmt(hi)}"


def estimate(median: Any, lo: Any, hi: Any, *, count: bool, missing: str = "n/a") -> str:
    """A median with its interval in brackets, formatted by :func:`interval`'s rule.

    Examples
    --------
    >>> estimate(120.4, 100.2, 140.9, count=True), estimate(1.8, 1.1667, 2.34, count=False)
    ('120 (100 to 141)', '1.8 (1.17 to 2.34)')
    """
    if _missing(median):
        return missing
    fmt = whole if count else number
    return f"{fmt(median)} ({interval(lo, hi, count=count, missing=missing)})"
