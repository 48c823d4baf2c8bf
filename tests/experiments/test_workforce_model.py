"""The workforce model: people placed by counts, the synthetic generator's ties, fixed degrees,
role activity from the contacts' roles, and the survey simulated on it."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from alumni_net.experiments.workforce.model import (
    OrgSizes,
    WorkforceParams,
    build_structure,
    generate,
    role_activity,
    sample_organisations,
)
from alumni_net.experiments.workforce.statistics import STATISTICS, ego_statistics
from alumni_net.experiments.workforce.survey_sim import noisy_counts, simulate_survey
from alumni_net.survey import Categories

CATS = Categories(("health", "care"), ("north", "south"), ("leader", "worker", "helper"))


def _population(n_per_group: int = 1000) -> pd.DataFrame:
    rows = [(r, s, o, n_per_group) for r in CATS.region for s in CATS.sector for o in CATS.role]
    return pd.DataFrame(rows, columns=["region", "sector", "role", "count"])


def _params(**kw) -> WorkforceParams:
    base = dict(colleague_k=8, colleague_rewire=0.0, partnership_mean=0.0,
                partnership_within_region=0.9, partnership_closure=0.0, activity_sigma=0.0)
    return WorkforceParams(**{**base, **kw})


def test_people_are_placed_exactly_by_the_counts():
    pop = _population(50)
    pop.loc[0, "count"] = 7
    s = build_structure(pop, CATS, pop["count"].to_numpy(), np.random.default_rng(0))
    got = pd.Series(list(zip(s.sector, s.region, s.role, strict=True))).value_counts()
    assert got[(0, 0, 0)] == 7 and got[(1, 1, 2)] == 50 and s.n == 50 * 11 + 7
    # an organisation never spans two sector x region cells
    cell = s.sector.astype(int) * 2 + s.region
    assert all(len(set(cell[s.org_start[g]:s.org_start[g + 1]])) == 1
               for g in range(len(s.org_start) - 1))


def test_colleague_rings_give_every_member_of_a_large_organisation_k_colleagues():
    pop = _population(2000)
    s = build_structure(pop, CATS, pop["count"].to_numpy(), np.random.default_rng(1))
    net = generate(s, _params(), np.ones(3), np.random.default_rng(2))
    same = net.pop.org[net.a] == net.pop.org[net.b]
    deg = np.bincount(np.concatenate([net.a[same], net.b[same]]), minlength=net.n)
    big = np.diff(s.org_start)[s.org] > 9
    assert (deg[big] == 8).all()


def test_partnership_degree_follows_its_mean_and_fixed_targets():
    pop = _population(2000)
    s = build_structure(pop, CATS, pop["count"].to_numpy(), np.random.default_rng(3))
    people = np.arange(0, s.n, 60)
    net = generate(s, _params(partnership_mean=3.0), np.ones(3), np.random.default_rng(4),
                   targets=(people, np.full(len(people), 20.0)))
    cross = net.pop.org[net.a] != net.pop.org[net.b]
    deg = np.bincount(np.concatenate([net.a[cross], net.b[cross]]), minlength=net.n)
    others = np.setdiff1d(np.arange(s.n), people)
    assert deg[others].mean() == pytest.approx(3.0 + 0.04, rel=0.08)  # + long-range ties
    assert deg[people].mean() == pytest.approx(20.0, rel=0.1)


def _distinct(net, people, inside: bool) -> np.ndarray:
    """Each of ``people``'s distinct contacts inside (or outside) their organisation who are
    not among ``people``."""
    nb = net.neighbours_of(people)
    target = np.zeros(net.n, bool)
    target[people] = True
    return np.array([int((((net.pop.org[nb[p]] == net.pop.org[p]) == inside)
                          & ~target[nb[p]]).sum()) for p in people])


def test_fixed_degrees_are_met_exactly_in_distinct_contacts_outside_the_group():
    """Heavy-tailed activity in small regions draws the same partner twice; the people whose
    degrees are given still get exactly that many distinct contacts who are not among them,
    across organisations and inside their own (surplus removed, shortfall added)."""
    pop = _population(150)
    s = build_structure(pop, CATS, pop["count"].to_numpy(), np.random.default_rng(11))
    rng = np.random.default_rng(12)
    people = rng.choice(s.n, 40, replace=False)
    across = rng.integers(0, 30, len(people)).astype(float)
    size = np.diff(s.org_start)[s.org[people]]
    within = np.minimum(rng.integers(0, 12, len(people)), size - 1).astype(float)
    net = generate(s, _params(partnership_mean=6.0, activity_sigma=1.5, partnership_closure=0.5,
                              colleague_rewire=0.3),
                   np.ones(3), np.random.default_rng(13), targets=(people, across),
                   own_org=(people, within))
    assert _distinct(net, people, False).tolist() == across.astype(int).tolist()
    assert _distinct(net, people, True).tolist() == within.astype(int).tolist()


def test_partnership_degree_does_not_depend_on_the_size_of_the_network():
    """The fit simulates a sample of whole organisations; a partner drawn from one's own
    organisation is drawn again, so a sample has the full population's degree (dropped, as
    before, a 2,000-person sample of this population had 12% fewer partners)."""
    pop = _population(400)
    rng = np.random.default_rng(14)
    full = build_structure(pop, CATS, pop["count"].to_numpy(), rng,
                           OrgSizes(5, 2_000))
    means = []
    for size in (800, full.n):
        sub = sample_organisations(full, size, rng)
        net = generate(sub, _params(partnership_mean=2.0), np.ones(3), rng)
        cross = net.pop.org[net.a] != net.pop.org[net.b]
        means.append(2 * cross.sum() / net.n)
    assert means[0] == pytest.approx(means[1], rel=0.05)
    assert means[1] == pytest.approx(2.0 + 0.04, rel=0.05)  # + long-range ties


def test_organisations_of_one_make_every_tie_a_partnership():
    pop = _population(30)
    s = build_structure(pop, CATS, pop["count"].to_numpy(), np.random.default_rng(15),
                        OrgSizes(1, 1))
    assert (np.diff(s.org_start) == 1).all()
    net = generate(s, _params(partnership_mean=4.0), np.ones(3), np.random.default_rng(16))
    assert len(net.a) > 0 and (net.kind != 0).all()


def test_role_activity_is_recovered_from_the_contacts_roles():
    """The friendship paradox as an estimator: a role's share of contacts over its share of
    the workforce is its activity."""
    pop = _population(3000)
    truth = np.array([4.0, 1.0, 0.5])
    truth = truth / (truth * np.full(3, 1 / 3)).sum()
    s = build_structure(pop, CATS, pop["count"].to_numpy(), np.random.default_rng(5))
    net = generate(s, _params(partnership_mean=4.0), truth, np.random.default_rng(6))
    cross = net.pop.org[net.a] != net.pop.org[net.b]
    ends = np.concatenate([net.b[cross], net.a[cross]])  # the contact at each end of a tie
    counts = np.bincount(net.pop.role[ends], minlength=3).astype(float)
    estimate = role_activity(counts, np.full(3, 1 / 3), prior=0.0)
    assert estimate == pytest.approx(truth, rel=0.05)


def test_a_survey_of_a_complete_team_sees_every_tie():
    pop = pd.DataFrame({"region": ["north"], "sector": ["health"], "role": ["worker"],
                        "count": [7]})
    s = build_structure(pop, CATS, np.array([7]), np.random.default_rng(7))
    net = generate(s, _params(colleague_k=8), np.ones(3), np.random.default_rng(8))
    assert len(net.a) == 21  # one organisation of 7 under k = 8: a complete graph
    egos = np.array([0, 3])
    survey = simulate_survey(net, egos, np.array([4, 4]), np.ones(2), 0.0, 0.0,
                             np.random.default_rng(9))
    assert survey.own.tolist() == [6.0, 6.0] and survey.other.tolist() == [0.0, 0.0]
    stats = dict(zip(STATISTICS, ego_statistics(survey), strict=True))
    assert stats["density_same_org_pairs"] == 1.0 and stats["share_named_same_org"] == 1.0
    assert len(survey.pair_ego) == 2 * 6


def test_reported_counts_keep_their_mean():
    rng = np.random.default_rng(10)
    reported = noisy_counts(np.full(40_000, 50), 0.3, rng)
    assert reported.mean() == pytest.approx(50, rel=0.01)
    assert np.log(reported).std() == pytest.approx(0.3, rel=0.05)
