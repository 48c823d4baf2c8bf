"""``alumni-net diffusion``: tables, figures, summary from observed adoption; exit 2 without."""

from __future__ import annotations

import pandas as pd
import pytest
from tests.helpers import real_dataset_dir, write_dataset_files

from alumni_net.cli import main

ARGS = ["--time-column", "toa", "--not-adopted", "18", "--replicates", "40", "--seed", "3"]


@pytest.fixture(scope="module")
def physicians_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("diffusion") / "out"
    mp = pytest.MonkeyPatch()
    mp.setenv("ALUMNI_NET_KEY", "test-key-0123456789abcdef")
    try:
        code = main(["diffusion", str(real_dataset_dir("medical_innovation")), "--out", str(out),
                     "--by", "city", *ARGS])
    finally:
        mp.undo()
    return code, out


def test_writes_every_table_and_figure(physicians_run):
    code, out = physicians_run
    assert code == 0
    assert sorted(p.name for p in out.iterdir()) == sorted([
        "adoption_curve.csv", "adoption_curve_by_city.csv", "exposure.csv", "thresholds.csv",
        "threshold_summary.csv", "moran.csv", "structure_test.csv", "degree_adoption.csv",
        "exposure_regression.csv", "summary.md", "adoption_curve.png",
        "adoption_curve_by_city.png", "exposure.png", "thresholds.png", "hazard.png"])
    assert all((out / f).read_bytes()[:4] == b"\x89PNG" for f in ("hazard.png", "exposure.png"))


def test_counts_below_ten_are_withheld_and_shares_with_them(physicians_run):
    _, out = physicians_run
    curve = pd.read_csv(out / "adoption_curve.csv")
    # Dataset README histogram: months 1-7 have 11, 9, 9, 11, 11, 11, 13 adopters.
    assert curve["adopters"].iloc[:7].tolist()[0] == 11
    assert curve["adopters"].iloc[1:3].isna().all()
    assert curve["cumulative"].tolist()[-1] == 109
    assert curve["hazard"].iloc[1:3].isna().all()  # would give the withheld count back
    by_city = pd.read_csv(out / "adoption_curve_by_city.csv")
    early = by_city[(by_city["city"] == 1) & (by_city["period"] == 1)].iloc[0]
    assert pd.isna(early["cumulative"]) and pd.isna(early["share"])  # 5 early adopters in Peoria


def test_ids_are_pseudonymised(physicians_run):
    _, out = physicians_run
    ids = pd.read_csv(out / "thresholds.csv")["person_id"].astype(str)
    assert len(ids) == 125 and ids.str.startswith("p_").all()
    assert not ids.isin([str(i) for i in (1001, 1002, 2001, 4018)]).any()
    exposure = pd.read_csv(out / "exposure.csv")
    assert len(exposure) == 125 * 17 and set(exposure["person_id"]) == set(ids)


def test_summary_says_what_was_found_and_the_caveat(physicians_run):
    _, out = physicians_run
    text = (out / "summary.md").read_text()
    assert "People: 125; adopters: 109" in text
    assert "18 read as not adopted" in text
    assert "Van den Bulte & Lilien (2001)" in text
    test = pd.read_csv(out / "structure_test.csv").iloc[0]
    assert test["replicates"] == 40 and test["null"] == "permute"
    # Mean threshold (first-month adopters left out) under the censored reading, as in test_ckm.
    assert round(test["observed"], 4) == round(
        pd.read_csv(out / "thresholds.csv")["threshold"].mean(), 4)


def test_same_seed_same_structure_test(physicians_run, tmp_path, pseudonym_key):
    _, out = physicians_run
    again = tmp_path / "again"
    assert main(["diffusion", str(real_dataset_dir("medical_innovation")), "--out", str(again),
                 *ARGS]) == 0
    assert (again / "structure_test.csv").read_text() != (out / "structure_test.csv").read_text()
    assert main(["diffusion", str(real_dataset_dir("medical_innovation")), "--out",
                 str(tmp_path / "same"), "--by", "city", *ARGS]) == 0
    assert (tmp_path / "same" / "structure_test.csv").read_text() == \
        (out / "structure_test.csv").read_text()


def test_a_group_column_keeps_each_groups_times_in_the_null_and_says_so(physicians_run):
    _, out = physicians_run
    assert pd.read_csv(out / "structure_test.csv")["within"].iloc[0] == "city"
    text = (out / "summary.md").read_text()
    assert "null: adoption times shuffled among people with the same city" in text
    groups = pd.read_csv(out / "threshold_summary.csv")
    assert groups["group"].astype(str).tolist() == ["all", "1", "2", "3", "4"]
    assert (groups["lo"] <= groups["mean_threshold"]).all()
    exposure = pd.read_csv(out / "exposure.csv")
    assert sorted(exposure["city"].unique()) == [1, 2, 3, 4]


def test_degree_and_lagged_exposure_are_written(physicians_run):
    _, out = physicians_run
    degree = pd.read_csv(out / "degree_adoption.csv").set_index("degree")
    assert degree.index.tolist() == ["indegree", "outdegree"]
    assert (degree["lo"] <= degree["correlation"]).all()
    assert (degree["correlation"] <= degree["hi"]).all()
    assert degree.loc["indegree", "adopters"] == 109
    regression = pd.read_csv(out / "exposure_regression.csv").set_index("term")
    assert {"cohesion_exposure", "structural_equivalence_exposure"} <= set(regression.index)
    assert regression["converged"].all()
    text = (out / "summary.md").read_text()
    assert "degree_adoption_diagnostic" in text and "Lagged exposure regression" in text


def test_across_everyone_and_a_declared_schedule(tmp_path, pseudonym_key):
    source = real_dataset_dir("medical_innovation")
    across = tmp_path / "across"
    assert main(["diffusion", str(source), "--out", str(across), "--by", "city", "--across",
                 *ARGS]) == 0
    assert pd.read_csv(across / "structure_test.csv")["within"].iloc[0] == "everyone"
    assert "shuffled times across groups although" in (across / "summary.md").read_text()
    scheduled = tmp_path / "scheduled"
    assert main(["diffusion", str(source), "--out", str(scheduled), "--schedule", "city",
                 "--time-unit", "month", *ARGS]) == 0
    text = (scheduled / "summary.md").read_text()
    assert "Declared schedule: city; the null kept it" in text
    assert "periods are months (declared)" in text


def test_without_adoption_times_exit_two_and_nothing_written(two_cohorts, tmp_path, capsys,
                                                              pseudonym_key):
    out = tmp_path / "out"
    assert main(["diffusion", str(two_cohorts), "--out", str(out)]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err[0] == ("people, column 'adoption_time': there is no 'adoption_time' column, so "
                      "there are no observed adoption times to measure diffusion on (add one: a "
                      "number or date per person, empty = not adopted)")
    assert "Traceback" not in "\n".join(err)
    assert not out.exists()


def test_everyone_at_time_zero_exit_two(tmp_path, capsys, pseudonym_key):
    folder = write_dataset_files(tmp_path / "flat", "person_id,adoption_time\n1,0\n2,0\n3,0\n",
                                 "source,target\n1,2\n2,3\n")
    out = tmp_path / "out"
    assert main(["diffusion", str(folder), "--out", str(out)]) == 2
    assert capsys.readouterr().err.splitlines()[0] == (
        "people, column 'adoption_time': every person adopted at the same time (0), so there is "
        "no diffusion over time to measure")
    assert not out.exists()


def test_summary_escapes_names_from_the_data(tmp_path, pseudonym_key):
    folder = write_dataset_files(
        tmp_path / "d", "person_id,when\n1,1\n2,2\n3,2\n4,3\n",
        "source,target\n2,1\n3,1\n4,2\n", 'name = "<script>x</script> [a](b)"\n')
    out = tmp_path / "out"
    assert main(["diffusion", str(folder), "--out", str(out), "--time-column", "when",
                 "--replicates", "10"]) == 0
    text = (out / "summary.md").read_text()
    assert "<script>" not in text and "&lt;script>" in text and "\\[a\\](b)" in text


def test_unknown_group_column_is_one_sentence(tmp_path, capsys, pseudonym_key):
    folder = write_dataset_files(tmp_path / "d", "person_id,adoption_time\n1,1\n2,2\n3,3\n",
                                 "source,target\n2,1\n3,2\n")
    out = tmp_path / "out"
    assert main(["diffusion", str(folder), "--out", str(out), "--by", "region",
                 "--replicates", "5"]) == 2
    assert capsys.readouterr().err.strip() == (
        "alumni-net diffusion: cannot group adoption curves by 'region': the people table has no "
        "such column")
    assert not out.exists()
