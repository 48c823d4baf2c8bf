"""Fitting the workforce model to the survey by ABC-SMC on survey-weighted ego statistics.

For a proposed parameter setting, a network is generated on about ``fit_size`` people of the
population (whole organisations drawn from a layout of the full population, so organisation
sizes, which bound colleague degrees, are the full population's), the survey is simulated on it
exactly as it was run (:mod:`.survey_sim`), and the distance to the observed survey is the root
mean square of the fitted statistics' differences, each in units of its bootstrap standard
error. ABC-SMC (:func:`alumni_net.experiments.calibration.abc_smc`) turns that into a posterior
whose spread carries the survey's sampling error: the simulated survey has as many egos, with
the same weights and truncation, as the real one.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from alumni_net.core.checks import check_int, check_number
from alumni_net.core.rng import SeedLike, as_seed_sequence
from alumni_net.experiments.calibration import SMCResult, SMCSettings, abc_smc
from alumni_net.experiments.calibration.smc import weighted_quantile
from alumni_net.experiments.executor import Executor, default_workers
from alumni_net.experiments.workforce.model import (
    PARAMETERS,
    PRIOR,
    OrgSizes,
    Structure,
    WorkforceParams,
    build_structure,
    generate,
    prior_bounds,
    role_activity,
    sample_organisations,
)
from alumni_net.experiments.workforce.sample import EgoSample, sample_from_ego_data
from alumni_net.experiments.workforce.statistics import (
    FITTED,
    STATISTICS,
    bootstrap,
    column_sd,
    ego_statistics,
    role_shares,
    workforce_other,
)
from alumni_net.experiments.workforce.survey_sim import ego_pools, place_egos, simulate_survey
from alumni_net.experiments.workforce.weights import rake_weights
from alumni_net.survey import (
    Categories,
    EgoData,
    categories_from_population,
    check_population,
)

__all__ = ["FitSettings", "WorkforceFit", "child_seed", "ego_degrees", "fit_workforce"]

# A statistic's bootstrap SE is floored: with few egos a share can be 0 or 1 in every resample.
_SE_FLOOR = {s: (0.05 if s.startswith(("log", "sd")) else 0.02) for s in STATISTICS}
_MISSING_DISTANCE = 4.0  # a statistic the simulation cannot compute counts as 4 SEs off


@dataclass(frozen=True)
class FitSettings:
    """Tuning of :func:`fit_workforce`.

    Parameters
    ----------
    particles : ABC-SMC particles per generation (>= 20).
    generations : ABC-SMC generations, the first from the prior (>= 2).
    fit_size : people in the networks simulated while fitting: whole organisations drawn from
        a layout of the full population (ego statistics are local, so they do not depend on
        the total; organisation sizes, which bound colleague degrees, are kept).
    structures : organisation layouts the fit draws from (each simulation uses one of them).
    count_noise : SD of the log recall error of reported counts (an assumption the survey
        cannot check: it is simulated on every generated network as it is assumed in the data).
    proxy_noise : the same for an ego's guess of a contact's count (larger: a guess about
        someone else).
    bootstrap : resamples of the egos for the statistics' standard errors.
    predictive : posterior draws simulated for the fit report.
    role_prior : pseudo-contacts of the prior on role activity (see
        :func:`.model.role_activity`).
    regression : adjust the last ABC population by local-linear regression (Beaumont, Zhang &
        Balding 2002), so the posterior is not as wide as the last tolerance.
    org_size_min, org_size_max : the smallest and largest organisation (the synthetic
        generator's defaults, 5 and 5,000; sizes between follow Zipf's law). A population that
        is one community per region (a village) sets the smallest above the community's size;
        people who each work on their own (farmers) set both to 1.
    representative : the respondents are a random sample of the workforce (alumni chosen at
        random, not recruited for their connections). Their own counts across organisations
        are then fitted like the other statistics (a respondent's stand-in draws its degree
        from the model) instead of being given to the model. Contact lists name only people
        who have contacts, so without this nothing in the survey says how many people have
        few or none; by default the respondents' counts describe the alumni alone.

    References
    ----------
    Beaumont, M. A., Zhang, W., & Balding, D. J. (2002). Approximate Bayesian computation in
    population genetics. Genetics 162(4), 2025-2035. https://doi.org/10.1093/genetics/162.4.2025
    """

    particles: int = 150
    generations: int = 6
    fit_size: int = 3_000
    structures: int = 4
    count_noise: float = 0.3
    proxy_noise: float = 0.5
    bootstrap: int = 200
    predictive: int = 100
    role_prior: float = 10.0
    regression: bool = True
    org_size_min: int = 5
    org_size_max: int = 5_000
    representative: bool = False

    def __post_init__(self) -> None:
        check_int("particles", self.particles, 20, 100_000)
        check_int("generations", self.generations, 2, 50)
        check_int("fit_size", self.fit_size, 200, 10_000_000)
        check_int("structures", self.structures, 1, 100)
        check_number("count_noise", self.count_noise, 0.0, 2.0)
        check_number("proxy_noise", self.proxy_noise, 0.0, 2.0)
        check_int("bootstrap", self.bootstrap, 20, 100_000)
        check_int("predictive", self.predictive, 10, 100_000)
        check_number("role_prior", self.role_prior, 0.0, 1e6)
        check_int("org_size_min", self.org_size_min, 1, 50_000_000)
        check_int("org_size_max", self.org_size_max, self.org_size_min, 50_000_000)

    def organisations(self) -> OrgSizes:
        """These organisation sizes (Zipf's law between them, as the synthetic generator's)."""
        return OrgSizes(self.org_size_min, self.org_size_max)

    def fitted(self) -> tuple[str, ...]:
        """The statistics fitted: :data:`.statistics.FITTED`, and the respondents' own counts
        across organisations when they are ``representative``."""
        return (*FITTED, *(("log_known_other_orgs", "sd_log_known_other_orgs")
                           if self.representative else ()))

    def to_dict(self) -> dict:
        return dict(self.__dict__)


@dataclass(frozen=True)
class WorkforceFit:
    """The fitted workforce model, the survey it was fitted to, and what the report shows."""

    ego: EgoData
    population: pd.DataFrame
    categories: Categories
    sample: EgoSample
    weights: pd.Series
    observed: np.ndarray
    observed_boot: np.ndarray
    scale: np.ndarray
    smc: SMCResult
    particles: np.ndarray  # the posterior (sampling scale), regression-adjusted
    posterior_weights: np.ndarray
    predictive: np.ndarray
    role_counts: np.ndarray
    role_share: np.ndarray
    settings: FitSettings
    notes: tuple[str, ...] = field(default=())

    def draw(self, k: int, seed: np.random.SeedSequence) -> list[tuple[WorkforceParams,
                                                                       np.ndarray]]:
        """``k`` posterior draws: parameters (resampled by weight) and each role's activity
        (a Dirichlet posterior draw), one pair per network; draw ``i`` has its own child seed,
        so asking for more networks never changes the first ones."""
        out = []
        for i in range(k):
            rng = np.random.default_rng(child_seed(seed, i))
            pick = rng.choice(len(self.posterior_weights), p=self.posterior_weights)
            out.append((WorkforceParams.from_theta(self.particles[pick]),
                        role_activity(self.role_counts, self.role_share,
                                      prior=self.settings.role_prior, rng=rng)))
        return out

    def parameter_table(self) -> pd.DataFrame:
        """Posterior median and 90% interval of every fitted parameter, natural scale."""
        natural = np.array([list(WorkforceParams.from_theta(t).to_dict().values())
                            for t in self.particles], dtype=float)
        rows = []
        for j, name in enumerate(PARAMETERS):
            scale, lo, hi = PRIOR[name]
            box = (2 * max(1, round(lo)), 2 * round(hi)) if scale == "half" else \
                (math.exp(lo), math.exp(hi)) if scale == "log" else (lo, hi)
            q = weighted_quantile(natural[:, j], self.posterior_weights, [0.05, 0.5, 0.95])
            rows.append({"parameter": name, "median": q[1], "lo": q[0], "hi": q[2],
                         "prior_lo": box[0], "prior_hi": box[1],
                         "prior_scale": {"half": "even integers", "log": "log-uniform"}.get(
                             scale, "uniform")})
        return pd.DataFrame(rows)


def child_seed(root: np.random.SeedSequence, *key: int) -> np.random.SeedSequence:
    """A child of ``root`` fixed by ``key`` (never by call order)."""
    return np.random.SeedSequence(root.entropy, spawn_key=(*root.spawn_key, *key))


def fit_workforce(ego: EgoData, population: pd.DataFrame, *,
                  settings: FitSettings = FitSettings(), seed: SeedLike = 0,
                  workers: int | None = 1) -> WorkforceFit:
    """Fit the workforce model's parameters to the survey's ego statistics (ABC-SMC).

    The ABC simulations run on the package's executor: ``workers`` processes (None: the usable
    CPUs; 1, the default, runs them in this process). Each simulation has its own seed, keyed
    by generation, batch and particle, so the fit is the same at any number of workers.

    Raises
    ------
    ValidationError
        When the population's groups and the survey's categories do not match.
    """
    categories = categories_from_population(population)
    offered = Categories(**ego.meta["categories"]) if "categories" in ego.meta else categories
    check_population(population, offered, _used_values(ego))
    root = as_seed_sequence(seed)
    weights, notes = rake_weights(ego.people)
    sample = sample_from_ego_data(ego, categories, weights)
    observed = ego_statistics(sample)
    boot = bootstrap(sample, settings.bootstrap, np.random.default_rng(child_seed(root, 0)))
    se = column_sd(boot)
    scale = np.maximum(np.nan_to_num(se, nan=1.0), [_SE_FLOOR[s] for s in STATISTICS])
    role_share = _role_share(population, categories)
    counts = role_shares(sample, len(categories.role))
    activity = role_activity(counts, role_share, prior=settings.role_prior)
    layouts = _layouts(population, categories, sample, settings,
                       np.random.default_rng(child_seed(root, 1)))
    simulate = _Simulator(layouts, sample, activity, observed, scale, settings)
    with Executor(_distances, simulate, workers=workers) as executor:
        smc = abc_smc(prior_bounds(), _Dispatch(simulate, executor),
                      SMCSettings(population=settings.particles,
                                  max_generations=settings.generations),
                      seed=child_seed(root, 2), desc="fitting the workforce model")
    particles, posterior = smc.particles, smc.weights
    if settings.regression:
        particles, posterior = _regression_adjust(
            smc, simulate, np.random.default_rng(child_seed(root, 4)))
    rng = np.random.default_rng(child_seed(root, 3))
    picks = rng.choice(len(posterior), size=settings.predictive, p=posterior)
    predictive = np.array([simulate.statistics(particles[i], rng) for i in picks])
    return WorkforceFit(ego, population, categories, sample, weights, observed, boot, scale, smc,
                        particles, posterior, predictive, counts, role_share, settings,
                        tuple(notes))


def _regression_adjust(smc: SMCResult, simulate: _Simulator, rng: np.random.Generator):
    """Local-linear regression adjustment of the last ABC population (Beaumont, Zhang &
    Balding 2002): each particle's statistics are simulated once more, the parameters are
    regressed on the standardised differences from the observed statistics with Epanechnikov
    weights on the distance, and each particle moves by the regression to where its statistics
    would match the observed ones (clipped to the prior box). It removes most of what the last
    tolerance still lets through, at the cost of one simulation per particle.

    References
    ----------
    Beaumont, M. A., Zhang, W., & Balding, D. J. (2002). Approximate Bayesian computation in
    population genetics. Genetics 162(4):2025-2035. doi:10.1093/genetics/162.4.2025
    """
    theta = smc.particles
    stats = np.array([simulate.statistics(t, rng) for t in theta])
    x = simulate.standardised(stats)
    d = np.sqrt(np.mean(x ** 2, axis=1))
    delta = np.quantile(d, 0.9) * 1.0001 if np.isfinite(d).all() else np.inf
    w = smc.weights * np.clip(1.0 - (d / delta) ** 2, 0.0, None)
    keep = w > 0
    if keep.sum() <= x.shape[1] + 2:
        return theta, smc.weights  # too few particles to regress on
    design = np.column_stack([np.ones(keep.sum()), x[keep]])
    sw = np.sqrt(w[keep])[:, None]
    coef, *_ = np.linalg.lstsq(design * sw, theta[keep] * sw, rcond=None)
    bounds = prior_bounds()
    adjusted = np.clip(theta[keep] - x[keep] @ coef[1:], bounds[:, 0], bounds[:, 1])
    return adjusted, w[keep] / w[keep].sum()


def ego_degrees(sample: EgoSample) -> np.ndarray:
    """Each respondent's degree across organisations as the model is given it: the reported
    count net of programme contacts (a respondent who left it empty gets the weighted median)."""
    degree = workforce_other(sample)
    known = ~np.isnan(degree)
    if not known.any():
        return np.zeros(len(degree))
    fill = weighted_quantile(degree[known], sample.weight[known], 0.5)
    return np.where(known, degree, fill)


def _used_values(ego: EgoData) -> dict[str, list[tuple[str, int, str]]]:
    used: dict[str, list] = {"sector": [], "region": [], "role": []}
    for file, frame in (("people.csv", ego.people), ("egos.csv", ego.egos),
                        ("alters.csv", ego.alters)):
        for col in used:
            if col not in frame:
                continue
            for row, value in enumerate(frame[col], start=2):
                if isinstance(value, str):
                    used[col].append((file, row, value))
    return used


def _role_share(population: pd.DataFrame, categories: Categories) -> np.ndarray:
    by_role = population.groupby("role")["count"].sum()
    share = np.array([by_role.get(r, 0) for r in categories.role], dtype=float)
    return share / share.sum()


@dataclass(frozen=True)
class _Layout:
    structure: Structure
    pools: list[np.ndarray]


def _layouts(population, categories, sample, settings, rng) -> list[_Layout]:
    """Organisation layouts of about ``fit_size`` people, each whole organisations sampled from
    a layout of the full population (so organisations keep their full sizes), with every
    respondent's stand-ins."""
    groups = sorted({(int(s), int(r), int(o)) for s, r, o in
                     zip(sample.sector, sample.region, sample.role, strict=True)
                     if min(s, r, o) >= 0})
    counts = population["count"].to_numpy()
    out = []
    for _ in range(settings.structures):
        full = build_structure(population, categories, counts, rng, settings.organisations())
        structure = sample_organisations(full, settings.fit_size, rng, groups)
        out.append(_Layout(structure, ego_pools(structure, sample)))
    return out


class _Simulator:
    """``simulate(theta, seeds) -> distances`` for :func:`abc_smc` (a class so it can hold the
    layouts; it runs in this process)."""

    def __init__(self, layouts, sample: EgoSample, activity, observed, scale, settings):
        self.layouts, self.sample, self.activity = layouts, sample, activity
        self.observed, self.scale, self.settings = observed, scale, settings
        self.named = sample.named_workforce()
        self.degree = ego_degrees(sample)
        self.fit_index = np.array([STATISTICS.index(s) for s in settings.fitted()])

    def statistics(self, theta: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        layout = self.layouts[int(rng.integers(len(self.layouts)))]
        egos = place_egos(layout.pools, rng)
        net = generate(layout.structure, WorkforceParams.from_theta(theta), self.activity, rng,
                       targets=None if self.settings.representative else (egos, self.degree))
        sim = simulate_survey(net, egos, self.named, self.sample.weight,
                              self.settings.count_noise, self.settings.proxy_noise, rng)
        return ego_statistics(sim)

    def standardised(self, stats: np.ndarray) -> np.ndarray:
        """Fitted statistics' differences from the observed ones, in standard errors (a
        statistic the survey holds nothing for counts 0; one a simulation lacks, 4)."""
        i = self.fit_index
        d = (stats[..., i] - self.observed[i]) / self.scale[i]
        return np.where(np.isnan(self.observed[i]), 0.0,
                        np.where(np.isnan(d), _MISSING_DISTANCE, d))

    def distance(self, stats: np.ndarray) -> float:
        return float(np.sqrt(np.mean(self.standardised(stats) ** 2)))

    def __call__(self, theta: np.ndarray, seeds) -> np.ndarray:
        out = np.empty((len(theta), len(seeds[0])))
        for i, row in enumerate(theta):
            for r, s in enumerate(seeds[i]):
                out[i, r] = self.distance(self.statistics(row, np.random.default_rng(s)))
        return out


def _distances(simulate: _Simulator, theta: np.ndarray, seeds) -> np.ndarray:
    """An executor task: the distances of a block of proposals, each from its own seeds."""
    return simulate(theta, seeds)


class _Dispatch:
    """``simulate`` for :func:`abc_smc` on an executor: a batch of proposals is cut into blocks
    that the workers simulate as they come free (simulations differ in cost with their
    parameters, so small blocks keep both busy), and the distances are put back in proposal
    order, so nothing depends on which worker simulated what."""

    def __init__(self, simulate: _Simulator, executor: Executor) -> None:
        self.simulate, self.executor = simulate, executor

    def __call__(self, theta: np.ndarray, seeds) -> np.ndarray:
        if not self.executor.parallel:
            return self.simulate(theta, seeds)
        size = max(1, len(theta) // (8 * (self.executor.workers or default_workers())))
        blocks = [(theta[i:i + size], seeds[i:i + size]) for i in range(0, len(theta), size)]
        out: dict[int, np.ndarray] = {}
        for position, distances in self.executor.map_unordered(blocks):
            out[position] = distances
        return np.concatenate([out[p] for p in range(len(blocks))])
