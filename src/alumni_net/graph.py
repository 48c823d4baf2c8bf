"""Graphs from datasets: networkx for users, igraph (with an explicit id map) for heavy computing.

networkx is the user-facing type; igraph's vertex ``i`` is ``ids[i]``, never a guess through
``_nx_name``. Node order is always the sorted ``person_id`` order of the dataset.
"""

from __future__ import annotations

import ctypes
import gc
import weakref
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import igraph as ig
import networkx as nx
import numpy as np
import pandas as pd
import scipy.sparse as sp

from alumni_net.core.convert import plain
from alumni_net.core.ids import positions
from alumni_net.io import Dataset

__all__ = [
    "as_igraph",
    "IGraph",
    "aggregate_ties",
    "csr_adjacency",
    "edge_arrays",
    "from_igraph",
    "to_igraph",
    "to_networkx",
]


@dataclass(frozen=True)
class IGraph:
    """An igraph graph with its id map: vertex ``i`` is person ``ids[i]``."""

    graph: ig.Graph
    ids: np.ndarray

    @property
    def index(self) -> dict:
        """person_id -> vertex index."""
        return {pid: i for i, pid in enumerate(self.ids.tolist())}

    def vertices(self, people: Iterable[Any]) -> np.ndarray:
        """Vertex indices of the given person ids (KeyError names the first unknown id)."""
        index = self.index
        return np.fromiter((index[p] for p in people), dtype=np.int64)


def aggregate_ties(ties: pd.DataFrame, *, directed: bool) -> pd.DataFrame:
    """One row per connected pair: ``source``, ``target``, ``weight`` (sum), ``kinds``,
    ``since`` (earliest).

    In undirected data the pair is ordered (smaller id first), so a-b and b-a are one pair.

    Examples
    --------
    >>> ties = pd.DataFrame({"source": [2, 1, 1], "target": [1, 2, 3],
    ...                      "kind": ["cohort", "colleague", "cohort"],
    ...                      "weight": [1.0, 2.0, 1.0], "since": pd.NaT})
    >>> aggregate_ties(ties, directed=False)[["source", "target", "weight", "kinds"]].to_dict(
    ...     "records")  # doctest: +NORMALIZE_WHITESPACE
    [{'source': 1, 'target': 2, 'weight': 3.0, 'kinds': ('cohort', 'colleague')},
     {'source': 1, 'target': 3, 'weight': 1.0, 'kinds': ('cohort',)}]
    """
    pairs, _ = _pair_codes(ties, directed=directed)
    return pairs.drop(columns=["u", "v"])


def _pair_codes(ties: pd.DataFrame, *, directed: bool) -> tuple[pd.DataFrame, np.ndarray]:
    """Aggregated pairs with integer codes ``u``, ``v`` into the sorted array of ids returned.

    Ids are hashed once (one factorize) and pairs grouped on an int64 key: string ids at the
    scale of millions of ties are too slow to group directly.
    """
    n = len(ties)
    # Series, not numpy: text ids stay Arrow strings, hashed in Arrow (as Python objects, the
    # conversion alone took most of a minute for 30 million ties)
    ends = pd.concat([ties["source"], ties["target"]], ignore_index=True)
    codes, uniques = pd.factorize(ends, sort=True)
    pairs = _aggregate(ties, codes[:n].astype(np.int64), codes[n:].astype(np.int64),
                       max(len(uniques), 1), directed=directed)
    pairs.insert(0, "source", uniques[pairs["u"].to_numpy()])
    pairs.insert(1, "target", uniques[pairs["v"].to_numpy()])
    return pairs[["source", "target", "weight", "kinds", "since", "u", "v"]], np.asarray(uniques)


def _aggregate(ties: pd.DataFrame, u: np.ndarray, v: np.ndarray, m: int, *,
               directed: bool) -> pd.DataFrame:
    """One row per pair of codes (``u``, ``v`` below ``m``), in the order of ``u * m + v``:
    ``weight`` (sum), ``kinds`` (sorted tuple), ``since`` (earliest), ``u``, ``v``.

    Most pairs hold one tie, whose values are the pair's; only pairs of several ties (and a
    missing weight, which a sum turns into 0) go through pandas' groupby, which sums them in the
    order of the rows as it would have over the whole table, so every value is what grouping
    every tie gives, bit for bit, in a fraction of the time.
    """
    if not directed:
        u, v = np.minimum(u, v), np.maximum(u, v)
    kinds = pd.Categorical(ties["kind"].astype(str))
    # Validation forbids repeating a kind on one pair, so a sum of distinct bits is their union.
    bits = np.left_shift(np.int64(1), kinds.codes.astype(np.int64))
    weight = ties["weight"].to_numpy(float)
    since = ties["since"].to_numpy()
    key = u * m + v
    order = np.argsort(key, kind="stable")  # ties of one pair keep their row order
    ordered = key[order]
    starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]]) if len(key) else \
        np.zeros(0, dtype=np.int64)
    sizes = np.diff(np.r_[starts, len(key)])
    first = order[starts]
    pair_weight, pair_bits, pair_since = weight[first], bits[first], since[first]
    several = (sizes > 1) | np.isnan(pair_weight) | (pair_weight == 0)  # a sum gives 0, not -0
    if several.any():
        rows = order[np.repeat(several, sizes)]
        part = pd.DataFrame({"key": key[rows], "weight": weight[rows], "bits": bits[rows],
                             "since": since[rows]})
        # pandas sums groups of rows in key order with ``np.add.reduceat`` and others with
        # compensated (Kahan) sums: the rows here are in key order, so where the whole table
        # was not (or had a missing weight), one row of key -1 at the end keeps the Kahan sums.
        if len(key) > 1 and (np.any(key[1:] < key[:-1]) or np.isnan(weight).any()):
            part.loc[len(part)] = {"key": -1, "weight": 0.0, "bits": 0, "since": since[rows[0]]}
        grouped = part.groupby("key", sort=True).agg(
            weight=("weight", "sum"), bits=("bits", "sum"), since=("since", "min"))
        grouped = grouped[grouped.index >= 0]
        pair_weight[several] = grouped["weight"].to_numpy()
        pair_bits[several] = grouped["bits"].to_numpy()
        pair_since[several] = grouped["since"].to_numpy()
    names = list(kinds.categories)
    decode = {int(b): tuple(k for j, k in enumerate(names) if b >> j & 1)
              for b in np.unique(pair_bits)}
    pair_key = ordered[starts]
    return pd.DataFrame({
        "weight": pair_weight, "kinds": [decode[b] for b in pair_bits.tolist()],
        "since": pair_since, "u": pair_key // m, "v": pair_key % m,
    })


def _node_attributes(people: pd.DataFrame) -> Iterator[tuple[Any, dict[str, Any]]]:
    cols = [c for c in people.columns if c != "person_id"]
    values = people[cols].astype(object).where(people[cols].notna(), None).to_numpy()
    for pid, row in zip(people["person_id"].tolist(), values, strict=True):
        yield pid, {c: plain(x) for c, x in zip(cols, row, strict=True) if x is not None}


def to_networkx(ds: Dataset, *, multigraph: bool = False) -> nx.Graph:
    """The dataset as a networkx graph.

    Simple graphs (default) have one edge per connected pair with ``weight`` (summed over kinds),
    ``kinds`` (sorted tuple) and ``since`` (earliest date or None). With ``multigraph=True`` each
    tie is its own edge, keyed by its kind, with ``weight`` and ``since``.

    Examples
    --------
    >>> people = pd.DataFrame({"person_id": [1, 2, 3], "is_alum": [True, True, False]})
    >>> ties = pd.DataFrame({"source": [1, 2], "target": [2, 3], "kind": ["cohort", "colleague"],
    ...                      "weight": [1.0, 1.0], "since": pd.NaT})
    >>> G = to_networkx(Dataset(people, ties))
    >>> sorted(G.edges(data="kinds"))
    [(1, 2, ('cohort',)), (2, 3, ('colleague',))]
    """
    cls = {(False, False): nx.Graph, (True, False): nx.DiGraph,
           (False, True): nx.MultiGraph, (True, True): nx.MultiDiGraph}[(ds.directed, multigraph)]
    G = cls(name=ds.name)
    # What outputs may publish depends on these (alumni_net.core.publish reads them).
    G.graph["categories"] = tuple(getattr(ds, "categories", ()))
    G.graph["pseudonymised"] = tuple((ds.loaded_with or {}).get("pseudonymised_columns", ()))
    G.add_nodes_from(_node_attributes(ds.people))
    if multigraph:
        since = ds.ties["since"].astype(object).where(ds.ties["since"].notna(), None)
        G.add_edges_from(
            (u, v, k, {"weight": w, "since": s})
            for u, v, k, w, s in zip(ds.ties["source"].tolist(), ds.ties["target"].tolist(),
                                     ds.ties["kind"].tolist(), ds.ties["weight"].tolist(), since,
                                     strict=True)
        )
        return G
    pairs = aggregate_ties(ds.ties, directed=ds.directed)
    since = pairs["since"].astype(object).where(pairs["since"].notna(), None)
    G.add_edges_from(
        (u, v, {"weight": w, "kinds": k, "since": s})
        for u, v, w, k, s in zip(pairs["source"].tolist(), pairs["target"].tolist(),
                                 pairs["weight"].tolist(), pairs["kinds"], since, strict=True)
    )
    return G


def to_igraph(graph: nx.Graph | Dataset) -> IGraph:
    """An igraph copy of a networkx graph (or of a Dataset, skipping networkx) with its id map.

    Vertex attributes are copied (missing ones are None); edges carry ``weight`` and ``kinds``.
    Multigraphs are collapsed to simple graphs first, as every igraph measure here expects.
    """
    if isinstance(graph, Dataset):
        return _igraph_from_dataset(graph)
    if graph.is_multigraph():
        graph = _collapse(graph)
    ids = np.array(list(graph.nodes), dtype=object)
    ids = _typed_ids(ids)
    index = {pid: i for i, pid in enumerate(graph.nodes)}
    edges = [(index[u], index[v]) for u, v in graph.edges()]
    g = ig.Graph(n=len(ids), edges=edges, directed=graph.is_directed())
    g.es["weight"] = [float(w) for _, _, w in graph.edges(data="weight", default=1.0)]
    g.es["kinds"] = [k for _, _, k in graph.edges(data="kinds", default=())]
    keys = sorted({k for _, data in graph.nodes(data=True) for k in data})
    for key in keys:
        g.vs[key] = [data.get(key) for _, data in graph.nodes(data=True)]
    return IGraph(g, ids)


def _typed_ids(ids: np.ndarray) -> np.ndarray:
    if len(ids) and all(isinstance(x, (int, np.integer)) for x in ids):
        return ids.astype(np.int64)
    return ids


def _igraph_from_dataset(ds: Dataset) -> IGraph:
    ids = ds.people["person_id"].to_numpy()
    pairs = _dataset_pairs(ds)
    if pairs is not None:
        edges = np.column_stack([pairs["u"].to_numpy(), pairs["v"].to_numpy()])
    else:
        pairs, uniques = _pair_codes(ds.ties, directed=ds.directed)
        (position,) = positions(ids, uniques)
        edges = np.column_stack([position[pairs["u"].to_numpy()],
                                 position[pairs["v"].to_numpy()]])
    g = ig.Graph(n=len(ids), edges=edges, directed=ds.directed)
    g.es["weight"] = pairs["weight"].to_numpy(float)
    g.es["kinds"] = pairs["kinds"].tolist()
    for col in ds.people.columns:
        if col != "person_id":
            g.vs[col] = _python_values(ds.people[col])
    return IGraph(g, ids)


def _dataset_pairs(ds: Dataset) -> pd.DataFrame | None:
    """Aggregated pairs with ``u``, ``v`` the people's row numbers, when the people's ids are
    sorted and every tie end is one of them (as a loaded dataset's are), else None.

    Sorted unique ids number the ends in the order the factorize of :func:`_pair_codes` would,
    so the pairs come in the same order; Arrow's hash join looks the ends up without the sort.
    """
    ids = ds.people["person_id"]
    if len(ids) < 2 or not _strictly_increasing(ids):
        return None
    found = positions(ids, ds.ties["source"], ds.ties["target"])
    if any((p < 0).any() for p in found):
        return None
    return _aggregate(ds.ties, found[0], found[1], len(ids), directed=ds.directed)


def _strictly_increasing(ids: pd.Series) -> bool:
    values = ids.reset_index(drop=True)
    try:
        return bool((values.iloc[1:].reset_index(drop=True)
                     > values.iloc[:-1].reset_index(drop=True)).all())
    except TypeError:  # ids of mixed types: no order to rely on
        return False


def _python_values(col: pd.Series) -> list:
    """A column as Python values with None for missing (fast paths for plain numpy columns)."""
    if col.dtype.kind in "biuf" and not col.isna().any():
        return col.to_numpy().tolist()
    values = col.astype(object).where(col.notna(), None)
    return [plain(x) for x in values.tolist()]


def _collapse(graph: nx.MultiGraph) -> nx.Graph:
    simple = nx.DiGraph() if graph.is_directed() else nx.Graph()
    simple.add_nodes_from(graph.nodes(data=True))
    for u, v, key, data in graph.edges(keys=True, data=True):
        if simple.has_edge(u, v):
            edge = simple[u][v]
            edge["weight"] += data.get("weight", 1.0)
            edge["kinds"] = tuple(sorted({*edge["kinds"], str(key)}))
        else:
            simple.add_edge(u, v, weight=data.get("weight", 1.0), kinds=(str(key),))
    return simple


def from_igraph(graph: ig.Graph, ids: Sequence[Any] | np.ndarray) -> nx.Graph:
    """A networkx graph from an igraph graph whose vertex ``i`` is ``ids[i]``."""
    ids = list(ids.tolist() if isinstance(ids, np.ndarray) else ids)
    if len(ids) != graph.vcount():
        raise ValueError(f"{len(ids)} ids for a graph of {graph.vcount()} vertices")
    G = nx.DiGraph() if graph.is_directed() else nx.Graph()
    attrs = graph.vs.attributes()
    G.add_nodes_from(
        (pid, {a: v[a] for a in attrs if v[a] is not None})
        for pid, v in zip(ids, graph.vs, strict=True)
    )
    eattrs = graph.es.attributes()
    G.add_edges_from((ids[e.source], ids[e.target], {a: e[a] for a in eattrs}) for e in graph.es)
    return G


def as_igraph(G: nx.Graph | IGraph | ig.Graph) -> IGraph:
    """An :class:`IGraph` for networkx graphs, IGraphs (as is) and igraph graphs (ids 0..n-1)."""
    if isinstance(G, IGraph):
        return G
    if isinstance(G, ig.Graph):
        return IGraph(G, np.arange(G.vcount(), dtype=np.int64))
    if isinstance(G, nx.Graph):
        return to_igraph(G)
    raise TypeError(f"expected a networkx graph, IGraph or igraph.Graph, not {type(G).__name__}")


def csr_adjacency(
    graph: ig.Graph | IGraph | nx.Graph, *, mode: str = "out"
) -> tuple[np.ndarray, np.ndarray]:
    """Compressed sparse rows: the neighbours of vertex ``i`` are
    ``indices[indptr[i]:indptr[i+1]]``.

    ``mode`` is "out" (edges leaving i), "in" (edges arriving at i) or "all"; undirected graphs
    list every neighbour whatever the mode. Vertex order is igraph's (sorted ids for our graphs).

    Examples
    --------
    >>> indptr, indices = csr_adjacency(ig.Graph([(0, 1), (1, 2)]))
    >>> indptr.tolist(), indices.tolist()
    ([0, 1, 3, 4], [1, 0, 2, 1])
    """
    if mode not in {"out", "in", "all"}:
        raise ValueError(f"mode must be 'out', 'in' or 'all', not {mode!r}")
    if isinstance(graph, nx.Graph):
        graph = to_igraph(graph).graph
    elif isinstance(graph, IGraph):
        graph = graph.graph
    n = graph.vcount()
    src, dst = edge_arrays(graph)
    if not graph.is_directed() or mode == "all":
        src, dst = np.concatenate([src, dst]), np.concatenate([dst, src])
    elif mode == "in":
        src, dst = dst, src
    matrix = sp.csr_matrix((np.ones(len(src), dtype=np.int8), (src, dst)), shape=(n, n))
    matrix.sum_duplicates()
    matrix.sort_indices()
    return matrix.indptr.astype(np.int64), matrix.indices.astype(np.int32)


def edge_arrays(graph: ig.Graph, *, copy: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """Both ends of every edge, in igraph's edge order, as two int64 arrays.

    python-igraph hands edges over only as Python tuples (``get_edgelist``: seconds for ten
    million edges). Its C core keeps them as two integer arrays, which this reads in place
    through ``Graph._raw_pointer()`` (python-igraph's documented door for ctypes access), after
    checking the layout against the graph; anything unexpected falls back to the tuples. The end
    order of an undirected edge may differ from ``get_edgelist``'s. ``copy=False`` may return
    read-only views of igraph's own memory instead of copies: use them at once, while the graph
    is alive and unchanged.

    Examples
    --------
    >>> src, dst = edge_arrays(ig.Graph([(0, 1), (2, 1)], directed=True))
    >>> src.tolist(), dst.tolist()
    ([0, 2], [1, 1])
    """
    views = _core_edge_views(graph)
    if views is not None:
        return (views[0].copy(), views[1].copy()) if copy else views
    m = graph.ecount()
    enabled = gc.isenabled()
    gc.disable()  # millions of new tuples would trigger collections that cannot free anything
    try:
        flat = np.fromiter(
            (x for edge in graph.get_edgelist() for x in edge), dtype=np.int64, count=2 * m
        )
    finally:
        if enabled:
            gc.enable()
    return flat[0::2], flat[1::2]


class _IntVector(ctypes.Structure):
    # igraph_vector_int_t: storage begin, storage end, end of the used part
    _fields_ = [("begin", ctypes.c_void_p), ("stor_end", ctypes.c_void_p), ("end", ctypes.c_void_p)]


class _CoreGraph(ctypes.Structure):
    # The head of igraph_t (C core 0.10 and 1.0): vertex count, directedness, then the edge
    # ends ``from`` and ``to`` (igraph_integer_t, 64-bit on these builds).
    _fields_ = [("n", ctypes.c_int64), ("directed", ctypes.c_bool),
                ("from_", _IntVector), ("to", _IntVector)]


_CORE_VERSIONS = ("0.10.", "1.0.")


def _core_edge_views(graph: ig.Graph) -> tuple[np.ndarray, np.ndarray] | None:
    """Read-only views of the C core's edge arrays, or None when they cannot be trusted.

    Valid only while ``graph`` lives unchanged: callers copy or consume them at once.
    """
    try:
        version = ig._igraph.__igraph_version__
        if not version.startswith(_CORE_VERSIONS) or ctypes.sizeof(ctypes.c_void_p) != 8:
            return None
        core = _CoreGraph.from_address(graph._raw_pointer())
        n, m = graph.vcount(), graph.ecount()
        if core.n != n or bool(core.directed) != graph.is_directed():
            return None
        if m == 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        ends = []
        for vec in (core.from_, core.to):
            if not vec.begin or vec.end - vec.begin != 8 * m or vec.stor_end < vec.end:
                return None
            view = np.frombuffer((ctypes.c_int64 * m).from_address(vec.begin), dtype=np.int64)
            view.flags.writeable = False
            ends.append(view)
        src, dst = ends
        return (src, dst) if _consistent(graph, src, dst) else None
    except Exception:  # any surprise in a private layout: use the public (slow) route
        return None


def _consistent(graph: ig.Graph, src: np.ndarray, dst: np.ndarray) -> bool:
    """Cheap checks that the arrays are this graph's edges: degrees and some edges (an id out of
    range fails the degree check: bincount rejects negatives, and larger ids lengthen it)."""
    n, m = graph.vcount(), graph.ecount()
    if graph.is_directed():
        if not np.array_equal(np.bincount(src, minlength=n), graph.outdegree()):
            return False
    elif not np.array_equal(np.bincount(src, minlength=n) + np.bincount(dst, minlength=n),
                            graph.degree(loops=True)):
        return False
    sample = np.unique(np.linspace(0, m - 1, num=min(m, 64)).astype(np.int64)).tolist()
    for e, (a, b) in zip(sample, (graph.es[e].tuple for e in sample), strict=True):
        got = (int(src[e]), int(dst[e]))
        if got != (a, b) and (graph.is_directed() or got != (b, a)):
            return False
    return True


# Adjacency rows cached per igraph graph, by identity (igraph graphs are not hashable): id ->
# (weak reference, {key: rows}); the entry goes when the graph goes. Keys carry the graph's
# size, a cheap guard against a graph edited in place since.
_ROWS: dict[int, tuple[weakref.ref, dict]] = {}


def _rows_store(graph: ig.Graph) -> dict | None:
    entry = _ROWS.get(id(graph))
    if entry is not None and entry[0]() is graph:
        return entry[1]
    key = id(graph)

    def gone(ref: weakref.ref, key: int = key) -> None:
        if key in _ROWS and _ROWS[key][0] is ref:
            del _ROWS[key]

    try:
        ref = weakref.ref(graph, gone)
    except TypeError:  # not weak-referenceable: no cache
        return None
    _ROWS[key] = (ref, {})
    return _ROWS[key][1]


def cached_rows(graph: ig.Graph, key: tuple, build: Callable[[], Any]) -> Any:
    """``build()`` once per igraph graph and ``key``; later calls return the same arrays.

    The graph is assumed unchanged in between (igraph graphs in an :class:`IGraph` are treated
    as fixed); a different vertex or edge count rebuilds. Arrays are returned read-only.
    """
    store = _rows_store(graph)
    if store is None:
        return build()
    full = (*key, graph.vcount(), graph.ecount())
    if full not in store:
        value = build()
        for a in value if isinstance(value, tuple) else (value,):
            if isinstance(a, np.ndarray):
                a.flags.writeable = False
        if len(store) >= 8:
            store.clear()
        store[full] = value
    return store[full]


def forget_cached_rows(graph: ig.Graph) -> None:
    """Drop what :func:`cached_rows` holds for ``graph`` (benchmarks time cold calls)."""
    entry = _ROWS.get(id(graph))
    if entry is not None and entry[0]() is graph:
        del _ROWS[id(graph)]
