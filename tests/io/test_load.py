"""Loading: real datasets match their READMEs; typing, defaults and metadata behave."""

from __future__ import annotations

import pandas as pd
import pytest
from tests.helpers import REAL_COUNTS, real_dataset_dir

from alumni_net.io import load_dataset, read_metadata, write_dataset


@pytest.mark.parametrize("name", sorted(REAL_COUNTS))
def test_real_dataset_counts_match_readme(name):
    n_people, by_kind = REAL_COUNTS[name]
    ds = load_dataset(real_dataset_dir(name), directed=True)
    assert ds.n_people == n_people
    assert ds.n_ties == sum(by_kind.values())
    assert ds.summary()["ties_by_kind"] == dict(sorted(by_kind.items()))
    assert ds.people["person_id"].is_unique and ds.people["person_id"].is_monotonic_increasing
    assert ds.people["person_id"].dtype == "int64" and ds.ties["source"].dtype == "int64"


def test_committed_real_copies_say_directed():
    for name in ("medical_innovation", "brazilian_farmers", "lazega_lawyers"):
        folder = real_dataset_dir(name)
        if folder.parent.name == "real" and folder.parents[1].name != "shared":
            assert read_metadata(folder)["directed"] is True
            assert load_dataset(folder).directed


def test_two_cohorts_typed(two_cohorts, pseudonym_key):
    ds = load_dataset(two_cohorts)
    people = ds.people.set_index("person_id")
    assert list(people.index) == ["a1", "a2", "b1", "p1", "p2", "p3"]
    # is_alum: explicit values win; empty means "alum when a cohort is set".
    assert people["is_alum"].to_dict() == {"a1": True, "a2": True, "b1": True,
                                           "p1": False, "p2": False, "p3": False}
    assert people.loc["b1", "cohort_start"] == pd.Timestamp("2017-09-01")
    assert people["cohort"].dtype == "Int64"
    ties = ds.ties
    assert ties["weight"].tolist() == [1.0, 1.0, 2.0, 1.0, 0.5]
    assert ties["since"].tolist()[3:] == [pd.Timestamp("2015-01-01"), pd.Timestamp("2014-01-01")]
    assert pd.isna(ties["since"].iat[2])
    assert list(ds.alumni) == ["a1", "a2", "b1"]
    assert ds.cohorts.to_dict("list") == {
        "cohort": [1, 2], "cohort_start": [pd.Timestamp("2016-09-01"), pd.Timestamp("2017-09-01")],
        "n_alumni": [2, 1]}


def test_default_kind_and_weight(tmp_path):
    (tmp_path / "people.csv").write_text("person_id\n1\n2\n")
    (tmp_path / "ties.csv").write_text("source,target\n1,2\n")
    ds = load_dataset(tmp_path)
    assert ds.ties[["kind", "weight"]].to_dict("records") == [{"kind": "tie", "weight": 1.0}]
    assert not ds.directed and not ds.people["is_alum"].any()


def test_parquet_and_excel_load_like_csv(two_cohorts, tmp_path, pseudonym_key):
    expected = load_dataset(two_cohorts)
    for suffix in ("parquet", "xlsx"):
        folder = tmp_path / suffix
        folder.mkdir()
        for table in ("people", "ties"):
            frame = pd.read_csv(two_cohorts / f"{table}.csv", dtype=str, keep_default_na=False)
            if suffix == "parquet":
                frame.to_parquet(folder / f"{table}.parquet")
            else:
                frame.to_excel(folder / f"{table}.xlsx", index=False)
        got = load_dataset(folder)
        pd.testing.assert_frame_equal(got.people, expected.people)
        pd.testing.assert_frame_equal(got.ties, expected.ties)


def test_write_then_load_round_trips(two_cohorts, tmp_path, pseudonym_key):
    ds = load_dataset(two_cohorts, pseudonymise_ids=True)
    again = load_dataset(write_dataset(ds, tmp_path / "copy"))
    pd.testing.assert_frame_equal(again.ties, ds.ties)
    pd.testing.assert_frame_equal(again.people[ds.people.columns], ds.people)
    assert (tmp_path / "copy" / "people.csv").read_bytes() == write_dataset(
        ds, tmp_path / "copy2").joinpath("people.csv").read_bytes()
