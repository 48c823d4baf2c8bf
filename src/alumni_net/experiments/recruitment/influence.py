"""Greedy influence maximisation by simulated spread, with common random numbers.

The objective is the expected number of people who take the practice up within
``horizon_months`` through the recruits, beyond those existing alumni already bring in, in the
simple-contagion core of the contagion model: recruits take the practice up at graduation with
probability ``p_course``; a practising person passes it along each tie with monthly probability
``beta x tie weight`` (``x alum_boost`` from alumni and recruits) until they lapse (monthly
probability ``decay``). That is an independent cascade over time, and it is estimated on
``replicates`` live-edge samples (see :mod:`._live`) drawn once from the engine's keyed random
numbers: every candidate set is scored on the same samples (common random numbers), so the
estimate is exactly monotone and submodular, lazy (CELF) and plain greedy pick the same people,
and greedy is within (1 - 1/e) of the best set on the samples (Kempe, Kleinberg & Tardos 2003).
Readoption after lapsing, background adoption, complex-contagion thresholds, action-learning-set
reinforcement, top-ups and the ties a cohort forms among its own members are left out of the
objective (the scenario simulations that compare strategies include them all): under complex
contagion the strategy is a heuristic.

References
----------
Kempe, D., Kleinberg, J., & Tardos, E. (2003). Maximizing the spread of influence through a
social network. Proceedings of KDD '03, 137-146. https://doi.org/10.1145/956750.956769
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from typing import TYPE_CHECKING

import numba
import numpy as np

from alumni_net.core.rng import SeedLike, as_seed_sequence
from alumni_net.errors import ConfigError
from alumni_net.experiments.recruitment import _live
from alumni_net.experiments.recruitment._greedy import lazy_greedy, plain_greedy
from alumni_net.experiments.recruitment._pool import Pool
from alumni_net.experiments.recruitment.coverage import REACHES_NO_ONE_NEW
from alumni_net.experiments.recruitment.registry import Request, Setting, Strategy

if TYPE_CHECKING:
    from alumni_net.abm import ContagionParams, NetworkSource

__all__ = ["STRATEGY", "LiveEdgeSample", "pick_by_influence"]


class LiveEdgeSample:
    """``replicates`` live-edge samples of the contagion model on one network.

    Parameters
    ----------
    data : Dataset, networkx graph or ContagionNetwork
    params : ContagionParams, optional
    replicates : int
        Number of samples (common random numbers for every seed set).
    horizon_months : int
        Months of spread counted.
    influence : str
        Direction influence travels on directed ties.
    seed : SeedSequence
        Seed of the samples (one replicate key each).
    base : iterable of person ids
        Existing alumni: boosted senders whose reach counts as already covered.

    Examples
    --------
    >>> import networkx as nx
    >>> from alumni_net.abm import ContagionParams
    >>> p = ContagionParams(beta=1.0, decay=1.0, p_course=1.0)
    >>> sample = LiveEdgeSample(nx.path_graph(4), params=p, replicates=3, horizon_months=2,
    ...                         seed=np.random.SeedSequence(0))
    >>> sample.spread([0]), sample.spread([1])
    (3.0, 4.0)
    """

    def __init__(self, data: NetworkSource, *, params: ContagionParams | None = None,
                 replicates: int = 100, horizon_months: int = 60,
                 influence: str = "target_to_source", seed: SeedLike = None,
                 base: Iterable[Hashable] = ()) -> None:
        from alumni_net.abm import ContagionParams, build_network, rules

        p = ContagionParams() if params is None else params
        if isinstance(replicates, bool) or not isinstance(replicates, int) or replicates < 1:
            raise ConfigError(f"replicates must be a whole number >= 1, got {replicates!r}")
        if isinstance(horizon_months, bool) or not isinstance(horizon_months, int) \
                or not 0 <= horizon_months <= 4095:
            raise ConfigError(f"horizon_months must be a whole number from 0 to 4,095, "
                              f"got {horizon_months!r}")
        net = build_network(data, start=p.start, influence=influence)
        self.net, self.horizon, self.replicates = net, horizon_months, replicates
        weights = np.array([p.weight_of(kind) for kind in net.kinds], dtype=float)
        arc_w = np.zeros(net.n_arcs)
        if len(net.entry_arc):
            np.maximum.at(arc_w, net.entry_arc, weights[net.entry_kind])
        p_plain = rules.transmission_probability(p.beta, arc_w, 1.0, 1.0)
        p_boost = rules.transmission_probability(p.beta, arc_w, p.alum_boost, 1.0)
        self.base = self.vertices(base, known_only=True)
        boosted = np.zeros(net.n, dtype=np.bool_)
        boosted[self.base] = True
        ss = as_seed_sequence(seed)
        # a copy: generating from the caller's SeedSequence must not depend on its past use
        keys = np.random.SeedSequence(ss.entropy, spawn_key=ss.spawn_key).generate_state(
            replicates, np.uint64)
        indptr, indices = net.indptr, net.indices.astype(np.int64)
        with np.errstate(divide="ignore"):  # log1p(-1) = -inf: a sure coin
            args = (indptr, indices, np.log1p(-p_plain), np.log1p(-p_boost), boosted, keys,
                    float(np.log1p(-p.decay)))
        counts = _live.count_live(*args, horizon_months)
        offsets = np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(np.int64)
        total = int(counts.sum())
        self.ptr = np.zeros((replicates, net.n + 1), dtype=np.int64)
        self.dst = np.empty(total, dtype=np.int32)
        self.d_seed = np.empty(total, dtype=np.int16)
        self.d_relay = np.empty(total, dtype=np.int16)
        self.coin = np.zeros((replicates, net.n), dtype=np.bool_)
        _live.fill_live(*args, float(p.p_course), horizon_months, offsets, self.ptr, self.dst,
                        self.d_seed, self.d_relay, self.coin)
        self.heap_cap = int(counts.max(initial=0)) + 1
        self.chunks = 4 * numba.get_num_threads()
        # scratch of the serial kernel, reused between calls (stamps avoid clearing ``mark``)
        self._dist = np.empty(net.n, dtype=np.int64)
        self._mark = np.zeros(net.n, dtype=np.int64)
        self._stamp = np.zeros(1, dtype=np.int64)
        self._heap = np.empty(self.heap_cap, dtype=np.int64)
        self.arrive = np.full((replicates, net.n), _live.INF, dtype=np.int16)
        for v in self.base:
            self._run(int(v), True)
        self._base_arrive = self.arrive.copy()

    def vertices(self, ids: Iterable[Hashable], *, known_only: bool = False) -> np.ndarray:
        """Positions of person ids in the network (ConfigError naming an unknown id)."""
        ids = list(ids)
        found = self.net.id_index.get_indexer(ids) if ids else np.zeros(0, dtype=np.int64)
        if known_only:
            return found[found >= 0].astype(np.int64)
        if (found < 0).any():
            raise ConfigError(f"{ids[int(np.flatnonzero(found < 0)[0])]!r} is not in the network")
        return found.astype(np.int64)

    def _run(self, v: int, commit: bool) -> int:
        return int(_live.gain_one(v, self.ptr, self.dst, self.d_seed, self.d_relay, self.coin,
                                  self.arrive, self.horizon, self._dist, self._mark,
                                  self._stamp, self._heap, commit))

    def gain(self, v: int) -> int:
        """People ``v`` adds, summed over the samples, to the seeds added so far."""
        return self._run(v, False)

    def gains(self, vs: np.ndarray) -> np.ndarray:
        """Gains of many candidates (in parallel when there is enough work to share)."""
        vs = np.asarray(vs, dtype=np.int64)
        if len(vs) * self.replicates < 20_000:
            return np.array([self.gain(int(v)) for v in vs], dtype=np.int64)
        return _live.gains_many(np.asarray(vs, dtype=np.int64), self.ptr, self.dst, self.d_seed,
                                self.d_relay, self.coin, self.arrive, self.horizon,
                                self.heap_cap, self.chunks)

    def add(self, v: int) -> int:
        return self._run(v, True)

    def reset(self) -> None:
        """Back to the existing alumni only."""
        self.arrive[:] = self._base_arrive

    def per_sample(self, ids: Iterable[Hashable]) -> np.ndarray:
        """Extra people practising by the horizon in each sample with ``ids`` as the recruits."""
        saved = self.arrive.copy()
        self.reset()
        for v in self.vertices(ids):
            self.add(int(v))
        out = (self.arrive <= self.horizon).sum(axis=1) - (self._base_arrive <= self.horizon).sum(
            axis=1)
        self.arrive[:] = saved
        return out.astype(np.int64)

    def spread(self, ids: Iterable[Hashable]) -> float:
        """Expected extra people practising by the horizon with ``ids`` as the recruits."""
        return float(self.per_sample(ids).mean())


def pick_by_influence(pool: Pool, sample: LiveEdgeSample, *, lazy: bool = True) -> list[int]:
    """Greedy seed choice on ``sample``: lazy (CELF, the default) or plain.

    References
    ----------
    Kempe, D., Kleinberg, J., & Tardos, E. (2003). Maximizing the spread of influence through a
    social network. Proceedings of KDD '03, 137-146. https://doi.org/10.1145/956750.956769

    Leskovec, J., Krause, A., Guestrin, C., Faloutsos, C., VanBriesen, J., & Glance, N. (2007).
    Cost-effective outbreak detection in networks. Proceedings of KDD '07, 420-429.
    https://doi.org/10.1145/1281192.1281239
    """
    vertices = sample.vertices(pool.ids)
    sample.reset()
    if lazy:
        # The first round is evaluated in full, in parallel: exact gains, fresh for round 0.
        first = sample.gains(vertices)
        return lazy_greedy(pool, first, lambda i: sample.gain(int(vertices[i])),
                           lambda i: sample.add(int(vertices[i])), fresh=True)
    return plain_greedy(pool, lambda idx: sample.gains(vertices[idx]),
                        lambda i: sample.add(int(vertices[i])))


# --- the registration seam: ``influence`` in the strategy registry ---------------------------


def _pick(pool: Pool, request: Request) -> list[int]:
    sample = LiveEdgeSample(request.graph, params=request.params,
                            replicates=request.settings["replicates"],
                            horizon_months=request.horizon_months, influence=request.influence,
                            seed=request.child(2), base=request.trained)
    return pick_by_influence(pool, sample, lazy=request.lazy)


def _replicates(name: str, value) -> int:
    from alumni_net.core.checks import check_int

    check_int(name, value, 1, 10_000)
    return value


STRATEGY = Strategy(
    name="influence", description="by greedy influence maximisation", pick=_pick, rank=50,
    uses_model=True, exhaustion=REACHES_NO_ONE_NEW,
    settings={"replicates": Setting(100, _replicates, "live-edge samples of the model every "
                                    "candidate cohort is scored on (1 to 10,000)")},
    quick={"replicates": 20},
)
