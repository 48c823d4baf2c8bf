"""Reading CSV text: a clean file read by pyarrow loads exactly as the general path loads it.

The general path here is the loader as it was before the fast paths: every file through pandas'
reader as Python text, every date and weight read cell by cell, tie ends looked up and
duplicate ties found by hashing their text. Each awkward value appears (empty ``since``, dates
in several spellings, weights ``1``, ``1.5`` and empty, duplicate, reversed and self ties,
unknown ends, quoted-against-injection cells), in files with and without problems.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from tests.helpers import write_dataset_files

from alumni_net.core import ids
from alumni_net.errors import ValidationError
from alumni_net.io import _dates, _text, _validate, load_dataset
from alumni_net.io._tables import ReadOptions

_HEADER_PEOPLE = "person_id,is_alum,cohort,cohort_start,sector,region,grade,note\n"
_SECTORS = ("health", "social_care", "", "local_government")
_STARTS = ("2016-09-01", "2016", "25/12/2016", "2016/09/01", "", "2017-01")


def _people(n: int = 40, ids=lambda i: f"p{i:03d}") -> str:
    rows = [
        f"{ids(i)},{'true' if i % 7 == 0 else ''},{1 + i % 3 if i % 4 == 0 else ''},"
        f"{_STARTS[i % len(_STARTS)] if i % 4 == 0 else ''},{_SECTORS[i % 4]},"
        f"{'london' if i % 2 else 'wales'},{i % 5},{"'=SUM(A1)" if i == 3 else 'ok'}"
        for i in range(n)
    ]
    return _HEADER_PEOPLE + "\n".join(rows) + "\n"


_SINCE = ("", "", "", "2015-03-01", "2015", "13/04/2015", "44197", "2015-03")
_WEIGHTS = ("1", "1", "1.5", "", "2")


def _ties(n: int = 40, m: int = 120, ids=lambda i: f"p{i:03d}") -> str:
    rows = []
    for k in range(m):
        a, b = (k * 7) % n, (k * 13 + 1) % n
        if a == b:
            b = (b + 1) % n
        kind = ("colleague", "", "advice")[k % 3]
        rows.append(f"{ids(a)},{ids(b)},{kind},{_WEIGHTS[k % 5]},{_SINCE[k % len(_SINCE)]}")
    # Each pair of the first rows again the other way (a problem only in undirected data), and
    # again with another kind (never a problem).
    rows += [",".join([r.split(",")[1], r.split(",")[0], *r.split(",")[2:]]) for r in rows[:5]]
    rows += [",".join([*r.split(",")[:2], "mentor", *r.split(",")[3:]]) for r in rows[:5]]
    return "source,target,kind,weight,since\n" + "\n".join(rows) + "\n"


def _with_problems(ties: str) -> str:
    bad = ["p001,p002,colleague,1,", "p001,p002,colleague,1,",  # a duplicate
           "p002,p001,colleague,1,",  # reversed
           "p004,p004,advice,1,",  # a self tie
           "p005,x9,advice,1,", "zz,p006,advice,1,", ",p006,advice,1,",  # unknown, empty ends
           "p007,p008,advice,x,", "p007,p009,advice,-1,", "p007,p010,advice,1e200,",
           "p007,p011,advice,,03/04/2015", "p007,p012,advice,,Sept 2015",
           "p007,p013,advice,,1850-01-01"]
    return ties + "\n".join(bad) + "\n"


def _general_path(monkeypatch) -> None:
    """The loader without its fast paths."""
    monkeypatch.setattr(_text, "_read_clean", lambda *args: _text._UNCLEAN)
    monkeypatch.setattr(_dates, "_BY_VALUE_FROM", 10**12)
    monkeypatch.setattr(ids, "_text_positions", lambda *args: None)
    monkeypatch.setattr(_validate, "_pair_codes", _text_pairs)


def _text_pairs(ties, positions):
    return _PAIR_CODES(ties, None)


_PAIR_CODES = _validate._pair_codes


def _load(folder, directed):
    try:
        ds = load_dataset(folder, directed=directed)
    except ValidationError as exc:
        return None, [str(p) for p in exc.problems]
    return ds, []


def _both(folder, directed):
    fast = _load(folder, directed)
    with pytest.MonkeyPatch.context() as mp:
        _general_path(mp)
        general = _load(folder, directed)
    return fast, general


def _assert_same(fast, general):
    (ds_fast, problems_fast), (ds_general, problems_general) = fast, general
    assert problems_fast == problems_general
    if ds_general is None:
        assert ds_fast is None
        return
    for name in ("people", "ties"):
        a, b = getattr(ds_fast, name), getattr(ds_general, name)
        pd.testing.assert_frame_equal(a, b, check_exact=True)
        assert list(a.dtypes) == list(b.dtypes)
    assert ds_fast.notes == ds_general.notes


def _clean_is_fast(path, **options):
    frame = _text._read_clean(path.read_bytes(), path, ReadOptions(**options), [], [])
    return frame is not _text._UNCLEAN


@pytest.mark.parametrize("directed", [True, False])
@pytest.mark.parametrize("problems", [False, True])
def test_fast_path_loads_what_the_general_path_loads(tmp_path, pseudonym_key, directed, problems):
    ties = _ties()
    if problems:
        ties = _with_problems(ties)
    folder = write_dataset_files(tmp_path / "d", _people(), ties)
    assert _clean_is_fast(folder / "ties.csv") and _clean_is_fast(folder / "people.csv")
    fast, general = _both(folder, directed)
    _assert_same(fast, general)
    assert bool(fast[1]) == (problems or not directed)  # undirected: the reversed ties are named
    if problems:
        for expected in ("not a person_id", "self-tie", "weight is not a number",
                         "could be 3 April", "far outside", "same source, target and kind"):
            assert any(expected in p for p in fast[1]), expected


@pytest.mark.parametrize("variant", ["semicolon", "crlf", "integer_ids", "blank_lines"])
def test_fast_path_variants(tmp_path, pseudonym_key, variant):
    ident = (lambda i: str(1000 + i)) if variant == "integer_ids" else (lambda i: f"p{i:03d}")
    people, ties = _people(ids=ident), _ties(ids=ident)
    if variant == "semicolon":
        people, ties = people.replace(",", ";"), ties.replace(",", ";")
    if variant == "blank_lines":
        ties = ties.replace("\n", "\n\n", 3)
    folder = write_dataset_files(tmp_path / "d", people, ties)
    if variant == "crlf":
        for name in ("people.csv", "ties.csv"):
            path = folder / name
            path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    assert _clean_is_fast(folder / "ties.csv")
    fast, general = _both(folder, True)
    _assert_same(fast, general)
    assert fast[0] is not None
    if variant == "integer_ids":
        assert fast[0].ties["source"].dtype == "int64"


@pytest.mark.parametrize("awkward", [
    b"source,target\n p1,p2\n", b"source,target\np1 ,p2\n", b'source,target\n"p1",p2\n',
    b"source\ttarget\np1\tp2\n", b"source,target,\np1,p2,\n", b"\xef\xbb\xbfsource,target\np1,p2\n",
    b"source,target\np1\rp2\n", b"source,target\np1,\xe9\n", b"source,target\np1,p2,p3\n",
])
def test_files_the_fast_path_leaves_to_the_general_one(tmp_path, awkward):
    path = tmp_path / "ties.csv"
    path.write_bytes(awkward)
    assert not _clean_is_fast(path)


def test_repeated_header_is_named_by_the_fast_path(tmp_path):
    path = tmp_path / "ties.csv"
    path.write_bytes(b"source,target,Source\np1,p2,p3\n")
    problems: list = []
    assert _text._read_clean(path.read_bytes(), path, ReadOptions(), problems, []) is None
    assert [str(p) for p in problems] == [
        "ties.csv, row 1, column 'source': column appears more than once in the header"]


def test_fast_path_text_is_arrow_backed(tmp_path):
    path = tmp_path / "ties.csv"
    path.write_text("source,target,since\np1,p2,\np2,p3,2015\n")
    frame = _text._read_clean(path.read_bytes(), path, ReadOptions(), [], [])
    assert frame.to_dict("list") == {"source": ["p1", "p2"], "target": ["p2", "p3"],
                                     "since": ["", "2015"]}
    assert all(frame[c].dtype == "str" for c in frame.columns)


def test_repeats_is_duplicated_keep_first():
    rng = np.random.default_rng(3)
    for key in (rng.integers(0, 50, 2_000), np.sort(rng.integers(0, 10**12, 2_000)),
                np.zeros(0, dtype=np.int64), np.array([5])):
        expected = pd.Series(key).duplicated(keep="first").to_numpy()
        assert (_validate._repeats(key) == expected).all()


def test_labels_written_with_point_zero_read_alike(tmp_path, pseudonym_key):
    people = _people().replace(",1,", ",1.0,").replace(",2,", ",2.0,")
    folder = write_dataset_files(tmp_path / "d", people, _ties())
    fast, general = _both(folder, True)
    _assert_same(fast, general)
    assert fast[0].people["cohort"].dtype == "Int64"
