"""The Coleman-Katz-Menzel reproduction helpers on the real physicians' data."""

from __future__ import annotations

import pytest

from alumni_net.diffusion import thresholds
from alumni_net.diffusion.ckm import (
    CONFOUNDING_NOTE,
    ckm_adoption_by_city,
    ckm_structural_tests,
    ckm_thresholds_by_city,
    physicians_diffusion,
)
from alumni_net.errors import ConfigError


def test_city_curves_match_the_readme(physicians_censored):
    # Dataset README: physicians per city {1: 62, 2: 24, 3: 21, 4: 18}; share adopting by city
    # (toa <= 17) {1: 0.887, 2: 0.875, 3: 0.81, 4: 0.889}; 109 adopters.
    curves = ckm_adoption_by_city(physicians_censored)
    final = curves.groupby("city").last()
    assert final["n"].to_dict() == {1: 62, 2: 24, 3: 21, 4: 18}
    assert final["share"].round(3).to_dict() == {1: 0.887, 2: 0.875, 3: 0.810, 4: 0.889}
    assert final["cumulative"].sum() == 109
    assert curves["period"].max() == 17
    assert curves.loc[curves["city"] == 1, "city_name"].iloc[0] == "Peoria"


def test_thresholds_by_city_reproduce_the_vignette(physicians):
    # Vignette struct_test "observed" values per city and overall (see test_netdiffuser_reference).
    table = ckm_thresholds_by_city(physicians).set_index("city")
    assert table["mean_threshold"].round(4).to_dict() == {
        1: 0.6304, 2: 0.4931, 3: 0.4365, 4: 0.5926, "all": 0.5660}
    assert table.loc["all", "with_threshold"] == 125  # first-month and month-18 adopters too


def test_censored_reading_gives_fewer_thresholds(physicians_censored):
    # 109 adopters minus the 11 of the first month.
    assert thresholds(physicians_censored)["threshold"].notna().sum() == 98


def test_structural_tests_table(physicians):
    table = ckm_structural_tests(physicians, null="permute", replicates=60, seed=3)
    assert table["city"].tolist() == [1, 2, 3, 4, "all"]
    assert table["physicians"].tolist() == [62, 24, 21, 18, 125]
    assert table["observed"].round(4).tolist() == [0.6304, 0.4931, 0.4365, 0.5926, 0.5660]
    assert table["published_observed"].tolist() == table["observed"].round(4).tolist()
    again = ckm_structural_tests(physicians, null="permute", replicates=60, seed=3)
    assert again["expected"].tolist() == table["expected"].tolist()


def test_confounding_is_stated_and_wrong_data_rejected(physicians_dataset):
    assert "Van den Bulte & Lilien (2001" in CONFOUNDING_NOTE and "marketing" in CONFOUNDING_NOTE
    with pytest.raises(ConfigError, match="convention"):
        physicians_diffusion(physicians_dataset, convention="other")


def test_reproduction_tables_side_by_side(physicians_dataset):
    from alumni_net.diffusion.ckm import ckm_reproduction

    tables = ckm_reproduction(physicians_dataset, null="permute", replicates=20, seed=1)
    assert set(tables) == {"by_period", "curves_by_city", "thresholds_by_city", "structure_tests"}
    by_period = tables["by_period"]
    assert (by_period["adopters"] == by_period["published_adopters"]).all()
    same = by_period.iloc[1:17]
    assert (same["hazard"].round(2) == same["published_hazard"]).all()
    assert (same["moran"].round(2) == same["published_moran"]).all()
