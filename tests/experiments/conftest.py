"""The example survey, imported and fitted once (small settings), for the workforce tests."""

from __future__ import annotations

import pytest
from tests.helpers import ROOT

EXAMPLE = ROOT / "data" / "survey_example"
KEY = b"survey-test-key-0123456789"
TINY = dict(particles=40, generations=3, fit_size=1_500, bootstrap=60, predictive=20)


@pytest.fixture(scope="session")
def population():
    from alumni_net.synth.population import population_counts

    return population_counts(EXAMPLE / "population.csv")


@pytest.fixture(scope="session")
def imported(population):
    from alumni_net.survey import categories_from_population, import_survey

    return import_survey(EXAMPLE / "responses.csv", EXAMPLE / "roster.csv",
                         categories=categories_from_population(population), key=KEY)


@pytest.fixture(scope="session")
def example_fit(imported, population):
    from alumni_net.experiments.workforce import FitSettings, fit_workforce

    return fit_workforce(imported.data, population, settings=FitSettings(**TINY), seed=4)
