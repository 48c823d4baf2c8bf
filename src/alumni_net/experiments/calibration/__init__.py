"""Calibration: fit the contagion model's spread parameters to observed adoption times.

Approximate Bayesian computation by sequential Monte Carlo (Toni et al. 2009; Beaumont et al.
2009) on the fast engine, with a distance on cumulative adoption curves (overall and per network
component or group, so villages sharing parameters are fitted jointly); fitted values with 90%
credible intervals, a posterior predictive check, simple vs complex contagion compared by
predictive distance, and a calibrated config for ``alumni-net simulate``. See
:func:`calibrate_dataset`.
"""

from alumni_net.experiments.calibration.calibrate import METHOD, Calibration, calibrate_dataset
from alumni_net.experiments.calibration.compare import compare_models
from alumni_net.experiments.calibration.fit import ModelFit, PredictiveCheck, curve_distance
from alumni_net.experiments.calibration.observed import (
    TIME_UNITS,
    ObservedAdoption,
    observed_adoption,
)
from alumni_net.experiments.calibration.outputs import calibrated_toml, write_calibration
from alumni_net.experiments.calibration.priors import MODELS, ParameterPrior, default_priors
from alumni_net.experiments.calibration.smc import SMCResult, SMCSettings, abc_smc

__all__ = [
    "METHOD",
    "MODELS",
    "TIME_UNITS",
    "Calibration",
    "ModelFit",
    "ObservedAdoption",
    "ParameterPrior",
    "PredictiveCheck",
    "SMCResult",
    "SMCSettings",
    "abc_smc",
    "calibrate_dataset",
    "calibrated_toml",
    "compare_models",
    "curve_distance",
    "default_priors",
    "observed_adoption",
    "write_calibration",
]
