"""The population file, and its groups against the survey's categories."""

from __future__ import annotations

import pytest

from alumni_net.errors import ValidationError
from alumni_net.survey import Categories, check_population, read_population

from .conftest import EXAMPLE


def test_reads_the_example_population():
    pop = read_population(EXAMPLE / "population.csv")
    assert list(pop.columns) == ["region", "sector", "role", "count"]
    assert pop["count"].sum() == 20_000 and pop["count"].dtype == "int64"


def _write(tmp_path, text):
    path = tmp_path / "population.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_bad_population_rows_are_named(tmp_path):
    path = _write(tmp_path, "region,sector,role,count\nlondon,health,nurse,10\n"
                            "london,health,nurse,5\nlondon,,doctor,many\n")
    with pytest.raises(ValidationError) as info:
        read_population(path)
    assert [str(p) for p in info.value.problems] == [
        "population.csv, row 3, column 'region': the group london / health / nurse is already "
        "on row 2",
        "population.csv, row 4, column 'count': 'many' is not a count: write a whole number "
        ">= 0",
        "population.csv, row 4, column 'sector': the sector is empty",
    ]


def test_groups_that_do_not_match_the_survey(tmp_path):
    pop = read_population(_write(tmp_path, "region,sector,role,count\nlondon,health,nurse,10\n"
                                           "mars,health,nurse,3\n"))
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
