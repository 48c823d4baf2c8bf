"""``calibrate_dataset``: fit the models compared to a dataset's observed adoption times."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from typing import Any, TypedDict

import numpy as np
import pandas as pd

from alumni_net.abm import ContagionParams, build_network
from alumni_net.core.rng import SeedLike, as_seed_sequence
from alumni_net.errors import ConfigError, Problem, ValidationError
from alumni_net.experiments.calibration.compare import compare_models
from alumni_net.experiments.calibration.fit import ModelFit, fit_models, posterior_sample
from alumni_net.experiments.calibration.holdout import HoldoutCheck, holdout_bands, split_groups
from alumni_net.experiments.calibration.observed import ObservedAdoption, observed_adoption
from alumni_net.experiments.calibration.priors import (
    CONTAGION_MODELS,
    FIXED,
    MODELS,
    Background,
    default_priors,
)
from alumni_net.experiments.calibration.simulator import CurveTask, Simulator
from alumni_net.experiments.calibration.smc import SMCSettings, weighted_quantile
from alumni_net.experiments.config import PosteriorDraws
from alumni_net.io import Dataset

__all__ = ["METHOD", "Calibration", "calibrate_dataset", "contagion_share"]

#: How the parameters were fitted, in one line (goes into the calibrated config's [source]).
METHOD = ("ABC-SMC model choice (Toni & Stumpf 2010; Beaumont et al. 2009) of no contagion "
          "against contagion, adaptive median tolerances, distance on cumulative adoption curves "
          "overall and per group and on exposure at adoption")
#: Draws of the model-averaged posterior written to the calibrated config.
N_DRAWS = 500


class _Reading(TypedDict):
    """How the observed adoption is read (the same for the fit and for a hold-out check)."""

    column: str
    not_adopted: float | None
    time_unit: str | None
    by: str | None
    influence: str


@dataclass(frozen=True)
class Calibration:
    """Everything a calibration produced (see :func:`calibrate_dataset`).

    Attributes
    ----------
    observed : ObservedAdoption
        The adoption fitted (the fitted groups only, with ``holdout``).
    fits : dict of model name -> ModelFit
        Every model compared, ``no_contagion`` first.
    comparison : DataFrame
        ``model_comparison.csv``: prior and posterior probability, predictive coverage, whether
        each model passes its check, predictive distances.
    chosen : str
        The model whose posterior medians go into the calibrated config's ``[model]``.
    reason : str
        Why that model was chosen, one sentence.
    verdict : str
        What the data say about contagion, one sentence.
    p_contagion : float
        Posterior probability of the contagion models together.
    fits_data : bool
        False when no model passed its predictive check.
    contagion_share : (median, lo, hi)
        Posterior (model-averaged) share of adoptions that came through contagion, 90% interval.
    params : ContagionParams
        The chosen model's posterior medians over the fixed parameters.
    draws : PosteriorDraws
        Draws of the model-averaged posterior (what ``simulate --config`` runs).
    holdout : HoldoutCheck or None
        The out-of-sample check, when groups were held out.
    column, not_adopted, schedule
        How the adoption times were read, and the declared schedule column (if any).
    background : Background
        The background every model fitted (constant, or by period and group).
    date, settings, seed
        Day of the calibration (ISO), the sampler's settings (population per model), root seed.
    """

    observed: ObservedAdoption
    fits: dict[str, ModelFit]
    comparison: pd.DataFrame
    chosen: str
    reason: str
    verdict: str
    p_contagion: float
    fits_data: bool
    contagion_share: tuple[float, float, float]
    params: ContagionParams
    draws: PosteriorDraws
    holdout: HoldoutCheck | None
    date: str
    settings: SMCSettings
    seed: int | None
    column: str = "adoption_time"
    not_adopted: float | None = None
    schedule: str | None = None
    background: Background = Background()

    @property
    def fitted(self) -> pd.DataFrame:
        """Fitted values of every model: value, 90% interval, prior range, identified and why."""
        return pd.concat([f.summary for f in self.fits.values() if len(f.priors)],
                         ignore_index=True)

    @property
    def posterior(self) -> pd.DataFrame:
        """The weighted posterior samples of every model (long: NaN where a model lacks a field)."""
        return pd.concat([f.posterior for f in self.fits.values()], ignore_index=True)

    @property
    def bands(self) -> pd.DataFrame:
        """The predictive checks of every model, with a leading ``model`` column."""
        first = next(iter(self.fits.values()))
        return pd.concat([f.check.bands.assign(model=m) for m, f in self.fits.items()],
                         ignore_index=True)[["model", *first.check.bands]]

    @property
    def source(self) -> dict[str, object]:
        """The ``[source]`` table of the calibrated config."""
        out: dict[str, object] = {
            "calibrated_on": self.observed.name, "date": self.date, "method": METHOD,
            "model": self.chosen, "time_unit": self.observed.time_unit,
            "time_column": self.column}
        if self.not_adopted is not None:
            out["not_adopted"] = float(self.not_adopted)
        out.update({"p_contagion": round(self.p_contagion, 4),
                    "contagion_share": [round(v, 4) for v in self.contagion_share],
                    "verdict": self.verdict,
                    "predictive_check": "passed" if self.fits_data else "failed"})
        return out


def calibrate_dataset(
    dataset: Dataset,
    *,
    model: str = "both",
    column: str = "adoption_time",
    not_adopted: float | None = None,
    time_unit: str | None = None,
    by: str | None = None,
    holdout: float | None = None,
    schedule: str | None = None,
    background_periods: int = 1,
    background_by_group: bool = False,
    params: ContagionParams | None = None,
    threshold_kind: str = "fraction",
    fit_decay: bool = False,
    settings: SMCSettings | None = None,
    n_predictive: int = 200,
    workers: int = 1,
    dask_address: str | None = None,
    seed: SeedLike = 0,
) -> Calibration:
    """Fit adoption from a background alone (no contagion) and the contagion model(s) to observed
    adoption times, together, and say what the data support.

    Parameters
    ----------
    dataset : Dataset
        People with an adoption-time column, and their ties.
    model : {"simple", "complex", "both"}
        Which contagion model(s) to compare with the no-contagion model (always fitted).
    column, not_adopted, time_unit, by
        How to read the observed times and group the curves (see :func:`observed_adoption`);
        ``time_unit`` None means not declared (read as months, and the outputs say so).
    holdout : float, optional
        With ``by``: hold out this share of the groups (seeded), fit on the others and predict
        the held-out groups from the whole posterior (see :mod:`.holdout`).
    schedule : str, optional
        A people column that schedules exposure (an invitation or session date, a campaign
        start). Recorded and reported; this version's background is constant, so the fit does
        not follow it yet (the structural-dependence test of ``alumni-net diffusion`` does).
    background_periods : int
        The background of every model (no contagion and contagion alike): one constant rate (1,
        the default) or a piecewise-constant rate over this many periods of nearly equal length
        within the observation window (a common trend: a campaign, a change in supply).
    background_by_group : bool
        With ``by``: each group its own background rate(s) (every person must be in a group
        with its own curve; not with ``holdout``, whose held-out groups would have none).
    params : ContagionParams, optional
        The parameters that are not fitted (tie weights, decay unless ``fit_decay``, readoption,
        influence ...); default the package's defaults. Its horizon is replaced by the
        observation window; the calibrated config keeps ``params``' own horizon.
    threshold_kind : {"fraction", "count"}
        How the complex model's threshold is read.
    fit_decay : bool
        Also fit the monthly lapsing probability (usually not identified by first adoptions).
    settings : SMCSettings, optional
        Particles *per model compared* (the sampler's population is this times the number of
        models), replicates per particle, generations.
    n_predictive : int
        Posterior draws simulated for each model's predictive check (and the held-out groups).
    workers, dask_address
        Where the simulations run; the result is the same for any choice.
    seed : int, SeedSequence, Generator or None
        Root seed of everything random here.

    Returns
    -------
    Calibration

    References
    ----------
    Toni, T., & Stumpf, M. P. H. (2010). Simulation-based model selection for dynamical systems in
    systems and population biology. Bioinformatics 26(1), 104-110.
    https://doi.org/10.1093/bioinformatics/btp619

    Robert, C. P., Cornuet, J.-M., Marin, J.-M., & Pillai, N. S. (2011). Lack of confidence in
    approximate Bayesian computation model choice. PNAS 108(37), 15112-15117.
    https://doi.org/10.1073/pnas.1102900108

    Van den Bulte, C., & Lilien, G. L. (2001). Medical innovation revisited: social contagion
    versus marketing effort. American Journal of Sociology 106(5), 1409-1435.
    https://doi.org/10.1086/320819
    """
    models = _models(model)
    settings = settings or SMCSettings()
    params = params or ContagionParams()
    if isinstance(n_predictive, bool) or not isinstance(n_predictive, int) or n_predictive < 20:
        raise ConfigError(f"the number of predictive draws must be an integer >= 20, "
                          f"got {n_predictive!r}")
    if holdout is not None and by is None:
        raise ConfigError("holding groups out needs a group column (--by)")
    if schedule is not None and schedule not in dataset.people.columns:
        raise ValidationError([Problem("people", None, schedule, (
            f"there is no '{schedule}' column to read the schedule from"))])
    root = as_seed_sequence(seed)
    reading: _Reading = dict(column=column, not_adopted=not_adopted, time_unit=time_unit,
                             by=by, influence=params.influence)
    observed = observed_adoption(dataset, **reading)
    held_mask = None
    if holdout is not None:
        assert by is not None  # checked above: holding groups out needs them
        rng = np.random.default_rng(_child(root, 90))
        held_mask, fitted_groups, held_groups = split_groups(dataset.people, by, holdout, rng)
        observed = observed.subset(~held_mask)
    fit_data = dataset if held_mask is None else _subset(dataset, ~held_mask)
    base = dataclasses.replace(params, horizon_months=observed.horizon_months, threshold=0.0,
                               threshold_spread=0.0, threshold_kind=threshold_kind)
    background = _background(observed, by, background_periods, background_by_group,
                             holdout is not None)
    priors = {m: default_priors(m, threshold_kind=threshold_kind, fit_decay=fit_decay,
                                background=background) for m in models}
    names = tuple(dict.fromkeys(p.name for m in models for p in priors[m]))
    task = CurveTask(build_network(fit_data, influence=params.influence,
                                   columns=(background.by,)), base, observed,
                     _programme(fit_data), names, background)
    joint = dataclasses.replace(settings, population=settings.population * len(models))
    with Simulator(task, workers=workers, dask_address=dask_address) as simulator:
        fits = fit_models(models, priors, observed, simulator, joint, seed=_child(root, 0),
                          n_predictive=n_predictive)
    comparison = compare_models(fits)
    draw_models, draw_values = posterior_sample(fits, names, N_DRAWS, seed=_child(root, 91))
    draws = PosteriorDraws(tuple(draw_models), tuple(
        (n, tuple(draw_values[:, j])) for j, n in enumerate(names)))
    check = None
    if held_mask is not None:
        check = _holdout(dataset, held_mask, reading, base, names, background, fits,
                         (by, holdout, fitted_groups, held_groups), n_predictive, workers,
                         dask_address, _child(root, 92))
    values = {k: _rounded(v) for k, v in fits[comparison.chosen].values.items()}
    rates = {k: values.pop(k) for k in background.names if k in values}
    # Field name -> value, the fitted names known only at run time; checked on creation.
    changes: dict[str, Any] = {
        "threshold": 0.0, "threshold_spread": 0.0, "threshold_kind": threshold_kind,
        **FIXED[comparison.chosen], **values, **background.fields(rates)}
    calibrated = dataclasses.replace(params, **changes)
    return Calibration(observed, fits, comparison.table, comparison.chosen, comparison.reason,
                       comparison.verdict, comparison.p_contagion, comparison.fits_data,
                       contagion_share(fits), calibrated, draws, check,
                       dt.date.today().isoformat(), settings,
                       int(seed) if isinstance(seed, (int, np.integer)) else None,
                       column, not_adopted, schedule, background)


def _background(observed: ObservedAdoption, by: str | None, periods: int, by_group: bool,
                holdout: bool) -> Background:
    """The background fitted: ``periods`` pieces of nearly equal length over the observed
    periods (breaks at the first model month of a piece's first period), by group if asked."""
    k = observed.n_periods
    if isinstance(periods, bool) or not isinstance(periods, int) or not 1 <= periods <= k:
        raise ConfigError(f"the background's periods must be a whole number from 1 to the "
                          f"{k} observed periods, got {periods!r}")
    m = observed.months_per_period
    first = sorted({round(k * j / periods) for j in range(1, periods)})  # 0-based periods
    breaks = tuple(m * q + 1 for q in first)
    if not by_group:
        return Background(breaks=breaks)
    if by is None:
        raise ConfigError("a background by group needs a group column (--by)")
    if holdout:
        raise ConfigError("a background by group cannot predict held-out groups (it has no "
                          "rate for them); hold out without it")
    if (observed.group_codes < 0).any():
        raise ConfigError(f"a background by group needs every person in a group of '{by}' "
                          "large enough for its own curve; some have no value or too small a "
                          "group")
    return Background(breaks=breaks, groups=observed.group_labels, by=by)


def contagion_share(fits: dict[str, ModelFit]) -> tuple[float, float, float]:
    """Median and 90% interval of the share of adoptions through contagion, model-averaged: each
    model's predictive draws weighted by its posterior probability."""
    shares, weights = [], []
    for f in fits.values():
        s = f.check.contagion_share
        if len(s) and f.probability > 0:
            shares.append(s)
            weights.append(np.full(len(s), f.probability / len(s)))
    if not shares:
        return (0.0, 0.0, 0.0)
    lo, med, hi = weighted_quantile(np.concatenate(shares), np.concatenate(weights),
                                    [0.05, 0.5, 0.95])
    return (float(med), float(lo), float(hi))


def _holdout(dataset, held_mask, reading: _Reading, base, names, background, fits, split, n,
             workers, dask_address, seed) -> HoldoutCheck:
    """Predict the held-out groups from draws of the model-averaged posterior."""
    column, share, fitted_groups, held_groups = split
    # Every held-out group gets a curve of its own, however small; same window as the fit.
    everyone = observed_adoption(dataset, **reading, min_group_size=1)
    held = everyone.subset(held_mask, name=f"{everyone.name}, held-out groups")
    held_data = _subset(dataset, held_mask)
    task = CurveTask(build_network(held_data, influence=base.influence), base, held,
                     _programme(held_data), names, background)
    _, values = posterior_sample(fits, names, n, seed=_child(seed, 0))
    seeds = [_child(seed, 1, i) for i in range(n)]
    with Simulator(task, workers=workers, dask_address=dask_address) as simulator:
        bands, table = holdout_bands(held, simulator, values, seeds)
    return HoldoutCheck(column, share, fitted_groups, held_groups, table, bands,
                        float(bands["inside"].mean()), float(table["inside"].mean()),
                        _cut_ties(dataset, held_mask), n)


def _subset(dataset, mask: np.ndarray):
    """The people where ``mask`` is true and the ties among them."""
    people = dataset.people[mask].reset_index(drop=True)
    ids = set(people["person_id"].tolist())
    ties = dataset.ties[dataset.ties["source"].isin(ids) & dataset.ties["target"].isin(ids)]
    return dataclasses.replace(dataset, people=people, ties=ties.reset_index(drop=True))


def _cut_ties(dataset, mask: np.ndarray) -> int:
    """Ties between the held-out people and the fitted ones (left out of both)."""
    held = set(dataset.people.loc[mask, "person_id"].tolist())
    src, dst = dataset.ties["source"].isin(held), dataset.ties["target"].isin(held)
    return int((src != dst).sum())


def _programme(dataset) -> bool:
    return bool(np.asarray(dataset.people["is_alum"], dtype=bool).any())


def _child(root: np.random.SeedSequence, *key: int) -> np.random.SeedSequence:
    return np.random.SeedSequence(root.entropy, spawn_key=(*root.spawn_key, *key))


def _models(model: str) -> tuple[str, ...]:
    if model == "both":
        return MODELS
    if model not in CONTAGION_MODELS:
        raise ConfigError(f"model must be simple, complex or both, got {model!r}")
    return ("no_contagion", model)


def _rounded(value: float) -> float:
    # Three significant figures: the interval is far wider than the rounding.
    return float(f"{value:.3g}")

