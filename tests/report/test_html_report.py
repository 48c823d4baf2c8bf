"""The HTML report: self-contained, honest about what is missing, small counts suppressed."""

from __future__ import annotations

import json
import re

import matplotlib

matplotlib.use("Agg")

import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from tests.helpers import PERSONAL_VALUES  # noqa: E402

from alumni_net.errors import AlumniNetError  # noqa: E402
from alumni_net.io import load_dataset  # noqa: E402
from alumni_net.report import EXPECTED_FILES, write_report  # noqa: E402

IMG = re.compile(r'<img src="data:image/(png|svg\+xml|gif);base64,[A-Za-z0-9+/=]+"')


def _analyze_files(folder, n_alumni=(9, 10)):
    folder.mkdir(exist_ok=True)
    pd.DataFrame(
        {
            "person_id": ["a", "b"],
            "reach_1": [3, 4],
            "reach_2": [5, 6],
            "reach_3": [7, 8],
            "reach_within_3": [15, 18],
        }
    ).to_csv(folder / "reach.csv", index=False)
    pd.DataFrame(
        {
            "cohort": [1, 2],
            "n_alumni": list(n_alumni),
            "alumni_to_date": [n_alumni[0], sum(n_alumni)],
            "reach_within_1": [30, 50],
            "reach_within_2": [80, 120],
            "reach_within_3": [150, 200],
        }
    ).to_csv(folder / "reach_by_cohort.csv", index=False)
    pd.DataFrame(
        {"person_id": ["a", "b", "c"], "degree": [1, 2, 3], "betweenness": [0.0, 0.5, 0.25]}
    ).to_csv(folder / "centrality.csv", index=False)
    summary = {
        "alumni": 19,
        "union_reach": {
            "sources": 19,
            "reach_1": 6,
            "reach_2": 9,
            "reach_3": 12,
            "reach_within_3": 27,
        },
        "connectors": [{"person_id": "p_0123456789abcdef", "connector_rank": 1, "score": 0.9}],
        "ei_index": {
            "sector": [
                {"group": "health", "n_members": 9, "ei_index": -0.5},
                {"group": "voluntary", "n_members": 12, "ei_index": 0.25},
            ]
        },
    }
    (folder / "summary.json").write_text(json.dumps(summary), encoding="utf-8")


def _simulate_files(folder):
    pd.DataFrame(
        {
            "measure": [
                "alumni",
                "naive_ten_per_alum",
                "naive_branching",
                "adopters",
                "attributable_adopters",
            ],
            "median": [19.0, 190.0, 741.0, 120.0, 80.0],
            "lo": [19.0, 190.0, 741.0, 100.0, 60.0],
            "hi": [19.0, 190.0, 741.0, 140.0, 95.0],
            "n_replicates": 20,
            "description": ["alumni", "claim x10", "claim branching", "adopters", "attributable"],
        }
    ).to_csv(folder / "multiplier.csv", index=False)
    rows = [
        {
            "month": m,
            "arm": arm,
            "measure": "practising",
            "median": m * k,
            "lo": m * k - 1,
            "hi": m * k + 1,
            "n_replicates": 20,
        }
        for m in range(4)
        for arm, k in (("programme", 2), ("no_programme", 1))
    ]
    pd.DataFrame(rows).to_csv(folder / "timeseries.csv", index=False)
    pd.DataFrame(
        {
            "degree": ["1", "1", "2"],
            "measure": ["adopters_per_alum", "naive_branching_per_alum", "adopters_per_alum"],
            "median": [2.0, 3.0, 1.0],
            "lo": [1.0, 3.0, 0.5],
            "hi": [3.0, 3.0, 1.5],
            "n_replicates": 20,
        }
    ).to_csv(folder / "by_degree.csv", index=False)
    pd.DataFrame(
        {
            "month": [3, 3, 3, 3],
            "arm": ["programme", "no_programme"] * 2,
            "group_type": "sector",
            "group": ["health", "health", "voluntary", "voluntary"],
            "measure": "practising",
            "median": [6.0, 2.0, 4.0, 1.0],
            "lo": [5.0, 1.0, 3.0, 0.0],
            "hi": [7.0, 3.0, 5.0, 2.0],
            "n_replicates": 20,
        }
    ).to_csv(folder / "by_group.csv", index=False)
    (folder / "simulate.json").write_text(
        json.dumps({"seed": 7, "replicates": 20}), encoding="utf-8"
    )


def _self_contained(text: str) -> None:
    assert text.startswith("<!DOCTYPE html>")
    assert not re.search(r'(src|href)="(https?:)?//', text)
    assert "<script" not in text and "<link" not in text and "@import" not in text


def test_empty_folder_report_lists_everything_missing(tmp_path):
    path = write_report(tmp_path)
    text = path.read_text(encoding="utf-8")
    _self_contained(text)
    for name in EXPECTED_FILES:
        assert f"<code>{name}</code> not found" in text
    assert "No dataset was given" in text and not IMG.search(text)


def test_analyze_results_only(tmp_path):
    _analyze_files(tmp_path)
    text = write_report(tmp_path).read_text(encoding="utf-8")
    _self_contained(text)
    for name in ("reach.csv", "reach_by_cohort.csv", "centrality.csv", "summary.json"):
        assert f"<code>{name}</code> not found" not in text
    for name in ("multiplier.csv", "timeseries.csv", "by_degree.csv"):
        assert f"<code>{name}</code> not found" in text
    # Claim arithmetic from the 19 alumni in summary.json: 190 and 19 x 39 = 741.
    assert "19 alumni x 10 people each</td>\n      <td>190<" in text
    assert "<td>741</td>" in text
    # reach_by_cohort: a cohort of 9 alumni is suppressed, one of 10 is shown.
    assert "<td>&lt;10</td>" in text and "<td>10</td>" in text
    assert len(IMG.findall(text)) == 4  # reach, cumulative reach, degree, betweenness
    # Overlap: individual reaches within 3 degrees sum to 15 + 18 = 33 against a union of 27.
    assert (
        "<td>3</td>\n      <td>12</td>\n      <td>27</td>\n      <td>33</td>\n      <td>1.22</td>"
        in text
    )
    assert "<h2>Connectors</h2>" in text and "<td>p_0123456789abcdef</td>" in text
    assert "<td>health</td>\n      <td>&lt;10</td>" in text
    assert "<td>voluntary</td>\n      <td>12</td>" in text


def test_full_results_with_dataset(two_cohorts, pseudonym_key, tmp_path):
    results = tmp_path / "results"
    _analyze_files(results)
    _simulate_files(results)
    ds = load_dataset(two_cohorts, pseudonymise_ids=True)
    text = write_report(results, dataset=ds, title="Board paper").read_text(encoding="utf-8")
    _self_contained(text)
    assert "<title>Board paper</title>" in text
    assert "Every expected result was found." in text
    assert "simulated attributable adopters (median, 90% interval)" in text
    assert "80 (60 to 95)" in text
    assert "&#34;replicates&#34;: 20" in text  # simulate.json in the provenance
    # The fake centrality.csv's ids are not the dataset's pseudonyms: sized by degree, and said.
    assert "sized by degree instead of betweenness" in text
    # maps (network, 2 aggregated, ego, growth) + multiplier + reach x2 + 2 centrality + spread x1
    # + practising by sector + by-degree = 13 embedded images.
    assert len(IMG.findall(text)) == 13
    lowered = text.lower()
    assert not any(v.lower() in lowered for v in PERSONAL_VALUES)
    words = IMG.sub("", text)
    assert not re.search(r"\b(a1|a2|b1|p1|p2|p3)\b", words)  # raw ids never appear


def test_images_in_the_folder_are_embedded_and_bad_tables_noted(tmp_path):
    (tmp_path / "map.png").write_bytes(b"\x89PNG\r\n\x1a\nfake")
    pd.DataFrame({"measure": ["adopters"], "value": [3]}).to_csv(
        tmp_path / "multiplier.csv", index=False
    )
    text = write_report(tmp_path).read_text(encoding="utf-8")
    assert len(IMG.findall(text)) == 1 and "map.png" in text
    assert (
        "Could not draw &#39;multiplier&#39;: the multiplier table lacks column(s) median" in text
    )


def test_report_needs_a_folder(tmp_path):
    with pytest.raises(AlumniNetError, match="is not a folder"):
        write_report(tmp_path / "absent")


def test_directed_real_data_without_alumni(tmp_path):
    from tests.helpers import real_dataset_dir

    text = write_report(
        tmp_path, dataset=real_dataset_dir("medical_innovation"), maps=False
    ).read_text(encoding="utf-8")
    assert "No one in the data is marked as an alum" in text
    assert "directed ties" in text and "Only degree was computed" in text


def test_count_columns_are_suppressed_and_labels_are_not():
    from alumni_net.report._data import count_table, interval_table

    df = pd.DataFrame(
        {
            "cohort": [1, 2],
            "n_alumni": [9.0, 26.0],
            "reach_within_1": [1124939, 5],
            "share": [0.25, 0.5],
        }
    )
    out = count_table(df, 10)
    assert out["cohort"].tolist() == [1, 2]
    assert out["n_alumni"].tolist() == ["<10", "26"]
    assert out["reach_within_1"].tolist() == ["1,124,939", "<10"]  # separators, as in Markdown
    assert out["share"].tolist() == [0.25, 0.5]
    bd = pd.DataFrame(
        {
            "degree": ["1", "1", "2"],
            "measure": ["a", "b", "a"],
            "median": [2.0, 3.0, 1241.0],
            "lo": [1.0, 3.0, 1149.1],
            "hi": [3.5, 3.0, 1277.65],
        }
    )
    wide = interval_table(bd, "degree")
    assert wide.to_dict("records") == [
        {"degree": "1", "a": "2 (1 to 4)", "b": "3 (3 to 3)"},
        {"degree": "2", "a": "1,241 (1,149 to 1,278)", "b": ""},
    ]


def test_sections_are_data_and_every_value_is_escaped_by_the_templates(tmp_path):
    from alumni_net.report._blocks import Heading, KeyFigures, Table
    from alumni_net.report._data import Inputs
    from alumni_net.report._sections import connectors_section, key_numbers

    hostile = "<script>alert(1)</script>"
    summary = {
        "connectors": [{"person_id": '"><img src=x onerror=alert(1)>', "connector_rank": 1}],
        "ei_index": {"sector": [{"group": hostile, "n_members": 12, "ei_index": -0.5}]},
    }
    (tmp_path / "summary.json").write_text(json.dumps(summary), encoding="utf-8")
    pd.DataFrame(
        {"measure": ["adopters", "attributable_per_alum"], "median": [151.5, 1.8],
         "lo": [93.35, 1.1667], "hi": [193.0, 2.34], "n_replicates": 20,
         "description": [hostile, "[x](javascript:alert(1))"]}
    ).to_csv(tmp_path / "multiplier.csv", index=False)
    # Sections return blocks (data), not HTML.
    inputs = Inputs(tmp_path, json={"summary.json": summary})
    blocks = connectors_section(inputs, 10)
    assert blocks[0] == Heading("Connectors") and isinstance(blocks[2], Table)
    assert Heading("Ties inside and across sector groups (E-I index)", 3) in blocks
    inputs.tables["multiplier.csv"] = pd.read_csv(tmp_path / "multiplier.csv")
    figures = key_numbers(None, None, inputs, 10)[1]
    assert isinstance(figures, KeyFigures)
    # One interval rule: a count whole (no "93.35"), a rate to three figures.
    assert dict(figures.rows) == {
        "simulated adopters (median, 90% interval)": "152 (93 to 193)",
        "simulated attributable per alum (median, 90% interval)": "1.8 (1.17 to 2.34)",
    }
    text = write_report(tmp_path, title="<b>Board</b>").read_text(encoding="utf-8")
    _self_contained(text)  # no <script> anywhere
    assert "<title>&lt;b&gt;Board&lt;/b&gt;</title>" in text and "<h1>&lt;b&gt;Board" in text
    assert "<img src=x" not in text and "&lt;img src=x onerror=alert(1)&gt;" in text
    assert "<td>&lt;script&gt;alert(1)&lt;/script&gt;</td>" in text
    assert "<td>93 to 193</td>" in text and "<td>1.17 to 2.34</td>" in text


def test_scenario_section_shows_the_headline_and_paired_differences(tmp_path):
    rows = []
    for scenario, shift in (("random", 0), ("bridging", 40)):
        for measure, value in (("alumni", 260), ("naive_branching", 10140),
                               ("practising_end", 1500 + shift), ("attributable_adopters", 900)):
            rows.append({"scenario": scenario, "measure": measure, "median": value,
                         "lo": value - 30, "hi": value + 30, "difference_median": shift * (
                             measure == "practising_end"), "difference_lo": 0,
                         "difference_hi": 2 * shift, "n_replicates": 20, "description": ""})
    pd.DataFrame(rows).to_csv(tmp_path / "scenarios.csv", index=False)
    html = write_report(tmp_path, maps=False).read_text()
    assert "<h2>Scenarios</h2>" in html and "replicate by replicate" in html
    section = html[html.index("<h2>Scenarios</h2>"):]
    assert "practising_end" in section and "naive_branching" not in section
