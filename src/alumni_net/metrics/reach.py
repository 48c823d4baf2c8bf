"""How many people alumni can reach within 1, 2 and 3 degrees: individually, together, over time.

Distances follow the direction influence travels. Nomination data say "source named target", so
advice and influence flow from the named person to the one who named them: by default an alum
reaches the people who named them, the people who named those, and so on
(``influence="target_to_source"``). ``"source_to_target"`` follows the arrows and ``"both"``
ignores direction. Undirected data ignore the parameter.

Exact counts come from a bit-parallel multi-source breadth-first search (numba): ``64 * W``
searches advance together, each vertex they share expanded once (see ``_bitbfs``).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass

import numba
import numpy as np
import pandas as pd

from alumni_net.core.convert import plain
from alumni_net.core.progress import progress
from alumni_net.errors import ConfigError
from alumni_net.graph import cached_rows
from alumni_net.metrics._bitbfs import push_level_counts, two_nearest_labels
from alumni_net.metrics._graphs import GraphLike, Influence, as_igraph, push_csr, transpose_csr

__all__ = [
    "CHRISTAKIS_FOWLER_EFFECTS",
    "ReachIndex",
    "cohort_reach",
    "marginal_reach",
    "reach_by_distance",
    "reach_index",
    "reach_overlap",
    "union_reach",
]

#: Effect of a contact's happiness on one's own at 1, 2 and 3 degrees of separation, as increases
#: in probability (Fowler & Christakis 2008, BMJ 337:a2338: about 15%, 10% and 6%). They are the
#: default weights of decay-weighted reach; pass ``effects=`` to use others (beyond the last
#: weight given, people count zero).
CHRISTAKIS_FOWLER_EFFECTS: tuple[float, ...] = (0.15, 0.10, 0.06)

# Working memory of the searches (three n x W uint64 arrays per thread); larger graphs get fewer
# sources per sweep rather than more memory.
_BATCH_BYTES = 1536 * 2**20


@dataclass(frozen=True)
class ReachIndex:
    """A graph prepared once for many reach queries: id map and adjacency rows.

    ``push`` rows list whom each person influences directly, ``pull`` rows who influences them,
    in the direction fixed by ``influence``. Every reach function accepts one in place of a
    graph (its own ``influence`` then applies), which saves converting a large graph each time.
    """

    ids: np.ndarray
    push: tuple[np.ndarray, np.ndarray]
    pull: tuple[np.ndarray, np.ndarray]
    influence: str
    _index: pd.Index

    @property
    def n(self) -> int:
        return len(self.ids)

    def vertices(self, people: Iterable[Hashable]) -> np.ndarray:
        """Vertex numbers of person ids (ConfigError naming an unknown id)."""
        people = list(people)
        found = self._index.get_indexer(pd.Index(people, dtype=object))
        if (found < 0).any():
            first = people[int(np.flatnonzero(found < 0)[0])]
            raise ConfigError(
                f"{int((found < 0).sum())} source id(s) are not in the network, e.g. {first!r}"
            )
        return found.astype(np.int64)


def reach_index(
    G: GraphLike | ReachIndex, *, influence: Influence = "target_to_source"
) -> ReachIndex:
    """Prepare ``G`` for reach queries (a :class:`ReachIndex` is returned as is).

    Examples
    --------
    >>> import networkx as nx
    >>> index = reach_index(nx.path_graph(3))
    >>> union_reach(index, [0])["reach_within_2"]
    2
    """
    if isinstance(G, ReachIndex):
        return G
    graph = as_igraph(G)
    g = graph.graph
    push = push_csr(g, influence)  # cached on the graph: later calls skip the conversion
    pull = push
    if g.is_directed():
        pull = cached_rows(g, ("pull", influence), lambda: transpose_csr(*push))
    # Object dtype, as the queries in ``vertices`` are: an index of another dtype (pandas makes
    # text ids Arrow strings) is converted again for every query, 0.5 s each at 3 million.
    return ReachIndex(graph.ids, push, pull, influence, pd.Index(graph.ids, dtype=object))


def reach_by_distance(
    G: GraphLike | ReachIndex,
    sources: Sequence | np.ndarray | None = None,
    *,
    max_dist: int = 3,
    influence: Influence = "target_to_source",
    effects: Sequence[float] = CHRISTAKIS_FOWLER_EFFECTS,
) -> pd.DataFrame:
    """Number of people each source first reaches at exactly 1, 2, ... ``max_dist`` steps.

    Parameters
    ----------
    G : networkx graph, IGraph, igraph.Graph or :class:`ReachIndex`
    sources : person ids (default: everyone).
    max_dist : largest distance counted.
    influence : direction influence travels on directed ties (see the module docstring).
    effects : weight of a person first reached at distance 1, 2, ... for ``decay_weighted_reach``.

    Returns
    -------
    DataFrame, one row per source: ``person_id``, ``reach_1`` .. ``reach_D`` (exactly at d),
    ``reach_within_1`` .. ``reach_within_D`` (cumulative, the source itself not counted) and
    ``decay_weighted_reach`` (sum over d of ``effects[d-1] * reach_d``).

    References
    ----------
    Fowler, J. H., & Christakis, N. A. (2008). Dynamic spread of happiness in a large social
    network: longitudinal analysis over 20 years in the Framingham Heart Study. BMJ 337, a2338.
    https://doi.org/10.1136/bmj.a2338

    Then, M., Kaufmann, M., Chirigati, F., Hoang-Vu, T.-A., Pham, K., Kemper, A., Neumann, T., &
    Vo, H. T. (2014). The more the merrier: efficient multi-source graph traversal. Proceedings of
    the VLDB Endowment 8(4), 449-460. https://doi.org/10.14778/2735496.2735507

    Examples
    --------
    >>> import networkx as nx
    >>> table = reach_by_distance(nx.path_graph(4), [0, 1], effects=(1.0, 0.5, 0.25))
    >>> table[["person_id", "reach_1", "reach_2", "reach_within_3"]].to_numpy().tolist()
    [[0, 1, 1, 3], [1, 2, 1, 3]]
    >>> table["decay_weighted_reach"].tolist()
    [1.75, 2.5]
    """
    graph = reach_index(G, influence=influence)
    _check_max_dist(max_dist)
    vertices = np.arange(graph.n) if sources is None else graph.vertices(sources)
    counts = _level_counts(graph, [v[None] for v in vertices], max_dist, None, desc="reach")
    table = pd.DataFrame({"person_id": graph.ids[vertices]})
    return pd.concat([table, _reach_columns(counts, effects)], axis=1)


def union_reach(
    G: GraphLike | ReachIndex,
    sources: Sequence | np.ndarray,
    *,
    max_dist: int = 3,
    influence: Influence = "target_to_source",
    effects: Sequence[float] = CHRISTAKIS_FOWLER_EFFECTS,
) -> dict:
    """People reached by a group together: first reached at distance d from the nearest source.

    The sources themselves are distance 0 and not counted, so each person counts once however
    many sources reach them. Returns a dict with ``sources`` (number in the network), ``reach_d``,
    ``reach_within_d`` and ``decay_weighted_reach``.

    Examples
    --------
    >>> import networkx as nx
    >>> union_reach(nx.path_graph(5), [0, 4], max_dist=2)["reach_within_2"]
    3
    """
    graph = reach_index(G, influence=influence)
    _check_max_dist(max_dist)
    group = graph.vertices(sources)
    counts = _level_counts(graph, [np.unique(group)], max_dist, None)
    columns = _reach_columns(counts, effects)
    return {"sources": int(counts[0, 0]), **{k: plain(v.iloc[0]) for k, v in columns.items()}}


def marginal_reach(
    G: GraphLike | ReachIndex,
    sources: Sequence | np.ndarray,
    *,
    max_dist: int = 3,
    influence: Influence = "target_to_source",
) -> pd.Series:
    """For each source, the people (outside the sources) within ``max_dist`` of it and of no other.

    This is what the group's union reach loses if that one source is taken away.

    Examples
    --------
    >>> import networkx as nx
    >>> marginal_reach(nx.path_graph(6), [0, 3], max_dist=1).tolist()
    [1, 2]
    """
    graph = reach_index(G, influence=influence)
    _check_max_dist(max_dist)
    group = graph.vertices(sources)
    indptr, indices = graph.pull
    n = graph.n
    labels = np.full(n, -1, dtype=np.int64)
    labels[group] = np.arange(len(group))  # a repeated id keeps its last position
    first, second = two_nearest_labels(indptr, indices, labels, max_dist)
    only_one = (labels < 0) & (first >= 0) & (second < 0)
    lost = np.bincount(first[only_one], minlength=len(group))
    owner = labels[group]  # repeated ids share one label
    return pd.Series(
        lost[owner],
        index=pd.Index(graph.ids[group], name="person_id"),
        name=f"marginal_reach_within_{max_dist}",
    )


def reach_overlap(individual: pd.DataFrame, union: Mapping, *, max_dist: int = 3) -> dict:
    """Sum of individual reaches against the union: the double counting of adding alumni up.

    ``overlap_ratio_d`` = sum of individual ``reach_within_d`` / union ``reach_within_d``; 1 means
    no overlap. People reached by several alumni, and alumni reaching each other, make it exceed 1.

    Examples
    --------
    >>> reach_overlap(pd.DataFrame({"reach_within_1": [2, 2]}), {"reach_within_1": 3}, max_dist=1)
    {'sum_individual_within_1': 4, 'union_within_1': 3, 'overlap_ratio_1': 1.3333333333333333}
    """
    out: dict = {}
    for d in range(1, max_dist + 1):
        total = int(individual[f"reach_within_{d}"].sum())
        union_d = int(union[f"reach_within_{d}"])
        out[f"sum_individual_within_{d}"] = total
        out[f"union_within_{d}"] = union_d
        out[f"overlap_ratio_{d}"] = total / union_d if union_d else float("nan")
    return out


def cohort_reach(
    G: GraphLike | ReachIndex,
    cohorts: Mapping,
    *,
    max_dist: int = 3,
    influence: Influence = "target_to_source",
) -> pd.DataFrame:
    """Reach of each cohort alone and of all cohorts so far, as cohorts join in the given order.

    Parameters
    ----------
    cohorts : mapping cohort label -> person ids of its alumni, in time order.

    Returns
    -------
    DataFrame, one row per cohort: ``cohort``, ``n_alumni``, ``alumni_to_date``,
    ``cohort_reach_within_d`` (this cohort alone), ``reach_within_d`` (all cohorts so far) and
    ``added_within_d`` (people newly reached when this cohort joined). Only people outside every
    cohort given are counted, so later alumni are never counted first as reached and then
    dropped as sources: the running totals only grow, and the last row equals
    :func:`union_reach` of all the cohorts' alumni.

    Examples
    --------
    >>> import networkx as nx
    >>> cohort_reach(nx.path_graph(6), {"A": [0], "B": [5]}, max_dist=1)["reach_within_1"].tolist()
    [1, 2]
    """
    graph = reach_index(G, influence=influence)
    _check_max_dist(max_dist)
    own = [np.unique(graph.vertices(ids)) for ids in cohorts.values()]
    prefixes = [np.unique(np.concatenate(own[: i + 1])) for i in range(len(own))]
    outside = np.ones(graph.n, dtype=np.bool_)
    if own:
        outside[np.concatenate(own)] = False
    counts = _level_counts(graph, own + prefixes, max_dist, outside)
    alone, to_date = (
        np.cumsum(counts[: len(own), 1:], axis=1),
        np.cumsum(counts[len(own) :, 1:], axis=1),
    )
    table = pd.DataFrame(
        {
            "cohort": list(cohorts),
            "n_alumni": [len(o) for o in own],
            "alumni_to_date": [len(p) for p in prefixes],
        }
    )
    for d in range(1, max_dist + 1):
        table[f"cohort_reach_within_{d}"] = alone[:, d - 1]
    for d in range(1, max_dist + 1):
        table[f"reach_within_{d}"] = to_date[:, d - 1]
        table[f"added_within_{d}"] = np.diff(to_date[:, d - 1], prepend=0)
    return table


def _check_max_dist(max_dist: int) -> None:
    if not isinstance(max_dist, (int, np.integer)) or max_dist < 1:
        raise ConfigError(f"max_dist must be a positive whole number of steps, not {max_dist!r}")


def _reach_columns(counts: np.ndarray, effects: Sequence[float]) -> pd.DataFrame:
    """Exact, cumulative and decay-weighted columns from level counts (column 0 = the sources)."""
    max_dist = counts.shape[1] - 1
    exact = counts[:, 1:]
    weights = np.zeros(max_dist)
    given = np.asarray(effects, dtype=float)[:max_dist]
    if np.any(given < 0) or not np.all(np.isfinite(given)):
        raise ConfigError("effects must be finite, non-negative weights, one per distance")
    weights[: len(given)] = given
    cols = {f"reach_{d}": exact[:, d - 1] for d in range(1, max_dist + 1)}
    within = np.cumsum(exact, axis=1)
    cols |= {f"reach_within_{d}": within[:, d - 1] for d in range(1, max_dist + 1)}
    cols["decay_weighted_reach"] = exact @ weights
    return pd.DataFrame(cols)


def _level_counts(
    graph: ReachIndex, groups: list[np.ndarray], max_dist: int, counted, *, desc: str | None = None
):
    """Level counts for each group of vertices (rows of the result), by bit-parallel BFS."""
    indptr, indices = graph.push
    n = len(indptr) - 1
    counted = np.ones(n, dtype=np.bool_) if counted is None else counted
    lanes = numba.get_num_threads()
    n_words = -(-len(groups) // 64)
    # Each lane (thread) holds three n x block_words arrays; stay within the memory budget.
    block = max(1, min(-(-n_words // lanes), _BATCH_BYTES // max(1, 24 * n * lanes)))
    size = 64 * block * lanes
    counts = np.zeros((len(groups), max_dist + 1), dtype=np.int64)
    for start in progress(range(0, len(groups), size), desc=desc, total=-(-len(groups) // size)):
        batch = groups[start : start + size]
        ptr = np.zeros(len(batch) + 1, dtype=np.int64)
        np.cumsum([len(g) for g in batch], out=ptr[1:])
        members = np.concatenate(batch).astype(np.int64) if batch else np.zeros(0, dtype=np.int64)
        out = push_level_counts(
            indptr, indices, ptr, members, max_dist, counted, lanes, block, *graph.pull
        )
        counts[start : start + len(batch)] = out[: len(batch)]
    return counts
