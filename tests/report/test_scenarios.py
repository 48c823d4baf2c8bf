"""The words summary.md and the dashboard use for what a scenario changes: strategies by their
registered description, settings named but never shown, what happens to picks that add nothing."""

from __future__ import annotations

from alumni_net.experiments.scenarios import Recruitment, Scenario
from alumni_net.report.scenarios import lever_phrases


def _scenario(**recruitment) -> Scenario:
    return Scenario(name="s", recruitment=Recruitment(**recruitment))


def test_strategies_are_said_by_their_registered_description():
    this, that = lever_phrases(_scenario(strategy="list", settings={"people": ["p1"]}),
                               _scenario())
    assert (this, that) == (["recruiting the people on the list"], ["recruiting at random"])


def test_a_changed_list_is_named_never_shown():
    base = _scenario(strategy="list", settings={"people": ["p1", "p2"]})
    other = _scenario(strategy="list", settings={"people": ["p2", "p9"]})
    this, that = lever_phrases(other, base)
    assert this == ["recruiting with other settings of the list strategy (people)"]
    assert not any("p9" in t for t in this + that)


def test_what_happens_to_picks_that_add_nothing():
    base = _scenario(strategy="reach")
    fall = _scenario(strategy="reach", when_exhausted="fallback", fallback="degree")
    assert lever_phrases(fall, base) == (
        ["replacing recruits who add nothing by recruiting the most connected people"],
        ["keeping them"])
    stop = _scenario(strategy="reach", when_exhausted="stop")
    assert lever_phrases(stop, fall)[0] == [
        "stopping recruiting at the first cohort with recruits who add nothing"]
    # "keep" said or left to its default is the same programme
    assert lever_phrases(_scenario(strategy="reach", when_exhausted="keep"), base) == ([], [])
