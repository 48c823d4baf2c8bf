"""When a strategy runs out of people worth picking: finding the picks that add nothing beyond
themselves, and saying what was done with them.

A strategy keeps filling places after the people it values are gone: ``reach`` then picks
people who reach no one not already reached (isolated people, or people inside ground the
alumni already cover), ``bridging`` people with no tie to another sector or region, ``degree``
and ``betweenness`` people with no ties, and ``list`` runs out of names. Such a pick adds
nothing beyond the person themselves to what the strategy is for. A scenario file says what
happens to them (``[recruitment] when_exhausted``): keep them (and say so), replace them by
another strategy's picks (``fallback``), or stop recruiting at the first cohort that has one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = ["REASONS", "Exhausted", "adds_nothing"]

#: What the picks flagged by :func:`adds_nothing` lack, per strategy, for a sentence.
REASONS = {
    "degree": "have no ties",
    "betweenness": "have no ties",
    "bridging": "have no tie to another sector or region",
    "reach": "reach no one within three steps who is not already reached",
    "influence": "reach no one within three steps who is not already reached",
    "list": "are not on the list (it ran out of names)",
}


@dataclass(frozen=True)
class Exhausted:
    """What a scenario's strategy could not fill with people who add anything, and what the
    file said to do: ``kept``, ``replaced`` by the fallback, or ``stopped`` cohorts."""

    strategy: str
    policy: str
    fallback: str
    useless: int
    recruits: int
    replaced: int = 0
    cohorts_run: int = 0
    cohorts_planned: int = 0

    @property
    def left(self) -> int:
        """Recruits in the cohorts run who add nothing (none once stopped or all replaced)."""
        if self.policy == "stop":
            return 0
        return self.useless - self.replaced

    def sentence(self, name: str) -> str:
        """One sentence for a leader ('' when every pick added something)."""
        if not self.useless:
            return ""
        what = (f"'{name}': {self.useless:,} of {self.recruits:,} recruits picked by "
                f"{self.strategy!r} {REASONS.get(self.strategy, 'add nothing')}")
        if self.policy == "fallback":
            return (f"{what}; as the file says (when_exhausted = \"fallback\"), {self.replaced:,} "
                    f"of them were replaced by recruiting by {self.fallback!r}.")
        if self.policy == "stop":
            return (f"{what}; as the file says (when_exhausted = \"stop\"), recruiting stops at "
                    f"the first cohort with one: {self.cohorts_run} of {self.cohorts_planned} "
                    "cohorts run.")
        return (f"{what}; they are kept (set when_exhausted = \"fallback\" or \"stop\" in "
                "[recruitment] to replace them or stop recruiting there).")


def adds_nothing(strategy: str, picks: Sequence, *, graph, people: pd.DataFrame,
                 trained: Sequence, influence: str, listed: Sequence = ()) -> np.ndarray:
    """Which of ``picks`` (in pick order) add nothing beyond themselves to what ``strategy``
    is for, given the people already ``trained`` (and the earlier picks)."""
    picks = list(picks)
    flags = np.zeros(len(picks), dtype=bool)
    if not picks or strategy == "random":
        return flags
    if strategy == "list":
        on_list = set(listed)
        return np.array([p not in on_list for p in picks], dtype=bool)
    if strategy in ("reach", "influence"):
        return _covers_no_one(picks, graph, trained, influence)
    G = _networkx(graph)
    if strategy == "bridging":
        return np.array([not _crosses(G, p, people) for p in picks], dtype=bool)
    return np.array([_contacts(G, p, influence) == 0 for p in picks], dtype=bool)


def _covers_no_one(picks, graph, trained, influence) -> np.ndarray:
    """Picks whose three-step ball holds no one, besides themselves, not already reached."""
    from alumni_net.experiments.recruitment.coverage import Coverage
    from alumni_net.metrics import reach_index

    index = reach_index(graph if not _is_dataset(graph) else _igraph(graph), influence=influence)
    known = set(index.ids.tolist())
    base = index.vertices([t for t in trained if t in known])
    cover = Coverage(index.push, 3, base)
    out = []
    for v in index.vertices(picks):
        own = 0 if cover.covered[v] else 1  # the pick counts in its own ball
        out.append(cover.add(int(v)) - own == 0)
    return np.array(out, dtype=bool)


def _crosses(G, person, people: pd.DataFrame) -> bool:
    """Whether ``person`` has a tie (either way) to another sector or region."""
    labels = people.set_index("person_id")
    neighbours = set(G.predecessors(person)) | set(G.successors(person)) if G.is_directed() \
        else set(G[person])
    for column in ("sector", "region"):
        if column not in labels.columns:
            continue
        own = labels.at[person, column]
        others = labels[column].reindex(list(neighbours - {person})).dropna()
        if pd.notna(own) and (others != own).any():
            return True
    return False


def _contacts(G, person, influence: str) -> int:
    from alumni_net.experiments.recruitment.scores import degree_scores

    return int(degree_scores(G, [person], influence)[0])


def _is_dataset(graph) -> bool:
    return hasattr(graph, "people") and hasattr(graph, "ties")


def _networkx(graph):
    from alumni_net.experiments.recruitment._pool import networkx_graph

    return networkx_graph(graph)


def _igraph(ds):
    from alumni_net.graph import to_igraph

    return to_igraph(ds)
