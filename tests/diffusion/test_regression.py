"""Structural equivalence (Burt 1987) and the lagged exposure logit (netdiffuseR's diffreg):
known answers, an independent optimiser, recovery of a simulated effect, and the physicians
beside the published re-analyses."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from scipy import optimize

from alumni_net.diffusion import DiffusionData, exposure_regression, structural_equivalence
from alumni_net.diffusion.ckm import PUBLISHED_CONTAGION, ckm_contagion_regressions
from alumni_net.errors import ConfigError


def _random(n=120, density=0.05, periods=8, seed=0):
    rng = np.random.default_rng(seed)
    m = sp.random(n, n, density=density, random_state=rng, data_rvs=np.ones, format="csr")
    m.setdiag(0)
    m.eliminate_zeros()
    toa = rng.integers(1, periods + 1, n).astype(float)
    toa[rng.random(n) < 0.2] = np.nan
    return DiffusionData(np.arange(n), toa, np.arange(1, periods + 1), m,
                         pd.DataFrame({"g": np.arange(n) % 3, "x": rng.normal(size=n)}))


# --- structural equivalence ---------------------------------------------------------------------

def test_structural_equivalence_rows_sum_to_one_and_groups_stay_apart():
    d = _random(n=40, density=0.1, seed=2)
    se = structural_equivalence(d)
    assert np.allclose(se.sum(axis=1)[se.sum(axis=1) > 0], 1.0)
    assert np.all(np.diag(se) == 0) and np.all(se >= 0)
    groups = np.arange(40) % 2
    within = structural_equivalence(d, groups=groups)
    assert np.all(within[groups[:, None] != groups[None, :]] == 0)


def test_structural_equivalence_matches_the_formula_pair_by_pair():
    d = _random(n=12, density=0.2, seed=4)
    from scipy.sparse.csgraph import shortest_path

    z = shortest_path(d.influence_matrix, unweighted=True)
    z[~np.isfinite(z)] = 0
    z = z / z.max()
    n = len(z)
    dist = np.zeros((n, n))
    for i in range(n):
        for j in range(n):
            if i != j:
                k = [x for x in range(n) if x not in (i, j)]
                dist[i, j] = np.sqrt((z[i, j] - z[j, i]) ** 2 + ((z[i, k] - z[j, k]) ** 2).sum()
                                     + ((z[k, i] - z[k, j]) ** 2).sum())
    dmax = dist.max(axis=1)
    w = dmax[:, None] - dist
    np.fill_diagonal(w, 0)
    np.testing.assert_allclose(structural_equivalence(d), w / w.sum(axis=1, keepdims=True),
                               atol=1e-12)


# --- the lagged exposure logit ------------------------------------------------------------------

def test_the_logit_agrees_with_a_general_optimiser():
    d = _random(seed=5)
    fit = exposure_regression(d, exposures=["cohesion"], time="linear", covariates=["x"])
    # rebuild the same rows by hand and maximise the likelihood with scipy
    adopted = d.cumulative_adoption().astype(float)
    deg = np.asarray(d.influence_matrix.sum(axis=1)).ravel()
    share = (d.influence_matrix @ adopted) / np.where(deg > 0, deg, 1)[:, None]
    rows, y = [], []
    for i in range(d.n):
        for t in range(1, len(d.periods)):
            if np.isnan(d.toa[i]) or d.periods[t] <= d.toa[i]:
                rows.append([1.0, share[i, t - 1], d.periods[t], d.people["x"][i]])
                y.append(float(d.toa[i] == d.periods[t]))
    x, y = np.array(rows), np.array(y)

    def nll(b):
        eta = x @ b
        return np.sum(np.logaddexp(0, eta) - y * eta)

    best = optimize.minimize(nll, np.zeros(4), method="BFGS", options={"gtol": 1e-9})
    assert fit.rows == len(y) and fit.events == int(y.sum()) and fit.converged
    np.testing.assert_allclose(fit.table["estimate"], best.x, atol=1e-4)
    assert fit.log_likelihood == pytest.approx(-best.fun, abs=1e-6)


def test_a_simulated_exposure_effect_is_recovered():
    # Adoption each period with probability logistic(-3 + 2.5 x lagged exposure) on a random
    # graph: the 95% interval of the exposure coefficient covers 2.5 and excludes 0.
    rng = np.random.default_rng(11)
    n, periods = 600, 12
    m = sp.random(n, n, density=0.01, random_state=rng, data_rvs=np.ones, format="csr")
    m.setdiag(0)
    m.eliminate_zeros()
    deg = np.maximum(np.asarray(m.sum(axis=1)).ravel(), 1)
    toa = np.full(n, np.nan)
    toa[rng.random(n) < 0.05] = 1
    for t in range(2, periods + 1):
        had = (~np.isnan(toa)) & (toa <= t - 1)
        e = (m @ had.astype(float)) / deg
        p = 1 / (1 + np.exp(-(-3 + 2.5 * e)))
        new = np.isnan(toa) & (rng.random(n) < p)
        toa[new] = t
    d = DiffusionData(np.arange(n), toa, np.arange(1, periods + 1), m,
                      pd.DataFrame(index=range(n)))
    row = exposure_regression(d, exposures=["cohesion"]).table.set_index("term").loc[
        "cohesion_exposure"]
    assert row["lo95"] < 2.5 < row["hi95"] and row["lo95"] > 0


def test_bad_regression_arguments_are_one_sentence():
    d = _random()
    with pytest.raises(ConfigError, match="exposures must be among"):
        exposure_regression(d, exposures=["gossip"])
    with pytest.raises(ConfigError, match="lag must be"):
        exposure_regression(d, lag=-1)
    with pytest.raises(ConfigError, match="no 'age' column"):
        exposure_regression(d, covariates=["age"])


def test_physicians_beside_burt_and_van_den_bulte_and_lilien(physicians_dataset):
    # With one dummy per month, neither cohesion nor structural-equivalence exposure predicts
    # adoption in these data: both 95% intervals include 0, with or without the physicians'
    # covariates. Van den Bulte & Lilien (2001) found contagion vanishing once advertising was
    # controlled for; Burt (1987) found structural equivalence, not cohesion, at work.
    table = ckm_contagion_regressions(physicians_dataset)
    assert len(table) == 4 and (table["lo95"] < 0).all() and (table["hi95"] > 0).all()
    assert set(table["adoptions"]) == {98, 86}  # months 2-17; covariates missing for some
    assert "contagion effects disappear" in PUBLISHED_CONTAGION["van_den_bulte_lilien_2001"]
