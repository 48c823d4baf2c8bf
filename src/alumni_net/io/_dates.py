"""Dates and times as spreadsheets hold them, and values far outside the rest.

A date cell may be ISO (``2020-12-25``, ``2020-12``, ``2020/12/25``), a year (``2020``), written
day or month first (``25/12/2020``, ``25.12.2020``), or an Excel day number (``44190``, days since
1899-12-30, which Excel writes when a date column is formatted as a number; read from 1970 on).
A date written
day/month/year whose first two numbers could each be the day (``03/04/2020``) is read the way
``date_order`` says (``dataset.toml`` or ``--date-order``); without it, such rows get one
sentence naming them, never a guess. A value such as ``25/12/2020`` can only be day-first and is
read as such.

A typo in a date or time moves a model by a century (a cohort starting in 1900 among cohorts of
2015-2020 starts the simulation in 1900; an adoption time of 1e10 asks for ten billion periods).
:func:`far_outside` finds values far outside the rest of their column: more than twenty
interquartile ranges beyond the quartiles, and at least 30 years (dates, and numbers that are
years) or ten times the values' own size (other numbers) away, so that real spreads (cohorts a
decade apart, a late adopter) pass.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np
import pandas as pd

from alumni_net.errors import Problem

__all__ = ["by_value", "far_outside", "parse_dates"]

_YEAR = re.compile(r"^[12][0-9]{3}$")
_ZONE = re.compile(r"[T ][0-9:.]+ ?(?:Z|[+-][0-9]{2}(?::?[0-9]{2})?)$")
_DMY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
_SERIAL = re.compile(r"^\d{4,7}(?:\.\d+)?$")
_EXCEL_EPOCH = pd.Timestamp("1899-12-30")
_FIRST_SERIAL = 25569  # 1970-01-01
_LAST_SERIAL = 2958465  # 9999-12-31
_SPREAD = 20.0
_MIN_YEARS = 30.0
_DAYS_PER_YEAR = 365.2425
#: Columns shorter than this are read cell by cell: hashing them would not pay.
_BY_VALUE_FROM = 10


def by_value(text: pd.Series, read: Callable[[pd.Series], pd.Series]) -> pd.Series:
    """``read(text)``, computed once per distinct text when the column repeats itself (millions
    of weights or dates hold a handful of values). ``read`` must read each value alone, and
    infer what it infers from the column (a dtype) from the set of values, never from how often
    each occurs.

    Examples
    --------
    >>> by_value(pd.Series(["1", "", "1", "2.5"] * 3), lambda t: pd.to_numeric(t) * 2).tolist()[:4]
    [2.0, nan, 2.0, 5.0]
    """
    split = _distinct(text)
    if split is None:
        return read(_python_text(text))
    codes, values = split
    return _spread(read(values), codes, text)


def _distinct(text: pd.Series) -> tuple[np.ndarray, pd.Series] | None:
    """Each cell's code and the distinct values (as Python text, as the general reader gives
    them), or None when reading every cell costs no more."""
    if len(text) < _BY_VALUE_FROM or text.isna().any():
        return None
    codes, uniques = pd.factorize(text)
    if 2 * len(uniques) > len(text):
        return None
    return codes, pd.Series(np.asarray(uniques, dtype=object), name=text.name)


def _python_text(text: pd.Series) -> pd.Series:
    """Arrow-backed text as Python text, so that every value is read the one way."""
    return text if text.dtype == object else text.astype(object)


def _spread(values: pd.Series, codes: np.ndarray, text: pd.Series) -> pd.Series:
    return pd.Series(values.array.take(codes), index=text.index, name=text.name)


def parse_dates(text: pd.Series, file: str, column: str, problems: list[Problem],
                date_order: str | None = None) -> pd.Series:
    """Dates from text ('' is missing); each value that is not a date is a problem."""
    split = _distinct(text)
    if split is not None:
        # Each distinct text once; should any fail, every row is read to name each failing one.
        codes, values = split
        found: list[Problem] = []
        parsed = _parse_dates(values, file, column, found, date_order)
        if not found:
            return _spread(parsed, codes, text)
    return _parse_dates(_python_text(text), file, column, problems, date_order)


def _parse_dates(text: pd.Series, file: str, column: str, problems: list[Problem],
                 date_order: str | None) -> pd.Series:
    given = text != ""
    years = text.str.fullmatch(_YEAR.pattern)
    as_text = text.where(~years, text + "-01-01").where(given, None)
    zoned = given & text.str.contains(_ZONE.pattern)
    if zoned.any() and not zoned[given].all():
        # pandas refuses to mix time zones with plain dates; name the rows instead of crashing.
        _report(problems, file, zoned, column,
                "has a time zone where other dates have none; write dates as YYYY-MM-DD")
        as_text = as_text.where(~zoned, None)
    elif zoned.any():
        parsed = pd.to_datetime(as_text, format="ISO8601", errors="coerce", utc=True)
        parsed = parsed.dt.tz_localize(None).astype("datetime64[us]")
        _not_dates(parsed, given, file, column, problems)
        return parsed
    try:
        parsed = pd.to_datetime(as_text, format="ISO8601", errors="coerce")
    except ValueError:  # a zone written in a way not caught above: each value alone
        parsed = pd.to_datetime(as_text.map(_one_date, na_action="ignore"))
    parsed = parsed.astype("datetime64[us]")
    left = given & ~zoned & parsed.isna()
    if left.any():
        parsed = _day_month(text, left, parsed, file, column, problems, date_order)
        left = given & ~zoned & parsed.isna()
    if left.any():
        parsed = _serials(text, left, parsed)
    _not_dates(parsed, given & ~zoned & ~_reported(problems, file, column, len(text)), file,
               column, problems)
    return parsed


def _one_date(value: str):
    stamp = pd.to_datetime(value, format="ISO8601", errors="coerce")
    return pd.NaT if pd.isna(stamp) or stamp.tzinfo is not None else stamp


def _rows(mask) -> np.ndarray:
    return np.flatnonzero(np.asarray(mask)) + 2


def _report(problems, file, mask, column, message) -> None:
    problems.extend(Problem(file, int(r), column, message) for r in _rows(mask))


def _reported(problems, file, column, n) -> np.ndarray:
    """Rows of this column already reported (ambiguous day/month): not reported twice."""
    done = np.zeros(n, dtype=bool)
    for p in problems:
        if p.file == file and p.column == column and p.row is not None and 2 <= p.row < n + 2:
            done[p.row - 2] = True
    return done


def _not_dates(parsed, given, file, column, problems) -> None:
    _report(problems, file, given & parsed.isna(), column,
            "is not a date; write it as YYYY-MM-DD (or a year, or DD/MM/YYYY)")


def _day_month(text, left, parsed, file, column, problems, date_order):
    """Dates written d/m/y or m/d/y: read where only one order can be meant, or as declared."""
    parts = text[left].str.extract(_DMY)
    ok = parts.notna().all(axis=1)
    if not ok.any():
        return parsed
    parts = parts[ok].astype(int)
    first, second, year = parts[0], parts[1], parts[2]
    day_first = (first > 12) & (second <= 12)
    month_first = (second > 12) & (first <= 12)
    both = (first <= 12) & (second <= 12) & (first != second)
    if date_order is None and both.any():
        hint = (" (the other such dates in this column are day-first)" if day_first.any()
                and not month_first.any() else " (the other such dates in this column are "
                "month-first)" if month_first.any() and not day_first.any() else "")
        for i in both[both].index:
            d, m = first[i], second[i]
            problems.append(Problem(
                file, int(text.index.get_loc(i)) + 2, column,
                f"{text[i]} could be {d} {_MONTHS[m]} or {m} {_MONTHS[d]}{hint}; say which with "
                "date_order = \"day_first\" (or \"month_first\") in dataset.toml, or "
                "--date-order"))
    if date_order == "month_first":
        day, month = second.where(~day_first), first.where(~day_first)
    elif date_order == "day_first":
        day, month = first.where(~month_first), second.where(~month_first)
    else:
        day = first.where(day_first | (first == second), second.where(month_first))
        month = second.where(day_first | (first == second), first.where(month_first))
    stamps = pd.to_datetime(pd.DataFrame({"year": year, "month": month, "day": day}),
                            errors="coerce")
    out = parsed.copy()
    out.loc[stamps.index] = stamps.astype("datetime64[us]")
    return out


_MONTHS = {i: m for i, m in enumerate(
    ["", "January", "February", "March", "April", "May", "June", "July", "August", "September",
     "October", "November", "December"])}


def _serials(text, left, parsed):
    """Excel day numbers from 1970 on (25569): four-digit years stay years, and a year typed
    with a digit too many (20191) is not taken for a day in 1955."""
    numbers = pd.to_numeric(text[left].where(text[left].str.fullmatch(_SERIAL.pattern)),
                            errors="coerce")
    ok = numbers.notna() & (numbers >= _FIRST_SERIAL) & (numbers <= _LAST_SERIAL)
    if not ok.any():
        return parsed
    out = parsed.copy()
    days = numbers[ok].to_numpy()
    stamps = _EXCEL_EPOCH + pd.to_timedelta(np.round(days * 86400), unit="s")
    out.loc[numbers[ok].index] = pd.Series(stamps, index=numbers[ok].index).astype(
        "datetime64[us]")
    return out


def far_outside(values: pd.Series, *, years: bool) -> np.ndarray:
    """Which values lie far outside the rest of their column (see the module docstring).

    ``values`` are numbers (NaN missing): years as fractions when ``years``.

    Examples
    --------
    >>> far_outside(pd.Series([2015.0, 2016, 2017, 2018, 2019, 2020, 1900]), years=True).tolist()
    [False, False, False, False, False, False, True]
    >>> far_outside(pd.Series([2010.0] * 12 + [2021.0] * 12), years=True).any()
    np.False_
    """
    x = values.to_numpy(dtype=float)
    given = np.isfinite(x)
    if given.sum() < 3:
        return np.zeros(len(x), dtype=bool)
    q25, q75 = np.percentile(x[given], [25, 75])
    size = max(abs(q25), abs(q75), 1.0)
    floor = _MIN_YEARS if years else 10.0 * size
    fence = max(_SPREAD * (q75 - q25), floor)
    return given & ((x < q25 - fence) | (x > q75 + fence))


def as_years(stamps: pd.Series) -> pd.Series:
    """Dates as fractional years (for :func:`far_outside`)."""
    days = (stamps - pd.Timestamp("2000-01-01")).dt.total_seconds() / 86400.0
    return 2000.0 + days / _DAYS_PER_YEAR
