"""``alumni-net report DIR``: writes DIR/report.html, with maps when --data is given."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

from alumni_net.cli import main  # noqa: E402


def test_report_from_an_empty_folder_and_with_data(two_cohorts, pseudonym_key, tmp_path, capsys):
    results = tmp_path / "results"
    results.mkdir()
    assert main(["report", str(results), "--no-maps"]) == 0
    assert capsys.readouterr().out.strip() == str(results / "report.html")
    bare = (results / "report.html").read_text(encoding="utf-8")
    assert "No dataset was given" in bare
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
