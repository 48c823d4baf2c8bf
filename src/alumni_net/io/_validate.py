"""Check the text tables cell by cell and turn them into typed frames.

Every check is vectorised (a million people must validate in seconds) and records a
:class:`~alumni_net.errors.Problem` per offending cell, so the user sees every problem at once.
Row numbers are as a spreadsheet shows them: the header is row 1, the first person row 2.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from alumni_net.core.ids import positions
from alumni_net.errors import Problem
from alumni_net.io._dates import as_years, by_value, far_outside, parse_dates
from alumni_net.io._schema import column_type

__all__ = ["REVERSED_EVERY", "REVERSED_TIE", "parse_people", "parse_ties"]

#: The problem of a tie listed both ways in undirected data (grouped into one hint when reported).
REVERSED_TIE = (
    "repeats an earlier tie in the other direction, which is the same tie in undirected data; "
    "if ties have a direction, load the data as directed (--directed, or directed = true in "
    "dataset.toml)"
)
#: The same when every tie of the file has its reverse: nominations all returned, or undirected
#: ties written once per direction; the data cannot tell which.
REVERSED_EVERY = (
    "repeats an earlier tie in the other direction, as every tie in this file does: either "
    "nominations that were all returned (load them as directed: --directed, or directed = true "
    "in dataset.toml) or undirected ties written once per direction (keep one row per pair)"
)

_TRUE = {"true", "t", "yes", "y", "1"}
_FALSE = {"false", "f", "no", "n", "0"}
_INT = re.compile(r"^-?(0|[1-9][0-9]*)$")
_POINT_ZERO = r"(?<=\d)\.0+$"
_MAX_WEIGHT = 1e100


def _rows(mask: np.ndarray | pd.Series) -> np.ndarray:
    return np.flatnonzero(np.asarray(mask)) + 2


def _report(problems, file, mask, column, message) -> None:
    problems.extend(Problem(file, int(r), column, message) for r in _rows(mask))


def _missing_columns(frame, required, file, problems) -> bool:
    absent = [c for c in required if c not in frame.columns]
    for col in absent:
        problems.append(Problem(file, 1, col, "required column is missing from the header"))
    dupes = frame.columns[frame.columns.duplicated()].unique()
    for col in dupes:
        problems.append(Problem(file, 1, str(col), "column appears more than once in the header"))
    return bool(absent or len(dupes))


def _fits_int64(text: pd.Series) -> pd.Series:
    """Which plain-integer texts fit a 64-bit integer (any of at most 18 digits does)."""
    long = text.str.lstrip("-").str.len() > 18
    fits = pd.Series(True, index=text.index)
    if long.any():
        fits[long] = [-(2**63) <= int(v) < 2**63 for v in text[long]]
    return fits


def _ids(text: pd.Series) -> pd.Series:
    """Integer ids when every id is a plain integer (no leading zeros) that fits 64 bits, else
    strings (an id of 2^63 or more is a label, not a number to overflow)."""
    nonempty = text[text != ""]
    if len(nonempty) and nonempty.str.fullmatch(_INT.pattern).all() and _fits_int64(nonempty).all():
        ids = pd.to_numeric(text.where(text != "", None)).astype("Int64")
        return ids if ids.isna().any() else ids.astype("int64")
    return text


def _dates(text: pd.Series, file, column, problems, date_order=None) -> pd.Series:
    """Dates (see :mod:`alumni_net.io._dates`), with values far outside the rest reported."""
    parsed = parse_dates(text, file, column, problems, date_order)
    # far_outside needs three dates and looks at the dates given only; millions of empty cells
    # (since: 1 tie in 150 dated on the national preset) need no arithmetic.
    present = parsed.notna().to_numpy()
    far = np.zeros(len(parsed), dtype=bool)
    if present.sum() >= 3:
        far[present] = far_outside(as_years(parsed[present]), years=True)
    if far.any():
        rest = parsed[~far & parsed.notna().to_numpy()]
        span = f"{rest.min():%Y-%m-%d} to {rest.max():%Y-%m-%d}"
        for i in np.flatnonzero(far):
            shown = text.iat[i]
            read = f"{parsed.iat[i]:%Y-%m-%d}"
            as_read = "" if read == shown else f" (read as {read})"
            problems.append(Problem(
                file, int(i) + 2, column,
                f"{column} {shown}{as_read} is far outside the other dates ({span}); check it "
                "for a typo"))
        parsed = parsed.where(~far)
    return parsed


def _numbers(text: pd.Series) -> pd.Series:
    """Numbers from text ('' and anything not a number are missing), each distinct text read
    once: a column of millions of weights holds a handful of values."""
    return by_value(text, lambda t: pd.to_numeric(t.where(t != "", None), errors="coerce"))


def _missing_as_none(text: pd.Series) -> pd.Series:
    """Text with '' as missing: None in Python text, missing (as the loader's final ``str``
    columns hold it) in Arrow-backed text, which is never copied into Python strings."""
    if text.dtype == object:
        return text.where(text != "", None).astype(object)
    return text.where(text != "")


def _infer(text: pd.Series) -> pd.Series:
    """Extra columns: numbers when every value is a number, otherwise text; '' is missing."""
    given = text != ""
    numbers = _numbers(text)
    # Numbers only when reading them loses nothing: '2019.1' and '2019.10' are two labels, and
    # '7' and '007' two ids, which as numbers would be one.
    if given.any() and numbers[given].notna().all() and (
            text[given].nunique() == numbers[given].nunique()):
        if np.all(np.mod(numbers[given], 1) == 0) and numbers[given].abs().max() < 2**53:
            return numbers.astype("Int64")
        return numbers
    return text.where(given, None).astype(object)


def parse_people(frame: pd.DataFrame, file: str, problems: list[Problem],
                 date_order: str | None = None) -> pd.DataFrame | None:
    """Typed people table, or None when a required column is missing."""
    if _missing_columns(frame, ["person_id"], file, problems):
        return None
    if frame.empty:
        problems.append(Problem(file, None, None, "has a header but no people rows"))
        return None
    ids = frame["person_id"]
    _report(problems, file, ids == "", "person_id", "person_id is empty")
    dup = ids.duplicated(keep="first") & (ids != "")
    if dup.any():
        first_row = ids.drop_duplicates().reset_index().set_index("person_id")["index"] + 2
        for i in np.flatnonzero(dup.to_numpy()):
            problems.append(
                Problem(file, int(i) + 2, "person_id",
                        f"person_id '{ids.iat[i]}' already appears in row {first_row[ids.iat[i]]}")
            )
    out = pd.DataFrame({"person_id": _ids(ids)})
    for col in frame.columns:
        if col in ("person_id", "is_alum"):
            continue
        text = frame[col]
        kind = column_type(col)
        if kind == "date":
            out[col] = _dates(text, file, col, problems, date_order)
        elif kind == "time":
            out[col] = _adoption_time(text, file, problems, date_order)
        elif kind in ("category", "personal") or col == "ego":
            out[col] = _missing_as_none(text)
        elif kind == "label":
            out[col] = _label(text)
        elif kind == "flag":
            out[col] = _flag(text, file, col, problems)
        else:
            out[col] = _infer(text)
    out["is_alum"] = _is_alum(frame, file, problems)
    return out


def _label(text: pd.Series) -> pd.Series:
    """Labels are text; integers when every label is an integer (``3``, or ``3.0`` as pandas
    writes integers beside empty cells), so nothing but that spelling is lost."""
    # Decided on the distinct labels (a column of millions holds a few cohorts), the same as on
    # every cell.
    distinct = pd.Series(np.asarray(pd.unique(text), dtype=object))
    given = distinct[distinct != ""]
    whole = given.str.replace(_POINT_ZERO, "", regex=True)
    if len(given) and whole.str.fullmatch(_INT.pattern).all() and _fits_int64(whole).all():
        return by_value(text, lambda t: pd.to_numeric(t.str.replace(_POINT_ZERO, "", regex=True)
                                                      .where(t != "", None)).astype("Int64"))
    return _missing_as_none(text)


def _flag(text: pd.Series, file: str, column: str, problems: list[Problem]) -> pd.Series:
    low = text.str.lower()
    _report(problems, file, (low != "") & ~low.isin(_TRUE | _FALSE), column,
            f"{column} must be true or false (or empty)")
    return low.isin(_TRUE)


def _is_alum(frame: pd.DataFrame, file: str, problems: list[Problem]) -> pd.Series:
    has_cohort = frame["cohort"] != "" if "cohort" in frame else pd.Series(False, index=frame.index)
    if "is_alum" not in frame:
        return has_cohort.astype(bool)
    text = frame["is_alum"].str.lower()
    bad = (text != "") & ~text.isin(_TRUE | _FALSE)
    _report(problems, file, bad, "is_alum", "is_alum must be true or false (or empty)")
    return text.isin(_TRUE) | ((text == "") & has_cohort)


def _adoption_time(text: pd.Series, file: str, problems: list[Problem],
                   date_order: str | None = None) -> pd.Series:
    """Observed adoption: a number (month or period) or a date, the same in every row; empty =
    not adopted. A few rows written the other way are named (not the many written right)."""
    given = text != ""
    numbers = _numbers(text)
    is_number = given & numbers.notna()
    if is_number.sum() * 2 >= given.sum():
        odd = given & ~is_number
        _report(problems, file, odd, "adoption_time",
                "is not a number, where the other adoption times are numbers; write every "
                "adoption_time the same way (a number, or a date)")
        bad = is_number & ~np.isfinite(numbers)
        _report(problems, file, bad, "adoption_time",
                "adoption_time must be a finite number (leave the cell empty for people who "
                "did not adopt)")
        finite = numbers.where(np.isfinite(numbers))
        _far_numbers(text, finite, file, problems)
        return finite.where(~odd)
    numbers_here = is_number & ~text.str.fullmatch(r"\d{4,7}(\.\d+)?")
    _report(problems, file, numbers_here, "adoption_time",
            "is a number, where the other adoption times are dates; write every adoption_time "
            "the same way (a date, or a number)")
    return _dates(text.where(~numbers_here, ""), file, "adoption_time", problems, date_order)


def _far_numbers(text: pd.Series, numbers: pd.Series, file: str, problems: list[Problem]) -> None:
    given = numbers.notna()
    years = given.sum() and text[given].str.fullmatch(r"[12][0-9]{3}").mean() >= 0.9
    far = far_outside(numbers, years=bool(years))
    if not far.any():
        return
    rest = numbers[~far & given.to_numpy()]
    for i in np.flatnonzero(far):
        problems.append(Problem(
            file, int(i) + 2, "adoption_time",
            f"adoption_time {text.iat[i]} is far outside the other adoption times "
            f"({rest.min():g} to {rest.max():g}); check it for a typo"))


def parse_ties(
    frame: pd.DataFrame,
    file: str,
    people_ids: pd.Series | None,
    directed: bool,
    problems: list[Problem],
    date_order: str | None = None,
) -> pd.DataFrame | None:
    """Typed ties table; ``people_ids`` (typed) lets unknown ids be reported."""
    if _missing_columns(frame, ["source", "target"], file, problems):
        return None
    if frame.empty:
        problems.append(Problem(file, None, None,
                                "has a header but no tie rows; a network needs ties"))
        return None
    out = pd.DataFrame(index=frame.index)
    codes = _end_codes(frame, people_ids)
    for col in ("source", "target"):
        text = frame[col]
        _report(problems, file, text == "", col, f"{col} is empty")
        if codes is not None:
            for i in np.flatnonzero(((text != "") & (codes[col] < 0)).to_numpy()):
                problems.append(
                    Problem(file, int(i) + 2, col,
                            f"'{text.iat[i]}' is not a person_id in the people file")
                )
        out[col] = text
    _report(problems, file, (frame["source"] == frame["target"]) & (frame["source"] != ""),
            "target", "a tie from a person to themselves (self-tie)")
    kind = frame["kind"] if "kind" in frame else pd.Series("", index=frame.index)
    empty = (kind == "").to_numpy()
    out["kind"] = (kind.where(~empty, "tie") if empty.any() else kind).astype(str)
    out["weight"] = _weights(frame, file, problems)
    since = frame["since"] if "since" in frame else pd.Series("", index=frame.index)
    out["since"] = _dates(since, file, "since", problems, date_order)
    _duplicate_ties(out, file, directed, problems, codes)
    for col in frame.columns:
        if col not in out.columns:
            out[col] = _infer(frame[col])
    if people_ids is not None and people_ids.dtype.kind == "i" and codes is not None:
        # Each known end is the typed id at its position (unknown ends were reported above).
        typed_ids = pd.unique(people_ids.to_numpy())
        for col in ("source", "target"):
            code = codes[col].to_numpy()
            if (code >= 0).all():
                out[col] = typed_ids[code]
            else:
                out[col] = pd.array(np.where(code >= 0, typed_ids[np.maximum(code, 0)], 0),
                                    dtype="Int64")
                out.loc[code < 0, col] = pd.NA
    return out


def _weights(frame: pd.DataFrame, file: str, problems: list[Problem]) -> pd.Series:
    if "weight" not in frame:
        return pd.Series(1.0, index=frame.index)
    text = frame["weight"]
    given = text != ""
    values = _numbers(text)
    _report(problems, file, given & values.isna(), "weight", "weight is not a number")
    bad = given & values.notna() & ~((values > 0) & np.isfinite(values))
    _report(problems, file, bad, "weight", "weight must be a positive, finite number")
    # Sums and squares of weights near 1e308 overflow to inf inside centralities; no tie strength
    # needs more than a hundred orders of magnitude.
    huge = given & np.isfinite(values) & (values > _MAX_WEIGHT)
    _report(problems, file, huge, "weight", f"weight is above {_MAX_WEIGHT:g}; rescale the weights")
    return values.fillna(1.0).astype(float)


def _end_codes(frame: pd.DataFrame, people_ids: pd.Series | None) -> dict[str, pd.Series] | None:
    """Position of each tie end among the people (-1 when unknown), hashing each id once."""
    if people_ids is None:
        return None
    # Duplicate people ids are reported elsewhere; keep the first so positions stay defined.
    known = pd.unique(people_ids.astype(str))
    codes = positions(known, frame["source"], frame["target"], remember=True)
    return {col: pd.Series(c, index=frame.index, copy=False)
            for col, c in zip(("source", "target"), codes, strict=True)}


def _duplicate_ties(ties: pd.DataFrame, file: str, directed: bool, problems: list[Problem],
                    positions: dict[str, pd.Series] | None = None) -> None:
    """Two rows for the same pair and kind (in undirected data, a-b and b-a are the same pair)."""
    src, dst, n_ends = _pair_codes(ties, positions)
    kind, kinds = pd.factorize(ties["kind"])
    n_kinds = max(len(kinds), 1)
    given = (ties["source"] != "").to_numpy() & (ties["target"] != "").to_numpy()
    dup = _repeats(_pair_key(src, dst, kind, n_ends, n_kinds, ordered=directed)) & given
    if not directed:
        # A duplicate that is not a repeat as written is b-a after a-b: most likely nomination
        # data loaded as undirected, so say so rather than only "merge them".
        as_written = _pair_key(src, dst, kind, n_ends, n_kinds, ordered=True)
        reversed_pair = dup & ~_repeats(as_written)
        del as_written
        # When every tie has its reverse, the file may as well be undirected ties written once
        # per direction: then the hint must not claim that the ties are directed.
        every = 2 * int(reversed_pair.sum()) == int(given.sum()) > 0
        _report(problems, file, reversed_pair, "kind", REVERSED_EVERY if every else REVERSED_TIE)
        dup &= ~reversed_pair
    _report(problems, file, dup, "kind",
            "repeats an earlier tie with the same source, target and kind; "
            "merge them (sum weights)")



def _pair_key(src: np.ndarray, dst: np.ndarray, kind: np.ndarray, n_ends: int, n_kinds: int,
              *, ordered: bool) -> np.ndarray:
    """One integer per (pair, kind); an unordered pair (a-b the same as b-a) unless ``ordered``.
    Built in place: at 30 million ties each temporary array is a quarter of a gigabyte."""
    key = src.astype(np.int64) if ordered else np.minimum(src, dst).astype(np.int64, copy=False)
    key *= n_ends
    key += dst if ordered else np.maximum(src, dst)
    key *= n_kinds
    key += kind
    return key


def _repeats(key: np.ndarray) -> np.ndarray:
    """Which keys repeat an earlier one (``duplicated(keep="first")``), by a stable sort: ties
    come listed person by person, nearly sorted already, where hashing 30 million distinct keys
    misses the cache on every one."""
    order = np.argsort(key, kind="stable")
    same = np.take(key, order)
    same = same[1:] == same[:-1]
    out = np.zeros(len(key), dtype=bool)
    out[order[1:]] = same
    return out


def _pair_codes(ties: pd.DataFrame, positions: dict[str, pd.Series] | None
                ) -> tuple[np.ndarray, np.ndarray, int]:
    """One integer per distinct end (the same for the same text) for both ends, and how many.

    When every end is a known person, its position among the people is such a code already;
    otherwise (unknown or empty ends, reported elsewhere) the ends' text is hashed.
    """
    n = len(ties)
    if positions is not None:
        src, dst = (positions[c].to_numpy(dtype=np.int64) for c in ("source", "target"))
        if n and src.min() >= 0 and dst.min() >= 0:
            return src, dst, int(max(src.max(), dst.max())) + 1
    ends = np.concatenate([ties["source"].to_numpy(dtype=object),
                           ties["target"].to_numpy(dtype=object)])
    codes, uniques = pd.factorize(ends, sort=True)
    codes = codes.astype(np.int64)
    return codes[:n], codes[n:], max(len(uniques), 1)
