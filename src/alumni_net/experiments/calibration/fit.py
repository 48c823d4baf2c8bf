"""Fitting the compared models to observed adoption: distance, ABC-SMC model choice, summaries,
identification and the posterior predictive check.

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

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from alumni_net.experiments.calibration.choice import ModelSpace, abc_smc_choice
from alumni_net.experiments.calibration.observed import ObservedAdoption
from alumni_net.experiments.calibration.priors import ParameterPrior, model_values
from alumni_net.experiments.calibration.simulator import Simulator
from alumni_net.experiments.calibration.smc import SMCResult, SMCSettings, weighted_quantile

__all__ = ["BOUND_ZONE", "IDENTIFIED_WIDTH", "ModelFit", "PredictiveCheck", "curve_distance",
           "fit_models", "model_prior", "posterior_sample", "predictive_bands"]

#: A parameter counts as identified only when its posterior 90% interval is at most this share of
#: the prior's 90% interval (both on the sampling scale, where the prior is uniform) -- the data
#: at least halve the prior's range -- and it does not pile up against a prior bound (below).
IDENTIFIED_WIDTH = 0.5
#: "Piles up against a bound": at least this share of the posterior lies within this share of
#: the prior's range from the bound (the uniform prior itself puts exactly this much there), and
#: at least twice as much as against the other bound (a posterior as flat as the prior is "as
#: wide as the prior", not piled up). Such a posterior says "no more than" (or "no less than")
#: the bound allows, not a value.
BOUND_ZONE = 0.05
#: Below this effective number of particles a model's posterior is too thin to judge (an
#: improbable model keeps few particles in a joint population).
MIN_ESS = 10
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
    observed periods inside the band; ``distances`` the predictive draws' distances;
    ``contagion_share`` each draw's share of adoptions that came through contagion.
    """

    bands: pd.DataFrame
    share_inside: float
    distances: np.ndarray
    contagion_share: np.ndarray = field(default_factory=lambda: np.zeros(0))


@dataclass(frozen=True)
class ModelFit:
    """One model fitted by ABC-SMC model choice: priors, particles and the tables built from them.

    ``probability`` is the model's posterior probability among the models compared;
    ``generation`` the ABC-SMC generation its particles come from (the last one unless the
    model died out: ``alive`` False).
    """

    model: str
    priors: tuple[ParameterPrior, ...]
    smc: SMCResult
    check: PredictiveCheck
    probability: float = 1.0
    generation: int = -1
    alive: bool = True

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
        """Fitted values: median, 90% interval, prior range and whether the data identify it
        (``identified``, with the reason in ``identification``)."""
        rows = []
        w = self.smc.weights
        ess = float(1.0 / np.sum(w ** 2))
        for i, prior in enumerate(self.priors):
            u = self.smc.particles[:, i]
            lo, med, hi = weighted_quantile(u, w, list(LEVELS))
            p_lo, p_hi = prior.bounds
            ratio = (hi - lo) / (0.9 * (p_hi - p_lo))
            zone = BOUND_ZONE * (p_hi - p_lo)
            at_low = float(w[u <= p_lo + zone].sum())
            at_high = float(w[u >= p_hi - zone].sum())
            why = _identification(prior, ratio, at_low, at_high) if ess >= MIN_ESS else (
                f"not assessed: the model kept {len(w)} particle(s) (effective {ess:.0f}), too "
                "few to tell; it is improbable")
            rows.append({
                "model": self.model, "parameter": prior.name,
                "value": float(prior.to_value(med)), "lo": float(prior.to_value(lo)),
                "hi": float(prior.to_value(hi)), "prior": prior.describe(),
                "prior_low": prior.low, "prior_high": prior.high,
                "width_ratio": float(ratio), "mass_at_low": at_low, "mass_at_high": at_high,
                "identified": why == "identified", "identification": why,
            })
        return pd.DataFrame(rows)

    @property
    def values(self) -> dict[str, float]:
        """Posterior medians by parameter name."""
        return dict(zip(self.summary["parameter"], self.summary["value"], strict=True))


def _identification(prior: ParameterPrior, ratio: float, at_low: float, at_high: float) -> str:
    """'identified', or why not, in words."""
    if at_low >= BOUND_ZONE and at_low >= 2 * at_high:
        return (f"not identified: piles up against the prior's lower bound ({prior.low:g}), so "
                "the data give an upper limit only")
    if at_high >= BOUND_ZONE and at_high >= 2 * at_low:
        return (f"not identified: piles up against the prior's upper bound ({prior.high:g}), "
                "so the data give a lower limit only")
    if ratio > IDENTIFIED_WIDTH:
        return (f"not identified: the 90% interval is {ratio:.0%} as wide as the prior's "
                f"(identified needs at most {IDENTIFIED_WIDTH:.0%})")
    return "identified"


def model_prior(models: tuple[str, ...]) -> dict[str, float]:
    """Prior model probabilities: no contagion against contagion even, the contagion models
    sharing their half, so that P(contagion) starts at 1/2 however many of them are compared.

    Examples
    --------
    >>> model_prior(("no_contagion", "simple", "complex"))
    {'no_contagion': 0.5, 'simple': 0.25, 'complex': 0.25}
    """
    contagion = [m for m in models if m != "no_contagion"]
    if "no_contagion" not in models or not contagion:
        return {m: 1 / len(models) for m in models}
    return {m: 0.5 if m == "no_contagion" else 0.5 / len(contagion) for m in models}


def fit_models(models: tuple[str, ...], priors: dict[str, tuple[ParameterPrior, ...]],
               observed: ObservedAdoption, simulator: Simulator, settings: SMCSettings, *,
               seed: np.random.SeedSequence, n_predictive: int = 200) -> dict[str, ModelFit]:
    """Fit ``models`` together by ABC-SMC model choice, then check each one's predictive curves.

    ``simulator`` runs the model with every field named in ``simulator.task.names``; each model's
    draws fill the fields it fixes (:func:`~.priors.model_values`). ``settings.population`` is the
    number of particles of all models together.
    """
    obs = observed.summary()
    weights = _group_weights(observed)
    names = simulator.task.names
    prior_p = model_prior(models)
    spaces = [ModelSpace(m, np.array([p.bounds for p in priors[m]]), prior_p[m]) for m in models]

    def distances(index, theta, seeds):
        full = _full_values(models, priors, index, theta, names)
        flat_values = np.repeat(full, len(seeds[0]), axis=0)
        flat_seeds = [s for row in seeds for s in row]
        summaries = simulator.run(flat_values, flat_seeds)[:, :-1]
        return curve_distance(summaries, obs, weights, observed.n_periods).reshape(len(theta), -1)

    smc_seed = np.random.SeedSequence(seed.entropy, spawn_key=(*seed.spawn_key, 0))
    result = abc_smc_choice(spaces, distances, settings, seed=smc_seed,
                            desc=f"ABC-SMC {' / '.join(models)}")
    fits = {}
    for j, m in enumerate(models):
        pop = result.models[m]
        smc = SMCResult(pop.particles, pop.weights, pop.distances, result.history)
        check_seed = np.random.SeedSequence(seed.entropy, spawn_key=(*seed.spawn_key, 1, j))
        values = model_values(m, priors[m], _values(priors[m], pop.particles), names)
        check = _predictive(values, pop.weights, observed, simulator, check_seed, n_predictive,
                            weights)
        fits[m] = ModelFit(m, priors[m], smc, check, pop.probability, pop.generation, pop.alive)
    return fits


def _full_values(models, priors, index, theta, names) -> np.ndarray:
    full = np.zeros((len(theta), len(names)))
    for j, m in enumerate(models):
        sel = index == j
        if sel.any():
            d = len(priors[m])
            full[sel] = model_values(m, priors[m], _values(priors[m], theta[sel, :d]), names)
    return full


def _values(priors, theta: np.ndarray) -> np.ndarray:
    return np.column_stack([p.to_value(theta[:, i]) for i, p in enumerate(priors)])


def _group_weights(observed: ObservedAdoption) -> np.ndarray:
    sizes = observed.group_sizes.astype(float)
    return sizes / sizes.sum() if len(sizes) else sizes


def _systematic(weights: np.ndarray, n: int, rng: np.random.Generator) -> np.ndarray:
    """``n`` indices drawn in proportion to ``weights`` (systematic resampling)."""
    cdf = np.cumsum(weights)
    picks = np.searchsorted(cdf, (rng.random() + np.arange(n)) / n * cdf[-1])
    return np.minimum(picks, len(cdf) - 1)


def _predictive(values: np.ndarray, particle_weights: np.ndarray, observed: ObservedAdoption,
                simulator: Simulator, seed: np.random.SeedSequence, n: int,
                weights: np.ndarray) -> PredictiveCheck:
    """Simulate ``n`` draws of one model's posterior (systematic resampling), one data set each."""
    rng = np.random.default_rng(np.random.SeedSequence(seed.entropy,
                                                       spawn_key=(*seed.spawn_key, 0)))
    picks = _systematic(particle_weights, n, rng)
    seeds = [np.random.SeedSequence(seed.entropy, spawn_key=(*seed.spawn_key, 1, i))
             for i in range(n)]
    out = simulator.run(values[picks], seeds)
    summaries, spread = out[:, :-1], out[:, -1]
    bands = predictive_bands(observed, summaries)
    share = float(bands.loc[bands["curve"] == "all", "inside"].mean())
    distances = curve_distance(summaries, observed.summary(), weights, observed.n_periods)
    return PredictiveCheck(bands, share, distances, spread)


def predictive_bands(observed: ObservedAdoption, summaries: np.ndarray) -> pd.DataFrame:
    """Observed cumulative adopters beside the 5%, 50% and 95% points of simulated ones.

    ``summaries`` holds one :meth:`ObservedAdoption.summarise` row per simulated data set. One
    row per (curve, period): ``curve`` ("all", then each group), ``period``, ``observed``,
    ``lo``, ``median``, ``hi``, ``inside``.
    """
    k = observed.n_periods
    n_groups = len(observed.group_labels)
    curves = summaries[:, :(1 + n_groups) * k].reshape(len(summaries), 1 + n_groups, k)
    sizes = np.concatenate([[len(observed.period)], observed.group_sizes])
    counts = np.rint(curves * sizes[None, :, None])
    observed_counts = np.rint(observed.curves() * sizes[:, None])
    lo, med, hi = np.quantile(counts, LEVELS, axis=0)
    labels = ["all", *observed.group_labels]
    bands = pd.DataFrame({
        "curve": np.repeat(labels, k), "period": np.tile(np.arange(1, k + 1), len(labels)),
        "observed": observed_counts.ravel().astype(np.int64), "lo": lo.ravel(),
        "median": med.ravel(), "hi": hi.ravel(),
    })
    bands["inside"] = (bands["observed"] >= bands["lo"]) & (bands["observed"] <= bands["hi"])
    return bands


def posterior_sample(fits: dict[str, ModelFit], names: tuple[str, ...], n: int, *,
                     seed: np.random.SeedSequence,
                     models: tuple[str, ...] | None = None) -> tuple[np.ndarray, np.ndarray]:
    """``n`` draws of the model-averaged posterior, in random order: (model names, values).

    Each draw picks a model with its posterior probability (renormalised over ``models``, default
    every model) and one of its particles by weight; ``values`` has one column per ``names``
    (every field any model fits, the model's fixed fields filled in).
    """
    models = tuple(fits) if models is None else models
    p = np.array([fits[m].probability for m in models], dtype=float)
    if p.sum() <= 0:
        p = np.ones(len(models))
    rng = np.random.default_rng(seed)
    counts = np.bincount(_systematic(p / p.sum(), n, rng), minlength=len(models))
    labels, rows = [], []
    for m, k in zip(models, counts, strict=True):
        if k:
            fit = fits[m]
            values = model_values(m, fit.priors, _values(fit.priors, fit.smc.particles), names)
            rows.append(values[_systematic(fit.smc.weights, int(k), rng)])
            labels += [m] * int(k)
    order = rng.permutation(n)
    return np.asarray(labels, dtype=object)[order], np.concatenate(rows)[order]
