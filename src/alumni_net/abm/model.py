"""The contagion model: one Mesa model, its engine chosen from a registry (fast arrays or
reference agents)."""

from __future__ import annotations

from collections.abc import Hashable, Iterable

import mesa
import numpy as np
import pandas as pd
from mesa.discrete_space import Network

from alumni_net.abm.agents import PersonAgent
from alumni_net.abm.engines import engine_class
from alumni_net.abm.network import ContagionNetwork, NetworkSource, build_network
from alumni_net.abm.params import ContagionParams
from alumni_net.abm.reference import create_people
from alumni_net.abm.reporters import MODEL_REPORTERS
from alumni_net.abm.rules import STATES, background_rates
from alumni_net.core.rng import SeedLike, as_seed_sequence
from alumni_net.errors import AlumniNetError

__all__ = ["ContagionModel"]


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
    engine : str
        A registered engine (:data:`~alumni_net.abm.engines.ENGINE_CLASSES`): arrays and
        event-driven draws, or Mesa agents flipping monthly coins one by one; same
        distributions.
    programme : bool
        False gives the no-programme counterfactual: same people and ties but no course effect,
        no cohort or action-learning-set ties, no alum boost, no group reinforcement, no top-ups.
    rng : int, SeedSequence, Generator or None
        Seed. The fast engine draws every random number as a keyed hash of (seed, purpose,
        person or arc, month), so the runs with and without the programme for one seed share
        each draw they both make (common random numbers): the same background hits each month,
        the same readoption coin for a person-month, the same lapse threshold for a spell
        starting in the same month and the same transmission threshold for an arc in a spell
        starting in the same month, and the same adoption thresholds; course and top-up draws
        exist only with the programme. Paths still diverge once the programme changes who
        practises. The reference engine draws sequentially from Mesa's ``model.random`` and
        shares nothing.
    initial_adopters : sequence of person ids
        People practising at month 0 (recorded with ``via="seed"``).

    References
    ----------
    Granovetter, M. (1978). Threshold models of collective behavior. American Journal of Sociology
    83(6), 1420-1443. https://doi.org/10.1086/226707

    Centola, D., & Macy, M. (2007). Complex contagions and the weakness of long ties. American
    Journal of Sociology 113(3), 702-734. https://doi.org/10.1086/521848

    ter Hoeven, E., Kwakkel, J., Hess, V., Pike, T., Wang, B., rht, & Kazil, J. (2025). Mesa 3:
    agent-based modeling with Python in 2025. Journal of Open Source Software 10(107), 7668.
    https://doi.org/10.21105/joss.07668

    Examples
    --------
    >>> import networkx as nx
    >>> params = ContagionParams(horizon_months=3, beta=1.0, decay=0.0, alpha=0.0)
    >>> model = ContagionModel(nx.path_graph(4), params, rng=1, initial_adopters=[0])
    >>> model.run()
    >>> model.counts["practising"], model.month
    (4, 3)
    """

    def __init__(self, data: NetworkSource, params: ContagionParams | None = None, *,
                 engine: str = "fast", programme: bool = True, rng: SeedLike = None,
                 initial_adopters: Iterable[Hashable] = ()) -> None:
        cls = engine_class(engine)
        ss = as_seed_sequence(rng)
        super().__init__(rng=_child(ss, 0))
        self.params = params if params is not None else ContagionParams()
        self.programme = bool(programme)
        self.crn_key = int(_child(ss, 1).generate_state(1, np.uint64)[0])
        self.network: ContagionNetwork = build_network(
            data, start=self.params.start, influence=self.params.influence,
            columns=(self.params.background_by,))
        self.programme_topups = self.params.topups if self.programme else ()
        self._background = background_rates(self.params, self.network).any
        self.month = 0
        self.space: Network | None = None  # placed when the PersonAgents are created
        self._people: list[PersonAgent] | None = None
        self.engine = cls(self)
        self._people = self.engine.people  # agents the engine steps itself, if any
        self.engine.initialise(self._seed_indices(initial_adopters))
        self._record(0)
        self.datacollector = mesa.DataCollector(model_reporters=MODEL_REPORTERS)
        self.datacollector.collect(self)

    def step(self) -> None:
        """Advance one month: decide everyone's change from the current state, then apply."""
        self.month += 1
        self.engine.advance(self.month)
        self._record(self.month)
        self.datacollector.collect(self)

    def run(self, *, until_quiet: bool = False) -> None:
        """Run until ``params.horizon_months``; with ``until_quiet``, stop earlier once nothing
        can change any more (nobody practising, no background adoption, no course or top-up
        to come), as an independent cascade stops at completion.

        The engine runs the months first (the fast engine in one call), then the Mesa clock
        steps through them, each step recording its month."""
        horizon = self.params.horizon_months
        if self.month >= horizon or (until_quiet and self.quiet):
            return
        last = horizon
        if self._people is None:  # nobody watches the agents: the engine may run ahead
            last = self.engine.advance(horizon, until_quiet=until_quiet)
        if until_quiet and self._people is not None:
            while self.month < horizon and not self.quiet:
                self.step()
        elif last > self.month:
            self.run_for(last - self.month)

    @property
    def quiet(self) -> bool:
        """True when no later month can differ from this one."""
        return (self.counts["practising"] == 0 and not self._background
                and self.month >= self.engine.last_event_month)

    @property
    def people(self) -> list[PersonAgent]:
        """The PersonAgents in index order (created on first use under the fast engine, then
        kept in step with the arrays)."""
        if self._people is None:
            self._people = create_people(self)
            self._sync_agents(self._people)
        return self._people

    @property
    def group_keys(self) -> list[tuple[str, str]]:
        """(group_type, group) of each entry of ``group_counts``."""
        return [(g, label) for g, (_, labels) in self.network.groups.items() for label in labels]

    @property
    def adoption_log(self) -> list[tuple[int, np.ndarray, np.ndarray, np.ndarray]]:
        """(month, person indices, via codes, distances) per month with adoptions."""
        idx, months, via, dist = self.adoption_arrays()
        cuts = np.flatnonzero(np.diff(months)) + 1
        return [(int(m[0]), i, v, d) for m, i, v, d in
                zip(*(np.split(a, cuts) for a in (months, idx, via, dist)), strict=True)
                if len(m)]

    def adoption_arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Every adoption event so far as flat arrays, in month order: person indices, months,
        via codes (:data:`~alumni_net.abm.rules.VIA`), distances."""
        return self.engine.adoptions(self.month)

    def adoption_infectors(self) -> np.ndarray:
        """Aligned with :meth:`adoption_arrays`: who infected whom. For each adoption by spread
        the index of the infector (the lowest-indexed practising sender whose transmission
        reached the person that month), -1 for the other routes.

        Examples
        --------
        >>> import networkx as nx
        >>> params = ContagionParams(horizon_months=3, beta=1.0, decay=0.0, alpha=0.0)
        >>> model = ContagionModel(nx.path_graph(4), params, rng=1, initial_adopters=[0])
        >>> model.run()
        >>> model.adoption_infectors().tolist()
        [-1, 0, 1, 2]
        """
        return self.engine.infectors(self.month)


    def release(self) -> None:
        """Free the engine's arrays now (the states, event queue and adoption log: hundreds of
        MB at national size); the recorded counts and time series stay, but the model can no
        longer run or report adoptions.

        Why: a Mesa model sits in reference cycles (its event schedule, data collector and
        agents all point back at it), so dropping the last reference does not free it; only
        Python's cycle collector does, and that runs on counts of small Python objects, which
        a run of big NumPy arrays hardly makes. A worker running replicate after replicate at
        3 million people held every finished model: 0.2 GB more per run, until the machine ran
        out of memory. Dropping the engine, which the model alone refers to, frees its arrays
        by reference counting.
        """
        if self._people is not None:  # the reference engine's agents, registered with Mesa
            self.remove_all_agents()
        self._people = None
        self.engine = None  # type: ignore[assignment]

    def _seed_indices(self, initial_adopters: Iterable[Hashable]) -> np.ndarray:
        net = self.network
        wanted = np.asarray(list(initial_adopters) if not isinstance(initial_adopters, np.ndarray)
                            else initial_adopters)
        if not len(wanted):  # the usual case: no hash table of millions of ids for nothing
            return np.zeros(0, dtype=np.int64)
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

    def _record(self, month: int) -> None:
        counts, self.group_counts = self.engine.tallies(month)
        unaware, practising, lapsed = counts.tolist()
        self.counts = {"unaware": unaware, "practising": practising, "lapsed": lapsed,
                       "new_adopters": self.engine.new_adopters(month)}
        if self._people is not None and self.engine.people is None:
            self._sync_agents(self._people)

    def _sync_agents(self, people: list[PersonAgent]) -> None:
        for agent, code in zip(people, self.engine.states().tolist(), strict=True):
            agent.state = STATES[code]
