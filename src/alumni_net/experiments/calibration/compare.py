"""Is it contagion? The compared models side by side: posterior probability and predictive check.

Two questions, answered separately:

* **Which model do the data support?** The posterior model probabilities of the ABC-SMC model
  choice (:mod:`.choice`; prior: no contagion 1/2, the contagion models sharing 1/2).
  ``P(contagion)`` is the probability of the contagion models together; the verdict says "the
  data favour contagion" when it is at least :data:`FAVOUR` (posterior odds of 9 to 1 from even
  prior odds), "favour adoption without contagion" when at most ``1 - FAVOUR``, and otherwise
  that the data cannot tell contagion from a common trend.
* **Does the model reproduce the data at all?** Each model's posterior predictive check: the
  share of the observed periods of the overall curve inside the simulated 90% band, which should
  be about 90% or more; below :data:`GOOD_FIT` the model fails. A misfit is never chosen
  silently: the chosen model is the most probable of those that pass, and when none passes the
  comparison says that no model fits (and the calibrated config is not written unless forced).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from alumni_net.experiments.calibration.fit import ModelFit, model_prior
from alumni_net.experiments.calibration.priors import CONTAGION_MODELS, MODELS

__all__ = ["FAVOUR", "GOOD_FIT", "Comparison", "compare_models", "format_probability"]

#: P(contagion) at or above which the data are said to favour contagion (and at or below
#: 1 - FAVOUR, to favour adoption without it).
FAVOUR = 0.9
#: Share of observed periods inside the 90% predictive band below which a model fails its check
#: (about 90% are expected inside when it fits).
GOOD_FIT = 0.8


@dataclass(frozen=True)
class Comparison:
    """The models compared (``table``), the verdict on contagion and the model chosen.

    ``table`` (``model_comparison.csv``): model, prior_probability, posterior_probability,
    predictive_coverage, passes_check, distance_median, distance_lo, distance_hi, generation.
    """

    table: pd.DataFrame
    p_contagion: float
    verdict: str
    chosen: str
    reason: str
    fits_data: bool


def format_probability(p: float, resolution: float = 0.01) -> str:
    """A probability to two decimals, never claiming more than a sample of particles can tell.

    Examples
    --------
    >>> format_probability(0.62), format_probability(0.9996), format_probability(0.0)
    ('0.62', '> 0.99', '< 0.01')
    """
    if p >= 1 - resolution / 2:
        return f"> {1 - resolution:.2f}"
    if p <= resolution / 2:
        return f"< {resolution:.2f}"
    return f"{p:.2f}"


def compare_models(fits: dict[str, ModelFit]) -> Comparison:
    """Compare fitted models by posterior probability and predictive check (module docstring).

    Examples
    --------
    >>> import pandas as pd
    >>> from alumni_net.experiments.calibration.fit import PredictiveCheck
    >>> def fit(model, p, inside):
    ...     return ModelFit(model, (), None, PredictiveCheck(pd.DataFrame(), inside,
    ...                     np.array([0.1, 0.2])), probability=p)
    >>> c = compare_models({"no_contagion": fit("no_contagion", 0.02, 0.3),
    ...                     "simple": fit("simple", 0.98, 0.95)})
    >>> c.verdict, c.chosen, c.fits_data
    ('the data favour contagion (P = 0.98)', 'simple', True)
    """
    prior = model_prior(tuple(fits))
    rows = []
    for m, f in fits.items():
        d = f.check.distances
        rows.append({"model": m, "prior_probability": prior[m],
                     "posterior_probability": f.probability,
                     "predictive_coverage": f.check.share_inside,
                     "passes_check": f.check.share_inside >= GOOD_FIT,
                     "distance_median": float(np.median(d)),
                     "distance_lo": float(np.quantile(d, 0.05)),
                     "distance_hi": float(np.quantile(d, 0.95)), "generation": f.generation})
    table = pd.DataFrame(rows)
    p = float(table.loc[table["model"].isin(CONTAGION_MODELS), "posterior_probability"].sum())
    verdict = _verdict(p, "no_contagion" in fits)
    chosen, reason, fits_data = _choose(table)
    return Comparison(table, p, verdict, chosen, reason, fits_data)


def _verdict(p: float, null_fitted: bool) -> str:
    if not null_fitted:
        return "no model without contagion was fitted, so the data were not asked"
    shown = format_probability(p)
    if p >= FAVOUR:
        return f"the data favour contagion (P = {shown})"
    if p <= 1 - FAVOUR:
        return f"the data favour adoption without contagion (P(contagion) = {shown})"
    return f"the data cannot tell contagion from a common trend (P(contagion) = {shown})"


def _choose(table: pd.DataFrame) -> tuple[str, str, bool]:
    # The most probable model that passes its check; among equals, the one with fewest
    # parameters (the order of MODELS).
    rank = table.assign(order=table["model"].map(MODELS.index)).sort_values(
        ["posterior_probability", "order"], ascending=[False, True], kind="stable")
    passing = rank[rank["passes_check"]]
    if passing.empty:
        top = rank.iloc[0]
        return (str(top["model"]),
                f"no model fits: none reproduces the observed curve (at most "
                f"{table['predictive_coverage'].max():.0%} of the observed periods inside a "
                f"model's 90% band, {GOOD_FIT:.0%} needed); {top['model']} is only the most "
                "probable of the misfits", False)
    top = passing.iloc[0]
    failing = rank.loc[~rank["passes_check"], "model"].tolist()
    why = (f"the most probable model that passes its predictive check (P = "
           f"{format_probability(top['posterior_probability'])}, "
           f"{top['predictive_coverage']:.0%} of observed periods inside its band)")
    if failing:
        why += f"; failing their checks: {', '.join(failing)}"
    return str(top["model"]), why, True
