"""Networks drawn from the fitted model: the population's counts, the alumni where they said
they are, their reported contacts and programme ties, reproducibly."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pandas as pd
import pytest

from alumni_net.experiments.workforce import draw_networks
from alumni_net.experiments.workforce.embed import Alumni, lognormal_predictive, place_alumni
from alumni_net.experiments.workforce.fit import ego_degrees
from alumni_net.experiments.workforce.model import build_structure
from alumni_net.survey import Categories


@pytest.fixture(scope="module")
def drawn(example_fit):
    return list(draw_networks(example_fit, 2, seed=3))


def _net(drawn, k, assumption):
    return next(d for d in drawn if d.index == k and d.assumption == assumption)


def test_the_population_is_laid_out_by_its_counts(drawn, population, imported):
    people = _net(drawn, 0, "missing_at_random").people
    got = people.groupby(["region", "sector", "role"]).size()
    want = population.set_index(["region", "sector", "role"])["count"]
    assert got.reindex(want.index).fillna(0).astype(int).equals(want.astype(int))
    alumni = people[people["is_alum"]]
    assert set(alumni["person_id"]) == set(imported.data.people["person_id"])
    assert alumni["cohort"].value_counts().tolist() == [26, 26, 26]


def test_the_same_seed_draws_the_same_network(example_fit, drawn):
    again = next(iter(draw_networks(example_fit, 1, seed=3,
                                    assumptions=("missing_at_random",))))
    first = _net(drawn, 0, "missing_at_random")
    pd.testing.assert_frame_equal(again.people, first.people)
    pd.testing.assert_frame_equal(again.ties, first.ties)


def test_programme_ties_and_reported_alumni_ties_are_all_there(drawn, imported):
    ties = _net(drawn, 1, "best_connected").ties
    survey = imported.data.ties
    for kind in ("cohort", "action_learning_set"):
        assert (ties["kind"] == kind).sum() == (survey["kind"] == kind).sum()
    reported = survey[survey["kind"] == "post_course_contact"]
    drawn_pcc = ties[ties["kind"] == "post_course_contact"]
    key = set(zip(drawn_pcc["source"], drawn_pcc["target"], strict=True))
    for s, t in zip(reported["source"], reported["target"], strict=True):
        assert (min(s, t), max(s, t)) in key


def test_each_respondent_has_contacts_like_those_they_named(drawn, imported):
    """Contacts in other organisations are people of the sector, region and role described;
    contacts in the alum's own organisation are colleagues there (an organisation has people
    of one sector and region, and not always of every role)."""
    people = _net(drawn, 0, "missing_at_random").people.set_index("person_id")
    ties = _net(drawn, 0, "missing_at_random").ties
    egos = set(imported.data.egos["ego_id"])
    ties = ties[ties["source"].isin(egos) | ties["target"].isin(egos)]
    nb: dict[str, list] = {}
    for s, t in zip(ties["source"], ties["target"], strict=True):
        nb.setdefault(s, []).append(t)
        nb.setdefault(t, []).append(s)
    group = people[["sector", "region", "role"]].apply(tuple, axis=1)
    alters = imported.data.alters
    for ego, named in alters.groupby("ego_id"):
        mine = [n for n in set(nb[ego]) if not people.at[n, "is_alum"]]
        inside = people.loc[mine, "organisation"] == people.at[ego, "organisation"]
        have = Counter(group[n] for n, same in zip(mine, inside, strict=True) if not same)
        away = named[named["same_organisation"] == False]  # noqa: E712 (nullable boolean)
        want = Counter(tuple(r) for r in away[["sector", "region", "role"]].itertuples(
            index=False))
        assert not want - have, ego
        assert inside.sum() >= (named["same_organisation"] == True).sum()  # noqa: E712


def test_alumni_sit_where_they_said_they_sit(example_fit, drawn):
    people = _net(drawn, 0, "missing_at_random").people
    ties = _net(drawn, 0, "missing_at_random").ties
    work = ties[ties["kind"].isin(["partnership", "long_range"])]
    deg = pd.concat([work["source"], work["target"]]).value_counts()
    egos = example_fit.ego.egos["ego_id"]
    reported = ego_degrees(example_fit.sample)
    got = deg.reindex(egos).fillna(0).to_numpy()
    assert np.corrcoef(np.log1p(got), np.log1p(reported))[0, 1] > 0.8
    assert people.loc[people["is_alum"], "person_id"].isin(deg.index).mean() > 0.5


def test_the_best_connected_assumption_gives_non_respondents_more_ties(example_fit, drawn):
    silent = set(example_fit.ego.people.loc[~example_fit.ego.people["responded"], "person_id"])

    def mean_degree(net):
        t = net.ties[~net.ties["kind"].isin(["cohort", "action_learning_set"])]
        deg = pd.concat([t["source"], t["target"]]).value_counts()
        return deg.reindex(list(silent)).fillna(0).mean()

    for k in (0, 1):
        assert mean_degree(_net(drawn, k, "best_connected")) > mean_degree(
            _net(drawn, k, "missing_at_random"))


def test_a_network_drawn_alone_is_the_one_drawn_in_sequence(example_fit, drawn):
    """What lets networks be drawn in any process, in any order (the executor's workers)."""
    from alumni_net.core.rng import as_seed_sequence
    from alumni_net.experiments.workforce.draw import draw_network, network_draws
    from alumni_net.experiments.workforce.fit import child_seed

    root = as_seed_sequence(3)
    params, activity = network_draws(example_fit, 2, root)[1]
    alone = draw_network(example_fit, 1, params, activity, "best_connected", root)
    first = _net(drawn, 1, "best_connected")
    pd.testing.assert_frame_equal(alone.people, first.people)
    pd.testing.assert_frame_equal(alone.ties, first.ties)
    assert child_seed(root, 0).entropy == root.entropy


def test_non_respondents_may_know_more_people_than_any_respondent():
    """Counts imputed from a log-normal model's posterior predictive: a non-respondent can
    exceed the best-connected respondent (resampling the respondents never could), and the
    predictive's median is the respondents' (log scale)."""
    reported = np.array([0, 0, 1, 2, 2, 3, 4, 4, 5, 6, 8, 16], float)  # 12 respondents
    draws = np.concatenate([lognormal_predictive(reported, np.ones(12), 10,
                                                 np.random.default_rng(s)) for s in range(2_000)])
    assert (draws > 16).mean() == pytest.approx(0.06, abs=0.02)
    assert np.median(np.log1p(draws)) == pytest.approx(np.mean(np.log1p(reported)), abs=0.1)
    assert lognormal_predictive(np.zeros(5), np.ones(5), 4, np.random.default_rng(0)).tolist() \
        == [0.0] * 4  # nobody reported anyone: nobody is imputed anyone


def test_alumni_are_placed_in_organisations_with_room_for_their_colleagues():
    cats = Categories(("health",), ("north",), ("worker",))
    pop = pd.DataFrame({"region": ["north"], "sector": ["health"], "role": ["worker"],
                        "count": [3_000]})
    s = build_structure(pop, cats, np.array([3_000]), np.random.default_rng(0))
    zero = np.zeros(40, np.int64)
    alumni = Alumni(np.arange(40).astype(str).astype(object), zero, zero, zero,
                    np.full(40, "1", object), zero, pd.DataFrame())
    colleagues = np.full(40, 30.0)
    size = np.diff(s.org_start)[s.org]
    assert (size <= 30).mean() > 0.2  # many organisations are too small for 30 colleagues
    hosts = place_alumni(s, alumni, np.random.default_rng(1), colleagues)
    assert (size[hosts] > 30).all()
    assert len(set(hosts.tolist())) == 40
