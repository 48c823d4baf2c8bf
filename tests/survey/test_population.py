"""The population, and its groups against the survey's categories. Population files are read by
the one loader, synth.workforce.load_population (tests/synth/test_workforce.py checks its bad
input); here: the counts a workforce estimate scales to, and the match with the survey."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from alumni_net.errors import ValidationError
from alumni_net.survey import Categories, categories_from_population, check_population
from alumni_net.synth.population import population_counts
from alumni_net.synth.workforce import load_population

from .conftest import EXAMPLE


def test_reads_the_example_population():
    pop = population_counts(EXAMPLE / "population.csv")
    assert list(pop.columns) == ["region", "sector", "role", "count"]
    assert pop["count"].sum() == 20_000 and pop["count"].dtype == "int64"
    assert pop.attrs["file"] == "population.csv"


def test_the_default_population_is_the_national_presets():
    """3,000,000 people: the uk_workforce table scaled (every share kept to within a person)
    and 2% people who use services, as synth's national preset places them."""
    pop = population_counts()
    assert int(pop["count"].sum()) == 3_000_000
    community = pop[pop["role"] == "community_member"]
    assert set(community["sector"]) == {"people_who_use_services"}
    assert int(community["count"].sum()) == 60_000
    table = load_population("uk_workforce")
    table = table[table["count"] > 0]
    workforce = pop[pop["role"] != "community_member"]
    expected = table["count"].to_numpy() * 2_940_000 / table["count"].sum()
    assert np.abs(workforce["count"].to_numpy() - expected).max() < 1
    cats = categories_from_population(pop)
    assert "people_who_use_services" in cats.sector and "scotland" in cats.region


def test_a_population_that_counts_nobody(tmp_path):
    pop = pd.DataFrame({"region": ["london"], "sector": ["health"], "role": ["nurse"],
                        "count": [0]})
    pop.attrs["file"] = "population.csv"
    offered = Categories(("health",), ("london",), ("nurse",))
    with pytest.raises(ValidationError) as info:
        check_population(pop, offered, {})
    assert [str(p) for p in info.value.problems] == [
        "population.csv, column 'count': the counts add up to nobody"]


def test_bad_population_rows_are_named(tmp_path):
    path = tmp_path / "population.csv"
    path.write_text("region,sector,role,count\nlondon,health,nurse,10\n"
                    "london,health,nurse,5\nlondon,,doctor,many\n", encoding="utf-8")
    with pytest.raises(ValidationError) as info:
        population_counts(path)
    assert [str(p) for p in info.value.problems] == [
        "population.csv, row 3: repeats region, sector and role london, health, nurse (first "
        "on row 2)",
        "population.csv, row 4, column 'count': must be a whole number >= 0, got 'many'",
        "population.csv, row 4, column 'sector': is empty",
    ]


def test_groups_that_do_not_match_the_survey(tmp_path):
    path = tmp_path / "population.csv"
    path.write_text("region,sector,role,count\nlondon,health,nurse,10\nmars,health,nurse,3\n",
                    encoding="utf-8")
    pop = population_counts(path)
    offered = Categories(("health",), ("london",), ("nurse", "doctor"))
    used = {"role": [("egos.csv", 4, "doctor")]}
    with pytest.raises(ValidationError) as info:
        check_population(pop, offered, used)
    assert [str(p) for p in info.value.problems] == [
        "egos.csv, row 4, column 'role': 'doctor' is not a role of the population file "
        "population.csv (nobody of it to place in the network)",
        "population.csv, row 3, column 'region': 'mars' is not a region the survey offered "
        "(london): rename it or template the survey from this file",
    ]
