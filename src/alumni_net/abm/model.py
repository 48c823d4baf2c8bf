"""The contagion model: one Mesa model, two engines (fast arrays or reference agents)."""

from __future__ import annotations

from typing import Any

import mesa
import numpy as np
import pandas as pd

from alumni_net.abm.agents import STATES, PersonAgent
from alumni_net.abm.fast import FastEngine
from alumni_net.abm.network import ContagionNetwork, build_network
from alumni_net.abm.params import ContagionParams
from alumni_net.abm.reference import ReferenceEngine, create_people
from alumni_net.abm.reporters import MODEL_REPORTERS
from alumni_net.abm.schedule import graduation_months
from alumni_net.core.checks import check_choice
from alumni_net.core.rng import SeedLike, as_seed_sequence
from alumni_net.errors import AlumniNetError
from alumni_net.vocabulary import ENGINES

__all__ = ["ContagionModel"]

# One engine class per name in alumni_net.vocabulary.ENGINES.
_ENGINE_CLASSES = {"fast": FastEngine, "reference": ReferenceEngine}


def _child(ss: np.random.SeedSequence, k: int) -> np.random.SeedSequence:
    # Built from entropy and spawn key rather than ss.spawn(), which would depend on how many
    # children were spawned before: the with/without-programme runs of one seed must agree.
    return np.random.SeedSequence(ss.entropy, spawn_key=(*ss.spawn_key, k))


class ContagionModel(mesa.Model):
    """How a practice spreads, month by month, from programme alumni through their ties.

    Parameters
    ----------
    data : Dataset, networkx graph or ContagionNetwork
        People and ties (see :func:`~alumni_net.abm.network.build_network`).
    params : ContagionParams, optional
        Model parameters (defaults when None).
    engine : {"fast", "reference"}
        Arrays updated all at once, or Mesa agents deciding one by one; same distributions.
    programme : bool
        False gives the no-programme counterfactual: same people and ties but no course effect,
        no cohort or action-learning-set ties, no alum boost, no group reinforcement, no top-ups.
    rng : int, SeedSequence, Generator or None
        Seed. The fast engine draws every random number as a keyed hash of (seed, purpose,
        person or arc, month), so the runs with and without the programme for one seed share
        each draw they both make (common random numbers): the same background hits each month,
        the same lapse and readoption coins for a person-month, the same transmission coin for
        an arc-month and the same thresholds; course and top-up draws exist only with the
        programme. Paths still diverge once the programme changes who practises. The reference
        engine draws sequentially from Mesa's ``model.random`` and shares nothing.
    initial_adopters : sequence of person ids
        People practising at month 0 (recorded with ``via="seed"``).

    Examples
    --------
    >>> import networkx as nx
    >>> params = ContagionParams(horizon_months=3, beta=1.0, decay=0.0, alpha=0.0)
    >>> model = ContagionModel(nx.path_graph(4), params, rng=1, initial_adopters=[0])
    >>> model.run()
    >>> model.counts["practising"], model.month
    (4, 3)
    """

    def __init__(self, data: Any, params: ContagionParams | None = None, *,
                 engine: str = "fast", programme: bool = True, rng: SeedLike = None,
                 initial_adopters=()):
        check_choice("engine", engine, ENGINES)
        ss = as_seed_sequence(rng)
        super().__init__(rng=_child(ss, 0))
        self.params = params if params is not None else ContagionParams()
        self.programme = bool(programme)
        self.crn_key = int(_child(ss, 1).generate_state(1, np.uint64)[0])
        self.network: ContagionNetwork = build_network(
            data, start=self.params.start, influence=self.params.influence)
        self.programme_topups = self.params.topups if self.programme else ()
        self.month = 0
        self.space = None
        self._people: list[PersonAgent] | None = None
        self._log: list[tuple[int, np.ndarray, np.ndarray, np.ndarray]] = []
        self.engine = _ENGINE_CLASSES[engine](self)
        self._last_event_month = self._last_programme_month()
        if engine == "reference":
            self._people = self.engine.people
        self._record(0, *self.engine.initialise(self._seed_indices(initial_adopters)))
        self.datacollector = mesa.DataCollector(model_reporters=MODEL_REPORTERS)
        self.datacollector.collect(self)

    def step(self) -> None:
        """Advance one month: decide everyone's change from the current state, then apply."""
        self.month += 1
        self._record(self.month, *self.engine.step(self.month))
        self.datacollector.collect(self)

    def run(self, *, until_quiet: bool = False) -> None:
        """Run until ``params.horizon_months``; with ``until_quiet``, stop earlier once nothing
        can change any more (nobody practising, no background adoption, no course or top-up
        to come), as an independent cascade stops at completion."""
        if not until_quiet:
            remaining = self.params.horizon_months - self.month
            if remaining > 0:
                self.run_for(remaining)
            return
        while self.month < self.params.horizon_months and not self.quiet:
            self.step()

    @property
    def quiet(self) -> bool:
        """True when no later month can differ from this one."""
        return (self.counts["practising"] == 0 and self.params.alpha == 0
                and self.month >= self._last_event_month)

    @property
    def people(self) -> list[PersonAgent]:
        """The PersonAgents in index order (created on first use under the fast engine, then
        kept in step with the arrays)."""
        if self._people is None:
            self._people = create_people(self)
            self._sync_agents()
        return self._people

    @property
    def group_keys(self) -> list[tuple[str, str]]:
        """(group_type, group) of each entry of ``group_counts``."""
        return [(g, label) for g, (_, labels) in self.network.groups.items() for label in labels]

    @property
    def adoption_log(self) -> list[tuple[int, np.ndarray, np.ndarray, np.ndarray]]:
        """(month, person indices, via codes, distances) per month with adoptions."""
        return self._log

    def _last_programme_month(self) -> int:
        if isinstance(self.engine, FastEngine):
            return self.engine.last_event_month
        if not self.programme:
            return 0
        grad = graduation_months(self.network, self.params, True)
        grad = grad[grad <= self.params.horizon_months]
        months = [int(grad.max(initial=0))] + [t.month for t in self.params.topups]
        return max(months)

    def _seed_indices(self, initial_adopters) -> np.ndarray:
        net = self.network
        wanted = np.asarray(list(initial_adopters) if not isinstance(initial_adopters, np.ndarray)
                            else initial_adopters)
        if net.ids_are_positions and wanted.dtype.kind in "iu":
            idx = wanted.astype(np.int64)  # ids 0..n-1 in order: an id is its own index
            bad = (idx < 0) | (idx >= net.n)
        else:
            try:
                idx = net.id_index.get_indexer(pd.Index(wanted.astype(net.ids.dtype)))
            except (TypeError, ValueError):
                idx = np.full(len(wanted), -1)
            bad = idx < 0
        if bad.any():
            raise AlumniNetError(f"initial adopters not in the data: {wanted[bad][:5].tolist()}")
        chosen = np.zeros(net.n, dtype=bool)
        chosen[idx] = True
        return np.flatnonzero(chosen)

    def _record(self, month: int, adopters: np.ndarray, via: np.ndarray,
                dist: np.ndarray) -> None:
        if len(adopters):
            self._log.append((month, adopters, via, dist))
        counts = self.engine.counts()
        self.counts = {name: int(c) for name, c in zip(STATES, counts, strict=True)}
        self.counts["new_adopters"] = len(adopters)
        self.group_counts = np.concatenate(
            [self.engine.group_practising(g) for g in self.network.groups] or [np.zeros(0)]
        ).astype(np.int64)
        if self._people is not None and self.engine.name == "fast":
            self._sync_agents()

    def _sync_agents(self) -> None:
        for agent, code in zip(self._people, self.engine.states().tolist(), strict=True):
            agent.state = STATES[code]
