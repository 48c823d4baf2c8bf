"""Fast engine: state in numpy arrays, everyone updated at once by numba kernels.

It implements the same rules as the reference engine (agents.py); the tests check that both give
the same distributions. Draws are keyed hashes (see _kernels), which gives exact common random
numbers between the with- and without-programme runs of one seed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from alumni_net.abm import _kernels as k
from alumni_net.abm.schedule import graduation_months, invited_to

if TYPE_CHECKING:
    from alumni_net.abm.model import ContagionModel

__all__ = ["FastEngine"]


class FastEngine:
    """Array engine behind :class:`~alumni_net.abm.model.ContagionModel` (``engine="fast"``)."""

    name = "fast"

    def __init__(self, model: ContagionModel):
        self.model = model
        net, p = model.network, model.params
        self.net, self.p, self.key = net, p, np.uint64(model.crn_key)
        self.state = np.zeros(net.n, dtype=np.int8)
        self._arcs_init(model.programme)
        self.grad = graduation_months(net, p, model.programme)
        self.boost = p.alum_boost if model.programme else 1.0
        self.thr = self._thresholds()
        self.ones = np.ones(net.n)
        self.decay_base = np.full(net.n, p.decay)
        self.topups = [(t, np.flatnonzero(invited_to(net, t))) for t in p.topups] \
            if model.programme else []
        self.empty = np.zeros(0, dtype=np.int64)
        graduating = np.flatnonzero((self.grad > 0) & (self.grad <= p.horizon_months))
        months = self.grad[graduating]
        self.graduates = {int(m): graduating[months == m] for m in np.unique(months)}

    def _arcs_init(self, programme: bool) -> None:
        net = self.net
        keep = np.ones(len(net.entry_arc), dtype=bool) if programme else ~net.entry_programme
        keep &= net.entry_month <= self.p.horizon_months
        weights = np.array([self.p.weight_of(kind) for kind in net.kinds], dtype=float)
        self.e_arc = net.entry_arc[keep]
        self.e_w = weights[net.entry_kind[keep]] if len(net.kinds) else np.zeros(0)
        self.e_month = net.entry_month[keep]
        self.arc_w = np.zeros(net.n_arcs)
        self.arc_on = np.zeros(net.n_arcs, dtype=bool)
        self.indeg = np.zeros(net.n, dtype=np.int64)
        self._activate_until(0, lo_month=None)

    def _activate_until(self, month: int, lo_month: int | None) -> None:
        lo = 0 if lo_month is None else int(np.searchsorted(self.e_month, lo_month, "left"))
        hi = int(np.searchsorted(self.e_month, month, "right"))
        if hi > lo:
            k.activate(self.e_arc, self.e_w, lo, hi, self.arc_w, self.arc_on, self.net.indices,
                       self.indeg)

    def _thresholds(self) -> np.ndarray:
        p = self.p
        if p.threshold_spread == 0:
            return np.full(self.net.n, p.threshold)
        u = k.uniforms(self.key, k.S_THRESHOLD, self.net.n, 0)
        return np.maximum(p.threshold + p.threshold_spread * (2 * u - 1), 0.0)

    def initialise(self, seeds: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Month 0: initial adopters, then the course effect for alumni graduating by month 0."""
        via = np.full(self.net.n, k.NO_ADOPTION, dtype=np.int8)
        via[seeds] = k.SEED
        self.state[seeds] = k.PRACTISING  # seeds keep their "seed" label over the course
        graduates = np.flatnonzero(self.grad == 0)
        k.course_and_reengage(self.key, 0, self.state, graduates, self.p.p_course, self.empty,
                              np.zeros(0), via)
        adopters = np.flatnonzero(via >= 0)
        self.state[adopters] = k.PRACTISING
        dist = np.where(self.net.is_alum[adopters], 0, -1).astype(np.int8)
        return adopters, via[adopters], dist

    def step(self, month: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Decide everyone's change from the state at the start of ``month``, then apply it.
        Returns the adopters' indices, how they adopted (codes of _kernels.VIA) and distances."""
        net, p, key, state = self.net, self.p, self.key, self.state
        self._activate_until(month, lo_month=month)
        practising = np.flatnonzero(state == k.PRACTISING)
        sus = k.susceptible(key, month, state, p.readoption)
        via = np.full(net.n, k.NO_ADOPTION, dtype=np.int8)
        group = self._group_multiplier(month, practising)
        if p.beta > 0 and len(practising):
            k.spread(key, month, practising, state, sus, net.indptr, net.indices, self.arc_w,
                     self.arc_on, self.grad, self.boost, p.beta, group, p.complex_contagion,
                     self.thr, p.threshold_kind == "fraction", self.indeg, via)
        if p.alpha > 0:
            k.background(key, month, sus, p.alpha, via)
        graduates = self.graduates.get(month, self.empty)
        invited, p_re = self._reengagement(month)
        k.course_and_reengage(key, month, state, graduates, p.p_course, invited, p_re, via)
        lapsing = practising[k.lapses(key, month, practising, self._decay(month, group))]
        adopters = np.flatnonzero(via >= 0)
        dist = self._distances(adopters, practising) if len(adopters) else np.zeros(0, np.int8)
        state[lapsing] = k.LAPSED
        state[adopters] = k.PRACTISING
        return adopters, via[adopters], dist

    def _group_multiplier(self, month: int, practising: np.ndarray) -> np.ndarray:
        """1 + group_boost x share of the other members of one's set practising."""
        gb = self.p.group_boost
        if gb == 0 or not self.model.programme:
            return self.ones
        als, net = self.net.als, self.net
        member = (als >= 0) & ~(net.cohort_start > month)
        size = np.bincount(als[member], minlength=als.max() + 1)
        prac = np.zeros(net.n, dtype=bool)
        prac[practising] = True
        count = np.bincount(als[member & prac], minlength=len(size))
        out = np.ones(net.n)
        idx = np.flatnonzero(member)
        others = size[als[idx]] - 1
        share = np.divide(count[als[idx]] - prac[idx], others, out=np.zeros(len(idx)),
                          where=others > 0)
        out[idx] = 1.0 + gb * share
        return out

    def _decay(self, month: int, group: np.ndarray) -> np.ndarray:
        decay = self.decay_base
        for topup, invited in self.topups:
            if topup.month <= month < topup.month + topup.duration_months:
                decay = decay.copy() if decay is self.decay_base else decay
                decay[invited] *= topup.decay_multiplier
        return decay if group is self.ones else decay / group

    def _reengagement(self, month: int) -> tuple[np.ndarray, np.ndarray]:
        """Lapsed alumni invited to a session this month, each with the largest re-engagement
        probability among the sessions that invite them (one chance per month)."""
        if not self.topups:
            return self.empty, np.zeros(0)
        p_re = np.zeros(self.net.n)
        for topup, invited in self.topups:
            if topup.month == month and topup.p_reengage > 0:
                p_re[invited] = np.maximum(p_re[invited], topup.p_reengage)
        invited = np.flatnonzero(p_re > 0)
        return invited, p_re[invited]

    def _distances(self, adopters: np.ndarray, practising: np.ndarray) -> np.ndarray:
        net = self.net
        prac_alum = practising[net.is_alum[practising]]
        return k.distances(adopters, net.is_alum, prac_alum, net.indptr, net.indices, self.arc_on,
                           net.rev_indptr, net.rev_arc, net.src)

    def states(self) -> np.ndarray:
        """Current state codes (0 unaware, 1 practising, 2 lapsed), one per person."""
        return self.state
