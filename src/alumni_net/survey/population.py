"""The population the workforce network is scaled to, against the survey's categories.

A population is counts of people by ``region``, ``sector`` and ``role``, one row per group: a
population table read by the one loader, :func:`alumni_net.synth.workforce.load_population`
(the packaged ``uk_workforce`` or a CSV file), or a preset's
(:func:`alumni_net.synth.population.population_counts`, default ``national``, the population
the national synthetic preset places). Its groups must be the survey's categories: every sector,
region and role an alum or a contact was given must be a group of the population, and every
group of the population must be an option the survey offered, or the model would place people
where the survey could not see them.
"""

from __future__ import annotations

import pandas as pd

from alumni_net.errors import Problem, ValidationError
from alumni_net.survey.questions import Categories

__all__ = ["GROUP_COLUMNS", "categories_from_population", "check_population"]

GROUP_COLUMNS = ("region", "sector", "role")


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
    if int(population["count"].sum()) == 0:
        problems.append(Problem(file, None, "count", "the counts add up to nobody"))
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
