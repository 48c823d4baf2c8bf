"""The run's fingerprint of its data (experiments.store): what ``resume`` checks."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from alumni_net.experiments.store import _column_digest, _fingerprint
from alumni_net.io import Dataset


def _text(chunks: list[list[str | None]], large: bool = False) -> pd.Series:
    kind = pa.large_string() if large else pa.string()
    arrow = pa.chunked_array([pa.array(c, type=kind) for c in chunks], type=kind)
    return pd.Series(pd.arrays.ArrowStringArray(arrow))


def test_text_digest_is_the_values_not_their_chunking_or_width():
    one = _column_digest(_text([["ab", "c", None, "", "def"]]))
    assert _column_digest(_text([["ab"], ["c", None], [], ["", "def"]])) == one
    assert _column_digest(_text([["ab", "c", None, "", "def"]], large=True)) == one
    # a slice starts mid-buffer: only its own values count
    sliced = pd.Series(pd.arrays.ArrowStringArray(pa.chunked_array(
        [pa.array(["zz", "ab", "c", None, "", "def"]).slice(1)])))
    assert _column_digest(sliced) == one


@pytest.mark.parametrize("other", [
    [["a", "bc", None, "", "def"]],   # same bytes, split differently between values
    [["ab", "c", "", None, "def"]],   # missing value moved
    [["ab", "c", None, "", "dEf"]],   # one byte changed
    [["ab", "c", None, ""]],          # one value fewer
])
def test_text_digest_tells_different_values_apart(other):
    assert _column_digest(_text(other)) != _column_digest(_text([["ab", "c", None, "", "def"]]))


def test_numbers_dates_and_objects_are_digested_by_value():
    x = pd.Series([1.0, np.nan, 3.0])
    assert _column_digest(x) == _column_digest(x.copy())
    assert _column_digest(x) != _column_digest(pd.Series([1.0, np.nan, 3.5]))
    when = pd.Series(pd.to_datetime(["2020-01-01", None]))
    assert _column_digest(when) != _column_digest(pd.Series(pd.to_datetime(["2020-01-02", None])))
    objects = pd.Series([1, "a", None], dtype=object)
    assert _column_digest(objects) == _column_digest(objects.copy())
    assert _column_digest(objects) != _column_digest(pd.Series([1, "b", None], dtype=object))


def test_fingerprint_changes_with_any_cell_column_name_or_dtype():
    people = pd.DataFrame({"person_id": pd.array(["a", "b"], dtype="str"), "is_alum": [1, 0]})
    ties = pd.DataFrame({"source": pd.array(["a"], dtype="str"),
                         "target": pd.array(["b"], dtype="str"), "kind": ["colleague"]})
    base = _fingerprint(Dataset(people, ties))["sha256"]
    assert _fingerprint(Dataset(people.copy(), ties.copy()))["sha256"] == base
    changed = [
        Dataset(people.assign(is_alum=[0, 1]), ties),
        Dataset(people.rename(columns={"is_alum": "alum"}), ties),
        Dataset(people.assign(is_alum=[1.0, 0.0]), ties),
        Dataset(people, ties.assign(kind=["friend"])),
        Dataset(people, ties, directed=True),
    ]
    assert len({_fingerprint(d)["sha256"] for d in changed} | {base}) == len(changed) + 1
