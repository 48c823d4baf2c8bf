"""Privacy by default: small counts suppressed, personal fields dropped, file metadata stripped.

Pseudonymising ids (keyed HMAC) happens on load in :mod:`alumni_net.io`; this module guards
what leaves the package: published tables, maps, exports and reports.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

import networkx as nx
import pandas as pd

__all__ = [
    "DEFAULT_THRESHOLD",
    "PERSONAL_FIELDS",
    "figure_metadata",
    "format_count",
    "is_small",
    "looks_personal",
    "suppress_small",
    "suppressed_label",
    "without_personal_attributes",
]

#: Counts of 1 to ``DEFAULT_THRESHOLD - 1`` are suppressed in published tables and maps.
DEFAULT_THRESHOLD = 10

#: Attribute names that identify a person; they never reach an output file.
PERSONAL_FIELDS = frozenset(
    {
        "name",
        "full_name",
        "first_name",
        "last_name",
        "surname",
        "given_name",
        "forename",
        "email",
        "e_mail",
        "email_address",
        "mail",
        "phone",
        "telephone",
        "mobile",
        "address",
        "postcode",
        "post_code",
        "date_of_birth",
        "dob",
        "nhs_number",
        "ni_number",
    }
)

_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[A-Za-z]{2,}")


def suppressed_label(threshold: int = DEFAULT_THRESHOLD) -> str:
    """The text shown in place of a suppressed count.

    Examples
    --------
    >>> suppressed_label(10)
    '<10'
    """
    return f"<{int(threshold)}"


def is_small(count: float, threshold: int = DEFAULT_THRESHOLD) -> bool:
    """True when ``count`` must be suppressed: more than zero and fewer than ``threshold``.

    Zero is shown: "nobody" discloses nothing about an individual, and hiding it would make
    the suppressed cells easier to infer, not harder.

    Examples
    --------
    >>> [is_small(n) for n in (0, 1, 9, 10)]
    [False, True, True, False]
    """
    if count is None or pd.isna(count):
        return False
    return 0 < float(count) < threshold


def format_count(count: float, threshold: int = DEFAULT_THRESHOLD) -> str:
    """A count as published: ``"<10"`` when small, otherwise the number with thousands separators.

    Examples
    --------
    >>> format_count(9), format_count(10), format_count(12345.0)
    ('<10', '10', '12,345')
    """
    if count is None or pd.isna(count):
        return "n/a"
    if is_small(count, threshold):
        return suppressed_label(threshold)
    value = float(count)
    return f"{value:,.0f}" if value.is_integer() else f"{value:,.1f}"


def suppress_small(
    df: pd.DataFrame, count_cols: Iterable[str], threshold: int = DEFAULT_THRESHOLD
) -> pd.DataFrame:
    """Return a copy of ``df`` with counts below ``threshold`` replaced by ``"<threshold"``.

    Only the named count columns change; they become text columns so that the table shows
    ``"<10"`` exactly where a count was withheld.

    Parameters
    ----------
    df : pandas.DataFrame
        The table to publish.
    count_cols : iterable of str
        Columns holding counts of people (or ties).
    threshold : int, default 10
        Counts ``1 .. threshold - 1`` are suppressed; ``0`` and ``threshold`` upwards are shown.

    Examples
    --------
    >>> table = pd.DataFrame({"sector": ["health", "voluntary", "private"], "n": [9, 10, 0]})
    >>> suppress_small(table, ["n"])["n"].tolist()
    ['<10', '10', '0']
    """
    missing = [c for c in count_cols if c not in df.columns]
    if missing:
        raise KeyError(f"count columns not in the table: {', '.join(missing)}")
    if threshold < 1:
        raise ValueError(f"threshold must be at least 1, got {threshold}")
    out = df.copy()
    for col in count_cols:
        out[col] = [format_count(v, threshold).replace(",", "") for v in df[col]]
    return out


def looks_personal(key: str, values: Iterable | None = None) -> bool:
    """True when an attribute is a personal identifier, by its name or by values that are emails.

    Examples
    --------
    >>> looks_personal("Email"), looks_personal("sector"), looks_personal("x", ["a@b.org"])
    (True, False, True)
    """
    norm = re.sub(r"[^a-z0-9]+", "_", str(key).strip().lower()).strip("_")
    if norm in PERSONAL_FIELDS:
        return True
    if values is None:
        return False
    return any(isinstance(v, str) and _EMAIL.search(v) for v in values)


def without_personal_attributes(G: nx.Graph) -> nx.Graph:
    """A copy of ``G`` without personal node, edge or graph attributes (:func:`looks_personal`)."""
    H = G.copy()
    node_keys = _attribute_values(d for _, d in H.nodes(data=True))
    edge_keys = _attribute_values(d for *_, d in H.edges(data=True))
    for keys, items in ((node_keys, H.nodes.values()), (edge_keys, _edge_dicts(H))):
        drop = [k for k, vals in keys.items() if looks_personal(k, vals)]
        for data in items:
            for k in drop:
                data.pop(k, None)
    # Graph-level "name" is the dataset's name, so only values that are emails are dropped here.
    for k in [k for k, v in H.graph.items() if looks_personal("", [v])]:
        H.graph.pop(k)
    return H


def figure_metadata(fmt: str) -> dict[str, None]:
    """``savefig(metadata=...)`` that removes every default field matplotlib would write.

    Matplotlib stamps its version (and, for PDF, a creation date) into files; we write nothing
    so that images carry no information beyond the picture.
    """
    fmt = fmt.lower().lstrip(".")
    fields: Mapping[str, tuple[str, ...]] = {
        "png": ("Software",),
        "svg": ("Creator", "Date", "Format", "Type"),
        "pdf": ("Creator", "Producer", "CreationDate"),
    }
    return dict.fromkeys(fields.get(fmt, ()))


def _attribute_values(dicts: Iterable[dict]) -> dict[str, list]:
    values: dict[str, list] = {}
    for d in dicts:
        for k, v in d.items():
            values.setdefault(k, []).append(v)
    return values


def _edge_dicts(H: nx.Graph) -> Iterable[dict]:
    if H.is_multigraph():
        return (d for *_, d in H.edges(keys=True, data=True))
    return (d for *_, d in H.edges(data=True))
