"""synthesize(): reproducible files, a valid dataset, and a network with realistic shape."""

from __future__ import annotations

import math
import resource
import time
import tomllib

import igraph as ig
import numpy as np
import pandas as pd
import pytest

from alumni_net.errors import ConfigError
from alumni_net.io import load_dataset
from alumni_net.synth import KINDS, SynthParams, synthesize

SMALL = {"n_people": 3_000, "n_cohorts": 4}
FILES = ("people.csv", "ties.csv", "dataset.toml")


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    """Three folders: seed 5 twice and seed 6, with the returned Datasets."""
    root = tmp_path_factory.mktemp("synth")
    out = {}
    for name, seed in [("a", 5), ("b", 5), ("c", 6)]:
        out[name] = (root / name, synthesize(root / name, seed=seed, **SMALL))
    return out


@pytest.fixture(scope="module")
def default_ds():
    return synthesize(seed=0)


def _graph(ds) -> ig.Graph:
    index = pd.Series(np.arange(ds.n_people), index=ds.people["person_id"])
    edges = np.column_stack([index[ds.ties["source"]].to_numpy(),
                             index[ds.ties["target"]].to_numpy()])
    g = ig.Graph(n=ds.n_people, edges=edges)
    g.simplify()
    return g


def test_same_seed_writes_byte_identical_files(written):
    (a, _), (b, _) = written["a"], written["b"]
    for name in FILES:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name


def test_different_seeds_write_different_files(written):
    (a, _), (c, _) = written["a"], written["c"]
    assert (a / "people.csv").read_bytes() != (c / "people.csv").read_bytes()
    assert (a / "ties.csv").read_bytes() != (c / "ties.csv").read_bytes()


def test_written_folder_validates_and_equals_the_returned_dataset(written):
    folder, ds = written["a"]
    loaded = load_dataset(folder)
    assert loaded.directed is False and loaded.name == ds.name == "synthetic_programme"
    for frame, other in [(ds.people, loaded.people), (ds.ties, loaded.ties)]:
        assert list(frame.columns) == sorted(other.columns, key=list(frame.columns).index)
        for col in frame.columns:
            mine = frame[col].astype(object).where(frame[col].notna(), None).tolist()
            theirs = other[col].astype(object).where(other[col].notna(), None).tolist()
            assert mine == theirs, col


def test_metadata_records_generator_seed_and_params(written):
    folder, _ = written["a"]
    meta = tomllib.loads((folder / "dataset.toml").read_text())
    assert meta["directed"] is False and meta["generator"] == "alumni_net.synth"
    assert meta["seed"] == 5 and meta["preset"] == "programme"
    assert SynthParams(**meta["params"]) == SynthParams(**SMALL)


def test_ids_ties_and_columns_are_well_formed(written):
    _, ds = written["a"]
    people, ties = ds.people, ds.ties
    assert list(people.columns) == ["person_id", "is_alum", "cohort", "cohort_start",
                                    "action_learning_set", "sector", "region", "organisation",
                                    "role"]
    assert people["person_id"].tolist() == [f"P{i:07d}" for i in range(1, 3_001)]
    assert people["organisation"].str.fullmatch(r"ORG\d{5}").all()
    assert list(ties.columns) == ["source", "target", "kind", "weight", "since"]
    assert (ties["source"] < ties["target"]).all()  # no self-ties; each pair stored one way
    assert not ties.duplicated(["source", "target", "kind"]).any()
    keys = list(zip(ties["source"], ties["target"], ties["kind"], strict=True))
    assert keys == sorted(keys)
    assert set(ties["kind"]) == set(KINDS)
    assert (ties["weight"] == 1.0).all()


def test_no_names_or_emails_anywhere(written):
    folder, ds = written["a"]
    assert not {"name", "email"} & set(ds.people.columns)
    for name in FILES:
        text = (folder / name).read_text()
        assert "@" not in text and "email" not in text.lower()


def test_cohorts_sets_and_tie_counts(written):
    _, ds = written["a"]
    alumni = ds.people[ds.people["is_alum"]]
    assert alumni.groupby("cohort").size().tolist() == [26] * 4
    users = alumni["sector"] == "people_who_use_services"
    assert users.groupby(alumni["cohort"]).sum().tolist() == [2] * 4
    assert sorted(alumni.groupby("action_learning_set").size().tolist()) == [6] * 8 + [7] * 8
    assert alumni["action_learning_set"].str[:3].tolist() == \
        [f"C{c:02d}" for c in alumni["cohort"]]
    assert alumni.groupby("cohort")["cohort_start"].first().dt.strftime("%Y-%m-%d").tolist() == \
        ["2016-09-01", "2017-09-01", "2018-09-01", "2019-09-01"]
    assert ds.people.loc[~ds.people["is_alum"], ["cohort", "cohort_start"]].isna().all().all()
    counts = ds.ties["kind"].value_counts()
    assert counts["cohort"] == 4 * math.comb(26, 2)
    assert counts["action_learning_set"] == 4 * (2 * math.comb(7, 2) + 2 * math.comb(6, 2))


def test_tie_dates(written):
    _, ds = written["a"]
    start = ds.people.set_index("person_id")["cohort_start"]
    ties = ds.ties
    programme = ties[ties["kind"].isin(["cohort", "action_learning_set"])]
    assert (programme["since"] == start[programme["source"]].to_numpy()).all()
    contacts = ties[ties["kind"] == "post_course_contact"]
    # Dated at the later graduation of the two (or the alum's): cohort start + 6 months.
    begun = np.fmax(start[contacts["source"]].to_numpy(), start[contacts["target"]].to_numpy())
    grad = (pd.DatetimeIndex(begun) + pd.DateOffset(months=6)).to_numpy()
    assert (contacts["since"].to_numpy() == grad).all()
    workforce = ties[ties["kind"].isin(["colleague", "partnership", "long_range"])]
    assert workforce["since"].isna().all()


def test_leader_sector_shares_match_the_quotas(default_ds):
    alumni = default_ds.people[default_ds.people["is_alum"]]
    leaders = alumni[alumni["sector"] != "people_who_use_services"]
    shares = leaders["sector"].value_counts(normalize=True)
    # Every cohort has floor or ceil of share x 24, so the overall share is within 1/24.
    for sector, share in SynthParams().leader_sector_shares.items():
        assert abs(shares.get(sector, 0.0) - share) < 1 / 24


def test_network_has_realistic_clustering_and_degree_spread(default_ds):
    g = _graph(default_ds)
    deg = np.array(g.degree())
    assert 0.1 < g.transitivity_undirected() < 0.4
    assert 8 < deg.mean() < 12
    assert deg.max() > 5 * deg.mean()  # hubs: boundary spanners with many partners
    assert deg.std() / deg.mean() > 0.4
    assert max(g.connected_components().sizes()) > 0.99 * g.vcount()


def test_alumni_are_better_connected_than_average(default_ds):
    g = _graph(default_ds)
    deg = np.array(g.degree())
    alum = default_ds.people["is_alum"].to_numpy()
    assert deg[alum].mean() > 2 * deg[~alum].mean()


def test_suite_preset_size():
    ds = synthesize(preset="suite", seed=1)
    assert ds.n_people == 100_000
    assert int(ds.people["is_alum"].sum()) == 3_120
    assert ds.people["cohort_start"].min() == pd.Timestamp("2016-09-01")
    assert ds.people["cohort_start"].max() == pd.Timestamp("2026-08-01")


def test_refuses_to_write_into_a_non_empty_folder(tmp_path):
    (tmp_path / "keep.txt").write_text("mine")
    with pytest.raises(ConfigError, match="is not empty; use --force"):
        synthesize(tmp_path, **SMALL)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keep.txt"]
    synthesize(tmp_path, overwrite=True, **SMALL)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dataset.toml", "keep.txt", "people.csv",
                                                          "ties.csv"]


def test_seed_none_is_recorded_so_the_run_can_be_repeated(tmp_path):
    synthesize(tmp_path / "a", seed=None, **SMALL)
    seed = tomllib.loads((tmp_path / "a" / "dataset.toml").read_text())["seed"]
    synthesize(tmp_path / "b", seed=seed, **SMALL)
    for name in FILES:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


@pytest.mark.slow
def test_a_million_people_build_within_memory(tmp_path):
    start = time.perf_counter()
    ds = synthesize(tmp_path / "big", n_people=1_000_000, seed=0)
    seconds = time.perf_counter() - start
    peak_gb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20  # kB on Linux
    print(f"1,000,000 people: {ds.n_ties:,} ties in {seconds:.1f} s, peak RSS {peak_gb:.2f} GB")
    assert ds.n_people == 1_000_000 and ds.n_ties > 4_000_000
    assert peak_gb < 24 and seconds < 600
    assert (tmp_path / "big" / "ties.csv").stat().st_size > 100_000_000


def test_pandas_and_arrow_writers_give_the_same_bytes(tmp_path, monkeypatch):
    pytest.importorskip("pyarrow")
    from alumni_net.core import tables

    assert synthesize(tmp_path / "arrow", seed=2, **SMALL).ties["source"].dtype.storage == "pyarrow"
    monkeypatch.setattr(tables, "_STR", pd.StringDtype("python", na_value=np.nan))
    ds = synthesize(tmp_path / "python", seed=2, **SMALL)
    assert ds.people["person_id"].dtype.storage == "python"
    for name in FILES:
        assert (tmp_path / "arrow" / name).read_bytes() == (tmp_path / "python" / name).read_bytes()


def test_network_parameters_leave_people_and_cohorts_unchanged():
    base = synthesize(seed=4, **SMALL)
    denser = synthesize(seed=4, colleague_k=12, partnership_mean=4.0, **SMALL)
    pd.testing.assert_frame_equal(base.people, denser.people)

    def programme(ds):
        kept = ds.ties["kind"].isin(["cohort", "action_learning_set"])
        return ds.ties[kept].reset_index(drop=True)

    pd.testing.assert_frame_equal(programme(base), programme(denser))
    colleagues = [(ds.ties["kind"] == "colleague").sum() for ds in (base, denser)]
    assert colleagues[1] > 1.3 * colleagues[0]
