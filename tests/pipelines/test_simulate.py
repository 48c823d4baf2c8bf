"""The simulate pipeline's notes: tie kinds without a weight are named only when outputs may
publish them (issue 19 red team: kinds naming a person reached simulate.json and the terminal)."""

from __future__ import annotations

import pandas as pd

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
