"""A survey of alumni simulated on a complete network, in the kit's own layout (roster and
response workbook): for validation where the truth is known, and for the shipped example.

Respondents answer truthfully except for counts (their own, and their guesses of their contacts'
counts in other organisations), which carry multiplicative recall noise; each
names up to ``contacts`` of their contacts outside the programme at random, says which of them
know each other, which they met through the programme (a ``post_course_contact`` tie) and which
alumni they are in touch with (any tie to an alum other than the cohort's and the set's own).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from itertools import combinations

import numpy as np
import pandas as pd

from alumni_net.core.rng import SeedLike, as_generator
from alumni_net.experiments.workforce.survey_sim import noisy_counts
from alumni_net.io import Dataset
from alumni_net.survey import contact_column, pair_column

__all__ = ["observe_survey", "roster_of"]

_TRAINING = ("cohort", "action_learning_set")


def roster_of(ds: Dataset) -> pd.DataFrame:
    """The alumni of ``ds`` as a programme's roster (``person_id``, cohort, set, sector ...)."""
    people = ds.people[ds.people["is_alum"].to_numpy(bool)]
    cols = [c for c in ("person_id", "cohort", "cohort_start", "action_learning_set", "sector",
                        "region", "role") if c in people]
    roster = people[cols].copy()
    roster["person_id"] = roster["person_id"].astype(str)
    if "cohort_start" in roster:
        roster["cohort_start"] = pd.to_datetime(roster["cohort_start"]).dt.strftime("%Y-%m-%d")
    return roster.reset_index(drop=True)


def observe_survey(ds: Dataset, respondents: Iterable[Hashable], *, contacts: int = 5,
                   count_noise: float = 0.3, proxy_noise: float = 0.5,
                   organisation: str = "organisation",
                   seed: SeedLike = 0) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The roster and the responses of ``respondents`` (alumni ids) surveyed on ``ds``.

    Returns
    -------
    (roster, responses)
        Tables in the kit's layout, ready for :func:`alumni_net.survey.import_survey`.
    """
    rng = as_generator(seed)
    people = ds.people.set_index(ds.people["person_id"].astype(str))
    alum = people["is_alum"].astype(bool)
    org = people[organisation] if organisation in people else pd.Series(pd.NA, people.index)
    egos = [str(r) for r in respondents]
    kinds = _neighbours(ds, egos)
    other = {n: sum(1 for m in nb if pd.isna(org.get(n)) or org.get(m) != org.get(n))
             for n, nb in kinds.items()}
    rows = []
    for ego in egos:
        rows.append(_answers(ego, kinds, other, people, alum, org, contacts,
                             (count_noise, proxy_noise), rng))
    return roster_of(ds), pd.DataFrame(rows)


def _neighbours(ds: Dataset, egos: list[str]) -> dict[str, dict[str, set[str]]]:
    """The neighbours, with the kinds of tie to each (both directions), of the respondents and
    of their neighbours: all that their answers read. Only the ties touching those people are
    visited: on the national preset (30 million ties) a dictionary of everyone's did not fit in
    memory. Other people may appear as keys with some of their neighbours; nothing reads them."""
    out: dict[str, dict[str, set[str]]] = {}
    ties = ds.ties
    source, target = ties["source"].astype(str), ties["target"].astype(str)
    kinds = ties["kind"] if "kind" in ties else pd.Series("tie", ties.index)
    wanted = set(egos)
    touching = source.isin(wanted) | target.isin(wanted)
    wanted |= set(source[touching]) | set(target[touching])  # the respondents' alters
    keep = (source.isin(wanted) | target.isin(wanted)).to_numpy(dtype=bool)
    for a, b, k in zip(source[keep], target[keep], kinds[keep], strict=True):
        out.setdefault(a, {}).setdefault(b, set()).add(str(k))
        out.setdefault(b, {}).setdefault(a, set()).add(str(k))
    return out


def _answers(ego, everyone, other_degree, people, alum, org, contacts, noise, rng) -> dict:
    neighbours = everyone.get(ego, {})
    me = people.loc[ego]
    row = {"identity": ego}
    for col in ("sector", "region", "role"):
        row[col] = me.get(col) if isinstance(me.get(col), str) else ""
    others = sorted(n for n in neighbours if not alum.get(n, False))
    fellow = sorted(n for n, k in neighbours.items() if alum.get(n, False) and k - set(_TRAINING))
    row["alumni_contacts"] = ";".join(fellow)
    same = [pd.notna(org.get(ego)) and org.get(n) == org.get(ego) for n in others]
    own, other = noisy_counts(np.array([sum(same), len(others) - sum(same)]), noise[0], rng)
    row.update(know_own_org=int(own), know_other_orgs=int(other))
    named = [others[i] for i in rng.permutation(len(others))[:contacts]]
    for i, alter in enumerate(named, start=1):
        a = people.loc[alter]
        row[contact_column(i, "label")] = str(i)
        for col in ("sector", "region", "role"):
            row[contact_column(i, col)] = a.get(col) if isinstance(a.get(col), str) else ""
        row[contact_column(i, "same_org")] = "yes" if same[others.index(alter)] else "no"
        met = "post_course_contact" in neighbours[alter]
        row[contact_column(i, "met_through_programme")] = "yes" if met else "no"
        guess = noisy_counts(np.array([other_degree.get(alter, 0)]), noise[1], rng)[0]
        row[contact_column(i, "their_contacts")] = int(guess)
    for (i, x), (j, y) in combinations(enumerate(named, start=1), 2):
        row[pair_column(i, j)] = "yes" if y in everyone.get(x, {}) else "no"
    return row
