"""Is it contagion? ABC-SMC model choice against analytic Bayes factors; no contagion against
contagion on data simulated with each; the share of adoptions through contagion; the
out-of-sample check on held-out groups; the physicians beside Van den Bulte & Lilien (2001)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from tests.experiments.test_calibration import adoption_dataset
from tests.helpers import real_dataset_dir

from alumni_net.abm import ContagionParams
from alumni_net.diffusion.ckm import PUBLISHED_CONTAGION
from alumni_net.errors import ConfigError, ValidationError
from alumni_net.experiments.calibration import (
    ModelFit,
    ModelSpace,
    PredictiveCheck,
    SMCSettings,
    abc_smc_choice,
    calibrate_dataset,
    write_calibration,
)
from alumni_net.experiments.calibration.calibrate import contagion_share
from alumni_net.experiments.calibration.holdout import split_groups
from alumni_net.experiments.config import load_config
from alumni_net.io import Dataset, load_dataset

# --- the sampler against analytic model probabilities ------------------------------------------
# x_1..x_20 ~ N(mu, sd): the summary (mean, sd) is sufficient for mu and sd, so ABC model
# choice with a small tolerance recovers the exact posterior model probabilities.

OBSERVED = np.array([0.7, 1.0])  # mean and sd of the observed sample


def _normal(sds):
    def simulate(models, theta, seeds):
        out = np.empty((len(models), len(seeds[0])))
        for i, (m, t, row) in enumerate(zip(models, theta, seeds, strict=True)):
            for r, s in enumerate(row):
                x = np.random.default_rng(s).normal(t[0], sds[m], 20)
                out[i, r] = np.hypot(x.mean() - OBSERVED[0], x.std(ddof=1) - OBSERVED[1])
        return out
    return simulate


_SETTINGS = SMCSettings(population=300, max_generations=7)


def test_two_models_with_one_likelihood_keep_their_prior_probabilities():
    spaces = [ModelSpace("a", np.array([[-5.0, 5.0]]), 0.5),
              ModelSpace("b", np.array([[-5.0, 5.0]]), 0.5)]
    r = abc_smc_choice(spaces, _normal([1.0, 1.0]), _SETTINGS, seed=2)
    assert r.probabilities["a"] == pytest.approx(0.5, abs=0.08)
    assert r.history["epsilon"].is_monotonic_decreasing


def test_a_prior_twice_as_wide_halves_the_bayes_factor():
    # Same likelihood; b spreads its prior over twice the range, so its marginal likelihood is
    # half of a's: P(a) = 2/3 exactly (Occam's factor: what a model's prior wastes, it pays).
    spaces = [ModelSpace("a", np.array([[-5.0, 5.0]]), 0.5),
              ModelSpace("b", np.array([[-10.0, 10.0]]), 0.5)]
    r = abc_smc_choice(spaces, _normal([1.0, 1.0]), _SETTINGS, seed=3)
    assert r.probabilities["a"] == pytest.approx(2 / 3, abs=0.08)


def test_a_model_that_cannot_produce_the_data_dies_out():
    spaces = [ModelSpace("sd1", np.array([[-5.0, 5.0]]), 0.5),
              ModelSpace("sd3", np.array([[-5.0, 5.0]]), 0.5)]
    r = abc_smc_choice(spaces, _normal([1.0, 3.0]), _SETTINGS, seed=1)
    assert r.probabilities["sd1"] > 0.97
    dead = r.models["sd3"]
    assert dead.probability < 0.03
    if not dead.alive:  # its last particles are kept, from the generation before it died
        assert dead.generation < len(r.history) - 1 and len(dead.particles) > 0


def test_model_choice_depends_on_the_seed_only():
    spaces = [ModelSpace("a", np.array([[-5.0, 5.0]]), 0.25),
              ModelSpace("b", np.array([[-5.0, 5.0], [0.0, 1.0]]), 0.75)]
    settings = SMCSettings(population=40, max_generations=3, replicates=2)
    one = abc_smc_choice(spaces, _normal([1.0, 2.0]), settings, seed=5)
    two = abc_smc_choice(spaces, _normal([1.0, 2.0]), settings, seed=5)
    for m in ("a", "b"):
        np.testing.assert_array_equal(one.models[m].particles, two.models[m].particles)
    assert one.probabilities == two.probabilities
    assert one.history.loc[0, "p_a"] == pytest.approx(0.25)  # generation 0 holds the prior
    with pytest.raises(ConfigError, match="add up to 1"):
        abc_smc_choice([ModelSpace("a", np.array([[0.0, 1.0]]), 0.6)], _normal([1.0]), settings)


# --- no contagion against contagion on simulated data --------------------------------------------
# Three villages of 60 (clustered rings, a tenth of ties rewired), three initial adopters each,
# 12 months. No contagion: adoption from a constant background alone (beta 0, alpha 0.03 a
# month). Clear contagion: beta 0.15 along every tie, background 0.003. "Wins": the model(s)
# hold more than half of the posterior probability.

NO_CONTAGION = {"beta": 0.0, "alpha": 0.03}
CONTAGION = {"beta": 0.15, "alpha": 0.003}


def _p_contagion(truth: dict, trial: int, settings: SMCSettings) -> float:
    ds = adoption_dataset(truth, 2000 + trial, n=60, comps=3, horizon=12)
    cal = calibrate_dataset(ds, model="both", params=ContagionParams(decay=0.0),
                            settings=settings, n_predictive=20, seed=trial)
    return cal.p_contagion


_QUICK = SMCSettings(population=60, max_generations=5)
_FULL = SMCSettings(population=150, max_generations=8)


@pytest.mark.parametrize(("truth", "contagion"), [(NO_CONTAGION, False), (CONTAGION, True)],
                         ids=["no contagion", "contagion"])
def test_the_true_model_wins_quick(truth, contagion):
    # One trial, about 3 s of CPU; the slow test runs the 10 trials.
    p = _p_contagion(truth, 0, _QUICK)
    assert (p > 0.5) == contagion, p


@pytest.mark.slow
@pytest.mark.timeout(3600)  # 20 calibrations: 10 to 20 minutes on a shared 2-core machine
@pytest.mark.parametrize(("truth", "contagion"), [(NO_CONTAGION, False), (CONTAGION, True)],
                         ids=["no contagion", "contagion"])
def test_the_true_model_wins_in_9_of_10_trials(truth, contagion):
    p = [_p_contagion(truth, trial, _FULL) for trial in range(10)]
    print("P(contagion) on data simulated with", "contagion" if contagion else "no contagion",
          np.round(p, 3).tolist())  # shown with pytest -s: the measured probabilities
    assert sum((x > 0.5) == contagion for x in p) >= 9, p


@pytest.mark.slow
@pytest.mark.timeout(3600)  # the default settings: a few minutes of CPU
def test_the_physicians_beside_van_den_bulte_and_lilien():
    # Van den Bulte & Lilien (2001): once marketing effort is controlled for, the contagion
    # effects in these data disappear. The calibration has no marketing series; what it can say is
    # whether the adoption times need contagion beyond a constant background. Measured (seed 5,
    # default settings): P(contagion) 0.49, share through contagion 0% (90% interval 0% to 29%),
    # every model passing its predictive check.
    physicians = load_dataset(real_dataset_dir("medical_innovation"))
    cal = calibrate_dataset(physicians, column="toa", not_adopted=18, time_unit="month",
                            by="city", workers=2, seed=5)
    print(f"physicians: {cal.verdict}; share through contagion {cal.contagion_share}; beside "
          f"{PUBLISHED_CONTAGION['van_den_bulte_lilien_2001']}")
    assert cal.fits_data and cal.p_contagion < 0.9  # the data do not favour contagion
    assert cal.contagion_share[1] < 0.01  # nor exclude that none of it was contagion


# --- a background that changes over time ---------------------------------------------------------
# No contagion, a background of 0.005 a month in months 1-6 and 0.08 from month 7 (a campaign):
# an accelerating curve, which contagion produces and a constant background does not. With the
# background fitted over two periods (the calibration's break falls at month 7 of 12), every model
# shares the trend and the no-contagion model must win.

TREND = {"beta": 0.0, "background_breaks": (7,), "background_rates": (0.005, 0.08)}


def _trend_calibration(truth: dict, trial: int, settings: SMCSettings, periods: int = 2):
    ds = adoption_dataset(truth, 3000 + trial, n=60, comps=3, horizon=12)
    return calibrate_dataset(ds, model="both", params=ContagionParams(decay=0.0),
                             background_periods=periods, settings=settings, n_predictive=20,
                             seed=trial)


def _inside(cal, truth: dict) -> list[bool]:
    fitted = cal.fits["no_contagion"].summary.set_index("parameter")
    return [bool(fitted.loc[f"alpha[{k}]", "lo"] <= v <= fitted.loc[f"alpha[{k}]", "hi"])
            for k, v in enumerate(truth["background_rates"])]


def test_a_time_varying_background_is_recovered_and_fits_where_a_constant_one_cannot():
    # About 9 s of CPU for the two calibrations. Measured (seed 0): with the constant background
    # no model passes its predictive check (at most 58% of periods inside a band).
    varying = _trend_calibration(TREND, 0, _QUICK)
    assert varying.background.breaks == (7,)
    assert all(_inside(varying, TREND))
    assert varying.fits["no_contagion"].check.share_inside >= 0.8 and varying.fits_data
    assert varying.params.background_breaks == (7,) and len(varying.params.background_rates) == 2
    constant = _trend_calibration(TREND, 0, _QUICK, periods=1)
    assert not constant.fits_data


@pytest.mark.slow
@pytest.mark.timeout(3600)  # 10 calibrations of about 30 s of CPU each
def test_no_contagion_wins_over_a_time_varying_background_in_9_of_10_trials():
    # Measured (trials 0-2): P(contagion) 0.41, 0.47, 0.41; the background's 90% intervals
    # held both true rates.
    cals = [_trend_calibration(TREND, trial, _FULL) for trial in range(10)]
    p = [c.p_contagion for c in cals]
    inside = np.array([_inside(c, TREND) for c in cals])
    print("P(contagion), time-varying background, no contagion:", np.round(p, 3).tolist(),
          "true rates inside their 90% intervals:", inside.sum(axis=0).tolist())
    assert sum(x < 0.5 for x in p) >= 9, p
    assert (inside.sum(axis=0) >= 8).all(), inside  # a 90% interval: at least 8 of 10


@pytest.mark.slow
@pytest.mark.timeout(3600)
def test_contagion_wins_with_a_time_varying_background_fitted_in_9_of_10_trials():
    p = [_trend_calibration(CONTAGION, trial, _FULL).p_contagion for trial in range(10)]
    print("P(contagion), clear contagion, background fitted over 2 periods:",
          np.round(p, 3).tolist())
    assert sum(x > 0.5 for x in p) >= 9, p


def test_a_background_by_group_needs_groups_and_no_holdout(villages, tmp_path):
    with pytest.raises(ConfigError, match="needs a group column"):
        calibrate_dataset(villages, background_by_group=True, settings=_QUICK)
    with pytest.raises(ConfigError, match="cannot predict held-out groups"):
        calibrate_dataset(villages, by="village", holdout=0.34, background_by_group=True,
                          settings=_QUICK)
    with pytest.raises(ConfigError, match="from 1 to the 12 observed periods"):
        calibrate_dataset(villages, background_periods=13, settings=_QUICK)
    tiny = SMCSettings(population=20, max_generations=2)
    cal = calibrate_dataset(villages, by="village", background_by_group=True,
                            background_periods=2, settings=tiny, n_predictive=20, seed=1)
    assert cal.params.background_by == "village"
    assert cal.params.background_groups == ("east", "north", "south", "west")
    assert len(cal.params.background_rates) == 8  # 2 periods within each of 4 villages
    assert "alpha[7]" in set(cal.fitted["parameter"])
    write_calibration(cal, tmp_path / "out", force=True)  # simulate reads it back
    config = load_config(tmp_path / "out" / "calibrated.toml")
    assert config.params == cal.params
    drawn = config.posterior.params(config.params, 3)
    assert drawn.background_groups == cal.params.background_groups
    assert drawn.background_rates == tuple(float(f"{v:.4g}") for v in (
        dict(cal.draws.values)[f"alpha[{k}]"][3] for k in range(8)))


@pytest.mark.slow
@pytest.mark.timeout(3600)  # two calibrations of the 692 farmers: about 90 s of CPU
def test_the_farmers_fit_with_a_background_that_changes_over_time():
    # Their adoption jumps in year 10 and accelerates: no constant background, with or without
    # contagion, reproduces it; a background over three periods does. Measured (seed 5, these
    # settings): constant, at most 44% of years inside a band; three periods, 100% for every
    # model, P(contagion) 0.39.
    farmers = load_dataset(real_dataset_dir("brazilian_farmers"))
    settings = SMCSettings(population=100, max_generations=6)
    kw = dict(column="toa", not_adopted=20, time_unit="year", by="village", settings=settings,
              n_predictive=40, seed=5)
    constant = calibrate_dataset(farmers, **kw)
    varying = calibrate_dataset(farmers, background_periods=3, **kw)
    print(f"farmers: constant {constant.reason}; three periods {varying.reason}, "
          f"{varying.verdict}")
    assert not constant.fits_data and constant.reason.startswith("no model fits")
    assert varying.fits_data and varying.fits["no_contagion"].check.share_inside >= 0.8
    assert varying.p_contagion < 0.9  # the trend explains the acceleration as well


# --- what a calibration says ----------------------------------------------------------------------

@pytest.fixture(scope="module")
def villages() -> Dataset:
    """Four villages of 40 with clear contagion, the village as a column."""
    ds = adoption_dataset(CONTAGION, 77, n=40, comps=4, horizon=12)
    village = np.repeat(["north", "south", "east", "west"], 40)
    return Dataset(ds.people.assign(village=village), ds.ties, directed=False, name="villages")


@pytest.fixture(scope="module")
def held_out(villages):
    return calibrate_dataset(villages, by="village", holdout=0.25, params=ContagionParams(decay=0),
                             settings=SMCSettings(population=40, max_generations=4),
                             n_predictive=40, seed=3)


def test_holding_out_fits_on_the_other_groups_and_predicts_the_held_out_one(held_out, villages):
    h = held_out.holdout
    assert len(h.held_groups) == 1 and len(h.fitted_groups) == 3 and h.cut_ties == 0
    assert set(held_out.observed.group_labels) == set(h.fitted_groups)
    assert len(held_out.observed.ids) == 120  # only the fitted villages were fitted
    row = h.table.iloc[0]
    assert row["group"] == h.held_groups[0] and row["people"] == 40
    people = villages.people[villages.people["village"] == row["group"]]
    assert row["observed_final_share"] == pytest.approx(people["adoption_time"].notna().mean())
    assert row["lo"] <= row["median"] <= row["hi"]
    assert row["inside"] == (row["lo"] <= row["observed_final_share"] <= row["hi"])
    assert 0 <= h.coverage <= 1 and set(h.bands["curve"]) == set(h.held_groups)
    assert h.bands["period"].max() == held_out.observed.n_periods  # the fitted window
    # clear contagion, well predicted: the held-out village's curve lies in its band
    assert h.coverage >= 0.75


def _fit(model: str, p: float, shares) -> ModelFit:
    check = PredictiveCheck(pd.DataFrame(), 1.0, np.zeros(1), np.asarray(shares, dtype=float))
    return ModelFit(model, (), None, check, probability=p)


@pytest.mark.parametrize(("p_none", "expected"), [
    (0.3, (0.8, 0.0, 0.8)),    # 30% of the posterior has no contagion: the interval reaches 0
    (0.03, (0.8, 0.8, 0.8)),   # 3%: below the interval's 5% tail
])
def test_the_share_through_contagion_averages_the_models_by_probability(p_none, expected):
    fits = {"no_contagion": _fit("no_contagion", p_none, np.zeros(50)),
            "simple": _fit("simple", 1 - p_none, np.full(100, 0.8))}
    assert contagion_share(fits) == pytest.approx(expected)


def test_a_calibration_reports_the_share_and_its_interval(held_out):
    med, lo, hi = held_out.contagion_share
    assert 0 <= lo <= med <= hi <= 1
    assert held_out.source["contagion_share"] == [round(v, 4) for v in (med, lo, hi)]


def test_holding_out_needs_groups(villages):
    with pytest.raises(ConfigError, match="group column"):
        calibrate_dataset(villages, holdout=0.5)
    with pytest.raises(ValidationError, match="at least 2 groups"):
        split_groups(pd.DataFrame({"v": ["a"] * 5}), "v", 0.5, np.random.default_rng(0))
    with pytest.raises(ConfigError, match="between 0 and 1"):
        split_groups(pd.DataFrame({"v": ["a", "b"]}), "v", 1.0, np.random.default_rng(0))


def test_the_split_depends_on_the_seed_only():
    people = pd.DataFrame({"v": list("abcdefghij") * 3})
    a = split_groups(people, "v", 0.3, np.random.default_rng(1))
    b = split_groups(people, "v", 0.3, np.random.default_rng(1))
    assert a[2] == b[2] and len(a[2]) == 3 and a[0].sum() == 9
