"""The HTML page from jinja2 templates (``report/templates/``), autoescaped throughout."""

from __future__ import annotations

import functools

import jinja2

from alumni_net.report._blocks import Block

__all__ = ["render_page"]

_KINDS = {"heading", "paragraph", "table", "figure", "key_figures", "notes", "file_list",
          "preformatted"}


@functools.cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("alumni_net.report", "templates"),
        # Every template here is HTML: escape every value (pandas tables arrive as Markup).
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )


def render_page(title: str, subtitle: str, blocks: list[Block]) -> str:
    """A complete HTML document with inline CSS and nothing fetched from elsewhere.

    Examples
    --------
    >>> from alumni_net.report._blocks import heading, para
    >>> html = render_page("A & B", "sub", [heading("<i>x</i>"), para("1 < 2", "note")])
    >>> "<title>A &amp; B</title>" in html, "<h2>&lt;i&gt;x&lt;/i&gt;</h2>" in html
    (True, True)
    >>> '<p class="note">1 &lt; 2</p>' in html
    True
    """
    unknown = [b for b in blocks if getattr(b, "kind", None) not in _KINDS]
    if unknown:
        raise TypeError(f"not a report block: {unknown[0]!r}")
    page = _environment().get_template("page.html.j2")
    return page.render(title=title, subtitle=subtitle, blocks=blocks)
