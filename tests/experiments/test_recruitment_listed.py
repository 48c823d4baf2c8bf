"""The ``list`` strategy through the registry: named people in order, never an excluded one,
quotas met, the rest at random once the names run out (flagged as adding nothing), and its
settings and problems in sentences."""

from __future__ import annotations

import pandas as pd
import pytest

from alumni_net.errors import ConfigError
from alumni_net.experiments.recruitment import Quotas, adds_nothing, fallbacks, recruit, strategy
from alumni_net.experiments.recruitment.listed import listed_people

PEOPLE = pd.DataFrame({
    "person_id": [f"p{i}" for i in range(8)],
    "sector": ["health", "health", "voluntary", "voluntary", "health", "voluntary", "health",
               "people_who_use_services"],
    "invite": ["no", "yes", "yes", "no", "yes", "no", "no", "yes"],
})


def listed(k, names, **kwargs) -> list:
    return recruit(PEOPLE, None, k, strategy="list", settings={"people": names}, **kwargs)


def test_named_people_in_the_files_order_skipping_the_excluded():
    assert listed(3, ["p5", "p2", "p9", "p0", "p1"], exclude=["p2"]) == ["p5", "p0", "p1"]
    assert listed_people(PEOPLE, names=["p5", "p9", "p0"]) == ["p5", "p0"]  # p9 is unknown
    assert listed_people(PEOPLE, column="invite") == ["p1", "p2", "p4", "p7"]
    assert recruit(PEOPLE, None, 4, strategy="list", settings={"people_column": "invite"},
                   rng=3) == ["p1", "p2", "p4", "p7"]


def test_quotas_are_met_by_the_names_the_quotas_allow():
    # Half the places go to health: of p0, p1, p4 (health) only one fits in 2 places.
    assert listed(2, ["p0", "p1", "p4", "p2"],
                  quotas=Quotas(sector={"health": 0.5, "voluntary": 0.5})) == ["p0", "p2"]
    with pytest.raises(ConfigError, match="needs 1 people who use services but the candidate"):
        listed(2, ["p0"], candidates=["p0", "p1"], quotas=Quotas(min_service_users=1))


def test_past_the_names_the_places_are_filled_at_random_and_flagged():
    picks = listed(5, ["p3", "p6"], rng=11)
    assert picks[:2] == ["p3", "p6"] and len(set(picks)) == 5
    assert picks == listed(5, ["p3", "p6"], rng=11)  # the rest is seeded
    assert adds_nothing(PEOPLE, None, picks, strategy="list",
                        settings={"people": ["p3", "p6"]}).tolist() == [False] * 2 + [True] * 3
    # Under quotas the rest still meets them: one health and one voluntary place each.
    fill = listed(4, ["p0", "p1"], quotas=Quotas(sector={"health": 0.5, "voluntary": 0.5}),
                  rng=2)
    sectors = PEOPLE.set_index("person_id").loc[fill, "sector"]
    assert fill[0] == "p0" and "p1" in fill and (sectors == "health").sum() == 2


def test_settings_and_problems_are_sentences():
    s = strategy("list")
    assert s.resolve({"people": ["a", 7]}) == {"people": ("a", "7"), "people_column": None}
    with pytest.raises(ConfigError, match="people must be a list of person ids, got 'a'"):
        s.resolve({"people": "a"})
    with pytest.raises(ConfigError, match="people_column must be a column name, got 3"):
        s.resolve({"people_column": 3})
    assert s.problems(PEOPLE) == [
        "the list strategy needs the people to recruit: people = [ids] or people_column = "
        "\"COLUMN\" (one of them)"]
    assert s.problems(PEOPLE, {"people": ["p1"], "people_column": "invite"})[0].startswith(
        "the list strategy needs the people to recruit")
    assert s.problems(PEOPLE, {"people": ["p1", "x1", "x2", "x3", "x4"]}) == [
        "people names 4 id(s) not in the people table: 'x1', 'x2', 'x3' ..."]
    assert s.problems(PEOPLE, {"people_column": "invited"}) == [
        "people_column names 'invited', which is not a column of the people table"]
    assert s.problems(PEOPLE, {"people_column": "sector"})[0].startswith(
        "the 'sector' column must say true or false (yes/no, 1/0), not 'health'")
    # A list runs out itself: never a fallback.
    assert "list" not in fallbacks() and {"random", "degree", "reach"} <= set(fallbacks())
