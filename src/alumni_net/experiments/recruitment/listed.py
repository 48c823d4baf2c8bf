"""``list``: the people a programme actually plans to invite, named in a scenario file or flagged
in a people column, so that the real plan can be compared with the others.

Settings (``[recruitment]`` keys with ``strategy = "list"``): ``people``, their ``person_id``
values in the order to invite them, or ``people_column``, a yes/no column of the people table
that flags them (in the table's order); one of the two. Named people are picked in that order,
skipping anyone already trained or outside the candidate pool, as long as the quotas allow
them. Past the names the places are filled at random (the pool's seeded order, the quotas still
met): such picks are not on the list and add nothing to it (:data:`STRATEGY`'s exhaustion flags
them), and a scenario file says whether to keep them, replace them by a fallback strategy or
stop recruiting (``when_exhausted``; a list shorter than the places must say).

Examples
--------
>>> import networkx as nx
>>> from alumni_net.experiments.recruitment import recruit
>>> people = pd.DataFrame({"person_id": ["a", "b", "c", "d"], "is_alum": [True, False, False,
...                                                                       False]})
>>> recruit(people, None, 2, strategy="list", settings={"people": ["c", "a", "b"]})
['c', 'b']
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from alumni_net.core.convert import flag, unreadable_flags
from alumni_net.errors import ConfigError
from alumni_net.experiments.recruitment._pool import Pool
from alumni_net.experiments.recruitment.registry import Exhaustion, Request, Setting, Strategy

__all__ = ["STRATEGY", "listed_people", "pick_listed"]

#: People shown when a setting names ids the data do not hold.
_SHOWN = 3


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


def _named(people: pd.DataFrame, settings: Mapping[str, Any]) -> list:
    return listed_people(people, names=settings["people"], column=settings["people_column"])


def _pick(pool: Pool, request: Request) -> list[int]:
    picks = pick_listed(pool, _named(request.people, request.settings))
    taken = set(picks)
    for i in np.argsort(pool.rank, kind="stable"):  # past the names: at random, under the quotas
        if len(picks) == pool.k:
            break
        if int(i) not in taken and pool.plan.allows(int(i)):
            pool.plan.pick(int(i))
            picks.append(int(i))
    return picks


def _not_listed(picks: list, request: Request) -> np.ndarray:
    named = set(_named(request.people, request.settings))
    return np.array([p not in named for p in picks], dtype=bool)


def _check_people(people: pd.DataFrame, settings: Mapping[str, Any]) -> list[str]:
    """Who to recruit given exactly one way, every named id in the data, a readable column."""
    names, column = settings["people"], settings["people_column"]
    if bool(names) == (column is not None):
        return ["the list strategy needs the people to recruit: people = [ids] or "
                "people_column = \"COLUMN\" (one of them)"]
    if column is not None:
        if column not in people.columns:
            return [f"people_column names {column!r}, which is not a column of the people table"]
        odd = unreadable_flags(people[column])
        return [f"the {column!r} column must say true or false (yes/no, 1/0), not "
                f"{', '.join(map(repr, odd[:_SHOWN]))}"] if odd else []
    known = set(people["person_id"].astype(str))
    unknown = [p for p in names if p not in known]
    if not unknown:
        return []
    shown = ", ".join(map(repr, unknown[:_SHOWN])) + (" ..." if len(unknown) > _SHOWN else "")
    return [f"people names {len(unknown):,} id(s) not in the people table: {shown}"]


def _ids(name: str, value: Any) -> tuple[str, ...]:
    if not (isinstance(value, (list, tuple)) and all(
            isinstance(p, (str, int)) and not isinstance(p, bool) for p in value)):
        raise ConfigError(f"{name} must be a list of person ids, got {value!r}")
    return tuple(str(p) for p in value)


def _column(name: str, value: Any) -> str | None:
    if value is not None and not (isinstance(value, str) and value):
        raise ConfigError(f"{name} must be a column name, got {value!r}")
    return value


def _quick(people: pd.DataFrame) -> dict[str, Any]:
    """A stand-in list for a quick look and the contract test: every other person not yet an
    alum, in the table's order (so both the names and what fills places past them are used)."""
    alum = flag(people["is_alum"]) if "is_alum" in people.columns else np.zeros(len(people), bool)
    return {"people": tuple(str(p) for p in people["person_id"][~alum].iloc[::2])}


STRATEGY = Strategy(
    name="list", description="the people on the list", pick=_pick, rank=60,
    needs_network=False,
    settings={
        "people": Setting((), _ids, "the person_id values to recruit, in order"),
        "people_column": Setting(None, _column, "a yes/no column of the people table flagging "
                                 "the people to recruit (instead of people)"),
    },
    quick=_quick, check_people=_check_people,
    exhaustion=Exhaustion("are not on the list (it ran out of names)", _not_listed,
                          named=_named),
)
