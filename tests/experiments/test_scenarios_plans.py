"""Applying scenarios: quotas met exactly, regional cohorts from one region, nobody recruited
twice, cohort and action-learning-set ties as the programme makes them, top-ups in the right
month for the right people."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from tests.experiments.test_scenarios_common import BASE, SCENARIOS, write

from alumni_net.experiments.recruitment import apportion
from alumni_net.experiments.scenarios import OTHER_SCENARIO_KIND, load_scenario_file, prepare
from alumni_net.synth.params import SERVICE_USER_SECTOR

QUOTAS = """
[[scenario]]
name = "twice"
[scenario.cohorts]
per_year = 2
size = 8

[[scenario]]
name = "quotas"
[scenario.quotas]
sector = { health = 0.5, social_care = 0.3 }
min_service_users = 2

[[scenario]]
name = "quotas_degree"
[scenario.recruitment]
strategy = "degree"
[scenario.quotas]
sector = { local_government = 0.25 }
region = { london = 0.2 }
min_service_users = 1
"""


@pytest.fixture(scope="module")
def prepared(tmp_path_factory):
    folder = tmp_path_factory.mktemp("scenarios")
    return prepare(load_scenario_file(write(folder, BASE + SCENARIOS + QUOTAS)))


def plan(prepared, name):
    return next(p for p in prepared.plans if p.scenario.name == name)


def test_future_cohorts_continue_after_the_observed_ones(prepared):
    tl = prepared.timeline
    # four synthetic cohorts start each September from 2016; the next starts in 2020-09
    assert (str(tl.start), str(tl.future)) == ("2016-09", "2020-09")
    assert tl.horizon_months == 48 + 24
    r = plan(prepared, "random").recruits
    assert sorted(r["cohort"].unique()) == [5, 6]
    assert sorted(r["cohort_start"].dt.strftime("%Y-%m").unique()) == ["2020-09", "2021-09"]


def test_two_cohorts_a_year_start_six_months_apart(prepared):
    r = plan(prepared, "twice").recruits
    starts = r.groupby("cohort")["cohort_start"].first().dt.strftime("%Y-%m").tolist()
    assert starts == ["2020-09", "2021-03", "2021-09", "2022-03"]
    assert r.groupby("cohort").size().tolist() == [8] * 4
    assert r.groupby("cohort")["action_learning_set"].nunique().tolist() == [1] * 4  # 8/6 -> 1


@pytest.mark.parametrize("name", ["quotas", "quotas_degree"])
def test_quotas_are_met_exactly_in_every_cohort(prepared, name):
    p = plan(prepared, name)
    q = p.scenario.quotas
    leaders_places = p.scenario.cohorts.size - q.min_service_users
    for _, cohort in p.recruits.groupby("cohort"):
        assert len(cohort) == 12
        users = cohort["sector"] == SERVICE_USER_SECTOR
        assert users.sum() == q.min_service_users
        leaders = cohort[~users]
        for column, shares in (("sector", dict(q.sector)), ("region", dict(q.region))):
            if not shares:
                continue
            wanted = apportion(shares, leaders_places)
            counts = leaders[column].value_counts()
            for label, places in wanted.items():
                if label != "(rest)":
                    assert counts.get(label, 0) == places, (name, column, label)
    if name == "quotas":  # 10 leaders' places: health 5, social care 3, the rest 2
        assert apportion({"health": 0.5, "social_care": 0.3}, 10) == {
            "health": 5, "social_care": 3, "(rest)": 2}


def test_regional_cohorts_each_draw_from_one_region_in_turn(prepared):
    r = plan(prepared, "regional").recruits
    regions = r.groupby("cohort", sort=True)["region"].unique()
    assert all(len(v) == 1 for v in regions)
    people = prepared.data.people
    in_turn = sorted(people["region"].dropna().unique())
    assert [v[0] for v in regions] == in_turn[:len(regions)]


def test_nobody_is_recruited_twice_or_was_trained_already(prepared):
    alumni = set(prepared.data.people.loc[prepared.data.people["is_alum"], "person_id"])
    for p in prepared.plans:
        ids = p.recruits["person_id"]
        assert ids.is_unique, p.scenario.name
        assert not set(ids) & alumni, p.scenario.name
        roles = prepared.data.people.set_index("person_id").loc[ids, "role"]
        assert set(roles) <= {"senior_leader", "manager", "community_member"}


def test_recruits_get_cohort_and_set_ties_as_real_cohorts_do(prepared):
    p = plan(prepared, "degree")
    ties, people = p.dataset.ties, p.dataset.people.set_index("person_id")
    recruits = p.recruits.set_index("person_id")
    new = ties[ties["source"].isin(recruits.index) & ties["target"].isin(recruits.index)]
    cohort = new[new["kind"] == "cohort"]
    sets = new[new["kind"] == "action_learning_set"]
    assert len(cohort) == 2 * math.comb(12, 2)  # every pair in each of 2 cohorts
    assert len(sets) == 2 * 2 * math.comb(6, 2)  # 12 per cohort -> 2 sets of 6
    for frame in (cohort, sets):
        same = recruits.loc[frame["source"], "cohort"].to_numpy() == \
            recruits.loc[frame["target"], "cohort"].to_numpy()
        assert same.all()
        assert (frame["since"].to_numpy() ==
                recruits.loc[frame["source"], "cohort_start"].to_numpy()).all()
    same_set = recruits.loc[sets["source"], "action_learning_set"].to_numpy() == \
        recruits.loc[sets["target"], "action_learning_set"].to_numpy()
    assert same_set.all()
    # recruits are alumni of their cohort in the model's input; sets mix sectors
    assert people.loc[recruits.index, "is_alum"].all()
    for _, s in recruits.groupby("action_learning_set"):
        assert s["sector"].nunique() >= 2


def test_every_scenario_carries_the_same_arcs(prepared):
    def pairs(p):
        t = p.dataset.ties
        return set(zip(np.minimum(t["source"], t["target"]), np.maximum(t["source"], t["target"]),
                       strict=True))

    first = pairs(prepared.plans[0])
    for p in prepared.plans[1:]:
        assert pairs(p) == first
    other = prepared.plans[0].dataset.ties
    assert (other.loc[other["kind"] == OTHER_SCENARIO_KIND, "since"] > pd.Timestamp("2100-01-01")
            ).all()


def test_topups_come_in_the_named_future_year_for_everyone(prepared):
    p = plan(prepared, "topups")
    [t] = p.params.topups
    assert t.month == 48 + 12 and t.cohorts is None
    assert plan(prepared, "random").params.topups == ()


def test_topups_for_new_or_existing_alumni_name_their_cohorts(tmp_path):
    text = BASE + ('[[scenario]]\nname = "new"\n[[scenario.topups]]\nyear = 0\nwho = "new"\n'
                   '[[scenario.topups]]\nyear = 1\nwho = "existing"\n')
    p = prepare(load_scenario_file(write(tmp_path, text)))
    new, existing = plan(p, "new").params.topups
    assert (new.month, new.cohorts) == (48, ("5", "6"))
    assert (existing.month, existing.cohorts) == (60, ("1", "2", "3", "4"))


def test_the_same_seed_recruits_the_same_people(tmp_path, prepared):
    sf = load_scenario_file(write(tmp_path, BASE))
    again = prepare(sf)
    pd.testing.assert_frame_equal(again.plans[0].recruits, plan(prepared, "random").recruits)
    other = prepare(sf, seed=99)
    assert not set(other.plans[0].recruits["person_id"]) == set(again.plans[0].recruits[
        "person_id"])


def test_the_example_file_compares_six_strategies_regional_cohorts_and_topups():
    from tests.helpers import ROOT

    sf = load_scenario_file(ROOT / "examples" / "scenarios.toml")
    assert sf.baseline.name == "random" and sf.replicates == 100 and sf.horizon_years == 10
    strategies = [s.recruitment.strategy for s in sf.scenarios]
    assert strategies[:6] == ["random", "degree", "betweenness", "bridging", "reach", "influence"]
    by_name = {s.name: s for s in sf.scenarios}
    assert by_name["regional"].cohorts.regional
    assert [t.year for t in by_name["topups"].topups] == [1, 3, 5]
    assert dict(sf.synthetic) == {"preset": "programme", "seed": 1}


def test_a_dataset_folder_with_an_eligible_flag(tmp_path):
    from alumni_net.synth import synthesize

    folder = tmp_path / "programme"
    ds = synthesize(folder, n_people=2000, n_cohorts=4, seed=3)
    people = pd.read_csv(folder / "people.csv")
    eligible = people.index % 3 == 0
    people["eligible"] = np.where(eligible, "true", "false")
    people.to_csv(folder / "people.csv", index=False)
    text = (BASE.replace("[synthetic]\nn_people = 2000\nn_cohorts = 4\nseed = 3\n", "")
            .replace('baseline = "random"\n', 'baseline = "random"\ndata = "programme"\n')
            .replace('strategy = "random"\n', 'strategy = "random"\npool = "eligible"\n'))
    p = prepare(load_scenario_file(write(tmp_path, text)))
    flagged = set(people.loc[eligible, "person_id"])
    recruits = p.plans[0].recruits
    assert len(recruits) == 24 and set(recruits["person_id"]) <= flagged
    assert p.data.n_people == ds.n_people


def test_strategy_settings_follow_their_strategy(tmp_path):
    """A strategy's settings are further [recruitment] keys; a scenario that keeps the strategy
    keeps them, one that changes it does not inherit them (they were another strategy's)."""
    text = (BASE.replace('strategy = "random"\n', 'strategy = "influence"\nreplicates = 7\n')
            + '[[scenario]]\nname = "same"\n[scenario.cohorts]\nsize = 10\n'
            + '[[scenario]]\nname = "more"\n[scenario.recruitment]\nreplicates = 9\n'
            + '[[scenario]]\nname = "degree"\n[scenario.recruitment]\nstrategy = "degree"\n')
    sf = load_scenario_file(write(tmp_path, text))
    settings = {s.name: dict(s.recruitment.settings) for s in sf.scenarios}
    assert settings == {"random": {"replicates": 7}, "same": {"replicates": 7},
                        "more": {"replicates": 9}, "degree": {}}
    default = load_scenario_file(write(tmp_path, BASE.replace(
        'strategy = "random"\n', 'strategy = "influence"\n'), "default.toml"))
    assert dict(default.baseline.recruitment.settings) == {"replicates": 100}


def test_quotas_for_people_who_use_services_need_a_sector_column(tmp_path):
    """Before: ``KeyError: 'sector'`` (issue 19, the shared physicians). Now one sentence."""
    from alumni_net.experiments.scenarios import load_people
    from alumni_net.experiments.scenarios.checks import check_against_data
    from alumni_net.synth import synthesize

    folder = tmp_path / "programme"
    synthesize(folder, n_people=2000, n_cohorts=4, seed=3)
    people = pd.read_csv(folder / "people.csv")
    people.drop(columns="sector").to_csv(folder / "people.csv", index=False)
    text = (BASE.replace("[synthetic]\nn_people = 2000\nn_cohorts = 4\nseed = 3\n", "")
            .replace('baseline = "random"\n', 'baseline = "random"\ndata = "programme"\n')
            + '[[scenario]]\nname = "bridging"\n[scenario.recruitment]\nstrategy = "bridging"\n'
              '[scenario.quotas]\nmin_service_users = 0\n')
    sf = load_scenario_file(write(tmp_path, text))
    problems = check_against_data(sf, load_people(sf))
    assert problems == [
        "scenario 'random': [quotas] min_service_users = 2 needs a 'sector' column in the people "
        "table (people who use services have sector = 'people_who_use_services'); these data "
        "have none, so set min_service_users = 0"]
    # bridging reads region when there is no sector: nothing to say about it
    with pytest.raises(Exception, match="min_service_users = 2 needs a 'sector' column"):
        prepare(sf)
