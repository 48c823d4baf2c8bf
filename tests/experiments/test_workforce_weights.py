"""Survey weights: raking the respondents to the roster's cohort, sector and region margins."""

from __future__ import annotations

import numpy as np
import pandas as pd

from alumni_net.experiments.workforce import rake_weights


def test_raked_weights_reproduce_every_margin(imported):
    people = imported.data.people
    w, notes = rake_weights(people)
    resp = people[people["responded"]].set_index("person_id")
    assert np.isclose(w.mean(), 1.0)
    reached = []
    for col in ("cohort", "sector", "region"):
        target = people[col].value_counts()
        got = w.groupby(resp.loc[w.index, col]).sum()
        ok = got.index  # categories nobody answered in are named in the notes instead
        reached.append(np.allclose(got / got.sum(), target[ok] / target[ok].sum(), atol=1e-6))
    # raking converges on all margins at once when no weight hit the cap
    assert all(reached) or any("capped" in n for n in notes)


def test_a_category_nobody_answered_in_is_said():
    people = pd.DataFrame({"person_id": list("abcdef"), "cohort": [1, 1, 2, 2, 3, 3],
                           "responded": [True, True, True, False, False, False]})
    w, notes = rake_weights(people, margins=("cohort",))
    assert notes == ["no respondent in cohort '3' (2 alumni): weights cannot stand for them; "
                     "the model imputes them"]
    assert w.round(6).tolist() == [0.75, 0.75, 1.5]


def test_weights_are_capped_at_five_times_the_mean():
    people = pd.DataFrame({"person_id": [str(i) for i in range(60)],
                           "cohort": [1] * 50 + [2] * 10,
                           "responded": [True] + [False] * 49 + [True] * 10})
    w, notes = rake_weights(people, margins=("cohort",))
    assert w.max() <= 5.0 + 1e-9 and any("capped" in n for n in notes)
