"""A person in the contagion model: a Mesa agent on a node of the tie network.

Under the reference engine these agents *are* the model: each month practising agents expose
their contacts, then every agent decides its next state from the start-of-month state, flipping
one coin from ``model.random`` for each event that could happen to it that month, then all
apply (synchronous updates). That is the monthly process of :mod:`~alumni_net.abm.rules` as
defined, the oracle the fast engine's event draws are tested against. Under the fast engine the
same class is created on demand for inspection (e.g. a dashboard) and its ``state`` is copied
from the engine's arrays each month.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import TYPE_CHECKING

from mesa.discrete_space import FixedAgent

from alumni_net.abm import rules
from alumni_net.abm.rules import STATES

if TYPE_CHECKING:
    from alumni_net.abm.model import ContagionModel
    from alumni_net.abm.params import TopUp

__all__ = ["STATES", "PersonAgent"]

UNAWARE, PRACTISING, LAPSED = STATES


class PersonAgent(FixedAgent):
    """One person: unaware, practising or lapsed.

    Attributes
    ----------
    index : int
        Position of the person in the model's arrays (and node of ``model.space``).
    person_id : object
        The (pseudonymised) id from the data.
    state : str
        ``"unaware"``, ``"practising"`` or ``"lapsed"``.
    """

    def __init__(self, model: ContagionModel, index: int, person_id: Hashable, is_alum: bool,
                 cohort: str | None, cohort_start: float, graduation_month: int,
                 threshold: float, action_learning_set: int) -> None:
        super().__init__(model)
        self.index = index
        self.person_id = person_id
        self.is_alum = bool(is_alum)
        self.cohort = cohort
        self.cohort_start = cohort_start
        self.graduation_month = graduation_month
        self.threshold = threshold
        self.action_learning_set = action_learning_set
        self.state = UNAWARE
        # (tie weight, sender boost, sender index) this month
        self.exposures: list[tuple[float, float, int]] = []
        self.next_state: str | None = None
        self.via: str | None = None
        self.infector: int | None = None

    # --- the reference engine's rules, one agent at a time ---------------------------------

    def reset(self) -> None:
        """Forget last month's exposures and decision."""
        self.exposures = []
        self.next_state = None
        self.via = None
        self.infector = None

    def expose(self, month: int) -> None:
        """A practising person offers the practice to each contact it influences."""
        if self.state != PRACTISING:
            return
        boost = rules.sender_boost(self.model.params.alum_boost, month, self.graduation_month)
        for other in self.cell.neighborhood.agents:
            weight = self.model.engine.tie_weight(self.index, other.index, month)
            if weight is not None and other.state != PRACTISING:
                other.exposures.append((weight, boost, self.index))

    def decide(self, month: int) -> None:
        """Choose next month's state from this month's state and exposures."""
        p, rand = self.model.params, self.model.random.random
        if self.state == PRACTISING:
            if rand() < self.decay_now(month):
                self.next_state = LAPSED
            return
        susceptible = self.state == UNAWARE or rand() < p.readoption
        if susceptible and self.exposures and self.passes_threshold(month):
            g = self.group_multiplier(month)
            # one coin per exposure; when several transmit, the lowest-indexed sender is
            # recorded as the infector
            senders = [s for w, b, s in self.exposures
                       if rand() < rules.transmission_probability(p.beta, w, b, g)]
            if senders:
                self.via, self.infector = "spread", min(senders)
        background = self.model.engine.background.probability(self.index, month)
        if susceptible and self.via is None and rand() < background:
            self.via = "background"
        p_reengage = self.reengagement_chance(month)
        if self.state == LAPSED and p_reengage > 0 and rand() < p_reengage:
            self.via = "reengaged"
        if month == self.graduation_month and rand() < p.p_course:
            self.via = "course"
        if self.via is not None:
            self.next_state = PRACTISING

    def apply(self) -> None:
        """Make the decided change."""
        if self.next_state is not None:
            self.state = self.next_state

    # --- helpers the rules use -------------------------------------------------------------

    def passes_threshold(self, month: int) -> bool:
        """Complex contagion: enough practising contacts (count or share of contacts)?"""
        p = self.model.params
        if not p.complex_contagion:
            return True
        fraction = p.threshold_kind == "fraction"
        contacts = self.model.engine.contacts(self.index, month) if fraction else 0
        return rules.passes_threshold(len(self.exposures), self.threshold, fraction, contacts)

    def group_multiplier(self, month: int) -> float:
        """1 + group_boost x share of the other members of my action learning set practising."""
        gb = self.model.params.group_boost
        if gb == 0 or not self.model.programme or not self._started(month):
            return 1.0
        members = self.model.engine.set_members(self.action_learning_set, month)
        others = [a for a in members if a is not self]
        return rules.group_multiplier(gb, sum(a.state == PRACTISING for a in others),
                                      len(others))

    def decay_now(self, month: int) -> float:
        """Lapsing probability this month: top-ups lower it, a practising set lowers it."""
        multiplier = 1.0
        for topup in self.model.programme_topups:
            if topup.month <= month < topup.month + topup.duration_months and self.invited(topup):
                multiplier *= topup.decay_multiplier
        return rules.lapse_probability(self.model.params.decay, multiplier,
                                       self.group_multiplier(month))

    def reengagement_chance(self, month: int) -> float:
        """Largest re-engagement probability of the sessions inviting me this month."""
        chances = [t.p_reengage for t in self.model.programme_topups
                   if t.month == month and self.invited(t)]
        return max(chances, default=0.0)

    def invited(self, topup: TopUp) -> bool:
        """Alumni of the invited cohorts whose cohort has started by the session."""
        return self.is_alum and topup.invites(self.cohort) and self._started(topup.month)

    def _started(self, month: int) -> bool:
        return not self.cohort_start > month  # unknown start (NaN) counts as started
