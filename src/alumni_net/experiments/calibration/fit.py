"""Fitting one contagion model to observed adoption: distance, ABC-SMC, summaries, predictive check.

Distance between simulated and observed data, summarised as in :mod:`.observed` (cumulative
adoption shares ``F`` at the end of each period 1..K, overall and per group; mean exposure at
adoption ``E`` and share of adopters unexposed ``U``)::

    d = sqrt( mean_k (F(k) - F_obs(k))^2  +  sum_g w_g mean_k (F_g(k) - F_obs_g(k))^2
              + (E - E_obs)^2 + (U - U_obs)^2 )

groups weighted by their share of the people in groups (``w_g``). Every term is a difference of
shares, so the overall timing, the villages' own timings and who adopts next to whom count
alike. The overall curve alone cannot tell a fast spread in one village from a slow one in all
of them, nor spread from spontaneous adoption; the group curves and the exposures can.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from alumni_net.experiments.calibration.observed import ObservedAdoption
from alumni_net.experiments.calibration.priors import ParameterPrior
from alumni_net.experiments.calibration.simulator import Simulator
from alumni_net.experiments.calibration.smc import (
    SMCResult,
    SMCSettings,
    abc_smc,
    weighted_quantile,
)

__all__ = ["IDENTIFIED_WIDTH", "ModelFit", "PredictiveCheck", "curve_distance", "fit_model"]

#: A parameter counts as identified when its posterior 90% interval is at most this share of the
#: prior's 90% interval (both on the sampling scale, where the prior is uniform): a posterior
#: that narrows the prior by less than a quarter says the data carry little about it.
IDENTIFIED_WIDTH = 0.75
#: Posterior quantiles reported: the 90% credible interval and the median.
LEVELS = (0.05, 0.5, 0.95)


def curve_distance(simulated: np.ndarray, observed: np.ndarray, group_weights: np.ndarray,
                   n_periods: int) -> np.ndarray:
    """Distance of each simulated summary (rows of ``simulated``) to the ``observed`` one.

    A summary is ``(1 + G) * n_periods`` curve points then two exposure statistics
    (:meth:`ObservedAdoption.summarise`); ``group_weights`` has one weight per group.

    Examples
    --------
    >>> obs = np.array([0.5, 1.0, 0.2, 0.1])  # one curve of two periods, then E and U
    >>> sims = np.array([[0.5, 0.0, 0.2, 0.1], [0.5, 1.0, 0.2, 0.1], [0.5, 1.0, 0.5, 0.5]])
    >>> curve_distance(sims, obs, np.zeros(0), 2).round(6).tolist()
    [0.707107, 0.0, 0.5]
    """
    diff = simulated - observed[None]
    curves = diff[:, :-2].reshape(len(diff), 1 + len(group_weights), n_periods)
    sq = (curves ** 2).mean(axis=2)  # (k, 1 + G)
    return np.sqrt(sq[:, 0] + sq[:, 1:] @ group_weights + (diff[:, -2:] ** 2).sum(axis=1))


@dataclass(frozen=True)
class PredictiveCheck:
    """Posterior predictive adoption curves beside the observed ones.

    ``bands`` has one row per (curve, period): ``curve`` ("all" or a group label), ``period``,
    ``observed``, ``lo``, ``median``, ``hi`` (cumulative adopters; lo/hi the 5% and 95% points of
    the simulated curves), ``inside``. ``share_inside`` is the share of the overall curve's
    observed periods inside the band; ``distances`` the predictive draws' distances.
    """

    bands: pd.DataFrame
    share_inside: float
    distances: np.ndarray


@dataclass(frozen=True)
class ModelFit:
    """One model fitted by ABC-SMC: priors, sampler output and the tables built from it."""

    model: str
    priors: tuple[ParameterPrior, ...]
    smc: SMCResult
    check: PredictiveCheck

    @property
    def posterior(self) -> pd.DataFrame:
        """The weighted posterior sample: one row per particle, parameters on their own scale."""
        out = pd.DataFrame({p.name: p.to_value(self.smc.particles[:, i])
                            for i, p in enumerate(self.priors)})
        out["weight"] = self.smc.weights
        out["distance"] = self.smc.distances.mean(axis=1)
        out.insert(0, "model", self.model)
        return out

    @property
    def summary(self) -> pd.DataFrame:
        """Fitted values: median, 90% interval, prior range and whether the data identify it."""
        rows = []
        for i, prior in enumerate(self.priors):
            u = self.smc.particles[:, i]
            lo, med, hi = weighted_quantile(u, self.smc.weights, list(LEVELS))
            p_lo, p_hi = prior.bounds
            ratio = (hi - lo) / (0.9 * (p_hi - p_lo))
            rows.append({
                "model": self.model, "parameter": prior.name,
                "value": float(prior.to_value(med)), "lo": float(prior.to_value(lo)),
                "hi": float(prior.to_value(hi)), "prior": prior.describe(),
                "prior_low": prior.low, "prior_high": prior.high,
                "width_ratio": float(ratio), "identified": bool(ratio <= IDENTIFIED_WIDTH),
            })
        return pd.DataFrame(rows)

    @property
    def values(self) -> dict[str, float]:
        """Posterior medians by parameter name."""
        return dict(zip(self.summary["parameter"], self.summary["value"], strict=True))


def fit_model(model: str, priors: tuple[ParameterPrior, ...], observed: ObservedAdoption,
              simulator: Simulator, settings: SMCSettings, *, seed: np.random.SeedSequence,
              n_predictive: int = 200) -> ModelFit:
    """Fit ``model`` with ABC-SMC, then check its posterior predictive curves.

    ``simulator`` must run the model with the fitted fields named as ``priors`` (in order).
    """
    obs = observed.summary()
    weights = _group_weights(observed)
    bounds = np.array([p.bounds for p in priors])

    def distances(theta, seeds):
        values = _values(priors, theta)
        flat_values = np.repeat(values, len(seeds[0]), axis=0)
        flat_seeds = [s for row in seeds for s in row]
        summaries = simulator.run(flat_values, flat_seeds)
        return curve_distance(summaries, obs, weights, observed.n_periods).reshape(len(theta), -1)

    smc_seed = np.random.SeedSequence(seed.entropy, spawn_key=(*seed.spawn_key, 0))
    result = abc_smc(bounds, distances, settings, seed=smc_seed, desc=f"ABC-SMC {model}")
    check_seed = np.random.SeedSequence(seed.entropy, spawn_key=(*seed.spawn_key, 1))
    check = _predictive(priors, result, observed, simulator, check_seed, n_predictive, weights)
    return ModelFit(model, priors, result, check)


def _values(priors, theta: np.ndarray) -> np.ndarray:
    return np.column_stack([p.to_value(theta[:, i]) for i, p in enumerate(priors)])


def _group_weights(observed: ObservedAdoption) -> np.ndarray:
    sizes = observed.group_sizes.astype(float)
    return sizes / sizes.sum() if len(sizes) else sizes


def _predictive(priors, result: SMCResult, observed: ObservedAdoption, simulator: Simulator,
                seed: np.random.SeedSequence, n: int, weights: np.ndarray) -> PredictiveCheck:
    """Simulate ``n`` draws of the posterior (systematic resampling), one data set each."""
    rng = np.random.default_rng(np.random.SeedSequence(seed.entropy,
                                                       spawn_key=(*seed.spawn_key, 0)))
    cdf = np.cumsum(result.weights)
    picks = np.searchsorted(cdf, (rng.random() + np.arange(n)) / n * cdf[-1])
    picks = np.minimum(picks, len(cdf) - 1)
    seeds = [np.random.SeedSequence(seed.entropy, spawn_key=(*seed.spawn_key, 1, i))
             for i in range(n)]
    summaries = simulator.run(_values(priors, result.particles[picks]), seeds)
    k = observed.n_periods
    curves = summaries[:, :-2].reshape(n, 1 + len(weights), k)
    obs = observed.curves()
    sizes = np.concatenate([[len(observed.period)], observed.group_sizes])
    counts = np.rint(curves * sizes[None, :, None])
    observed_counts = np.rint(obs * sizes[:, None])
    lo, med, hi = np.quantile(counts, LEVELS, axis=0)
    labels = ["all", *observed.group_labels]
    bands = pd.DataFrame({
        "curve": np.repeat(labels, k), "period": np.tile(np.arange(1, k + 1), len(labels)),
        "observed": observed_counts.ravel().astype(np.int64), "lo": lo.ravel(),
        "median": med.ravel(), "hi": hi.ravel(),
    })
    bands["inside"] = (bands["observed"] >= bands["lo"]) & (bands["observed"] <= bands["hi"])
    share = float(bands.loc[bands["curve"] == "all", "inside"].mean())
    distances = curve_distance(summaries, observed.summary(), weights, k)
    return PredictiveCheck(bands, share, distances)
