"""Graph builders: networkx and igraph agree, both directions, ids explicit."""

from __future__ import annotations

import igraph as ig
import networkx as nx
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.helpers import REAL_COUNTS, real_dataset_dir

from alumni_net.graph import aggregate_ties, csr_adjacency, from_igraph, to_igraph, to_networkx
from alumni_net.io import Dataset, load_dataset


def _same(G: nx.Graph, H: nx.Graph) -> None:
    assert list(G.nodes) == list(H.nodes)
    assert G.is_directed() == H.is_directed()
    assert {(u, v, d["weight"], tuple(d["kinds"])) for u, v, d in G.edges(data=True)} == {
        (u, v, d["weight"], tuple(d["kinds"])) for u, v, d in H.edges(data=True)}
    for node in G:
        assert G.nodes[node] == H.nodes[node]


def test_two_cohorts_networkx(two_cohorts, pseudonym_key):
    ds = load_dataset(two_cohorts)
    G = to_networkx(ds)
    assert list(G.nodes) == ["a1", "a2", "b1", "p1", "p2", "p3"]
    assert G.number_of_edges() == 4  # a1-a2 has two kinds, so five ties make four pairs
    assert G["a1"]["a2"]["kinds"] == ("action_learning_set", "cohort")
    assert G["a1"]["a2"]["weight"] == 2.0
    assert G["p1"]["p3"]["since"].year == 2014 and G["a2"]["p1"]["since"] is None
    assert G.nodes["a1"]["sector"] == "health" and "cohort" not in G.nodes["p1"]
    assert "Ada Lovelace" not in str(dict(G.nodes(data=True)))
    M = to_networkx(ds, multigraph=True)
    assert M.number_of_edges() == 5 and set(M["a1"]["a2"]) == {"cohort", "action_learning_set"}


@pytest.mark.parametrize("name", sorted(REAL_COUNTS))
def test_real_networks_round_trip_through_igraph(name):
    ds = load_dataset(real_dataset_dir(name), directed=True)
    G = to_networkx(ds)
    wrapped = to_igraph(G)
    direct = to_igraph(ds)
    assert list(wrapped.ids) == list(direct.ids) == list(G.nodes)
    assert sorted(wrapped.graph.get_edgelist()) == sorted(direct.graph.get_edgelist())
    _same(G, from_igraph(wrapped.graph, wrapped.ids))
    _same(G, from_igraph(direct.graph, direct.ids))
    # The same pairs as the README's count of distinct directed pairs, where it gives one.
    distinct = {"medical_innovation": 294, "brazilian_farmers": 1854}
    if name in distinct:
        assert G.number_of_edges() == distinct[name]


def test_multigraph_collapses_for_igraph(two_cohorts, pseudonym_key):
    ds = load_dataset(two_cohorts)
    _same(to_networkx(ds), from_igraph(*_pair(to_igraph(to_networkx(ds, multigraph=True)))))


def _pair(wrapped):
    return wrapped.graph, wrapped.ids


@settings(max_examples=40, deadline=None)
@given(n=st.integers(1, 30), p=st.floats(0, 0.5), directed=st.booleans(),
       seed=st.integers(0, 10_000))
def test_csr_matches_igraph_neighbours(n, p, directed, seed):
    G = nx.gnp_random_graph(n, p, seed=seed, directed=directed)
    wrapped = to_igraph(G)
    for mode in ("out", "in", "all"):
        indptr, indices = csr_adjacency(wrapped, mode=mode)
        for v in range(n):
            expected = sorted(set(wrapped.graph.neighbors(v, mode=mode)))
            assert indices[indptr[v]:indptr[v + 1]].tolist() == expected


def test_aggregate_ties_undirected_merges_reverse_pairs():
    import pandas as pd

    ties = pd.DataFrame({"source": ["b", "a"], "target": ["a", "b"], "kind": ["x", "y"],
                         "weight": [1.0, 2.5],
                         "since": pd.to_datetime(["2020-01-01", "2019-06-01"])})
    undirected = aggregate_ties(ties, directed=False)
    assert undirected[["source", "target", "weight", "kinds"]].to_dict("records") == [
        {"source": "a", "target": "b", "weight": 3.5, "kinds": ("x", "y")}]
    assert undirected["since"].iat[0] == pd.Timestamp("2019-06-01")
    assert len(aggregate_ties(ties, directed=True)) == 2


def test_igraph_vertex_attributes_and_ids(two_cohorts, pseudonym_key):
    wrapped = to_igraph(load_dataset(two_cohorts))
    assert isinstance(wrapped.graph, ig.Graph)
    assert wrapped.graph.vs["sector"][wrapped.index["b1"]] == "voluntary"
    assert wrapped.vertices(["p3", "a1"]).tolist() == [5, 0]
    assert np.array_equal(np.asarray(wrapped.graph.degree()), np.array([1, 2, 1, 2, 1, 1]))


def _grouped_reference(ties: pd.DataFrame, *, directed: bool) -> pd.DataFrame:
    """Every tie through one pandas groupby (what aggregate_ties did before pairs of one tie
    were taken as they are)."""
    ends = pd.concat([ties["source"], ties["target"]], ignore_index=True)
    codes, uniques = pd.factorize(ends, sort=True)
    n, m = len(ties), len(uniques)
    u, v = codes[:n].astype(np.int64), codes[n:].astype(np.int64)
    if not directed:
        u, v = np.minimum(u, v), np.maximum(u, v)
    kinds = pd.Categorical(ties["kind"].astype(str))
    frame = pd.DataFrame({"key": u * m + v, "weight": ties["weight"].to_numpy(float),
                          "bits": np.left_shift(1, kinds.codes.astype(np.int64)),
                          "since": ties["since"].to_numpy()})
    g = frame.groupby("key", sort=True).agg(weight=("weight", "sum"), bits=("bits", "sum"),
                                            since=("since", "min"))
    key = g.index.to_numpy()
    names = list(kinds.categories)
    return pd.DataFrame({
        "source": uniques[key // m], "target": uniques[key % m], "weight": g["weight"].to_numpy(),
        "kinds": [tuple(k for j, k in enumerate(names) if b >> j & 1) for b in g["bits"]],
        "since": g["since"].to_numpy()})


@pytest.mark.parametrize("in_key_order", [False, True])
@pytest.mark.parametrize("directed", [False, True])
def test_pairs_of_one_tie_skip_the_groupby_without_changing_a_bit(directed, in_key_order):
    # Weights whose sums differ in the last bit between pandas' two summations (Kahan for rows
    # out of key order, reduceat for rows in order): both must be what grouping every tie gives.
    rng = np.random.default_rng(3)
    n, m = 60, 900
    s, t = rng.integers(0, n, m), rng.integers(0, n, m)
    keep = s != t
    ties = pd.DataFrame({
        "source": [f"p{x:03d}" for x in s[keep]], "target": [f"p{x:03d}" for x in t[keep]],
        "kind": np.array(["cohort", "colleague", "partnership"])[rng.integers(0, 3, keep.sum())],
        "weight": np.round(rng.random(keep.sum()) * 3, 3) + rng.random(keep.sum()) * 1e-9,
        "since": pd.to_datetime(["2020-01-01"] * int(keep.sum())).where(
            rng.random(keep.sum()) < 0.6)}).drop_duplicates(["source", "target", "kind"])
    if in_key_order:
        lo = np.minimum(ties["source"], ties["target"]) if not directed else ties["source"]
        hi = np.maximum(ties["source"], ties["target"]) if not directed else ties["target"]
        ties = ties.assign(source=lo, target=hi).sort_values(["source", "target"], kind="stable")
    ours = aggregate_ties(ties, directed=directed).reset_index(drop=True)
    pd.testing.assert_frame_equal(ours, _grouped_reference(ties, directed=directed),
                                  check_exact=True)
    people = pd.DataFrame({"person_id": [f"p{x:03d}" for x in range(n)], "is_alum": False})
    g = to_igraph(Dataset(people, ties, directed=directed))
    ref = _grouped_reference(ties, directed=directed)
    assert np.array_equal(np.asarray(g.graph.es["weight"]), ref["weight"].to_numpy())
    assert g.graph.es["kinds"] == ref["kinds"].tolist()
