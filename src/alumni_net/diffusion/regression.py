"""The classic lagged-exposure regression: does exposure to adopters predict adoption next period?

A discrete-time event-history (logit) model of adoption, as netdiffuseR's ``diffreg`` and the
classic analyses of the physicians (Burt 1987; Valente 1995; Van den Bulte & Lilien 2001): one
row per person and period while the person is at risk -- up to and including the period they
adopt, every period for people who never do (``subset = toa >= per``) -- with outcome 1 in the
period of adoption. Covariates:

* **cohesion exposure**: the share of a person's contacts (in the direction influence travels)
  who had adopted, ``sum_j A_ij a_j / sum_j A_ij`` (netdiffuseR ``exposure``);
* **structural-equivalence exposure**: the same with the weights of Burt's structural
  equivalence, ``sum_j SE_ij a_j / sum_j SE_ij`` (see :func:`structural_equivalence`): people
  in the same position (naming and named by the same others) count, tied or not;
* **time**: one dummy per period (the baseline hazard, which absorbs anything that raises
  everyone's adoption at once -- a campaign, a common trend; a period in which nobody or
  everyone at risk adopts says nothing about the other terms and is left out), or a linear term
  (``per``, as in netdiffuseR's example);
* optional people columns (e.g. ``proage``, ``journ2``) and a group column as dummies.

Exposures are lagged by ``lag`` periods (1 by default, as ``diffreg``: contemporaneous exposure
makes the model endogenous), so the first ``lag`` periods give no rows. The model is fitted by
Newton-Raphson (iteratively reweighted least squares); standard errors come from the inverse
Fisher information. A positive exposure coefficient, with time controlled, is what these
analyses read as contagion; it cannot tell contagion from a common cause that reaches connected
people at the same time and is not among the covariates (Van den Bulte & Lilien 2001).

References
----------
Burt, R. S. (1987). Social contagion and innovation: cohesion versus structural equivalence.
American Journal of Sociology 92(6), 1287-1335. doi:10.1086/228667

Valente, T. W. (1995). Network Models of the Diffusion of Innovations. Hampton Press.

Van den Bulte, C. & Lilien, G. L. (2001). Medical Innovation revisited: social contagion versus
marketing effort. American Journal of Sociology 106(5), 1409-1435. doi:10.1086/320819
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats
from scipy.sparse.csgraph import shortest_path

from alumni_net.diffusion.data import DiffusionData
from alumni_net.errors import ConfigError

__all__ = ["ExposureRegression", "exposure_regression", "structural_equivalence"]

EXPOSURES = ("cohesion", "structural_equivalence")


def structural_equivalence(data: DiffusionData, *, v: float = 1.0,
                           groups: np.ndarray | None = None) -> np.ndarray:
    """Burt's (1987) structural equivalence of every pair, as netdiffuseR's ``struct_equiv``.

    With ``z`` the geodesic distances of the nominations graph (along the direction influence
    travels; unreachable pairs 0, then divided by the largest), the distance of ``i`` and ``j``
    is ``d_ij = sqrt((z_ij - z_ji)^2 + sum_k (z_ik - z_jk)^2 + sum_k (z_ki - z_kj)^2)`` over
    ``k`` other than ``i`` and ``j``, and ``SE_ij = (dmax_i - d_ij)^v / sum_{k != i}
    (dmax_i - d_ik)^v`` with ``dmax_i`` the largest of ``i``'s distances. With ``groups`` (one
    code per person) it is computed within each group and 0 between groups.

    Returns an ``n x n`` array; rows sum to 1 (or 0 for a person with no distinct alter).
    netdiffuseR's ``exposure(alt.graph = "se")`` weighs by ``1 / SE`` instead; this follows
    Burt's and Valente's definition, in which closer equivalents weigh more.

    References
    ----------
    Burt, R. S. (1987). Social contagion and innovation: cohesion versus structural equivalence.
    American Journal of Sociology 92(6), 1287-1335. https://doi.org/10.1086/228667

    Valente, T. W. (1995). Network Models of the Diffusion of Innovations. Hampton Press.

    Examples
    --------
    >>> import scipy.sparse as sp
    >>> # 0 and 1 both name 2: each is the other's structural equivalent; 2 is as far from both,
    >>> # and the farthest alter weighs nothing, so 2 has no equivalent
    >>> m = sp.csr_matrix(([1, 1], ([0, 1], [2, 2])), shape=(3, 3))
    >>> d = DiffusionData(np.arange(3), np.ones(3), np.array([1]), m, pd.DataFrame(index=range(3)))
    >>> structural_equivalence(d).round(3).tolist()
    [[0.0, 1.0, 0.0], [1.0, 0.0, 0.0], [0.0, 0.0, 0.0]]
    """
    n = data.n
    if groups is None:
        return _se_block(data.influence_matrix, v)
    out = np.zeros((n, n))
    for g in np.unique(groups):
        idx = np.flatnonzero(groups == g)
        out[np.ix_(idx, idx)] = _se_block(data.influence_matrix[idx][:, idx], v)
    return out


def _se_block(matrix, v: float) -> np.ndarray:
    z = shortest_path(matrix, directed=True, unweighted=True)
    z[~np.isfinite(z)] = 0.0
    if z.max() > 0:
        z = z / z.max()
    zt = z.T
    rows = (z ** 2).sum(1)[:, None] + (z ** 2).sum(1)[None, :] - 2 * z @ z.T
    cols = (zt ** 2).sum(1)[:, None] + (zt ** 2).sum(1)[None, :] - 2 * zt @ zt.T
    # the sums run over k other than i and j: take their terms back out (z_ii = 0)
    d2 = (z - zt) ** 2 + rows + cols - 2 * (z ** 2 + zt ** 2)
    d = np.sqrt(np.maximum(d2, 0.0))
    np.fill_diagonal(d, 0.0)
    n = len(d)
    off = ~np.eye(n, dtype=bool)
    dmax = np.where(off, d, -np.inf).max(axis=1) if n > 1 else np.zeros(n)
    w = np.where(off, np.maximum(dmax[:, None] - d, 0.0) ** v, 0.0)
    total = w.sum(axis=1, keepdims=True)
    return np.divide(w, total, out=np.zeros_like(w), where=total > 0)


@dataclass(frozen=True)
class ExposureRegression:
    """A fitted lagged-exposure logit: ``table`` (term, estimate, std_error, z, p_value,
    odds_ratio, lo95, hi95), ``rows`` and ``events`` (person-periods and adoptions used),
    ``log_likelihood``, ``converged``, and the model's settings."""

    table: pd.DataFrame
    rows: int
    events: int
    log_likelihood: float
    converged: bool
    exposures: tuple[str, ...]
    lag: int
    time: str
    covariates: tuple[str, ...]


def exposure_regression(
    data: DiffusionData,
    *,
    exposures: Sequence[str] = EXPOSURES,
    lag: int = 1,
    time: str = "dummies",
    covariates: Sequence[str] = (),
    group: str | None = None,
    se_within: str | None = None,
) -> ExposureRegression:
    """Fit the lagged-exposure logit (module docstring) to ``data``.

    Parameters
    ----------
    exposures : any of ``"cohesion"`` and ``"structural_equivalence"``.
    lag : periods between exposure and adoption (>= 0; 0 is contemporaneous, as some classic
        analyses used, and endogenous).
    time : ``"dummies"`` (one per period: the baseline hazard) or ``"linear"``.
    covariates : numeric people columns.
    group : a people column entered as dummies (e.g. ``"city"``).
    se_within : a people column within which structural equivalence is computed (netdiffuseR's
        ``groupvar``; e.g. the city, when ties never cross cities).

    Examples
    --------
    >>> import scipy.sparse as sp
    >>> rng = np.random.default_rng(0)
    >>> m = sp.random(80, 80, density=0.05, random_state=rng, data_rvs=np.ones, format="csr")
    >>> toa = rng.integers(1, 7, 80).astype(float)
    >>> d = DiffusionData(np.arange(80), toa, np.arange(1, 7), m, pd.DataFrame(index=range(80)))
    >>> fit = exposure_regression(d, exposures=["cohesion"], time="linear")
    >>> fit.table["term"].tolist(), fit.converged
    (['intercept', 'cohesion_exposure', 'period'], True)
    """
    if not isinstance(lag, int) or isinstance(lag, bool) or lag < 0:
        raise ConfigError(f"lag must be a whole number >= 0, got {lag!r}")
    unknown = [e for e in exposures if e not in EXPOSURES]
    if unknown or not exposures:
        raise ConfigError(f"exposures must be among {', '.join(EXPOSURES)}, got {list(exposures)}")
    if time not in ("dummies", "linear"):
        raise ConfigError(f"time must be 'dummies' or 'linear', got {time!r}")
    for column in [*covariates, *([group] if group else []), *([se_within] if se_within else [])]:
        if column not in data.people.columns:
            raise ConfigError(f"the people table has no '{column}' column")
    design, y = _design(data, tuple(exposures), lag, time, tuple(covariates), group, se_within)
    beta, cov, ll, converged = _logit(design.to_numpy(float), y)
    se = np.sqrt(np.diag(cov))
    z = beta / se
    table = pd.DataFrame({
        "term": design.columns, "estimate": beta, "std_error": se, "z": z,
        "p_value": 2 * stats.norm.sf(np.abs(z)), "odds_ratio": np.exp(beta),
        "lo95": beta - 1.959964 * se, "hi95": beta + 1.959964 * se})
    return ExposureRegression(table, len(y), int(y.sum()), ll, converged, tuple(exposures), lag,
                              time, tuple(covariates))


def _design(data, exposures, lag, time, covariates, group, se_within):
    """Person-period rows at risk, with lagged exposures and controls; the outcome."""
    periods = data.periods
    adopted = data.cumulative_adoption().astype(float)  # n x T: adopted by period t
    columns = {}
    for e in exposures:
        if e == "cohesion":
            weights = data.influence_matrix.astype(float)
            num = weights @ adopted
            den = np.asarray(weights.sum(axis=1)).ravel()
        else:
            groups = None if se_within is None else pd.factorize(data.people[se_within])[0]
            weights = structural_equivalence(data, groups=groups)
            num = weights @ adopted
            den = weights.sum(axis=1)
        share = num / np.where(den > 0, den, 1.0)[:, None]
        columns[f"{e}_exposure"] = share
    toa = np.where(data.adopted, data.toa, np.inf)
    person, t = np.meshgrid(np.arange(data.n), np.arange(len(periods)), indexing="ij")
    at_risk = (periods[t] <= toa[person]) & (t >= lag)
    p, k = person[at_risk], t[at_risk]
    frame = pd.DataFrame({"intercept": 1.0}, index=range(len(p)))
    for name, share in columns.items():
        frame[name] = share[p, k - lag]
    y = (periods[k] == toa[p]).astype(float)
    if time == "linear":
        frame["period"] = periods[k].astype(float)
    else:
        # A period in which nobody, or everyone at risk, adopts has an infinite dummy and tells
        # nothing about the other terms: its rows are left out. The first period left is the
        # baseline.
        rows = np.bincount(k, minlength=len(periods))
        events = np.bincount(k, weights=y, minlength=len(periods))
        informative = np.flatnonzero((events > 0) & (events < rows))
        keep = np.isin(k, informative)
        frame, p, k, y = frame.loc[keep].reset_index(drop=True), p[keep], k[keep], y[keep]
        for j in informative[1:]:
            frame[f"period_{periods[j]:g}"] = (k == j).astype(float)
    for c in covariates:
        frame[c] = pd.to_numeric(data.people[c], errors="coerce").to_numpy(float)[p]
    if group:
        codes, labels = pd.factorize(data.people[group], sort=True)
        for j, label in enumerate(labels[1:], start=1):
            frame[f"{group}_{label}"] = (codes[p] == j).astype(float)
    keep = frame.notna().all(axis=1).to_numpy()
    return frame.loc[keep].reset_index(drop=True), y[keep]


def _logit(x: np.ndarray, y: np.ndarray, max_iter: int = 50, tol: float = 1e-10):
    """Newton-Raphson for the logit: coefficients, their covariance, log-likelihood, converged."""
    beta = np.zeros(x.shape[1])
    converged = False
    for _ in range(max_iter):
        eta = x @ beta
        p = 1 / (1 + np.exp(-eta))
        w = p * (1 - p)
        info = x.T @ (x * w[:, None])
        step = np.linalg.solve(info, x.T @ (y - p))
        beta = beta + step
        if np.max(np.abs(step)) < tol * (1 + np.max(np.abs(beta))):
            converged = True
            break
    eta = x @ beta
    ll = float(np.sum(y * eta - np.logaddexp(0, eta)))
    p = 1 / (1 + np.exp(-eta))
    cov = np.linalg.inv(x.T @ (x * (p * (1 - p))[:, None]))
    return beta, cov, ll, converged
