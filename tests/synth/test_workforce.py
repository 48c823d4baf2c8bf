"""Population tables: the packaged UK workforce table, its sources, the loader's checks."""

from __future__ import annotations

import numpy as np
import pytest

from alumni_net.errors import ConfigError, ValidationError
from alumni_net.synth.workforce import load_population, population_sources, scale_counts

NATION = {"scotland": "Scotland", "wales": "Wales", "northern_ireland": "Northern Ireland"}


@pytest.fixture(scope="module")
def table():
    return load_population()


def test_packaged_table_has_the_published_totals(table):
    assert list(table.columns[:4]) == ["region", "sector", "role", "count"]
    assert int(table["count"].sum()) == 4_086_240
    nation = table["region"].map(NATION).fillna("England")
    totals = table.groupby([nation, table["sector"]])["count"].sum().to_dict()
    # the block totals of data/README.md
    assert totals[("England", "health")] == 1_690_010
    assert totals[("England", "social_care")] == 1_478_690
    assert totals[("Scotland", "health")] == 204_180
    assert totals[("Wales", "social_care")] == 53_880
    assert ("Northern Ireland", "local_government") not in totals
    # 1.59 million in English adult social care: 93% independent + 7% councils (source 7, 9)
    assert totals[("England", "social_care")] == pytest.approx(0.93 * 1_590_000, rel=1e-3)
    assert table["region"].nunique() == 10 and table["role"].nunique() == 8


def test_every_row_cites_listed_sources(table):
    keys = set(population_sources()["key"])
    cited = {k for cell in table["sources"] for k in cell.split(";")}
    assert cited <= keys
    assert population_sources()["url"].str.startswith("http").sum() == len(keys) - 1  # ONS: none


def test_scale_counts_is_exact_and_proportional():
    counts = np.array([1_690_010, 1_478_690, 144_420, 67_610])
    scaled = scale_counts(counts, 3_000_000)
    assert scaled.sum() == 3_000_000
    assert np.all(np.abs(scaled - counts * 3_000_000 / counts.sum()) < 1)
    assert scale_counts([1, 1, 1], 2).tolist() == [1, 1, 0]  # ties to the earlier entry


def test_every_problem_is_named_with_row_and_column(tmp_path):
    path = tmp_path / "pop.csv"
    path.write_text("region,sector,role,count\n"
                    "london,health,doctor,10\n"
                    "london,health,,5\n"
                    "london,health,nurse,-3\n"
                    "london,health,doctor,2\n"
                    "wales,health,nurse,1.5\n", encoding="utf-8")
    with pytest.raises(ValidationError) as err:
        load_population(path)
    lines = [str(p) for p in err.value.problems]
    assert lines == [
        "pop.csv, row 3, column 'role': is empty",
        "pop.csv, row 4, column 'count': must be a whole number >= 0, got '-3'",
        "pop.csv, row 5: repeats region, sector and role london, health, doctor (first on row 2)",
        "pop.csv, row 6, column 'count': must be a whole number >= 0, got '1.5'",
    ]


def test_missing_columns_and_files(tmp_path):
    path = tmp_path / "pop.csv"
    path.write_text("region,sector,headcount\nlondon,health,3\n", encoding="utf-8")
    with pytest.raises(ValidationError, match="column 'role': column is missing"):
        load_population(path)
    with pytest.raises(ConfigError, match="not found"):
        load_population(tmp_path / "nothing.csv")
    path.write_text("region,sector,role,Count,count\nlondon,health,nurse,3,4\n", encoding="utf-8")
    with pytest.raises(ValidationError, match="pop.csv, row 1, column 'count': column appears "
                                              "twice; keep one"):
        load_population(path)


def test_a_users_table_keeps_extra_columns(tmp_path):
    path = tmp_path / "pop.csv"
    path.write_text("count,role,sector,region,note\n7,manager,health,wales,x\n", encoding="utf-8")
    out = load_population(path)
    assert out.to_dict("records") == [{"region": "wales", "sector": "health", "role": "manager",
                                       "count": 7, "note": "x"}]


def test_counts_written_the_uk_way_and_excels_csv_are_read(tmp_path):
    # Excel's "CSV UTF-8" (a byte-order mark), counts with thousands separated by a comma (quoted,
    # as Excel quotes them), a space or a no-break space.
    path = tmp_path / "pop.csv"
    path.write_bytes("\ufeffregion,sector,role,count\n"
                     'london,health,nurse,"1,000"\n'
                     "london,health,doctor,2 500\n"
                     'wales,health,nurse,"12,345,678"\n'
                     "wales,health,doctor,1\u00a0200\n"
                     "wales,social_care,manager,7\n".encode())
    assert load_population(path)["count"].tolist() == [1_000, 2_500, 12_345_678, 1_200, 7]


def _workbook(path, rows, *, sheet="Population", formats=None):
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    book.active.title = "Notes"
    book.active.append(["Headcounts from the evaluation's sources, March 2024"])
    sheet = book.create_sheet(sheet)
    for row in rows:
        sheet.append(row)
    for cell, number_format in (formats or {}).items():
        sheet[cell].number_format = number_format
    book.save(path)
    return path


def test_a_workbook_is_read_from_its_population_sheet(tmp_path):
    pytest.importorskip("python_calamine")
    path = _workbook(tmp_path / "pop.xlsx", [
        ["Region", "sector", "role", "count", "source"],
        ["london", "health", "nurse", 1000, "NHS Digital"],      # a number shown as 1,000
        ["london", "health", "doctor", "2,500", "typed as text"],
        ["wales", "health", "nurse", "1 200", ""],
    ], formats={"D2": "#,##0"})
    out = load_population(path)
    assert out[["region", "sector", "role", "count"]].to_dict("records") == [
        {"region": "london", "sector": "health", "role": "nurse", "count": 1000},
        {"region": "london", "sector": "health", "role": "doctor", "count": 2500},
        {"region": "wales", "sector": "health", "role": "nurse", "count": 1200},
    ]
    assert out["source"].tolist() == ["NHS Digital", "typed as text", ""]


def test_a_count_that_is_still_not_whole_is_named_by_file_sheet_row_and_column(tmp_path):
    pytest.importorskip("python_calamine")
    path = _workbook(tmp_path / "pop.xlsx", [
        ["region", "sector", "role", "count"],
        ["london", "health", "nurse", "1,000"],
        ["london", "health", "doctor", 12.5],
        ["wales", "health", "nurse", "1.000"],   # a decimal point is never a thousands separator
        ["wales", "health", "doctor", "1,00"],
    ])
    with pytest.raises(ValidationError) as err:
        load_population(path)
    assert [str(p) for p in err.value.problems] == [
        f"pop.xlsx, sheet 'Population', row {row}, column 'count': must be a whole number >= 0, "
        f"got {text!r}" for row, text in ((3, "12.5"), (4, "1.000"), (5, "1,00"))]
