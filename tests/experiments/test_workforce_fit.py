"""Fitting the workforce model: the parameters a simulated survey came from are recovered, the
observed statistics sit inside the simulated ones, and mismatched populations are refused."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest
from tests.experiments.conftest import TINY

from alumni_net.errors import ValidationError
from alumni_net.experiments.workforce import FitSettings, fit_workforce
from alumni_net.experiments.workforce.report import role_table, statistics_table, survey_table
from alumni_net.experiments.workforce.statistics import FITTED
from alumni_net.survey import EgoData


def test_the_fit_report_puts_every_statistic_beside_the_model(example_fit):
    table = statistics_table(example_fit)
    assert len(table) == 11 and table["fitted"].sum() == 7
    fitted = table[table["fitted"]]
    assert (fitted["simulated_lo"] <= fitted["simulated_hi"]).all()
    # the fitted statistics are reproduced: most observed values inside the simulated 90%
    assert fitted["inside"].mean() >= 5 / 7
    params = example_fit.parameter_table()
    assert ((params["lo"] <= params["median"]) & (params["median"] <= params["hi"])).all()
    assert ((params["lo"] >= params["prior_lo"]) & (params["hi"] <= params["prior_hi"])).all()


def test_the_fit_report_marks_the_representative_respondents_counts_fitted(example_fit):
    """With ``representative``, the respondents' own counts across organisations are fitted
    too, and the report says so (it said 'not fitted' before)."""
    settings = dataclasses.replace(example_fit.settings, representative=True)
    table = statistics_table(dataclasses.replace(example_fit, settings=settings))
    marked = set(table.loc[table["fitted"], "statistic"])
    assert marked == set(settings.fitted()) and len(marked) == 9
    assert {"log_known_other_orgs", "sd_log_known_other_orgs"} <= marked


def test_role_activity_averages_one_over_the_workforce(example_fit):
    roles = role_table(example_fit)
    assert (roles["share_of_workforce"] * roles["activity"]).sum() == pytest.approx(1.0)
    assert (roles["activity_lo"] <= roles["activity_hi"]).all()


def test_what_the_alumni_report_is_weighted_with_intervals(example_fit, imported):
    table = survey_table(example_fit).set_index("measure")
    egos = imported.data.egos
    shared = (egos["shared_own_org"] + egos["shared_other_orgs"]).to_numpy(float)
    w = egos["ego_id"].map(example_fit.weights).to_numpy(float)
    row = table.loc["shared_per_alum"]
    assert row["estimate"] == pytest.approx(np.average(shared, weights=w))
    assert row["lo"] <= row["estimate"] <= row["hi"]
    assert table.loc["shared_by_all_alumni", "estimate"] == pytest.approx(row["estimate"] * 78)
    assert 0 <= table.loc["practising_share", "estimate"] <= 1


def test_the_fit_is_the_same_on_two_workers(example_fit, imported, population):
    """The ABC simulations on the executor's pool: every one has its own keyed seed and the
    distances go back in proposal order, so the fit is the one made in this process."""
    two = fit_workforce(imported.data, population, settings=FitSettings(**TINY), seed=4,
                        workers=2)
    pd.testing.assert_frame_equal(two.smc.history, example_fit.smc.history)
    np.testing.assert_array_equal(two.smc.distances, example_fit.smc.distances)
    np.testing.assert_array_equal(two.particles, example_fit.particles)
    np.testing.assert_array_equal(two.posterior_weights, example_fit.posterior_weights)
    np.testing.assert_array_equal(two.predictive, example_fit.predictive)


def test_a_population_missing_a_surveyed_group_is_refused(imported, population):
    pop = population[population["role"] != "senior_leader"].reset_index(drop=True)
    pop.attrs["file"] = "population.csv"
    with pytest.raises(ValidationError) as info:
        fit_workforce(imported.data, pop, settings=FitSettings(particles=20, generations=2))
    messages = {p.message for p in info.value.problems}
    assert ("'senior_leader' is not a role of the population file population.csv (nobody of "
            "it to place in the network)") in messages
    assert {p.file for p in info.value.problems} >= {"people.csv", "egos.csv"}


@pytest.mark.slow
def test_parameters_of_a_simulated_survey_are_recovered():
    """A survey simulated on the model itself (many egos): the 90% intervals hold the truth."""
    from alumni_net.experiments.workforce.model import (
        WorkforceParams,
        build_structure,
        generate,
    )
    from alumni_net.experiments.workforce.survey_sim import simulate_survey
    from alumni_net.survey import Categories

    cats = Categories(("health", "care"), ("north", "south"), ("leader", "worker"))
    pop = pd.DataFrame([(r, s, o, 1500 if o == "worker" else 300) for r in cats.region
                        for s in cats.sector for o in cats.role],
                       columns=["region", "sector", "role", "count"])
    truth = WorkforceParams(colleague_k=6, colleague_rewire=0.1, partnership_mean=3.0,
                            partnership_within_region=0.8, partnership_closure=0.3,
                            activity_sigma=0.8)
    rng = np.random.default_rng(11)
    s = build_structure(pop, cats, pop["count"].to_numpy(), rng)
    net = generate(s, truth, np.ones(2), rng)
    egos = rng.choice(np.flatnonzero(s.role == 0), size=150, replace=False)
    sample = simulate_survey(net, egos, np.full(150, 5), np.ones(150), 0.3, 0.5, rng)
    ego = _ego_data(sample, cats)
    fit = fit_workforce(ego, pop, settings=FitSettings(particles=60, generations=4,
                                                       fit_size=3_000, predictive=10), seed=2)
    table = fit.parameter_table().set_index("parameter")
    for name in ("colleague_k", "partnership_mean", "partnership_within_region"):
        row = table.loc[name]
        assert row["lo"] <= getattr(truth, name) <= row["hi"], name
    assert table.loc["partnership_mean", "hi"] < 12  # informative, not the prior (0.2 to 40)


def _ego_data(sample, cats) -> EgoData:
    """An EgoSample back as the tables a survey import makes."""
    n = sample.n_egos
    ids = [f"e{i}" for i in range(n)]
    egos = pd.DataFrame({
        "ego_id": ids, "cohort": "1",
        "sector": np.asarray(cats.sector, dtype=object)[sample.sector],
        "region": np.asarray(cats.region, dtype=object)[sample.region],
        "role": np.asarray(cats.role, dtype=object)[sample.role],
        "know_own_org": sample.own, "know_other_orgs": sample.other})
    slot = pd.Series(sample.alter_ego).groupby(sample.alter_ego).cumcount().to_numpy() + 1
    alter_ids = [f"e{e}-c{k}" for e, k in zip(sample.alter_ego, slot, strict=True)]
    alters = pd.DataFrame({
        "alter_id": alter_ids, "ego_id": [ids[e] for e in sample.alter_ego],
        "sector": np.asarray(cats.sector, dtype=object)[sample.alter_sector],
        "region": np.asarray(cats.region, dtype=object)[sample.alter_region],
        "role": np.asarray(cats.role, dtype=object)[sample.alter_role],
        "same_organisation": pd.array(sample.same_org == 1, dtype="boolean"),
        "met_through_programme": pd.array(sample.programme, dtype="boolean"),
        "contacts_other_orgs": sample.alter_other})
    # simulate_survey lists each ego's pairs in the order combinations() makes them
    ties, pos = [], 0
    for e in range(n):
        members = [i for i in range(len(sample.alter_ego)) if sample.alter_ego[i] == e]
        for x in range(len(members)):
            for y in range(x + 1, len(members)):
                if sample.pair_tied[pos]:
                    ties.append((ids[e], alter_ids[members[x]], alter_ids[members[y]]))
                pos += 1
    alter_ties = pd.DataFrame(ties, columns=["ego_id", "source", "target"])
    people = egos[["ego_id", "cohort", "sector", "region", "role"]].rename(
        columns={"ego_id": "person_id"}).assign(is_alum=True, responded=True)
    return EgoData(people, pd.DataFrame(columns=["source", "target", "kind", "weight", "since"]),
                   egos, alters, alter_ties, {"name": "simulated", "contacts": 5})


def test_representative_respondents_have_their_own_counts_fitted():
    """Alumni chosen at random stand for the workforce: their counts across organisations are
    then fitted (the only view of people whom no contact list names), not given to the model."""
    assert FitSettings().fitted() == FITTED
    assert FitSettings(representative=True).fitted() == (
        *FITTED, "log_known_other_orgs", "sd_log_known_other_orgs")
    assert FitSettings(org_size_min=1, org_size_max=1).organisations().largest == 1
