"""ABC-SMC model choice: one population of (model, parameters) particles (Toni & Stumpf 2010).

The models compared (no contagion, simple, complex) are fitted together. Each particle carries a
model index and that model's parameters; the tolerance falls generation by generation as in
:func:`~alumni_net.experiments.calibration.smc.abc_smc`, and the share of the weight held by a
model's particles estimates its posterior probability at the final tolerance:

* generation 0 draws ``population`` particles from the prior, stratified so that each model gets
  its prior share of them exactly (weights ``pi(m) / n_m``);
* generation ``t`` proposes a model from the last population's model probabilities, moves it
  with the model kernel (stay with probability ``stay``, else jump to another living model,
  uniformly), then proposes that model's parameters from its own last particles through a
  truncated Gaussian kernel (twice the weighted variance of *its* particles, as Beaumont et al.
  2009 do for one model). A proposal is kept when any of its replicates lands within the
  tolerance; its weight is ``pi(m) pi(theta | m) b / (q(m) q_m(theta))`` with ``q`` the proposal
  densities of the model and of its parameters (``pi(theta | m)`` the uniform prior density on
  the model's box, so models of different dimensions are weighed correctly);
* a model whose particles all die stays dead (as in Toni & Stumpf); its last living particles
  are kept, so its fitted values and predictive check can still be shown, marked as such.

Why this method. The models are nested (no contagion is beta = 0; simple is complex with
threshold 0), so a comparison by goodness of fit alone would always prefer the larger model; the
model probability weighs each model's fit over its whole prior, which rewards a model only for
the fit its extra parameters buy. ABC model choice is only as good as the summaries are at
telling the models apart (Robert, Cornuet, Marin & Pillai 2011, PNAS 108:15112): ours add, to the
adoption curves, who adopts next to earlier adopters (exposure at adoption), which contagion and
background adoption predict differently, and the choice is checked on data simulated from each
model (``tests/experiments/test_calibration_choice.py``), as Marin et al. (2014, JRSS-B 76:833)
recommend.

Proposals are made in deterministic batches, each from its own child seed, and kept in index
order, so the result depends on the seed only, never on how many workers simulate.

References
----------
Toni, T. & Stumpf, M. P. H. (2010). Simulation-based model selection for dynamical systems in
systems and population biology. Bioinformatics 26(1), 104-110. doi:10.1093/bioinformatics/btp619

Beaumont, M. A., Cornuet, J.-M., Marin, J.-M., & Robert, C. P. (2009). Adaptive approximate
Bayesian computation. Biometrika 96(4), 983-990. https://doi.org/10.1093/biomet/asp052

Robert, C. P., Cornuet, J.-M., Marin, J.-M., & Pillai, N. S. (2011). Lack of confidence in
approximate Bayesian computation model choice. PNAS 108(37), 15112-15117.
https://doi.org/10.1073/pnas.1102900108

Marin, J.-M., et al. (2014). Relevant statistics for Bayesian model choice. Journal of the
Royal Statistical Society: Series B. https://www.jstor.org/stable/24774605 (arXiv:1110.4700)
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
from alumni_net.experiments.calibration.smc import (
    SMCSettings,
    _child,
    _proposal_density,
    _weighted_var,
    weighted_quantile,
)

__all__ = ["ChoiceResult", "ModelPopulation", "ModelSpace", "abc_smc_choice"]

#: simulate(models, theta, seeds) -> distances: ``models`` (k,) model indices, ``theta`` (k, D)
#: each row the model's parameters on the sampling scale then NaN, ``seeds`` k lists of
#: ``replicates`` SeedSequences; returns a (k, replicates) array of distances.
ChoiceSimulate = Callable[[np.ndarray, np.ndarray, list[list[np.random.SeedSequence]]],
                          np.ndarray]

#: Probability that the model kernel keeps a particle's model (Toni & Stumpf 2010 use 0.7).
STAY = 0.7


@dataclass(frozen=True)
class ModelSpace:
    """One model compared: name, prior box (sampling scale, shape (d, 2)), prior probability."""

    name: str
    bounds: np.ndarray
    prior: float

    @property
    def volume(self) -> float:
        return float(np.prod(self.bounds[:, 1] - self.bounds[:, 0]))


@dataclass(frozen=True)
class ModelPopulation:
    """A model's particles (sampling scale), weights normalised within the model, distances.

    ``generation`` is the generation they come from: the last one when the model survived, else
    the last in which it had particles (``alive`` False; its ``probability`` is then 0).
    """

    particles: np.ndarray
    weights: np.ndarray
    distances: np.ndarray
    generation: int
    probability: float
    alive: bool


@dataclass(frozen=True)
class ChoiceResult:
    """Every model's population and one history row per generation (with model probabilities)."""

    models: dict[str, ModelPopulation]
    history: pd.DataFrame

    @property
    def probabilities(self) -> dict[str, float]:
        return {m: p.probability for m, p in self.models.items()}

    @property
    def n_simulations(self) -> int:
        return int(self.history["simulations"].sum())


def abc_smc_choice(spaces: Sequence[ModelSpace], simulate: ChoiceSimulate,
                   settings: SMCSettings | None = None, *, seed: SeedLike = 0,
                   desc: str = "ABC-SMC model choice", stay: float = STAY) -> ChoiceResult:
    """Sample the joint ABC posterior of model and parameters (see the module docstring).

    ``settings.population`` is the number of particles in each generation, all models together.
    """
    spaces = list(spaces)
    settings = settings or SMCSettings()
    priors = np.array([s.prior for s in spaces], dtype=float)
    if not spaces or np.any(priors <= 0) or not math.isclose(priors.sum(), 1.0):
        raise ConfigError("model prior probabilities must be positive and add up to 1")
    root = as_seed_sequence(seed)
    n, n_rep = settings.population, settings.replicates
    width = max(len(s.bounds) for s in spaces)
    history: list[dict] = []
    with progress(total=settings.max_generations, desc=desc) as bar:
        pop = _generation_zero(root, spaces, priors, simulate, n, n_rep, width)
        last = _snapshots(pop, spaces, 0, {})
        history.append(_row(0, math.inf, n * n_rep, n, pop, len(spaces)))
        bar.update()
        for gen in range(1, settings.max_generations):
            eps = _tolerance(pop, settings.quantile, history[-1]["epsilon"])
            if eps is None:
                break  # the tolerance no longer falls: more generations would not narrow
            new = _generation(root, gen, pop, spaces, priors, eps, simulate, settings, stay,
                              history[-1]["acceptance"], width)
            if new is None:
                break  # too few proposals kept even with a large budget: keep the last one
            pop, proposals = new
            last = _snapshots(pop, spaces, gen, last)
            history.append(_row(gen, eps, proposals * n_rep, proposals, pop, len(spaces)))
            bar.set_postfix(tolerance=f"{eps:.3g}", accepted=f"{n / proposals:.0%}")
            bar.update()
            if history[-1]["acceptance"] < settings.min_acceptance:
                break
    table = pd.DataFrame(history)
    for j, s in enumerate(spaces):
        table = table.rename(columns={f"p_{j}": f"p_{s.name}"})
    final = _model_probabilities(pop, len(spaces))
    models = {}
    for j, s in enumerate(spaces):
        particles, weights, dist, generation = last[j]
        alive = final[j] > 0
        models[s.name] = ModelPopulation(particles, weights, dist, generation,
                                         float(final[j]), bool(alive))
    return ChoiceResult(models, table)


def _tolerance(pop, quantile: float, last: float) -> float | None:
    """The next tolerance: the ``quantile`` of the particles' (median) distances.

    Many particles can share one distance (every draw in which nobody adopts lands at the same
    one), and a quantile that falls on such a tie would stop the tolerance from falling. Then
    the quantile is taken among the particles strictly closer than the last tolerance, when they
    hold at least 5% of the weight; else there is nothing left to narrow (None).
    """
    d = np.median(pop["dist"], axis=1)
    eps = float(weighted_quantile(d, pop["w"], quantile))
    if eps < last * 0.999:
        return eps
    closer = d < last * 0.999
    if pop["w"][closer].sum() < 0.05:
        return None
    return float(weighted_quantile(d[closer], pop["w"][closer], quantile))


def _generation_zero(root, spaces, priors, simulate, n, n_rep, width) -> dict:
    counts = _stratified_counts(priors, n)
    rng = np.random.default_rng(_child(root, 0, 0, 0))
    m = np.repeat(np.arange(len(spaces)), counts)
    theta = np.full((n, width), np.nan)
    for j, s in enumerate(spaces):
        sel = m == j
        theta[sel, :len(s.bounds)] = rng.uniform(s.bounds[:, 0], s.bounds[:, 1],
                                                 size=(int(sel.sum()), len(s.bounds)))
    dist = np.asarray(simulate(m, theta, _seeds(root, 0, 0, n, n_rep)))
    w = (priors / np.maximum(counts, 1))[m]  # each model holds exactly its prior probability
    return {"m": m, "theta": theta, "dist": dist, "w": w / w.sum()}


def _stratified_counts(priors: np.ndarray, n: int) -> np.ndarray:
    """Whole particle counts closest to ``n * priors`` (largest remainders), at least one each."""
    raw = priors * n
    counts = np.maximum(np.floor(raw).astype(int), 1)
    order = np.argsort(-(raw - np.floor(raw)), kind="stable")
    i = 0
    while counts.sum() < n:
        counts[order[i % len(order)]] += 1
        i += 1
    return counts


def _generation(root, gen, pop, spaces, priors, eps, simulate, settings, stay, last_rate, width):
    """One generation: proposals in batches until ``population`` are kept (or the budget ends)."""
    n, n_rep = settings.population, settings.replicates
    p_model = _model_probabilities(pop, len(spaces))
    alive = np.flatnonzero(p_model > 0)
    kernels = {j: _kernel(pop, j, spaces[j]) for j in alive}
    kept_m, kept_theta, kept_dist, kept_b = [], [], [], []
    proposals, batch, rate, kept = 0, 0, max(last_rate, 0.05), 0
    while kept < n:
        if proposals >= 50 * n:
            return None
        need = n - kept
        size = int(min(20 * n, max(need, math.ceil(1.2 * need / rate))))
        rng = np.random.default_rng(_child(root, 0, gen, batch))
        m = _propose_models(rng, p_model, alive, size, stay)
        theta = np.full((size, width), np.nan)
        for j in alive:  # in model order: the draws depend on the seed only
            sel = np.flatnonzero(m == j)
            if len(sel):
                theta[sel, :len(spaces[j].bounds)] = _perturb(rng, kernels[j], spaces[j], len(sel))
        dist = np.asarray(simulate(m, theta, _seeds(root, gen, batch, size, n_rep)))
        b = (dist <= eps).mean(axis=1)
        ok = np.flatnonzero(b > 0)[:need]
        kept_m.append(m[ok])
        kept_theta.append(theta[ok])
        kept_dist.append(dist[ok])
        kept_b.append(b[ok])
        kept += len(ok)
        proposals += size
        rate = max(len(np.flatnonzero(b > 0)) / size, 0.01)
        batch += 1
    m = np.concatenate(kept_m)
    theta = np.concatenate(kept_theta)
    b = np.concatenate(kept_b)
    q_model = _model_proposal(p_model, alive, stay)
    w = np.zeros(len(m))
    for j in alive:
        sel = m == j
        if sel.any():
            s, (parents, pw, sigma) = spaces[j], kernels[j]
            x = theta[sel, :len(s.bounds)]
            q = _proposal_density(x, parents, pw, sigma, s.bounds)
            w[sel] = s.prior / s.volume * b[sel] / (q_model[j] * q)
    return {"m": m, "theta": theta, "dist": np.concatenate(kept_dist), "w": w / w.sum()}, proposals


def _kernel(pop, j, space) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Model ``j``'s particles, their weights within the model and its kernel widths."""
    sel = pop["m"] == j
    parents = pop["theta"][sel, :len(space.bounds)]
    w = pop["w"][sel] / pop["w"][sel].sum()
    span = space.bounds[:, 1] - space.bounds[:, 0]
    # Twice the weighted variance; a floor keeps a model with one or two particles moving.
    floor = (0.05 if len(parents) < 3 else 0.01) * span
    sigma = np.maximum(np.sqrt(2.0 * _weighted_var(parents, w)), floor)
    return parents, w, sigma


def _perturb(rng, kernel, space, k) -> np.ndarray:
    parents, w, sigma = kernel
    parent = parents[rng.choice(len(parents), size=k, p=w)]
    lo, hi = (space.bounds[:, 0] - parent) / sigma, (space.bounds[:, 1] - parent) / sigma
    return stats.truncnorm.rvs(lo, hi, loc=parent, scale=sigma, random_state=rng)


def _propose_models(rng, p_model, alive, size, stay) -> np.ndarray:
    start = rng.choice(len(p_model), size=size, p=p_model)
    if len(alive) == 1:
        return start
    jump = rng.random(size) >= stay
    others = rng.integers(0, len(alive) - 1, size)  # among the living models but the start
    rank = np.searchsorted(alive, start)
    target = alive[np.where(others >= rank, others + 1, others)]
    return np.where(jump, target, start)


def _model_proposal(p_model, alive, stay) -> np.ndarray:
    """q(m) = sum_m' P(m') K(m | m') over the living models."""
    q = np.zeros(len(p_model))
    if len(alive) == 1:
        q[alive] = 1.0
        return q
    move = (1 - stay) / (len(alive) - 1)
    for j in alive:
        q[j] = p_model[j] * stay + (p_model[alive].sum() - p_model[j]) * move
    return q


def _model_probabilities(pop, k) -> np.ndarray:
    return np.bincount(pop["m"], weights=pop["w"], minlength=k)


def _snapshots(pop, spaces, gen, last) -> dict:
    """Each model's particles now, or its last ones if it has none now."""
    out = dict(last)
    for j, s in enumerate(spaces):
        sel = pop["m"] == j
        if sel.any():
            w = pop["w"][sel]
            out[j] = (pop["theta"][sel, :len(s.bounds)], w / w.sum(), pop["dist"][sel], gen)
    return out


def _row(gen, eps, sims, proposals, pop, k) -> dict:
    p = _model_probabilities(pop, k)
    row = {"generation": gen, "epsilon": eps, "proposals": proposals, "simulations": sims,
           "accepted": len(pop["m"]), "acceptance": len(pop["m"]) / proposals,
           "ess": float(1.0 / np.sum(pop["w"] ** 2))}
    row.update({f"p_{j}": float(p[j]) for j in range(k)})
    return row


def _seeds(root, gen, batch, k, n_rep) -> list[list[np.random.SeedSequence]]:
    return [[_child(root, 1, gen, batch, i, r) for r in range(n_rep)] for i in range(k)]
