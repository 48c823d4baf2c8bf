"""The fast engine keeps distances to the nearest practising alum by counts (``_distances``):
every adopter's recorded distance must equal a breadth-first search, at the start of the
month they adopt, from the alumni practising then, along the arcs existing then."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from tests.abm.conftest import cohort_programme

from alumni_net.abm import ContagionModel, ContagionParams, build_network, fast
from alumni_net.abm._plans import arc_plan
from alumni_net.abm.rules import PRACTISING


def _first_month(net, params: ContagionParams, programme: bool) -> np.ndarray:
    """The month each arc comes into existence (a large number: never within the horizon)."""
    plan = arc_plan(net, params, programme)
    first = np.where(plan.w0 >= 0, 0, 1 << 30)
    starts = plan.late_month[plan.late_ptr[:-1]]
    late = plan.w0[plan.late_arc] < 0
    first[plan.late_arc[late]] = starts[late]
    return first


def _bfs(net, sources: np.ndarray, exists: np.ndarray) -> np.ndarray:
    dist = np.full(net.n, -1)
    dist[sources] = 0
    frontier = list(sources)
    d = 0
    while frontier:
        d += 1
        nxt = []
        for i in frontier:
            for e in range(net.indptr[i], net.indptr[i + 1]):
                j = net.indices[e]
                if exists[e] and dist[j] < 0:
                    dist[j] = d
                    nxt.append(j)
        frontier = nxt
    return dist


def _check_bitmaps(D: tuple) -> None:
    near1, near2, bits = D[0], D[1], D[7]
    unpacked = np.unpackbits(bits.view(np.uint8), axis=1, bitorder="little")[:, :len(near1)]
    assert (unpacked[0] == (near1 != 0)).all()
    assert (unpacked[1] == ((near1 != 0) | (near2 != 0))).all()


def _check_every_month(data, params: ContagionParams, seed: int, way: str) -> tuple[int, set]:
    """Check every month's adopters; returns how many were checked and the distances met."""
    model = ContagionModel(data, params, rng=seed)
    net = model.network
    assert (model.engine.D[2].shape[0] == 0) == (way == "counts")
    first_month = _first_month(net, params, programme=True)
    checked, seen_far, seen_lapse = 0, set(), False
    for t in range(1, params.horizon_months + 1):
        practising = model.engine.states() == PRACTISING
        seen_lapse |= bool((net.is_alum & ~practising).any() and t > 12)
        sources = np.flatnonzero(net.is_alum & practising)
        expected = _bfs(net, sources, first_month <= t)
        before = len(model.adoption_arrays()[0])
        model.step()
        idx, months, _, dist = model.adoption_arrays()
        idx, dist = idx[before:], dist[before:]
        assert (months[before:] == t).all()
        if way == "counts":  # the bitmaps mirror the counts (the distances read the bitmaps)
            _check_bitmaps(model.engine.D)
        for i, d in zip(idx.tolist(), dist.tolist(), strict=True):
            want = 0 if net.is_alum[i] else (-1 if expected[i] < 0 else min(expected[i], 4))
            assert d == want, (t, i, d, want)
            seen_far.add(want)
            checked += 1
    assert seen_lapse  # alumni stopped practising: the counts went down as well as up
    return checked, seen_far


@pytest.fixture(params=["counts", "look-ups"])
def way(request, monkeypatch):
    """Both ways of finding distances 2 and 3, whatever the share of alumni."""
    monkeypatch.setattr(fast, "COUNTS_BELOW", 1.1 if request.param == "counts" else 0.0)
    return request.param


def test_distances_match_a_search_each_month_on_a_programme_with_lapsing_and_late_ties(way):
    g = cohort_programme(seed=3, n_cohorts=3, size=12, n_other=400, n_colleague_ties=500)
    params = ContagionParams(horizon_months=40, beta=0.08, alpha=0.004, decay=0.15,
                             readoption=0.3)
    checked, seen = _check_every_month(g, params, seed=5, way=way)
    assert checked > 150 and {1, 2, 3, 4} <= seen  # every distance the counts decide was met


def test_distances_match_a_search_on_the_directed_physicians(medical_innovation, way):
    people = medical_innovation.people.copy()
    alumni = people["person_id"].isin(people["person_id"].iloc[::15])
    people["is_alum"] = alumni
    people["cohort"] = np.where(alumni, "1", None)
    people["cohort_start"] = np.where(alumni, -6.0, np.nan)
    net = build_network(dataclasses.replace(medical_innovation, people=people))
    params = ContagionParams(horizon_months=30, beta=0.1, alpha=0.01, decay=0.2,
                             readoption=0.5)
    checked, seen = 0, set()
    for seed in (1, 2, 3):
        n, met = _check_every_month(net, params, seed=seed, way=way)
        checked, seen = checked + n, seen | met
    assert checked > 150 and {1, 2, 3, 4} <= seen
