"""Calibration: is it contagion? Fit adoption from a background alone and the contagion models to
observed adoption times, compare them, and predict what was not fitted.

Approximate Bayesian computation by sequential Monte Carlo with model choice (Toni & Stumpf 2010;
Beaumont et al. 2009) on the fast engine, with a distance on cumulative adoption curves (overall
and per network component or group, so villages sharing parameters are fitted jointly) and on
exposure at adoption; posterior model probabilities and the verdict on contagion, fitted values
with 90% credible intervals and whether the data identify them, the share of adoptions through
contagion, a posterior predictive check per model, an out-of-sample check on held-out groups,
and a calibrated config (posterior medians and draws) for ``alumni-net simulate``. See
:func:`calibrate_dataset`.

References
----------
Toni, T., & Stumpf, M. P. H. (2010). Simulation-based model selection for dynamical systems in
systems and population biology. Bioinformatics 26(1), 104-110.
https://doi.org/10.1093/bioinformatics/btp619

Beaumont, M. A., Cornuet, J.-M., Marin, J.-M., & Robert, C. P. (2009). Adaptive approximate
Bayesian computation. Biometrika 96(4), 983-990. https://doi.org/10.1093/biomet/asp052
"""

from alumni_net.experiments.calibration.calibrate import METHOD, Calibration, calibrate_dataset
from alumni_net.experiments.calibration.choice import ChoiceResult, ModelSpace, abc_smc_choice
from alumni_net.experiments.calibration.compare import Comparison, compare_models
from alumni_net.experiments.calibration.fit import ModelFit, PredictiveCheck, curve_distance
from alumni_net.experiments.calibration.holdout import HoldoutCheck
from alumni_net.experiments.calibration.observed import (
    TIME_UNITS,
    ObservedAdoption,
    observed_adoption,
)
from alumni_net.experiments.calibration.outputs import calibrated_toml, write_calibration
from alumni_net.experiments.calibration.priors import (
    MODELS,
    Background,
    ParameterPrior,
    default_priors,
)
from alumni_net.experiments.calibration.smc import SMCResult, SMCSettings, abc_smc

__all__ = [
    "METHOD",
    "MODELS",
    "TIME_UNITS",
    "Background",
    "Calibration",
    "ChoiceResult",
    "Comparison",
    "HoldoutCheck",
    "ModelFit",
    "ModelSpace",
    "ObservedAdoption",
    "ParameterPrior",
    "PredictiveCheck",
    "SMCResult",
    "SMCSettings",
    "abc_smc",
    "abc_smc_choice",
    "calibrate_dataset",
    "calibrated_toml",
    "compare_models",
    "curve_distance",
    "default_priors",
    "observed_adoption",
    "write_calibration",
]
