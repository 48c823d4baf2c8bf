"""The shipped example survey, its categories, and a key for reproducible pseudonyms."""

from __future__ import annotations

import pandas as pd
import pytest
from tests.helpers import ROOT

EXAMPLE = ROOT / "data" / "survey_example"
KEY = b"survey-test-key-0123456789"


@pytest.fixture(scope="session")
def example_dir():
    return EXAMPLE


@pytest.fixture(scope="session")
def categories():
    from alumni_net.survey import categories_from_population
    from alumni_net.synth.population import population_counts

    return categories_from_population(population_counts(EXAMPLE / "population.csv"))


@pytest.fixture(scope="session")
def imported(categories):
    from alumni_net.survey import import_survey

    return import_survey(EXAMPLE / "responses.csv", EXAMPLE / "roster.csv",
                         categories=categories, key=KEY)


def read_text_table(path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)
