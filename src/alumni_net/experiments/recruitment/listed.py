"""The ``list`` strategy: the people a programme actually plans to invite, named in a scenario
file or flagged in a people column, so that the real plan can be compared with the others.

Named people are picked in the order given (the file's order; the table's order for a column),
skipping anyone already trained or outside the candidate pool, as long as the quotas allow
them. When the names run out before the places do, fewer than ``k`` people are returned: what
fills the rest (another strategy, or nothing) is the caller's choice (a scenario file's
``when_exhausted``).

A self-contained module with a pick function like :mod:`.coverage` and :mod:`.influence`;
:func:`alumni_net.experiments.recruitment.recruit` does not dispatch to it yet (the scenarios
call :func:`recruit_listed`).
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from alumni_net.core.rng import SeedLike, as_seed_sequence
from alumni_net.errors import ConfigError
from alumni_net.experiments.recruitment._pool import Pool, child_seed, make_pool
from alumni_net.experiments.recruitment.quotas import Quotas, diagnose

__all__ = ["STRATEGY", "listed_people", "pick_listed", "recruit_listed"]

#: The strategy's name in scenario files.
STRATEGY = "list"


def listed_people(people: pd.DataFrame, *, names: Sequence = (),
                  column: str | None = None) -> list:
    """Person ids of the list, in order: ``names`` matched to ``person_id`` as text, or the
    people whose ``column`` says yes (true/yes/1), in the table's order.

    Examples
    --------
    >>> people = pd.DataFrame({"person_id": [1, 2, 3], "invite": ["no", "yes", "yes"]})
    >>> listed_people(people, names=["3", "1"]), listed_people(people, column="invite")
    ([3, 1], [2, 3])
    """
    ids = people["person_id"]
    if column is not None:
        from alumni_net.experiments.scenarios.cohort_data import flag

        return ids[flag(people[column])].tolist()
    by_text = dict(zip(ids.astype(str), ids, strict=True))
    return [by_text[str(n)] for n in names if str(n) in by_text]


def pick_listed(pool: Pool, listed: Sequence) -> list[int]:
    """Pool positions of the listed people the quotas allow, in list order, at most ``k``."""
    where = {pid: i for i, pid in enumerate(pool.ids)}
    picks: list[int] = []
    for pid in dict.fromkeys(listed):
        if len(picks) == pool.k:
            break
        i = where.get(pid)
        if i is not None and pool.plan.allows(i):
            pool.plan.pick(i)
            picks.append(i)
    return picks


def recruit_listed(people: pd.DataFrame, k: int, listed: Sequence, *, candidates=None,
                   quotas: Quotas | None = None, exclude=(), rng: SeedLike = None) -> list:
    """Up to ``k`` of the ``listed`` people (ids, in list order) from the candidate pool, under
    ``quotas``; fewer when the list runs out.

    Examples
    --------
    >>> people = pd.DataFrame({"person_id": ["a", "b", "c", "d"]})
    >>> recruit_listed(people, 3, ["c", "a"], exclude=["a"])
    ['c']
    """
    pool = make_pool(people, k, candidates, quotas, exclude, child_seed(as_seed_sequence(rng), 0))
    problem = diagnose(pool.plan)
    if problem:
        raise ConfigError(problem)
    return [pool.ids[i] for i in pick_listed(pool, listed)]

