"""analyze_dataset and ``alumni-net analyze``: files, suppression, privacy, one-line errors."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from tests.helpers import TWO_COHORT_EDGES

from alumni_net.cli import main
from alumni_net.core.privacy import suppress_small
from alumni_net.io import Dataset
from alumni_net.pipelines.analyze import analyze_dataset, summary_markdown

OUTPUTS = {"centrality.csv", "reach.csv", "reach_by_cohort.csv", "summary.json", "summary.md"}


def _two_cohort_dataset() -> Dataset:
    # The metrics tests' toy graph, as a Dataset with cohorts and sectors.
    edges = TWO_COHORT_EDGES
    ids = sorted({v for e in edges for v in e} | {"w"})
    people = pd.DataFrame(
        {
            "person_id": ids,
            "is_alum": [p in {"a1", "a2", "b1"} for p in ids],
            "cohort": [{"a1": 1, "a2": 1, "b1": 2}.get(p) for p in ids],
            "cohort_start": pd.to_datetime(
                [{"a1": "2020-01-01", "a2": "2020-01-01", "b1": "2021-01-01"}.get(p) for p in ids]
            ),
            "sector": ["health" if p[0] in "axw" else "social_care" for p in ids],
        }
    )
    ties = pd.DataFrame(
        {
            "source": [u for u, _ in edges],
            "target": [v for _, v in edges],
            "kind": "tie",
            "weight": 1.0,
            "since": pd.NaT,
        }
    )
    return Dataset(people, ties, directed=False, name="toy")


def test_analyze_dataset_writes_every_output_with_known_reach(tmp_path):
    result = analyze_dataset(_two_cohort_dataset(), tmp_path / "out", min_count=3)
    assert {p.name for p in (tmp_path / "out").iterdir()} == OUTPUTS
    summary = json.loads((tmp_path / "out" / "summary.json").read_text())
    union = summary["reach"]["alumni_union"]
    assert [union["reach_1"], union["reach_2"], union["reach_within_3"]] == [4, 4, 9]
    assert union["reach_3"] is None  # 1 person: a small count, suppressed
    assert union["sources"] == 3 and isinstance(union["sources"], int)  # counts stay whole numbers
    assert summary["reach"]["overlap"]["sum_individual_within_3"] == 17
    reach = pd.read_csv(tmp_path / "out" / "reach.csv").set_index("person_id")
    assert reach.loc["b1", "marginal_reach_within_3"] == 4
    cohorts = pd.read_csv(tmp_path / "out" / "reach_by_cohort.csv")
    # Cohort 1 has 2 alumni, cohort 2 one: below 3 each, so they are published together only.
    assert cohorts["cohort"].tolist() == ["1 + 2"] and cohorts["n_alumni"].tolist() == [3]
    assert cohorts["reach_within_3"].tolist() == [9]
    table = pd.read_csv(tmp_path / "out" / "centrality.csv")
    assert len(table) == 14 and table["connector_rank"].min() == 1
    assert result.summary["connectors"][0]["connector_rank"] == 1
    assert "Alumni reach" in (tmp_path / "out" / "summary.md").read_text()
    assert "pooled with the next cohort" in (tmp_path / "out" / "summary.md").read_text()


def test_a_one_person_cohort_gives_away_neither_its_count_nor_its_reach(tmp_path):
    """Red team (issue 19): a one-alum cohort had n_alumni blanked, but alumni_to_date rose by
    one and its cohort_reach columns were that alum's own reach."""
    ds = _two_cohort_dataset()
    analyze_dataset(ds, tmp_path / "unpooled", min_count=1)
    alone = pd.read_csv(tmp_path / "unpooled" / "reach_by_cohort.csv")
    assert alone["n_alumni"].tolist() == [2, 1] and alone["cohort_reach_within_3"].iloc[1] > 0
    analyze_dataset(ds, tmp_path / "out", min_count=2)
    cohorts = pd.read_csv(tmp_path / "out" / "reach_by_cohort.csv")
    assert cohorts["cohort"].astype(str).tolist() == ["1 + 2"]
    assert cohorts["alumni_to_date"].tolist() == [3]
    assert cohorts["cohort_reach_within_3"].tolist() == [alone["reach_within_3"].iloc[-1]]
    # Every alum in one cohort below the cut-off: no count and no reach of the row is shown.
    analyze_dataset(ds, tmp_path / "tiny", min_count=4)
    tiny = pd.read_csv(tmp_path / "tiny" / "reach_by_cohort.csv")
    assert tiny.drop(columns=["cohort", "cohort_start"]).isna().all().all()


def test_one_suppression_rule_blanks_only_small_positive_counts():
    t = suppress_small(
        pd.DataFrame({"g": ["a", "b"], "n": [3, 12], "zero": [0, 0]}), min_count=10, skip=("g",)
    )
    assert pd.isna(t.loc[0, "n"]) and t.loc[1, "n"] == 12 and t["zero"].tolist() == [0, 0]
    assert str(t["n"].dtype) == "Int64"  # counts stay whole numbers
    # The same rule, written for people to read, withholds exactly the same cells.
    shown = suppress_small(pd.DataFrame({"n": [3, 12, 0]}), label=True)["n"].tolist()
    assert shown == ["<10", "12", "0"]


def test_cli_analyze_pseudonymises_and_reports_bad_input(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("ALUMNI_NET_KEY", "test-key-0123456789abcdef")
    ds = _two_cohort_dataset()
    data = tmp_path / "data"
    data.mkdir()
    ds.people.to_csv(data / "people.csv", index=False)
    ds.ties[["source", "target"]].to_csv(data / "ties.csv", index=False)
    assert main(["analyze", str(data), "--out", str(tmp_path / "out"), "--min-count", "5"]) == 0
    table = pd.read_csv(tmp_path / "out" / "centrality.csv")
    assert not set(table["person_id"]) & set(ds.people["person_id"])  # ids were pseudonymised
    assert "alumni reach within 3 degrees: 9" in capsys.readouterr().out
    assert main(["analyze", str(tmp_path / "missing"), "--out", str(tmp_path / "x")]) == 2
    assert not (tmp_path / "x").exists()


@pytest.mark.parametrize("influence", ["target_to_source", "source_to_target"])
def test_directed_data_follow_the_stated_influence(tmp_path, influence):
    people = pd.DataFrame({"person_id": [1, 2, 3], "is_alum": [False, False, True]})
    ties = pd.DataFrame(
        {"source": [1, 2], "target": [2, 3], "kind": "advice", "weight": 1.0, "since": pd.NaT}
    )
    result = analyze_dataset(
        Dataset(people, ties, directed=True), None, influence=influence, min_count=1
    )
    expected = 2 if influence == "target_to_source" else 0
    assert result.reach["reach_within_3"].tolist() == [expected]
    assert "no one is reached" not in summary_markdown(result.summary)
    assert result.summary["reach"]["influence"] == influence


def test_data_without_alumni_say_so():
    people = pd.DataFrame({"person_id": [1, 2], "is_alum": [False, False]})
    ties = pd.DataFrame(
        {"source": [1], "target": [2], "kind": "advice", "weight": 1.0, "since": pd.NaT}
    )
    result = analyze_dataset(Dataset(people, ties, directed=True), None)
    assert result.reach.empty and result.summary["dataset"]["alumni"] == 0
    assert "no one is reached" in summary_markdown(result.summary)


def test_e_i_tables_never_let_a_small_group_be_worked_out_from_the_whole():
    """A group below the cut-off was dropped from the E-I table while the whole network's row
    stayed: the whole minus the groups shown gave its members and ties back."""
    import networkx as nx

    G = nx.path_graph(31)
    people = pd.DataFrame({"person_id": list(G), "is_alum": [v < 3 for v in G],
                           "sector": ["a"] * 20 + ["b"] * 10 + ["c"]})
    ties = pd.DataFrame({"source": [u for u, _ in G.edges], "target": [v for _, v in G.edges],
                         "kind": "tie", "weight": 1.0, "since": pd.NaT})
    result = analyze_dataset(Dataset(people, ties), None, min_count=10)
    rows = {r["group"]: r["n_members"] for r in result.summary["ei_index"]["sector"]}
    # c (1 person) pools with b (10): neither is shown, and the whole less a is 11 people.
    assert rows == {"a": 20, "(all)": 31}
