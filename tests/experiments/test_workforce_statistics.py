"""Ego statistics: known answers on a hand-built survey, and the observed survey's arrays."""

from __future__ import annotations

import math

import numpy as np
import pytest

from alumni_net.experiments.workforce import STATISTICS
from alumni_net.experiments.workforce.sample import EgoSample, sample_from_ego_data
from alumni_net.experiments.workforce.statistics import (
    bootstrap,
    ego_statistics,
    role_shares,
    workforce_other,
)

L = math.log(2)


def _tiny() -> EgoSample:
    """Two egos: ego 0 (weight 1) named a0-a3 (a3 met through the programme), ego 1 (weight 3)
    named b0; pairs (a0, a1) same organisation and tied, (a0, a2) not tied, (a1, a2) tied."""
    a = np.array
    return EgoSample(
        weight=a([1.0, 3.0]), sector=a([0, 1]), region=a([0, 1]), role=a([0, 0]),
        own=a([9.0, 0.0]), other=a([19.0, 4.0]),
        alter_ego=a([0, 0, 0, 0, 1]), alter_sector=a([0, 0, 1, 0, 1]),
        alter_region=a([0, 0, 0, 1, 0]), alter_role=a([0, 0, 1, 0, 2]),
        same_org=a([1, 1, 0, 0, 0], dtype=np.int8), programme=a([0, 0, 0, 1, 0], dtype=bool),
        alter_other=a([3.0, np.nan, 7.0, 5.0, 1.0]),
        pair_ego=a([0, 0, 0]), pair_same=a([True, False, False]),
        pair_tied=a([True, False, True]),
    )


def test_known_values_on_a_hand_built_survey():
    s = _tiny()
    assert workforce_other(s).tolist() == [9.5, 4.0]  # 19 net of half its named: programme
    got = dict(zip(STATISTICS, ego_statistics(s), strict=True))
    sd_other = math.sqrt(0.75 * 0.25 * (math.log(10.5) - math.log(5)) ** 2)
    expected = {
        "log_known_own_org": math.log(10) / 4,
        "share_named_same_org": 1 / 3,
        "log_contacts_of_contacts": 8 / 5 * L,
        "sd_log_contacts_of_contacts": 0.8 * L,
        "share_other_org_same_region": 1 / 4,
        "density_same_org_pairs": 1.0,
        "density_mixed_pairs": 0.5,
        "log_known_other_orgs": (math.log(10.5) + 3 * math.log(5)) / 4,
        "sd_log_known_other_orgs": sd_other,
        "share_other_org_same_sector": 3 / 4,
        "share_named_through_programme": 1 / 7,
    }
    assert got == pytest.approx(expected)


def test_role_counts_are_weighted_contacts_in_other_organisations():
    assert role_shares(_tiny(), 3).tolist() == [0.0, 1.0, 3.0]


def test_bootstrap_of_identical_egos_has_no_spread():
    s = _tiny()
    same = EgoSample(**{**s.__dict__, "own": np.array([9.0, 9.0])})
    boot = bootstrap(same, 50, np.random.default_rng(0))
    assert boot.shape == (50, len(STATISTICS))
    assert np.all(boot[:, 0] == pytest.approx(math.log(10)))


def test_the_example_survey_as_arrays(imported, population):
    from alumni_net.survey import categories_from_population

    data = imported.data
    s = sample_from_ego_data(data, categories_from_population(population))
    assert s.n_egos == 30 and len(s.alter_ego) == len(data.alters)
    known = ~data.alters["same_organisation"].isna() & ~data.alters["met_through_programme"]
    per_ego = data.alters[known].groupby("ego_id").size()
    assert len(s.pair_ego) == int((per_ego * (per_ego - 1) // 2).sum())
    assert s.pair_tied.sum() <= len(data.alter_ties)
    assert (s.sector >= 0).all() and (s.alter_role >= 0).all()
