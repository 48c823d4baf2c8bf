"""The dashboard's computations, without a browser: options, live frames, paired answers, and
data that are small, lack a sector or cannot be read."""

from __future__ import annotations

import dataclasses
import re

import numpy as np
import pandas as pd
import pytest
from tests.dashboard.conftest import SMALL

from alumni_net.dashboard.session import Levers, Session, data_problems


def test_options_become_a_valid_scenario_file(small_session):
    a = Levers()
    b = Levers(strategy="degree", regional=True, topups=True, contagion="complex")
    c = Levers(cohort_size=12)
    sf = small_session.scenario_file(a, b, c, replicates=3)
    assert [s.name for s in sf.scenarios] == ["A", "B", "C"] and sf.baseline.name == "A"
    b_scenario = sf.scenarios[1]
    assert b_scenario.recruitment.strategy == "degree" and b_scenario.cohorts.regional
    assert len(b_scenario.topups) == 4 and sf.scenarios[2].cohorts.size == 12
    # Option A's spread assumption is the file's; an option assuming another says so.
    assert sf.params.threshold == 0 and dict(b_scenario.model) == {
        "threshold": 2, "threshold_kind": "count"}
    assert sf.scenarios[2].model == ()


def test_the_page_offers_the_strategies_that_run_on_the_data_as_they_are(small_session):
    # From the registry; a list needs the names a scenario file gives, which the page does not
    # ask for.
    assert small_session.strategies() == ["random", "degree", "betweenness", "bridging",
                                           "reach", "influence", "ris"]


def test_bad_levers_are_refused_with_a_sentence():
    with pytest.raises(ValueError, match="strategy must be one of"):
        Levers(strategy="charisma")


def test_the_map_is_sectors_by_regions_and_small_cells_are_withheld(small_session):
    grid = small_session.grid
    people = small_session.dataset.people
    assert grid.row_name == "sector" and grid.col_name == "region"
    assert set(grid.rows) == set(people["sector"]) and set(grid.cols) == set(people["region"])
    assert grid.size.sum() == len(people)
    crossed = pd.crosstab(people["sector"], people["region"]).reindex(
        index=list(grid.rows), columns=list(grid.cols))
    assert (grid.size.reshape(len(grid.rows), -1) == crossed.to_numpy()).all()
    share = grid.share(np.ones(len(people), dtype=bool))
    small = crossed.to_numpy() < 10
    assert np.isnan(share[small]).all() and (share[~small] == 1.0).all()
    # One person of a cell in the mask (or all but one) would give a count away: withheld.
    one = np.zeros(len(people), dtype=bool)
    big = int(np.argmax(grid.size))
    members = np.flatnonzero(grid.cell == big)
    one[members[0]] = True
    cell = np.unravel_index(big, share.shape)
    assert np.isnan(grid.share(one)[cell]) and np.isnan(grid.share(~one)[cell])
    one[members[:10]] = True
    assert grid.share(one)[cell] == pytest.approx(10 / len(members))


def test_the_map_pools_small_groups_and_groups_only_by_what_may_be_shown():
    # Issue 19: the page's map is an output like any other (core.publish's grouping rule).
    from alumni_net.core.publish import POOLED
    from alumni_net.dashboard.session import _grid
    from alumni_net.io import Dataset

    n = 60
    people = pd.DataFrame({
        "person_id": range(n),
        "sector": ["health"] * 30 + ["voluntary"] * 26 + ["private"] * 3 + ["charity"],
        "region": [f"ward {i}" for i in range(n)]})  # one each: an id, no grouping
    ties = pd.DataFrame({"source": range(n - 1), "target": range(1, n), "kind": "colleague"})
    grid = _grid(Dataset(people, ties))
    assert grid.row_name == "sector" and grid.col_name == "all"
    assert set(grid.rows) == {"health", POOLED}  # private and charity with voluntary, the next
    assert sorted(grid.size) == [30, 30]


def test_live_run_yields_every_month_with_consistent_counts(small_session):
    frames = list(small_session.live(Levers()))
    _, plan, network = small_session.plan(Levers())
    assert [f.month for f in frames] == list(range(len(frames)))
    for f in frames:
        assert f.counts["unaware"] + f.counts["practising"] + f.counts["lapsed"] == network.n
        assert f.practising.sum() == f.counts["practising"]  # everyone is on the map
    assert frames[-1].counts["practising"] > 0  # the cohorts' course effect at least
    assert frames[1].calendar_month == str(pd.Period(frames[0].calendar_month, "M") + 1)


def test_live_run_is_reproducible_and_seeded(small_session):
    first = [f.counts for f in small_session.live(Levers(), seed=5)]
    again = [f.counts for f in small_session.live(Levers(), seed=5)]
    other = [f.counts for f in small_session.live(Levers(), seed=6)]
    assert first == again and first != other


def test_the_live_map_never_shows_an_id(small_session):
    from alumni_net.dashboard.figures import map_figure

    frame = next(small_session.live(Levers()))
    fig = map_figure(small_session, frame)
    texts = " ".join(t.get_text() for t in fig.findobj(lambda a: hasattr(a, "get_text")))
    assert not any(str(pid) in texts for pid in small_session.dataset.people["person_id"][:200])
    assert "Share of each sector and region practising" in texts


def test_comparing_an_option_with_itself_gives_zero_difference(small_session):
    a = Levers()
    tables = small_session.compare(a, dataclasses.replace(a), replicates=3)
    rows = tables["scenarios"]
    b = rows[rows["scenario"] == "B"]
    assert (b["difference_median"] == 0).all() and (b["difference_hi"] == 0).all()


def test_the_answer_says_what_changes_by_year_5_and_10_with_the_paired_interval():
    # Issue 19: "recruiting X instead of Y adds N (A to B) practising people by year 5 /
    # year 10", with the recruits' make-up.
    from alumni_net.dashboard.figures import headlines, levels, makeup_table

    session = Session(SMALL, seed=3)
    a, b = Levers(), Levers(strategy="degree")
    tables = session.compare(a, b, replicates=4)
    by_year = tables["by_year"].set_index(["scenario", "year"])
    five, ten = by_year.loc[("B", 5)], by_year.loc[("B", 10)]
    text = headlines(tables)[0]
    assert text.startswith("Recruiting the most connected people instead of at random ")
    # The verb is said again only where the direction changes.
    assert re.search(rf" by year 5 and (adds |removes )?{abs(round(ten['difference_median'])):,}"
                     rf" \({round(ten['difference_lo']):,} to {round(ten['difference_hi']):,}\) "
                     r"by year 10", text), text
    assert f"{abs(round(five['difference_median'])):,} ({round(five['difference_lo']):,} to " \
        in text
    assert levels(tables).startswith("People practising by year 10: option A ")
    makeup = makeup_table(tables)
    comp = tables["composition"].set_index(["scenario", "characteristic", "group"])["recruits"]
    health = makeup["sector"].set_index("sector").loc["health"]
    assert health.iloc[0] == f"{int(comp[('A', 'sector', 'health')]):,}"
    assert list(health.index) == ["option A (260)", "option B (260)"]


def test_data_too_small_for_the_usual_levers_get_options_they_can_fill(tiny_data):
    # Issue 19 red team: on data too small for its default levers the run button did nothing.
    session = Session(tiny_data, horizon_years=10)
    a, b = session.defaults()
    assert a.cohort_size * 10 <= 28  # 28 people not yet trained
    assert session.check(a, b) == []
    tables = session.compare(a, b, replicates=2)
    assert set(tables["scenarios"]["scenario"]) == {"A", "B"}
    # Options the data cannot fill are sentences, not exceptions.
    found = session.check(Levers(cohort_size=26))
    assert found[0] == ("option A: 10 cohorts need 240 leaders but the candidate pool has 28 not "
                        "yet trained.")


def test_data_without_a_sector_column_offer_no_service_places(tmp_path):
    # Issue 19 red team: the physicians (no sector) ended in KeyError: 'sector'.
    from tests.helpers import real_dataset_dir

    session = Session(real_dataset_dir("medical_innovation"), horizon_years=2)
    a, b = session.defaults()
    assert a.service_users == 0 and session.limits["max_service_users"] == 0
    assert "bridging" not in session.strategies() and b.strategy == "degree"
    assert session.grid.row_name == "community"  # no sector or region to map by
    assert ("option A: 2 places for people who use services need a 'sector' column in the "
            "people table") in " ".join(session.check(Levers(cohort_size=6)))


def test_unreadable_data_become_sentences_without_the_folder_path(tmp_path):
    from alumni_net.errors import AlumniNetError

    folder = tmp_path / "programme"
    folder.mkdir()
    (folder / "ties.csv").write_text("source,target\na,b\n")
    with pytest.raises(AlumniNetError) as caught:
        Session(folder)
    found = data_problems(caught.value, folder)
    assert found and all(str(tmp_path) not in f for f in found)
    assert any("people.csv" in f for f in found)


def test_parameters_from_a_calibrated_config_are_named(tmp_path):
    config = tmp_path / "calibrated.toml"
    config.write_text('[source]\ncalibrated_on = "the physicians"\ndate = "2026-01-02"\n'
                      'model = "simple"\n[model]\nbeta = 0.03\nalpha = 0.07\n')
    session = Session(SMALL, horizon_years=2, config=config)
    assert session.params.beta == 0.03
    assert "the physicians" in session.parameter_source
    sf = session.scenario_file(Levers())
    assert sf.params.beta == 0.03 and sf.params.alpha == 0.07
    plain = Session(SMALL, horizon_years=2)
    assert plain.parameter_source == "illustrative defaults, not fitted"


def test_the_page_says_what_the_calibration_found_about_contagion(tmp_path):
    """Issue 17: the dashboard says what the data support about contagion, from the calibrated
    config's [source] (the words calibrate wrote), beside where the parameters came from."""
    config = tmp_path / "calibrated.toml"
    config.write_text(
        '[source]\ncalibrated_on = "the physicians"\ndate = "2026-01-02"\nmodel = "simple"\n'
        'p_contagion = 0.49\ncontagion_share = [0.3, 0.0, 0.7]\n'
        'verdict = "the data cannot tell contagion from a common trend (P(contagion) = 0.49)"\n'
        '[model]\nbeta = 0.03\nalpha = 0.07\n')
    session = Session(SMALL, horizon_years=2, config=config)
    assert "the physicians" in session.parameter_source
    assert ("the data cannot tell contagion from a common trend (P(contagion) = 0.49)"
            in session.parameter_source)


def test_a_dataset_name_holding_an_email_is_not_shown(monkeypatch):
    """Issue 19 red team: an email in dataset.toml's name reached the dashboard. The loader
    refuses it; the page checks it again, as every output path does."""
    import alumni_net.dashboard.session as session

    real = session.load_people
    monkeypatch.setattr(session, "load_people", lambda *a, **k: dataclasses.replace(
        real(*a, **k), name="list of ada@example.org"))
    assert session.Session(SMALL, horizon_years=1).name == "unnamed dataset"
