"""Strategies that run out of people worth picking, and the ``list`` strategy: what is flagged,
what the file says to do with it (keep, fall back, stop), and what summary.md says."""

from __future__ import annotations

import pandas as pd
import pytest
from tests.experiments.test_scenarios_common import write

from alumni_net.errors import ValidationError
from alumni_net.experiments.scenarios import load_scenario_file, prepare

N_PATHS, ISOLATED = 15, 20


@pytest.fixture(scope="module")
def paths(tmp_path_factory):
    """15 separate paths of four people (each within one sector and region) and 20 people with
    no tie at all: 'reach' has 15 picks that reach anyone new, 'bridging' none."""
    folder = tmp_path_factory.mktemp("paths")
    people, ties = [], []
    for c in range(N_PATHS):
        ids = [f"c{c:02d}p{i}" for i in range(4)]
        people += [(p, ["health", "voluntary", "social_care"][c % 3], f"r{c % 2}") for p in ids]
        ties += list(zip(ids, ids[1:], strict=False))
    people += [(f"iso{i:02d}", "health", "r0") for i in range(ISOLATED)]
    pd.DataFrame(people, columns=["person_id", "sector", "region"]).to_csv(
        folder / "people.csv", index=False)
    pd.DataFrame(ties, columns=["source", "target"]).to_csv(folder / "ties.csv", index=False)
    return folder


def _file(folder, data, recruitment: str, *, years: int = 6):
    return load_scenario_file(write(folder, (
        f'horizon_years = {years}\ndata = "{data}"\n[run]\nreplicates = 2\n'
        f'[cohorts]\nsize = 5\nfirst_start = "2030-01"\n[recruitment]\n{recruitment}')))


def _useful(picks) -> int:
    """Picks reaching anyone new, whatever their order: one per path (a path's people all lie
    within three steps of each other); isolated people reach no one."""
    return len({p[:3] for p in picks if p.startswith("c")})


def test_reach_flags_the_picks_that_reach_no_one_new_and_keeps_them_by_default(paths, tmp_path):
    # Issue 19: 'reach', once the reachable people are covered, recruited isolated people
    # without a word.
    plan = prepare(_file(tmp_path, paths, 'strategy = "reach"\n')).plans[0]
    picks = plan.recruits["person_id"].tolist()
    assert _useful(picks) == N_PATHS  # reach picks one person per path first
    note = plan.exhausted
    assert note.useless == 30 - N_PATHS and note.policy == "keep"
    assert note.left == note.useless and note.cohorts_run == 6
    assert note.sentence("reach").startswith(
        "'reach': 15 of 30 recruits picked by 'reach' reach no one within three steps who is "
        "not already reached; they are kept (set when_exhausted")


def test_stop_ends_recruiting_at_the_first_cohort_with_such_a_pick(paths, tmp_path):
    plan = prepare(_file(tmp_path, paths, 'strategy = "reach"\nwhen_exhausted = "stop"\n'))
    plan = plan.plans[0]
    assert plan.exhausted.cohorts_run == 3 and plan.exhausted.cohorts_planned == 6
    assert len(plan.recruits) == 15 and plan.recruits["cohort"].nunique() == 3
    assert _useful(plan.recruits["person_id"].tolist()) == 15  # every recruit reaches anyone
    assert "recruiting stops at the first cohort with one: 3 of 6 cohorts run" in \
        plan.exhausted.sentence("reach")


def test_fallback_replaces_them_with_another_strategys_picks(paths, tmp_path):
    sf = _file(tmp_path, paths, 'strategy = "bridging"\nwhen_exhausted = "fallback"\n'
                                'fallback = "degree"\n')
    plan = prepare(sf).plans[0]
    # No tie crosses a sector or region: every bridging pick adds nothing, and degree's picks
    # (people with two ties, the middle of a path) replace them.
    assert plan.exhausted.useless == 30 and plan.exhausted.replaced == 30
    assert plan.exhausted.left == 0
    middle = {f"c{c:02d}p{i}" for c in range(N_PATHS) for i in (1, 2)}
    assert set(plan.recruits["person_id"]) == middle
    assert "were replaced by recruiting by 'degree'" in plan.exhausted.sentence("b")


def test_the_list_strategy_recruits_the_named_people_in_order(paths, tmp_path):
    names = ", ".join(f'"c{c:02d}p0"' for c in range(10))
    plan = prepare(_file(tmp_path, paths, f"strategy = \"list\"\npeople = [{names}]\n",
                         years=2)).plans[0]
    # In the file's order: the first five names make the first cohort (sets reorder within).
    cohorts = plan.recruits.groupby("cohort", sort=True)["person_id"].apply(set).tolist()
    assert cohorts == [{f"c{c:02d}p0" for c in range(5)}, {f"c{c:02d}p0" for c in range(5, 10)}]
    assert plan.exhausted.useless == 0


def test_a_short_list_must_say_what_fills_the_rest(paths, tmp_path):
    names = '"c00p0", "c01p0", "c02p0"'
    with pytest.raises(ValidationError, match="the list has 3 people not yet trained but 6 "
                                              "cohorts of 5 have 30 places: say what fills"):
        prepare(_file(tmp_path, paths, f"strategy = \"list\"\npeople = [{names}]\n"))
    stop = prepare(_file(tmp_path, paths, f'strategy = "list"\npeople = [{names}]\n'
                                          'when_exhausted = "stop"\n')).plans[0]
    assert len(stop.recruits) == 0 and stop.exhausted.cohorts_run == 0
    rest = prepare(_file(tmp_path, paths, f'strategy = "list"\npeople = [{names}]\n'
                                          'when_exhausted = "fallback"\n')).plans[0]
    first = rest.recruits[rest.recruits["cohort"] == rest.recruits["cohort"].min()]
    assert {"c00p0", "c01p0", "c02p0"} <= set(first["person_id"])
    assert rest.recruits["person_id"].nunique() == 30 and rest.exhausted.replaced == 27


def test_a_list_from_a_people_column_and_unknown_names(paths, tmp_path):
    people = pd.read_csv(paths / "people.csv")
    people["invite"] = ["yes" if p.endswith("p3") else "no" for p in people["person_id"]]
    data = tmp_path / "flagged"
    data.mkdir()
    people.to_csv(data / "people.csv", index=False)
    (data / "ties.csv").write_text((paths / "ties.csv").read_text())
    plan = prepare(_file(tmp_path, data, 'strategy = "list"\npeople_column = "invite"\n',
                         years=2)).plans[0]
    assert set(plan.recruits["person_id"]) == {f"c{c:02d}p3" for c in range(10)}
    with pytest.raises(ValidationError, match=r"people names 2 id\(s\) not in the people table: "
                                              r"'nobody', 'ghost'"):
        prepare(_file(tmp_path, data, 'strategy = "list"\npeople = ["nobody", "ghost"]\n'))
    with pytest.raises(ValidationError, match="people_column names 'invited', which is not a"):
        prepare(_file(tmp_path, data, 'strategy = "list"\npeople_column = "invited"\n'))


def test_the_summary_says_it_and_the_table_counts_them(paths, tmp_path, capsys):
    from alumni_net.cli import main

    names = ", ".join([f'"c{c:02d}p1"' for c in range(15)] + [f'"c{c:02d}p2"' for c in range(5)])
    path = write(tmp_path, (
        f'horizon_years = 2\ndata = "{paths}"\nbaseline = "planned"\n[run]\nreplicates = 2\n'
        '[cohorts]\nsize = 10\nfirst_start = "2030-01"\n'
        f'[recruitment]\nstrategy = "list"\npeople = [{names}]\n'
        '[[scenario]]\nname = "reach"\n[scenario.recruitment]\nstrategy = "reach"\n'))
    out = tmp_path / "out"
    assert main(["scenarios", str(path), "--out", str(out), "--workers", "1"]) == 0
    summary = (out / "summary.md").read_text()
    assert "## Picks that add nothing" in summary
    assert "'reach': 5 of 20 recruits picked by 'reach' reach no one within three steps" in \
        summary
    assert ("Recruiting for the greatest three-degree reach ('reach') instead of the baseline "
            "'planned' (recruiting the people on the list)") in summary
    table = pd.read_csv(out / "scenarios.csv").set_index(["scenario", "measure"])
    assert table.loc[("reach", "recruits_adding_nothing"), "median"] == 5
    assert table.loc[("planned", "recruits_adding_nothing"), "median"] == 0
    assert not any(f"c{c:02d}p1" in summary for c in range(15))  # no id reaches the summary
