"""The dashboard's computations, without a browser: levers, live frames, paired comparisons."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from alumni_net.dashboard.session import MAP_PEOPLE, Levers


def test_levers_become_a_valid_scenario_file(small_session):
    a, b = Levers(), Levers(strategy="degree", regional=True, topups=True, contagion="complex")
    sf = small_session.scenario_file(a, b, replicates=3)
    assert [s.name for s in sf.scenarios] == ["A", "B"]
    b_scenario = sf.scenarios[1]
    assert b_scenario.recruitment.strategy == "degree" and b_scenario.cohorts.regional
    assert len(b_scenario.topups) == 4 and dict(b_scenario.model)["threshold"] == 2


def test_bad_levers_are_refused_with_a_sentence():
    with pytest.raises(ValueError, match="strategy must be one of"):
        Levers(strategy="charisma")


def test_live_run_yields_every_month_with_consistent_counts(small_session):
    frames = list(small_session.live(Levers()))
    _, plan, network = small_session.plan(Levers())
    assert [f.month for f in frames] == list(range(len(frames)))
    n = network.n
    for f in frames:
        assert f.counts["unaware"] + f.counts["practising"] + f.counts["lapsed"] == n
        assert set(np.unique(f.map_states)) <= {0, 1, 2}
    assert frames[-1].counts["practising"] > 0  # the cohorts' course effect at least


def test_live_run_is_reproducible_and_seeded(small_session):
    first = [f.counts for f in small_session.live(Levers(), seed=5)]
    again = [f.counts for f in small_session.live(Levers(), seed=5)]
    other = [f.counts for f in small_session.live(Levers(), seed=6)]
    assert first == again and first != other


def test_map_shows_alumni_first_and_never_an_id(small_session):
    people = small_session.dataset.people
    assert len(small_session.map_people) == min(MAP_PEOPLE, len(people))
    alumni = set(people.loc[people["is_alum"].fillna(False).astype(bool), "person_id"])
    k = min(len(alumni), MAP_PEOPLE)
    assert set(small_session.map_people[:k]) <= alumni
    from alumni_net.dashboard.figures import map_figure

    fig = map_figure(small_session, None)
    texts = [t.get_text() for t in fig.findobj(lambda a: hasattr(a, "get_text"))]
    assert not any(str(pid) in " ".join(texts) for pid in small_session.map_people[:50])


def test_comparing_a_scenario_with_itself_gives_zero_difference(small_session):
    a = Levers()
    tables = small_session.compare(a, dataclasses.replace(a), replicates=3)
    rows = tables["scenarios"]
    b = rows[rows["scenario"] == "B"]
    assert (b["difference_median"] == 0).all() and (b["difference_hi"] == 0).all()


def test_comparison_sentence_carries_the_paired_interval(small_session):
    from alumni_net.dashboard.figures import comparison_sentence

    a, b = Levers(), Levers(cohort_size=40, cohorts_per_year=2)
    tables = small_session.compare(a, b, replicates=4)
    text = comparison_sentence(tables, a, b)
    assert "90% interval" in text and "4 paired replicates" in text
    row = tables["scenarios"].query("scenario == 'B' and measure == 'practising_end'").iloc[0]
    assert row["difference_lo"] <= row["difference_median"] <= row["difference_hi"]


def test_a_dataset_name_holding_an_email_is_not_shown(monkeypatch):
    """Issue 19 red team: an email in dataset.toml's name reached the dashboard. The loader
    refuses it; the page checks it again, as every output path does."""
    from tests.dashboard.conftest import SMALL

    import alumni_net.dashboard.session as session

    real = session.load_dataset
    monkeypatch.setattr(session, "load_dataset", lambda *a, **k: dataclasses.replace(
        real(*a, **k), name="list of ada@example.org"))
    assert session.Session(SMALL, horizon_years=1).name == "unnamed dataset"
