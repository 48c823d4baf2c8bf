"""Fast engine: state in numpy arrays, everyone updated at once by numba kernels.

It implements the same rules as the reference engine (agents.py); the tests check that both give
the same distributions. Draws are keyed hashes (see _kernels), which gives exact common random
numbers between the with- and without-programme runs of one seed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from alumni_net.abm import _kernels as k
from alumni_net.abm.network import ContagionNetwork
from alumni_net.abm.params import ContagionParams, TopUp
from alumni_net.abm.schedule import graduation_months, invited_to

if TYPE_CHECKING:
    from alumni_net.abm.model import ContagionModel

__all__ = ["FastEngine"]


@dataclass(frozen=True)
class _ArcPlan:
    """Arc weights at month 0 and the entries that switch on later (cached per network)."""

    arc_w: np.ndarray
    arc_on: np.ndarray
    in_w: np.ndarray
    indeg: np.ndarray
    e_arc: np.ndarray
    e_w: np.ndarray
    e_month: np.ndarray
    w_const: float  # the weight of every arc when all are active alike and stay so, else -1


def _arc_plan(net: ContagionNetwork, p: ContagionParams, programme: bool) -> _ArcPlan:
    key = ("arcs", programme, p.tie_weights, p.default_tie_weight, p.horizon_months)
    if key not in net.memo:
        keep = np.ones(len(net.entry_arc), dtype=bool) if programme else ~net.entry_programme
        keep &= net.entry_month <= p.horizon_months
        # float32 weights: half the memory traffic of the hot loops, ample precision
        weights = np.array([p.weight_of(kind) for kind in net.kinds], dtype=np.float32)
        e_w = weights[net.entry_kind[keep]] if len(net.kinds) else np.zeros(0, np.float32)
        e_arc, e_month = net.entry_arc[keep], net.entry_month[keep]
        arc_w = np.zeros(net.n_arcs, dtype=np.float32)
        arc_on = np.zeros(net.n_arcs, dtype=bool)
        in_w = np.full(net.n_arcs, -1.0, dtype=np.float32)
        indeg = np.zeros(net.n, dtype=np.int64)
        now = int(np.searchsorted(e_month, 0, "right"))
        k.activate(e_arc, e_w, 0, now, arc_w, arc_on, in_w, net.rev_pos, net.indices, indeg)
        for a in (arc_w, arc_on, in_w, indeg):
            a.flags.writeable = False  # shared by every model on this network
        same = now == len(e_month) and arc_on.all() and len(arc_w) and arc_w.min() == arc_w.max()
        net.memo[key] = _ArcPlan(arc_w, arc_on, in_w, indeg, e_arc[now:], e_w[now:],
                                 e_month[now:], float(arc_w[0]) if same else -1.0)
    return net.memo[key]


@dataclass(frozen=True)
class _StaticPlan:
    """Per-person arrays fixed by the network, parameters and arm (cached per network)."""

    grad: np.ndarray
    graduates: dict[int, np.ndarray]
    topups: list[tuple[TopUp, np.ndarray]]
    decay_base: np.ndarray
    thr: np.ndarray
    outdeg: np.ndarray
    indeg_all: np.ndarray
    has_alumni: bool
    last_event_month: int
    ones: np.ndarray  # read-only: "no group reinforcement"
    everyone: np.ndarray  # read-only: 0..n-1


def _static_plan(net: ContagionNetwork, p: ContagionParams, programme: bool) -> _StaticPlan:
    key = ("static", p, programme)
    if key not in net.memo:
        grad = graduation_months(net, p, programme)
        graduating = np.flatnonzero(grad <= p.horizon_months)  # month 0: at initialisation
        months = grad[graduating]
        topups = [(t, np.flatnonzero(invited_to(net, t))) for t in p.topups] if programme else []
        last = max([int(months.max(initial=0))] + [t.month for t, _ in topups])
        arrays = (grad, np.full(net.n, p.decay), np.full(net.n, p.threshold),
                  np.diff(net.indptr), np.diff(net.rev_indptr), np.ones(net.n),
                  np.arange(net.n))
        for a in arrays:
            a.flags.writeable = False  # shared by every model on this network
        net.memo[key] = _StaticPlan(
            grad=arrays[0], graduates={int(m): graduating[months == m] for m in np.unique(months)},
            topups=topups, decay_base=arrays[1], thr=arrays[2], outdeg=arrays[3],
            indeg_all=arrays[4], has_alumni=bool(net.is_alum.any()), last_event_month=last,
            ones=arrays[5], everyone=arrays[6])
    return net.memo[key]


class FastEngine:
    """Array engine behind :class:`~alumni_net.abm.model.ContagionModel` (``engine="fast"``)."""

    name = "fast"
    #: "auto" picks push or pull each month; "push"/"pull" force one (tests: same results).
    direction = "auto"

    def __init__(self, model: ContagionModel):
        self.model = model
        net, p = model.network, model.params
        self.net, self.p, self.key = net, p, np.uint64(model.crn_key)
        self.state = np.zeros(net.n, dtype=np.int8)
        self.count = np.array([net.n, 0, 0], dtype=np.int64)
        plan = _arc_plan(net, p, model.programme)
        self.plan = plan
        pending = len(plan.e_month) > 0  # copy the shared arrays only if they will change
        self.arc_w = plan.arc_w.copy() if pending else plan.arc_w
        self.arc_on = plan.arc_on.copy() if pending else plan.arc_on
        self.in_w = plan.in_w.copy() if pending else plan.in_w
        self.indeg = plan.indeg.copy() if pending else plan.indeg
        static = _static_plan(net, p, model.programme)
        self.grad, self.graduates, self.topups = static.grad, static.graduates, static.topups
        self.decay_base, self.outdeg, self.indeg_all = (
            static.decay_base, static.outdeg, static.indeg_all)
        self.has_alumni, self.last_event_month = static.has_alumni, static.last_event_month
        self.boost = p.alum_boost if model.programme else 1.0
        self.thr = static.thr if p.threshold_spread == 0 else self._thresholds()
        self.ones, self.everyone = static.ones, static.everyone
        self.no_group = np.zeros(0)
        # beta x boost of practising people, else -1 (float32: less to write per model)
        self.sender = np.full(net.n, -1.0, dtype=np.float32)
        self.via = np.full(net.n, k.NO_ADOPTION, dtype=np.int8)  # reset after each month
        self.empty = np.zeros(0, dtype=np.int64)
        self.newly = np.zeros(net.n, dtype=np.int64)  # scratch: who adopts through spread
        self._practising: np.ndarray | None = None  # known practising list, when cheap
        self.group_buf: np.ndarray | None = None  # group multipliers (1 outside started sets)
        self._set_order: tuple[np.ndarray, np.ndarray] | None = None
        self.groups = {g: np.zeros(len(labels), dtype=np.int64)
                       for g, (_, labels) in net.groups.items()}

    def _thresholds(self) -> np.ndarray:
        """Heterogeneous thresholds, drawn once per person from this replicate's key."""
        p = self.p
        u = k.uniforms(self.key, k.S_THRESHOLD, self.net.n, 0)
        return np.maximum(p.threshold + p.threshold_spread * (2 * u - 1), 0.0)

    def initialise(self, seeds: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Month 0: initial adopters, then the course effect for alumni graduating by month 0."""
        via = np.full(self.net.n, k.NO_ADOPTION, dtype=np.int8)
        via[seeds] = k.SEED
        self.state[seeds] = k.PRACTISING  # seeds keep their "seed" label over the course
        graduates = self.graduates.get(0, self.empty)
        if len(graduates):
            k.course_and_reengage(self.key, 0, self.state, graduates, self.p.p_course,
                                  self.empty, np.zeros(0), via)
            adopters = np.flatnonzero(via >= 0)
        else:
            adopters = seeds
        self.state[adopters] = k.PRACTISING
        self.count = np.array([self.net.n - len(adopters), len(adopters), 0], dtype=np.int64)
        for g, (codes, _) in self.net.groups.items():
            c = codes[adopters]
            self.groups[g] += np.bincount(c[c >= 0], minlength=len(self.groups[g]))
        dist = np.where(self.net.is_alum[adopters], 0, -1).astype(np.int8)
        return adopters, via[adopters], dist

    def step(self, month: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Decide everyone's change from the state at the start of ``month``, then apply it.
        Returns the adopters' indices, how they adopted (codes of _kernels.VIA) and distances."""
        p, key, state = self.p, self.key, self.state
        self._activate(month)
        practising = self._practising if self._practising is not None \
            else np.flatnonzero(state == k.PRACTISING)
        graduates = self.graduates.get(month, self.empty)
        invited, p_re = self._reengagement(month)
        if not (len(practising) or p.alpha > 0 or len(graduates) or len(invited)):
            return self.empty, np.zeros(0, np.int8), np.zeros(0, np.int8)  # nothing can happen
        via = self.via
        group = self._group_multiplier(month, practising)
        adopters = self.empty
        if p.beta > 0 and len(practising):
            adopters = self._spread(month, practising, group, via)
        if p.alpha > 0:
            k.background(key, month, state, p.readoption, p.alpha, via)
        if len(graduates) or len(invited):
            k.course_and_reengage(key, month, state, graduates, p.p_course, invited, p_re, via)
        lapsing = self._lapsing(month, practising, group)
        if p.alpha > 0 or len(graduates) or len(invited):
            adopters = np.flatnonzero(via >= 0)  # else spread was the only way in
        dist = self._distances(adopters, practising)
        self._apply(lapsing, adopters)
        # when everyone practising lapsed, next month's practising are this month's adopters
        self._practising = adopters if len(lapsing) == len(practising) else None
        routes = via[adopters]
        via[adopters] = k.NO_ADOPTION  # only adopters were marked: the array is clean again
        return adopters, routes, dist

    def _spread(self, month: int, practising: np.ndarray, group: np.ndarray,
                via: np.ndarray) -> np.ndarray:
        """Push from the practising or pull into the others, whichever visits fewer arcs;
        both flip the same keyed coin per arc and month. Returns who adopts, sorted."""
        net, p, state, sender = self.net, self.p, self.state, self.sender
        group = self.no_group if group is self.ones else group
        if self.boost == 1.0:
            sender[practising] = p.beta
        else:
            sender[practising] = p.beta * np.where(self.grad[practising] <= month, self.boost, 1.0)
        complex_, fraction = p.complex_contagion, p.threshold_kind == "fraction"
        if self._pull(practising):
            # with readoption the kernel itself skips the practising among everyone
            rest = self.everyone if p.readoption > 0 else np.flatnonzero(state == k.UNAWARE)
            m = k.spread_pull(self.key, month, rest, state, p.readoption,
                              net.rev_indptr, net.rev_arc, net.rev_src, self.in_w, sender,
                              p.beta * max(self.boost, 1.0), group, complex_, self.thr, fraction,
                              self.indeg, via, self.newly)
        else:
            m = k.spread(self.key, month, practising, state, p.readoption, net.indptr,
                         net.indices, self.arc_w, self.arc_on, self.plan.w_const, sender, group,
                         complex_, self.thr, fraction, self.indeg, via, self.newly)
        sender[practising] = -1.0
        return np.sort(self.newly[:m])

    def _pull(self, practising: np.ndarray) -> bool:
        if self.direction != "auto":
            return self.direction == "pull"
        push = self.outdeg[practising].sum()
        if push < self.net.n_arcs // 4:  # clearly cheaper: skip counting the other side
            return False
        if self.p.readoption > 0:  # the rest are everyone not practising
            return push > self.net.n_arcs - self.indeg_all[practising].sum()
        return push > self.indeg_all[self.state == k.UNAWARE].sum()

    def _apply(self, lapsing: np.ndarray, adopters: np.ndarray) -> None:
        before = np.bincount(self.state[adopters], minlength=3)
        self.state[lapsing] = k.LAPSED
        self.state[adopters] = k.PRACTISING
        self.count += [-before[0], len(adopters) - len(lapsing), len(lapsing) - before[2]]
        for g, (codes, _) in self.net.groups.items():
            counts = self.groups[g]
            for people, sign in ((adopters, 1), (lapsing, -1)):
                c = codes[people]
                counts += sign * np.bincount(c[c >= 0], minlength=len(counts))

    def _activate(self, month: int) -> None:
        e_month = self.plan.e_month
        if len(e_month) == 0 or month < e_month[0]:
            return
        lo = int(np.searchsorted(e_month, month, "left"))
        hi = int(np.searchsorted(e_month, month, "right"))
        if hi > lo:
            k.activate(self.plan.e_arc, self.plan.e_w, lo, hi, self.arc_w, self.arc_on,
                       self.in_w, self.net.rev_pos, self.net.indices, self.indeg)

    def _group_multiplier(self, month: int, practising: np.ndarray) -> np.ndarray:
        """1 + group_boost x share of the other members of one's set practising."""
        gb, net = self.p.group_boost, self.net
        if gb == 0 or not self.model.programme or net.als.max(initial=-1) < 0:
            return self.ones
        order, starts = self.set_order
        members = order[:np.searchsorted(starts, month, "right")]  # sets started by now
        als = net.als[members]
        size = np.bincount(als, minlength=net.als.max() + 1)
        prac = np.zeros(net.n, dtype=bool)
        prac[practising] = True
        mine = prac[members]
        count = np.bincount(als[mine], minlength=len(size))
        others = size[als] - 1
        share = np.divide(count[als] - mine, others, out=np.zeros(len(members)),
                          where=others > 0)
        if self.group_buf is None:
            self.group_buf = np.ones(net.n)
        out = self.group_buf
        out[members] = 1.0 + gb * share
        return out

    @property
    def set_order(self) -> tuple[np.ndarray, np.ndarray]:
        """Set members ordered by cohort start (unknown start first), and those starts."""
        if self._set_order is None:
            net = self.net
            members = np.flatnonzero(net.als >= 0)
            starts = np.nan_to_num(net.cohort_start[members], nan=-np.inf)
            order = np.argsort(starts, kind="stable")
            self._set_order = (members[order], starts[order])
        return self._set_order

    def _decay(self, month: int) -> np.ndarray:
        decay = self.decay_base
        for topup, invited in self.topups:
            if topup.month <= month < topup.month + topup.duration_months:
                decay = decay.copy() if decay is self.decay_base else decay
                decay[invited] *= topup.decay_multiplier
        return decay

    def _reengagement(self, month: int) -> tuple[np.ndarray, np.ndarray]:
        """Invited alumni at a session this month, each with the largest re-engagement
        probability among the sessions that invite them (one chance per month)."""
        due = [(t, inv) for t, inv in self.topups if t.month == month and t.p_reengage > 0]
        if not due:
            return self.empty, self.no_group
        p_re = np.zeros(self.net.n)
        for topup, invited in due:
            p_re[invited] = np.maximum(p_re[invited], topup.p_reengage)
        invited = np.flatnonzero(p_re > 0)
        return invited, p_re[invited]

    def _lapsing(self, month: int, practising: np.ndarray, group: np.ndarray) -> np.ndarray:
        decay = self._decay(month)
        if group is self.ones and decay is self.decay_base and self.p.decay >= 1.0:
            return practising  # everyone lapses: no draw can say otherwise
        grouped = self.no_group if group is self.ones else group
        return practising[k.lapses(self.key, month, practising, decay, grouped)]

    def _distances(self, adopters: np.ndarray, practising: np.ndarray) -> np.ndarray:
        if not len(adopters) or not self.has_alumni:
            return np.full(len(adopters), -1, dtype=np.int8)
        net = self.net
        prac_alum = practising[net.is_alum[practising]]
        return k.distances(adopters, net.is_alum, prac_alum, net.indptr, net.indices, self.arc_on,
                           net.rev_indptr, net.rev_src, self.in_w)

    def states(self) -> np.ndarray:
        """Current state codes (0 unaware, 1 practising, 2 lapsed), one per person."""
        return self.state

    def counts(self) -> np.ndarray:
        """People unaware, practising, lapsed."""
        return self.count

    def group_practising(self, group_type: str) -> np.ndarray:
        """Practising people per group label of ``group_type``."""
        return self.groups[group_type]
