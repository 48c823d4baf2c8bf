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


def test_a_users_table_keeps_extra_columns(tmp_path):
    path = tmp_path / "pop.csv"
    path.write_text("count,role,sector,region,note\n7,manager,health,wales,x\n", encoding="utf-8")
    out = load_population(path)
    assert out.to_dict("records") == [{"region": "wales", "sector": "health", "role": "manager",
                                       "count": 7, "note": "x"}]
