"""What the fast engine knows before a run starts: arrays fixed by the network, the parameters
and the arm (with or without the programme), built once and cached on the network's ``memo``
(read-only, shared by every model on that network).

- :class:`ArcPlan`: each arc's weight as a step function of the month (weight at month 0, then
  the months a heavier kind, or the first kind, appears) and the arcs that switch on each
  month; :func:`reach_weights` bounds each sender's transmissions (the first draw of a spell).
- :class:`PersonPlan`: graduations, top-up invitations and re-engagement sessions by month,
  action learning sets (members, who has started by each month), background rates.
- :func:`spell_records`: what starting a spell reads of its person, packed in one record.
- :func:`group_codes`, :func:`components`: the by-group tallies' combinations and the connected
  components of the ties active at month 0 (distances 4+ versus none on symmetric networks).
"""

from __future__ import annotations

import mmap
from dataclasses import dataclass, fields

import numpy as np
import pandas as pd
from numba import njit

from alumni_net.abm import rules
from alumni_net.abm.network import ContagionNetwork
from alumni_net.abm.params import PROGRAMME_KINDS, ContagionParams
from alumni_net.abm.schedule import graduation_months, invited_to

__all__ = ["NEVER", "ArcPlan", "PersonPlan", "arc_plan", "components", "frozen", "group_codes",
           "person_plan", "reach_weights", "rev_since"]

#: Start month of people whose cohort start is unknown (they count as started throughout).
ALWAYS = -(2**40)


def _freeze(obj) -> None:
    for f in fields(obj):
        value = getattr(obj, f.name)
        if isinstance(value, np.ndarray):
            value.flags.writeable = False


@dataclass(frozen=True)
class ArcPlan:
    """Arc weights over time, for one network, tie weights, horizon and arm."""

    w0: np.ndarray  # float32 per arc: weight at month 0, -1 while the arc does not exist yet
    late_arc: np.ndarray  # int64, ascending: arcs whose weight changes in months 1..horizon
    late_ptr: np.ndarray  # int64: steps of late_arc[k] are late_ptr[k]:late_ptr[k + 1]
    late_month: np.ndarray  # int64: month of each step
    late_w: np.ndarray  # float32: weight from that month on
    sender_late: np.ndarray  # bool per person: has a late out-arc
    act_ptr: np.ndarray  # int64, horizon + 2: arcs first existing at month s are
    act_arc: np.ndarray  # act_arc[act_ptr[s]:act_ptr[s + 1]]
    late_from: np.ndarray  # int64, n + 1: sender i's late arcs are late_arc[late_from[i]:
    # late_from[i + 1]] (arcs are numbered by sender)


def arc_plan(net: ContagionNetwork, p: ContagionParams, programme: bool) -> ArcPlan:
    """The :class:`ArcPlan` of ``net`` under ``p`` (cached on the network)."""
    key = ("arc_plan", programme, p.tie_weights, p.default_tie_weight, p.horizon_months)
    if key not in net.memo:
        net.memo[key] = _arc_plan(net, p, programme)
    return net.memo[key]


def _arc_plan(net: ContagionNetwork, p: ContagionParams, programme: bool) -> ArcPlan:
    horizon = p.horizon_months
    weights = np.array([p.weight_of(kind) for kind in net.kinds] or [0.0], dtype=np.float32)
    arc, month, kind = net.entry_arc, net.entry_month, net.entry_kind
    ascending = _ascending(month)
    if ascending:
        # build_network sorts the entries by month: the months to the horizon and those at
        # the start are prefixes, taken as views (at national size, masks and copies of 60
        # million entries were most of this plan's cost)
        end = int(np.searchsorted(month, horizon, side="right"))
        arc, month, kind = arc[:end], month[:end], kind[:end]
        if not programme:
            # Without the programme its ties do not exist: weight -1, which never raises an
            # arc's weight above the -1 of "not yet there" (_max_into, _steps), as if the
            # entries were left out, without a mask and copies of every entry.
            weights = np.where([k in PROGRAMME_KINDS for k in net.kinds] or [False],
                               np.float32(-1.0), weights).astype(np.float32)
    else:
        keep = month <= horizon
        if not programme:
            keep &= ~net.entry_programme
        arc, month, kind = arc[keep], month[keep], kind[keep]
    w0 = np.full(net.n_arcs, -1.0, dtype=np.float32)
    late: slice | np.ndarray
    if ascending:  # those at the start are a prefix too
        n0 = int(np.searchsorted(month, 0, side="right"))
        late = slice(n0, len(month))
        # the weights of the entries at the start are looked up as they are read: no array of
        # tens of millions of weights (at national size its fresh memory took a second)
        _max_weight_into(w0, arc[:n0], kind[:n0], weights)
    else:
        at0 = month <= 0
        late = ~at0
        _max_into(w0, arc[at0], weights[kind[at0]])
    w_late = weights[kind[late]]
    order = np.lexsort((month[late], arc[late]))
    late_arc, late_ptr, late_month, late_w = _steps(arc[late][order], month[late][order],
                                                    w_late[order], w0)
    sender_late = np.zeros(net.n, dtype=np.bool_)
    sender_late[net.src[late_arc]] = True
    starting = w0[late_arc] < 0  # these arcs come into existence at their first step
    act_month = late_month[late_ptr[:-1][starting]]
    act_arc = late_arc[starting][np.argsort(act_month, kind="stable")]
    act_ptr = np.zeros(horizon + 2, dtype=np.int64)
    np.cumsum(np.bincount(act_month, minlength=horizon + 1), out=act_ptr[1:])
    plan = ArcPlan(w0=w0, late_arc=late_arc, late_ptr=late_ptr, late_month=late_month,
                   late_w=late_w, sender_late=sender_late, act_ptr=act_ptr, act_arc=act_arc,
                   late_from=np.searchsorted(late_arc, net.indptr).astype(np.int64))
    _freeze(plan)
    return plan


@njit(cache=True)
def _ascending(values):
    for q in range(1, values.shape[0]):
        if values[q] < values[q - 1]:
            return False
    return True


@njit(cache=True)
def _max_weight_into(out, idx, kind, weights):
    for q in range(idx.shape[0]):
        w = weights[kind[q]]
        if w > out[idx[q]]:
            out[idx[q]] = w


@njit(cache=True)
def _max_into(out, idx, values):
    for q in range(idx.shape[0]):
        if values[q] > out[idx[q]]:
            out[idx[q]] = values[q]


@njit(cache=True)
def _steps(arc, month, w, w0):
    """Entries sorted by (arc, month) -> the steps that change an arc's weight (the running
    maximum), merged within a month."""
    n = arc.shape[0]
    out_arc = np.empty(n, dtype=np.int64)
    ptr = np.zeros(n + 1, dtype=np.int64)
    out_month = np.empty(n, dtype=np.int64)
    out_w = np.empty(n, dtype=np.float32)
    k, q, i = 0, 0, 0
    while i < n:
        a = arc[i]
        cur = w0[a]
        first = q
        while i < n and arc[i] == a:
            if w[i] > cur:
                cur = w[i]
                if q > first and out_month[q - 1] == month[i]:
                    out_w[q - 1] = cur
                else:
                    out_month[q] = month[i]
                    out_w[q] = cur
                    q += 1
            i += 1
        if q > first:
            out_arc[k] = a
            k += 1
            ptr[k] = q
    return out_arc[:k].copy(), ptr[:k + 1].copy(), out_month[:q].copy(), out_w[:q].copy()


@njit(cache=True)
def _reach_max(indptr, indices, w0, late_arc, late_final, grouped, any_grouped, factor):
    """Per sender, the largest of its out-arcs' final weights (``late_final`` for the arcs in
    ``late_arc``, ascending; else ``w0``), each times ``factor`` when its receiver is
    ``grouped``; 0 when none is positive."""
    n = indptr.shape[0] - 1
    out = np.zeros(n, dtype=np.float32)
    q = 0
    for i in range(n):
        for e in range(indptr[i], indptr[i + 1]):
            w = w0[e]
            while q < late_arc.shape[0] and late_arc[q] < e:
                q += 1
            if q < late_arc.shape[0] and late_arc[q] == e:
                w = late_final[q]
            if any_grouped and grouped[indices[e]]:
                w = w * factor
            if w > out[i]:
                out[i] = w
    return out


@dataclass(frozen=True)
class PersonPlan:
    """Per-person and per-month schedules for one network, parameter set and arm."""

    grad: np.ndarray  # int64 graduation month (schedule.NEVER without)
    course_ptr: np.ndarray  # int64, horizon + 2: graduates of month s are
    course_people: np.ndarray  # course_people[course_ptr[s]:course_ptr[s + 1]]
    t_month: np.ndarray  # int64 per top-up: its month
    t_end: np.ndarray  # int64: first month it no longer protects
    t_mult: np.ndarray  # float64: its decay multiplier
    inv_ptr: np.ndarray  # int64, n + 1 (empty without top-ups): top-ups inviting person i are
    inv_top: np.ndarray  # inv_top[inv_ptr[i]:inv_ptr[i + 1]]
    re_ptr: np.ndarray  # int64, horizon + 2: re-engagement chances of month s are
    re_people: np.ndarray  # (re_people, re_p)[re_ptr[s]:re_ptr[s + 1]]
    re_p: np.ndarray
    set_code: np.ndarray  # int64 action learning set per person, -1 none
    start_month: np.ndarray  # int64: first month one's cohort has started (ALWAYS if unknown)
    set_ptr: np.ndarray  # int64: members of set c are set_people[set_ptr[c]:set_ptr[c + 1]]
    set_people: np.ndarray
    set_started: np.ndarray  # int32 (sets, horizon + 2): members started by each month
    grouped: np.ndarray  # bool per person: a set member whose group multiplier can exceed 1
    bg_starts: np.ndarray  # background rates (see rules.BackgroundRates), and members of
    bg_ptr: np.ndarray  # each background group, bg_people[bg_ptr[g]:bg_ptr[g + 1]]
    bg_people: np.ndarray  # (empty: one group, everyone)
    bg_rates: np.ndarray
    last_event_month: int  # the last month with a graduation or a top-up

    @property
    def any_grouped(self) -> bool:
        return bool(self.grouped.any())


def person_plan(net: ContagionNetwork, p: ContagionParams, programme: bool) -> PersonPlan:
    """The :class:`PersonPlan` of ``net`` under ``p`` (cached on the network)."""
    key = ("person_plan", p, programme)
    if key not in net.memo:
        net.memo[key] = _person_plan(net, p, programme)
    return net.memo[key]


def _person_plan(net: ContagionNetwork, p: ContagionParams, programme: bool) -> PersonPlan:
    horizon = p.horizon_months
    grad = graduation_months(net, p, programme)
    graduating = np.flatnonzero(grad <= horizon)
    course_ptr, course_people = _by_month(grad[graduating], graduating, horizon)
    topups = p.topups if programme else ()
    invited = [np.flatnonzero(invited_to(net, t)) for t in topups]
    t_month = np.array([t.month for t in topups], dtype=np.int64)
    t_end = np.array([t.month + t.duration_months for t in topups], dtype=np.int64)
    t_mult = np.array([t.decay_multiplier for t in topups], dtype=np.float64)
    inv_ptr, inv_top = _invitations(net.n, invited)
    re_ptr, re_people, re_p = _reengagement(net.n, topups, invited, horizon)
    sets = _sets(net, p, programme)
    rates = rules.background_rates(p, net)
    bg_ptr, bg_people = _members(rates.person_group, rates.n_groups)
    last = max([int(grad[graduating].max(initial=0))] + [t.month for t in topups])
    plan = PersonPlan(
        grad=grad, course_ptr=course_ptr, course_people=course_people, t_month=t_month,
        t_end=t_end, t_mult=t_mult, inv_ptr=inv_ptr, inv_top=inv_top, re_ptr=re_ptr,
        re_people=re_people, re_p=re_p, **sets, bg_starts=rates.period_starts,
        bg_ptr=bg_ptr, bg_people=bg_people, bg_rates=rates.rates, last_event_month=last)
    _freeze(plan)
    return plan


def _by_month(months: np.ndarray, people: np.ndarray, horizon: int):
    order = np.argsort(months, kind="stable")
    ptr = np.zeros(horizon + 2, dtype=np.int64)
    np.cumsum(np.bincount(months, minlength=horizon + 1)[:horizon + 1], out=ptr[1:])
    return ptr, people[order].astype(np.int64)


def _invitations(n: int, invited: list[np.ndarray]):
    if not invited:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    people = np.concatenate(invited)
    which = np.concatenate([np.full(len(v), k, dtype=np.int64) for k, v in enumerate(invited)])
    order = np.argsort(people, kind="stable")
    ptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(people, minlength=n), out=ptr[1:])
    return ptr, which[order]


def _reengagement(n: int, topups, invited, horizon: int):
    """Per month, the invited alumni with their largest re-engagement probability."""
    months, people, probs = [], [], []
    for m in sorted({t.month for t in topups if t.month <= horizon}):
        best = np.zeros(n)
        for t, inv in zip(topups, invited, strict=True):
            if t.month == m and t.p_reengage > 0:
                best[inv] = np.maximum(best[inv], t.p_reengage)
        who = np.flatnonzero(best > 0)
        months.append(np.full(len(who), m, dtype=np.int64))
        people.append(who)
        probs.append(best[who])
    if not months:
        return np.zeros(horizon + 2, dtype=np.int64), np.zeros(0, np.int64), np.zeros(0)
    ptr, order_people = _by_month(np.concatenate(months), np.concatenate(people), horizon)
    order = np.argsort(np.concatenate(months), kind="stable")
    return ptr, order_people, np.concatenate(probs)[order]


def _sets(net: ContagionNetwork, p: ContagionParams, programme: bool) -> dict:
    horizon = p.horizon_months
    code = net.als.astype(np.int64)
    n_sets = int(code.max(initial=-1)) + 1
    cs = net.cohort_start
    start = np.where(np.isnan(cs), ALWAYS, np.ceil(np.nan_to_num(cs))).astype(np.int64)
    members = np.flatnonzero(code >= 0)
    order = members[np.argsort(code[members], kind="stable")]
    set_ptr = np.zeros(n_sets + 1, dtype=np.int64)
    np.cumsum(np.bincount(code[members], minlength=n_sets), out=set_ptr[1:])
    started = np.zeros((n_sets, horizon + 2), dtype=np.int32)
    first = start[members]
    soon = first <= horizon + 1
    np.add.at(started, (code[members][soon], np.maximum(first[soon], 0)), 1)
    np.cumsum(started, axis=1, out=started)
    grouped = (code >= 0) & bool(programme and p.group_boost > 0)
    return {"set_code": code, "start_month": start, "set_ptr": set_ptr, "set_people": order,
            "set_started": started, "grouped": grouped}


def _members(person_group: np.ndarray, n_groups: int):
    if len(person_group) == 0:
        return np.zeros(2, dtype=np.int64), np.zeros(0, dtype=np.int64)
    order = np.argsort(person_group, kind="stable").astype(np.int64)
    ptr = np.zeros(n_groups + 1, dtype=np.int64)
    np.cumsum(np.bincount(person_group, minlength=n_groups), out=ptr[1:])
    return ptr, order


def reach_weights(net: ContagionNetwork, p: ContagionParams, programme: bool) -> np.ndarray:
    """Per sender, the largest weight any out-arc ever has times the bound of its receiver's
    group multiplier (``1 + group_boost`` for set members): with ``beta`` and the boost it
    bounds every transmission probability of a spell (cached)."""
    key = ("reach_weights", p, programme)
    if key not in net.memo:
        arcs, people = arc_plan(net, p, programme), person_plan(net, p, programme)
        # in one pass over the arcs: a copy of every arc's weight, and a mask over them, took
        # a second an arm at national size (fresh memory)
        out = _reach_max(net.indptr, net.indices, arcs.w0, arcs.late_arc,
                         arcs.late_w[arcs.late_ptr[1:] - 1], people.grouped,
                         people.any_grouped, np.float32(1.0 + p.group_boost))
        out.flags.writeable = False
        net.memo[key] = out
    return net.memo[key]


#: ``rev_since`` of an arc that does not exist by the horizon (above any month: see
#: ``fast.MAX_HORIZON``).
NEVER = np.int16(32767)


def rev_since(net: ContagionNetwork, p: ContagionParams, programme: bool) -> np.ndarray:
    """Per reverse arc (``net.rev_arc`` order), the month its arc comes into existence: 0, a
    late tie's first month, or :data:`NEVER` (int16, cached, read-only).

    An arc's weight is the running maximum of its ties' weights (:func:`_steps`), so once it
    exists it exists to the horizon, and "the arc ``rev_arc[r]`` exists in month ``t``" is
    ``rev_since[r] <= t``. The kernels that scan a person's in-arcs (distances 2 and 3, the
    complex-contagion gate) read this beside ``rev_src`` instead of the sender's late flag
    and the arc's weight at random: at national size, two cache misses fewer per in-arc
    looked at, about half the distances' time."""
    key = ("rev_since", p.tie_weights, p.default_tie_weight, p.horizon_months, programme)
    if key not in net.memo:
        arcs = arc_plan(net, p, programme)
        # Most arcs exist from the start: their zeros are written in order, and only the
        # others (0.2% at national size) are placed, through rev_pos; looking every arc up
        # through rev_arc took 1.4 s an arm in a worker. rev_pos is read that little: not
        # copied from shared memory (see frozen).
        out = _rev_since(frozen(net, "rev_pos", private=False), arcs.w0, arcs.late_arc,
                         arcs.late_ptr, arcs.late_month, arcs.late_w)
        out.flags.writeable = False
        net.memo[key] = out
    return net.memo[key]


@njit(cache=True)
def _rev_since(rev_pos, w0, late_arc, late_ptr, late_month, late_w):
    out = np.empty(rev_pos.shape[0], dtype=np.int16)
    out[:] = 0  # written, not calloc's untouched pages: the kernels read all of it at random
    for e in range(w0.shape[0]):
        if w0[e] < 0.0:
            out[rev_pos[e]] = NEVER
    for k in range(late_arc.shape[0]):
        e = late_arc[k]
        if w0[e] < 0.0:
            for q in range(late_ptr[k], late_ptr[k + 1]):
                if late_w[q] >= 0.0:
                    out[rev_pos[e]] = late_month[q]
                    break
    return out


#: What starting a spell reads of its person (``P[14]`` of the fast engine):
#: first and end of the out-arcs, the bounding weight (``A[8]``), graduation month as the
#: spell row stores it, late sender (``A[5]``), set member with a group multiplier (``S[6]``),
#: and steady (no group multiplier, no top-up invitation: one lapse hazard for the whole
#: spell). One 32-byte record instead of six arrays: at national size each was a cache miss
#: per adopter.
SPELL_RECORD = np.dtype([("lo", np.int64), ("hi", np.int64), ("reach_w", np.float64),
                         ("grad", np.int16), ("late", np.bool_), ("grouped", np.bool_),
                         ("steady", np.bool_)], align=True)


def spell_records(net: ContagionNetwork, p: ContagionParams, programme: bool) -> np.ndarray:
    """Each person's :data:`SPELL_RECORD` under ``p`` (cached, read-only)."""
    key = ("spell_records", p, programme)
    if key not in net.memo:
        arcs, people = arc_plan(net, p, programme), person_plan(net, p, programme)
        rec = np.empty(net.n, dtype=SPELL_RECORD)
        rec["lo"], rec["hi"] = net.indptr[:-1], net.indptr[1:]
        rec["reach_w"] = reach_weights(net, p, programme)
        # as a spell row stores it (int16): capped above; as before, a month below -32768 wraps
        rec["grad"] = np.minimum(people.grad, 32767).astype(np.int16)
        rec["late"] = arcs.sender_late
        rec["grouped"] = people.grouped
        invited = (np.diff(people.inv_ptr) > 0 if len(people.inv_ptr)
                   else np.zeros(net.n, dtype=bool))
        rec["steady"] = ~people.grouped & ~invited
        rec.flags.writeable = False
        net.memo[key] = rec
    return net.memo[key]


def frozen(net: ContagionNetwork, name: str, *, private: bool = True) -> np.ndarray:
    """A read-only view of the network's array ``name`` (cached): the kernels always see
    read-only static arrays, so one compiled version serves every network (networks built
    different ways hand over writable or read-only arrays).

    With ``private``, an array mapped from a file (a pool worker maps the network from shared
    memory, ``experiments._sharing``) is copied into this process's own memory first, once.
    The kernels read the arc arrays at random, and a process's own large NumPy arrays get
    transparent huge pages (NumPy advises them) where a shared-memory file gets 4 kB pages
    wherever the kernel's ``shmem_enabled`` is ``never`` (its default): at national size,
    in one process on a quiet machine, a replicate's arms took 2.86 s and 2.46 s of CPU with
    the five arc arrays mapped, 2.68 s and 2.40 s with them copied (medians of 4, alternating),
    for 0.7 GB a worker. Pass ``private=False`` for an array read rarely."""
    key = ("frozen", name)
    if key not in net.memo:
        array = getattr(net, name)
        view = np.array(array) if private and _mapped(array) else array.view()
        view.flags.writeable = False
        net.memo[key] = view
    return net.memo[key]


def _mapped(array: np.ndarray) -> bool:
    """Whether ``array`` views a memory map (``np.memmap``, or an ``mmap`` buffer)."""
    base: object = array
    while isinstance(base, np.ndarray):
        if isinstance(base, np.memmap):
            return True
        base = base.base
    if isinstance(base, memoryview):  # np.frombuffer keeps a memoryview of the buffer
        base = base.obj
    return isinstance(base, mmap.mmap)


def group_codes(net: ContagionNetwork) -> tuple[np.ndarray, np.ndarray, int]:
    """(combination, table, labels): the by-group tallies' codes (cached).

    Each person's groups (one per group type) are a *combination*, numbered ``0 .. k - 1``
    over the combinations people have; ``table[c]`` lists combination ``c``'s groups as
    positions among all (group_type, group) pairs in ``net.groups`` order (-1 when none), of
    which there are ``labels``. A change of state then counts once, in its combination (a
    2-byte read per person at national size, where a row of three 8-byte codes per person
    filled 72 MB and missed the cache on nearly every adoption and lapse); a month's tallies
    per group are the combinations' counts added up (a few hundred)."""
    if "group_codes" not in net.memo:
        rows, offset = [], 0
        for codes, labels in net.groups.values():
            rows.append(np.where(codes >= 0, codes + offset, -1))
            offset += len(labels)
        table, combination = _combinations(rows, offset, net.n)
        small = np.int16 if len(table) < 2**15 else np.int32
        combination = combination.reshape(-1).astype(small)
        combination.flags.writeable = False
        table.flags.writeable = False
        net.memo["group_codes"] = (combination, table, offset)
    return net.memo["group_codes"]


def _combinations(rows: list[np.ndarray], labels: int, n: int) -> tuple[np.ndarray, np.ndarray]:
    """(table, combination): the distinct rows of codes (-1 .. labels - 1, one array per group
    type) and each person's. Each person's codes are one number in base ``labels + 1``,
    hashed (``np.unique(axis=0)`` sorted 3 million rows as records: 6 s a worker)."""
    if not rows:  # no group types: everyone is the one combination of no groups
        return np.zeros((1, 0), dtype=np.int64), np.zeros(n, dtype=np.int64)
    if (labels + 1) ** len(rows) >= 2**62:  # too many to number: rows as records
        table, combination = np.unique(np.array(rows, dtype=np.int64).T, axis=0,
                                       return_inverse=True)
        return table, combination.reshape(-1)
    key = np.zeros(n, dtype=np.int64)
    for codes in rows:
        key = key * (labels + 1) + (codes + 1)
    combination, keys = pd.factorize(key)
    table = np.empty((len(keys), len(rows)), dtype=np.int64)
    rest = np.asarray(keys, dtype=np.int64)
    for k in range(len(rows) - 1, -1, -1):
        table[:, k] = rest % (labels + 1) - 1
        rest = rest // (labels + 1)
    return table, combination


def components(net: ContagionNetwork, plan: ArcPlan, programme: bool) -> np.ndarray:
    """Connected components (labels 0..k-1) of the arcs existing at month 0 in one arm
    (cached); they say who can reach whom only when every arc's reverse is an arc too
    (``net.symmetric``)."""
    key = ("components", programme)
    if key not in net.memo:
        labels = None
        base = net.memo.get(("components", False)) if programme else None
        # The engine's read-only (and, in a pool worker, private: huge pages for the random
        # look-ups) arc arrays: numba compiles read-only and writeable arrays apart, and a
        # network mapped from shared memory is read-only where one compiled here is not (a
        # national run's workers compiled a second version in their first replicate).
        indptr, indices, w0 = frozen(net, "indptr"), frozen(net, "indices"), plan.w0
        if base is not None:
            # The arcs there at month 0 without the programme are some of those there with it
            # (the programme only adds ties): join the components it found along the others
            # (a pass over the arcs) instead of finding them again (seconds at national size).
            # Workers run the arm without the programme first for this.
            labels = _join_components(base[0], indptr, indices, w0, base[1], net.symmetric)
        if labels is None:
            labels = _components(indptr, indices, w0, net.symmetric)
        labels.flags.writeable = False
        # the arm's month-0 weights are kept with the labels (a reference: the plan holds them)
        net.memo[key] = (labels, w0)
    return net.memo[key][0]


@njit(cache=True)
def _components(indptr, indices, w0, symmetric=False):
    """Connected components of the arcs with ``w0 >= 0``, labelled in order of each
    component's lowest member. ``symmetric``: every arc's reverse is an arc with the same
    weight, so each tie is joined once, from its lower end (half the random look-ups)."""
    n = indptr.shape[0] - 1
    parent = np.arange(n)
    for i in range(n):
        a = -1  # i's root, found once and kept up to date (at national size the second
        # lookup per arc was half of this function's 2.3 s an arm)
        for e in range(indptr[i], indptr[i + 1]):
            if w0[e] >= 0 and not (symmetric and indices[e] < i):
                if a < 0:
                    a = _root(parent, i)
                b = _root(parent, indices[e])
                if a != b:
                    parent[max(a, b)] = min(a, b)
                    a = min(a, b)  # the merged tree's root
    return _tree_labels(parent)


@njit(cache=True)
def _join_components(base, indptr, indices, w0, w0_base, symmetric=False):
    """The labels :func:`_components` gives for the arcs with ``w0 >= 0``, from ``base``, its
    labels for the arcs with ``w0_base >= 0`` (a subset of them); None when they are not a
    subset. Labels stay in order of each component's lowest member: a joined component takes
    the lowest of its parts' labels, which is the part with the lowest member."""
    k = 0
    for i in range(base.shape[0]):
        k = max(k, base[i] + 1)
    parent = np.arange(k)
    for i in range(indptr.shape[0] - 1):
        for e in range(indptr[i], indptr[i + 1]):
            if w0_base[e] >= 0:
                if w0[e] < 0:
                    return None
            elif w0[e] >= 0 and not (symmetric and indices[e] < i):
                a, b = _root(parent, base[i]), _root(parent, base[indices[e]])
                if a != b:
                    parent[max(a, b)] = min(a, b)
    new = _tree_labels(parent)
    out = np.empty(base.shape[0], dtype=np.int32)
    for i in range(base.shape[0]):
        out[i] = new[base[i]]
    return out


@njit(cache=True)
def _tree_labels(parent):
    """Each element's tree, numbered 0, 1, ... in order of the trees' roots (a root is always
    its tree's lowest element: unions hang the higher root under the lower)."""
    labels = np.empty(parent.shape[0], dtype=np.int32)
    k = 0
    for i in range(parent.shape[0]):
        r = _root(parent, i)
        if r == i:
            labels[i] = k
            k += 1
        else:
            labels[i] = labels[r]  # r < i: labelled already
    return labels


@njit(inline="always")
def _root(parent, i):
    while parent[i] != i:
        parent[i] = parent[parent[i]]
        i = parent[i]
    return i
