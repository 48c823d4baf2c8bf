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
from alumni_net.report import write_report  # noqa: E402

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


def test_an_empty_folder_without_data_is_refused(tmp_path):
    # Issue 19: a report of nothing is a page of placeholders; say there is nothing to report.
    with pytest.raises(AlumniNetError, match="holds no results of alumni-net analyze"):
        write_report(tmp_path)
    assert not (tmp_path / "report.html").exists()


def test_analyze_results_only(tmp_path):
    _analyze_files(tmp_path)
    text = write_report(tmp_path).read_text(encoding="utf-8")
    _self_contained(text)
    # Only what was run: no simulation section, no placeholder, no list of files not found.
    assert "not found" not in text and "simulate" not in text.split("Method notes")[0]
    assert "A programme study: 19 alumni." in text  # from summary.json (no data given)
    # reach_by_cohort: a cohort of 9 alumni is suppressed, one of 10 is shown.
    assert "<td>&lt;10</td>" in text and "<td>10</td>" in text
    assert len(IMG.findall(text)) == 4  # reach, cumulative reach, degree, betweenness
    assert "19 alumni x 10" not in text  # the claim's arithmetic only beside a simulation
    # Overlap: individual reaches within 3 degrees sum to 15 + 18 = 33 against a union of 27.
    assert (
        "<td>3</td>\n      <td>12</td>\n      <td>27</td>\n      <td>33</td>\n      <td>1.22</td>"
        in text
    )
    assert "<h2>Connectors</h2>" in text and "<td>p_0123456789abcdef</td>" in text
    assert "<td>health</td>\n      <td>&lt;10</td>" in text
    assert "<td>voluntary</td>\n      <td>12</td>" in text


def test_analyze_results_without_alumni_show_no_reach(tmp_path):
    _analyze_files(tmp_path)
    summary = json.loads((tmp_path / "summary.json").read_text())
    summary.pop("alumni")
    summary["dataset"] = {"people": 40, "alumni": 0}
    (tmp_path / "summary.json").write_text(json.dumps(summary), encoding="utf-8")
    text = write_report(tmp_path).read_text(encoding="utf-8")
    assert "A study of 40 people without a programme" in text
    assert "Reach within" not in text and "alum (union)" not in text
    assert len(IMG.findall(text)) == 2  # degree, betweenness


def test_full_results_with_dataset(two_cohorts, pseudonym_key, tmp_path):
    results = tmp_path / "results"
    _analyze_files(results)
    _simulate_files(results)
    ds = load_dataset(two_cohorts, pseudonymise_ids=True)
    text = write_report(results, dataset=ds, title="Board paper").read_text(encoding="utf-8")
    _self_contained(text)
    assert "<title>Board paper</title>" in text
    assert "What this report could not use" not in text  # every file of both stages found
    # The claim's arithmetic from the 3 alumni in the data: 30 and 3 x 39 = 117.
    assert "3 alumni x 10 people each</td>\n      <td>30<" in text and "<td>117</td>" in text
    assert "A programme study: 6 people, 3 of them alumni in 2 cohorts." in text
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
    # A simulation whose other files are missing is said to be incomplete.
    assert "<code>timeseries.csv</code> not found (written by <code>alumni-net simulate" in text


def test_report_needs_a_folder(tmp_path):
    with pytest.raises(AlumniNetError, match="is not a folder"):
        write_report(tmp_path / "absent")


def test_directed_real_data_without_alumni(tmp_path):
    from tests.helpers import real_dataset_dir

    text = write_report(
        tmp_path, dataset=real_dataset_dir("medical_innovation"), maps=False
    ).read_text(encoding="utf-8")
    assert "A study of 125 people without a programme" in text
    assert "<h2>The multiplier" not in text and "Reach within" not in text
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
    from alumni_net.report._study import Context, Study

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
    ctx = Context(None, None, inputs, Study((), None, None, None), 10)
    blocks = connectors_section(ctx)
    assert blocks[0] == Heading("Connectors") and isinstance(blocks[2], Table)
    assert Heading("Ties inside and across sector groups (E-I index)", 3) in blocks
    inputs.tables["multiplier.csv"] = pd.read_csv(tmp_path / "multiplier.csv")
    figures = key_numbers(ctx)[1]
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


def _calibration_files(folder, *, chosen="simple"):
    folder.mkdir(exist_ok=True)
    pd.DataFrame({
        "model": ["simple", "simple"], "parameter": ["beta", "alpha"],
        "value": [0.0323, 0.0791], "lo": [0.00017, 0.00608], "hi": [0.69, 0.176],
        "prior": ["log-uniform on [0.0001, 1]", "log-uniform on [1e-05, 0.2]"],
        "identified": ["no", "yes"],
    }).to_csv(folder / "fitted.csv", index=False)
    if chosen:
        (folder / "calibrated.toml").write_text(
            f'[source]\ncalibrated_on = "the physicians"\ndate = "2026-01-02"\nmodel = "{chosen}"\n'
            '[model]\nbeta = 0.0323\n', encoding="utf-8")


def test_calibration_section_shows_what_calibrate_wrote(tmp_path):
    # Issue 19: the report had no section for the fitted parameters.
    _calibration_files(tmp_path)
    text = write_report(tmp_path).read_text(encoding="utf-8")
    assert "<h2>Calibration: what the observed adoption says about spread</h2>" in text
    assert "Chosen: simple contagion, written to calibrated.toml (fitted on the physicians on " \
           "2026-01-02)" in text
    assert "<td>0.0323 (0.00017 to 0.69)</td>" in text and "<td>no</td>" in text
    assert "not identified by the data has a posterior interval" in text
    # Optional outputs that this run did not write are simply absent.
    assert "Models compared" not in text and "held-out" not in text
    assert "<td>calibrated model</td><td>simple contagion</td>" in text


def test_calibration_model_comparison_holdout_and_band_when_present(tmp_path):
    # The outputs issue 17 adds, with the column names it gives (spaces, percentiles).
    _calibration_files(tmp_path)
    pd.DataFrame({"model": ["no_contagion", "simple", "complex"],
                  "posterior probability": [0.2, 0.7, 0.1],
                  "predictive coverage": [0.95, 0.9, 0.5]}).to_csv(
        tmp_path / "model_comparison.csv", index=False)
    pd.DataFrame({"group": ["village 3", "village 7", "village 9"],
                  "observed final share": [0.5, 0.8, 0.3], "median": [0.55, 0.6, 0.32],
                  "5th percentile": [0.4, 0.45, 0.2], "95th percentile": [0.7, 0.75, 0.45],
                  "inside": [True, False, True]}).to_csv(tmp_path / "holdout_check.csv",
                                                        index=False)
    pd.DataFrame({"period": [1, 2], "observed": [11, 20], "median": [12.0, 19.4],
                  "lo": [10.0, 15.2], "hi": [15.0, 24.0]}).to_csv(
        tmp_path / "predictive_check.csv", index=False)
    text = write_report(tmp_path).read_text(encoding="utf-8")
    assert ("Posterior probability that adoption spread by contagion rather than through a "
            "common trend alone: P = 0.80") in text  # simple 0.7 + complex 0.1
    assert "<td>posterior probability of contagion</td><td>0.80</td>" in text
    assert "<h3>Models compared</h3>" in text and "<td>95%</td>" in text
    assert "predicted 2 of 3 held-out groups&#39; final adoption inside its 90% interval" in text
    assert "<td>village 7</td>" in text and "<td>60% (45% to 75%)</td>" in text
    assert "<td>19 (15 to 24)</td>" in text  # the band table: counts whole
    assert "No model fits" not in text


def test_calibration_where_no_model_fits_says_so(tmp_path):
    _calibration_files(tmp_path, chosen=None)  # calibrate wrote no config
    text = write_report(tmp_path).read_text(encoding="utf-8")
    assert "No model fits: none reproduces the observed adoption well enough" in text
    assert "<td>calibrated model</td><td>none fits the observed adoption</td>" in text
    assert "Chosen:" not in text
    # The calibration's own statement is used as written when it gives one.
    (tmp_path / "calibration.json").write_text(json.dumps(
        {"contagion": "the data cannot tell contagion from a common trend (P(contagion) = 0.41)",
         "no_model_fits": True}), encoding="utf-8")
    text = write_report(tmp_path).read_text(encoding="utf-8")
    assert "The data cannot tell contagion from a common trend (P(contagion) = 0.41)" in text


def test_scenario_caveats_are_said(tmp_path):
    rows = [{"scenario": s, "measure": m, "median": v, "lo": v, "hi": v, "difference_median": 0,
             "difference_lo": 0, "difference_hi": 0, "n_replicates": 2, "description": ""}
            for s, m, v in (("random", "practising_end", 100), ("reach", "practising_end", 90),
                            ("reach", "recruits_adding_nothing", 450),
                            ("random", "alumni_in_training_at_end", 26),
                            ("random", "recruits_adding_nothing", 0))]
    pd.DataFrame(rows).to_csv(tmp_path / "scenarios.csv", index=False)
    html = write_report(tmp_path, maps=False).read_text()
    assert "&#39;reach&#39;: 450 recruits add nothing beyond themselves" in html
    assert "&#39;random&#39;: 26 recruits are still in training" in html
    assert "&#39;random&#39;: 0 recruits" not in html
