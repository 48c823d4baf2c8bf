"""Markdown outputs from jinja2 templates, every value escaped unless marked :class:`Raw`.

Markdown viewers render raw HTML and links, so a category such as ``<script>alert(1)</script>``
or ``[x](javascript:...)`` written as it is would run or link; a ``|`` would split a table cell.
:func:`render_markdown` escapes every ``{{ value }}`` of a template in
``alumni_net/core/templates/`` with :func:`escape_markdown` (the Markdown counterpart of the
HTML report's autoescaping). Stage 0, so that the pipelines and experiments that write ``.md``
files can use it.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from typing import Any

import jinja2

from alumni_net.core import formatting as _format

__all__ = ["Raw", "escape_markdown", "markdown_table", "render_markdown"]


class Raw(str):
    """Text that is already Markdown (written by the package, not taken from data)."""


_NEWLINES = re.compile(r"[\r\n\t\v\f\u2028\u2029]+")
# Inline syntax: code, emphasis, strike-through, links and images, table cells, escapes.
_ALWAYS = re.compile(r"([\\`*\[\]|~#])")
# HTML needs '<' followed by a letter, '/', '!' or '?' (tags, comments, autolinks); "<10" is text.
_TAG_OPEN = re.compile(r"<(?=[A-Za-z/!?])")
_ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
# '_' emphasises only at a word's edge (CommonMark's flanking rule), so snake_case stays legible.
_EDGE_UNDERSCORE = re.compile(r"(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])")
# Bare URLs become links in GitHub's Markdown.
_AUTOLINK = re.compile(r"(?i)\b(https?|ftp)(:)(?=//)|\b(www)(\.)")
# Block markers at the start of a value: lists, block quotes, setext/thematic rules.
_BLOCK_START = re.compile(r"^(\s*)(\d*)([-+=>.)])(?=\s|$|[-+=])")


def escape_markdown(value: object) -> str:
    """``value`` as Markdown text that renders as itself: no HTML, links, emphasis or cells.

    Examples
    --------
    >>> print(escape_markdown("<script>alert(1)</script>"))
    &lt;script>alert(1)&lt;/script>
    >>> print(escape_markdown("[x](javascript:alert(1)) | *bold*"))
    \\[x\\](javascript:alert(1)) \\| \\*bold\\*
    >>> print(escape_markdown("naive_ten_per_alum <10 R&D"))
    naive_ten_per_alum <10 R&D
    """
    text = _NEWLINES.sub(" ", str(value))
    text = _ENTITY.sub("&amp;", text)
    text = _TAG_OPEN.sub("&lt;", text)
    text = _ALWAYS.sub(r"\\\1", text)
    text = _EDGE_UNDERSCORE.sub(r"\\_", text)
    text = _AUTOLINK.sub(lambda m: f"{m[1]}\\:" if m[1] else f"{m[3]}\\.", text)
    return _BLOCK_START.sub(_escape_block_start, text)


def _escape_block_start(m: re.Match) -> str:
    # "- x", "+ x", "> x", "1. x", "1) x": the marker escaped ("1\\. x"), a lone "-3" untouched.
    if m[2] and m[3] not in ".)" or not m[2] and m[3] in ".)":
        return m[0]
    return f"{m[1]}{m[2]}\\{m[3]}"


def markdown_table(rows: Iterable[Sequence[Any]], columns: Sequence[str],
                   align: str | None = None) -> Raw:
    """A Markdown table, every cell escaped; ``align`` has one letter per column (l, r, c).

    Examples
    --------
    >>> print(markdown_table([["a|b", 12], ["<b>c</b>", 3]], ["group", "n"], "lr"))
    | group | n |
    | --- | ---: |
    | a\\|b | 12 |
    | &lt;b>c&lt;/b> | 3 |
    """
    rules = {"l": "---", "r": "---:", "c": ":---:"}
    align = align or "l" * len(columns)

    def line(cells: Iterable[Any]) -> str:
        return "| " + " | ".join(_finalize(c) for c in cells) + " |"

    lines = [line(columns), "| " + " | ".join(rules[a] for a in align) + " |"]
    return Raw("\n".join([*lines, *(line(r) for r in rows)]))


def _finalize(value: object) -> str:
    if value is None:
        return ""
    return value if isinstance(value, Raw) else escape_markdown(value)


@functools.cache
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("alumni_net.core", "templates"),
        autoescape=False,  # HTML escaping would be wrong here; _finalize escapes Markdown instead
        finalize=_finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters.update(
        number=_format.number,
        whole=_format.whole,
        interval=_format.interval,
        estimate=_format.estimate,
        is_rate=_format.is_rate,
        md_table=markdown_table,
    )
    return env


def render_markdown(template: str, **context: Any) -> str:
    """Render ``alumni_net/core/templates/<template>`` with ``context``, every value escaped.

    Examples
    --------
    >>> print(render_markdown("multiplier.md.j2", rows=[["alumni", "30", "30 to 30", "x"]],
    ...                       n_replicates=5))
    | measure | median | 90% interval | what it is |
    | --- | ---: | ---: | --- |
    | alumni | 30 | 30 to 30 | x |
    <BLANKLINE>
    Medians over 5 seeded replicates.
    <BLANKLINE>
    """
    return _environment().get_template(template).render(**context)
