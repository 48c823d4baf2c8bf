"""``reach``: greatest marginal three-degree reach, by greedy maximum coverage on exact reach sets.

The objective is the number of people within ``max_dist`` steps (in the direction influence
travels) of at least one recruit, the recruits included, beyond the people existing alumni
already reach: a coverage function, so greedy choice is within (1 - 1/e) of the best cohort
without quotas (Nemhauser, Wolsey & Fisher 1978). The first upper bounds are each candidate's
own reach from the bit-parallel search of :func:`alumni_net.metrics.reach_by_distance`; the
lazy greedy then re-evaluates a candidate by one bounded breadth-first search that counts the
people in its ball not yet covered. Sets are exact: no sketches.

References
----------
Nemhauser, G. L., Wolsey, L. A., & Fisher, M. L. (1978). An analysis of approximations for
maximizing submodular set functions I. Mathematical Programming 14(1), 265-294.
https://doi.org/10.1007/BF01588971
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from typing import TYPE_CHECKING

import numpy as np
from numba import njit

from alumni_net.experiments.recruitment._greedy import lazy_greedy, plain_greedy
from alumni_net.experiments.recruitment._pool import Pool
from alumni_net.experiments.recruitment.registry import Exhaustion, Request, Strategy
from alumni_net.vocabulary import Influence

if TYPE_CHECKING:
    import igraph as ig
    import networkx as nx

    from alumni_net.graph import IGraph
    from alumni_net.io import Dataset

__all__ = ["REACHES_NO_ONE_NEW", "STRATEGY", "Coverage", "pick_by_reach"]


@njit(cache=True)
def _ball(indptr, indices, v, max_dist, covered, mark, stamp, queue, commit):
    """People within ``max_dist`` of ``v`` (v included) not yet covered; mark them when
    ``commit``. ``mark``/``stamp`` avoid clearing the visited array between searches."""
    mark[v] = stamp
    queue[0] = v
    head, tail, level_end, level = 0, 1, 1, 0
    count = 0
    while head < tail:
        if head == level_end:
            level += 1
            level_end = tail
        u = queue[head]
        head += 1
        if not covered[u]:
            count += 1
            if commit:
                covered[u] = True
        if level == max_dist:
            continue
        for e in range(indptr[u], indptr[u + 1]):
            w = indices[e]
            if mark[w] != stamp:
                mark[w] = stamp
                queue[tail] = w
                tail += 1
    return count


class Coverage:
    """Covered people of a growing set of sources on one push adjacency."""

    def __init__(self, push: tuple[np.ndarray, np.ndarray], max_dist: int = 3,
                 base: Iterable[int] = ()) -> None:
        self.indptr, self.indices = push
        n = len(self.indptr) - 1
        self.max_dist = max_dist
        self.covered = np.zeros(n, dtype=np.bool_)
        self.mark = np.zeros(n, dtype=np.int64)
        self.queue = np.empty(max(n, 1), dtype=np.int64)
        self.stamp = 0
        for v in base:
            self.add(int(v))

    def gain(self, v: int) -> int:
        self.stamp += 1
        return int(_ball(self.indptr, self.indices, v, self.max_dist, self.covered, self.mark,
                         self.stamp, self.queue, False))

    def add(self, v: int) -> int:
        self.stamp += 1
        return int(_ball(self.indptr, self.indices, v, self.max_dist, self.covered, self.mark,
                         self.stamp, self.queue, True))

    @property
    def size(self) -> int:
        return int(self.covered.sum())


def pick_by_reach(pool: Pool, graph: nx.Graph | ig.Graph | IGraph,
                  base_ids: Iterable[Hashable], influence: Influence, *, max_dist: int = 3,
                  lazy: bool = True) -> list[int]:
    """Greedy maximum coverage of the ``max_dist``-step reach sets (lazy or plain)."""
    from alumni_net.metrics import reach_by_distance, reach_index

    index = reach_index(graph, influence=influence)
    vertices = index.vertices(pool.ids)
    known = set(index.ids.tolist())
    base = index.vertices([b for b in base_ids if b in known])
    cover = Coverage(index.push, max_dist, base)

    def take(i: int) -> None:
        cover.add(int(vertices[i]))

    if lazy:
        own = reach_by_distance(index, pool.ids, max_dist=max_dist)
        bounds = own[f"reach_within_{max_dist}"].to_numpy(dtype=np.int64) + 1
        return lazy_greedy(pool, bounds, lambda i: cover.gain(int(vertices[i])), take)
    return plain_greedy(pool, lambda idx: np.array([cover.gain(int(vertices[i])) for i in idx]),
                        take)


def _pick(pool: Pool, request: Request) -> list[int]:
    return pick_by_reach(pool, _search_graph(request.graph), request.trained, request.influence,
                         lazy=request.lazy)


def _search_graph(graph: nx.Graph | Dataset) -> nx.Graph | IGraph:
    """What the reach searches accept: networkx graphs as they are, Datasets as igraph."""
    if hasattr(graph, "people") and hasattr(graph, "ties"):
        from alumni_net.graph import to_igraph

        return to_igraph(graph)
    return graph


def _reaches_no_one_new(picks: list, request: Request, max_dist: int = 3) -> np.ndarray:
    """Picks whose ``max_dist``-step ball holds no one, besides themselves, not already reached
    by the people trained (``request.trained``) or an earlier pick."""
    from alumni_net.metrics import reach_index

    index = reach_index(_search_graph(request.graph), influence=request.influence)
    known = set(index.ids.tolist())
    cover = Coverage(index.push, max_dist, index.vertices([t for t in request.trained
                                                           if t in known]))
    out = []
    for v in index.vertices(picks):
        own = 0 if cover.covered[v] else 1  # the pick counts in its own ball
        out.append(cover.add(int(v)) - own == 0)
    return np.array(out, dtype=bool)


#: Picks that add nothing to a strategy of spread: no one within three steps not yet reached.
REACHES_NO_ONE_NEW = Exhaustion("reach no one within three steps who is not already reached",
                                _reaches_no_one_new)

STRATEGY = Strategy(name="reach", description="for the greatest three-degree reach", pick=_pick,
                    rank=40, exhaustion=REACHES_NO_ONE_NEW)
