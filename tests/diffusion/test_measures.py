"""Curves, exposure, thresholds and Moran's I on graphs small enough to check by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp

from alumni_net.diffusion import (
    DiffusionData,
    adoption_curve,
    exposure,
    geodesic_weights,
    moran_i,
    thresholds,
)


def _data(matrix, toa, people=None):
    n = len(toa)
    periods = np.arange(1, int(np.nanmax(toa)) + 1)
    return DiffusionData(np.arange(n), np.asarray(toa, float), periods, sp.csr_matrix(matrix),
                         people if people is not None else pd.DataFrame(index=range(n)))


# A star: person 0 named 1, 2 and 3 (so 0 is exposed to them); 1 named 0.
STAR = np.array([[0, 1, 1, 1], [1, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]])


def test_exposure_counts_and_shares_by_hand():
    d = _data(STAR, [4, 1, 2, np.nan])
    e = exposure(d).set_index(["person_id", "period"])
    # Person 0's contacts 1, 2, 3 adopt in periods 1, 2 and never: 1/3, 2/3, 2/3, 2/3.
    assert e.loc[0, "exposed"].tolist() == [1, 2, 2, 2]
    np.testing.assert_allclose(e.loc[0, "exposure"], [1 / 3, 2 / 3, 2 / 3, 2 / 3])
    # Person 1's only contact (0) adopts in period 4.
    assert e.loc[1, "exposure"].tolist() == [0, 0, 0, 1]
    # People with no contacts: exposure 0 (netdiffuseR), contacts 0 says why.
    assert e.loc[2, "exposure"].tolist() == [0, 0, 0, 0] and e.loc[(2, 1), "contacts"] == 0


def test_thresholds_by_hand():
    d = _data(STAR, [4, 1, 2, np.nan])
    t = thresholds(d).set_index("person_id")
    assert t.loc[0, "threshold"] == pytest.approx(2 / 3)  # adopted in 4; 2 of 3 contacts had
    assert np.isnan(t.loc[1, "threshold"])  # first period: left-censored
    assert t.loc[2, "threshold"] == 0.0  # no contacts
    assert np.isnan(t.loc[3, "threshold"])  # never adopted
    assert thresholds(d, include_censored=True).loc[1, "threshold"] == 0.0
    # Lagged by one period: exposure in the period before adoption (3): still 2/3.
    assert thresholds(d, lags=1).loc[0, "threshold"] == pytest.approx(2 / 3)


def test_curve_by_group_and_hazard_by_hand():
    people = pd.DataFrame({"city": [1, 1, 2, 2]})
    d = _data(STAR, [4, 1, 2, np.nan], people)
    overall = adoption_curve(d)
    assert overall["adopters"].tolist() == [1, 1, 0, 1]
    # hazard: period 2: 1 of 3 at risk; period 3: 0 of 2; period 4: 1 of 2.
    np.testing.assert_allclose(overall["hazard"].iloc[1:], [1 / 3, 0, 1 / 2])
    by = adoption_curve(d, by="city")
    assert by.groupby("city")["cumulative"].last().tolist() == [2, 1]
    assert by.groupby("city")["n"].first().tolist() == [2, 2]


def test_geodesic_weights_stop_at_six_steps():
    n = 9  # a directed path 0 -> 1 -> ... -> 8
    path = sp.csr_matrix((np.ones(n - 1), (np.arange(n - 1), np.arange(1, n))), shape=(n, n))
    w = geodesic_weights(path).toarray()
    np.testing.assert_allclose(w[0, 1:7], 1 / np.arange(1, 7))
    assert w[0, 7] == 0 and w[0, 8] == 0  # 7 and 8 steps away: beyond netdiffuseR's default
    assert w[8].sum() == 0  # nothing reachable from the end


def test_moran_against_the_textbook_formula():
    # Moran's I by its definition on a dense row-standardised weight matrix, and the ape /
    # Cliff-Ord randomisation variance written out independently.
    rng = np.random.default_rng(3)
    adjacency = (rng.random((12, 12)) < 0.3).astype(float)
    np.fill_diagonal(adjacency, 0)
    x = rng.normal(size=12)
    result = moran_i(x, adjacency)
    rows = adjacency.sum(1, keepdims=True)
    w = adjacency / np.where(rows == 0, 1, rows)
    n, z = 12, x - x.mean()
    s0 = w.sum()
    assert result.observed == pytest.approx(n / s0 * (z @ w @ z) / (z @ z))
    s1 = 0.5 * ((w + w.T) ** 2).sum()
    s2 = ((w.sum(0) + w.sum(1)) ** 2).sum()
    b2 = n * (z**4).sum() / (z @ z) ** 2
    numerator = (n * ((n * n - 3 * n + 3) * s1 - n * s2 + 3 * s0**2)
                 - b2 * ((n * n - n) * s1 - 2 * n * s2 + 6 * s0**2))
    var = numerator / ((n - 1) * (n - 2) * (n - 3) * s0**2) - 1 / (n - 1) ** 2
    assert result.sd == pytest.approx(np.sqrt(var))
    assert result.expected == pytest.approx(-1 / 11)


def test_moran_of_perfect_clustering_is_positive_and_significant():
    # Two cliques of 6, one all adopted, one not: maximal positive autocorrelation.
    block = np.ones((6, 6)) - np.eye(6)
    adjacency = np.block([[block, np.zeros((6, 6))], [np.zeros((6, 6)), block]])
    result = moran_i(np.r_[np.ones(6), np.zeros(6)], adjacency)
    assert result.observed == pytest.approx(1.0)
    assert result.p_value < 0.001
    assert np.isnan(moran_i(np.ones(12), adjacency).observed)  # constant: undefined
