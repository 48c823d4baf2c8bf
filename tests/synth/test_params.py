"""SynthParams: defaults are the seeds' numbers, presets, and one clear error per bad value."""

from __future__ import annotations

import dataclasses
import math

import pytest

from alumni_net.errors import ConfigError
from alumni_net.synth import PRESETS, SynthParams, make_params
from alumni_net.synth.params import ENGLAND_REGIONS, GENERIC_ROLES, SECTORS


def test_defaults_are_the_seeds_programme():
    p = SynthParams()
    assert (p.n_cohorts, p.leaders_per_cohort, p.service_users_per_cohort) == (10, 24, 2)
    assert (p.sets_per_cohort, p.n_sessions, p.course_months) == (4, 5, 6)
    assert p.cohort_size == 26 and p.n_alumni == 260
    assert p.n_people == 20_000


def test_suite_preset_has_about_3000_alumni_over_10_years():
    p = make_params("suite")
    assert p.n_alumni == 3_120
    assert p.n_cohorts / p.cohorts_per_year == 10
    assert p.n_people == 100_000


def test_every_share_table_sums_to_one_over_its_labels():
    p = SynthParams()
    for name, keys in [("sector_shares", SECTORS), ("leader_sector_shares", SECTORS),
                       ("region_shares", ENGLAND_REGIONS), ("role_shares", GENERIC_ROLES)]:
        shares = getattr(p, name)
        assert set(shares) == set(keys)
        assert math.isclose(sum(shares.values()), 1.0)


def test_every_field_is_documented():
    doc = SynthParams.__doc__
    for f in dataclasses.fields(SynthParams):
        assert f.name in doc, f.name


def test_overrides_apply_and_none_is_ignored():
    p = make_params("programme", n_people=5_000, n_cohorts=None)
    assert p.n_people == 5_000 and p.n_cohorts == 10
    assert make_params(None) == SynthParams()


def test_to_dict_round_trips():
    p = SynthParams(n_cohorts=3)
    assert SynthParams(**p.to_dict()) == p


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"n_people": 50}, "n_people must be a whole number from 100"),
        ({"n_cohorts": 0}, "n_cohorts must be"),
        ({"n_cohorts": 2.5}, "n_cohorts must be a whole number"),
        ({"colleague_rewire": 1.5}, "colleague_rewire must be a number from 0.0 to 1.0"),
        ({"colleague_k": 7}, "colleague_k must be even"),
        ({"sets_per_cohort": 30}, "sets_per_cohort cannot exceed"),
        ({"first_cohort_start": "Sept 2016"}, "first_cohort_start must be a date"),
        ({"first_cohort_start": "2016-01-31"}, "day 1-28"),
        ({"org_size_min": 50, "org_size_max": 10}, "org_size_max must be at least"),
        ({"sector_shares": {"health": 1.0}}, "sector_shares must give a share for exactly"),
        ({"region_shares": dict.fromkeys(ENGLAND_REGIONS, 0.2)},
         "region_shares must be non-negative"),
        ({"role_activity": {"manager": 1.0}}, "role_activity needs a positive weight"),
        ({"n_people": 1_000, "n_cohorts": 100}, "cannot be recruited"),
    ],
)
def test_bad_values_raise_one_clear_error(overrides, message):
    with pytest.raises(ConfigError, match=message):
        make_params("programme", **overrides)


def test_leaders_must_be_a_minority_of_their_sector_pool():
    # 10 cohorts x ceil(0.35 x 24) = 90 health leaders; the pool is 2,000 x 0.9 x 0.35 x 0.2 = 126.
    message = "about 90 health leaders cannot be recruited from about 126 "
    with pytest.raises(ConfigError, match=message):
        make_params("programme", n_people=2_000)


def test_unknown_preset_and_parameter():
    with pytest.raises(ConfigError, match="unknown preset 'big'; choose one of: programme, suite"):
        make_params("big")
    with pytest.raises(ConfigError, match="unknown synthetic parameter"):
        make_params("programme", cohort_sise=3)
    assert set(PRESETS) == {"programme", "suite", "national"}


def test_params_are_hashable_and_keep_their_own_copy_of_shares():
    shares = {"health": 0.5, "social_care": 0.2, "local_government": 0.1, "voluntary": 0.1,
              "private": 0.1}
    p = SynthParams(sector_shares=shares)
    shares["health"] = 0.9
    assert p.sector_shares["health"] == 0.5
    assert hash(p) == hash(SynthParams(sector_shares=dict(reversed(p.sector_shares.items()))))
    assert len({SynthParams(), SynthParams(), p}) == 2
    assert list(p.sector_shares) == ["health", "social_care", "local_government", "voluntary",
                                     "private"]
