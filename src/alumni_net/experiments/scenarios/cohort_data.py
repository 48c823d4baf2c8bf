"""Future cohorts as data: recruits marked as alumni of their cohort and set, their cohort and
action-learning-set ties (made by the synthetic generator's own
:func:`~alumni_net.synth.programme.programme_ties`), and the arcs every scenario shares."""

from __future__ import annotations

import dataclasses
from types import SimpleNamespace
from typing import TYPE_CHECKING, cast

import numpy as np
import pandas as pd

from alumni_net.core.convert import flag, unreadable_flags
from alumni_net.io import Dataset
from alumni_net.synth.programme import programme_ties

if TYPE_CHECKING:
    from alumni_net.synth.params import SynthParams
    from alumni_net.synth.programme import Programme

__all__ = ["OTHER_SCENARIO_KIND", "align_arcs", "flag", "unreadable_flags"]

#: Tie kind of the other scenarios' programme ties, carried (never active) by every scenario's
#: network so that all networks have the same arcs: the fast engine keys its transmission coins
#: by arc, so this gives every scenario the same coin for the same tie in the same month.
OTHER_SCENARIO_KIND = "other_scenario_tie"
_NEVER = pd.Timestamp("2200-01-01")  # after any horizon (at most 50 years from today's data)


def _is_alum(people: pd.DataFrame) -> np.ndarray:
    if "is_alum" not in people.columns:
        return np.zeros(len(people), dtype=bool)
    return flag(people["is_alum"])


def _cohort_labels(people: pd.DataFrame, n: int) -> list:
    """Future cohorts continue the data's numbering when cohorts are numbers, else F01, F02..."""
    col = people["cohort"] if "cohort" in people.columns else pd.Series([], dtype=float)
    numbers = pd.to_numeric(col.dropna(), errors="coerce")
    if len(col.dropna()) and numbers.notna().all():
        top = int(numbers.max())
        return [top + 1 + i for i in range(n)]
    if not len(col.dropna()):
        return list(range(1, n + 1))
    return [f"F{i + 1:02d}" for i in range(n)]


def _recruits(people, members, starts, labels, n_sets) -> pd.DataFrame:
    rows = members.ravel()
    cohort = np.repeat(np.arange(len(members)), members.shape[1])
    set_no = np.tile(np.arange(members.shape[1]) % n_sets, len(members))
    return pd.DataFrame({
        "person_id": people["person_id"].to_numpy()[rows],
        "cohort": [labels[i] for i in cohort],
        "cohort_start": pd.to_datetime([starts[i].to_timestamp() for i in cohort]),
        "action_learning_set": [f"C{labels[i]}-S{s + 1}" for i, s in zip(cohort, set_no,
                                                                          strict=True)],
        **{col: people[col].to_numpy()[rows] for col in ("sector", "region")
           if col in people.columns},
    })


def _with_recruits(ds: Dataset, recruits: pd.DataFrame, members: np.ndarray,
                   starts: list[pd.Period], c) -> Dataset:
    """``ds`` with the recruits as alumni of their cohort and set, and their ties added."""
    people = ds.people.copy()
    rows = pd.Index(people["person_id"]).get_indexer(recruits["person_id"])
    people["is_alum"] = _is_alum(people)
    people.loc[people.index[rows], "is_alum"] = True
    numbered = len(recruits) and not isinstance(recruits["cohort"].iloc[0], str)
    cohort = people["cohort"] if "cohort" in people.columns else \
        pd.Series(pd.NA, index=people.index)
    people["cohort"] = cohort.astype("Int64" if numbered else object)
    people.loc[people.index[rows], "cohort"] = recruits["cohort"].to_numpy()
    start = pd.to_datetime(people.get("cohort_start", pd.Series(pd.NaT, index=people.index)),
                           errors="coerce").astype("datetime64[us]")
    start.iloc[rows] = recruits["cohort_start"].to_numpy()
    people["cohort_start"] = start
    sets = people.get("action_learning_set", pd.Series(None, index=people.index)).astype(object)
    sets.iloc[rows] = recruits["action_learning_set"].to_numpy()
    people["action_learning_set"] = sets
    prog = SimpleNamespace(members=members, start=np.array(
        [p.to_timestamp().to_datetime64() for p in starts], dtype="datetime64[D]"))
    # programme_ties reads only these fields: a new cohort is not a whole synthetic programme.
    shape = SimpleNamespace(cohort_size=c.size, sets_per_cohort=c.n_sets)
    made = programme_ties(cast("Programme", prog), cast("SynthParams", shape))
    ids = people["person_id"].to_numpy()
    new = pd.concat([pd.DataFrame({"source": ids[a], "target": ids[b], "kind": kind,
                                   "since": pd.to_datetime(since).astype("datetime64[us]")})
                     for kind, (a, b, since) in made.items()], ignore_index=True)
    return dataclasses.replace(ds, people=people, ties=_append_ties(ds, new))


def _append_ties(ds: Dataset, new: pd.DataFrame) -> pd.DataFrame:
    """``new`` (undirected pairs) added to the data's ties, both ways round on directed data."""
    if ds.directed:
        new = pd.concat([new, new.rename(columns={"source": "target", "target": "source"})],
                        ignore_index=True)
    ties = ds.ties
    if "since" not in ties.columns:
        ties = ties.assign(since=pd.NaT)
    if "kind" not in ties.columns:
        ties = ties.assign(kind="tie")
    since = pd.to_datetime(ties["since"], errors="coerce").astype("datetime64[us]")
    ties = ties.assign(since=since)
    if "weight" in ties.columns:
        new = new.assign(weight=1.0)
    return pd.concat([ties, new[[c for c in ties.columns if c in new.columns]]],
                     ignore_index=True)


def align_arcs(plans: list) -> list:
    """Give every scenario's data every other scenario's programme ties, as a kind that is never
    active, so that all scenarios' networks have the same arcs (common random numbers)."""
    pairs = {p.scenario.name: _programme_pairs(p) for p in plans}
    everyone = pd.concat(list(pairs.values()), ignore_index=True).drop_duplicates()
    out = []
    for plan in plans:
        own = pairs[plan.scenario.name]
        merged = everyone.merge(own, how="left", indicator=True)
        other = merged.loc[merged["_merge"] == "left_only", ["source", "target"]]
        extra = other.assign(kind=OTHER_SCENARIO_KIND, since=_NEVER)
        if "weight" in plan.dataset.ties.columns:
            extra = extra.assign(weight=1.0)
        ties = pd.concat([plan.dataset.ties, extra], ignore_index=True)
        ties["since"] = ties["since"].astype("datetime64[us]")
        out.append(dataclasses.replace(plan, dataset=dataclasses.replace(plan.dataset, ties=ties)))
    return out


def _programme_pairs(plan) -> pd.DataFrame:
    recruits = set(plan.recruits["person_id"].tolist())
    ties = plan.dataset.ties
    mine = ties["kind"].isin(["cohort", "action_learning_set"]) & ties["source"].isin(recruits) \
        & ties["target"].isin(recruits)
    return ties.loc[mine, ["source", "target"]].drop_duplicates().reset_index(drop=True)
