"""Validation problems as a person reads them: one sentence per kind of problem, not per row.

Real data with one systematic problem (nominations loaded as undirected ties, an id column typed
with a stray prefix) produce hundreds of near-identical problems; listed one per row, the one
useful hint is buried. :func:`describe_problems` groups problems of one kind (same file, column
and message once quoted values and numbers are set aside) into one sentence with the count and
the first rows, and puts the hint that the ties are directed first.

Direction is never inferred from the data (see :func:`alumni_net.io.load_dataset`): when only
some ties come back the other way, the data cannot be undirected and the hint says "directed";
when every tie does, they may be nominations all returned or undirected ties written twice, and
the hint names both fixes.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from alumni_net.errors import Problem, ValidationError
from alumni_net.io._validate import REVERSED_EVERY, REVERSED_TIE

__all__ = ["describe_problems", "grouped_error"]

_QUOTED = re.compile(r"'[^']*'")
_NUMBER = re.compile(r"\d+")


def describe_problems(problems: Sequence[Problem], *, rows_shown: int = 3) -> list[str]:
    """One line per kind of problem, the hint that ties are directed first.

    Problems of one kind are the same message (up to the quoted values and numbers in it) in the
    same file and column; their line gives the count and the first ``rows_shown`` rows.

    Examples
    --------
    >>> found = [Problem("ties.csv", r, "target", f"'x{r}' is not a person_id")
    ...          for r in (2, 5, 9, 14, 20)]
    >>> print(*describe_problems(found))
    ties.csv, rows 2, 5, 9 and 2 more, column 'target' (5 alike; the first): 'x2' is not a person_id
    >>> print(*describe_problems([Problem("people.csv", 3, "person_id", "person_id is empty")]))
    people.csv, row 3, column 'person_id': person_id is empty
    """
    ordered = sorted(problems, key=lambda p: (p.file, p.row or 0, p.column or ""))
    reversed_ties = [p for p in ordered if p.message in _REVERSED]
    groups: dict[tuple, list[Problem]] = {}
    for p in ordered:
        if p.message not in _REVERSED:
            groups.setdefault((p.file, p.column, _kind(p)), []).append(p)
    lines = _directed_hint(reversed_ties, rows_shown) if reversed_ties else []
    return lines + [_line(group, rows_shown) for group in groups.values()]


_REVERSED = (REVERSED_TIE, REVERSED_EVERY)


def grouped_error(problems: Sequence[Problem]) -> ValidationError:
    """A ValidationError holding every problem whose message (what a notebook shows) is the
    grouped lines of :func:`describe_problems` rather than one line per problem."""
    error = ValidationError(list(problems))
    n = len(error.problems)
    lines = "\n".join(f"  - {line}" for line in describe_problems(error.problems))
    error.args = (f"{n} problem{'s' if n != 1 else ''} in the input data:\n{lines}",)
    return error


def _kind(p: Problem) -> str:
    # Whole-file problems (no row) are each their own kind: there are few and they differ.
    if p.row is None:
        return f"{id(p)}"
    return _NUMBER.sub("#", _QUOTED.sub("'…'", p.message))


def _rows(group: Sequence[Problem], shown: int) -> str:
    rows = [str(p.row) for p in group]
    if len(rows) == 1:
        return f"row {rows[0]}"
    if len(rows) <= shown + 1:  # "and 1 more" says less than the row itself
        return f"rows {', '.join(rows[:-1])} and {rows[-1]}"
    return f"rows {', '.join(rows[:shown])} and {len(rows) - shown:,} more"


def _line(group: list[Problem], shown: int) -> str:
    first = group[0]
    if len(group) == 1:
        return str(first)
    where = [first.file, _rows(group, shown)]
    if first.column is not None:
        where.append(f"column '{first.column}'")
    if all(p.message == first.message for p in group):
        return f"{', '.join(where)}: {first.message}"
    return f"{', '.join(where)} ({len(group):,} alike; the first): {first.message}"


def _directed_hint(group: list[Problem], shown: int) -> list[str]:
    by_file: dict[str, list[Problem]] = {}
    for p in group:
        by_file.setdefault(p.file, []).append(p)
    return [_hint(file, rows, shown) for file, rows in by_file.items()]


def _hint(file: str, rows: list[Problem], shown: int) -> str:
    if rows[0].message == REVERSED_EVERY:
        # Nominations all returned, or undirected ties written twice: the data cannot tell.
        return (
            f"Every tie in {file} appears in both directions ({len(rows):,} rows repeat an "
            f"earlier tie reversed: {_rows(rows, shown)}): if these are nominations, all "
            "returned, load the data as directed (--directed, or the line 'directed = true' in "
            "dataset.toml); if they are undirected ties written once per direction, keep one "
            "row per pair."
        )
    return (
        f"These ties look directed: {len(rows):,} row{'s' if len(rows) > 1 else ''} of {file} "
        f"({_rows(rows, shown)}) repeat{'' if len(rows) > 1 else 's'} an earlier tie in the "
        "other direction, which undirected "
        "ties cannot hold, so load the data as directed (--directed, or the line "
        "'directed = true' in dataset.toml)."
    )
