"""composition.csv: who each scenario recruits, with no small group recoverable from the total
(issue 19 red team: one suppressed group per characteristic was the total minus those shown)."""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd

from alumni_net.core.publish import POOLED
from alumni_net.experiments.scenarios.tables import composition_table

USERS = "people_who_use_services"


def _plan(name: str, sectors: dict[str, int], regions: list[str] | None = None):
    labels = [s for s, n in sectors.items() for _ in range(n)]
    recruits = pd.DataFrame({"person_id": [f"{name}{i}" for i in range(len(labels))],
                             "sector": labels})
    if regions is not None:
        recruits["region"] = regions
    return SimpleNamespace(scenario=SimpleNamespace(name=name), recruits=recruits)


def _people(n: int = 200, unique_region: bool = False):
    return SimpleNamespace(people=pd.DataFrame({
        "person_id": range(n), "sector": ["health", "voluntary"] * (n // 2),
        "region": [f"r{i}" for i in range(n)] if unique_region else ["north", "south"] * (n // 2),
    }), ties=pd.DataFrame({"source": [0], "target": [1], "kind": ["colleague"]}))


def _with_data(plans, data):
    for plan in plans:
        plan.dataset = data
    return plans


def test_no_small_group_can_be_worked_out_from_the_total():
    plans = _with_data([_plan("a", {"health": 15, "voluntary": 12, "private": 3}),
                        _plan("b", {"health": 20, "voluntary": 6, USERS: 4})], _people())
    table = composition_table(plans)
    for name, total in (("a", 30), ("b", 30)):
        mine = table[table["scenario"] == name].set_index(["characteristic", "group"])["recruits"]
        assert mine[("all", "recruits")] == total
        sector = mine.loc["sector"]
        # every count shown is 0 or at least 10, and so is what they leave of the total
        assert all(n == 0 or n >= 10 for n in sector), sector
        assert sector.sum() == total  # the pool is published, so nothing is left to subtract
    a = table[table["scenario"] == "a"].set_index(["characteristic", "group"])["recruits"]
    b = table[table["scenario"] == "b"].set_index(["characteristic", "group"])["recruits"]
    # a's private (3) pools with voluntary (12), the next smallest; b's users (4) and voluntary
    # (6) pool too; every scenario pools the same groups, so rows mean the same in each column
    assert a.loc["sector"].to_dict() == {"health": 15, POOLED: 15}
    assert b.loc["sector"].to_dict() == {"health": 20, POOLED: 10}
    # people who use services are inside the pool: their own row would give them away
    assert pd.isna(b[("uses_services", "people who use services")])
    assert a[("uses_services", "people who use services")] == 0


def test_a_whole_table_under_the_minimum_is_withheld_and_groups_need_the_allow_list():
    tiny = _with_data([_plan("a", {"health": 4, "voluntary": 3}, ["north"] * 7)], _people())
    table = composition_table(tiny).set_index(["characteristic", "group"])["recruits"]
    assert pd.isna(table[("all", "recruits")]) and pd.isna(table[("sector", POOLED)])
    assert table.notna().sum() == 1  # only the uses-services row: nobody, which discloses nothing
    # a region column that names (nearly) one person each is no grouping: no region rows
    plans = _with_data([_plan("a", {"health": 20}, ["north"] * 20)], _people(unique_region=True))
    table = composition_table(plans)
    assert "region" not in set(table["characteristic"]) and "sector" in set(
        table["characteristic"])
