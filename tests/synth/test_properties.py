"""Invariants that hold for any valid parameters (hypothesis explores the parameter space)."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from alumni_net.synth import synthesize


@st.composite
def programmes(draw):
    leaders = draw(st.integers(4, 30))
    users = draw(st.integers(0, 3))
    return {
        "n_people": draw(st.integers(5_000, 8_000)),
        "n_cohorts": draw(st.integers(1, 5)),
        "cohorts_per_year": draw(st.integers(1, 4)),
        "leaders_per_cohort": leaders,
        "service_users_per_cohort": users,
        "sets_per_cohort": draw(st.integers(1, min(6, leaders + users))),
        "colleague_k": 2 * draw(st.integers(1, 6)),
        "colleague_rewire": draw(st.floats(0, 1)),
        "partnership_closure": draw(st.floats(0, 0.9)),
        "org_size_min": draw(st.integers(2, 20)),
    }


@settings(max_examples=15, deadline=None)
@given(params=programmes(), seed=st.integers(0, 2**32))
def test_structure_holds_for_any_parameters(params, seed):
    ds = synthesize(seed=seed, **params)
    people, ties = ds.people, ds.ties
    size = params["leaders_per_cohort"] + params["service_users_per_cohort"]
    alumni = people[people["is_alum"]]
    assert alumni.groupby("cohort").size().tolist() == [size] * params["n_cohorts"]
    set_sizes = alumni.groupby("action_learning_set").size()
    sets = params["sets_per_cohort"]
    assert len(set_sizes) == sets * params["n_cohorts"]
    assert set(set_sizes) <= {size // sets, math.ceil(size / sets)}
    assert people["person_id"].is_unique and (ties["source"] < ties["target"]).all()
    assert not ties.duplicated(["source", "target", "kind"]).any()
    counts = ties["kind"].value_counts()
    assert counts.get("cohort", 0) == params["n_cohorts"] * math.comb(size, 2)
    org = people.set_index("person_id")["organisation"]
    for kind, same in [("colleague", True), ("partnership", False), ("long_range", False)]:
        t = ties[ties["kind"] == kind]
        together = org[t["source"]].to_numpy() == org[t["target"]].to_numpy()
        assert np.all(together == same), kind
