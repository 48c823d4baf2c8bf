"""Our measures on the physicians' data against netdiffuseR's published values.

Source of every reference number unless a test says otherwise: netdiffuseR's vignette
"netdiffuseR showcase: Medical Innovations" (George G. Vega Yon), as rendered on the package site
with netdiffuseR 1.20.999: file ``articles/analyzing-medical-innovation-data.html`` in
github.com/USCCANA/netdiffuseR (commit 204a94974190c7840b651c68b7f73c14b79e48c3). Its ``diffnet``
is built from ``medInnovations`` exactly as ``data-raw/medInnovationsDiffNet.R`` builds
``medInnovationsDiffNet``: 125 respondents, the three nomination relations pooled (294 directed
pairs, the same pairs as our ties.csv per the dataset README), directed, isolates kept, ``toa`` 1-18
with 18 kept as a time (the summary shows 125 adopters, right censoring 0).
"""

from __future__ import annotations

import numpy as np
import pytest

from alumni_net.diffusion import adoption_curve, exposure, moran_by_period, thresholds
from alumni_net.diffusion.ckm import PUBLISHED


def test_network_is_netdiffusers(physicians):
    # Dataset README, "Cross-check passed": 294 distinct directed pairs = medInnovationsDiffNet's.
    assert physicians.n == 125
    assert physicians.influence_matrix.nnz == 294
    # Vignette summary: "Density 0.02" in every period (nlinks / n / (n - 1)).
    assert round(294 / 125 / 124, 2) == 0.02


def test_adoption_counts_and_hazard_match_summary(physicians):
    # Vignette, summary(diffnet): Adopters, Cum Adopt. (%), Hazard Rate columns, periods 1-18.
    curve = adoption_curve(physicians)
    assert curve["adopters"].tolist() == PUBLISHED["adopters"]
    assert curve["cumulative"].tolist() == [11, 20, 29, 40, 51, 62, 75, 82, 86, 87, 92, 95, 98,
                                            102, 106, 108, 109, 125]
    assert curve["share"].round(2).tolist() == [0.09, 0.16, 0.23, 0.32, 0.41, 0.50, 0.60, 0.66,
                                                0.69, 0.70, 0.74, 0.76, 0.78, 0.82, 0.85, 0.86,
                                                0.87, 1.00]
    assert np.isnan(curve["hazard"].iloc[0])
    assert curve["hazard"].iloc[1:].round(2).tolist() == PUBLISHED["hazard"][1:]


def test_lagged_exposure_matches_vignette_head(physicians):
    # Vignette, head(exposure(diffnet, lags = 1L)): rows 1001-1006, periods 2-9 (period 1 is NA).
    published = {
        1001: [0, 0, 0.5, 1, 1, 1, 1, 1],
        1002: [0, 0, 0.5, 1, 1, 1, 1, 1],
        1003: [0, 0.2, 0.4, 0.6, 0.8, 0.8, 0.8, 1],
        1004: [0, 1 / 3, 1 / 3, 1 / 3, 1 / 3, 2 / 3, 2 / 3, 2 / 3],
        1005: [0, 0, 0, 0, 1, 1, 1, 1],
        1006: [0, 1 / 3, 2 / 3, 2 / 3, 1, 1, 1, 1],
    }
    lagged = exposure(physicians, lags=1)
    table = lagged.pivot(index="person_id", columns="period", values="exposure")
    for person, values in published.items():
        assert np.isnan(table.loc[person, 1])
        np.testing.assert_allclose(table.loc[person, 2:9].to_numpy(), values, atol=1e-7)
    # ... and periods 10-18 of the same rows: 1 for 1001-1003, 1005-1006; 2/3 for 1004.
    np.testing.assert_allclose(table.loc[[1001, 1002, 1003, 1005, 1006], 10:18], 1.0)
    np.testing.assert_allclose(table.loc[1004, 10:18], 2 / 3)


def test_moran_by_period_matches_summary(physicians):
    # Vignette, summary(diffnet): "Moran's I (sd)" column; "computed on contemporaneous
    # autocorrelation using 1/geodesic values"; sd 0.03 in periods 1-17, "-" in period 18.
    moran = moran_by_period(physicians)
    assert moran["moran_obs"].iloc[:17].round(2).tolist() == PUBLISHED["moran"][:17]
    assert moran["moran_sd"].iloc[:17].round(2).tolist() == [0.03] * 17
    assert np.isnan(moran["moran_sd"].iloc[17])  # everyone has adopted: I undefined
    # Stars: "**" (p <= .05) in period 1, "*" (p <= .1) in period 15, none elsewhere.
    stars = ["**" if p <= 0.05 else "*" if p <= 0.1 else "" for p in moran["moran_pval"].iloc[:17]]
    assert stars == ["**"] + [""] * 13 + ["*"] + [""] * 2


@pytest.mark.parametrize(("city", "published"), [(1, 0.6304), (2, 0.4931), (3, 0.4365),
                                                 (4, 0.5926), ("all", 0.5660)])
def test_mean_threshold_matches_struct_test_observed(physicians, city, published):
    # Vignette, struct_test(diffnet_cityK, avgthr, 500) and struct_test(diffnet, ...): the
    # "observed" column, avgthr = mean(threshold(x), na.rm = TRUE). These equal our mean threshold
    # when first-period adopters keep theirs (include_censored=True).
    in_city = (physicians.people["city"] == city).to_numpy()
    data = physicians if city == "all" else physicians.subset(in_city)
    mean = thresholds(data, include_censored=True)["threshold"].mean()
    assert round(mean, 4) == published


def test_thresholds_without_left_censored(physicians):
    # netdiffuseR's threshold() default (include_censored = FALSE) drops the 11 first-month
    # adopters: 114 thresholds. Hand check of one row: physician 1003 adopted in month 8
    # (people.csv) with 5 contacts, all adopted by then (the vignette's lagged exposure of 1003 in
    # period 9, i.e. its exposure in period 8, is 1).
    table = thresholds(physicians).set_index("person_id")
    assert table["threshold"].notna().sum() == 114
    assert table.loc[1003, "adoption_time"] == 8
    assert table.loc[1003, "contacts"] == 5
    assert table.loc[1003, "exposed"] == 5
    assert table.loc[1003, "threshold"] == 1.0
