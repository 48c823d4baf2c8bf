"""Degree against time of adoption (netdiffuseR's degree_adoption_diagnostic): Pearson's
correlation among adopters, bootstrap intervals, the physicians' opinion leaders."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from scipy import stats
from tests.diffusion.test_regression import _random

from alumni_net.diffusion import DiffusionData, degree_adoption
from alumni_net.errors import ConfigError


def test_degree_correlations_are_pearsons_among_adopters():
    d = _random(seed=1)
    table = degree_adoption(d, replicates=200, seed=3).set_index("degree")
    adopted = d.adopted
    indeg = np.asarray(d.influence_matrix.sum(axis=0)).ravel()[adopted]
    outdeg = np.asarray(d.influence_matrix.sum(axis=1)).ravel()[adopted]
    assert table.loc["indegree", "correlation"] == pytest.approx(
        stats.pearsonr(indeg, d.toa[adopted])[0])
    assert table.loc["outdegree", "correlation"] == pytest.approx(
        stats.pearsonr(outdeg, d.toa[adopted])[0])
    assert (table["lo"] < table["hi"]).all() and (table["adopters"] == adopted.sum()).all()
    again = degree_adoption(d, replicates=200, seed=3)
    pd.testing.assert_frame_equal(table.reset_index(), again)


def test_undirected_ties_give_one_degree_and_its_reading():
    # a star: the centre (named by everyone, naming everyone) adopts first
    n = 8
    rows = np.r_[np.zeros(n - 1, int), np.arange(1, n)]
    cols = np.r_[np.arange(1, n), np.zeros(n - 1, int)]
    m = sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, n))
    toa = np.array([1.0, 2, 2, 3, 3, 4, 4, 5])
    d = DiffusionData(np.arange(n), toa, np.arange(1, 6), m, pd.DataFrame(index=range(n)),
                      influence="both")
    row = degree_adoption(d, replicates=100, seed=0).iloc[0]
    assert row["degree"] == "degree" and row["correlation"] < -0.5
    assert row["reading"].startswith("people with a high degree tended to adopt early")
    with pytest.raises(ConfigError, match="at least 3 adopters"):
        degree_adoption(DiffusionData(np.arange(3), np.array([1.0, 2.0, np.nan]),
                                      np.arange(1, 3), sp.csr_matrix((3, 3)),
                                      pd.DataFrame(index=range(3))))


def test_physicians_central_doctors_adopted_early(physicians):
    # netdiffuseR's reading (125 adopters): the doctors most often named adopted earlier.
    table = degree_adoption(physicians, replicates=500, seed=1).set_index("degree")
    assert table.loc["indegree", "correlation"] == pytest.approx(-0.230, abs=5e-4)
    assert table.loc["indegree", "hi"] < 0  # the interval excludes 0


