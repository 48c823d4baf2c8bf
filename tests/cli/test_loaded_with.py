"""Outputs record how the data were loaded; ``report --data`` loads them the same way (issue 8)."""

from __future__ import annotations

import hashlib
import json
import shutil

import matplotlib
import pytest
from tests.helpers import real_dataset_dir

from alumni_net.cli import main
from alumni_net.io import load_dataset, read_loaded_with, reuse_loaded_with

matplotlib.use("Agg")

KEY = "loaded-with-key-0123456789"


@pytest.fixture(scope="module")
def analyzed(tmp_path_factory):
    """Lazega's lawyers without dataset.toml (only --directed says the ties are nominations),
    analyzed once with --directed; yields the data folder and the results folder."""
    root = tmp_path_factory.mktemp("loaded_with")
    folder = root / "lawyers"
    folder.mkdir()
    for table in ("people.csv", "ties.csv"):
        shutil.copy(real_dataset_dir("lazega_lawyers") / table, folder / table)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("ALUMNI_NET_KEY", KEY)
        assert main(["analyze", str(folder), "--directed", "--influence", "both", "--out",
                     str(root / "out"), "--samples", "50"]) == 0
    return folder, root / "out"


@pytest.fixture
def lawyers(analyzed, tmp_path, monkeypatch):
    """A fresh copy of the data and results for one test, with the key analyze used."""
    monkeypatch.setenv("ALUMNI_NET_KEY", KEY)
    shutil.copytree(analyzed[0], tmp_path / "lawyers")
    shutil.copytree(analyzed[1], tmp_path / "out")
    return tmp_path / "lawyers"


def test_analyze_records_how_the_data_were_loaded(lawyers, tmp_path):
    summary = json.loads((tmp_path / "out" / "summary.json").read_text())
    record = summary["loaded_with"]
    digest = hashlib.sha256()
    for name in ("people.csv", "ties.csv"):
        digest.update(name.encode() + b"\0" + (lawyers / name).read_bytes())
    assert record["content_sha256"] == digest.hexdigest()
    assert {k: record[k] for k in ("dataset", "directed", "directed_from", "influence", "key",
                                   "pseudonymised_ids")} == {
        "dataset": "lawyers", "directed": True, "directed_from": "option", "influence": "both",
        "key": "given", "pseudonymised_ids": True}
    assert len(record["key_fingerprint"]) == 16
    assert KEY not in (tmp_path / "out" / "summary.json").read_text()  # a fingerprint, not the key
    assert record["key_fingerprint"] != hashlib.sha256(KEY.encode()).hexdigest()[:16]


def test_report_reuses_the_direction_analyze_was_given(lawyers, tmp_path, capsys):
    out = tmp_path / "out"
    # The reproduction: loaded without the record, the data fail as undirected (729 problems).
    assert reuse_loaded_with(None, directed=None) == (None, (), [])
    assert main(["report", str(out), "--data", str(lawyers), "--no-maps"]) == 0
    captured = capsys.readouterr()
    assert captured.err == ""
    assert "directed ties" in (out / "report.html").read_text(encoding="utf-8")


def test_an_explicit_option_wins_with_one_note(lawyers, tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["report", str(out), "--data", str(lawyers), "--undirected", "--no-maps"]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err[0] == (
        "note: the results were computed with ties taken as directed (summary.json); "
        "--undirected was given, so this command takes them as undirected")
    assert err[1].startswith("These ties look directed: 729 rows of ties.csv")


def test_other_key_and_other_data_are_said(lawyers, tmp_path, capsys, monkeypatch):
    out = tmp_path / "out"
    monkeypatch.setenv("ALUMNI_NET_KEY", "another-key-0123456789")
    with open(lawyers / "people.csv", "a", encoding="utf-8") as handle:
        handle.write("999,2,1,1,5,40,1,1,associate,man,Boston,litigation,harvard_yale\n")
    assert main(["report", str(out), "--data", str(lawyers), "--no-maps"]) == 0
    err = capsys.readouterr().err.splitlines()
    assert err == [
        "note: these data differ from the data the results were computed from (summary.json "
        "records 'lawyers' with another content hash)",
        "note: the pseudonymisation key differs from the one the results used (summary.json), so "
        "ids here will not match ids in the results; use the same key (--key-file or "
        "$ALUMNI_NET_KEY)",
    ]


def test_pseudonymised_columns_are_reused_and_misspelt_ones_refused(lawyers, tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["analyze", str(lawyers), "--directed", "--out", str(out), "--samples", "50",
                 "--pseudonymise", "age", "seniority"]) == 0
    capsys.readouterr()
    recorded = read_loaded_with(out)
    assert recorded[1] == "summary.json"
    assert recorded[0]["pseudonymised_columns"] == ["age", "seniority"]
    directed, columns, notes = reuse_loaded_with(recorded, directed=None)
    assert (directed, columns, notes) == (True, ("age", "seniority"), [])
    ds = load_dataset(lawyers, directed=directed, pseudonymise=columns)
    assert ds.people["age"].str.fullmatch(r"a_[0-9a-f]{16}").all()
    assert main(["analyze", str(lawyers), "--directed", "--out", str(tmp_path / "o2"),
                 "--pseudonymise", "agee"]) == 2
    assert "'agee' to pseudonymise are not in the people file" in capsys.readouterr().err
    assert not (tmp_path / "o2").exists()


def test_simulate_json_records_it_too(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("ALUMNI_NET_KEY", KEY)
    data = real_dataset_dir("medical_innovation")
    out = tmp_path / "sim"
    assert main(["simulate", str(data), "--replicates", "2", "--horizon", "6", "--workers", "1",
                 "--out", str(out)]) == 0
    capsys.readouterr()
    meta = json.loads((out / "simulate.json").read_text())
    assert meta["loaded_with"]["directed"] is True
    assert meta["loaded_with"]["directed_from"] == "dataset.toml"
    assert meta["loaded_with"]["influence"] == "target_to_source"
    assert read_loaded_with(out)[0] == meta["loaded_with"]


def test_unweighted_tie_kinds_are_said_once_and_recorded(tmp_path, capsys, monkeypatch):
    """Issue 8: kinds missing from tie_weights got weight 1.0 silently."""
    from alumni_net.abm import ContagionParams

    params = ContagionParams()
    # The reproduction: the physicians' kinds all fall back to the default weight.
    assert {params.weight_of(k) for k in ("advice", "discussion", "friendship")} == {1.0}
    monkeypatch.setenv("ALUMNI_NET_KEY", KEY)
    config = tmp_path / "c.toml"
    config.write_text("[model.tie_weights]\nadvice = 1.0\n")  # same as the default: fast
    out = tmp_path / "sim"
    assert main(["simulate", str(real_dataset_dir("medical_innovation")), "--replicates", "2",
                 "--horizon", "6", "--workers", "1", "--config", str(config),
                 "--out", str(out)]) == 0
    expected = ("tie kinds 'discussion', 'friendship' have no weight in tie_weights, so they "
                "transmit with default_tie_weight 1 (set them under [model.tie_weights] in the "
                "config)")
    err = capsys.readouterr().err
    assert err.count("no weight in tie_weights") == 1 and f"note: {expected}\n" in err
    assert json.loads((out / "simulate.json").read_text())["notes"] == [expected]
    assert ContagionParams(tie_weights={"advice": 1, "discussion": 1, "friendship": 1}
                           ).unweighted_note(["advice", "discussion", "friendship"]) is None


def test_map_with_centrality_loads_as_that_run_did(lawyers, tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["map", str(lawyers), "--centrality", str(out / "centrality.csv"),
                 "--size-by", "betweenness", "--out", str(tmp_path / "m.png")]) == 0
    assert capsys.readouterr().err == ""
    assert (tmp_path / "m.png").stat().st_size > 0
    assert main(["map", str(lawyers), "--out", str(tmp_path / "n.png")]) == 2  # no record
    assert capsys.readouterr().err.startswith("These ties look directed: 729 rows")
