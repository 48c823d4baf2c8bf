"""Each failure of issue 11, reproduced on a small dataset, and what happens now.

The red-team table (tests/cli/test_red_team.py) runs these inputs through every command; here
each failure is pinned down where it arose, with the exact values.
"""

from __future__ import annotations

import contextlib
import io
import time
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from tests.cli.red_team_cases import (  # noqa: E402
    PEOPLE_HEADER,
    TIES_HEADER,
    _excel,
    _raw,
    people_rows,
    table_text,
    ties_rows,
)

from alumni_net.cli import main  # noqa: E402
from alumni_net.core.tables import csv_text, neutralise, read_csv, restore, write_excel  # noqa: E402
from alumni_net.errors import ValidationError  # noqa: E402
from alumni_net.io import load_dataset, write_dataset  # noqa: E402

SRC = Path(__file__).resolve().parents[2] / "src" / "alumni_net"
TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def run(argv: list[str]) -> tuple[int, str]:
    err = io.StringIO()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
        code = main([str(a) for a in argv])
    return code, err.getvalue()


@pytest.fixture(autouse=True)
def _key(monkeypatch):
    monkeypatch.setenv("ALUMNI_NET_KEY", "hostile-key-0123456789")


@pytest.fixture
def one_cohort(tmp_path) -> Path:
    """40 people, one cohort of 12 alumni (2 people are first reached at 2 degrees, so that count
    is withheld), sectors holding a spreadsheet formula and markup."""
    people = people_rows()
    for i, row in enumerate(people):
        row[4] = '=HYPERLINK("http://x")' if i % 5 == 0 else "<script>alert(1)</script>"
    _raw(table_text(PEOPLE_HEADER, people), table_text(TIES_HEADER, ties_rows()))(tmp_path / "data")
    return tmp_path / "data"


def test_report_after_analyze_with_suppressed_counts(one_cohort, tmp_path):
    out = tmp_path / "out"
    assert run(["analyze", one_cohort, "--out", out])[0] == 0
    summary = pd.read_json(out / "summary.json", typ="series")
    union = summary["reach"]["alumni_union"]
    assert union["reach_within_1"] == 26 and union["reach_2"] is None and union["reach_3"] == 0
    code, err = run(["report", out, "--data", one_cohort])
    assert code == 0, err
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "&lt;10" in html and "<script>alert" not in html


def test_plots_draw_withheld_counts_as_withheld():
    from alumni_net.plotting import plot_cumulative_reach, plot_reach_by_degree

    reach = pd.DataFrame({"reach_1": [12, 15], "reach_2": [30, 20], "reach_3": [40, 50]})
    ax = plot_reach_by_degree(reach, {"reach_1": 20, "reach_2": None, "reach_3": 30})
    labels = [t.get_text() for t in ax.texts]
    hatched = [p for p in ax.patches if p.get_hatch()]
    assert len(hatched) == 1 and hatched[0].get_height() == 10
    assert labels[3:7] == ["20", "", "30", "<10"]  # the withheld count labelled on its hatched bar
    assert "Hatched: suppressed" in labels[-1]
    by_cohort = pd.DataFrame(
        {
            "cohort": [1, 2],
            "reach_within_1": [np.nan, 14.0],
            "reach_within_2": [20.0, 30.0],
            "reach_within_3": [25.0, 40.0],
        }
    )
    ax = plot_cumulative_reach(by_cohort)
    assert "Open circles: suppressed" in ax.texts[-1].get_text()
    open_markers = [line for line in ax.lines if line.get_markerfacecolor() == "none"]
    assert [m.get_ydata().tolist() for m in open_markers] == [[10.0]]


# --- CSV injection ---------------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet="'=+-@\t\rab,\"\n 1", max_size=8), min_size=1, max_size=6))
def test_neutralised_cells_never_start_a_formula_and_read_back(values):
    frame = pd.DataFrame({"text": values, "n": range(len(values))})
    quoted = neutralise(frame)
    assert not any(isinstance(v, str) and v.startswith(TRIGGERS) for v in quoted["text"])
    assert restore(quoted)["text"].tolist() == values
    assert frame["text"].tolist() == values  # the input is not changed


def test_csv_and_excel_writers_quote_formulas(tmp_path):
    from openpyxl import load_workbook

    frame = pd.DataFrame({"=col": ["=1+1", "-2", "ok", "@x"], "n": [-1, 2, 3, 4]})
    text = csv_text(frame)
    assert text.splitlines() == ["'=col,n", "'=1+1,-1", "'-2,2", "ok,3", "'@x,4"]
    (tmp_path / "t.csv").write_text(text)
    back = read_csv(tmp_path / "t.csv")
    assert back.columns.tolist() == ["=col", "n"] and back["=col"].tolist() == [
        "=1+1",
        "-2",
        "ok",
        "@x",
    ]
    write_excel(frame, tmp_path / "t.xlsx")
    cells = [
        [c.value for c in row] for row in load_workbook(tmp_path / "t.xlsx").active.iter_rows()
    ]
    assert cells[1] == ["'=1+1", -1] and cells[0] == ["'=col", "n"]


def test_a_dataset_written_and_read_keeps_its_formula_like_values(tmp_path):
    people = (
        "person_id,is_alum,cohort,sector\na,true,1,=cmd|' /C calc'!A0\nb,false,,-5\nc,false,,@x\n"
    )
    _raw(people, "source,target\na,b\nb,c\n")(tmp_path / "in")
    ds = load_dataset(tmp_path / "in")
    write_dataset(ds, tmp_path / "out")
    raw = (tmp_path / "out/people.csv").read_text()
    assert "'=cmd" in raw and "\n=" not in raw
    again = load_dataset(tmp_path / "out")
    assert again.people["sector"].tolist() == ["=cmd|' /C calc'!A0", "-5", "@x"]


def test_every_csv_and_excel_write_goes_through_the_one_writer():
    found = []
    for path in SRC.rglob("*.py"):
        # core/_csv.py is the writer's own fast path, called by core/tables.py after neutralising
        if path.relative_to(SRC).as_posix() in ("core/tables.py", "core/_csv.py"):
            continue
        for no, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if (
                ".to_csv(" in line
                or ".to_excel(" in line
                # The dataset writer (io/_write.py) neutralises before pyarrow writes.
                or "pa_csv.write_csv(" in line
                and path.relative_to(SRC).as_posix() != "io/_write.py"
            ):
                found.append(f"{path.relative_to(SRC)}:{no}: {line.strip()}")
    assert not found, "\n".join(found)


# --- ids, dates, Excel, long values ------------------------------------------------------------


@pytest.mark.parametrize("big", [2**63, 2**63 + 5, 2**64 + 1])
def test_ids_beyond_int64_stay_text(tmp_path, big):
    _raw(
        f"person_id,is_alum,cohort\n{big},true,1\n1,false,\n2,false,\n",
        f"source,target\n{big},1\n1,2\n",
    )(tmp_path / "d")
    ds = load_dataset(tmp_path / "d")
    assert sorted(ds.people["person_id"]) == sorted(["1", "2", str(big)])
    assert ds.ties["source"].tolist() == [str(big), "1"]


def test_ids_that_fit_int64_stay_integers(tmp_path):
    top = 2**63 - 1
    _raw(f"person_id\n{top}\n-{2**63}\n", f"source,target\n{top},-{2**63}\n")(tmp_path / "d")
    ds = load_dataset(tmp_path / "d")
    assert ds.people["person_id"].dtype == np.int64 and top in set(ds.people["person_id"])


def test_a_time_zone_beside_plain_dates_names_the_row(tmp_path):
    _raw(
        "person_id,is_alum,cohort,cohort_start\na,true,1,2020-01-01\nb,true,1,"
        "2020-01-01T09:00:00+01:00\nc,false,,\n",
        "source,target\na,b\n",
    )(tmp_path / "d")
    with pytest.raises(ValidationError) as info:
        load_dataset(tmp_path / "d")
    assert [str(p) for p in info.value.problems] == [
        "people.csv, row 3, column 'cohort_start': has a time zone where other dates have none; "
        "write dates as YYYY-MM-DD"
    ]


def test_dates_all_with_time_zones_are_read_in_utc(tmp_path):
    _raw(
        "person_id,is_alum,cohort,cohort_start\na,true,1,2020-01-01T00:30:00+01:00\n"
        "b,true,1,2020-01-01T00:00:00Z\n",
        "source,target\na,b\n",
    )(tmp_path / "d")
    starts = load_dataset(tmp_path / "d").people["cohort_start"]
    assert [str(t) for t in starts] == ["2019-12-31 23:30:00", "2020-01-01 00:00:00"]


@pytest.mark.parametrize(
    "kind, message",
    [
        ("merged", "people.xlsx, sheet 'alumni', row 2, column 'cohort': cells C2:C13 are merged"),
        ("sheets", "people.xlsx: has 2 sheets with data ('alumni', 'notes')"),
        (
            "title",
            "people.xlsx, sheet 'alumni', row 3, column 'person_id': the header (with person_id) "
            "is on row 3",
        ),
    ],
)
def test_excel_layouts_that_would_lose_people_are_refused(tmp_path, kind, message):
    _excel(kind)(tmp_path / "d")
    with pytest.raises(ValidationError) as info:
        load_dataset(tmp_path / "d")
    assert str(info.value.problems[0]).startswith(message)


def test_a_plain_excel_sheet_loads_every_alum(tmp_path):
    _excel("plain")(tmp_path / "d")
    ds = load_dataset(tmp_path / "d")
    assert len(ds.alumni) == 12 and ds.people["cohort"].notna().sum() == 12


def test_a_100000_character_value_is_checked_in_linear_time():
    from alumni_net.core.privacy import looks_personal

    for text in ("x" * 100_000, "a@" + "x" * 100_000, "a@b" * 40_000):
        start = time.process_time()
        assert not looks_personal("sector", [text])
        assert time.process_time() - start < 0.5
    assert looks_personal("sector", ["x" * 1000 + " ada@example.org"])


# --- output folders --------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["analyze", "export", "map"])
def test_out_that_is_a_file_is_one_sentence(one_cohort, tmp_path, command):
    target = tmp_path / "taken"
    target.write_text("keep me")
    out = target / "map.png" if command == "map" else target
    code, err = run([command, one_cohort, "--out", out])
    assert code == 2 and "Traceback" not in err and str(target) in err, err
    assert target.read_text() == "keep me"


def test_analyze_over_an_earlier_run_replaces_it_whole(one_cohort, tmp_path, caplog):
    out = tmp_path / "out"
    assert run(["analyze", one_cohort, "--out", out])[0] == 0
    assert run(["report", out, "--no-maps"])[0] == 0
    assert (out / "report.html").is_file()
    assert run(["analyze", one_cohort, "--out", out, "--max-dist", "2"])[0] == 0
    assert not (out / "report.html").exists()
    said = caplog.text
    assert "removed report.html" in said and "replaced centrality.csv" in said
