"""``alumni-net report DIR``: writes DIR/report.html, with maps when --data is given."""

from __future__ import annotations

import re

import matplotlib

matplotlib.use("Agg")

from alumni_net.cli import main  # noqa: E402


def test_report_from_an_empty_folder_and_with_data(two_cohorts, pseudonym_key, tmp_path, capsys):
    results = tmp_path / "results"
    results.mkdir()
    # Nothing to report: one sentence, exit 2, nothing written.
    assert main(["report", str(results), "--no-maps"]) == 2
    err = capsys.readouterr().err
    assert "holds no results" in err and "--data" in err and "\n" not in err.strip()
    assert list(results.iterdir()) == []
    assert main(["report", str(results), "--data", str(two_cohorts), "--no-maps"]) == 0
    assert capsys.readouterr().out.strip() == str(results / "report.html")
    bare = (results / "report.html").read_text(encoding="utf-8")
    assert (
        main(
            [
                "report",
                str(results),
                "--data",
                str(two_cohorts),
                "--title",
                "Cohorts 1-2",
                "--min-count",
                "2",
            ]
        )
        == 0
    )
    text = (results / "report.html").read_text(encoding="utf-8")
    assert "<h1>Cohorts 1-2</h1>" in text and "Network maps" in text
    assert text.count("<img ") > bare.count("<img ")
    assert "Counts of people between 1 and 1 are shown as &lt;2" in text
    assert sorted(p.name for p in results.iterdir()) == ["report.html"]


def test_report_of_a_missing_folder_is_one_line(tmp_path, capsys):
    assert main(["report", str(tmp_path / "nowhere")]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("alumni-net report:") and "is not a folder" in err and "\n" not in err


def test_a_study_without_a_programme_gets_a_report_that_fits_it(pseudonym_key, tmp_path):
    # Issue 19 section 1: analyze, diffusion and calibrate on the physicians (no programme),
    # then report. It showed "No simulation results yet", "alumni 0", an empty "Reach of 0
    # alumni" chart, an overlap ratio "<10", "Could not draw 'cumulative reach'", and no
    # section for the fitted parameters or the structure test.
    from tests.helpers import real_dataset_dir

    data, out = real_dataset_dir("medical_innovation"), tmp_path / "out"
    time = ["--time-column", "toa", "--not-adopted", "18"]
    assert main(["analyze", str(data), "--out", str(out)]) == 0
    assert main(["diffusion", str(data), "--out", str(out), *time, "--by", "city",
                 "--replicates", "60"]) == 0
    assert main(["calibrate", str(data), "--out", str(out), *time, "--model", "simple",
                 "--particles", "20", "--generations", "2", "--workers", "1"]) == 0
    assert main(["report", str(out), "--data", str(data)]) == 0
    text = (out / "report.html").read_text(encoding="utf-8")
    for wrong in ("No simulation results", "<td>alumni</td>", "Reach of 0 alumni",
                  "overlap ratio", "Could not draw", "not found", "What this report could not",
                  "not alumni", "0 alumni"):
        assert wrong not in text, wrong
    assert "A study of 125 people without a programme" in text
    headings = re.findall(r"<h([23])>([^<]*)</h\1>", text)
    assert [h for level, h in headings if level == "2"] == [
        "Key numbers", "Observed diffusion",
        "Calibration: what the observed adoption says about spread", "Network maps",
        "Who is central", "Connectors", "Method notes", "Data provenance"]
    assert ("3", "Fitted parameters") in headings and ("3", "Predictive check") in headings
    assert re.search(r"Structure test \(mean threshold; null: adoption times shuffled among "
                     r"people, 60 null data sets\): observed 0\.\d{3}", text)
    assert "Chosen: simple contagion, written to calibrated.toml" in text
    # Diffusion's five figures and the predictive check, each once, in their sections; the
    # network map; three centrality distributions. Cities have no ties between them: said.
    assert text.count("<img ") == 5 + 1 + 1 + 3
    assert "no ties between city groups to map" in text
