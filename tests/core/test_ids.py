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


def test_columns_looked_up_side_by_side_give_what_one_at_a_time_gives():
    """Past a million values the tie ends' columns are looked up in threads (Arrow releases
    the GIL); each must still be looked up against the ids, in its own order."""
    rng = np.random.default_rng(7)
    ids = pd.Series([f"id{i}" for i in range(50_000)], dtype="str")
    pool = np.array([*ids.tolist(), "stranger"], dtype=object)
    src = pd.Series(pool[rng.integers(0, len(pool), 600_000)], dtype="str")
    dst = pd.Series(pool[rng.integers(0, len(pool), 500_000)], dtype="str")
    both = positions(ids, src, dst)
    alone = [positions(ids, col)[0] for col in (src, dst)]
    for got, want, col in zip(both, alone, (src, dst), strict=True):
        np.testing.assert_array_equal(got, want)
        known = want >= 0
        assert (ids.to_numpy()[want[known]] == col.to_numpy()[known]).all()
        assert (col.to_numpy()[~known] == "stranger").all() and (~known).any()


def test_a_remembered_lookup_serves_the_same_columns_once_with_the_ids_in_any_order():
    """Loading remembers the tie ends' lookup; compiling the network (people sorted since)
    recalls it for the very same columns only, and gets what a fresh lookup gets."""
    rng = np.random.default_rng(3)
    names = np.array([f"p{i}" for i in rng.permutation(300)], dtype=object)
    pool = np.array([*names, "stranger"], dtype=object)
    src = pd.Series(pool[rng.integers(0, len(pool), 2_000)], dtype="str")
    dst = pd.Series(pool[rng.integers(0, len(pool), 2_000)], dtype="str")
    in_file_order = pd.Series(names, dtype="str")
    sorted_ids = pd.Series(np.sort(names), dtype="str")
    want = _by_factorize(sorted_ids.to_numpy(dtype=object), src.to_numpy(dtype=object),
                         dst.to_numpy(dtype=object))
    ids._LAST.clear()
    positions(in_file_order, src, dst, remember=True)
    assert ids._LAST  # held for the next lookup of these columns
    got = positions(sorted_ids, src.reset_index(drop=True), dst)  # same buffers, other Series
    assert not ids._LAST  # used once
    assert [g.tolist() for g in got] == [w.tolist() for w in want]
    assert all(g.dtype == np.int64 for g in got) and (got[0] == -1).any()


def test_a_remembered_lookup_is_not_used_for_other_ids_or_other_columns():
    names = np.array([f"p{i}" for i in range(50)], dtype=object)
    ends = pd.Series(names[::-1], dtype="str")
    ids._LAST.clear()
    positions(pd.Series(names, dtype="str"), ends, remember=True)
    # Another set of ids, as many (p0 renamed): looked up afresh, so p0's end is unknown.
    other = pd.Series(["q0", *names[1:]], dtype="str")
    assert positions(other, ends)[0].tolist() == [*range(49, 0, -1), -1]
    assert ids._LAST  # not recalled, so still held
    # The same values in other buffers (a copy): looked up afresh, the same answer.
    copy = pd.Series(ends.to_numpy(dtype=object), dtype="str")
    assert positions(pd.Series(names, dtype="str"), copy)[0].tolist() == list(range(49, -1, -1))
    assert ids._LAST
    ids._LAST.clear()
