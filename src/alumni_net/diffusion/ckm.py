"""Coleman, Katz & Menzel's physicians (Medical Innovation, 1966) with this package's functions.

The helpers take the ``medical_innovation`` dataset (125 physicians in four Illinois cities, their
advice, discussion and friendship nominations, and ``toa``, the month of first prescribing
tetracycline) and give the classic results as tidy tables, beside netdiffuseR's published values
(:data:`PUBLISHED`).

Two readings of ``toa = 18``. netdiffuseR's ``medInnovationsDiffNet`` keeps 18 as a time of
adoption (its summary reports 125 adopters, prevalence 1.00, by period 18), and its published
numbers use that reading: ``convention="netdiffuser"``. The dataset's README reads 18 as "no
prescription found by the end of the window", i.e. not adopted (right-censored):
``convention="censored"``; 109 adopters over periods 1-17. The network is netdiffuseR's: the three
relations pooled into 294 directed pairs, respondents only, no pair counted twice; nominators are
exposed to whom they named (``influence="target_to_source"``).

What the tests reproduce exactly (``tests/diffusion/test_netdiffuser_reference.py``): the
adoption counts, cumulative shares and hazard rates of all 18 periods, the lagged exposure of
physicians 1001-1006, Moran's I per period (two decimals, with its standard deviation and
significance stars), and the mean thresholds per city and overall that the vignette's
``struct_test`` reports as "observed" (which include the first-period adopters' thresholds, i.e.
``include_censored=True``); the rewired ("expected") means agree within simulation error.

Caution, stated wherever these results are shown: a network pattern in adoption times is not
proof of contagion. Van den Bulte & Lilien (2001, *American Journal of Sociology* 106(5),
1409-1435) re-analysed these data with the drug companies' advertising in medical journals
month by month; once that marketing effort is controlled for, the contagion effects vanish. The
physicians who were central were also the ones the marketing reached first.

References
----------
Coleman, J. S., Katz, E., & Menzel, H. (1966). Medical Innovation: A Diffusion Study.
Bobbs-Merrill.

Van den Bulte, C., & Lilien, G. L. (2001). Medical Innovation revisited: social contagion versus
marketing effort. American Journal of Sociology 106(5), 1409-1435.
https://doi.org/10.1086/320819
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from alumni_net.core.rng import SeedLike, spawn_seeds
from alumni_net.diffusion.curves import adoption_curve
from alumni_net.diffusion.data import DiffusionData, diffusion_data
from alumni_net.diffusion.exposure import thresholds
from alumni_net.diffusion.moran import moran_by_period
from alumni_net.diffusion.regression import exposure_regression
from alumni_net.diffusion.struct_test import structural_dependence_test
from alumni_net.errors import ConfigError
from alumni_net.io import Dataset

__all__ = [
    "CITY_NAMES",
    "CONFOUNDING_NOTE",
    "PUBLISHED",
    "ckm_adoption_by_city",
    "ckm_beside_published",
    "ckm_contagion_regressions",
    "ckm_reproduction",
    "ckm_structural_tests",
    "ckm_thresholds_by_city",
    "physicians_diffusion",
]

#: City codes of the physicians' data (names from the Moreno/UCI codebook, per the README).
CITY_NAMES = {1: "Peoria", 2: "Bloomington", 3: "Quincy", 4: "Galesburg"}

CONFOUNDING_NOTE = (
    "A network pattern in adoption times is not proof of contagion: Van den Bulte & Lilien (2001, "
    "American Journal of Sociology 106(5):1409-1435) showed that in these physicians' data the "
    "drug companies' marketing effort explains what looked like social contagion."
)

#: netdiffuseR's published values for ``medInnovationsDiffNet``: vignette "netdiffuseR showcase:
#: Medical Innovations" (G. Vega Yon), rendered with netdiffuseR 1.20.999
#: (``articles/analyzing-medical-innovation-data.html`` in github.com/USCCANA/netdiffuseR).
PUBLISHED: dict[str, Any] = {
    "adopters": [11, 9, 9, 11, 11, 11, 13, 7, 4, 1, 5, 3, 3, 4, 4, 2, 1, 16],
    "hazard": [None, 0.08, 0.09, 0.11, 0.13, 0.15, 0.21, 0.14, 0.09, 0.03, 0.13, 0.09, 0.10,
               0.15, 0.17, 0.11, 0.06, 1.00],
    "moran": [0.07, 0.04, -0.03, -0.02, -0.06, -0.02, -0.00, 0.01, 0.01, 0.01, 0.02, 0.02, 0.01,
              0.04, 0.05, 0.03, 0.02, None],
    # struct_test(diffnet_cityK, avgthr, 500): observed, expected (mean over 500 rewirings), p.
    "struct_test": {1: (0.6304, 0.6268, 0.8920), 2: (0.4931, 0.5058, 0.7400),
                    3: (0.4365, 0.4236, 0.7240), 4: (0.5926, 0.6097, 0.6720),
                    "all": (0.5660, 0.5552, 0.5320)},
}


def physicians_diffusion(dataset: Dataset, *, convention: str = "netdiffuser") -> DiffusionData:
    """The physicians' :class:`DiffusionData` under one reading of ``toa = 18`` (module docstring).

    Parameters
    ----------
    dataset : the ``medical_innovation`` dataset (needs ``toa`` and ``city``).
    convention : ``"netdiffuser"`` (18 = adopted in period 18) or ``"censored"`` (18 = not adopted).

    References
    ----------
    Coleman, J. S., Katz, E., & Menzel, H. (1966). Medical Innovation: A Diffusion Study.
    Bobbs-Merrill.

    Burt, R. S. (1987). Social contagion and innovation: cohesion versus structural equivalence.
    American Journal of Sociology 92(6), 1287-1335. https://doi.org/10.1086/228667

    Valente, T. W. (1995). Network Models of the Diffusion of Innovations. Hampton Press.

    Van den Bulte, C., & Lilien, G. L. (2001). Medical Innovation revisited: social contagion versus
    marketing effort. American Journal of Sociology 106(5), 1409-1435.
    https://doi.org/10.1086/320819

    Vega Yon, G. G., & Valente, T. W. netdiffuseR: Analysis of Diffusion and Contagion Processes on
    Networks (R package). https://doi.org/10.5281/zenodo.1039317
    """
    if convention not in ("netdiffuser", "censored"):
        raise ConfigError(f"convention must be 'netdiffuser' or 'censored', got {convention!r}")
    for column in ("toa", "city"):
        if column not in dataset.people.columns:
            raise ConfigError(f"the physicians' data need a '{column}' column; "
                              "is this the medical_innovation dataset?")
    return diffusion_data(dataset, column="toa", influence="target_to_source",
                          not_adopted=18 if convention == "censored" else None)


def ckm_adoption_by_city(data: DiffusionData) -> pd.DataFrame:
    """Adoption curves by city (``city``, ``city_name``, then :func:`adoption_curve`'s columns)."""
    curves = adoption_curve(data, by="city")
    curves.insert(1, "city_name", curves["city"].map(CITY_NAMES))
    return curves


def ckm_thresholds_by_city(data: DiffusionData, *, include_censored: bool = True) -> pd.DataFrame:
    """Mean, median and count of adoption thresholds per city and overall (``city`` = "all").

    ``include_censored=True`` reproduces the vignette's statistic (see the module docstring).
    """
    table = thresholds(data, include_censored=include_censored)
    table["city"] = data.people["city"].to_numpy()
    rows = []
    for city, group in [*table.groupby("city", sort=True), ("all", table)]:
        values = group["threshold"].dropna()
        rows.append({"city": city, "city_name": CITY_NAMES.get(city, "all cities"),
                     "physicians": len(group), "with_threshold": len(values),
                     "mean_threshold": values.mean(), "median_threshold": values.median()})
    return pd.DataFrame(rows)


def ckm_structural_tests(
    data: DiffusionData,
    *,
    null: str = "rewire",
    replicates: int = 500,
    include_censored: bool = True,
    seed: SeedLike = None,
) -> pd.DataFrame:
    """The vignette's structure-dependence tests: each city, then all physicians, one row each.

    Defaults follow the vignette (degree-preserving rewiring, mean threshold with first-period
    adopters). Each row has its own child seed of ``seed``, so rows do not depend on each other.
    """
    cities = sorted(pd.unique(data.people["city"]))
    seeds = spawn_seeds(seed, len(cities) + 1)
    rows = []
    for city, child in zip([*cities, "all"], seeds, strict=True):
        part = data if city == "all" else data.subset((data.people["city"] == city).to_numpy())
        result = structural_dependence_test(part, null=null, replicates=replicates,
                                            include_censored=include_censored, seed=child)
        row = result.table().iloc[0].to_dict()
        published = PUBLISHED["struct_test"].get(city)
        rows.append({"city": city, "city_name": CITY_NAMES.get(city, "all cities"),
                     "physicians": part.n, **row,
                     "published_observed": np.nan if published is None else published[0],
                     "published_expected": np.nan if published is None else published[1],
                     "published_p_value": np.nan if published is None else published[2]})
    return pd.DataFrame(rows)


def ckm_beside_published(data: DiffusionData) -> pd.DataFrame:
    """Per period: our adopters, hazard and Moran's I beside netdiffuseR's published ones.

    Meant for ``convention="netdiffuser"`` (18 periods); other data give NaN in the published
    columns beyond the published periods.
    """
    curve = adoption_curve(data)
    moran = moran_by_period(data)
    k = len(curve)

    def published(key: str) -> list[float]:
        values = [np.nan if v is None else v for v in PUBLISHED[key]]
        return (values + [np.nan] * k)[:k]

    return pd.DataFrame({
        "period": curve["period"],
        "adopters": curve["adopters"], "published_adopters": published("adopters"),
        "hazard": curve["hazard"], "published_hazard": published("hazard"),
        "moran": moran["moran_obs"], "published_moran": published("moran"),
        "moran_p_value": moran["moran_pval"],
    })


#: What the classic re-analyses of these data found about contagion (as their abstracts and
#: conclusions state; their coefficient tables use data these files do not hold).
PUBLISHED_CONTAGION = {
    "burt_1987": ("Burt (1987, AJS 92:1287): adoption followed structurally equivalent "
                  "colleagues (people in the same position), not cohesive ties (people named)"),
    "van_den_bulte_lilien_2001": (
        "Van den Bulte & Lilien (2001, AJS 106:1409): once the drug companies' monthly journal "
        "advertising is controlled for, the contagion effects disappear"),
}

#: Physician covariates of the classic models (Valente 1995; netdiffuseR's workshop scripts):
#: years in practice (proage), journals read (journ2), science orientation, detail men's visits.
CKM_COVARIATES = ("proage", "journ2", "science", "detail")


def ckm_contagion_regressions(dataset: Dataset, *, lag: int = 1) -> pd.DataFrame:
    """The lagged cohesion and structural-equivalence exposure logit on the physicians.

    Two models, each with one dummy per month (the common trend) and structural equivalence
    computed within each city, ``toa = 18`` read as not adopted: exposures alone, then with the
    physicians' covariates (:data:`CKM_COVARIATES`). One row per exposure term and model with
    the estimate, its 95% interval and p-value; :data:`PUBLISHED_CONTAGION` says what Burt and
    Van den Bulte & Lilien found.
    """
    data = physicians_diffusion(dataset, convention="censored")
    rows = []
    for model, covariates in (("exposures and months", ()),
                              ("with physician covariates", CKM_COVARIATES)):
        fit = exposure_regression(data, lag=lag, covariates=covariates, se_within="city")
        part = fit.table[fit.table["term"].str.endswith("_exposure")]
        rows.append(part.assign(model=model, rows=fit.rows, adoptions=fit.events))
    table = pd.concat(rows, ignore_index=True)
    return table[["model", "term", "estimate", "lo95", "hi95", "p_value", "odds_ratio", "rows",
                  "adoptions"]]


def ckm_reproduction(
    dataset: Dataset,
    *,
    convention: str = "netdiffuser",
    null: str = "rewire",
    replicates: int = 500,
    seed: SeedLike = 0,
) -> dict[str, pd.DataFrame]:
    """Every Coleman-Katz-Menzel table a notebook shows, in one call.

    Returns
    -------
    dict with ``"by_period"`` (:func:`ckm_beside_published`), ``"curves_by_city"``,
    ``"thresholds_by_city"`` and ``"structure_tests"``; read them with :data:`CONFOUNDING_NOTE`.
    """
    data = physicians_diffusion(dataset, convention=convention)
    return {
        "by_period": ckm_beside_published(data),
        "curves_by_city": ckm_adoption_by_city(data),
        "thresholds_by_city": ckm_thresholds_by_city(data),
        "structure_tests": ckm_structural_tests(data, null=null, replicates=replicates, seed=seed),
    }
