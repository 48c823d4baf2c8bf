"""The report's content as data: each section returns a list of blocks, the templates draw them.

Blocks hold plain text (escaped by jinja2 when rendered) except :class:`Table`, whose HTML comes
from pandas' ``to_html(escape=True)`` and is marked safe only there (:func:`table`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd
from markupsafe import Markup

from alumni_net.core.formatting import number

__all__ = [
    "Block",
    "FileList",
    "Figure",
    "Heading",
    "KeyFigures",
    "Notes",
    "Paragraph",
    "Preformatted",
    "Table",
    "figure_block",
    "heading",
    "key_figures",
    "notes",
    "para",
    "preformatted",
    "table",
]


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 2
    kind = "heading"

    def __post_init__(self) -> None:
        if self.level not in (1, 2, 3, 4):
            raise ValueError(f"heading level {self.level} is not 1-4")


@dataclass(frozen=True)
class Paragraph:
    text: str
    cls: str | None = None
    kind = "paragraph"


@dataclass(frozen=True)
class Table:
    """An HTML table escaped by pandas (``html``), with a sentence under it when cut."""

    html: Markup
    note: str | None = None
    kind = "table"


@dataclass(frozen=True)
class Figure:
    uri: str
    caption: str
    alt: str
    kind = "figure"

    def __post_init__(self) -> None:
        # Only embedded images: the page fetches nothing from elsewhere.
        if not self.uri.startswith("data:image/"):
            raise ValueError("a report figure must be an embedded data:image URI")


@dataclass(frozen=True)
class KeyFigures:
    """Label-value pairs, the page's headline numbers."""

    rows: tuple[tuple[str, str], ...]
    kind = "key_figures"


@dataclass(frozen=True)
class Notes:
    """A bulleted list of sentences."""

    items: tuple[str, ...]
    cls: str | None = None
    kind = "notes"


@dataclass(frozen=True)
class FileList:
    """Expected files that were not found, with the command that writes each."""

    rows: tuple[tuple[str, str], ...]
    kind = "file_list"


@dataclass(frozen=True)
class Preformatted:
    text: str
    kind = "preformatted"


Block = Heading | Paragraph | Table | Figure | KeyFigures | Notes | FileList | Preformatted


def heading(text: str, level: int = 2) -> Heading:
    return Heading(str(text), level)


def para(text: str, cls: str | None = None) -> Paragraph:
    return Paragraph(str(text), cls)


def figure_block(uri: str, caption: str, alt: str) -> Figure:
    return Figure(uri, str(caption), str(alt))


def key_figures(rows: Iterable[tuple[object, object]]) -> KeyFigures:
    return KeyFigures(tuple((str(k), str(v)) for k, v in rows))


def notes(items: Iterable[object], cls: str | None = None) -> Notes:
    return Notes(tuple(str(i) for i in items), cls)


def preformatted(text: str) -> Preformatted:
    return Preformatted(str(text))


def table(df: pd.DataFrame, *, max_rows: int = 60) -> Table:
    """A table of at most ``max_rows`` rows (the cut said below it), escaped by pandas.

    Examples
    --------
    >>> t = table(pd.DataFrame({"group": ["<b>x</b>"], "people": [1241]}))
    >>> "<td>&lt;b&gt;x&lt;/b&gt;</td>" in t.html, "<td>1,241</td>" in t.html, t.note
    (True, True, None)
    """
    shown = df.head(max_rows)
    # float_format reaches float columns only; integer counts need their separators too.
    ints = {
        c: number
        for c in shown.columns
        if pd.api.types.is_integer_dtype(shown[c])
        and not pd.api.types.is_bool_dtype(shown[c])
        and not _looks_like_label(c)
    }
    html = shown.to_html(
        index=False, escape=True, na_rep="", border=0, float_format=number, formatters=ints
    )
    note = f"First {max_rows} of {len(df):,} rows." if len(df) > max_rows else None
    # pandas escaped every header and cell above (escape=True): the one place HTML is trusted.
    return Table(Markup(html), note)


def _looks_like_label(column: object) -> bool:
    """Columns of codes, not quantities (a cohort 2016 is not "2,016")."""
    name = str(column).lower()
    return name in {"cohort", "year", "rank", "degree", "month", "group", "community"} or (
        name.endswith(("_id", "_rank", "_year"))
    )
