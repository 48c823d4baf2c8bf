"""The calibrated config: simulate's loader reads it back, [source] included (round trip)."""

from __future__ import annotations

import datetime as dt

import numpy as np
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
    assert config.parameter_source == (f"calibrated on synthetic 3 ({config.source.date}); "
                                       f"{calibration.verdict}")
    assert config.source.time_unit == "month" and config.source.time_column == "adoption_time"
    assert config.source.p_contagion == pytest.approx(calibration.p_contagion, abs=1e-4)
    assert config.source.contagion_share == pytest.approx(calibration.contagion_share, abs=1e-4)
    # the posterior draws come back as drawn (to 4 significant figures), every one valid
    draws = config.posterior
    assert draws.model == calibration.draws.model
    for (key, got), (_, want) in zip(draws.values, calibration.draws.values, strict=True):
        np.testing.assert_allclose(got, want, rtol=1e-3, err_msg=key)
    first = draws.params(config.params, 0)
    assert first.decay == 0.01 and first.weight_of("tie") == 0.7  # the fixed ones stay
    # the fixed parameters came through unchanged
    assert config.params.decay == 0.01 and config.params.readoption == 0.2
    assert config.params.weight_of("tie") == 0.7 and config.params.topups[0].cohorts == ("1",)


def test_fitted_values_carry_their_intervals_in_comments(calibration):
    text = calibrated_toml(calibration)
    alpha = next(line for line in text.splitlines() if line.startswith("alpha = "))
    assert "# fitted: 90% interval" in alpha  # every model fits the background
    assert text.startswith(f"# Calibrated on synthetic 3 ({calibration.date}): "
                           f"{calibration.verdict}.")


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


def test_a_posterior_table_gives_one_parameter_set_per_draw():
    config = parse_config({"model": {"decay": 0.02},
                           "posterior": {"model": ["simple", "no_contagion"],
                                         "beta": [0.03, 0.0], "alpha": [0.001, 0.002]}})
    draws = config.posterior
    assert len(draws) == 2 and draws.model_shares() == {"no_contagion": 0.5, "simple": 0.5}
    assert [p.beta for p in draws.all_params(config.params)] == [0.03, 0.0]
    assert draws.params(config.params, 3).alpha == 0.002 and draws.params(config.params, 3).decay \
        == 0.02  # replicate 3 runs draw 3 mod 2


@pytest.mark.parametrize(("table", "fragment"), [
    ({"beta": [0.1]}, "[posterior] needs model = [...]"),
    ({"model": ["simple"], "beta": ["x"]}, "[posterior] beta must be a list of numbers"),
    ({"model": ["simple", "simple"], "beta": [0.1]}, "beta has 1 values for 2 draws"),
    ({"model": ["simple"], "gamma": [0.1]}, "'gamma' is not a model parameter"),
    ({"model": ["simple"], "beta": [1.5]}, "beta must be a probability"),
])
def test_bad_posterior_tables_are_one_sentence_naming_the_file(table, fragment):
    with pytest.raises(ConfigError) as err:
        parse_config({"posterior": table}, source="cal.toml")
    assert str(err.value).startswith("cal.toml: ") and fragment in str(err.value)


def test_a_forced_misfit_and_its_verdict_are_said_wherever_the_source_is():
    config = parse_config({"source": {"calibrated_on": "x", "date": "2026-01-02",
                                      "verdict": "the data favour contagion (P = 0.97)",
                                      "predictive_check": "failed",
                                      "contagion_share": [0.4, 0.0, 0.7]}})
    assert config.parameter_source == (
        "calibrated on x (2026-01-02); no model passed its predictive check (written with "
        "--force); the data favour contagion (P = 0.97)")
    assert config.source.no_contagion_possible
    with pytest.raises(ConfigError, match="contagion_share must be three shares"):
        parse_config({"source": {"calibrated_on": "x", "date": "2026-01-02",
                                 "contagion_share": [0.4]}})
