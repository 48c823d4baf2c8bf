"""The one CSV writer: Arrow's fast path writes exactly the bytes pandas' ``to_csv`` writes."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from alumni_net.core._csv import plain_csv
from alumni_net.core.tables import csv_text, neutralise, read_csv, write_csv


def _floats(n: int, seed: int) -> np.ndarray:
    """Floats of every magnitude and layout repr has: whole, tiny, huge, negative, signed zero,
    infinities, subnormals, the boundaries where repr switches to an exponent."""
    rng = np.random.default_rng(seed)
    x = rng.random(n) * 10.0 ** rng.integers(-320, 300, n)
    fifth = len(x[::5])
    x[::5] = np.round(rng.random(fifth) * 10.0 ** rng.integers(-8, 12, fifth), 3)
    x[::7] = np.round(x[::7])
    x[::3] = rng.random(len(x[::3])) * 10.0 ** rng.integers(-8, 17, len(x[::3]))
    x[::11] = -x[::11]
    x[::13] = np.nan
    edge = [0.0, -0.0, np.inf, -np.inf, 1e16, 9999999999999998.0, 1e-4, 1e-5, 1e-6,
            9.999999999999999e-7, 5e-324, 1.7976931348623157e308, 1e9, 999999999.9999999,
            0.0001 * (1 - 2**-52), 0.1, 1e15, 123.0, 2.0**53, 1e22, -1e-5, -3.0, 1e-7, 1e100]
    x[: len(edge)] = edge
    return x


@pytest.mark.parametrize("seed", [0, 1])
def test_the_arrow_writer_writes_what_pandas_writes(seed):
    n = 20_000
    rng = np.random.default_rng(seed)
    words = np.array(["health", 'say "hi"', "a,b", "two\nlines", "cr\rhere", " padded ", "",
                      "'=1+1", "naïve", "tab\there"], dtype=object)
    text = words[rng.integers(0, len(words), n)]
    text[::9] = None
    table = pd.DataFrame({
        "person_id": pd.array([f"p_{i:06x}" for i in range(n)], dtype="str"),
        "label": text,
        "label_str": pd.array(text, dtype="str"),
        "is_alum": rng.random(n) < 0.1,
        "cohort": pd.array(np.where(rng.random(n) < 0.5, rng.integers(1, 40, n), -1),
                           dtype="Int64").astype("Int64"),
        "flag": pd.array(np.where(rng.random(n) < 0.3, None, rng.random(n) < 0.5),
                         dtype="boolean"),
        "degree": rng.integers(-(10**15), 10**15, n),
        "small": rng.integers(0, 200, n).astype(np.uint8),
        "score": _floats(n, seed),
        "share": np.round(rng.random(n), 4),
    })
    table.loc[table.index[::4], "cohort"] = pd.NA
    expected = table.to_csv(index=False).encode("utf-8")
    assert plain_csv(table) == expected
    assert csv_text(table) == neutralise(table).to_csv(index=False)


def test_tables_it_cannot_write_go_to_pandas(tmp_path):
    dates = pd.DataFrame({"when": pd.to_datetime(["2020-01-01", None]), "n": [1, 2]})
    one_column = pd.DataFrame({"x": ["", "a"]})
    mixed = pd.DataFrame({"x": [1, "a"], "y": [1.5, 2.5]})
    categories = pd.DataFrame({"x": pd.Categorical(["a", "b"]), "y": [1, 2]})
    for frame in (dates, one_column, mixed, categories, pd.DataFrame({"a": [], "b": []})):
        assert plain_csv(frame) is None
        write_csv(frame, tmp_path / "t.csv")
        assert (tmp_path / "t.csv").read_bytes() == frame.to_csv(index=False).encode("utf-8")


def test_written_tables_read_back_with_formulas_neutralised(tmp_path):
    table = pd.DataFrame({"sector": ["=1+1", "health", None], "n": [-3.5, 4.0, np.nan]})
    write_csv(table, tmp_path / "t.csv")
    assert (tmp_path / "t.csv").read_text() == "sector,n\n'=1+1,-3.5\nhealth,4.0\n,\n"
    back = read_csv(tmp_path / "t.csv")
    assert back["sector"].tolist()[:2] == ["=1+1", "health"]
    assert back["n"].tolist()[:2] == [-3.5, 4.0]


def test_arrow_text_is_neutralised_exactly_as_by_the_regular_expression_alone():
    """The first-byte prefilter of Arrow-backed text (sliced, chunked, large, missing and
    empty cells) finds exactly the cells the regular expression finds."""
    pa = pytest.importorskip("pyarrow")
    from alumni_net.core import tables

    cells = ["=1", "health", "", None, "'=x", "''+3", "-", "a=b", "@home", "\tx", "'", "''",
             "héllo", "=é", "\r", "P0001"] * 3
    pieces = [pa.array(cells[:20], type=pa.string()), pa.array(cells[20:], type=pa.string())]
    for arrow in (pa.chunked_array(pieces), pa.chunked_array([pa.array(cells).slice(3, 30)]),
                  pa.chunked_array([pa.array(cells, type=pa.large_string())])):
        col = pd.Series(pd.arrays.ArrowStringArray(arrow) if not pa.types.is_large_string(
            arrow.type) else pd.array(arrow.to_pylist(), dtype="string[pyarrow]"))
        assert tables._may_start_a_match(col) is not None
        for pattern in (tables._NEEDS_QUOTE_RE, tables._QUOTED_RE):
            want = col.str.match(pattern.pattern).fillna(False).to_numpy(dtype=bool)
            assert (tables._hits(col, pattern) == want).all()
        plain = pd.Series(col.to_list(), dtype=object)
        assert tables.neutralise(pd.DataFrame({"c": col}))["c"].to_list() == \
            tables.neutralise(pd.DataFrame({"c": plain}))["c"].to_list()
