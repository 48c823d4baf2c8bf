"""Recruiting for influence at national scale: reverse-influence sampling (RIS) under quotas.

The objective is the influence strategy's (:mod:`.influence`): the expected number of people who
take the practice up within ``horizon_months`` through the recruits, beyond those the existing
alumni already bring in, in the simple-contagion core of the contagion model, on the same keyed
live-edge samples (:mod:`._live`: the engine's keyed draws fix each person's spell of practice,
each recruit's course coin and each arc's delay). CELF evaluates that objective forwards for a
pool of a few thousand candidates; RIS turns it around so that every person can be a candidate.

A *reverse-reachable (RR) set* is drawn by picking a person ``w`` uniformly and a live-edge
sample, and collecting every candidate who, recruited, would bring ``w`` into practice by the
horizon in that sample (a reverse shortest-time search from ``w``); when the existing alumni
already do, the set is empty (nobody can add ``w``). For any recruits ``S`` the expected extra
adopters are ``n x P(S meets the RR set)`` (Borgs, Brautbar, Chayes & Lucier 2014), so choosing
recruits is maximum coverage of RR sets: greedy under the quotas, exactly as the other strategies
honour them.

The guarantee (stated in the output by :meth:`RISSelection.statement`):

* On the sampled RR sets, greedy covers at least ``1 - 1/e`` of the most any cohort could cover
  without quotas (Nemhauser, Wolsey & Fisher 1978), and at least 1/2 under one kind of quota
  (sector shares alone, region shares alone, or places reserved for people who use services
  alone), each a partition matroid whose counts add up to the cohort (Fisher, Nemhauser &
  Wolsey 1978). With two kinds together every pick must leave the quotas completable, which is
  not a matroid intersection greedy can be bounded on, and no a priori share is claimed; the
  certified ratio below still holds, since its upper bound holds under any constraint.
* Sampling error is handled as IMM does (Tang, Shi & Xiao 2015): RR sets are added in doubling
  rounds until the sampled guarantee ``g - epsilon`` (``g`` the greedy factor above; 1/3 as a
  share sought where none is claimed) is
  certified, but the certificate is OPIM-C's (Tang, Tang, Xiao & Yuan 2018), checked on the data
  rather than taken from the worst case. The recruits are chosen on one collection of RR sets;
  an independent second collection gives a lower confidence bound on their expected spread, and
  the first an upper confidence bound on the best cohort's (the coverage bound
  ``F(S_i) + sum of the k largest marginal gains`` at every greedy step, valid under any quotas).
  Their ratio is the certified approximation: **with probability at least 1 - delta** (default
  ``delta = 1/n``, IMM's ``l = 1``) the recruits' expected spread is at least that fraction of
  the best cohort's under the quotas. Independent collections also avoid the flaw Chen (2018)
  found in IMM's martingale argument, where the RR sets that fix their own number are reused.
* IMM's worst-case number of RR sets for ``(1/2 - epsilon)`` with ``epsilon = 0.1`` on 3 million
  people and 24 recruits is about 10^9 when the best cohort reaches about 100 people; the
  data-dependent certificate usually needs a few million. When ``max_rr_sets`` is reached first,
  the ratio certified so far is reported (possibly below the target) and the output says so.

With ``replicates`` the RR sets are drawn from the influence strategy's own samples (the same
``replicates`` replicate keys from the same seed), so RIS and CELF maximise the very same
objective; without (the default), every RR set has a fresh replicate key, and RIS estimates the
model's expected spread itself.

References
----------
Borgs, C., Brautbar, M., Chayes, J., & Lucier, B. (2014). Maximizing social influence in nearly
optimal time. Proceedings of the ACM-SIAM Symposium on Discrete Algorithms (SODA '14),
946-957. https://doi.org/10.1137/1.9781611973402.70

Tang, Y., Xiao, X., & Shi, Y. (2014). Influence maximization: near-optimal time complexity meets
practical efficiency. Proceedings of SIGMOD '14, 75-86. https://doi.org/10.1145/2588555.2593670
(TIM and TIM+)

Tang, Y., Shi, Y., & Xiao, X. (2015). Influence maximization in near-linear time: a martingale
approach. Proceedings of SIGMOD '15, 1539-1554. https://doi.org/10.1145/2723372.2723734 (IMM)

Tang, J., Tang, X., Xiao, X., & Yuan, J. (2018). Online processing algorithms for influence
maximization. Proceedings of SIGMOD '18, 991-1005. https://doi.org/10.1145/3183713.3183749
(OPIM and OPIM-C)

Chen, W. (2018). An issue in the martingale analysis of the influence maximization algorithm IMM.
arXiv:1808.09363. https://arxiv.org/abs/1808.09363

Nemhauser, G. L., Wolsey, L. A., & Fisher, M. L. (1978). An analysis of approximations for
maximizing submodular set functions I. Mathematical Programming 14(1), 265-294.
https://doi.org/10.1007/BF01588971

Fisher, M. L., Nemhauser, G. L., & Wolsey, L. A. (1978). An analysis of approximations for
maximizing submodular set functions II. Mathematical Programming Studies 8, 73-87.
https://doi.org/10.1007/BFb0121195
"""

from __future__ import annotations

import copy
import dataclasses
import math
from collections.abc import Hashable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numba
import numpy as np

from alumni_net.core.rng import SeedLike, as_seed_sequence
from alumni_net.errors import ConfigError
from alumni_net.experiments.recruitment import _live
from alumni_net.experiments.recruitment._pool import Pool
from alumni_net.experiments.recruitment.registry import Request, Setting, Strategy

if TYPE_CHECKING:
    from alumni_net.abm import ContagionParams, NetworkSource
    from alumni_net.experiments.recruitment.influence import LiveEdgeSample

__all__ = [
    "STRATEGY", "ReverseSampler", "RISSelection", "greedy_factor", "pick_by_ris", "ris_selection",
]

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_FIRST_BATCH = 1 << 14


def greedy_factor(pool: Pool) -> float:
    """What greedy guarantees on the sampled coverage under the pool's quotas: ``1 - 1/e``
    without quotas, 1/2 under one kind (one partition matroid), 0 (no a priori bound) under
    two or more kinds together."""
    quotas = pool.plan.quotas
    kinds = sum((quotas.sector is not None, quotas.region is not None,
                 quotas.min_service_users > 0))
    return {0: 1.0 - 1.0 / math.e, 1: 0.5}.get(kinds, 0.0)


# The share sought (less epsilon) when greedy has no a priori bound: a stopping rule only, what
# holds is the certified ratio.
_SOUGHT_WITHOUT_BOUND = 1.0 / 3.0


class ReverseSampler:
    """Draws RR sets of the live-edge model on one network, from the engine's keyed draws.

    Parameters
    ----------
    data : Dataset, networkx graph, ContagionNetwork or LiveEdgeSample
        A :class:`~.influence.LiveEdgeSample` is used as it is: its materialised samples (its
        network, horizon, alumni and ``replicates`` samples); the other arguments must then be
        left out. Otherwise delays are computed on demand from the keyed draws, which needs no
        memory per sample and suits millions of people.
    params : ContagionParams, optional
    horizon_months : int
        Months of spread counted.
    influence : str
        Direction influence travels on directed ties.
    seed : SeedSequence, int or None
        Seed of the replicate keys (as :class:`~.influence.LiveEdgeSample` takes it).
    base : iterable of person ids
        Existing alumni: people they bring in are covered already.
    replicates : int, optional
        Draw from these many replicate keys, those of a ``LiveEdgeSample`` with the same seed
        (the same samples); None gives every RR set a fresh key.
    """

    def __init__(self, data: NetworkSource | LiveEdgeSample, *,
                 params: ContagionParams | None = None, horizon_months: int = 60,
                 influence: str = "target_to_source", seed: SeedLike = None,
                 base: Iterable[Hashable] = (), replicates: int | None = None) -> None:
        from alumni_net.experiments.recruitment.influence import LiveEdgeSample

        if isinstance(data, LiveEdgeSample):
            if params is not None or replicates is not None or tuple(base):
                raise ConfigError("a LiveEdgeSample carries its own parameters, samples and "
                                  "alumni: give it alone")
            self._from_sample(data)
            return
        from alumni_net.abm import ContagionParams, build_network

        p = ContagionParams() if params is None else params
        if isinstance(horizon_months, bool) or not isinstance(horizon_months, int) \
                or not 0 <= horizon_months <= 4095:
            raise ConfigError(f"horizon_months must be a whole number from 0 to 4,095, "
                              f"got {horizon_months!r}")
        if replicates is not None and (isinstance(replicates, bool)
                                       or not isinstance(replicates, int) or replicates < 1):
            raise ConfigError(f"replicates must be a whole number >= 1, got {replicates!r}")
        net = build_network(data, start=p.start, influence=influence)
        self.net, self.horizon = net, horizon_months
        self.base = _known(net, base)
        self.boosted = np.zeros(net.n, dtype=np.bool_)
        self.boosted[self.base] = True
        weights = np.array([p.weight_of(kind) for kind in net.kinds], dtype=float)
        arc_w = np.zeros(net.n_arcs)
        if len(net.entry_arc):
            np.maximum.at(arc_w, net.entry_arc, weights[net.entry_kind])
        with np.errstate(divide="ignore"):  # log1p(-1) = -inf: a sure coin
            self.log_plain = np.log1p(-np.minimum(1.0, p.beta * arc_w))
            self.log_boost = np.log1p(-np.minimum(1.0, p.beta * p.alum_boost * arc_w))
            self.log_decay = float(np.log1p(-p.decay))
        self.p_course = float(p.p_course)
        ss = as_seed_sequence(seed)
        fresh = np.random.SeedSequence(ss.entropy, spawn_key=ss.spawn_key)
        # the influence strategy's replicate keys, drawn exactly as LiveEdgeSample draws them
        self.keys = fresh.generate_state(replicates or 1, np.uint64)
        self.replicates = replicates
        self.root = np.random.SeedSequence(ss.entropy, spawn_key=(*ss.spawn_key, 0x5249)) \
            .generate_state(2, np.uint64)
        self.materialised = False
        self._samples = _EMPTY_SAMPLES

    def _from_sample(self, sample: LiveEdgeSample) -> None:
        net = sample.net
        self.net, self.horizon, self.base = net, sample.horizon, np.asarray(sample.base)
        self.boosted = np.zeros(net.n, dtype=np.bool_)
        self.boosted[self.base] = True
        self.replicates = sample.replicates
        self.keys = np.zeros(sample.replicates, dtype=np.uint64)
        self.root = np.random.SeedSequence(0x5249).generate_state(2, np.uint64)
        self.log_plain = self.log_boost = np.zeros(0)
        self.log_decay, self.p_course = 0.0, 0.0
        self.materialised = True
        self._samples = _reverse_samples(sample.ptr, sample.dst, sample.d_seed, sample.d_relay,
                                         sample.coin)

    @property
    def n(self) -> int:
        return self.net.n

    def vertices(self, ids: Iterable[Hashable]) -> np.ndarray:
        """Positions of person ids in the network (ConfigError naming an unknown id)."""
        ids = list(ids)
        found = self.net.id_index.get_indexer(ids) if ids else np.zeros(0, dtype=np.int64)
        if (found < 0).any():
            raise ConfigError(f"{ids[int(np.flatnonzero(found < 0)[0])]!r} is not in the network")
        return found.astype(np.int64)

    def rr_sets(self, collection: int, first: int, count: int,
                cand_of: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """RR sets ``first .. first + count - 1`` of a collection (0 or 1), as CSR rows of
        candidate numbers (``cand_of[v]``, -1 for people who cannot be recruited). Set ``j``
        depends only on the seed, the collection and ``j``: the same at any number of threads
        (the range is cut into fixed chunks, run on numba's threads count, joined in order)."""
        n_chunks = max(1, min(4 * numba.get_num_threads(), count // 1024 + 1))
        cuts = [first + count * c // n_chunks for c in range(n_chunks + 1)]
        args = (np.uint64(self.root[collection]), self.keys, np.int64(self.replicates or 0),
                self.net.rev_indptr, self.net.rev_src.astype(np.int64, copy=False),
                self.net.rev_arc.astype(np.int64, copy=False), self.log_plain, self.log_boost,
                self.log_decay, self.p_course, np.int64(self.horizon), self.boosted, cand_of,
                self.materialised, *self._samples)

        def run(c):
            return _rr_chunk(np.int64(cuts[c]), np.int64(cuts[c + 1]), *args)

        with ThreadPoolExecutor(max_workers=numba.get_num_threads()) as workers:
            parts = list(workers.map(run, range(n_chunks)))  # numba releases the GIL
        sizes = np.concatenate([p[0] for p in parts])
        ptr = np.zeros(count + 1, dtype=np.int64)
        np.cumsum(sizes, out=ptr[1:])
        return ptr, np.concatenate([p[1] for p in parts])


_EMPTY_SAMPLES = (np.zeros((1, 1), np.int64), np.zeros(0, np.int64), np.zeros(0, np.int16),
                  np.zeros(0, np.int16), np.zeros((1, 1), np.bool_))


def _known(net, ids) -> np.ndarray:
    ids = list(ids)
    found = net.id_index.get_indexer(ids) if ids else np.zeros(0, dtype=np.int64)
    return found[found >= 0].astype(np.int64)


@dataclass(frozen=True)
class RISSelection:
    """Recruits chosen by RIS and what is certified about them.

    ``picks`` are pool positions in pick order; ``estimate`` the expected extra adopters
    (unbiased, from the second collection); ``lower`` a lower confidence bound on it and
    ``optimum_upper`` an upper confidence bound on the best cohort's under the quotas; ``ratio``
    = lower / optimum_upper holds with probability at least ``1 - delta``; ``target`` the
    share sought (``factor - epsilon``); ``rr_sets`` per collection.
    """

    picks: list[int]
    estimate: float
    lower: float
    optimum_upper: float
    ratio: float
    delta: float
    factor: float
    target: float
    rr_sets: int
    capped: bool

    def statement(self) -> str:
        """One paragraph for the output: the guarantee with its probability and references."""
        reached = ("" if not self.capped else
                   f" (the target {self.target:.2f} was not certified within the RR sets "
                   "allowed; raise max_rr_sets for more)")
        return (
            f"Recruited by reverse-influence sampling on {self.rr_sets:,} + {self.rr_sets:,} "
            f"reverse-reachable sets: expected extra adopters {self.estimate:.1f} (lower "
            f"confidence bound {self.lower:.1f}). With probability at least "
            f"1 - {self.delta:.2g}, that is at least {self.ratio:.2f} of the best cohort"
            f"{'' if self.factor > 0.6 else ' meeting the quotas'} (whose spread is at most "
            f"{self.optimum_upper:.1f}){reached}. "
            f"{_FACTOR_TEXT[round(self.factor, 3)]}; "
            "the bounds on sampling error are OPIM-C's (Tang et al. 2018), in IMM's doubling "
            "rounds (Tang, Shi & Xiao 2015)."
        )


_FACTOR_TEXT = {
    round(1 - 1 / math.e, 3): "On the sampled sets greedy covers at least 1 - 1/e of the best "
                              "cohort without quotas (Nemhauser, Wolsey & Fisher 1978)",
    0.5: "On the sampled sets greedy covers at least 1/2 of the best cohort meeting one kind of "
         "quota, a partition matroid (Fisher, Nemhauser & Wolsey 1978)",
    0.0: "Under two kinds of quota together greedy has no a priori bound (each pick must leave "
         "the quotas completable); the share above is certified on the data",
}


def ris_selection(pool: Pool, sampler: ReverseSampler, *, epsilon: float = 0.1,
                  delta: float | None = None, max_rr_sets: int = 1 << 25) -> RISSelection:
    """Choose ``pool.k`` recruits by RIS (see the module docstring for the guarantee).

    Parameters
    ----------
    pool : the candidates, their quota cells and tie-break ranks.
    sampler : :class:`ReverseSampler`.
    epsilon : the certified ratio sought is the greedy factor less ``epsilon``.
    delta : failure probability of the certificate (default ``1 / n``).
    max_rr_sets : at most this many RR sets per collection.
    """
    n = sampler.n
    delta = 1.0 / max(n, 2) if delta is None else float(delta)
    if not 0.0 < delta < 1.0 or not 0.0 < epsilon < 1.0:
        raise ConfigError("delta and epsilon must be between 0 and 1")
    if isinstance(max_rr_sets, bool) or not isinstance(max_rr_sets, int) or max_rr_sets < 64:
        raise ConfigError(f"max_rr_sets must be a whole number >= 64, got {max_rr_sets!r}")
    cand_of = np.full(n, -1, dtype=np.int64)
    cand_of[sampler.vertices(pool.ids)] = np.arange(pool.n)
    factor = greedy_factor(pool)
    target = max((factor or _SOUGHT_WITHOUT_BOUND) - epsilon, 0.0)
    theta = min(_FIRST_BATCH, max_rr_sets)
    rounds = max(1, math.ceil(math.log2(max_rr_sets / theta)) + 1)
    # two bounds in each of at most `rounds` rounds share delta (union bound)
    a = math.log(2 * rounds / delta)
    sets = [_Collection(), _Collection()]
    while True:
        for c, coll in enumerate(sets):
            coll.extend(*sampler.rr_sets(c, coll.count, theta - coll.count, cand_of))
        # a fresh copy of the quota state each round: the greedy below picks into it
        picks, upper_cover = _greedy_cover(
            dataclasses.replace(pool, plan=copy.deepcopy(pool.plan)), sets[0])
        covered = sets[1].covered_by(picks, pool.n)
        lower = _lower_bound(covered, a) * n / theta
        upper = _upper_bound(upper_cover, a) * n / theta
        ratio = lower / upper if upper > 0 else 1.0
        if ratio >= target or theta >= max_rr_sets:
            break
        theta = min(2 * theta, max_rr_sets)
    return RISSelection(picks=picks, estimate=covered * n / theta, lower=lower,
                        optimum_upper=upper, ratio=min(ratio, 1.0), delta=delta, factor=factor,
                        target=target, rr_sets=theta, capped=ratio < target)


def pick_by_ris(pool: Pool, sample_or_graph: ReverseSampler | LiveEdgeSample | NetworkSource, *,
                epsilon: float = 0.1, delta: float | None = None, max_rr_sets: int = 1 << 25,
                **sampler_args: Any) -> list[int]:
    """Recruits chosen by RIS, as pool positions in pick order (like ``pick_by_influence``).

    ``sample_or_graph`` is a :class:`ReverseSampler`, a ``LiveEdgeSample`` (its own samples), or
    data for a new ``ReverseSampler`` built with ``sampler_args`` (``params``,
    ``horizon_months``, ``influence``, ``seed``, ``base``, ``replicates``).

    Examples
    --------
    >>> import networkx as nx
    >>> import pandas as pd
    >>> from alumni_net.abm import ContagionParams
    >>> from alumni_net.experiments.recruitment._pool import make_pool
    >>> G = nx.star_graph(5)
    >>> pool = make_pool(pd.DataFrame({"person_id": list(G)}), 1, None, None, (), 0)
    >>> p = ContagionParams(beta=1.0, decay=0.0, p_course=1.0)
    >>> [pool.ids[i] for i in pick_by_ris(pool, G, params=p, horizon_months=1, seed=0)]
    [0]
    """
    if isinstance(sample_or_graph, ReverseSampler):
        if sampler_args:
            raise ConfigError("give either a ReverseSampler or the arguments to build one")
        sampler = sample_or_graph
    else:
        sampler = ReverseSampler(sample_or_graph, **sampler_args)
    return ris_selection(pool, sampler, epsilon=epsilon, delta=delta,
                         max_rr_sets=max_rr_sets).picks


# --- the registration seam: ``ris`` in the strategy registry ----------------------------------


def _pick(pool: Pool, request: Request) -> list[int]:
    # The same seed key as the influence strategy's samples: with ``replicates`` set, RIS draws
    # from the very samples CELF would score on.
    sampler = ReverseSampler(request.graph, params=request.params,
                             horizon_months=request.horizon_months, influence=request.influence,
                             seed=request.child(2), base=request.trained,
                             replicates=request.settings["replicates"])
    return ris_selection(pool, sampler, epsilon=request.settings["epsilon"],
                         max_rr_sets=request.settings["max_rr_sets"]).picks


def _epsilon(name: str, value) -> float:
    from alumni_net.core.checks import check_number

    check_number(name, value, 0.01, 0.5)
    return float(value)


def _max_rr_sets(name: str, value) -> int:
    from alumni_net.core.checks import check_int

    check_int(name, value, 1 << 10, 1 << 31)
    return value


def _replicates(name: str, value) -> int | None:
    from alumni_net.core.checks import check_int

    if value is not None:
        check_int(name, value, 1, 10_000)
    return value


STRATEGY = Strategy(
    name="ris",
    description="by influence maximisation over every candidate (reverse-influence sampling, "
                "with a certified share of the best cohort meeting the quotas)",
    pick=_pick, rank=55, uses_model=True,
    settings={
        "epsilon": Setting(0.1, _epsilon, "the certified share sought is greedy's guarantee "
                           "under the quotas (1/2 for one set of quotas, 1/3 for sector and "
                           "region together, 1 - 1/e without) less epsilon (0.01 to 0.5)"),
        "max_rr_sets": Setting(1 << 25, _max_rr_sets, "at most this many reverse-reachable "
                               "sets per collection (1,024 to 2^31); the share certified within "
                               "them is what holds"),
        "replicates": Setting(None, _replicates, "draw from the influence strategy's "
                              "replicates live-edge samples (1 to 10,000); empty: a fresh "
                              "sample for every set"),
    },
    quick={"max_rr_sets": 1 << 16},
)


class _Collection:
    """RR sets as CSR rows of candidate numbers, grown batch by batch."""

    def __init__(self):
        self.ptr_parts: list[np.ndarray] = [np.zeros(1, dtype=np.int64)]
        self.member_parts: list[np.ndarray] = []
        self.count = 0
        self._joined = None

    def extend(self, ptr: np.ndarray, members: np.ndarray) -> None:
        offset = int(self.ptr_parts[-1][-1])
        self.ptr_parts.append(ptr[1:] + offset)
        self.member_parts.append(members)
        self.count += len(ptr) - 1
        self._joined = None

    def arrays(self) -> tuple[np.ndarray, np.ndarray]:
        if self._joined is None:
            members = (np.concatenate(self.member_parts) if self.member_parts
                       else np.zeros(0, dtype=np.int64))
            self._joined = (np.concatenate(self.ptr_parts), members)
        return self._joined

    def covered_by(self, picks: list[int], n_cand: int) -> int:
        ptr, members = self.arrays()
        chosen = np.zeros(n_cand, dtype=np.bool_)
        chosen[np.asarray(picks, dtype=np.int64)] = True
        return int(_count_covered(ptr, members, chosen))


def _greedy_cover(pool: Pool, coll: _Collection) -> tuple[list[int], int]:
    """Greedy maximum coverage under the quotas (largest gain, ties to the lower seeded rank),
    and the smallest upper bound on the best cohort's coverage met on the way."""
    ptr, members = coll.arrays()
    n_sets = len(ptr) - 1
    set_of = np.repeat(np.arange(n_sets, dtype=np.int64), np.diff(ptr))
    order = np.argsort(members, kind="stable")
    inv_ptr = np.zeros(pool.n + 1, dtype=np.int64)
    np.cumsum(np.bincount(members, minlength=pool.n), out=inv_ptr[1:])
    inv_sets = set_of[order]
    gains = np.diff(inv_ptr).astype(np.int64)
    covered = np.zeros(n_sets, dtype=np.bool_)
    rank = pool.rank.astype(np.int64)
    alive = np.ones(pool.n, dtype=np.bool_)
    plan, k = pool.plan, pool.k
    picks: list[int] = []
    total, upper = 0, None
    while True:
        bound = total + _top_sum(gains, k)
        upper = bound if upper is None else min(upper, bound)
        if len(picks) >= k:
            break
        i = int(_best(gains, rank, alive))
        if i < 0:
            break
        if not plan.allows(i):
            alive[plan.cell == plan.cell[i]] = False  # a cell ruled out stays ruled out
            continue
        plan.pick(i)
        picks.append(i)
        alive[i] = False
        total += int(_commit(i, inv_ptr, inv_sets, ptr, members, covered, gains))
    return picks, int(upper)


def _top_sum(gains: np.ndarray, k: int) -> int:
    if k <= 0 or not len(gains):
        return 0
    if k >= len(gains):
        return int(gains.sum())
    return int(np.partition(gains, len(gains) - k)[len(gains) - k:].sum())


def _lower_bound(covered: int, a: float) -> float:
    """OPIM-C's lower confidence bound on a coverage count (Tang et al. 2018, Lemma 4.2)."""
    root = math.sqrt(covered + 2 * a / 9) - math.sqrt(a / 2)
    return max(root * root - a / 18, 0.0)


def _upper_bound(cover: int, a: float) -> float:
    """OPIM-C's upper confidence bound on a coverage count (Tang et al. 2018, Lemma 4.3)."""
    root = math.sqrt(cover + a / 2) + math.sqrt(a / 2)
    return root * root


@numba.njit(cache=True)
def _best(gains, rank, alive):
    """The alive candidate with the largest gain, ties to the lowest rank; -1 when none."""
    best, best_gain, best_rank = -1, -1, 0
    for i in range(gains.shape[0]):
        if not alive[i]:
            continue
        g = gains[i]
        if g > best_gain or (g == best_gain and rank[i] < best_rank):
            best, best_gain, best_rank = i, g, rank[i]
    return best


@numba.njit(cache=True)
def _commit(i, inv_ptr, inv_sets, ptr, members, covered, gains):
    """Cover the sets of candidate ``i``; every member of a newly covered set loses one gain."""
    added = 0
    for q in range(inv_ptr[i], inv_ptr[i + 1]):
        s = inv_sets[q]
        if covered[s]:
            continue
        covered[s] = True
        added += 1
        for r in range(ptr[s], ptr[s + 1]):
            gains[members[r]] -= 1
    return added


@numba.njit(cache=True, parallel=True)
def _count_covered(ptr, members, chosen):
    n_sets = ptr.shape[0] - 1
    hit = np.zeros(n_sets, dtype=np.bool_)
    for s in numba.prange(n_sets):
        for r in range(ptr[s], ptr[s + 1]):
            if chosen[members[r]]:
                hit[s] = True
                break
    return hit.sum()


@numba.njit(cache=True, inline="always")
def _mix(x):
    """splitmix64: RR set ``j``'s target and replicate key from the collection's root."""
    x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


@numba.njit(cache=True, inline="always")
def _unit(x):
    return float(np.int64(x >> np.uint64(11))) * (1.0 / 9007199254740992.0)


@numba.njit(cache=True, nogil=True)
def _rr_chunk(lo, hi, root, keys, n_keys, rev_ptr, rev_src, rev_arc, log_plain, log_boost,
              log_decay, p_course, horizon, boosted, cand_of, materialised, s_ptr, s_src,
              s_seed, s_relay, s_coin):
    """RR sets ``lo .. hi - 1``: their sizes and members, in order. Set ``j`` uses the target
    and replicate key hashed from (``root``, ``j``)."""
    n = rev_ptr.shape[0] - 1
    sizes = np.zeros(hi - lo, dtype=np.int64)
    dist = np.zeros(n, dtype=np.int64)
    mark = np.zeros(n, dtype=np.int64)
    tried = np.zeros(n, dtype=np.int64)
    heap = np.empty(16, dtype=np.int64)
    out = np.empty(64, dtype=np.int64)
    used = 0
    for j in range(lo, hi):
        h = _mix(root + np.uint64(j + 1) * _GOLDEN)
        w = min(int(_unit(h) * n), n - 1)
        h2 = _mix(h ^ _GOLDEN)
        r = min(int(_unit(h2) * n_keys), n_keys - 1) if n_keys > 0 else 0
        key = h2 if n_keys == 0 else keys[r] if not materialised else np.uint64(0)
        start = used
        used, heap, out = _reverse_search(
            w, key, r, j - lo + 1, rev_ptr, rev_src, rev_arc, log_plain, log_boost, log_decay,
            p_course, horizon, boosted, cand_of, materialised, s_ptr, s_src, s_seed, s_relay,
            s_coin, dist, mark, tried, heap, out, used)
        sizes[j - lo] = used - start
    return sizes, out[:used].copy()


@numba.njit(cache=True)
def _coin(materialised, s_coin, r, key, v, p_course):
    if materialised:
        return s_coin[r, v]
    return _live.uniform(key, _live.S_COURSE, v, 0) < p_course


@numba.njit(cache=True)
def _reverse_search(w, key, r, stamp, rev_ptr, rev_src, rev_arc, log_plain, log_boost, log_decay,
                    p_course, horizon, boosted, cand_of, materialised, s_ptr, s_src, s_seed,
                    s_relay, s_coin, dist, mark, tried, heap, out, used):
    """Append to ``out`` the candidates who, recruited, bring ``w`` into practice by the horizon
    in sample ``r`` (or the sample of ``key``); append nothing when the alumni already do.

    Reverse Dijkstra on relay delays from ``w`` gives ``g(x)``, the months from x practising to
    w practising; a person ``y`` reaches ``w`` as a recruit when some arc y -> x has its
    recruit's (boosted) delay + ``g(x)`` within the horizon and y's course coin comes up.
    """
    inf = np.int64(1) << 40
    start = used
    if _coin(materialised, s_coin, r, key, w, p_course):
        if boosted[w]:
            return used, heap, out  # an alum: practising from the start
        if cand_of[w] >= 0:
            used, out = _append(out, used, cand_of[w])
            tried[w] = stamp
    mark[w] = stamp
    dist[w] = 0
    heap[0] = np.int64(w)
    size = 1
    while size > 0:
        top, size = _pop(heap, size)
        t = top >> 32
        x = top & 0xFFFFFFFF
        if t > dist[x]:
            continue
        if materialised:
            lo, hi = s_ptr[r, x], s_ptr[r, x + 1]
        else:
            lo, hi = rev_ptr[x], rev_ptr[x + 1]
        for q in range(lo, hi):
            if materialised:
                y = s_src[q]
                db = np.int64(s_seed[q])
                dp = np.int64(s_relay[q])
            else:
                y = rev_src[q]
                e = rev_arc[q]
                spell = min(_live._delay(_live.uniform(key, _live.S_LAPSE, y, 0), log_decay,
                                         horizon), horizon)
                u = _live.uniform(key, _live.S_SPREAD, e, 0)
                db = _live._delay(u, log_boost[e], horizon)
                dp = db if boosted[y] else _live._delay(u, log_plain[e], horizon)
                db = db if db <= spell else inf
                dp = dp if dp <= spell else inf
            if db + t <= horizon and tried[y] != stamp:
                tried[y] = stamp
                if _coin(materialised, s_coin, r, key, y, p_course):
                    if boosted[y]:
                        return start, heap, out  # the alumni bring w in: covered already
                    if cand_of[y] >= 0:
                        used, out = _append(out, used, cand_of[y])
            nt = t + dp
            if nt <= horizon - 1 and (mark[y] != stamp or nt < dist[y]):
                mark[y] = stamp
                dist[y] = nt
                if size == heap.shape[0]:
                    bigger = np.empty(2 * size, dtype=np.int64)
                    bigger[:size] = heap
                    heap = bigger
                size = _push(heap, size, (nt << 32) | y)
    return used, heap, out


@numba.njit(cache=True, inline="always")
def _append(out, used, value):
    if used == out.shape[0]:
        bigger = np.empty(2 * used, dtype=np.int64)
        bigger[:used] = out
        out = bigger
    out[used] = value
    return used + 1, out


# The binary heap of the lazy greedy is the live-edge sampler's own (same folder).
_push, _pop = _live._push, _live._pop


def _reverse_samples(ptr, dst, d_seed, d_relay, coin):
    """A LiveEdgeSample's live arcs reversed, sample by sample: rows of senders into each
    person with the arc's delays (recruit's and relay's)."""
    r_ptr, r_src, r_seed, r_relay = _transpose_samples(ptr, dst.astype(np.int64), d_seed, d_relay)
    return r_ptr, r_src, r_seed, r_relay, coin


@numba.njit(cache=True)
def _transpose_samples(ptr, dst, d_seed, d_relay):
    n_samples, n1 = ptr.shape
    n = n1 - 1
    r_ptr = np.zeros((n_samples, n + 1), dtype=np.int64)
    r_src = np.empty(dst.shape[0], dtype=np.int64)
    r_seed = np.empty(dst.shape[0], dtype=np.int16)
    r_relay = np.empty(dst.shape[0], dtype=np.int16)
    base = 0
    for r in range(n_samples):
        counts = np.zeros(n + 1, dtype=np.int64)
        for q in range(ptr[r, 0], ptr[r, n]):
            counts[dst[q] + 1] += 1
        for v in range(n):
            counts[v + 1] += counts[v]
        pos = counts[:n].copy() + base
        for v in range(n + 1):
            r_ptr[r, v] = counts[v] + base
        for v in range(n):
            for q in range(ptr[r, v], ptr[r, v + 1]):
                x = dst[q]
                r_src[pos[x]] = v
                r_seed[pos[x]] = d_seed[q]
                r_relay[pos[x]] = d_relay[q]
                pos[x] += 1
        base += counts[n]
    return r_ptr, r_src, r_seed, r_relay
