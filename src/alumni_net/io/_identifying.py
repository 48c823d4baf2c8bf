"""Columns that single people out, alone or in pairs, and so would undo pseudonymised ids.

Public network data often carry the original id in pieces: a village number and an id within
the village, or an old id beside the new one. Pseudonymising ``person_id`` alone then protects
no one: whoever holds the original data joins on the pair. :func:`identifying_columns` finds
columns unique per person (or nearly: more than 95% distinct) and pairs of columns that are
unique together, so the loader can say so once and suggest ``--pseudonymise``.

Small datasets (fewer than 20 people) are not checked: there nearly every column is unique and
the warning would carry no information. Large ones are screened on an evenly spaced sample of
rows and confirmed on all of them, so a million people cost a fraction of a second per column.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable

import numpy as np
import pandas as pd

__all__ = ["NEARLY_UNIQUE", "identifying_columns", "identifying_note"]

#: A column with more distinct values than this share of people is (nearly) an id.
NEARLY_UNIQUE = 0.95
_MIN_PEOPLE = 20
_SAMPLE = 5000
_SHOWN = 4
# Columns the package reads for its own work: pseudonymising them would break the analysis, so
# the suggestion names the other column of a pair.
_USED = frozenset({"is_alum", "cohort", "cohort_start", "adoption_time", "sector", "region",
                   "action_learning_set"})


def identifying_columns(
    people: pd.DataFrame, *, skip: Iterable[str] = ()
) -> tuple[list[str], list[tuple[str, str]]]:
    """Columns unique per person (or nearly), and pairs of other columns unique together.

    ``person_id`` and the ``skip`` columns (already pseudonymised) are left out.

    Examples
    --------
    >>> people = pd.DataFrame({"person_id": range(40), "village": [i // 10 for i in range(40)],
    ...                        "id_in_village": [i % 10 for i in range(40)],
    ...                        "old_id": range(100, 140), "sector": ["a", "b"] * 20})
    >>> identifying_columns(people)
    (['old_id'], [('village', 'id_in_village')])
    """
    n = len(people)
    if n < _MIN_PEOPLE:
        return [], []
    skipped = {"person_id", *skip}
    sampled = n > _SAMPLE
    rows = np.linspace(0, n - 1, _SAMPLE).astype(np.int64) if sampled else None
    singles, codes = [], {}
    for col in (c for c in people.columns if c not in skipped):
        values = people[col] if rows is None else people[col].iloc[rows]
        found, uniques = pd.factorize(values, use_na_sentinel=True)
        # On a sample, a column nearly unique overall looks at least about as unique.
        if len(uniques) > NEARLY_UNIQUE * len(values) * (0.9 if sampled else 1):
            if not sampled or people[col].nunique(dropna=True) > NEARLY_UNIQUE * n:
                singles.append(col)
                continue
        if 1 < len(uniques):
            codes[col] = (found.astype(np.int64) + 1, len(uniques) + 1)  # missing is a value
    pairs = []
    for (a, (ca, ka)), (b, (cb, kb)) in itertools.combinations(codes.items(), 2):
        # A repeat in the sample is a repeat overall: screen on the sample, confirm on everyone.
        if ka * kb < len(ca) or not _unique(ca * kb + cb, ka * kb):
            continue
        if not sampled or _unique_pair(people[a], people[b]):
            pairs.append((a, b))
    return singles, pairs


def _unique_pair(a: pd.Series, b: pd.Series) -> bool:
    ca, ua = pd.factorize(a, use_na_sentinel=True)
    cb, ub = pd.factorize(b, use_na_sentinel=True)
    kb = len(ub) + 1
    return _unique((ca.astype(np.int64) + 1) * kb + cb + 1, (len(ua) + 1) * kb)


def _unique(values: np.ndarray, bound: int) -> bool:
    if bound <= 8 * len(values):  # small code space: counting is faster than hashing
        return bool(np.bincount(values, minlength=bound).max() <= 1)
    return len(np.unique(values)) == len(values)


def identifying_note(people: pd.DataFrame, *, skip: Iterable[str] = (), file: str = "people"
                     ) -> str | None:
    """One sentence on the columns that would undo pseudonymised ids, or None."""
    singles, pairs = identifying_columns(people, skip=skip)
    if not singles and not pairs:
        return None
    parts = []
    if singles:
        names = ", ".join(f"'{c}'" for c in singles)
        parts.append(f"column{'s' if len(singles) > 1 else ''} {names} "
                     f"{'are' if len(singles) > 1 else 'is'} unique per person, or nearly")
    if pairs:
        shown = ", ".join(f"'{a}' + '{b}'" for a, b in pairs[:_SHOWN])
        more = f" and {len(pairs) - _SHOWN} more pairs" if len(pairs) > _SHOWN else ""
        parts.append(f"{'the pair' if len(pairs) == 1 else 'the pairs'} {shown}{more} "
                     f"{'identifies' if len(pairs) == 1 else 'each identify'} every person")
    candidates = dict.fromkeys([*singles, *(_to_hide(a, b, people) for a, b in pairs)])
    suggest = [c for c in candidates if c is not None]
    fix = (f"pseudonymise {'it' if len(suggest) == 1 else 'them'} (--pseudonymise "
           f"{' '.join(suggest)}, or pseudonymise = [...] in dataset.toml) or drop "
           f"{'it' if len(suggest) == 1 else 'them'}") if suggest else "drop or coarsen them"
    return (f"{file}: {', and '.join(parts)}, so outputs that keep "
            f"{'it' if len(singles) + len(pairs) == 1 else 'them'} can be joined back to the "
            f"original ids, undoing the pseudonyms; {fix}")


def _to_hide(a: str, b: str, people: pd.DataFrame) -> str | None:
    """The column of a pair to pseudonymise: the finer one (the id within the group), unless the
    package reads it."""
    # Ties go to the later column (an id within a group usually follows the group).
    order = sorted((-people[c].nunique(), -people.columns.get_loc(c), c) for c in (a, b))
    choices = [c for *_, c in order if c not in _USED]
    return choices[0] if choices else None
