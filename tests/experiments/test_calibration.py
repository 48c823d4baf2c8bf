"""Calibration: the ABC-SMC sampler against an analytic posterior, the mapping of observed times
onto model months, the distance, the identifiability rule, the model comparison, and recovery of
known parameters from data simulated with them. Model choice (no contagion against contagion) and
the out-of-sample check are in test_calibration_choice.py."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from alumni_net.abm import ContagionModel, ContagionParams
from alumni_net.errors import ConfigError, ValidationError
from alumni_net.experiments.calibration import (
    Background,
    ModelFit,
    ParameterPrior,
    PredictiveCheck,
    SMCResult,
    SMCSettings,
    abc_smc,
    calibrate_dataset,
    compare_models,
    curve_distance,
    default_priors,
    observed_adoption,
)
from alumni_net.experiments.calibration.smc import weighted_quantile
from alumni_net.io import Dataset

SIMPLE_TRUTH = {"beta": 0.06, "alpha": 0.004}
COMPLEX_TRUTH = {"beta": 0.15, "alpha": 0.004, "threshold": 0.25}


def adoption_dataset(truth: dict, seed: int, *, n: int = 60, comps: int = 2,
                     horizon: int = 12) -> Dataset:
    """Observed adoption times simulated from ``truth`` on ``comps`` clustered villages (ring
    lattices of degree 6, a tenth of ties rewired), three neighbouring initial adopters each
    (time 0; neighbours, so that a threshold of 2 contacts can be met); not adopted = empty."""
    rng = np.random.default_rng(seed)
    G = nx.disjoint_union_all([
        nx.connected_watts_strogatz_graph(n, 6, 0.1, seed=int(rng.integers(2**31)))
        for _ in range(comps)])
    seeds = [c * n + i for c in range(comps) for i in range(3)]
    kind = "fraction" if "threshold" in truth else "count"
    params = ContagionParams(horizon_months=horizon, decay=0.0, threshold_kind=kind, **truth)
    model = ContagionModel(G, params, programme=False, rng=seed, initial_adopters=seeds)
    model.run()
    first = np.full(G.number_of_nodes(), np.nan)
    for month, people, _via, _dist in reversed(model.adoption_log):
        first[people] = month
    people = pd.DataFrame({"person_id": np.arange(G.number_of_nodes()),
                           "adoption_time": first, "is_alum": False})
    ties = pd.DataFrame(list(G.edges()), columns=["source", "target"]).assign(kind="tie")
    return Dataset(people, ties, directed=False, name=f"synthetic {seed}")


def _recovery(model: str, truth: dict, trials: range, settings: SMCSettings):
    """Per trial: was each true value inside the model's 90% interval; and beta's width ratio."""
    hits, widths = [], []
    for trial in trials:
        ds = adoption_dataset(truth, 1000 + trial)
        cal = calibrate_dataset(ds, model=model, params=ContagionParams(decay=0.0),
                                settings=settings, n_predictive=20, seed=trial)
        fitted = cal.fitted.query("model == @model").set_index("parameter")
        hits.append({p: bool(fitted.loc[p, "lo"] <= v <= fitted.loc[p, "hi"])
                     for p, v in truth.items()})
        widths.append(float(fitted.loc["beta", "width_ratio"]))
    return hits, widths


# --- the sampler -----------------------------------------------------------------------------

def test_abc_smc_matches_the_analytic_posterior_of_a_normal_mean():
    # x_1..x_20 ~ N(mu, 1) with mean 0.7 observed, flat prior on [-5, 5]: the posterior is
    # N(0.7, 1/20), 90% interval 0.7 +- 1.645/sqrt(20) = [0.332, 1.068]. The sample mean is
    # sufficient, so ABC with a small tolerance recovers it.
    def simulate(theta, seeds):
        return np.array([[abs(np.random.default_rng(s).normal(t[0], 1.0, 20).mean() - 0.7)
                          for s in row] for t, row in zip(theta, seeds, strict=True)])

    res = abc_smc(np.array([[-5.0, 5.0]]), simulate,
                  SMCSettings(population=400, max_generations=9), seed=3)
    lo, med, hi = weighted_quantile(res.particles[:, 0], res.weights, [0.05, 0.5, 0.95])
    assert med == pytest.approx(0.7, abs=0.06)
    assert lo == pytest.approx(0.332, abs=0.08)
    assert hi == pytest.approx(1.068, abs=0.08)
    assert res.history["epsilon"].is_monotonic_decreasing
    assert res.ess > 200


def test_abc_smc_depends_on_the_seed_only():
    def simulate(theta, seeds):
        return np.array([[abs(np.random.default_rng(s).normal(t[0], 1.0) - 1.0) for s in row]
                         for t, row in zip(theta, seeds, strict=True)])

    settings = SMCSettings(population=30, max_generations=3, replicates=2)
    a = abc_smc(np.array([[0.0, 3.0]]), simulate, settings, seed=5)
    b = abc_smc(np.array([[0.0, 3.0]]), simulate, settings, seed=5)
    c = abc_smc(np.array([[0.0, 3.0]]), simulate, settings, seed=6)
    np.testing.assert_array_equal(a.particles, b.particles)
    np.testing.assert_array_equal(a.weights, b.weights)
    assert not np.array_equal(a.particles, c.particles)
    assert a.distances.shape == (30, 2)


@pytest.mark.parametrize("bad", [{"population": 5}, {"replicates": 0}, {"quantile": 1.0},
                                 {"max_generations": 1}, {"min_acceptance": 1.0}])
def test_smc_settings_are_validated(bad):
    with pytest.raises(ConfigError):
        SMCSettings(**bad)


# --- observed times on the model's months ------------------------------------------------------

def _dataset(times, ties=((1, 2), (2, 3)), **columns) -> Dataset:
    people = pd.DataFrame({"person_id": np.arange(1, len(times) + 1), "t": times, **columns,
                           "is_alum": False})
    frame = pd.DataFrame(list(ties), columns=["source", "target"]).assign(kind="tie")
    return Dataset(people, frame, directed=True, name="toy")


def test_years_map_onto_twelve_months_and_the_first_time_gives_the_seeds():
    obs = observed_adoption(_dataset([3, 4, 20, 6, 3]), column="t", time_unit="year",
                            not_adopted=20, min_group_size=3)
    assert obs.period.tolist() == [0, 1, -1, 3, 0]
    assert obs.seeds.tolist() == [1, 5]
    assert obs.horizon_months == 36 and obs.months_per_period == 12
    # a simulated first adoption in month 1..12 falls in period 1, 13..24 in 2; -1 stays -1
    months = np.array([0, 1, 12, 13, 36, -1])
    assert obs.period_of_months(months).tolist() == [0, 1, 1, 2, 3, -1]
    # component {1, 2, 3} has a curve; 4 and 5 (no ties) only count overall
    assert obs.group_labels == ("component 1",)
    np.testing.assert_allclose(obs.curves(), [[0.6, 0.6, 0.8], [2 / 3, 2 / 3, 2 / 3]])


def test_dates_become_calendar_months():
    times = pd.to_datetime(["1990-01-15", "1990-03-01", None, "1991-01-31"])
    obs = observed_adoption(_dataset(times), column="t", time_unit="year")
    assert obs.time_unit == "month"
    assert obs.period.tolist() == [0, 2, -1, 12]


def test_exposure_follows_the_influence_direction():
    # 1 and 3 named 2, so influence travels from 2 to them. 1 is a seed (left out); 3 adopted
    # before 2, so unexposed: mean exposure 0, all unexposed. Along the arrows instead, 2 is
    # exposed by 1 and 3, who both adopted before it: mean exposure 1, none unexposed.
    ds = _dataset([1, 3, 2], ties=((1, 2), (3, 2)))
    along = observed_adoption(ds, column="t")
    assert along.exposure(along.period).tolist() == [0.0, 1.0]
    against = observed_adoption(ds, column="t", influence="source_to_target")
    assert against.exposure(against.period).tolist() == [1.0, 0.0]


@pytest.mark.parametrize(("times", "column", "message"), [
    ([1, 2, 3], "adoption_time", "there is no 'adoption_time' column"),
    ([0, 0, 0], "t", "every person adopted at the same time (0)"),
    ([None, None, None], "t", "nobody has an adoption time"),
    ([1, 1.5, 3], "t", "must be whole months"),
])
def test_unusable_adoption_times_get_one_sentence(times, column, message):
    with pytest.raises(ValidationError) as err:
        observed_adoption(_dataset(times), column=column)
    assert len(err.value.problems) == 1
    assert message in str(err.value.problems[0])


def test_unknown_group_column_and_unit_are_refused():
    with pytest.raises(ValidationError, match="no 'village' column"):
        observed_adoption(_dataset([1, 2, 3]), column="t", by="village")
    with pytest.raises(ConfigError, match="time unit"):
        observed_adoption(_dataset([1, 2, 3]), column="t", time_unit="fortnight")


def test_days_and_weeks_fall_in_the_model_month_they_belong_to():
    # A month is 365.25 / 12 = 30.4375 days: days 1-30 are month 1, day 31 month 2, day 61
    # month 3 (60.875 days is two months). Only time 0 is period 0 (the seeds).
    obs = observed_adoption(_dataset([100, 101, 130, 131, 161]), column="t", time_unit="day",
                            min_group_size=3)
    assert obs.period.tolist() == [0, 1, 1, 2, 3]
    assert obs.months_per_period == 1 and obs.horizon_months == 3 and obs.time_unit == "day"
    # weeks: 4 weeks (28 days) are month 1, 5 weeks (35 days) month 2, 13 weeks (91 days) 3
    weeks = observed_adoption(_dataset([0, 4, 5, 13]), column="t", time_unit="week",
                              min_group_size=3)
    assert weeks.period.tolist() == [0, 1, 2, 3]


def test_an_undeclared_unit_is_read_as_months_and_said():
    obs = observed_adoption(_dataset([1, 2, 3]), column="t")
    assert obs.time_unit == "month" and "neither dataset.toml" in obs.time_unit_note
    declared = observed_adoption(_dataset([1, 2, 3]), column="t", time_unit="month")
    assert declared.time_unit_note == "adoption times are in months (declared)"
    assert declared.period.tolist() == obs.period.tolist()


def test_a_subset_keeps_the_window_and_its_own_ties():
    ds = _dataset([0, 1, 0, 5, 2], ties=((1, 2), (4, 3), (2, 3)), village=list("aabbb"))
    obs = observed_adoption(ds, column="t", by="village", min_group_size=2)
    part = obs.subset(np.array([False, False, True, True, True]))
    assert part.n_periods == 5 and part.group_labels == ("b",)
    assert part.seeds.tolist() == [3]
    # only the tie 4 -> 3 lies inside: 4 named 3, who adopted first, so 4 was fully exposed
    assert part.exposure(part.period).tolist() == [1.0, 0.0]


def test_groups_from_a_column_have_their_own_curves():
    ds = _dataset([1, 2, 2, 3] * 3, village=["a"] * 6 + ["b"] * 6)
    obs = observed_adoption(ds, column="t", by="village", min_group_size=5)
    assert obs.group_labels == ("a", "b")
    assert obs.group_sizes.tolist() == [6, 6]
    np.testing.assert_allclose(obs.curves()[1:], [[5 / 6, 1.0], [4 / 6, 1.0]])


# --- distance, identifiability, comparison -----------------------------------------------------

def test_distance_weighs_groups_by_size():
    obs = np.array([0.0, 0.0, 0.0, 0.0, 0.0])  # overall + 2 groups, one period; then E, U
    sim = np.array([[0.0, 1.0, 0.0, 0.0, 0.0], [0.0, 0.0, 1.0, 0.0, 0.0]])
    d = curve_distance(sim, obs, np.array([0.75, 0.25]), 1)
    np.testing.assert_allclose(d, [np.sqrt(0.75), np.sqrt(0.25)])


def _fit(particles: np.ndarray, model: str = "simple", probability: float = 1.0,
         inside: float = 1.0) -> ModelFit:
    priors = (ParameterPrior("beta", 1e-4, 1.0, log=True), ParameterPrior("alpha", 0.0, 0.2))
    n = len(particles)
    smc = SMCResult(particles, np.full(n, 1 / n), np.zeros((n, 1)), pd.DataFrame())
    check = PredictiveCheck(pd.DataFrame(), inside, np.array([0.1, 0.2]))
    return ModelFit(model, priors, smc, check, probability=probability)


def test_a_posterior_as_wide_as_its_prior_is_flagged_not_identified():
    u = np.linspace(0, 1, 1001)
    particles = np.column_stack([-4 + 4 * u, 0.1 + 0.001 * (u - 0.5)])  # beta flat, alpha narrow
    table = _fit(particles).summary.set_index("parameter")
    assert table.loc["beta", "width_ratio"] == pytest.approx(1.0, abs=0.01)
    assert not table.loc["beta", "identified"]
    # flat: as much against either bound as the prior puts there, so "as wide", not "piled up"
    assert "100% as wide as the prior's" in table.loc["beta", "identification"]
    assert table.loc["alpha", "identified"]
    assert table.loc["alpha", "identification"] == "identified"
    assert table.loc["alpha", "value"] == pytest.approx(0.1, abs=1e-4)
    # quantiles are taken on the sampling scale and mapped back: beta's median is 10^-2
    assert table.loc["beta", "value"] == pytest.approx(0.01, rel=0.02)
    assert table.loc["beta", "lo"] == pytest.approx(10 ** -3.8, rel=0.02)


@pytest.mark.parametrize(("lo", "hi", "why"), [
    (-4.0, -3.0, "piles up against the prior's lower bound (0.0001)"),  # "at most 10^-3"
    (-0.5, 0.0, "piles up against the prior's upper bound (1)"),
    (-3.0, -0.6, "the 90% interval is 60% as wide as the prior's"),
    (-3.0, -2.0, "identified"),
])
def test_identified_means_narrow_and_away_from_the_bounds(lo, hi, why):
    # beta uniform on [lo, hi] (log10 scale): the prior is [-4, 0]
    particles = np.column_stack([np.linspace(lo, hi, 2001), np.full(2001, 0.1)])
    row = _fit(particles).summary.set_index("parameter").loc["beta"]
    assert why in row["identification"]
    assert row["identified"] == (why == "identified")


def test_a_model_with_too_few_particles_is_not_judged():
    row = _fit(np.array([[-2.0, 0.1]] * 3)).summary.iloc[0]
    assert not row["identified"] and row["identification"].startswith("not assessed")


@pytest.mark.parametrize(("p_none", "inside_none", "verdict", "chosen", "fits"), [
    (0.02, 0.9, "the data favour contagion (P = 0.98)", "simple", True),
    (0.5, 0.9, "the data cannot tell contagion from a common trend (P(contagion) = 0.50)",
     "no_contagion", True),  # equal: the model with fewer parameters
    (0.95, 0.9, "the data favour adoption without contagion (P(contagion) = 0.05)",
     "no_contagion", True),
    (0.95, 0.3, "the data favour adoption without contagion (P(contagion) = 0.05)", "simple",
     True),  # the probable model fails its check: never chosen silently
])
def test_model_comparison_states_its_verdict_and_chooses_a_model_that_fits(
        p_none, inside_none, verdict, chosen, fits):
    particles = np.column_stack([np.linspace(-3, -2, 50), np.full(50, 0.1)])
    c = compare_models({"no_contagion": _fit(particles, "no_contagion", p_none, inside_none),
                        "simple": _fit(particles, "simple", 1 - p_none, 0.9)})
    assert (c.verdict, c.chosen, c.fits_data) == (verdict, chosen, fits)
    assert c.p_contagion == pytest.approx(1 - p_none)
    assert c.table["prior_probability"].tolist() == [0.5, 0.5]
    assert c.table["passes_check"].tolist() == [inside_none >= 0.8, True]


def test_when_no_model_fits_the_comparison_says_so():
    particles = np.column_stack([np.linspace(-3, -2, 50), np.full(50, 0.1)])
    c = compare_models({"no_contagion": _fit(particles, "no_contagion", 0.3, 0.04),
                        "simple": _fit(particles, "simple", 0.7, 0.5)})
    assert not c.fits_data and c.chosen == "simple"
    assert c.reason.startswith("no model fits") and "50%" in c.reason


def test_default_priors():
    names = [p.name for p in default_priors("complex", threshold_kind="count")]
    assert names == ["beta", "alpha", "threshold"]
    assert default_priors("complex", threshold_kind="count")[2].bounds == (1.0, 5.0)
    assert [p.name for p in default_priors("no_contagion", fit_decay=True)] == ["alpha", "decay"]
    with pytest.raises(ConfigError):
        default_priors("viral")
    with pytest.raises(ConfigError):
        ParameterPrior("beta", 0.0, 1.0, log=True)


def test_a_vector_background_has_one_prior_per_block():
    bg = Background(breaks=(6, 12), groups=("a", "b"), by="village")
    assert bg.n_blocks == 6 and [p.name for p in bg.priors()] == [f"alpha[{i}]" for i in range(6)]
    names = [p.name for p in default_priors("simple", background=bg)]
    assert names == ["beta", *bg.names]
    fields = bg.fields({n: 0.01 * (i + 1) for i, n in enumerate(bg.names)})
    params = ContagionParams(**fields)  # the engine's rule reads them (abm.rules)
    assert params.background_rates == (0.01, 0.02, 0.03, 0.04, 0.05, 0.06)
    assert (params.background_breaks, params.background_groups) == ((6, 12), ("a", "b"))
    with pytest.raises(ConfigError, match="breaks"):
        Background(breaks=(12, 6))
    with pytest.raises(ConfigError, match="both the column"):
        Background(groups=("a", "b"))


# --- end to end ----------------------------------------------------------------------------

def test_calibration_is_the_same_on_two_workers():
    ds = adoption_dataset(SIMPLE_TRUTH, 7, n=30, horizon=6)
    settings = SMCSettings(population=20, max_generations=2)
    one = calibrate_dataset(ds, model="simple", settings=settings, n_predictive=20, seed=4)
    two = calibrate_dataset(ds, model="simple", settings=settings, n_predictive=20, seed=4,
                            workers=2)
    pd.testing.assert_frame_equal(one.posterior, two.posterior)
    pd.testing.assert_frame_equal(one.bands, two.bands)


@pytest.mark.slow  # a minute or more on a shared 2-core machine: kept out of the default run
@pytest.mark.timeout(300)
def test_calibration_is_the_same_on_a_dask_cluster():
    distributed = pytest.importorskip("dask.distributed")
    ds = adoption_dataset(SIMPLE_TRUTH, 7, n=30, horizon=6)
    settings = SMCSettings(population=20, max_generations=2)
    one = calibrate_dataset(ds, model="simple", settings=settings, n_predictive=20, seed=4)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster:
        on_dask = calibrate_dataset(ds, model="simple", settings=settings, n_predictive=20,
                                    seed=4, dask_address=cluster.scheduler_address)
    pd.testing.assert_frame_equal(one.posterior, on_dask.posterior)


def test_calibrated_params_are_the_chosen_models_medians():
    ds = adoption_dataset(SIMPLE_TRUTH, 8, n=30, horizon=6)
    base = ContagionParams(decay=0.0, horizon_months=60)
    cal = calibrate_dataset(ds, model="simple", params=base,
                            settings=SMCSettings(population=20, max_generations=2),
                            n_predictive=20, seed=1)
    assert tuple(cal.fits) == ("no_contagion", "simple")  # the null is always fitted
    fitted = cal.fitted.query("model == @cal.chosen").set_index("parameter")["value"]
    beta = 0.0 if cal.chosen == "no_contagion" else fitted["beta"]
    assert cal.params.beta == pytest.approx(beta, rel=5e-3)
    assert cal.params.alpha == pytest.approx(fitted["alpha"], rel=5e-3)
    assert cal.params.horizon_months == 60 and cal.params.decay == 0.0
    assert cal.source["calibrated_on"] == "synthetic 8" and cal.source["model"] == cal.chosen
    assert cal.source["time_unit"] == "month"
    assert 0.0 <= cal.fits["simple"].check.share_inside <= 1.0
    assert set(cal.bands["curve"]) == {"all", "component 1", "component 2"}
    assert sum(f.probability for f in cal.fits.values()) == pytest.approx(1.0)
    # the draws for simulate follow the model probabilities and the models' own fields
    draws = dict(cal.draws.values)
    nulls = np.array(cal.draws.model) == "no_contagion"
    assert np.all(np.array(draws["beta"])[nulls] == 0.0)
    assert abs(nulls.mean() - cal.fits["no_contagion"].probability) < 0.01
    med, lo, hi = cal.contagion_share
    assert 0.0 <= lo <= med <= hi <= 1.0


def test_decay_can_be_fitted_too():
    ds = adoption_dataset(SIMPLE_TRUTH, 8, n=30, horizon=6)
    cal = calibrate_dataset(ds, model="simple", fit_decay=True,
                            settings=SMCSettings(population=20, max_generations=2),
                            n_predictive=20, seed=1)
    fitted = cal.fitted.query("model == 'simple'").set_index("parameter")
    assert fitted.index.tolist() == ["beta", "alpha", "decay"]
    assert fitted.loc["decay", "prior"] == "uniform on [0, 0.2]"
    assert 0 <= fitted.loc["decay", "lo"] <= fitted.loc["decay", "hi"] <= 0.2
    chosen = cal.fitted.query("model == @cal.chosen").set_index("parameter")
    assert cal.params.decay == pytest.approx(chosen.loc["decay", "value"], rel=5e-3)


# Recovery: data simulated with known parameters on two villages of 60 people over 12 months;
# the true values must fall inside the 90% credible intervals, and the intervals must be
# informative (beta's no wider than 75% of its prior's), else a flat posterior would "recover"
# anything. The default run checks a few trials; the slow run the 8 of 10.

_FAST = SMCSettings(population=80, max_generations=5)
_FULL = SMCSettings(population=150, max_generations=6)


def test_recovers_known_simple_contagion_parameters_quick():
    hits, widths = _recovery("simple", SIMPLE_TRUTH, range(2), _FAST)  # about 15 s
    assert all(all(h.values()) for h in hits), hits
    assert max(widths) <= 0.75, widths


def test_recovers_known_complex_contagion_parameters_quick():
    hits, widths = _recovery("complex", COMPLEX_TRUTH, range(1), _FAST)  # about 10 s
    assert all(all(h.values()) for h in hits), hits
    assert max(widths) <= 0.75, widths


@pytest.mark.slow
@pytest.mark.timeout(3600)  # 10 calibrations: 3 to 10 minutes on a shared 2-core machine
@pytest.mark.parametrize(("model", "truth"), [("simple", SIMPLE_TRUTH),
                                              ("complex", COMPLEX_TRUTH)])
def test_recovers_known_parameters_in_8_of_10_trials(model, truth):
    hits, widths = _recovery(model, truth, range(10), _FULL)
    print(model, {name: sum(h[name] for h in hits) for name in truth}, "of 10; beta width",
          np.round(widths, 2).tolist())  # shown with pytest -s: the measured recovery rates
    for name in truth:
        inside = sum(h[name] for h in hits)
        assert inside >= 8, (name, inside, hits)
    assert np.median(widths) <= 0.75, widths
