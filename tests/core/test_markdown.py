"""Markdown outputs: every value from the data is shown as text, never rendered (issue 11), and
counts and intervals read the same in Markdown as in the HTML report (issue 8)."""

from __future__ import annotations

import pandas as pd
import pytest

from alumni_net.core.formatting import estimate, interval, is_rate, number, whole
from alumni_net.core.markdown import Raw, escape_markdown, markdown_table, render_markdown
from alumni_net.io import Dataset
from alumni_net.pipelines.analyze import analyze_dataset, summary_markdown

HOSTILE = [
    "<script>alert(1)</script>",
    "[x](javascript:alert(1))",
    "![img](http://evil.example/x.png)",
    "a | b",
    "*bold* _em_ `code` ~~gone~~",
    "<img src=x onerror=alert(1)>",
    "<http://evil.example>",
    "&lt;script&gt;",
    "# heading",
    "- item",
    "1. item",
    "> quote",
    "line one\nline two\r\n<b>x</b>",
    "http://evil.example and www.evil.example",
    "back\\slash",
]


def _render_html(markdown: str) -> str:
    markdown_it = pytest.importorskip("markdown_it")
    return markdown_it.MarkdownIt("commonmark").enable("table").enable("strikethrough").render(
        markdown
    )


@pytest.mark.parametrize("value", HOSTILE)
def test_an_escaped_value_renders_as_exactly_itself(value):
    # One paragraph, no tags but <p>, no link, and its text is the value (newlines as spaces).
    html = _render_html(escape_markdown(value))
    expected = " ".join(value.split()) if "\n" in value else value
    import html as html_lib

    assert html.startswith("<p>") and html.rstrip().endswith("</p>")
    inner = html.strip()[3:-4]
    assert "<" not in inner.replace("&lt;", "")  # no tag inside the paragraph
    assert html_lib.unescape(inner) == expected


def test_a_table_keeps_its_columns_whatever_the_cells_hold():
    table = markdown_table([[v, 12] for v in HOSTILE], ["group", "members"], "lr")
    html = _render_html(table)
    assert html.count("<tr>") == len(HOSTILE) + 1
    assert html.count("<td") == 2 * len(HOSTILE)  # a '|' in a cell never makes a third column
    assert "<script" not in html and "<a " not in html and "<img" not in html
    assert "<em>" not in html and "<strong>" not in html and "<del>" not in html


def test_templates_escape_every_value_unless_marked_raw():
    text = render_markdown(
        "multiplier.md.j2", rows=[["<b>x</b>", "1", "1 to 2", "[l](javascript:x)"]],
        n_replicates=Raw("**3**"),
    )
    assert "| &lt;b>x&lt;/b> | 1 | 1 to 2 | \\[l\\](javascript:x) |" in text
    assert text.endswith("Medians over **3** seeded replicates.\n")


def test_summary_md_of_analyze_shows_markup_in_categories_as_text(tmp_path):
    ids = [f"p{i}" for i in range(24)]
    sectors = ["<script>alert(1)</script>"] * 12 + ["[x](javascript:alert(1)) | y"] * 12
    people = pd.DataFrame({"person_id": ids, "is_alum": [i < 3 for i in range(24)],
                           "sector": sectors})
    ties = pd.DataFrame({"source": ids[:-1], "target": ids[1:], "kind": "tie", "weight": 1.0,
                         "since": pd.NaT})
    ds = Dataset(people, ties, directed=False, name="<b>board</b> *data*")
    analyze_dataset(ds, tmp_path / "out", min_count=10)
    text = (tmp_path / "out" / "summary.md").read_text(encoding="utf-8")
    assert text.startswith("# Network analysis: &lt;b>board&lt;/b> \\*data\\*\n")
    assert "| &lt;script>alert(1)&lt;/script> | 12 |" in text
    assert "| \\[x\\](javascript:alert(1)) \\| y | 12 |" in text
    html = _render_html(text)
    assert "<script" not in html and "<a " not in html and "<b>" not in html
    # Each E-I row still has exactly three cells.
    ei = html[html.index("E-I index by sector"):]
    body = ei[ei.index("<tbody>"):]
    first_row = body[:body.index("</tr>")]
    assert first_row.count("<td") == 3


def test_summary_md_counts_are_whole_and_withheld_counts_read_below_the_cut_off():
    summary = {
        "dataset": {"name": "toy", "people": 12345, "ties": 20000, "directed": False,
                    "alumni": 26},
        "reach": {
            "max_dist": 2, "influence": "undirected", "effects": [0.15, 0.06],
            "alumni_union": {"reach_1": 1200.0, "reach_2": None, "reach_within_1": 1200,
                             "reach_within_2": 3000, "decay_weighted_reach": 299.57},
            "overlap": {"sum_individual_within_1": 1500, "overlap_ratio_1": 1.25,
                        "sum_individual_within_2": 4200, "overlap_ratio_2": 1.4},
            "claim_10_per_alum": 260,
        },
        "connectors": [{"connector_rank": 1, "person_id": "p_ab12", "connector_score": 0.98765}],
        "communities": {"count": 7, "modularity": 0.61234},
        "ei_index": {},
        "betweenness": "exact",
        "min_count": 10,
    }
    text = summary_markdown(summary)
    assert "12,345 people, 20,000 undirected ties, 26 alumni." in text
    assert "| 1 | 1,200 | 1,200 | 1,500 | 1.25 |" in text
    assert "| 2 | <10 | 3,000 | 4,200 | 1.4 |" in text
    assert "decay-weighted union reach (effects 0.15, 0.06) is 300." in text
    assert "| 1 | p_ab12 | 0.988 |" in text
    assert "7 communities (modularity 0.612)." in text


@pytest.mark.parametrize(
    ("lo", "hi", "count", "expected"),
    [
        (93.35, 193.0, True, "93 to 193"),  # issue 8: "93.35 - 193"
        (1149.1, 1277.65, True, "1,149 to 1,278"),
        (-3.6, 12.2, True, "-4 to 12"),
        (0.0456789, 0.2, False, "0.0457 to 0.2"),
        (1.1667, 2.34, False, "1.17 to 2.34"),
        (851.5, 1241.0, False, "852 to 1,241"),
        (None, 3.0, True, "n/a"),
    ],
)
def test_one_interval_rule(lo, hi, count, expected):
    assert interval(lo, hi, count=count) == expected


def test_estimates_counts_and_rates():
    assert estimate(2367.4, 2269.2, 2466.0, count=True) == "2,367 (2,269 to 2,466)"
    assert estimate(4.4123, 4.0801, 4.6449, count=False) == "4.41 (4.08 to 4.64)"
    assert estimate(float("nan"), 1, 2, count=True) == "n/a"
    assert whole(999.5) == "1,000" and number(0.000223) == "0.000223" and number(26.0) == "26"
    rates = ["adopters_per_alum", "attributable_share_of_branching", "overlap ratio", "ei_index"]
    counts = ["adopters", "practising_person_months", "alumni", "naive_branching"]
    assert all(map(is_rate, rates)) and not any(map(is_rate, counts))
