"""Fast engine: state in numpy arrays, months run by numba kernels with event-driven draws.

It applies the rules of :mod:`~alumni_net.abm.rules`, as the reference engine does; the tests
check that both give the same distributions. How the draws are made, and why they reproduce
the monthly process exactly, is in the docstring of ``_events``. Months can be run one at a time
(:meth:`FastEngine.advance` to the next month, as a dashboard does) or all in one kernel call
(what :meth:`ContagionModel.run <alumni_net.abm.model.ContagionModel.run>` does); every month's
tallies and adoption events are kept in arrays that the model reads back month by month.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

import numpy as np

from alumni_net.abm import _distances, _events, _queue, rules
from alumni_net.abm._plans import (
    arc_plan,
    components,
    frozen,
    group_codes,
    person_plan,
    reach_weights,
    rev_since,
    spell_records,
)
from alumni_net.errors import ConfigError

if TYPE_CHECKING:
    from alumni_net.abm.model import ContagionModel

__all__ = ["FastEngine"]

#: The last month the keyed draws can tell apart (12 bits of the counter).
MAX_HORIZON = 4095
#: Below this share of alumni among people, distance 2 is kept as counts (``_distances``):
#: 0.1% (the national workforce) runs faster with counts, 3% (3,000 in 100,000) with look-ups.
COUNTS_BELOW = 0.01
# Read-only like the cached labels it stands in for: one array type, one compiled kernel.
_NO_COMPONENTS = np.zeros(0, dtype=np.int32)
_NO_COMPONENTS.flags.writeable = False


class FastEngine:
    """Array engine behind :class:`~alumni_net.abm.model.ContagionModel` (``engine="fast"``)."""

    name: ClassVar[str] = "fast"
    people = None  # works on arrays; the model creates agents on demand
    #: Starting sizes of the event store and the adoption log (both grow as needed; small
    #: values let tests exercise the growth).
    initial_slots = 1 << 14
    initial_log: int | None = None  # default: people + 1,024

    def __init__(self, model: ContagionModel) -> None:
        net, p = model.network, model.params
        if p.horizon_months > MAX_HORIZON:
            raise ConfigError(f"the fast engine runs up to {MAX_HORIZON:,} months; "
                              f"horizon_months is {p.horizon_months:,}")
        self.net, self.p, self.key = net, p, np.uint64(model.crn_key)
        self.horizon = p.horizon_months
        arcs = arc_plan(net, p, model.programme)
        people = person_plan(net, p, model.programme)
        combination, combinations, n_labels = group_codes(net)
        self.last_event_month = people.last_event_month
        self._grouped = people.any_grouped
        n, horizon = net.n, self.horizon
        self.state = np.zeros(n, dtype=np.int8)
        # src is read only where ties appear late (a few arcs a month), rev_arc not in the
        # months (rev_since stands in for it): left where they are
        self.G = (*(frozen(net, name) for name in ("indptr", "indices", "rev_indptr")),
                  frozen(net, "rev_arc", private=False), frozen(net, "rev_src"),
                  frozen(net, "src", private=False))
        reach = reach_weights(net, p, model.programme)
        self.A = (arcs.w0, arcs.late_arc, arcs.late_ptr, arcs.late_month, arcs.late_w,
                  arcs.sender_late, arcs.act_ptr, arcs.act_arc, reach, arcs.late_from,
                  rev_since(net, p, model.programme))
        self.P = (people.grad, frozen(net, "is_alum"), people.course_ptr, people.course_people,
                  people.t_month, people.t_end, people.t_mult, people.inv_ptr, people.inv_top,
                  people.re_ptr, people.re_people, people.re_p, self._thresholds(), combination,
                  spell_records(net, p, model.programme), combinations)
        sets = (people.set_started.shape[0] if self._grouped else 0, horizon + 2)
        self.S = (people.set_code, people.start_month, people.set_ptr, people.set_people,
                  people.set_started, np.zeros(sets, dtype=np.int32), people.grouped,
                  np.ones(sets), np.ones(sets))
        self.B = (people.bg_starts, people.bg_ptr, people.bg_people, people.bg_rates)
        gates = n if p.complex_contagion else 0
        # start, last month, graduation, late sender: 8 bytes a person, read in one go,
        # written when a spell starts (nothing reads a row before)
        spells = np.empty((n, 4), dtype=np.int16)
        self.X = (self.state, spells, np.full(n, rules.NO_ADOPTION, dtype=np.int8),
                  np.empty(n, dtype=np.int64), np.empty(n, dtype=np.int64),
                  np.array([n, 0, 0], dtype=np.int64), np.zeros(len(combinations), dtype=np.int64),
                  np.zeros(gates, dtype=np.int32), np.zeros(gates, dtype=np.int32),
                  np.zeros(gates, dtype=np.int32), np.empty(n, dtype=np.int8),
                  np.full(n, -1, dtype=np.int64))
        self.mode = self._distance_mode()
        self.D = self._distance_counts(arcs, model.programme)
        self.fpar = np.array([p.beta, p.alum_boost if model.programme else 1.0, p.decay,
                              p.readoption, p.p_course, p.group_boost,
                              1.0 + p.group_boost if self._grouped else 1.0, p.threshold,
                              float(rules.hazard(p.decay))])
        self.ipar = np.array([horizon, p.threshold_kind == "fraction", p.complex_contagion,
                              self.mode, people.bg_rates.max(initial=0.0) > 0,
                              self.last_event_month], dtype=np.int64)
        slots = max(self.initial_slots, _queue.CHUNK)
        self.rows, self.vals = np.empty((slots, 3), dtype=np.int64), np.empty((slots, 3))
        self.Q = (*(np.full(horizon + 2, -1, dtype=np.int64) for _ in range(4)),
                  np.zeros(10, dtype=np.int64))
        self.Q[4][0] = -1  # no free chunk yet
        self.O = (np.zeros((horizon + 1, 4), dtype=np.int64),
                  np.zeros((horizon + 1, n_labels), dtype=np.int64),
                  *self._log_buffers(self.initial_log or n + 1024),
                  np.zeros(horizon + 2, dtype=np.int64),
                  np.zeros(1, dtype=np.int64), np.empty(self.initial_log or n + 1024,
                                                        dtype=np.int64))
        self.done = -1  # the last month run

    def _thresholds(self) -> np.ndarray:
        """Heterogeneous thresholds, drawn once per person from this replicate's key (empty:
        everyone has ``threshold``)."""
        p = self.p
        if p.threshold_spread == 0:
            return np.zeros(0)
        u = rules.uniforms(self.key, rules.S_THRESHOLD, self.net.n, 0)
        return rules.person_threshold(p.threshold, p.threshold_spread, u)

    def _distance_mode(self) -> int:
        if not self.net.is_alum.any():
            return _distances.NONE
        return _distances.SYMMETRIC if self.net.symmetric else _distances.SEARCH

    def _distance_counts(self, arcs, programme: bool) -> tuple:
        n = self.net.n if self.mode != _distances.NONE else 0
        comp = (components(self.net, arcs, programme) if self.mode == _distances.SYMMETRIC
                else _NO_COMPONENTS)
        k = int(comp.max(initial=-1)) + 1
        # distance 2 kept as counts when alumni are few (their upkeep is then cheaper than
        # looking up every adopter's neighbours' neighbours; see _distances)
        m = n if self.net.is_alum.mean() >= COUNTS_BELOW else 0
        counts = n if not m else 0
        words = (counts + 63) // 64  # the counts' bitmaps (see _distances)
        return (np.zeros(n, dtype=np.int32), np.zeros(counts, dtype=np.int32),
                np.zeros(m, dtype=np.int32), np.zeros(m, dtype=np.bool_), comp,
                np.arange(k, dtype=np.int32), np.zeros(k, dtype=np.int32),
                np.zeros((2, words), dtype=np.uint64))

    @staticmethod
    def _log_buffers(capacity: int) -> tuple:
        return (np.empty(capacity, dtype=np.int64), np.empty(capacity, dtype=np.int32),
                np.empty(capacity, dtype=np.int8), np.empty(capacity, dtype=np.int8))

    def _args(self) -> tuple:
        return (self.key, self.fpar, self.ipar, self.G, self.A, self.P, self.S, self.B, self.X,
                self.D, self.rows, self.vals, self.Q, self.O)

    # --- the engine contract ---------------------------------------------------------------

    def initialise(self, seeds: np.ndarray) -> None:
        """Month 0: initial adopters, then the course effect for alumni graduating by month 0."""
        self.rows, self.vals = _events.initialise(np.asarray(seeds, dtype=np.int64),
                                                  *self._args())
        self.done = 0

    def advance(self, until: int, *, until_quiet: bool = False) -> int:
        """Run the months after the last one run up to ``until`` (in one kernel call); with
        ``until_quiet``, stop after a month from which nothing can change. Returns the last
        month run."""
        if until > self.horizon:
            raise ConfigError(f"the fast engine draws events up to horizon_months "
                              f"({self.horizon}); month {until} is beyond it")
        while self.done < until:
            done, self.rows, self.vals = _events.run_months(self.done + 1, until, until_quiet,
                                                            *self._args())
            self.done = int(done)
            if self._grow_log():
                continue
            if self.done < until:
                break  # quiet
        return self.done

    def _grow_log(self) -> bool:
        """Make room in the adoption log for another month, if it might not fit."""
        used, counts = int(self.O[7][0]), self.X[_events.X_COUNTS]
        if len(self.O[2]) - used >= self.net.n - counts[rules.PRACTISING]:
            return False
        capacity = 2 * len(self.O[2]) + self.net.n
        bigger = self._log_buffers(capacity)
        for new, old in zip(bigger, self.O[2:6], strict=True):
            new[:used] = old[:used]
        infectors = np.empty(capacity, dtype=np.int64)
        infectors[:used] = self.O[8][:used]
        self.O = (*self.O[:2], *bigger, *self.O[6:8], infectors)
        return True

    def tallies(self, month: int) -> tuple[np.ndarray, np.ndarray]:
        """(people unaware, practising, lapsed; practising per group) at the end of ``month``."""
        return self.O[0][month, :3], self.O[1][month]

    def new_adopters(self, month: int) -> int:
        """Adoption events in ``month``."""
        return int(self.O[0][month, 3])

    def adoptions(self, month: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Adoption events of months 0..``month``: person indices, months, route codes
        (:data:`rules.VIA`), distances."""
        end = int(self.O[6][month + 1])
        return (self.O[2][:end], self.O[3][:end].astype(np.int64), self.O[4][:end],
                self.O[5][:end])

    def infectors(self, month: int) -> np.ndarray:
        """Aligned with :meth:`adoptions`: the index of the person whose transmission made each
        adoption by spread (the lowest-indexed sender when several reached the person that
        month), -1 for the other routes."""
        return self.O[8][:int(self.O[6][month + 1])]

    def states(self) -> np.ndarray:
        """State codes (:data:`rules.STATES`) at the end of the last month run."""
        return self.state

    def group_multipliers(self) -> np.ndarray:
        """Everyone's action-learning-set multiplier at the start of the next month."""
        t = self.done + 1
        set_code, start, _, _, started, prac, grouped, _, _ = self.S
        out = np.ones(self.net.n)
        if not self._grouped or t >= prac.shape[1]:
            return out
        who = np.flatnonzero(grouped & (start <= t))
        c = set_code[who]
        others = started[c, t] - 1
        mine = self.state[who] == rules.PRACTISING
        share = np.divide(prac[c, t] - mine, others, out=np.zeros(len(who)), where=others > 0)
        out[who] = 1.0 + self.p.group_boost * share
        return out

