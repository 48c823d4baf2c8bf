"""Recruitment, cohorts, action learning sets and programme ties against the parameters."""

from __future__ import annotations

import math

import numpy as np
import pytest

from alumni_net.core.rng import as_generator
from alumni_net.synth import SynthParams
from alumni_net.synth.params import ROLES, SECTORS
from alumni_net.synth.population import COMMUNITY, build_population
from alumni_net.synth.programme import (
    cohort_dates,
    post_course_contacts,
    programme_ties,
    recruit,
    sector_quotas,
)


@pytest.fixture(scope="module")
def recruited():
    p = SynthParams()
    pop = build_population(p, as_generator(21))
    return pop, recruit(pop, p, as_generator(22)), p


def test_yearly_cohort_dates():
    start, grad = cohort_dates(SynthParams(n_cohorts=3))
    assert start.astype(str).tolist() == ["2016-09-01", "2017-09-01", "2018-09-01"]
    assert grad.astype(str).tolist() == ["2017-03-01", "2018-03-01", "2019-03-01"]


def test_suite_cohorts_spread_over_the_year():
    start, grad = cohort_dates(SynthParams(n_cohorts=13, cohorts_per_year=4,
                                           first_cohort_start="2016-01-15", n_people=50_000))
    assert start.astype(str).tolist()[:5] == [
        "2016-01-15", "2016-04-15", "2016-07-15", "2016-10-15", "2017-01-15"]
    assert str(start[-1]) == "2019-01-15" and str(grad[-1]) == "2019-07-15"


def test_sector_quotas_round_each_share_and_are_unbiased():
    p = SynthParams(n_cohorts=10_000, n_people=50_000_000)
    quotas = sector_quotas(p, as_generator(3))
    exact = np.array([p.leader_sector_shares[s] for s in SECTORS]) * p.leaders_per_cohort
    assert np.all(quotas.sum(axis=1) == p.leaders_per_cohort)
    assert np.all((quotas == np.floor(exact)) | (quotas == np.ceil(exact)))
    # Each extra place is a Bernoulli(fractional part): the mean has s.e. <= 0.5 / sqrt(10,000).
    assert quotas.mean(axis=0) == pytest.approx(exact, abs=4 * 0.5 / 100)


def test_cohorts_are_24_leaders_and_2_people_who_use_services(recruited):
    pop, prog, p = recruited
    assert np.array_equal(np.bincount(prog.cohort[prog.cohort >= 0]), [26] * 10)
    for c in range(p.n_cohorts):
        members = prog.members[c]
        assert np.all(prog.cohort[members] == c)
        assert np.sum(pop.sector[members] == COMMUNITY) == 2
        # Leaders come from the top of the pyramid (there are plenty of senior leaders here).
        assert np.all(pop.role[members][pop.sector[members] != COMMUNITY]
                      == ROLES.index("senior_leader"))


def test_leader_sectors_match_quotas_in_every_cohort(recruited):
    pop, prog, p = recruited
    for c in range(p.n_cohorts):
        counts = np.bincount(pop.sector[prog.members[c]], minlength=len(SECTORS) + 1)
        for s, sector in enumerate(SECTORS):
            exact = p.leader_sector_shares[sector] * p.leaders_per_cohort
            assert math.floor(exact) <= counts[s] <= math.ceil(exact)


def test_four_mixed_action_learning_sets_of_six_or_seven(recruited):
    pop, prog, p = recruited
    for c in range(p.n_cohorts):
        sets = prog.als[prog.members[c]]
        assert sorted(np.bincount(sets).tolist()) == [6, 6, 7, 7]
        users = prog.members[c][pop.sector[prog.members[c]] == COMMUNITY]
        assert len(set(prog.als[users].tolist())) == 2  # never both in one set
        for s in range(p.sets_per_cohort):
            assert len(set(pop.sector[prog.members[c][sets == s]].tolist())) >= 3


def test_programme_ties_are_every_pair_in_cohorts_and_sets(recruited):
    _, prog, p = recruited
    ties = programme_ties(prog, p)
    a, b, since = ties["cohort"]
    assert len(a) == p.n_cohorts * math.comb(26, 2)
    assert np.all(prog.cohort[a] == prog.cohort[b])
    assert np.array_equal(since, prog.start[prog.cohort[a]])
    a, b, since = ties["action_learning_set"]
    assert len(a) == p.n_cohorts * (2 * math.comb(7, 2) + 2 * math.comb(6, 2))
    assert np.all((prog.cohort[a] == prog.cohort[b]) & (prog.als[a] == prog.als[b]))


def test_post_course_contacts_cross_cohorts_and_date_from_graduation(recruited):
    pop, prog, p = recruited
    a, b, since = post_course_contacts(pop, prog, p, as_generator(23))
    both = prog.cohort[b] >= 0
    assert np.all(prog.cohort[a] >= 0)
    assert np.all(prog.cohort[a][both] != prog.cohort[b][both])
    later = np.maximum(prog.graduation[prog.cohort[a]],
                       np.where(both, prog.graduation[np.maximum(prog.cohort[b], 0)],
                                prog.graduation[prog.cohort[a]]))
    assert np.array_equal(since, later)
    # Means per alum: 3 with other alumni (less the 1/10 same-cohort draws) and 5 with others.
    assert 2 * both.sum() / p.n_alumni == pytest.approx(3 * 0.9, rel=0.2)
    # Alumni hold about 5% of all activity, so about 5% of the other draws hit an alum.
    assert (~both).sum() / p.n_alumni == pytest.approx(5 * 0.95, rel=0.15)
