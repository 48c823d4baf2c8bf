"""Approximate Bayesian computation by sequential Monte Carlo (ABC-SMC, population Monte Carlo).

The sampler of Toni et al. (2009, J. R. Soc. Interface 6:187, algorithm "ABC SMC") with the
adaptive choices of Beaumont et al. (2009, Biometrika 96:983):

* generation 0 draws ``population`` particles from the prior (tolerance infinite);
* generation ``t`` takes as tolerance ``eps_t`` the ``quantile`` (default the median) of the
  previous population's distances, weighted (adaptive tolerances as in Beaumont et al. 2009,
  Del Moral et al. 2012); it proposes a particle of the previous population by weight, moves it
  with a Gaussian kernel of variance twice the population's weighted variance per parameter
  (Beaumont et al. 2009), truncated to the prior's box, simulates ``replicates`` data sets and
  keeps the particle when at least one is within ``eps_t``;
* a kept particle gets the weight ``b(theta) pi(theta) / sum_j w_j K(theta | theta_j)`` where
  ``b`` is the share of its replicates within the tolerance (Toni et al.'s ``b_t``: an unbiased
  estimate of the ABC likelihood), ``pi`` the (uniform) prior and ``K`` the truncated kernel;
* it stops after ``max_generations``, when the tolerance no longer falls, or when fewer than
  ``min_acceptance`` of the proposals are kept (further generations would cost more than they
  narrow).

Proposals are made in deterministic batches, each from its own child seed, and kept in index
order, so the result depends on the seed only, never on how many workers simulate.

References
----------
Toni, T., Welch, D., Strelkowa, N., Ipsen, A., & Stumpf, M. P. H. (2009). Approximate Bayesian
computation scheme for parameter inference and model selection in dynamical systems. Journal
of the Royal Society Interface 6(31), 187-202. https://doi.org/10.1098/rsif.2008.0172

Beaumont, M. A., Cornuet, J.-M., Marin, J.-M., & Robert, C. P. (2009). Adaptive approximate
Bayesian computation. Biometrika 96(4), 983-990. https://doi.org/10.1093/biomet/asp052

Del Moral, P., Doucet, A., & Jasra, A. (2012). An adaptive sequential Monte Carlo method for
approximate Bayesian computation. Statistics and Computing 22(5), 1009-1020.
https://doi.org/10.1007/s11222-011-9271-y
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from alumni_net.core.progress import progress
from alumni_net.core.rng import SeedLike, as_seed_sequence
from alumni_net.errors import ConfigError

__all__ = ["SMCResult", "SMCSettings", "abc_smc", "weighted_quantile"]

#: simulate(theta, seeds) -> distances: ``theta`` (k, d) on the sampling scale, ``seeds`` a list
#: of k lists of ``replicates`` SeedSequences; returns a (k, replicates) array of distances.
Simulate = Callable[[np.ndarray, list[list[np.random.SeedSequence]]], np.ndarray]


@dataclass(frozen=True)
class SMCSettings:
    """Tuning of :func:`abc_smc`.

    Parameters
    ----------
    population : int
        Particles per generation (>= 20).
    replicates : int
        Simulated data sets per particle (>= 1).
    max_generations : int
        Generations including generation 0 from the prior (>= 2).
    quantile : float
        Quantile of the previous distances taken as the next tolerance, in (0, 1).
    min_acceptance : float
        Stop once a generation keeps fewer than this share of its proposals, in [0, 1).
    """

    population: int = 300
    replicates: int = 1
    max_generations: int = 8
    quantile: float = 0.5
    min_acceptance: float = 0.02

    def __post_init__(self) -> None:
        for name, lo in (("population", 20), ("replicates", 1), ("max_generations", 2)):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < lo:
                raise ConfigError(f"{name} must be an integer >= {lo}, got {value!r}")
        if not 0 < self.quantile < 1:
            raise ConfigError(f"quantile must be in (0, 1), got {self.quantile!r}")
        if not 0 <= self.min_acceptance < 1:
            raise ConfigError(f"min_acceptance must be in [0, 1), got {self.min_acceptance!r}")


@dataclass(frozen=True)
class SMCResult:
    """The last population: particles (sampling scale), normalised weights, their distances
    (one column per replicate), and one history row per generation."""

    particles: np.ndarray
    weights: np.ndarray
    distances: np.ndarray
    history: pd.DataFrame

    @property
    def ess(self) -> float:
        """Effective sample size of the weights."""
        return float(1.0 / np.sum(self.weights ** 2))

    @property
    def n_simulations(self) -> int:
        return int(self.history["simulations"].sum())


def weighted_quantile(values: np.ndarray, weights: np.ndarray,
                      q: float | Sequence[float] | np.ndarray) -> np.ndarray:
    """Quantiles of a weighted sample (inverse of the weighted empirical CDF, midpoint rule).

    Examples
    --------
    >>> weighted_quantile(np.array([1.0, 2.0]), np.array([1.0, 3.0]), 0.5).item()
    1.75
    """
    order = np.argsort(values, kind="stable")
    v, w = np.asarray(values, float)[order], np.asarray(weights, float)[order]
    cdf = (np.cumsum(w) - 0.5 * w) / w.sum()
    return np.interp(q, cdf, v)


def _child(root: np.random.SeedSequence, *key: int) -> np.random.SeedSequence:
    # From entropy and spawn key, never root.spawn(): a child must not depend on call order.
    return np.random.SeedSequence(root.entropy, spawn_key=(*root.spawn_key, *key))


def abc_smc(bounds: np.ndarray, simulate: Simulate, settings: SMCSettings = SMCSettings(), *,
            seed: SeedLike = 0, desc: str = "ABC-SMC") -> SMCResult:
    """Sample the ABC posterior of a model whose prior is uniform on the box ``bounds`` (d, 2).

    See the module docstring for the algorithm. ``simulate`` returns distances to the observed
    data; the result's particles approximate the posterior at the last tolerance.

    References
    ----------
    Toni, T., Welch, D., Strelkowa, N., Ipsen, A., & Stumpf, M. P. H. (2009). Approximate Bayesian
    computation scheme for parameter inference and model selection in dynamical systems. Journal
    of the Royal Society Interface 6(31), 187-202. https://doi.org/10.1098/rsif.2008.0172

    Beaumont, M. A., Cornuet, J.-M., Marin, J.-M., & Robert, C. P. (2009). Adaptive approximate
    Bayesian computation. Biometrika 96(4), 983-990. https://doi.org/10.1093/biomet/asp052

    Del Moral, P., Doucet, A., & Jasra, A. (2012). An adaptive sequential Monte Carlo method for
    approximate Bayesian computation. Statistics and Computing 22(5), 1009-1020.
    https://doi.org/10.1007/s11222-011-9271-y
    """
    root = as_seed_sequence(seed)
    bounds = np.asarray(bounds, dtype=float)
    m, n_rep = settings.population, settings.replicates
    history: list[dict] = []
    with progress(total=settings.max_generations, desc=desc) as bar:
        rng = np.random.default_rng(_child(root, 0, 0, 0))
        theta = rng.uniform(bounds[:, 0], bounds[:, 1], size=(m, len(bounds)))
        dist = simulate(theta, _seeds(root, 0, 0, m, n_rep))
        weights = np.full(m, 1.0 / m)
        history.append(_row(0, math.inf, m * n_rep, m, m, weights))
        bar.update()
        for gen in range(1, settings.max_generations):
            eps = float(weighted_quantile(np.median(dist, axis=1), weights, settings.quantile))
            if gen > 1 and eps >= history[-1]["epsilon"] * 0.999:
                break  # the tolerance no longer falls: more generations would not narrow
            new = _generation(root, gen, theta, weights, eps, bounds, simulate, settings,
                              history[-1]["acceptance"])
            if new is None:
                break  # too few proposals kept even with a large budget: keep the last one
            theta, dist, weights, sims, proposals = new
            history.append(_row(gen, eps, sims, proposals, m, weights))
            bar.set_postfix(tolerance=f"{eps:.3g}", accepted=f"{m / proposals:.0%}")
            bar.update()
            if history[-1]["acceptance"] < settings.min_acceptance:
                break
    return SMCResult(theta, weights, dist, pd.DataFrame(history))


def _row(gen, eps, sims, proposals, kept, weights) -> dict:
    return {"generation": gen, "epsilon": eps, "proposals": proposals, "simulations": sims,
            "accepted": kept, "acceptance": kept / proposals,
            "ess": float(1.0 / np.sum(weights ** 2))}


def _seeds(root, gen, batch, k, n_rep) -> list[list[np.random.SeedSequence]]:
    return [[_child(root, 1, gen, batch, i, r) for r in range(n_rep)] for i in range(k)]


def _generation(root, gen, theta, weights, eps, bounds, simulate, settings, last_rate):
    """One generation: proposals in batches until ``population`` are kept (or the budget ends)."""
    m, n_rep = settings.population, settings.replicates
    sigma = np.sqrt(2.0 * _weighted_var(theta, weights))
    sigma = np.maximum(sigma, 1e-9 * (bounds[:, 1] - bounds[:, 0]))
    kept_theta, kept_dist, kept_b = [], [], []
    proposals, batch, rate, kept = 0, 0, max(last_rate, 0.05), 0
    while kept < m:
        if proposals >= 50 * m:
            return None
        need = m - kept
        size = int(min(20 * m, max(need, math.ceil(1.2 * need / rate))))
        rng = np.random.default_rng(_child(root, 0, gen, batch))
        parent = theta[rng.choice(m, size=size, p=weights)]
        lo, hi = (bounds[:, 0] - parent) / sigma, (bounds[:, 1] - parent) / sigma
        cand = stats.truncnorm.rvs(lo, hi, loc=parent, scale=sigma, random_state=rng)
        dist = np.asarray(simulate(cand, _seeds(root, gen, batch, size, n_rep)))
        b = (dist <= eps).mean(axis=1)
        ok = np.flatnonzero(b > 0)[:need]
        kept_theta.append(cand[ok])
        kept_dist.append(dist[ok])
        kept_b.append(b[ok])
        kept += len(ok)
        proposals += size
        rate = max(len(np.flatnonzero(b > 0)) / size, 0.01)
        batch += 1
    new_theta = np.concatenate(kept_theta)
    b = np.concatenate(kept_b)
    w = b / _proposal_density(new_theta, theta, weights, sigma, bounds)
    return new_theta, np.concatenate(kept_dist), w / w.sum(), proposals * n_rep, proposals


def _weighted_var(theta: np.ndarray, weights: np.ndarray) -> np.ndarray:
    mean = weights @ theta
    return weights @ (theta - mean) ** 2


def _proposal_density(x, parents, weights, sigma, bounds) -> np.ndarray:
    """sum_j w_j K(x | parent_j), K the diagonal Gaussian truncated to the box (normalised)."""
    z = stats.norm.cdf((bounds[:, 1] - parents) / sigma) - stats.norm.cdf(
        (bounds[:, 0] - parents) / sigma)  # (M, d): mass of each parent's kernel in the box
    out = np.zeros(len(x))
    for start in range(0, len(x), 256):  # blocks: (block, M, d) stays small
        diff = (x[start:start + 256, None, :] - parents[None, :, :]) / sigma
        dens = np.exp(-0.5 * diff ** 2) / (sigma * math.sqrt(2 * math.pi)) / z[None]
        out[start:start + 256] = np.prod(dens, axis=2) @ weights
    return out
