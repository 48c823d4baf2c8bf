"""Greedy selection under the quotas: lazy (CELF) and plain, with identical picks.

Gains are integers (people covered, or people reached summed over samples), so comparisons are
exact and the lazy and plain versions make the same choices: both take the largest marginal
gain, ties to the lower seeded rank, among the candidates the quotas still allow. The lazy
version (Leskovec et al. 2007, "Cost-effective outbreak detection in networks", KDD) keeps
every candidate's last gain as an upper bound on its current one (valid because the objective
is submodular) and re-evaluates only the candidate on top of the heap; a candidate whose gain is
fresh for this round and still on top is the greedy choice.

References
----------
Leskovec, J., Krause, A., Guestrin, C., Faloutsos, C., VanBriesen, J., & Glance, N. (2007).
Cost-effective outbreak detection in networks. Proceedings of KDD '07, 420-429.
https://doi.org/10.1145/1281192.1281239
"""

from __future__ import annotations

import heapq
from collections.abc import Callable

import numpy as np

from alumni_net.experiments.recruitment._pool import Pool

__all__ = ["lazy_greedy", "plain_greedy"]


def lazy_greedy(pool: Pool, bounds: np.ndarray, gain: Callable[[int], int],
                commit: Callable[[int], object], *, fresh: bool = False) -> list[int]:
    """CELF: ``bounds`` are upper bounds on the first gains (exact when ``fresh``)."""
    first = 0 if fresh else -1
    heap = [(-int(b), int(pool.rank[i]), i, first) for i, b in enumerate(bounds)]
    heapq.heapify(heap)
    picks: list[int] = []
    while len(picks) < pool.k and heap:
        neg, rank, i, seen = heapq.heappop(heap)
        if not pool.plan.allows(i):
            continue  # the quotas never allow it again: later picks only remove completions
        if seen == len(picks):
            pool.plan.pick(i)
            commit(i)
            picks.append(i)
            continue
        heapq.heappush(heap, (-int(gain(i)), rank, i, len(picks)))
    return picks


def plain_greedy(pool: Pool, gains: Callable[[np.ndarray], np.ndarray],
                 commit: Callable[[int], object]) -> list[int]:
    """Every allowed candidate's gain re-evaluated every round (the reference for the lazy one)."""
    picks: list[int] = []
    left = np.ones(pool.n, dtype=bool)
    while len(picks) < pool.k:
        allowed = np.array([i for i in np.flatnonzero(left) if pool.plan.allows(int(i))],
                           dtype=np.int64)
        if not len(allowed):
            break
        g = np.asarray(gains(allowed), dtype=np.int64)
        best = np.lexsort((pool.rank[allowed], -g))[0]
        i = int(allowed[best])
        pool.plan.pick(i)
        commit(i)
        picks.append(i)
        left[i] = False
    return picks
