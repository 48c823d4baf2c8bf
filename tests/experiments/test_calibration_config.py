"""The calibrated config: simulate's loader reads it back, [source] included (round trip)."""

from __future__ import annotations

import datetime as dt

import pytest
from tests.experiments.test_calibration import SIMPLE_TRUTH, adoption_dataset

from alumni_net.abm import ContagionParams
from alumni_net.errors import ConfigError
from alumni_net.experiments.calibration import SMCSettings, calibrate_dataset, calibrated_toml
from alumni_net.experiments.config import ILLUSTRATIVE, load_config, parse_config


@pytest.fixture(scope="module")
def calibration():
    ds = adoption_dataset(SIMPLE_TRUTH, 3, n=30, horizon=6)
    base = ContagionParams(decay=0.01, readoption=0.2, tie_weights={"tie": 0.7, "advice": 1.0},
                           topups=[{"month": 12, "cohorts": ["1"]}])
    return calibrate_dataset(ds, model="both", params=base,
                             settings=SMCSettings(population=20, max_generations=2),
                             n_predictive=20, seed=9)


def test_calibrated_toml_round_trips_through_the_config_loader(calibration, tmp_path):
    path = tmp_path / "calibrated.toml"
    path.write_text(calibrated_toml(calibration))
    config = load_config(path)
    assert config.params == calibration.params
    assert config.run.seed == 9 and config.run.engine == "fast"
    assert config.source.calibrated_on == "synthetic 3"
    assert config.source.date == dt.date.today().isoformat()
    assert config.source.model == calibration.chosen
    assert "ABC-SMC" in config.source.method
    assert config.parameter_source == f"calibrated on synthetic 3 ({config.source.date})"
    # the fixed parameters came through unchanged
    assert config.params.decay == 0.01 and config.params.readoption == 0.2
    assert config.params.weight_of("tie") == 0.7 and config.params.topups[0].cohorts == ("1",)


def test_fitted_values_carry_their_intervals_in_comments(calibration):
    text = calibrated_toml(calibration)
    beta = next(line for line in text.splitlines() if line.startswith("beta = "))
    assert "# fitted: 90% interval" in beta
    assert text.startswith("# Calibrated on synthetic 3")


def test_a_config_without_source_is_illustrative():
    assert parse_config({"model": {"beta": 0.01}}).parameter_source == ILLUSTRATIVE
    assert load_config(None).parameter_source == ILLUSTRATIVE


def test_an_unquoted_toml_date_is_accepted():
    config = parse_config({"source": {"calibrated_on": "x", "date": dt.date(2026, 1, 2)}})
    assert config.parameter_source == "calibrated on x (2026-01-02)"


@pytest.mark.parametrize(("table", "fragment"), [
    ({"date": "2026-01-02"}, "[source] needs calibrated_on"),
    ({"calibrated_on": "x", "date": "2 Jan"}, "date must be a day written YYYY-MM-DD"),
    ({"calibrated_on": "x", "date": "2026-01-02", "by": "me"}, "unknown key 'by' in [source]"),
    ({"calibrated_on": "", "date": "2026-01-02"}, "calibrated_on must name the dataset"),
])
def test_bad_source_tables_are_one_sentence_naming_the_file(table, fragment):
    with pytest.raises(ConfigError) as err:
        parse_config({"source": table}, source="cal.toml")
    assert str(err.value).startswith("cal.toml: ")
    assert fragment in str(err.value)
    assert "\n" not in str(err.value)
