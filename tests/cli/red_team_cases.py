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
    # Read since issue 14: Excel's separator in many locales (with a note naming it).
    Case("semicolon_separated", _raw(PEOPLE_CSV.replace(",", ";"), TIES_CSV)),
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
    # Read since issue 14: Excel's "CSV UTF-8" starts with a byte-order mark.
    Case("byte_order_mark", _raw(b"\xef\xbb\xbf" + PEOPLE_CSV.encode(), TIES_CSV)),
    Case("binary_garbage", _raw(bytes(range(256)) * 4, TIES_CSV), ("people.csv",)),
    Case("people_csv_is_a_folder", _people_dir, ("people.csv", "is a folder")),
    Case("trailing_commas", _raw(PEOPLE_CSV.replace("\n", ",\n"), TIES_CSV)),
]


# issue 19 red team: privacy ----------------------------------------------------------------
# Each case is valid data that carries something no output may publish; its ``check`` runs the
# command the red team used and searches what it wrote (and printed). Outcomes: the refusals exit
# 2 with one sentence naming the column; everything else exits 0 without the values.

FULL_NAMES = [f"Quill Feather{i:02d}" for i in range(N)]
THIRD_PERSON = "Mary Jonesworth"
MANAGERS = ("Boss Smithers", "Carla Ruddock", "Dev Anand")


def _with_people_columns(columns: dict[str, Callable[[int], str]], *, kinds=None, edit=None):
    """The base programme with more people columns (``columns``: name -> value of person i),
    tie kinds replaced where ``kinds`` (tie row -> kind) says, and people rows changed by
    ``edit(rows)``."""

    def build(folder: Path) -> None:
        people = people_rows()
        if edit is not None:
            edit(people)
        for i, row in enumerate(people):
            row += [columns[c](i) for c in columns]
        ties = ties_rows()
        for r, kind in (kinds or {}).items():
            ties[r][2] = kind
        _write(folder, people, ties, people_header=[*PEOPLE_HEADER, *columns])

    return build


# issue 19 red team: reading
def write_ods(path: Path, rows: list[list]) -> Path:
    """A minimal OpenDocument spreadsheet (one sheet of text cells), as LibreOffice saves one."""
    import zipfile
    from xml.sax.saxutils import escape

    cells = "".join(
        "<table:table-row>" + "".join(
            f'<table:table-cell office:value-type="string"><text:p>{escape(str(v))}</text:p>'
            "</table:table-cell>" for v in row) + "</table:table-row>" for row in rows)
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f'<office:body><office:spreadsheet><table:table table:name="people">{cells}'
        "</table:table></office:spreadsheet></office:body></office:document-content>")
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
        'manifest:version="1.2"><manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>")
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("META-INF/manifest.xml", manifest, compress_type=zipfile.ZIP_DEFLATED)
        z.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
    return path


def _excel_people(kind: str):
    """people.xlsx beside ties.csv: the visible sheet holds the 40 people, and a hidden sheet
    named 'people' an old list of 30 ("hidden"); or the cohort cells of the 12 alumni are
    formulas a script wrote without saved values ("formulas")."""

    def build(folder: Path) -> None:
        import openpyxl

        folder.mkdir(parents=True, exist_ok=True)
        book = openpyxl.Workbook()
        sheet = book.active
        sheet.title = "alumni"
        sheet.append(PEOPLE_HEADER)
        for row in people_rows():
            sheet.append(row)
        if kind == "hidden":
            old = book.create_sheet("people")
            old.append(PEOPLE_HEADER)
            for row in people_rows()[:30]:
                old.append(row)
            old.sheet_state = "hidden"
        if kind == "formulas":
            for r in range(2, 14):
                sheet.cell(r, PEOPLE_HEADER.index("cohort") + 1).value = "=1"
        book.save(folder / "people.xlsx")
        (folder / "ties.csv").write_text(TIES_CSV)

    return build


def _run(case: str, argv: list[str]) -> tuple[int, str, str]:
    from tests.cli.test_red_team import record, run  # the runner of the table (no cycle at import)

    code, stdout, err = run(argv)
    record(case, argv[0] + " " + " ".join(a for a in argv[1:] if a.startswith("--")), code, err)
    assert "Traceback" not in err, err
    return code, stdout, err


def _texts(folder: Path) -> str:
    return "\n".join(p.read_text(encoding="utf-8", errors="replace")
                     for p in folder.rglob("*") if p.is_file() and p.suffix != ".png")


def _refuses_grouping(case: str, column: str, why: str):
    """diffusion --by COLUMN and map --color-by COLUMN: exit 2, one sentence, nothing written."""

    def check(out: Path) -> None:
        data = out.parent / "data"
        for argv in (["diffusion", str(data), "--out", str(out / "by"), "--by", column,
                      "--replicates", "5"],
                     ["map", str(data), "--out", str(out / "by.png"), "--color-by", column]):
            code, _, err = _run(case, argv)
            lines = [ln for ln in err.strip().splitlines() if not ln.startswith("note:")]
            assert code == 2 and len(lines) == 1, err
            assert f"'{column}'" in lines[0] and why in lines[0], err
            assert not (out / "by").exists() and not (out / "by.png").exists()

    return check


def _no_values(*values: str):
    def check(out: Path) -> None:
        found = [v for v in values if v.lower() in _texts(out).lower()]
        assert not found, found

    return check


def _both(*checks):
    def check(out: Path) -> None:
        for c in checks:
            c(out)

    return check


def _small_group_pooled(out: Path) -> None:
    """One person alone in a region: their group is pooled with the next smallest, so neither
    its size nor its adoption periods can be read, nor worked out from the total."""
    from alumni_net.core.publish import POOLED
    from alumni_net.core.tables import read_csv

    data = out.parent / "data"
    code, _, err = _run("privacy_diffusion_small_group_pooled",
                        ["diffusion", str(data), "--out", str(out / "diffusion_by"), "--by",
                         "region", "--replicates", "5"])
    assert code == 0, err
    curve = read_csv(out / "diffusion_by" / "adoption_curve_by_region.csv")
    sizes = curve.groupby("region")["n"].first()
    assert "r_alone" not in set(curve["region"]) and POOLED in set(curve["region"])
    assert sizes.notna().all() and (sizes >= 10).all(), sizes.to_dict()
    assert "shown together as 'other (suppressed)'" in (out / "diffusion_by" / "summary.md"
                                                        ).read_text(encoding="utf-8")


def _one_alum_cohort(out: Path) -> None:
    """A one-alum cohort: no row (and no step of the running totals) is one person's reach."""
    from alumni_net.core.tables import read_csv

    cohorts = read_csv(out / "results" / "reach_by_cohort.csv")
    assert cohorts["cohort"].astype(str).tolist() == ["1 + 2"], cohorts
    assert cohorts["n_alumni"].tolist() == [12] and cohorts["alumni_to_date"].tolist() == [12]


def _free_text_not_exported(out: Path) -> None:
    """notes naming a third person, line_manager and staff_number: in no export, pseudonymised
    or not, and the notes say what was withheld without naming a value."""
    data = out.parent / "data"
    code, _, err = _run("privacy_free_text_columns_exported",
                        ["export", str(data), "--out", str(out / "pseudonymised"),
                         "--pseudonymise", "notes", "line_manager"])
    assert code == 0, err
    for folder in (out / "export", out / "pseudonymised"):
        text = _texts(folder)
        for column in ("notes", "line_manager", "staff_number"):
            assert f'"{column}"' not in text and f'"{column}:' not in text, (folder, column)
    assert "'line_manager'" in err and THIRD_PERSON not in err and "Boss" not in err


def _kind_with_a_name(out: Path) -> None:
    """Tie kinds naming a person: not in exports, simulate.json, report.html, map legends or on
    the terminal; the notes count them instead."""
    data = out.parent / "data"
    code, stdout, err = _run("privacy_tie_kind_names_a_person", ["validate", str(data)])
    assert code == 0 and "other kinds" in stdout and "Alice" not in stdout + err
    code, stdout, err = _run("privacy_tie_kind_names_a_person", [
        "simulate", str(data), "--out", str(out / "results"), "--replicates", "2",
        "--horizon", "12", "--workers", "1", "--seed", "1"])
    assert code == 0 and "Alice" not in stdout + err, err
    code, _, err = _run("privacy_tie_kind_names_a_person",
                        ["report", str(out / "results"), "--data", str(data), "--no-maps"])
    assert code == 0, err
    import matplotlib

    with matplotlib.rc_context({"svg.fonttype": "none"}):  # legend text searchable in the SVG
        code, _, err = _run("privacy_tie_kind_names_a_person",
                            ["map", str(data), "--out", str(out / "maps" / "network.svg")])
    assert code == 0, err
    svg = (out / "maps" / "network.svg").read_text(encoding="utf-8")
    assert "colleague" in svg and "other kinds" in svg  # the search can find legend text
    assert "Alice" not in _texts(out) and "Smith" not in _texts(out)
    assert "further tie kind" in (out / "results" / "simulate.json").read_text(encoding="utf-8")


def _options_out_of_range(out: Path) -> None:
    """Out-of-range numbers end in one sentence and exit 2, never a traceback."""
    data = out.parent / "data"
    for argv in (["simulate", str(data), "--out", str(out / "s"), "--seed", "-1"],
                 ["diffusion", str(data), "--out", str(out / "d"), "--replicates", "0"],
                 ["map", str(data), "--out", str(out / "m.png"), "--dpi", "1e9"],
                 ["dashboard", str(data), "--port", "70000"],
                 ["analyze", str(data), "--out", str(out / "a"), "--max-dist", "-3"]):
        code, _, err = _run("options_out_of_range", argv)
        assert code == 2 and err.count("\n") == 1 and "must be a whole number" in err, err
    assert not any((out / x).exists() for x in ("s", "d", "m.png", "a"))


def _disk_full(out: Path) -> None:
    """A full disk (a writer raising ENOSPC, which names no file) names the path."""
    import errno
    import os
    from unittest import mock

    def full(*_args, **_kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    data = out.parent / "data"
    with mock.patch("os.fsync", full):
        code, _, err = _run("disk_full_names_the_path",
                            ["analyze", str(data), "--out", str(out / "full")])
    assert code == 2 and f"No space left on device: {out / 'full'}" in err, err
    assert not (out / "full").exists()


def _declared_category(folder: Path) -> None:
    _with_people_columns({"team": lambda i: ("t_a", "t_b")[i % 2]})(folder)
    (folder / "dataset.toml").write_text('categories = ["team"]\n', encoding="utf-8")


def _declared_category_exported(out: Path) -> None:
    """A column declared a category in dataset.toml is published (an allow-list, not a ban)."""
    text = _texts(out / "export")
    assert '"team"' in text and "t_a" in text and "t_b" in text


def _regions_with_one_alone(rows: list[list[str]]) -> None:
    rows[5][PEOPLE_HEADER.index("region")] = "r_alone"


def _second_cohort_of_one(rows: list[list[str]]) -> None:
    rows[11][PEOPLE_HEADER.index("cohort")] = "2"
    rows[11][PEOPLE_HEADER.index("cohort_start")] = "2021-01-01"


CASES += [
    Case("privacy_diffusion_by_full_name",
         _with_people_columns({"Full Name": FULL_NAMES.__getitem__}),
         check=_both(_refuses_grouping("privacy_diffusion_by_full_name", "Full Name",
                                       "personal field"), _no_values(*FULL_NAMES[:3]))),
    Case("privacy_diffusion_by_staff_number",
         _with_people_columns({"staff_number": lambda i: f"SN{7000 + i}"}),
         check=_both(_refuses_grouping("privacy_diffusion_by_staff_number", "staff_number",
                                       "unique per person"), _no_values("SN7000", "SN7013"))),
    Case("privacy_diffusion_by_person_id", _with_people_columns({}),
         check=_refuses_grouping("privacy_diffusion_by_person_id", "person_id", "person id")),
    Case("privacy_diffusion_by_email",
         _with_people_columns({"email": lambda i: f"p{i}@privacy.example"}),
         check=_both(_refuses_grouping("privacy_diffusion_by_email", "email", "personal field"),
                     _no_values("privacy.example"))),
    Case("privacy_diffusion_small_group_pooled",
         _with_people_columns({}, edit=_regions_with_one_alone), check=_small_group_pooled),
    Case("privacy_declared_category_is_published", _declared_category,
         check=_declared_category_exported),
    Case("privacy_reach_by_cohort_one_alum", _with_people_columns({}, edit=_second_cohort_of_one),
         check=_one_alum_cohort),
    Case("privacy_free_text_columns_exported",
         _with_people_columns({
             "notes": lambda i: f"met {THIRD_PERSON} at the {i}th session" if i % 4 == 0 else "",
             "line_manager": lambda i: MANAGERS[i % 3],
             "staff_number": lambda i: f"SN{8000 + i}"}),
         check=_both(_free_text_not_exported,
                     _no_values(THIRD_PERSON, *MANAGERS, "SN8000", "SN8039"))),
    Case("privacy_tie_kind_names_a_person",
         _with_people_columns({}, kinds={**{r: "mentored_by_Alice_Smith" for r in range(0, 6)},
                                         **{r: "Alice Smith team" for r in range(6, 30)}}),
         check=_kind_with_a_name),
    Case("options_out_of_range", _with_people_columns({}), check=_options_out_of_range),
    Case("disk_full_names_the_path", _with_people_columns({}), check=_disk_full),
]


def _adoption(values: dict[int, str]):
    def build(folder: Path) -> None:
        people = people_rows()
        for row, value in values.items():
            people[row][PEOPLE_HEADER.index("adoption_time")] = value
        _write(folder, people)

    return build


def _cohorts(values: dict[int, str]):
    def build(folder: Path) -> None:
        people = people_rows()
        for row, value in values.items():
            people[row][PEOPLE_HEADER.index("cohort")] = value
        _write(folder, people)

    return build


def _people_file(name: str, content: bytes | None = None):
    """The people table only as ``name`` (no ties file when ``content`` is None: an .ods)."""

    def build(folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        if content is None:
            write_ods(folder / name, [PEOPLE_HEADER, *people_rows()])
        else:
            (folder / name).write_bytes(content)
            (folder / "ties.csv").write_text(TIES_CSV)

    return build


def _meta(text: str):
    def build(folder: Path) -> None:
        _write(folder)
        (folder / "dataset.toml").write_text(text, encoding="utf-8")

    return build


CASES += [
    Case("excel_hidden_sheet_named_people", _excel_people("hidden"), full=True,
         notes="the 40 people of the visible sheet are read; a note names the hidden sheet"),
    Case("excel_formulas_without_saved_values", _excel_people("formulas"),
         ("people.xlsx", "sheet 'alumni'", "rows 2, 3, 4", "column 'cohort'", "cell C2",
          "no saved value")),
    Case("cohort_labels_2019_1_and_2019_10", _cohorts(
        {i: "2019.1" if i < 6 else "2019.10" for i in range(12)}),
         notes="two cohorts, not one: labels are text"),
    Case("cohort_start_typo_1900", _dates({3: "1900-01-01"}),
         ("people.csv", "row 5", "column 'cohort_start'", "far outside")),
    Case("cohort_start_year_20191", _dates({3: "20191"}),
         ("people.csv", "row 5", "column 'cohort_start'", "is not a date")),
    Case("adoption_time_1e10", _adoption({4: "1e10"}),
         ("people.csv", "row 6", "column 'adoption_time'", "far outside")),
    Case("adoption_time_inf", _adoption({4: "inf"}),
         ("people.csv", "row 6", "column 'adoption_time'", "finite")),
    Case("adoption_time_numbers_with_one_date", _adoption({4: "2020-03-01"}),
         ("people.csv", "row 6", "column 'adoption_time'", "is not a number, where the other")),
    Case("xls_that_is_not_excel", _people_file("people.xls", b"not an xls file"),
         ("people.xls", "Excel 97-2003")),
    Case("ods_alone", _people_file("people.ods"), ("ties.csv", "file not found", ".ods")),
    Case("dataset_name_is_an_email", _meta('name = "ada@example.org"\n'),
         ("dataset.toml", "'name' holds an email address")),
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
    assert code == 0 or (code == 2 and data.name in err and not results.exists()), err


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
