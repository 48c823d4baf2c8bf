"""The simulate pipeline's notes: tie kinds without a weight are named only when outputs may
publish them (issue 19 red team: kinds naming a person reached simulate.json and the terminal)."""

from __future__ import annotations

import pandas as pd

from alumni_net.abm import ContagionParams
from alumni_net.io import Dataset
from alumni_net.pipelines.simulate import simulation_notes


def _dataset(kinds: list[str]) -> Dataset:
    n = len(kinds)
    people = pd.DataFrame({"person_id": range(n + 1), "is_alum": [True] + [False] * n})
    ties = pd.DataFrame({"source": range(n), "target": range(1, n + 1), "kind": kinds,
                         "weight": 1.0, "since": pd.NaT})
    return Dataset(people, ties)


def test_kinds_without_a_weight_are_named_or_counted():
    ds = _dataset(["colleague"] * 5 + ["advice"] * 3 + ["friend_of_Jane_Doe"] * 12
                  + ["mentor_link"] * 2 + ["coop_project"] * 10)
    (note,) = simulation_notes(ds)
    assert note.startswith("tie kinds 'advice', 'coop_project' have no weight in tie_weights")
    assert "2 further tie kinds, not named here because they may name someone" in note
    assert "Jane" not in note and "mentor_link" not in note
    assert simulation_notes(_dataset(["colleague", "cohort"])) == []


def _programme(sector: list[str], region: list[str]) -> Dataset:
    n = len(sector)
    people = pd.DataFrame({"person_id": range(n), "is_alum": [i % 4 == 0 for i in range(n)],
                           "cohort": [1 if i % 4 == 0 else None for i in range(n)],
                           "sector": sector, "region": region})
    ties = pd.DataFrame({"source": range(n - 1), "target": range(1, n), "kind": "colleague",
                         "weight": 1.0, "since": pd.NaT})
    return Dataset(people, ties)


def test_by_group_names_only_published_groupings_and_pools_small_groups(tmp_path):
    # Issue 19 red team: by_group labels came from sector and region without the allow-list:
    # a region of one person was a row of its own, and so was a region that is an id.
    from alumni_net.core.publish import POOLED
    from alumni_net.pipelines.simulate import simulate_dataset

    n = 60
    sector = ["health"] * 30 + ["voluntary"] * 25 + ["private"] * 4 + ["charity"]
    region = [f"ward {i}" for i in range(n)]  # unique per person: an id in another guise
    ds = _programme(sector, region)
    simulate_dataset(ds, tmp_path, n_replicates=2, seed=1, workers=1,
                     params=ContagionParams(horizon_months=6))
    groups = pd.read_csv(tmp_path / "by_group.csv")
    assert set(groups["group_type"]) == {"sector", "cohort"}  # no region rows
    sectors = set(groups.loc[groups["group_type"] == "sector", "group"])
    # private (4) and charity (1) pool with the next smallest, voluntary, so no group of them
    # can be worked out from the total
    assert sectors == {"health", POOLED}
    last = groups[(groups["month"] == groups["month"].max()) & (groups["arm"] == "programme")
                  & (groups["group_type"] == "sector")].set_index("group")["median"]
    assert last.sum() <= n and (last >= 0).all()


def test_published_groups_sum_pooled_groups_per_replicate_arm_and_month():
    # Known answer: private (4) and charity (1) are small, so they pool with voluntary (the next
    # smallest); each pooled row is the sum of its groups' counts, replicate by replicate.
    from alumni_net.core.publish import POOLED
    from alumni_net.pipelines.simulate import _published_groups

    sector = ["health"] * 30 + ["voluntary"] * 25 + ["private"] * 4 + ["charity"]
    ds = _programme(sector, ["north"] * len(sector))
    counts = {"health": 5, "voluntary": 3, "private": 2, "charity": 1}
    rows = [(rep, arm, month, "sector", group, (rep + 1) * count + month)
            for rep in (0, 1) for arm in ("programme", "no_programme") for month in (0, 1)
            for group, count in counts.items()]
    by_group = pd.DataFrame(rows, columns=["replicate", "arm", "month", "group_type", "group",
                                           "practising"])
    out = _published_groups(by_group, ds, min_count=10)
    got = {(r.replicate, r.arm, r.month, r.group): r.practising for r in out.itertuples()}
    want = {}
    for rep in (0, 1):
        for arm in ("programme", "no_programme"):
            for month in (0, 1):
                want[rep, arm, month, "health"] = (rep + 1) * 5 + month
                want[rep, arm, month, POOLED] = (rep + 1) * 6 + 3 * month
    assert got == want



def test_tie_weights_of_kinds_that_may_name_someone_are_not_written(tmp_path):
    # Issue 19 red team: a config's tie_weights keys reached simulate.json unchecked.
    import json

    from alumni_net.pipelines.simulate import simulate_dataset

    ds = _programme(["health"] * 30, ["north"] * 30)
    params = ContagionParams(horizon_months=6, tie_weights={
        "colleague": 0.5, "mentored_by_Ada_Lovelace": 2.0, "advice": 1.5})
    simulate_dataset(ds, tmp_path, n_replicates=1, seed=1, workers=1, params=params)
    written = json.loads((tmp_path / "simulate.json").read_text())
    assert written["params"]["tie_weights"] == {"colleague": 0.5, "other kinds (1)": 2.0,
                                                "advice": 1.5}
    for path in tmp_path.rglob("*.json"):
        assert "Ada" not in path.read_text(), path
