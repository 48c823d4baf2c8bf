"""Estimating the workforce network nobody observed, from a survey of alumni.

See :mod:`.fit` for the estimator and the reasons for it; :func:`fit_workforce` fits, and
:func:`draw_networks` draws networks with the real alumni embedded.
"""

from alumni_net.experiments.workforce.draw import DrawnNetwork, draw_networks
from alumni_net.experiments.workforce.fit import FitSettings, WorkforceFit, fit_workforce
from alumni_net.experiments.workforce.model import PARAMETERS, WorkforceParams
from alumni_net.experiments.workforce.nonresponse import ASSUMPTIONS, DEFAULT_ASSUMPTION
from alumni_net.experiments.workforce.observe import observe_survey, roster_of
from alumni_net.experiments.workforce.statistics import DESCRIPTIONS, FITTED, STATISTICS
from alumni_net.experiments.workforce.weights import rake_weights

__all__ = [
    "ASSUMPTIONS",
    "DEFAULT_ASSUMPTION",
    "DESCRIPTIONS",
    "FITTED",
    "PARAMETERS",
    "STATISTICS",
    "DrawnNetwork",
    "FitSettings",
    "WorkforceFit",
    "WorkforceParams",
    "draw_networks",
    "fit_workforce",
    "observe_survey",
    "rake_weights",
    "roster_of",
]
