"""People and organisations: shares, Zipf sizes, roles and activity against their parameters."""

from __future__ import annotations

import numpy as np
import pytest

from alumni_net.core.rng import as_generator
from alumni_net.synth import SynthParams
from alumni_net.synth.params import ENGLAND_REGIONS, GENERIC_ROLES, ROLES, SECTORS
from alumni_net.synth.population import COMMUNITY, build_population, org_sizes


@pytest.fixture(scope="module")
def pop_and_params():
    p = SynthParams(n_people=200_000)
    return build_population(p, as_generator(11)), p


def _within_sampling_error(counts: np.ndarray, shares: np.ndarray, z: float = 4.5) -> bool:
    """Multinomial counts agree with ``shares`` to within ``z`` standard errors in every cell
    (z = 4.5 makes a false alarm over 7 cells about 1 in 20,000)."""
    n = counts.sum()
    se = np.sqrt(shares * (1 - shares) / n)
    return bool(np.all(np.abs(counts / n - shares) <= z * se + 1e-12))


def test_org_sizes_fill_the_cell_and_respect_bounds():
    p = SynthParams()
    rng = as_generator(1)
    for count in [1, 4, 5, 17, 1_000, 123_457]:
        sizes = org_sizes(rng, count, p)
        assert sizes.sum() == count
        assert sizes.max() <= p.org_size_max
        if count >= p.org_size_min:
            assert sizes.min() >= p.org_size_min
    assert len(org_sizes(rng, 0, p)) == 0


def test_org_sizes_follow_zipf_tail():
    # Integer thresholds see the continuous Pareto exactly: P(S >= s) = (min / s) ** exponent.
    p = SynthParams()
    sizes = org_sizes(as_generator(2), 2_000_000, p)
    for s in [10, 50, 200, 1_000]:
        expected = (p.org_size_min / s) ** p.org_size_exponent
        se = np.sqrt(expected * (1 - expected) / len(sizes))
        assert abs(np.mean(sizes >= s) - expected) < 4.5 * se


def test_sector_and_region_shares_match_parameters(pop_and_params):
    pop, p = pop_and_params
    work = pop.sector != COMMUNITY
    assert (~work).sum() == round(p.n_people * p.community_share)
    sector_counts = np.bincount(pop.sector[work], minlength=len(SECTORS))
    assert _within_sampling_error(sector_counts, np.array([p.sector_shares[s] for s in SECTORS]))
    region_counts = np.bincount(pop.region, minlength=len(ENGLAND_REGIONS))
    shares = np.array([p.region_shares[r] for r in ENGLAND_REGIONS])
    assert _within_sampling_error(region_counts, shares)


def test_each_organisation_has_one_sector_and_region(pop_and_params):
    pop, _ = pop_and_params
    assert np.all(pop.org[:-1] <= pop.org[1:])  # grouped by organisation
    for column in (pop.sector, pop.region):
        first = column[pop.org_start[:-1]]
        assert np.array_equal(column, first[pop.org])


def test_roles_follow_the_pyramid(pop_and_params):
    pop, p = pop_and_params
    work = pop.sector != COMMUNITY
    assert np.all(pop.role[~work] == ROLES.index("community_member"))
    counts = np.bincount(pop.role[work], minlength=4)[:4]
    assert _within_sampling_error(counts, np.array([p.role_shares[r] for r in GENERIC_ROLES]))


def test_activity_has_mean_one_and_scales_with_role(pop_and_params):
    pop, p = pop_and_params
    assert pop.activity.mean() == pytest.approx(1.0)
    mean = {r: pop.activity[pop.role == ROLES.index(r)].mean() for r in GENERIC_ROLES}
    ratio = mean["senior_leader"] / mean["practitioner"]
    assert ratio == pytest.approx(p.role_activity["senior_leader"], rel=0.1)
