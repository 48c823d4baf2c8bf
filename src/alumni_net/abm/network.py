"""The time-varying tie structure the contagion model runs on, compiled once into arrays.

A tie carrying several kinds becomes one *arc* per direction of influence plus one *entry* per
kind, each entry with the month it appears: programme kinds (cohort, action learning set) from the
later cohort start of the two people, other kinds from ``since`` when given (else from the
start). An arc's weight at a month is the largest weight of its entries active by then.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, fields
from functools import cached_property
from typing import TYPE_CHECKING, Any

import igraph as ig
import networkx as nx
import numpy as np
import pandas as pd

from alumni_net.abm import _arcs as _arcs_kernels
from alumni_net.abm.params import PROGRAMME_KINDS, TRAINING_KINDS
from alumni_net.core.ids import positions
from alumni_net.errors import AlumniNetError, ConfigError

if TYPE_CHECKING:
    from alumni_net.io import Dataset

__all__ = ["ContagionNetwork", "NetworkSource", "build_network"]

GROUP_TYPES = ("sector", "region", "cohort")
#: Entry month of a tie there before the model starts.
_BEFORE = -(2**40)


@dataclass(frozen=True, eq=False)
class ContagionNetwork:
    """People and arcs as arrays; build with :func:`build_network` and reuse across replicates.

    Person ``i`` is ``ids[i]``. Arc ``e`` runs from ``src[e]`` to ``indices[e]`` in the direction
    influence flows; out-arcs of ``i`` are ``indptr[i]:indptr[i + 1]`` (sorted by target); the
    in-arcs of ``v`` are ``rev_arc[rev_indptr[v]:rev_indptr[v + 1]]`` (their senders
    ``rev_src[...]`` in the same order, kept so that receivers read memory in sequence).
    """

    ids: np.ndarray
    indptr: np.ndarray
    indices: np.ndarray
    src: np.ndarray
    rev_indptr: np.ndarray
    rev_arc: np.ndarray
    rev_src: np.ndarray  # src[rev_arc]: senders in in-arc order
    rev_pos: np.ndarray  # position of each arc in in-arc order (inverse of rev_arc)
    entry_arc: np.ndarray
    entry_kind: np.ndarray
    entry_month: np.ndarray
    kinds: tuple[str, ...]
    is_alum: np.ndarray
    cohort_start: np.ndarray  # model month (float, NaN when unknown)
    cohort: np.ndarray  # object: str label or None
    als: np.ndarray  # int code of the action learning set, -1 when none
    groups: dict[str, tuple[np.ndarray, tuple[str, ...]]]  # group_type -> (codes, labels)
    start: pd.Period | None
    memo: dict = field(default_factory=dict, repr=False)  # engines' per-network caches
    symmetric: bool = False  # every arc's reverse is an arc with the same entries
    columns: dict = field(default_factory=dict)  # people column -> str label or None each

    def __getstate__(self) -> dict:
        # Pickle the arrays only: caches (memo, index) are rebuilt where they are needed.
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name != "memo"}

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state, memo={})

    @property
    def n(self) -> int:
        """Number of people."""
        return len(self.ids)

    @property
    def n_arcs(self) -> int:
        """Number of arcs (directions of influence)."""
        return len(self.indices)

    @cached_property
    def entry_programme(self) -> np.ndarray:
        """Whether each entry is a programme tie kind (absent without the programme)."""
        prog = np.array([k in PROGRAMME_KINDS for k in self.kinds], dtype=bool)
        return prog[self.entry_kind] if len(self.kinds) else np.zeros(0, dtype=bool)

    @cached_property
    def ids_are_positions(self) -> bool:
        """True when the ids are the integers 0..n-1 in order."""
        return self.ids.dtype.kind in "iu" and bool(
            np.array_equal(self.ids, np.arange(self.n)))

    @cached_property
    def id_index(self) -> pd.Index:
        """Person ids as a pandas Index (position = person index)."""
        return pd.Index(self.ids)

    @cached_property
    def index(self) -> dict[Any, int]:
        """Person id -> person index."""
        return {pid: i for i, pid in enumerate(self.ids.tolist())}

    def influence_graph(self) -> nx.DiGraph:
        """Arcs as an nx.DiGraph on person indices; edge attribute ``entries`` lists
        ``(kind, month, is_programme_kind)`` (used by the reference engine). Built once; a
        copy is returned so that a Mesa space may change its own."""
        if "influence_graph" not in self.memo:
            self.memo["influence_graph"] = self._influence_graph()
        return self.memo["influence_graph"].copy()

    def _influence_graph(self) -> nx.DiGraph:
        g = nx.DiGraph()
        g.add_nodes_from(range(self.n))
        entries: dict[int, list] = {}
        prog = self.entry_programme
        for a, k, m, p in zip(self.entry_arc.tolist(), self.entry_kind.tolist(),
                              self.entry_month.tolist(), prog.tolist(), strict=True):
            entries.setdefault(a, []).append((self.kinds[k], m, p))
        g.add_edges_from(
            (int(self.src[a]), int(self.indices[a]), {"entries": tuple(es)})
            for a, es in entries.items()
        )
        return g


# (id of the data, start, influence, label columns) -> (weak reference to the data, network)
_CACHE: dict[tuple[int, str | None, str, tuple[str, ...]],
             tuple[weakref.ref, ContagionNetwork]] = {}


#: What the contagion model is built from: a Dataset, a networkx or igraph graph, or a network
#: already compiled (:func:`build_network` returns that one as is).
type NetworkSource = Dataset | nx.Graph | ig.Graph | ContagionNetwork


def build_network(data: NetworkSource, *, start: str | None = None,
                  influence: str = "target_to_source",
                  columns: Iterable[str | None] = ()) -> ContagionNetwork:
    """Compile a Dataset or networkx graph into a :class:`ContagionNetwork`.

    Parameters
    ----------
    data : Dataset, nx.Graph or nx.DiGraph, or ContagionNetwork (returned as is)
        Graph nodes may carry ``is_alum``, ``cohort``, ``cohort_start`` (date or integer model
        month), ``action_learning_set``, ``sector``, ``region``; edges ``kinds`` (tuple) or
        ``kind`` and ``since``.
    start : str, optional
        Calendar month of model month 0 ("YYYY-MM"); default the earliest cohort start.
    influence : str
        Direction of influence on directed data (see alumni_net.vocabulary).
    columns : iterable of str or None
        People columns kept as labels (``network.columns``), for rules that read them (a
        background by group: ``ContagionParams.background_by``); None entries are skipped.

    Examples
    --------
    >>> net = build_network(nx.path_graph(3))
    >>> net.n, net.n_arcs, net.indices.tolist()
    (3, 4, [1, 0, 2, 1])
    """
    labels = tuple(c for c in columns if c is not None)
    if isinstance(data, ContagionNetwork):
        return data
    key = (id(data), start, influence, labels)
    hit = _CACHE.get(key)
    if hit is not None and hit[0]() is data:
        return hit[1]
    people, ties, directed = _frames(data)
    net = _compile(people, ties, directed=directed, start=start, influence=influence)
    missing = [c for c in labels if c not in people.columns]
    if missing:
        raise ConfigError(f"there is no people column {', '.join(map(repr, missing))} to read "
                          "the background's groups from")
    net.columns.update({c: _labels(people, c) for c in labels})
    try:
        ref = weakref.ref(data)
    except TypeError:
        return net
    if len(_CACHE) >= 8:
        _CACHE.clear()
    _CACHE[key] = (ref, net)
    return net


def _frames(data: Any) -> tuple[pd.DataFrame, pd.DataFrame, bool]:
    if isinstance(data, nx.Graph):
        return _frames_from_graph(data)
    if isinstance(data, ig.Graph):
        return _frames_from_igraph(data)
    if hasattr(data, "people") and hasattr(data, "ties"):
        ties = data.ties
        if "kind" not in ties.columns:
            ties = ties.assign(kind="tie")
        if "since" not in ties.columns:
            ties = ties.assign(since=pd.NaT)
        return data.people, ties, bool(getattr(data, "directed", False))
    raise AlumniNetError(
        f"the contagion model needs a Dataset or a networkx graph, not {type(data).__name__}")


def _frames_from_graph(g: nx.Graph) -> tuple[pd.DataFrame, pd.DataFrame, bool]:
    if g.is_multigraph():
        raise AlumniNetError("the contagion model needs a simple graph, not a multigraph")
    rows = [{"person_id": node, **attrs} for node, attrs in g.nodes(data=True)]
    people = pd.DataFrame(rows, columns=None if rows else ["person_id"])
    edges = []
    for u, v, attrs in g.edges(data=True):
        kinds = attrs.get("kinds", (attrs.get("kind", "tie"),))
        kinds = (kinds,) if isinstance(kinds, str) else tuple(kinds)
        for k in kinds:
            edges.append((u, v, str(k), attrs.get("since")))
    ties = pd.DataFrame(edges, columns=["source", "target", "kind", "since"])
    return people, ties, g.is_directed()


def _frames_from_igraph(g: ig.Graph) -> tuple[pd.DataFrame, pd.DataFrame, bool]:
    """Vertices are people (id: the "name" attribute when present, else the vertex index)."""
    people = pd.DataFrame({a: g.vs[a] for a in g.vs.attributes()})
    ids = people.pop("name") if "name" in people.columns else pd.Series(range(g.vcount()))
    people.insert(0, "person_id", ids.to_numpy())
    edges = np.array(g.get_edgelist(), dtype=np.int64).reshape(-1, 2)
    ties = pd.DataFrame({"source": people["person_id"].to_numpy()[edges[:, 0]],
                         "target": people["person_id"].to_numpy()[edges[:, 1]]})
    attrs = g.es.attributes()
    kinds = g.es["kinds"] if "kinds" in attrs else g.es["kind"] if "kind" in attrs else None
    ties["since"] = g.es["since"] if "since" in attrs else None
    if kinds is None:
        ties["kind"] = "tie"
        return people, ties, g.is_directed()
    ties["kind"] = [(k,) if isinstance(k, str) else tuple(k) for k in kinds]
    return people, ties.explode("kind", ignore_index=True), g.is_directed()


def _compile(people: pd.DataFrame, ties: pd.DataFrame, *, directed: bool, start: str | None,
             influence: str) -> ContagionNetwork:
    ids = people["person_id"].to_numpy()
    n = len(ids)
    id_index = pd.Index(ids)
    if not id_index.is_unique:
        raise AlumniNetError("person ids must be unique")
    start_period, cohort_start = _cohort_months(people, start)
    src, dst = positions(people["person_id"], ties["source"], ties["target"])
    if (src < 0).any() or (dst < 0).any():
        raise AlumniNetError("a tie names a person who is not in the people table")
    orient = _orientation(directed, influence)
    # Grouping the entries into arcs needs only the tie ends: a thread does it (the kernels
    # release the GIL) while this one reads the kinds and months.
    with ThreadPoolExecutor(max_workers=1) as thread:
        grouping = thread.submit(_group_arcs, src, dst, n, orient)
        # hashed, not sorted as Python strings (np.unique): the kinds are a handful, the ties
        # millions
        kind_code, kinds = pd.factorize(ties["kind"].astype(str), sort=True)
        kinds = np.asarray(kinds)
        since = _months(ties["since"], start_period)
        month = _entry_months(kinds, kind_code, since, cohort_start, src, dst)
        described: dict[str, Any] = dict(is_alum=_is_alum(people), cohort=_labels(people, "cohort"),
                         als=_codes(_labels(people, "action_learning_set"))[0],
                         groups=_groups(people))
        grouped = grouping.result()
    arcs: dict[str, Any] = _reverse_and_date(*grouped, src, dst, kind_code, month, n, orient)
    return ContagionNetwork(ids=ids, **arcs, kinds=tuple(str(x) for x in kinds),
                            cohort_start=cohort_start, **described, start=start_period,
                            symmetric=not directed or influence == "both")


def _orientation(directed: bool, influence: str) -> int:
    """Arcs in the direction of influence (both directions for undirected ties)."""
    if directed and influence == "source_to_target":
        return _arcs_kernels.FORWARD
    if directed and influence == "target_to_source":
        return _arcs_kernels.REVERSE
    return _arcs_kernels.BOTH


def _group_arcs(src: np.ndarray, dst: np.ndarray, n: int,
                orient: int) -> tuple[int, np.ndarray, np.ndarray, np.ndarray, int]:
    """Entries (self-loops dropped) grouped into arcs numbered in (sender, receiver) order:
    (entries kept, each virtual entry's arc, indptr, indices, number of arcs).

    Every big array of the network is allocated by numpy (see ``_arcs``) and written once."""
    k = _arcs_kernels
    entries = len(src) * (2 if orient == k.BOTH else 1)
    start = np.zeros(n + 1, dtype=np.int64)
    order = np.empty(entries, dtype=np.int64)
    indices = np.empty(entries, dtype=np.int32)  # each entry's receiver, then each arc's
    kept = int(k.entry_order(src, dst, orient, start, order, indices))
    arc_of = np.empty(entries, dtype=np.int64)  # by virtual entry; self-loops' never read
    indptr = np.zeros(n + 1, dtype=np.int64)
    n_arcs = int(k.number_arcs(start, order, indices, arc_of, indptr))
    del order, start
    if n_arcs < entries:  # self-loops, or ties of several kinds: keep only what is used
        indices = indices[:n_arcs].copy()
    return kept, arc_of, indptr, indices, n_arcs


def _reverse_and_date(kept: int, arc_of: np.ndarray, indptr: np.ndarray, indices: np.ndarray,
                      n_arcs: int, src: np.ndarray, dst: np.ndarray, kind: np.ndarray,
                      month: np.ndarray, n: int, orient: int) -> dict[str, Any]:
    """The rest of :class:`ContagionNetwork`'s arc arrays: the arcs by receiver, and the
    entries by month."""
    k = _arcs_kernels
    # int32 arc ids when they fit: the receivers' loops stream through this array
    rev_arc = np.empty(n_arcs, dtype=np.int32 if n_arcs < 2**31 else np.int64)
    rev_pos = np.empty(n_arcs, dtype=np.int64)
    arc_src = np.empty(n_arcs, dtype=np.int32)
    rev_src = np.empty(n_arcs, dtype=np.int32)
    rev_indptr = np.zeros(n + 1, dtype=np.int64)
    entry_arc = np.empty(kept, dtype=np.int64)
    entry_kind = np.empty(kept, dtype=np.int16)
    entry_month = np.empty(kept, dtype=np.int64)

    def by_month() -> None:
        lo, hi = (int(x) for x in k.month_span(src, dst, orient, month, _BEFORE))
        if hi - lo < 2**24:  # months are a few hundred values: a counting sort
            k.entries_by_month(src, dst, orient, month, kind, arc_of, _BEFORE, lo, hi,
                               entry_arc, entry_kind, entry_month)
        else:  # months spread too widely to count: numpy's stable sort of the kept entries
            _sorted_entries(src, dst, orient, month, kind, arc_of, entry_arc, entry_kind,
                            entry_month)

    # The reversed arcs and the entries by month are independent, and both kernels release
    # the GIL: side by side on two cores (seconds each at national size).
    with ThreadPoolExecutor(max_workers=1) as thread:
        months = thread.submit(by_month)
        k.reverse_arcs(indptr, indices, rev_indptr, rev_arc, rev_pos, arc_src, rev_src)
        months.result()
    return dict(indptr=indptr, indices=indices, src=arc_src, rev_indptr=rev_indptr,
                rev_arc=rev_arc, rev_src=rev_src, rev_pos=rev_pos, entry_arc=entry_arc,
                entry_kind=entry_kind, entry_month=entry_month)


def _sorted_entries(src, dst, orient, month, kind, arc_of, entry_arc, entry_kind, entry_month):
    k = _arcs_kernels
    both = orient == k.BOTH
    u, v = (dst, src) if orient == k.REVERSE else (src, dst)
    tie = np.arange(len(src))
    keep = np.flatnonzero(np.concatenate([u != v, v != u]) if both else u != v)
    t = np.concatenate([tie, tie])[keep] if both else keep
    order = keep[np.argsort(month[t], kind="stable")]
    t = order % len(src) if len(src) else order
    entry_arc[:] = arc_of[order]
    entry_kind[:] = kind[t]
    entry_month[:] = month[t]


def _entry_months(kinds, kind_code, since, cohort_start, src, dst) -> np.ndarray:
    """Month each (tie, kind) appears; ``_BEFORE`` means 'before the start'."""
    training = np.array([k in TRAINING_KINDS for k in kinds], dtype=np.bool_)
    programme = np.array([k in PROGRAMME_KINDS for k in kinds], dtype=np.bool_)
    return _arcs_kernels.tie_months(np.asarray(since, dtype=np.float64), kind_code, training,
                                    programme, np.asarray(cohort_start, dtype=np.float64), src,
                                    dst, _BEFORE)


def _cohort_months(people: pd.DataFrame, start: str | None):
    if "cohort_start" not in people.columns:
        return (pd.Period(start, freq="M") if start else None), np.full(len(people), np.nan)
    col = people["cohort_start"]
    if pd.api.types.is_numeric_dtype(col) and not pd.api.types.is_bool_dtype(col):
        return None, col.to_numpy(dtype=float)
    dates = pd.to_datetime(col, errors="coerce")
    if start is not None:
        period = pd.Period(start, freq="M")
    elif dates.notna().any():
        period = dates.min().to_period("M")
    else:
        period = None
    return period, _months(dates, period)


def _months(values: pd.Series, period: pd.Period | None) -> np.ndarray:
    """Whole months since ``period`` (NaN when missing); numbers are taken as months already."""
    s = pd.Series(values).reset_index(drop=True)
    if s.dtype == object:
        present = s.dropna()
        if len(present) and present.map(lambda x: isinstance(x, (int, float, np.number))).all():
            s = s.astype(float)
    if pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s):
        return s.to_numpy(dtype=float)
    dates = pd.to_datetime(s, errors="coerce")
    if period is None:
        if dates.notna().any():
            raise AlumniNetError(
                "tie 'since' dates need a model start: give cohort_start dates or params.start")
        return np.full(len(s), np.nan)
    if isinstance(dates.dtype, np.dtype):  # naive dates: one cast floors each to its month
        # (30 million tie dates in a fraction of a second; .dt.year and .dt.month took seconds)
        raw = dates.to_numpy()
        months = raw.astype("datetime64[M]").astype(np.int64).astype(float)
        months[np.isnat(raw)] = np.nan
        return months - ((period.year - 1970) * 12 + (period.month - 1))
    y = dates.dt.year.to_numpy(dtype=float)  # time-zone aware: months of the local date
    mo = dates.dt.month.to_numpy(dtype=float)
    return (y - period.year) * 12 + (mo - period.month)


def _is_alum(people: pd.DataFrame) -> np.ndarray:
    if "is_alum" in people.columns:
        col = people["is_alum"]
        return col.fillna(False).astype(bool).to_numpy() if col.dtype == object else \
            col.to_numpy(dtype=bool, na_value=False)
    if "cohort" in people.columns:
        return people["cohort"].notna().to_numpy()
    return np.zeros(len(people), dtype=bool)


def _labels(people: pd.DataFrame, column: str) -> np.ndarray:
    """A column as text labels (None when missing), each distinct value converted once."""
    if column not in people.columns:
        return np.full(len(people), None, dtype=object)
    codes, uniques = pd.factorize(people[column], use_na_sentinel=True)
    text = np.array([str(x) for x in uniques] + [None], dtype=object)
    return text[codes]  # code -1 (missing) takes the None at the end


def _codes(labels: np.ndarray) -> tuple[np.ndarray, tuple[str, ...]]:
    codes, present = pd.factorize(labels, sort=True, use_na_sentinel=True)
    return codes.astype(np.int64), tuple(present)


def _groups(people: pd.DataFrame) -> dict[str, tuple[np.ndarray, tuple[str, ...]]]:
    return {g: _codes(_labels(people, g)) for g in GROUP_TYPES if g in people.columns}
