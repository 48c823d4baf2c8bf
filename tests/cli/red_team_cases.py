"""The hostile and odd inputs of the red-team table (tests/cli/test_red_team.py), no tests here.

Each case writes a dataset folder from a small valid programme (40 people, one cohort of 12
alumni, so small counts are suppressed) with one thing changed, and says what every command must
do with it: run (``OK``) or refuse with a sentence holding the given fragments (file, row,
column). ``full`` cases run through every command; the others through the cheap ones.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

SECTORS = ("health", "social_care", "voluntary", "local_government")
PEOPLE_HEADER = [
    "person_id",
    "is_alum",
    "cohort",
    "cohort_start",
    "sector",
    "region",
    "role",
    "adoption_time",
]
TIES_HEADER = ["source", "target", "kind", "weight"]
N = 40


def people_rows() -> list[list[str]]:
    return [
        [
            f"p{i:02d}",
            "true" if i < 12 else "false",
            "1" if i < 12 else "",
            "2020-01-01" if i < 12 else "",
            SECTORS[i % 4],
            f"r{i % 3}",
            "manager" if i % 2 else "senior_leader",
            str((i * 7) % 30) if i % 3 else "",
        ]
        for i in range(N)
    ]


def ties_rows() -> list[list[str]]:
    return [
        [f"p{i:02d}", f"p{(i + s) % N:02d}", "colleague", "1"] for i in range(N) for s in (1, 5, 13)
    ]


def table_text(header, rows, lineterminator="\n") -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator=lineterminator)
    writer.writerow(header)
    writer.writerows(rows)
    return buf.getvalue()


@dataclass
class Case:
    """One hostile input: ``build(folder)`` writes it; ``refuse`` the fragments of the sentence
    (empty: every command must succeed); ``people`` the people count a correct run reports."""

    name: str
    build: Callable[[Path], None]
    refuse: tuple[str, ...] = ()
    people: int | None = N
    full: bool = False
    check: Callable[[Path], None] | None = None
    notes: str = ""
    extra: dict = field(default_factory=dict)


def _write(
    folder: Path,
    people=None,
    ties=None,
    *,
    people_text=None,
    ties_text=None,
    people_header=PEOPLE_HEADER,
    ties_header=TIES_HEADER,
) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    p = (
        people_text
        if people_text is not None
        else table_text(people_header, people or people_rows())
    )
    t = (
        ties_text
        if ties_text is not None
        else table_text(ties_header, ties if ties is not None else ties_rows())
    )
    for name, content in (("people.csv", p), ("ties.csv", t)):
        (folder / name).write_bytes(content if isinstance(content, bytes) else content.encode())


def _rename(old: str, new: str):
    """Person ``old`` renamed ``new`` in people and ties."""

    def build(folder: Path) -> None:
        people = people_rows()
        ties = ties_rows()
        for row in people:
            row[0] = new if row[0] == old else row[0]
        for row in ties:
            row[:2] = [new if v == old else v for v in row[:2]]
        _write(folder, people, ties)

    return build


def _ids(make: Callable[[int], str]):
    """Every id replaced by ``make(i)``."""

    def build(folder: Path) -> None:
        people, ties = people_rows(), ties_rows()
        for i, row in enumerate(people):
            row[0] = make(i)
        for row in ties:
            row[:2] = [make(int(v[1:])) for v in row[:2]]
        _write(folder, people, ties)

    return build


def _people_cell(row: int, column: str, value: str):
    def build(folder: Path) -> None:
        people = people_rows()
        people[row][PEOPLE_HEADER.index(column)] = value
        _write(folder, people)

    return build


def _tie_cell(row: int, column: str, value: str):
    def build(folder: Path) -> None:
        ties = ties_rows()
        ties[row][TIES_HEADER.index(column)] = value
        _write(folder, ties=ties)

    return build


def _excel(kind: str):
    def build(folder: Path) -> None:
        import openpyxl

        folder.mkdir(parents=True, exist_ok=True)
        book = openpyxl.Workbook()
        sheet = book.active
        sheet.title = "alumni"
        if kind == "title":
            sheet.append(["Programme list, exported 2024"])
            sheet.append([])
        sheet.append(PEOPLE_HEADER)
        for row in people_rows():
            sheet.append(row)
        if kind == "merged":  # the cohort cells of the 12 alumni as one block
            sheet.merge_cells("C2:C13")
        if kind == "sheets":
            book.create_sheet("notes").append(["who", "what"])
            book["notes"].append(["me", "draft"])
        book.save(folder / "people.xlsx")
        (folder / "ties.csv").write_text(table_text(TIES_HEADER, ties_rows()))

    return build


def _swap(which: str):
    def build(folder: Path) -> None:
        p, t = table_text(PEOPLE_HEADER, people_rows()), table_text(TIES_HEADER, ties_rows())
        if which == "people":
            _write(folder, people_text=t, ties_text=t)
        elif which == "ties":
            _write(folder, people_text=p, ties_text=p)
        else:
            _write(folder, people_text=t, ties_text=p)

    return build


def _headers(transform: Callable[[str], str]):
    def build(folder: Path) -> None:
        _write(
            folder,
            people_header=[transform(c) for c in PEOPLE_HEADER],
            ties_header=[transform(c) for c in TIES_HEADER],
        )

    return build


def _dates(values: dict[int, str]):
    def build(folder: Path) -> None:
        people = people_rows()
        for row, value in values.items():
            people[row][3] = value
        _write(folder, people)

    return build


def _sectors(values: dict[int, str]):
    def build(folder: Path) -> None:
        people = people_rows()
        for row, value in values.items():
            people[row][4] = value
        _write(folder, people)

    return build


def _raw(people_text: str | bytes | None = None, ties_text: str | bytes | None = None):
    def build(folder: Path) -> None:
        _write(folder, people_text=people_text, ties_text=ties_text)

    return build


def _people_dir(folder: Path) -> None:
    _write(folder)
    (folder / "people.csv").unlink()
    (folder / "people.csv").mkdir()


def no_raw_markup(out: Path) -> None:
    """Markdown and HTML outputs show markup from the data as text (a group of 20, so its name is
    published in the summaries)."""
    pages = [p for p in out.rglob("*") if p.suffix in (".md", ".html")]
    assert pages
    shown = [p.name for p in pages if "&lt;script" in p.read_text(encoding="utf-8")]
    assert shown, "the markup group is not in any summary"
    raw = [p.name for p in pages if "<script>alert" in p.read_text(encoding="utf-8")]
    assert not raw, raw


FORMULAS = {
    1: '=HYPERLINK("http://x.example","click")',
    2: "+1+1",
    3: "-2+3",
    4: "@SUM(A1)",
    5: "\tTAB",
    6: "'=already quoted",
}
LONG = "x" * 100_000
PEOPLE_CSV = table_text(PEOPLE_HEADER, people_rows())
TIES_CSV = table_text(TIES_HEADER, ties_rows())

CASES = [
    # Excel layouts
    Case(
        "excel_merged_cohort_cells",
        _excel("merged"),
        ("people.xlsx", "row 2", "column 'cohort'", "merged"),
    ),
    Case("excel_several_sheets", _excel("sheets"), ("people.xlsx", "2 sheets")),
    Case("excel_header_on_row_3", _excel("title"), ("people.xlsx", "row 3", "column 'person_id'")),
    Case("excel_plain_sheet_named_otherwise", _excel("plain"), full=True),
    # ids
    Case("id_with_comma", _rename("p03", "p,03")),
    Case("id_with_quotes", _rename("p04", 'p"0"4')),
    Case("id_with_embedded_newline", _rename("p05", "p0\n5")),
    Case("ids_with_leading_zeros", _ids(lambda i: f"{i:03d}" if i % 2 else str(i))),
    Case("ids_7_and_007_are_two_people", _ids(lambda i: {8: "007"}.get(i, str(i)))),
    Case("ids_surrounded_by_spaces", _ids(lambda i: f"  p{i:02d} ")),
    Case(
        "id_lookalike_unicode_in_ties",
        _tie_cell(3, "target", "р06"),  # Cyrillic 'р'
        ("ties.csv", "row 5", "column 'target'", "not a person_id"),
    ),
    Case("ids_mixed_int_and_str", _ids(lambda i: str(i) if i % 2 else f"x{i}")),
    Case("ids_2_to_the_63", _ids(lambda i: str(2**63 + i)), full=True),
    Case("id_below_minus_2_to_the_63", _rename("p08", str(-(2**63) - 1))),
    Case(
        "id_empty", _people_cell(9, "person_id", ""), ("people.csv", "row 11", "column 'person_id'")
    ),
    Case(
        "id_duplicated",
        _people_cell(10, "person_id", "p11"),
        ("people.csv", "row 13", "column 'person_id'", "already appears"),
    ),
    # files swapped
    Case("people_file_holds_ties", _swap("people"), ("people.csv", "column 'person_id'")),
    Case("ties_file_holds_people", _swap("ties"), ("ties.csv", "column 'source'")),
    Case("people_and_ties_swapped", _swap("both"), ("people.csv", "column 'person_id'")),
    # headers
    Case("headers_in_upper_case", _headers(str.upper)),
    Case("headers_surrounded_by_spaces", _headers(lambda c: f" {c} ")),
    Case(
        "header_repeated",
        _raw(PEOPLE_CSV.replace("role,", "sector,", 1), TIES_CSV),
        ("people.csv", "row 1", "column 'sector'", "more than once"),
    ),
    Case(
        "semicolon_separated",
        _raw(PEOPLE_CSV.replace(",", ";"), TIES_CSV),
        ("people.csv", "column 'person_id'"),
    ),
    # weights
    Case(
        "weight_1e308",
        _tie_cell(0, "weight", "1e308"),
        ("ties.csv", "row 2", "column 'weight'", "rescale"),
    ),
    Case("weight_1e100", _tie_cell(0, "weight", "1e100")),
    Case("weight_inf", _tie_cell(2, "weight", "inf"), ("ties.csv", "row 4", "column 'weight'")),
    Case(
        "weight_minus_zero", _tie_cell(3, "weight", "-0"), ("ties.csv", "row 5", "column 'weight'")
    ),
    Case("weight_nan", _tie_cell(4, "weight", "nan"), ("ties.csv", "row 6", "column 'weight'")),
    Case("weight_5e_minus_324", _tie_cell(5, "weight", "5e-324")),
    # dates
    Case(
        "dates_in_mixed_formats",
        _dates({1: "2020/01/01", 2: "01/02/2020"}),  # Y/M/D is read
        ("people.csv", "row 4", "column 'cohort_start'"),
    ),
    Case("dates_before_1900", _dates(dict.fromkeys(range(12), "1850-09-01")), full=True),
    Case("date_year_and_month_forms", _dates({0: "2020", 1: "2020-01"})),
    Case(
        "date_with_time_zone_beside_plain",
        _dates({4: "2020-01-01T00:00:00+01:00"}),
        ("people.csv", "row 6", "column 'cohort_start'", "time zone"),
    ),
    Case("date_year_0001", _dates(dict.fromkeys(range(12), "0001-01-01"))),
    # categories
    Case("category_of_100000_characters", _sectors({3: LONG}), full=True),
    Case("categories_with_spreadsheet_formulas", _sectors(FORMULAS), full=True),
    Case(
        "categories_with_markup",
        _sectors(
            {
                1: "<script>alert(1)</script>",
                2: "**bold** | pipe",
                3: "<img src=x onerror=alert(1)>",
            }
        ),
    ),
    Case(
        "markup_in_a_large_group",
        _sectors(dict.fromkeys(range(0, 40, 2), "<script>alert(1)</script>")),
        check=no_raw_markup,
    ),
    Case(
        "categories_unicode_rtl_zero_width_emoji",
        _sectors({1: "\u202eevil\u202c", 2: "zero\u200bwidth", 3: "🙂 health", 4: "Ωmega"}),
    ),
    Case("category_with_newline_and_comma", _sectors({1: "health,\nand care"})),
    Case("category_with_nul_byte", _sectors({1: "heal\x00th"})),
    # structure and encoding
    Case(
        "no_tie_rows", _raw(PEOPLE_CSV, "source,target,kind,weight\n"), ("ties.csv", "no tie rows")
    ),
    Case("no_alumni", _raw(PEOPLE_CSV.replace(",true,1,2020-01-01,", ",false,,,"), TIES_CSV)),
    Case("self_tie", _tie_cell(6, "target", "p02"), ("ties.csv", "row 8", "column 'target'")),
    Case(
        "crlf_line_ends",
        _raw(
            table_text(PEOPLE_HEADER, people_rows(), "\r\n"),
            table_text(TIES_HEADER, ties_rows(), "\r\n"),
        ),
    ),
    Case(
        "latin_1_encoding",
        _raw(PEOPLE_CSV.replace("health", "sant\u00e9").encode("latin-1"), TIES_CSV),
        ("people.csv", "row 2", "UTF-8"),
    ),
    Case(
        "byte_order_mark",
        _raw(b"\xef\xbb\xbf" + PEOPLE_CSV.encode(), TIES_CSV),
        ("people.csv", "row 1", "BOM"),
    ),
    Case("binary_garbage", _raw(bytes(range(256)) * 4, TIES_CSV), ("people.csv",)),
    Case("people_csv_is_a_folder", _people_dir, ("people.csv", "is a folder")),
    Case("trailing_commas", _raw(PEOPLE_CSV.replace("\n", ",\n"), TIES_CSV)),
]

# issue 19 red team: board
# Scenario files and the dashboard on data a leader really has. Each check runs the command the
# case is about (the table's own commands run the data through validate, analyze and export).


def _no_sector(folder: Path) -> None:
    header = [c for c in PEOPLE_HEADER if c != "sector"]
    rows = [[v for c, v in zip(PEOPLE_HEADER, row, strict=True) if c != "sector"]
            for row in people_rows()]
    _write(folder, rows, people_header=header)


def _only_ties(folder: Path) -> None:
    _write(folder)
    (folder / "people.csv").unlink()


def _scenario(out: Path, data: Path, extra: str = "") -> Path:
    path = out.parent / "board_scenarios.toml"
    path.write_text(f'horizon_years = 1\ndata = "{data}"\n[run]\nreplicates = 2\n'
                    f"[cohorts]\nsize = 4\n{extra}", encoding="utf-8")
    return path


def _run_cli(*argv: str) -> tuple[int, str]:
    import contextlib

    from alumni_net.cli import main

    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = main(list(argv))
    return code, err.getvalue()


def service_places_need_a_sector(out: Path) -> None:
    """Scenarios: one sentence (exit 2, nothing written) instead of KeyError: 'sector'; the
    dashboard offers no such places on these data and its options run."""
    from alumni_net.dashboard.session import Session

    data, results = out.parent / "data", out.parent / "board_out"
    path = _scenario(out, data, "[quotas]\nmin_service_users = 2\n")
    code, err = _run_cli("scenarios", str(path), "--out", str(results), "--workers", "1")
    assert code == 2 and "min_service_users = 2 needs a 'sector' column" in err, err
    assert "Traceback" not in err and not results.exists()
    session = Session(data, horizon_years=1)
    a, b = session.defaults()
    assert a.service_users == 0 and session.check(a, b) == []


def dashboard_fits_small_data(out: Path) -> None:
    """Dashboard: data too small for 10 years of cohorts of 26 get options they can fill, and
    options they cannot fill are sentences (the run button never does nothing)."""
    from alumni_net.dashboard.session import Levers, Session

    session = Session(out.parent / "data")
    a, b = session.defaults()
    assert session.check(a, b) == []
    assert "the candidate pool has 28 not yet trained" in session.check(Levers())[0]


def dashboard_lists_the_problems(out: Path) -> None:
    """Dashboard: the command lists the problems (exit 2, no server); the page shows the same
    sentences, without the folder's path, never a traceback."""
    from alumni_net.dashboard.session import Session, data_problems
    from alumni_net.errors import AlumniNetError

    data = out.parent / "data"
    code, err = _run_cli("dashboard", str(data))
    assert code == 2 and "people.csv" in err and "Traceback" not in err, err
    try:
        Session(data)
    except AlumniNetError as exc:
        shown = data_problems(exc, data)
    else:
        raise AssertionError("the dashboard read a folder without people.csv")
    assert any("people.csv" in s for s in shown) and not any(str(data) in s for s in shown)


def scenario_data_may_be_a_file(out: Path) -> None:
    """Scenarios: data = "people.csv" goes to the loader, which says what it reads; never
    "folder does not exist"."""
    data = out.parent / "data" / "people.csv"
    results = out.parent / "board_out"
    code, err = _run_cli("scenarios", str(_scenario(out, data)), "--out", str(results),
                         "--workers", "1")
    assert "does not exist" not in err and "Traceback" not in err, err
    assert code == 0 or (code == 2 and str(data) in err and not results.exists()), err


CASES += [
    Case("scenario_service_places_without_a_sector_column", _no_sector,
         check=service_places_need_a_sector),
    Case("dashboard_on_data_too_small_for_its_default_levers", _raw(PEOPLE_CSV, TIES_CSV),
         check=dashboard_fits_small_data),
    Case("dashboard_on_a_folder_without_people_csv", _only_ties, ("people.csv",),
         check=dashboard_lists_the_problems),
    Case("scenario_data_naming_a_file", _raw(PEOPLE_CSV, TIES_CSV),
         check=scenario_data_may_be_a_file),
]
