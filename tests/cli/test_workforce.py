"""``alumni-net workforce`` and the commands that run over a workforce folder."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from tests.helpers import ROOT

from alumni_net.cli import main

EXAMPLE = ROOT / "data" / "survey_example"
TINY = ["--particles", "20", "--generations", "2", "--fit-size", "1000"]


@pytest.fixture(scope="module")
def survey(tmp_path_factory):
    base = tmp_path_factory.mktemp("cli_workforce")
    assert main(["survey", "import", str(EXAMPLE / "responses.csv"), "--roster",
                 str(EXAMPLE / "roster.csv"), "--out", str(base / "survey"),
                 "--population", str(EXAMPLE / "population.csv")]) == 0
    pop = pd.read_csv(EXAMPLE / "population.csv")
    pop["count"] = np.maximum(1, (pop["count"] / 10).round()).astype(int)
    pop.to_csv(base / "population.csv", index=False)
    write_population_workbook(pop, base / "population.xlsx")
    return base


def write_population_workbook(pop: pd.DataFrame, path):
    """The population as evaluators hold it: an Excel sheet, headers capitalised, counts typed
    the UK way ("1,000") as text."""
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Population"
    sheet.append(["Region", "Sector", "Role", "Count"])
    for row in pop[["region", "sector", "role", "count"]].itertuples(index=False):
        sheet.append([row.region, row.sector, row.role,
                      row.count if isinstance(row.count, str) else f"{row.count:,}"])
    book.save(path)


def test_survey_to_workforce_to_multiplier(survey, tmp_path, capsys):
    out = tmp_path / "workforce"
    # Parquet tables (as at national size), so that simulate and analyze below run on them
    assert main(["workforce", str(survey / "survey"), "--population",
                 str(survey / "population.xlsx"), "--networks", "2", "--out", str(out),
                 "--tables", "parquet", "--workers", "1", *TINY]) == 0
    captured = capsys.readouterr()
    printed = captured.out.splitlines()
    assert printed[0] == "2 networks estimated from a survey of 30 of 78 alumni."
    assert printed[1].startswith("  colleague_k: ")
    assert "2 networks (parquet tables) under each of" in captured.err
    assert {p.name for p in (out / "networks" / "best_connected" / "01").iterdir()} == {
        "people.parquet", "ties.parquet", "dataset.toml"}
    assert main(["simulate", str(out), "--replicates", "2", "--horizon", "24", "--workers",
                 "1", "--out", str(tmp_path / "sim")]) == 0
    text = capsys.readouterr().out
    assert "Network: on 2 networks estimated from a survey of 30 of 78 alumni" in text
    # Stopped before network 2's replicate under missing_at_random finished: --resume runs it
    # alone and writes the same tables.
    sim = tmp_path / "sim"
    written = (sim / "multiplier.csv").read_bytes()
    (sim / "networks" / "missing_at_random" / "02" / "replicates" /
     "rep-000000.summary.parquet").unlink()
    (sim / "multiplier.csv").unlink()
    assert main(["simulate", str(out), "--replicates", "2", "--horizon", "24", "--workers",
                 "1", "--resume", "--out", str(sim)]) == 0
    assert (sim / "multiplier.csv").read_bytes() == written
    capsys.readouterr()
    for option in (["--from-observed"], ["--transmission", "2"]):
        assert main(["simulate", str(out), *option, "--out", str(tmp_path / "s2")]) == 2
        assert "do not run over a workforce folder's networks yet" in capsys.readouterr().err
        assert not (tmp_path / "s2").exists()
    assert main(["simulate", str(out), "--dask", "http://nowhere", "--out",
                 str(tmp_path / "s2")]) == 2
    assert "is not a Dask scheduler address" in capsys.readouterr().err
    assert not (tmp_path / "s2").exists()
    assert main(["analyze", str(out), "--samples", "20", "--out", str(tmp_path / "an")]) == 0
    assert capsys.readouterr().out.startswith(
        "on 2 networks estimated from a survey of 30 of 78 alumni: alumni reach within 3 "
        "degrees, missing_at_random: ")


def test_a_population_that_does_not_match_exits_2_and_writes_nothing(survey, tmp_path, capsys):
    pop = pd.read_csv(survey / "population.csv")
    pop.loc[0, "region"] = "atlantis"
    bad = tmp_path / "pop.csv"
    pop.to_csv(bad, index=False)
    out = tmp_path / "workforce"
    assert main(["workforce", str(survey / "survey"), "--population", str(bad), "--out",
                 str(out), *TINY]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err[0] == ("pop.csv, row 2, column 'region': 'atlantis' is not a region the survey "
                      "offered (east_of_england, london, midlands, north_east_and_yorkshire, "
                      "north_west, south_east, south_west): rename it or template the survey "
                      "from this file")
    assert not out.exists()


def test_a_workbook_count_that_is_not_whole_exits_2_and_writes_nothing(survey, tmp_path,
                                                                       capsys):
    pop = pd.read_csv(survey / "population.csv").astype({"count": object})
    pop.loc[0, "count"] = "1,000"  # read as 1000
    pop.loc[2, "count"] = "about 40"
    bad = tmp_path / "pop.xlsx"
    write_population_workbook(pop, bad)
    out = tmp_path / "workforce"
    assert main(["workforce", str(survey / "survey"), "--population", str(bad), "--out",
                 str(out), *TINY]) == 2
    assert capsys.readouterr().err.splitlines()[0] == (
        "pop.xlsx, sheet 'Population', row 4, column 'count': must be a whole number >= 0, got "
        "'about 40'")
    assert not out.exists()


def test_bad_settings_are_one_line(survey, tmp_path, capsys):
    assert main(["workforce", str(survey / "survey"), "--population",
                 str(survey / "population.csv"), "--out", str(tmp_path / "w"),
                 "--networks", "0"]) == 2
    assert capsys.readouterr().err.count("\n") == 1
