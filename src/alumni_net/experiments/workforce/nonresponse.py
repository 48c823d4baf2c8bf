"""What is assumed about the alumni who did not answer: two assumptions, shown side by side.

- ``missing_at_random``: a non-respondent is like the respondents of their sector (their degree
  across organisations, their contacts made through the programme and their ties to other
  alumni are drawn from the respondents', weighted for non-response; the degrees from a
  log-normal model's posterior predictive fitted to every respondent,
  :func:`.embed.lognormal_predictive`, so that a non-respondent may know more people than any
  respondent). This is what the survey weights assume too.
- ``best_connected``: non-response fell on the best-connected, the case Smith & Moody (2013)
  show biases network measures most: non-respondents' degree, programme contacts and ties to
  alumni are drawn from the respondents' upper quartile. It is a plausible worst case for a
  programme whose busiest alumni had no time to answer, not an estimate.

Imputation is an approximate Bayesian bootstrap (Rubin & Schenker 1986): for each network the
respondents are first reweighted by a Dirichlet(1, ..., 1) draw (times their survey weights),
then each non-respondent's value is drawn from that reweighted set. Drawing straight from the
respondents would treat their distribution as known; the bootstrap step carries the
uncertainty of having seen only some of the alumni into the K networks, and so into every
interval. The same seeds are used under both assumptions, so the difference between them is
non-response alone.

References
----------
Rubin, D. B., & Schenker, N. (1986). Multiple imputation for interval estimation from simple
random samples with ignorable nonresponse. Journal of the American Statistical Association
81(394):366-374. doi:10.1080/01621459.1986.10478280

Smith, J. A., & Moody, J. (2013). Structural effects of network sampling coverage I: Nodes
missing at random. Social Networks 35(4):652-668. doi:10.1016/j.socnet.2013.09.003
"""

from __future__ import annotations

import numpy as np

from alumni_net.experiments.calibration.smc import weighted_quantile

__all__ = ["ASSUMPTIONS", "DEFAULT_ASSUMPTION", "impute"]

ASSUMPTIONS = ("missing_at_random", "best_connected")
DEFAULT_ASSUMPTION = ASSUMPTIONS[0]
_UPPER = 0.75  # the best-connected are drawn from the respondents' upper quartile


def impute(values: np.ndarray, weights: np.ndarray, n: int, assumption: str,
           rng: np.random.Generator) -> np.ndarray:
    """``n`` draws for non-respondents from the respondents' ``values`` (weighted), by the
    approximate Bayesian bootstrap (see the module docstring).

    Examples
    --------
    >>> v, w = np.array([1.0, 2.0, 3.0, 40.0]), np.ones(4)
    >>> sorted(set(impute(v, w, 50, "best_connected", np.random.default_rng(0)).tolist()))
    [40.0]
    """
    keep = ~np.isnan(values)
    values, weights = values[keep], weights[keep]
    if n == 0 or not len(values):
        return np.zeros(n)
    if assumption == "best_connected":
        cut = weighted_quantile(values, weights, _UPPER)
        upper = values >= cut
        values, weights = values[upper], weights[upper]
    weights = weights * rng.dirichlet(np.ones(len(values)))  # the respondents, resampled
    return rng.choice(values, size=n, p=weights / weights.sum())
