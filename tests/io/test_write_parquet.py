"""Datasets written as Parquet (the writer's ``table_format``): the same cells as the CSV, read
back as the same dataset, the same bytes for the same tables, and bad input named by file, row
and column as in a CSV."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

from alumni_net.cli import main
from alumni_net.errors import ValidationError
from alumni_net.io import EXCEL_ROWS, load_dataset, table_format_for, write_tables

META = {"name": "parquet check", "directed": False}


def _tables():
    """Cells that test every rule of the writer and the reader: text a spreadsheet would run,
    a quote, a comma, spaces around a value, accents, missing cells, dates, numbers."""
    people = pd.DataFrame({
        "person_id": ["=cmd", "'x", "a,b", "José", " padded ", "7"],
        "is_alum": [True, False, True, False, True, False],
        "cohort": pd.array([1, None, 2, None, 1, None], dtype="Int64"),
        "cohort_start": pd.to_datetime(["2019-01-01", None, "2020-02-01", None,
                                        "2019-01-01", None]),
        "sector": ["health", "-care", None, "health", "voluntary", "health"],
        "score": [0.5, 1.0, np.nan, 2.25, -3.0, 10.0],
    })
    ties = pd.DataFrame({
        "source": ["=cmd", "'x", "a,b", "José"],
        "target": ["'x", "a,b", "José", " padded "],
        "kind": ["cohort", "colleague", "@advice", "colleague"],
        "weight": [1.0, 0.5, 2.0, 1.0],
        "since": pd.to_datetime(["2019-01-01", None, "2021-03-04", None]),
    })
    return people, ties


def test_a_dataset_written_as_parquet_loads_as_its_csv_does(tmp_path):
    people, ties = _tables()
    csv = load_dataset(write_tables(tmp_path / "csv", people, ties, META))
    parquet = load_dataset(write_tables(tmp_path / "pq", people, ties, META,
                                        table_format="parquet"))
    assert sorted(p.name for p in (tmp_path / "pq").iterdir()) == [
        "dataset.toml", "people.parquet", "ties.parquet"]
    pd.testing.assert_frame_equal(parquet.people, csv.people)
    pd.testing.assert_frame_equal(parquet.ties, csv.ties)
    assert set(csv.people["person_id"]) == {"=cmd", "'x", "a,b", "José", "padded", "7"}
    # any Parquet reader sees the text the CSV holds (quoted against spreadsheets alike)
    table = pq.read_table(tmp_path / "pq" / "ties.parquet")
    assert {str(t) for t in table.schema.types} == {"string"}
    assert table.column("source").to_pylist()[:2] == ["'=cmd", "'x"]
    assert table.column("weight").to_pylist() == ["1", "0.5", "2", "1"]


def test_the_same_tables_give_the_same_parquet_bytes(tmp_path):
    people, ties = _tables()
    for name in ("a", "b"):
        write_tables(tmp_path / name, people, ties, META, table_format="parquet")
    for table in ("people.parquet", "ties.parquet"):
        assert (tmp_path / "a" / table).read_bytes() == (tmp_path / "b" / table).read_bytes()


def test_auto_writes_csv_while_a_spreadsheet_holds_the_tables():
    assert table_format_for("auto", 10, EXCEL_ROWS) == "csv"
    assert table_format_for("auto", 10, EXCEL_ROWS + 1) == "parquet"
    assert table_format_for("csv", 10**8) == "csv"
    with pytest.raises(ValueError, match="table_format must be one of auto, csv, parquet"):
        table_format_for("feather", 1)


def test_bad_parquet_tables_are_named_by_file_row_and_column_as_csv_ones(tmp_path):
    people, ties = _tables()
    ties.loc[1, "weight"] = -2.0
    ties.loc[2, "target"] = "nobody"
    problems = {}
    for kind in ("csv", "parquet"):
        write_tables(tmp_path / kind, people, ties, META, table_format=kind)
        with pytest.raises(ValidationError) as err:
            load_dataset(tmp_path / kind)
        problems[kind] = [str(p) for p in err.value.problems]
    assert problems["parquet"] == [p.replace("ties.csv", "ties.parquet")
                                   for p in problems["csv"]]
    assert any(p.startswith("ties.parquet, row 3, column 'weight'") for p in problems["parquet"])


def test_a_damaged_parquet_file_is_one_sentence_and_exit_2(tmp_path, capsys):
    people, ties = _tables()
    folder = write_tables(tmp_path / "pq", people, ties, META, table_format="parquet")
    data = (folder / "ties.parquet").read_bytes()
    (folder / "ties.parquet").write_bytes(data[: len(data) // 2])
    with pytest.raises(ValidationError) as err:
        load_dataset(folder)
    [problem] = [str(p) for p in err.value.problems]
    assert problem.startswith("ties.parquet: cannot be read as Parquet")
    assert main(["validate", str(folder)]) == 2
    assert "ties.parquet: cannot be read as Parquet" in capsys.readouterr().err
