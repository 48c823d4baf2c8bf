"""The fast engine's arc plan: the prefix path (entries sorted by month, as build_network makes
them) against the masked path it replaces, and the masked path on entries in any order."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from alumni_net.abm import ContagionParams, _plans, build_network


def _plans_both_ways(net, p, programme, monkeypatch):
    fast = _plans._arc_plan(net, p, programme)
    with monkeypatch.context() as m:
        m.setattr(_plans, "_ascending", lambda values: False)
        masked = _plans._arc_plan(net, p, programme)
    return fast, masked


@pytest.mark.parametrize("programme", [True, False])
@pytest.mark.parametrize("horizon", [1, 6, 30, 120])
def test_prefix_and_mask_give_the_same_plan(programme_graph, monkeypatch, programme, horizon):
    net = build_network(programme_graph)
    assert _plans._ascending(net.entry_month)
    months = net.entry_month
    # the fixture has entries before the start, during the horizon and after it
    assert (months <= 0).any() and ((months > 0) & (months <= 30)).any()
    p = ContagionParams(horizon_months=horizon)
    fast, masked = _plans_both_ways(net, p, programme, monkeypatch)
    for field in dataclasses.fields(fast):
        np.testing.assert_array_equal(getattr(fast, field.name), getattr(masked, field.name),
                                      err_msg=field.name)


def test_entries_in_any_order_take_the_masked_path(programme_graph):
    net = build_network(programme_graph)
    order = np.random.default_rng(3).permutation(len(net.entry_month))
    shuffled = dataclasses.replace(net, entry_arc=net.entry_arc[order],
                                   entry_kind=net.entry_kind[order],
                                   entry_month=net.entry_month[order])
    assert not _plans._ascending(shuffled.entry_month)
    p = ContagionParams(horizon_months=30)
    for programme in (True, False):
        a, b = _plans._arc_plan(net, p, programme), _plans._arc_plan(shuffled, p, programme)
        np.testing.assert_array_equal(a.w0, b.w0)
        np.testing.assert_array_equal(a.late_arc, b.late_arc)
        np.testing.assert_array_equal(a.late_w, b.late_w)
        np.testing.assert_array_equal(a.act_ptr, b.act_ptr)


def test_components_are_scipys_connected_components_of_the_arcs_there_at_month_0():
    import networkx as nx
    import scipy.sparse as sp
    from scipy.sparse.csgraph import connected_components

    net = build_network(nx.gnm_random_graph(3_000, 2_400, seed=5))  # many small components
    w0 = np.where(np.random.default_rng(1).random(net.n_arcs) < 0.2, -1.0, 1.0).astype(
        np.float32)  # a fifth of the arcs not there yet
    labels = _plans._components(net.indptr, net.indices, w0)
    # copies: eliminate_zeros compacts the index arrays it was given in place
    there = sp.csr_matrix(((w0 >= 0).astype(np.int8), net.indices.copy(), net.indptr.copy()),
                          shape=(net.n, net.n))
    there.eliminate_zeros()
    k, expected = connected_components(there, directed=True, connection="weak")
    assert labels.max() + 1 == k > 100
    # the same partition, labelled in order of each component's lowest member
    _, first = np.unique(expected, return_index=True)
    relabel = np.empty(k, dtype=np.int64)
    relabel[np.argsort(first)] = np.arange(k)
    np.testing.assert_array_equal(labels, relabel[expected])
    # symmetric weights (an arc's reverse has its weight): each tie read from one end only
    keys = net.src.astype(np.int64) * net.n + net.indices  # ascending: arcs by (sender, receiver)
    reverse = np.searchsorted(keys, net.indices.astype(np.int64) * net.n + net.src)
    both = np.minimum(w0, w0[reverse])
    half = _plans._components(net.indptr, net.indices, both, True)
    np.testing.assert_array_equal(half, _plans._components(net.indptr, net.indices, both))
    assert half.max() + 1 > k


@pytest.mark.parametrize("programme", [True, False])
@pytest.mark.parametrize("group_boost", [0.0, 0.5])
def test_reach_weights_are_each_senders_largest_final_weight_times_the_bound(
        programme_graph, programme, group_boost):
    p = ContagionParams(group_boost=group_boost, horizon_months=30)
    net = build_network(programme_graph)
    arcs, people = _plans.arc_plan(net, p, programme), _plans.person_plan(net, p, programme)
    assert len(arcs.late_arc)
    assert people.any_grouped == (group_boost > 0 and programme)  # sets: programme only
    final = arcs.w0.copy()
    final[arcs.late_arc] = arcs.late_w[arcs.late_ptr[1:] - 1]
    if people.any_grouped:
        final[people.grouped[net.indices]] *= np.float32(1.0 + group_boost)
    want = np.array([max(final[a:b].max(initial=0.0), 0.0)
                     for a, b in zip(net.indptr[:-1], net.indptr[1:], strict=True)])
    np.testing.assert_array_equal(_plans.reach_weights(net, p, programme),
                                  want.astype(np.float32))


def test_components_joined_from_a_subset_of_the_arcs_are_the_components_found_afresh():
    import networkx as nx

    net = build_network(nx.gnm_random_graph(3_000, 2_400, seed=6))
    rng = np.random.default_rng(2)
    # w0 >= 0: the arcs there at month 0 with the programme; a subset of them without it
    w0 = np.where(rng.random(net.n_arcs) < 0.2, -1.0, 1.0).astype(np.float32)
    w0_base = np.where(rng.random(net.n_arcs) < 0.3, -1.0, w0).astype(np.float32)
    base = _plans._components(net.indptr, net.indices, w0_base)
    full = _plans._components(net.indptr, net.indices, w0)
    assert base.max() > full.max() + 50  # the extra arcs join many components
    np.testing.assert_array_equal(
        _plans._join_components(base, net.indptr, net.indices, w0, w0_base), full)
    # not a subset (an arc there in the base only): found afresh by the caller
    w0[np.flatnonzero(w0_base >= 0)[0]] = -1.0
    assert _plans._join_components(base, net.indptr, net.indices, w0, w0_base) is None


def test_the_programme_arms_components_after_the_other_arm_are_those_found_afresh(
        programme_graph):
    p = ContagionParams()
    net = build_network(programme_graph)
    without = _plans.components(net, _plans.arc_plan(net, p, False), False)
    joined = _plans.components(net, _plans.arc_plan(net, p, True), True)
    fresh = _plans._components(net.indptr, net.indices, _plans.arc_plan(net, p, True).w0)
    np.testing.assert_array_equal(joined, fresh)
    assert joined.max() <= without.max()


def test_frozen_copies_arrays_mapped_from_shared_memory_and_keeps_results(programme_graph):
    """A pool worker maps the network from shared memory; the engine reads its own copies of
    the arc arrays (huge pages), the same values, and the runs are identical."""
    from alumni_net.abm import simulate_once
    from alumni_net.experiments import _sharing

    net = build_network(programme_graph)
    with pytest.MonkeyPatch.context() as m:
        m.setattr(_sharing, "MIN_BYTES", 0)  # share every array of this small network
        packed = _sharing.pack(net)
    try:
        mapped = _sharing.unpack(packed)
        assert _plans._mapped(mapped.indices) and not _plans._mapped(net.indices)
        for name in ("indices", "rev_src"):
            private = _plans.frozen(mapped, name)
            assert not _plans._mapped(private) and not private.flags.writeable
            np.testing.assert_array_equal(private, getattr(net, name))
            assert _plans.frozen(mapped, name) is private  # copied once
        assert _plans._mapped(_plans.frozen(mapped, "src", private=False))
        p = ContagionParams(horizon_months=24)
        a = simulate_once(mapped, p, seed=4, engine="fast")
        b = simulate_once(net, p, seed=4, engine="fast")
        assert a.summary == b.summary
    finally:
        packed.close()


@pytest.mark.parametrize("labels", [9, 2**31])  # numbered in base labels + 1; too many: records
def test_combinations_number_each_persons_groups(labels):
    rng = np.random.default_rng(7)
    rows = [rng.integers(-1, 3, 500), rng.integers(3, 7, 500),
            np.where(rng.random(500) < 0.1, rng.integers(7, 9, 500), -1)]
    table, combination = _plans._combinations(rows, labels, 500)
    np.testing.assert_array_equal(table[combination], np.array(rows).T)
    assert len(table) == len(np.unique(np.array(rows).T, axis=0)) == len(set(combination))
    assert _plans._combinations([], 0, 4)[1].tolist() == [0, 0, 0, 0]


@pytest.mark.parametrize("programme", [True, False])
def test_rev_since_is_the_first_month_each_in_arc_exists(programme_graph, programme):
    # a kind of weight 0 exists (it carries nothing) and the horizon leaves late ties out
    p = ContagionParams(horizon_months=12, tie_weights={"cohort": 0.0})
    net = build_network(programme_graph)
    arcs = _plans.arc_plan(net, p, programme)
    since = _plans.rev_since(net, p, programme)
    assert since.dtype == np.int16 and not since.flags.writeable
    assert len(since) == net.n_arcs

    def weight(e, t):  # the plan's weight of arc e in month t, step by step
        w = arcs.w0[e]
        k = np.searchsorted(arcs.late_arc, e)
        if k < len(arcs.late_arc) and arcs.late_arc[k] == e:
            for q in range(arcs.late_ptr[k], arcs.late_ptr[k + 1]):
                if arcs.late_month[q] <= t:
                    w = arcs.late_w[q]
        return w

    months = range(p.horizon_months + 1)
    want = np.array([next((t for t in months if weight(e, t) >= 0), _plans.NEVER)
                     for e in net.rev_arc], dtype=np.int16)
    np.testing.assert_array_equal(since, want)
    # the fixture has arcs there from the start, arcs that appear, and arcs not there by the
    # horizon (without the programme: its ties)
    assert (since == 0).any() and ((since > 0) & (since < _plans.NEVER)).any()
    assert (since == _plans.NEVER).any()
    # existence never ends: "exists in month t" is since <= t in every month
    for t in months:
        there = np.array([weight(e, t) >= 0 for e in net.rev_arc])
        np.testing.assert_array_equal(since <= t, there)
