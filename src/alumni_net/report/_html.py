"""Small helpers for one self-contained HTML page: escaped text, tables, embedded figures."""

from __future__ import annotations

import base64
import html
import io

import pandas as pd
from matplotlib.figure import Figure

from alumni_net.privacy import figure_metadata

CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;max-width:1100px;
margin:2em auto;padding:0 1em;color:#222;line-height:1.45}
h1{font-size:1.7em;margin-bottom:.2em}
h2{border-bottom:1px solid #ddd;padding-bottom:.2em;margin-top:2em}
table{border-collapse:collapse;margin:.6em 0;font-size:.88em}
th,td{border:1px solid #ddd;padding:.25em .6em;text-align:right}th{background:#f4f4f4}
td:first-child,th:first-child{text-align:left}
figure{margin:1em 0}figure img{max-width:100%;height:auto;border:1px solid #eee}
figcaption{font-size:.85em;color:#555}.note{color:#555;font-size:.9em}.missing{color:#a33}
.wide{overflow-x:auto}.claim{background:#fff5eb}.muted{color:#777}code{background:#f4f4f4;padding:0 .2em}
"""


def esc(text: object) -> str:
    return html.escape(str(text), quote=True)


def page(title: str, body: list[str]) -> str:
    """A complete HTML document with inline CSS and nothing fetched from elsewhere."""
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{esc(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
        + "\n".join(body)
        + "\n</body>\n</html>\n"
    )


def number(x: float) -> str:
    """A number as a reader expects it: thousands separated, three significant figures below 100.

    Examples
    --------
    >>> [number(v) for v in (1241.0, 851.5, 7.4321, 0.000223, 26.0)]
    ['1,241', '852', '7.43', '0.000223', '26']
    """
    if x is None or x != x:
        return ""
    if float(x).is_integer() or abs(x) >= 100:
        return f"{x:,.0f}"
    return f"{x:.3g}"


def table(df: pd.DataFrame, *, max_rows: int = 60) -> str:
    """An escaped HTML table (at most ``max_rows`` rows, the cut said below it)."""
    shown = df.head(max_rows)
    # float_format reaches float columns only; integer counts need their separators too.
    ints = {c: number for c in shown.columns if pd.api.types.is_integer_dtype(shown[c])
            and not pd.api.types.is_bool_dtype(shown[c]) and not _looks_like_label(c)}
    text = shown.to_html(index=False, escape=True, na_rep="", border=0, float_format=number,
                         formatters=ints)
    # Wide tables scroll inside the page instead of overflowing it.
    text = f'<div class="wide">{text}</div>'

    if len(df) > max_rows:
        text += f'<p class="note">First {max_rows} of {len(df):,} rows.</p>'
    return text


def _looks_like_label(column: object) -> bool:
    """Columns of codes, not quantities (a cohort 2016 is not "2,016")."""
    name = str(column).lower()
    return name in {"cohort", "year", "rank", "degree", "month", "group", "community"} or name.endswith(
        ("_id", "_rank", "_year"))


def figure_png(fig: Figure, *, dpi: int = 110) -> str:
    """The figure as a base64 ``data:`` URI (PNG, no metadata)."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, metadata=figure_metadata("png"))
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def file_uri(data: bytes, suffix: str) -> str:
    mime = {".png": "image/png", ".svg": "image/svg+xml", ".gif": "image/gif"}[suffix.lower()]
    return f"data:{mime};base64," + base64.b64encode(data).decode("ascii")


def figure_block(uri: str, caption: str, alt: str) -> str:
    return (
        f'<figure><img src="{uri}" alt="{esc(alt)}">'
        f"<figcaption>{esc(caption)}</figcaption></figure>"
    )


def para(text: str, cls: str | None = None) -> str:
    attr = f' class="{cls}"' if cls else ""
    return f"<p{attr}>{esc(text)}</p>"
