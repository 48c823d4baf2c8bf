"""Workforce network: Watts-Strogatz colleagues, partnerships across organisations, long-range."""

from __future__ import annotations

import igraph as ig
import numpy as np
import pytest
from scipy import stats

from alumni_net.core.rng import as_generator
from alumni_net.synth import SynthParams
from alumni_net.synth.network import (
    _adjacency,
    colleague_ties,
    long_range_ties,
    partnership_ties,
    search_right,
    sort_keys,
)
from alumni_net.synth.population import Population, build_population


def _population(sizes: list[int]) -> Population:
    """People in organisations of the given sizes, one sector and region, unit activity."""
    size = np.asarray(sizes)
    n = int(size.sum())
    org_start = np.concatenate([[0], np.cumsum(size)]).astype(np.int64)
    org = np.repeat(np.arange(len(size), dtype=np.int64), size)
    zeros = np.zeros(n, np.int8)
    return Population(zeros, zeros, zeros + 2, org, org_start, np.ones(n))


def _graph(n: int, *pairs) -> ig.Graph:
    a = np.concatenate([x for x, _ in pairs])
    b = np.concatenate([y for _, y in pairs])
    g = ig.Graph(n=n, edges=np.column_stack([a, b]))
    g.simplify()
    return g


def test_small_teams_are_complete_and_large_ones_ring_lattices():
    pop = _population([3, 9, 10, 57])
    p = SynthParams(colleague_rewire=0.0)  # colleague_k = 8
    g = _graph(pop.n, colleague_ties(pop, p, as_generator(0)))
    deg = np.array(g.degree())
    assert np.all(deg[:3] == 2) and np.all(deg[3:12] == 8)  # K3 and K9
    assert np.all(deg[12:] == 8)  # rings: 4 colleagues on each side
    assert g.ecount() == 3 + 36 + 10 * 4 + 57 * 4
    # An unrewired ring lattice has clustering 3(k-2) / (4(k-1)) = 9/14 at every node.
    assert g.subgraph(range(22, 79)).transitivity_local_undirected() == pytest.approx([9 / 14] * 57)


def test_colleague_clustering_matches_watts_strogatz_theory():
    # Barrat & Weigt (2000): C(p) = 3(k-2) / (4(k-1)) * (1-p)**3 for a rewired ring lattice.
    pop = _population([30_000])
    p = SynthParams()
    g = _graph(pop.n, colleague_ties(pop, p, as_generator(1)))
    expected = 3 * (p.colleague_k - 2) / (4 * (p.colleague_k - 1)) * (1 - p.colleague_rewire) ** 3
    assert g.transitivity_avglocal_undirected() == pytest.approx(expected, abs=0.02)


def test_colleagues_share_an_organisation_and_partners_do_not():
    p = SynthParams()
    pop = build_population(p, as_generator(2))
    rng = as_generator(3)
    ca, cb = colleague_ties(pop, p, rng)
    assert np.array_equal(pop.org[ca], pop.org[cb])
    pa, pb = partnership_ties(pop, (ca, cb), p, rng)
    assert np.all(pop.org[pa] != pop.org[pb])
    la, lb = long_range_ties(pop, p, rng)
    assert np.all(pop.org[la] != pop.org[lb])
    # Poisson(0.02 x 20,000 = 400), a few lost to same-organisation draws.
    assert 300 < len(la) <= 480


def test_partnerships_are_mostly_regional_with_mean_degree_as_set():
    p = SynthParams(n_people=100_000, partnership_closure=0.0)
    pop = build_population(p, as_generator(4))
    rng = as_generator(5)
    a, b = partnership_ties(pop, colleague_ties(pop, p, rng), p, rng)
    # Cross-region draws land in the home region by chance with probability ~ sum of squares.
    region_share = np.bincount(pop.region) / pop.n
    expected = p.partnership_within_region + (1 - p.partnership_within_region) * np.sum(
        region_share**2)
    assert np.mean(pop.region[a] == pop.region[b]) == pytest.approx(expected, abs=0.01)
    deg = np.bincount(np.concatenate([a, b]), minlength=pop.n)
    # A few ties fall inside the person's own organisation and are dropped.
    assert 0.9 * p.partnership_mean < deg.mean() <= p.partnership_mean
    assert stats.spearmanr(deg, pop.activity).statistic > 0.4


def test_triadic_closure_puts_partnerships_in_triangles():
    embedded = []
    for closure in (0.0, 0.3):
        p = SynthParams(partnership_closure=closure)
        pop = build_population(p, as_generator(6))
        rng = as_generator(7)
        colleagues = colleague_ties(pop, p, rng)
        a, b = partnership_ties(pop, colleagues, p, rng)
        neighbours = [set(x) for x in _graph(pop.n, colleagues, (a, b)).get_adjlist()]
        shared = [bool(neighbours[i] & neighbours[j]) for i, j in zip(a, b, strict=True)]
        embedded.append(np.mean(shared))
    # Random (Chung-Lu) partnerships rarely close a triangle; closure makes most of them do.
    assert embedded[0] < 0.15 and embedded[1] > 0.4


def test_search_right_finds_what_searchsorted_finds():
    """The guide table changes how, never what: running totals with zero weights (repeated
    totals), whole-number totals, and queries on, just below and just above every total, below
    zero, infinite and NaN."""
    rng = np.random.default_rng(11)
    for trial in range(200):
        n = int(rng.integers(1, 500))
        weight = rng.lognormal(0, 2, n) * (rng.random(n) < 0.3 + 0.7 * rng.random())
        if trial % 5 == 0:
            weight = np.round(weight)
        cum = np.cumsum(weight)
        u = np.concatenate([rng.random(500) * cum[-1], cum, [0.0], np.nextafter(cum, -np.inf),
                            np.nextafter(cum, np.inf), rng.random(20) * cum[-1] * 1.5,
                            [-1.0, np.inf, np.nan]])
        np.testing.assert_array_equal(search_right(cum, u),
                                      np.searchsorted(cum, u, side="right"))


def test_closing_triangles_uses_the_neighbours_a_stable_sort_lists():
    """The counting sort lists each person's neighbours in the order a stable sort of the
    directed ties by head gives (what the triangles drawn from a seed depend on)."""
    rng = np.random.default_rng(12)
    a, b, c, d = (rng.integers(0, 50, size) for size in (300, 300, 200, 200))
    indptr, neighbours = _adjacency(a, b, c, d, 60)
    heads, tails = np.concatenate([a, b, c, d]), np.concatenate([b, a, d, c])
    np.testing.assert_array_equal(neighbours, tails[np.argsort(heads, kind="stable")])
    np.testing.assert_array_equal(indptr, np.concatenate([[0], np.cumsum(
        np.bincount(heads, minlength=60))]))


def test_sort_keys_sorts_as_numpy_does():
    """Pair keys bucketed by their first person: empty buckets, buckets sorted by insertion
    (a few ties) and by numpy (a hub's hundreds), repeated keys."""
    rng = np.random.default_rng(13)
    n = 300
    first = np.concatenate([rng.integers(0, n, 3_000), np.full(500, 7)])  # person 7 a hub
    keys = (first * n + rng.integers(0, n, len(first))) * 4 + rng.integers(0, 3, len(first))
    keys = np.concatenate([keys, keys[:100]])
    np.testing.assert_array_equal(sort_keys(keys, 4 * n, n), np.sort(keys))
    assert sort_keys(np.zeros(0, np.int64), 4, 1).tolist() == []
