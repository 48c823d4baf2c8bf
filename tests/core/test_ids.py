"""Ids to positions: Arrow's lookup of text agrees with hashing by pandas, whatever the input."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from alumni_net.core import ids
from alumni_net.core.ids import positions


def _by_factorize(known, *arrays):
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(ids, "_text_positions", lambda *args: None)
        return positions(known, *arrays)


def test_text_positions_match_hashing_in_every_input_form():
    rng = np.random.default_rng(5)
    known = np.array([f"id{i}" for i in rng.permutation(500)], dtype=object)
    ends = np.array([f"id{i}" for i in rng.integers(0, 600, 2_000)], dtype=object)  # some unknown
    expected = _by_factorize(known, ends, ends[::-1])
    assert (expected[0] == -1).any() and (expected[0] >= 0).any()
    for form in (lambda a: a, lambda a: pd.Series(a, dtype="str"), lambda a: a.astype(str)):
        got = positions(form(known), form(ends), form(ends[::-1]))
        assert [g.tolist() for g in got] == [e.tolist() for e in expected]
        assert all(g.dtype == np.int64 for g in got)
    # By value: known[i] is at position i.
    hits = expected[0] >= 0
    assert (known[expected[0][hits]] == ends[hits]).all()


def test_values_that_are_not_all_text_fall_back_to_hashing():
    known = np.array(["1", "2", "3"], dtype=object)
    mixed = np.array(["2", 3, None, "1"], dtype=object)  # 3 is not "3"; None is missing
    assert positions(known, mixed)[0].tolist() == [1, -1, -1, 0]
    assert positions(np.array([7, 3]), np.array([3, 3, 9]))[0].tolist() == [1, 1, -1]
    assert positions(known, np.array([], dtype=object))[0].tolist() == []
