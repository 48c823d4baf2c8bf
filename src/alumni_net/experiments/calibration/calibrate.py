"""``calibrate_dataset``: fit the spread parameters to a dataset's observed adoption times."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from alumni_net.abm import ContagionParams, build_network
from alumni_net.core.rng import SeedLike, as_seed_sequence
from alumni_net.errors import ConfigError
from alumni_net.experiments.calibration.compare import compare_models
from alumni_net.experiments.calibration.fit import ModelFit, fit_model
from alumni_net.experiments.calibration.observed import ObservedAdoption, observed_adoption
from alumni_net.experiments.calibration.priors import MODELS, default_priors
from alumni_net.experiments.calibration.simulator import CurveTask, Simulator
from alumni_net.experiments.calibration.smc import SMCSettings

__all__ = ["METHOD", "Calibration", "calibrate_dataset"]

#: How the parameters were fitted, in one line (goes into the calibrated config's [source]).
METHOD = ("ABC-SMC (Toni et al. 2009; Beaumont et al. 2009), adaptive median tolerances, "
          "distance on cumulative adoption curves overall and per group and on exposure at "
          "adoption")


@dataclass(frozen=True)
class Calibration:
    """Everything a calibration produced (see :func:`calibrate_dataset`).

    Attributes
    ----------
    observed : ObservedAdoption
    fits : dict of model name -> ModelFit
    comparison : DataFrame
        Posterior predictive distances by model (and P(complex closer) when both were fitted).
    chosen : str
        The model whose fitted values go into the calibrated config.
    reason : str
        Why that model was chosen, one sentence.
    params : ContagionParams
        The calibrated parameters: the chosen model's posterior medians over the fixed ones.
    date : str
        Day of the calibration (ISO), for provenance.
    settings : SMCSettings
    seed : int or None
        Root seed (when given as an int).
    """

    observed: ObservedAdoption
    fits: dict[str, ModelFit]
    comparison: pd.DataFrame
    chosen: str
    reason: str
    params: ContagionParams
    date: str
    settings: SMCSettings
    seed: int | None

    @property
    def fitted(self) -> pd.DataFrame:
        """Fitted values of every model: value, 90% interval, prior range, identified."""
        return pd.concat([f.summary for f in self.fits.values()], ignore_index=True)

    @property
    def posterior(self) -> pd.DataFrame:
        """The weighted posterior samples of every model (long: NaN where a model lacks a field)."""
        return pd.concat([f.posterior for f in self.fits.values()], ignore_index=True)

    @property
    def bands(self) -> pd.DataFrame:
        """The predictive checks of every model, with a leading ``model`` column."""
        return pd.concat([f.check.bands.assign(model=m) for m, f in self.fits.items()],
                         ignore_index=True)[["model", *self.fits[self.chosen].check.bands]]

    @property
    def source(self) -> dict[str, str]:
        """The ``[source]`` table of the calibrated config."""
        return {"calibrated_on": self.observed.name, "date": self.date, "method": METHOD,
                "model": self.chosen}


def calibrate_dataset(
    dataset,
    *,
    model: str = "both",
    column: str = "adoption_time",
    not_adopted: float | None = None,
    time_unit: str = "month",
    by: str | None = None,
    params: ContagionParams | None = None,
    threshold_kind: str = "fraction",
    fit_decay: bool = False,
    settings: SMCSettings | None = None,
    n_predictive: int = 200,
    workers: int = 1,
    dask_address: str | None = None,
    seed: SeedLike = 0,
) -> Calibration:
    """Fit beta and alpha (and the threshold for complex contagion) to observed adoption times.

    Parameters
    ----------
    dataset : Dataset
        People with an adoption-time column, and their ties.
    model : {"simple", "complex", "both"}
        Which contagion model(s) to fit; with both, they are compared (see ``compare``).
    column, not_adopted, time_unit, by
        How to read the observed times and group the curves (see :func:`observed_adoption`).
    params : ContagionParams, optional
        The parameters that are not fitted (tie weights, decay unless ``fit_decay``, readoption,
        influence ...); default the package's defaults. Its horizon is replaced by the
        observation window; the calibrated config keeps ``params``' own horizon.
    threshold_kind : {"fraction", "count"}
        How the complex model's threshold is read.
    fit_decay : bool
        Also fit the monthly lapsing probability (usually not identified by first adoptions).
    settings : SMCSettings, optional
        Particles, replicates per particle, generations.
    n_predictive : int
        Posterior draws simulated for the predictive check and the model comparison.
    workers, dask_address
        Where the simulations run; the result is the same for any choice.
    seed : int, SeedSequence, Generator or None
        Root seed of everything random here.

    Returns
    -------
    Calibration
    """
    models = _models(model)
    settings = settings or SMCSettings()
    params = params or ContagionParams()
    if isinstance(n_predictive, bool) or not isinstance(n_predictive, int) or n_predictive < 20:
        raise ConfigError(f"the number of predictive draws must be an integer >= 20, "
                          f"got {n_predictive!r}")
    observed = observed_adoption(dataset, column=column, not_adopted=not_adopted,
                                 time_unit=time_unit, by=by, influence=params.influence)
    network = build_network(dataset, influence=params.influence)
    programme = bool(np.asarray(dataset.people["is_alum"], dtype=bool).any())
    root = as_seed_sequence(seed)
    fits: dict[str, ModelFit] = {}
    for m in models:
        priors = default_priors(m, threshold_kind=threshold_kind, fit_decay=fit_decay)
        base = dataclasses.replace(params, horizon_months=observed.horizon_months,
                                   threshold=0.0, threshold_spread=0.0,
                                   threshold_kind=threshold_kind)
        task = CurveTask(network, base, observed, programme, tuple(p.name for p in priors))
        with Simulator(task, workers=workers, dask_address=dask_address) as simulator:
            seed_m = np.random.SeedSequence(root.entropy,
                                            spawn_key=(*root.spawn_key, MODELS.index(m)))
            fits[m] = fit_model(m, priors, observed, simulator, settings, seed=seed_m,
                                n_predictive=n_predictive)
    table, chosen, reason = compare_models({m: f.check.distances for m, f in fits.items()})
    fitted = {"threshold": 0.0, "threshold_spread": 0.0, "threshold_kind": threshold_kind,
              **{k: _rounded(v) for k, v in fits[chosen].values.items()}}
    calibrated = dataclasses.replace(params, **fitted)
    return Calibration(observed, fits, table, chosen, reason, calibrated,
                       dt.date.today().isoformat(), settings,
                       int(seed) if isinstance(seed, (int, np.integer)) else None)


def _models(model: str) -> tuple[str, ...]:
    if model == "both":
        return MODELS
    if model not in MODELS:
        raise ConfigError(f"model must be simple, complex or both, got {model!r}")
    return (model,)


def _rounded(value: float) -> float:
    # Three significant figures: the interval is far wider than the rounding.
    return float(f"{value:.3g}")
