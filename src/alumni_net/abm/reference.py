"""Reference engine: plain Mesa agents on a ``mesa.discrete_space.Network``, deciding one by one.

Slow and readable; it is the oracle the fast engine is tested against: every month, a coin from
``model.random`` for every event that could happen (each exposure, each lapse, each readoption,
background adoption), the monthly process of :mod:`~alumni_net.abm.rules` as defined. The rules
are applied by the methods of :class:`~alumni_net.abm.agents.PersonAgent`.
"""

from __future__ import annotations

from collections import deque
from typing import TYPE_CHECKING, ClassVar

import numpy as np
from mesa.discrete_space import Network

from alumni_net.abm import rules
from alumni_net.abm.agents import PRACTISING, STATES, PersonAgent
from alumni_net.abm.schedule import graduation_months

if TYPE_CHECKING:
    from alumni_net.abm.model import ContagionModel

__all__ = ["ReferenceEngine", "create_people"]

_VIA_CODE = {name: code for code, name in enumerate(rules.VIA)}
_STATE_CODE = {s: i for i, s in enumerate(STATES)}


def create_people(model: ContagionModel) -> list[PersonAgent]:
    """One PersonAgent per person, placed on ``model.space`` (a Network on person indices)."""
    net, p = model.network, model.params
    space = Network(net.influence_graph(), capacity=1, random=model.random, layout=None)
    model.space = space
    grad = graduation_months(net, p, model.programme)
    people = []
    for i in range(net.n):
        threshold = (float(rules.person_threshold(p.threshold, p.threshold_spread,
                                                  model.random.random()))
                     if p.threshold_spread else p.threshold)
        agent = PersonAgent(model, i, net.ids[i], net.is_alum[i], net.cohort[i],
                            float(net.cohort_start[i]), int(grad[i]), threshold, int(net.als[i]))
        agent.cell = space[i]
        people.append(agent)
    return people


def _appearing_ties(net) -> dict[int, set[tuple[int, int]]]:
    """Month -> ties (source, target) gaining a kind that month (cached per network)."""
    if "appearing" not in net.memo:
        out: dict[int, set[tuple[int, int]]] = {}
        for a, m in zip(net.entry_arc.tolist(), net.entry_month.tolist(), strict=True):
            out.setdefault(m, set()).add((int(net.src[a]), int(net.indices[a])))
        net.memo["appearing"] = out
    return net.memo["appearing"]


class ReferenceEngine:
    """Agent-by-agent engine behind ContagionModel (``engine="reference"``)."""

    name: ClassVar[str] = "reference"

    def __init__(self, model: ContagionModel) -> None:
        self.model = model
        self.people = create_people(model)
        assert model.space is not None  # create_people placed the people on it
        self.graph = model.space.G
        self.agents = model.agents_by_type[PersonAgent]
        self.background = rules.background_rates(model.params, model.network)
        self._weights: dict[tuple[int, int], float | None] = {}
        self._weights_month = -1
        self._appearing = _appearing_ties(model.network)
        self.sets: dict[int, list[PersonAgent]] = {}
        for agent in self.people:
            self.sets.setdefault(agent.action_learning_set, []).append(agent)
        grad = graduation_months(model.network, model.params, model.programme)
        grad = grad[grad <= model.params.horizon_months]
        self.last_event_month = max(
            [int(grad.max(initial=0))] + [t.month for t in model.programme_topups])
        self.done = -1
        self._log: list[tuple[int, np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = []
        self._tallies: list[tuple[np.ndarray, np.ndarray, int]] = []

    # --- the engine contract ---------------------------------------------------------------

    def initialise(self, seeds: np.ndarray) -> None:
        """Month 0: initial adopters, then the course effect for alumni graduating by month 0."""
        for i in seeds:
            self.people[i].via = "seed"
        for agent in self.people:
            if agent.graduation_month == 0 and agent.via is None \
                    and self.model.random.random() < self.model.params.p_course:
                agent.via = "course"
        adopters = [a for a in self.people if a.via is not None]
        for a in adopters:
            a.state = PRACTISING
        self._month_done(0, adopters, [0 if a.is_alum else -1 for a in adopters])

    def advance(self, until: int, *, until_quiet: bool = False) -> int:
        """Run the months after the last one run up to ``until``, one by one; with
        ``until_quiet``, stop after a month from which nothing can change. Returns the last
        month run."""
        while self.done < until:
            self._step(self.done + 1)
            if until_quiet and self._quiet():
                break
        return self.done

    def tallies(self, month: int) -> tuple[np.ndarray, np.ndarray]:
        """(people unaware, practising, lapsed; practising per group) at the end of ``month``."""
        counts, groups, _ = self._tallies[month]
        return counts, groups

    def new_adopters(self, month: int) -> int:
        """Adoption events in ``month``."""
        return self._tallies[month][2]

    def adoptions(self, month: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Adoption events of months 0..``month``: person indices, months, route codes,
        distances."""
        log = [e for e in self._log if e[0] <= month]
        if not log:
            empty = np.zeros(0, dtype=np.int64)
            return empty, empty, np.zeros(0, dtype=np.int8), np.zeros(0, dtype=np.int8)
        return (np.concatenate([e[1] for e in log]),
                np.concatenate([np.full(len(e[1]), e[0], dtype=np.int64) for e in log]),
                np.concatenate([e[2] for e in log]), np.concatenate([e[3] for e in log]))

    def infectors(self, month: int) -> np.ndarray:
        """Aligned with :meth:`adoptions`: the sender whose coin made each adoption by spread
        (the lowest-indexed when several did), -1 for the other routes."""
        log = [e[4] for e in self._log if e[0] <= month]
        return np.concatenate(log) if log else np.zeros(0, dtype=np.int64)

    def states(self) -> np.ndarray:
        """Current state codes (0 unaware, 1 practising, 2 lapsed), one per person."""
        return np.array([_STATE_CODE[a.state] for a in self.people], dtype=np.int8)

    # --- one month -------------------------------------------------------------------------

    def _step(self, month: int) -> None:
        """Expose, decide (from start-of-month states), then apply."""
        self.agents.do("reset")
        self.agents.do("expose", month)
        self.agents.do("decide", month)
        adopters = [a for a in self.people if a.via is not None]
        dist = self._distances(adopters, month)
        self.agents.do("apply")
        self._month_done(month, adopters, dist)

    def _month_done(self, month: int, adopters, dist) -> None:
        idx = np.array([a.index for a in adopters], dtype=np.int64)
        via = np.array([_VIA_CODE[a.via] for a in adopters], dtype=np.int8)
        infectors = np.array([a.infector if a.via == "spread" else -1 for a in adopters],
                             dtype=np.int64)
        if len(idx):
            self._log.append((month, idx, via, np.array(dist, dtype=np.int8), infectors))
        states = self.states()
        codes = [self._group_practising(g, states) for g in self.model.network.groups]
        groups = np.concatenate(codes).astype(np.int64) if codes else np.zeros(0, np.int64)
        self._tallies.append((np.bincount(states, minlength=3), groups, len(idx)))
        self.done = month

    def _quiet(self) -> bool:
        counts = self._tallies[self.done][0]
        return (counts[rules.PRACTISING] == 0 and not self.background.any
                and self.done >= self.last_event_month)

    # --- what agents ask of the network ----------------------------------------------------

    def tie_weight(self, source: int, target: int, month: int) -> float | None:
        """Weight of the tie source -> target this month (largest active kind), None if absent."""
        if month != self._weights_month:  # cached until one of the tie's kinds appears
            for pair in self._appearing.get(month, ()):
                self._weights.pop(pair, None)
            self._weights_month = month
        key = (source, target)
        if key not in self._weights:
            self._weights[key] = self._weight_now(source, target, month)
        return self._weights[key]

    def _weight_now(self, source: int, target: int, month: int) -> float | None:
        p, programme = self.model.params, self.model.programme
        weights = [p.weight_of(kind) for kind, since, is_prog in self.graph.edges[source, target]
                   ["entries"] if since <= month and (programme or not is_prog)]
        return max(weights) if weights else None

    def contacts(self, index: int, month: int) -> int:
        """Number of people with an active tie of influence towards ``index``."""
        return sum(self.tie_weight(v, index, month) is not None
                   for v in self.graph.predecessors(index))

    def set_members(self, als: int, month: int) -> list[PersonAgent]:
        """Members of an action learning set whose cohort has started."""
        if als < 0:
            return []
        return [a for a in self.sets[als] if a._started(month)]

    def _distances(self, adopters, month: int) -> list[int]:
        """Breadth-first search over active ties from the practising alumni (start of month)."""
        sources = [a.index for a in self.people if a.is_alum and a.state == PRACTISING]
        depth = {s: 0 for s in sources}
        queue = deque(sources)
        while queue:
            u = queue.popleft()
            for v in self.graph.successors(u):
                if v not in depth and self.tie_weight(u, v, month) is not None:
                    depth[v] = depth[u] + 1
                    queue.append(v)
        return [0 if a.is_alum else min(depth.get(a.index, -1), 4) for a in adopters]

    def _group_practising(self, group_type: str, states: np.ndarray) -> np.ndarray:
        """Practising people per group label of ``group_type``."""
        codes, labels = self.model.network.groups[group_type]
        practising = (states == rules.PRACTISING) & (codes >= 0)
        return np.bincount(codes[practising], minlength=len(labels))
