"""Multiplier accounting on hand-made replicates whose answers are worked out by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from alumni_net.experiments.multiplier import (
    adopters_by_degree,
    by_degree_table,
    format_multiplier_table,
    multiplier_table,
    naive_arithmetic,
    replicate_measures,
    summarise,
    timeseries_table,
)

# Three replicates of a programme with 10 alumni; each replicate has both arms (same seed).
#   replicate:               0    1    2
#   with: ever adopted       30   40   20   (non-alumni 24, 32, 15)
#   without: ever adopted     8   10    5   (non-alumni  6,  8,  4)
#   person-months with/out  300/50 400/70 200/40
_ROWS = [
    (0, "programme", 30, 24, 12, 300),
    (0, "no_programme", 8, 6, 3, 50),
    (1, "programme", 40, 32, 15, 400),
    (1, "no_programme", 10, 8, 4, 70),
    (2, "programme", 20, 15, 9, 200),
    (2, "no_programme", 5, 4, 2, 40),
]


@pytest.fixture
def summary() -> pd.DataFrame:
    cols = ["replicate", "arm", "ever_adopted", "ever_adopted_non_alumni", "practising_end",
            "practising_person_months"]
    frame = pd.DataFrame(_ROWS, columns=cols)
    frame.insert(2, "n_alumni", 10)
    return frame


def _row(table: pd.DataFrame, measure: str) -> pd.Series:
    return table.set_index("measure").loc[measure]


def test_naive_arithmetic_is_the_claims_own_numbers():
    assert naive_arithmetic(3000) == {"naive_ten_per_alum": 30_000, "naive_branching": 117_000}


def test_attributable_adopters_are_differences_within_each_replicate(summary):
    m = replicate_measures(summary).pivot(index="replicate", columns="measure", values="value")
    assert m["attributable_adopters"].tolist() == [22, 30, 15]
    assert m["attributable_adopters_non_alumni"].tolist() == [18, 24, 11]
    assert m["attributable_per_alum"].tolist() == pytest.approx([1.8, 2.4, 1.1])
    assert m["adopters_per_alum"].tolist() == pytest.approx([2.4, 3.2, 1.5])
    assert m["attributable_person_months"].tolist() == [250, 330, 160]
    assert m["attributable_share_of_ten_per_alum"].tolist() == pytest.approx([0.18, 0.24, 0.11])
    assert m["attributable_share_of_branching"].tolist() == pytest.approx(
        [18 / 390, 24 / 390, 11 / 390])


def test_multiplier_table_medians_and_90_percent_intervals(summary):
    table = multiplier_table(summary)
    row = _row(table, "attributable_adopters_non_alumni")
    # Linear-interpolated 5% and 95% quantiles of [11, 18, 24].
    assert (row["median"], row["lo"], row["hi"]) == pytest.approx((18, 11.7, 23.4))
    assert row["n_replicates"] == 3
    assert _row(table, "naive_ten_per_alum")[["median", "lo", "hi"]].tolist() == [100, 100, 100]
    assert _row(table, "naive_branching")["median"] == 390
    assert _row(table, "adopters_no_programme")["median"] == 8
    assert table["description"].notna().all()
    assert list(table.columns) == ["measure", "median", "lo", "hi", "n_replicates", "description"]


def test_median_of_differences_is_not_the_difference_of_medians():
    # Common random numbers: the attributable figure is summarised per replicate. Here the arms'
    # medians are 20 and 9 (a difference of 11), but in each replicate the programme added 1, 30, 1.
    summary = pd.DataFrame({
        "replicate": [0, 0, 1, 1, 2, 2], "arm": ["programme", "no_programme"] * 3,
        "n_alumni": 1, "ever_adopted": [10, 9, 30, 0, 20, 19],
        "ever_adopted_non_alumni": [10, 9, 30, 0, 20, 19], "practising_end": 0,
        "practising_person_months": 0,
    })
    row = _row(multiplier_table(summary), "attributable_adopters")
    assert row["median"] == 1
    assert row["hi"] == pytest.approx(1 + 0.9 * 29)


def test_without_counterfactual_only_programme_measures(summary):
    table = multiplier_table(summary[summary["arm"] == "programme"])
    assert "attributable_adopters" not in set(table["measure"])
    assert _row(table, "adopters")["median"] == 30


def test_per_alum_figures_are_undefined_without_alumni(summary):
    table = multiplier_table(summary.assign(n_alumni=0)).set_index("measure")
    assert table.loc[["adopters_per_alum", "attributable_per_alum"], "median"].isna().all()
    assert table.loc["adopters", "median"] == 30
    assert "| adopters_per_alum | n/a | n/a |" in format_multiplier_table(table.reset_index())


def test_adopters_by_degree_counts_each_person_once_at_first_adoption():
    adoptions = pd.DataFrame({
        "person_id": ["a", "b", "c", "d", "e", "c", "f", "g"],
        "month": [6, 7, 9, 12, 30, 40, 3, 8],
        "via": ["course", "spread", "spread", "spread", "spread", "reengaged", "background",
                "spread"],
        "is_alum": [True, False, False, False, False, False, False, False],
        "distance": [0, 1, 2, 3, 4, 1, -1, 1],
    })
    counts = adopters_by_degree(adoptions).set_index("degree")["adopters"]
    assert counts.to_dict() == {0: 1, 1: 2, 2: 1, 3: 1, 4: 1, -1: 1}
    assert counts.sum() == adoptions["person_id"].nunique()


def test_by_degree_table_sits_beside_the_branching_claim(summary):
    by_degree = pd.DataFrame({
        "replicate": np.repeat([0, 1, 2], 2 * 6),
        "arm": np.tile(np.repeat(["programme", "no_programme"], 6), 3),
        "degree": np.tile([0, 1, 2, 3, 4, -1], 6),
        "adopters": [6, 10, 8, 4, 2, 0, 2, 1, 1, 1, 1, 2] * 3,
    })
    table = by_degree_table(by_degree, summary)
    row = table.set_index(["degree", "measure"])
    assert row.loc[("1", "adopters"), "median"] == 10
    assert row.loc[("1", "adopters_per_alum"), "median"] == pytest.approx(1.0)
    assert row.loc[("1", "adopters_no_programme"), "median"] == 1
    assert row.loc[("none", "adopters_no_programme"), "median"] == 2
    claim = row.xs("naive_branching_per_alum", level="measure")["median"]
    assert claim.to_dict() == {"1": 3, "2": 9, "3": 27}
    assert table["degree"].unique().tolist() == ["0", "1", "2", "3", "4+", "none"]


def test_timeseries_table_has_both_arms_and_their_difference():
    ts = pd.DataFrame({
        "replicate": [0, 0, 0, 0, 1, 1, 1, 1],
        "arm": ["programme", "programme", "no_programme", "no_programme"] * 2,
        "month": [0, 1, 0, 1, 0, 1, 0, 1],
        "unaware": [90, 80, 99, 98, 92, 85, 99, 97],
        "practising": [10, 15, 1, 2, 8, 11, 1, 3],
        "lapsed": [0, 5, 0, 0, 0, 4, 0, 0],
        "new_adopters": [10, 10, 1, 1, 8, 7, 1, 2],
    })
    table = timeseries_table(ts).set_index(["arm", "measure", "month"])
    assert table.loc[("programme", "practising", 1), "median"] == 13
    assert table.loc[("attributable", "practising", 1), "median"] == pytest.approx(10.5)
    assert table.loc[("attributable", "practising", 0), ["lo", "hi"]].tolist() == pytest.approx(
        [7.1, 8.9])
    assert set(table.index.get_level_values("arm")) == {"programme", "no_programme",
                                                        "attributable"}


def test_summarise_uses_the_5th_and_95th_percentiles():
    values = pd.DataFrame({"measure": "x", "value": np.arange(101, dtype=float)})
    row = summarise(values, ["measure"]).iloc[0]
    assert (row["median"], row["lo"], row["hi"], row["n_replicates"]) == (50, 5, 95, 101)


def test_format_multiplier_table_is_markdown_with_intervals(summary):
    text = format_multiplier_table(multiplier_table(summary))
    lines = text.splitlines()
    assert lines[0] == "| measure | median | 90% interval | what it is |"
    assert any(line.startswith("| attributable_per_alum | 1.8 | 1.17 to 2.34 |") for line in lines)
    assert any(line.startswith("| naive_ten_per_alum | 100 | 100 to 100 |") for line in lines)
    assert lines[-1] == "Medians over 3 seeded replicates."


def test_multiplier_markdown_counts_are_whole_and_cells_are_escaped():
    # Quantiles of counts interpolate (93.35); a count is printed whole, a rate to 3 figures.
    table = pd.DataFrame({
        "measure": ["adopters", "attributable_per_alum", "<script>alert(1)</script>"],
        "median": [151.5, 0.123456, 2.0], "lo": [93.35, 0.0456789, 1.0],
        "hi": [1193.0, 0.2, 3.0], "n_replicates": 20,
        "description": ["a | b", "[x](javascript:alert(1))", "plain"],
    })
    lines = format_multiplier_table(table).splitlines()
    assert lines[2] == "| adopters | 152 | 93 to 1,193 | a \\| b |"
    assert lines[3] == (
        "| attributable_per_alum | 0.123 | 0.0457 to 0.2 | \\[x\\](javascript:alert(1)) |")
    assert lines[4] == "| &lt;script>alert(1)&lt;/script> | 2 | 1 to 3 | plain |"
