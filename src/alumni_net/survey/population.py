"""The population the workforce network is scaled to: counts of people by region, sector and role.

A population file is a table (CSV or Excel) with columns ``region``, ``sector``, ``role`` and
``count`` (people, a whole number), one row per group; other columns (``nation``, sources) are
kept but not used. Its groups must be the survey's categories: every sector, region and role an
alum or a contact was given must be a group of the file, and every group of the file must be an
option the survey offered, or the model would place people where the survey could not see them.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd

from alumni_net.errors import Problem, ValidationError
from alumni_net.survey._table import read_table_file
from alumni_net.survey._values import normalise
from alumni_net.survey.questions import Categories

__all__ = ["GROUP_COLUMNS", "categories_from_population", "check_population", "read_population"]

GROUP_COLUMNS = ("region", "sector", "role")


def read_population(path: str | os.PathLike) -> pd.DataFrame:
    """The population file as ``region, sector, role, count`` (count an int64), one row per group.

    Raises
    ------
    ValidationError
        Missing columns, empty groups, counts that are not whole numbers >= 0, a group twice,
        a total of nobody.
    """
    path = Path(path)
    problems: list[Problem] = []
    frame = read_table_file(path, problems)
    if frame is None:
        raise ValidationError(problems)
    frame.columns = [normalise(c) for c in frame.columns]
    for col in (*GROUP_COLUMNS, "count"):
        if col not in frame.columns:
            problems.append(Problem(path.name, 1, col, "required column is missing"))
    if problems:
        raise ValidationError(problems)
    counts, seen = [], {}
    for i, row in enumerate(frame.to_dict("records"), start=2):
        for col in GROUP_COLUMNS:
            if not str(row[col]).strip():
                problems.append(Problem(path.name, i, col, f"the {col} is empty"))
        text = str(row["count"]).strip().replace(",", "")
        try:
            value = float(text)
            ok = value >= 0 and value.is_integer()
        except ValueError:
            ok = False
        if not ok:
            problems.append(Problem(path.name, i, "count",
                                    f"'{row['count']}' is not a count: write a whole number >= 0"))
        counts.append(int(float(text)) if ok else 0)
        key = tuple(str(row[c]).strip() for c in GROUP_COLUMNS)
        if key in seen:
            problems.append(Problem(path.name, i, "region",
                                    f"the group {' / '.join(key)} is already on row {seen[key]}"))
        seen.setdefault(key, i)
    if not problems and sum(counts) == 0:
        problems.append(Problem(path.name, None, "count", "the counts add up to nobody"))
    if problems:
        raise ValidationError(problems)
    out = frame[list(GROUP_COLUMNS)].apply(lambda c: c.astype(str).str.strip())
    out["count"] = np.asarray(counts, dtype=np.int64)
    out.attrs["file"] = path.name
    return out


def categories_from_population(population: pd.DataFrame) -> Categories:
    """The survey's options: the population's sectors, regions and roles, in file order.

    Examples
    --------
    >>> pop = pd.DataFrame({"region": ["london", "london"], "sector": ["health", "health"],
    ...                     "role": ["nurse", "doctor"], "count": [5, 2]})
    >>> categories_from_population(pop).role
    ('nurse', 'doctor')
    """
    return Categories(*(tuple(dict.fromkeys(population[c])) for c in ("sector", "region", "role")))


def check_population(population: pd.DataFrame, categories: Categories,
                     used: dict[str, list[tuple[str, int, str]]]) -> None:
    """Raise one problem per mismatch between the population's groups and the survey's categories.

    ``used`` maps ``sector``/``region``/``role`` to (file, row, value) of every value the survey
    data hold, so a value missing from the population is named where it was found.
    """
    file = population.attrs.get("file", "population file")
    problems: list[Problem] = []
    for col in GROUP_COLUMNS:
        offered = set(categories.of(col))
        present = set(population.loc[population["count"] > 0, col])
        for i, value in enumerate(population[col], start=2):
            if value not in offered:
                problems.append(Problem(
                    file, i, col, f"'{value}' is not a {col} the survey offered "
                    f"({', '.join(categories.of(col))}): rename it or template the survey "
                    "from this file"))
        for where, row, value in used.get(col, []):
            if value not in present:
                problems.append(Problem(
                    where, row, col, f"'{value}' is not a {col} of the population file {file} "
                    "(nobody of it to place in the network)"))
    if problems:
        raise ValidationError(problems)
