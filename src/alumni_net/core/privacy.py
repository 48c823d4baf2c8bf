"""Privacy by default: small counts suppressed, personal fields dropped, file metadata stripped.

Pseudonymising ids (keyed HMAC) happens on load in :mod:`alumni_net.io`; this module guards
what leaves the package: published tables, maps, exports and reports.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

import networkx as nx
import numpy as np
import pandas as pd

from alumni_net.vocabulary import DEFAULT_MIN_COUNT

__all__ = [
    "DEFAULT_MIN_COUNT",
    "PERSONAL_FIELDS",
    "figure_metadata",
    "format_count",
    "is_small",
    "looks_personal",
    "suppress_running_counts",
    "suppress_running_totals_jointly",
    "suppress_small",
    "suppressed_label",
    "without_personal_attributes",
]


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
_DOMAIN = re.compile(r"[^@\s]+\.[A-Za-z]{2,}")  # what follows the @ of an email


def suppressed_label(min_count: int = DEFAULT_MIN_COUNT) -> str:
    """The text shown in place of a suppressed count.

    Examples
    --------
    >>> suppressed_label(10)
    '<10'
    """
    return f"<{int(min_count)}"


def is_small(count: float, min_count: int = DEFAULT_MIN_COUNT) -> bool:
    """True when ``count`` must be suppressed: more than zero and fewer than ``min_count``.

    Zero is shown: "nobody" discloses nothing about an individual, and hiding it would make
    the suppressed cells easier to infer, not harder.

    Examples
    --------
    >>> [is_small(n) for n in (0, 1, 9, 10)]
    [False, True, True, False]
    """
    if count is None or pd.isna(count):
        return False
    return 0 < float(count) < min_count


def format_count(count: float, min_count: int = DEFAULT_MIN_COUNT) -> str:
    """A count as published: ``"<10"`` when small, otherwise the number with thousands separators.

    Examples
    --------
    >>> format_count(9), format_count(10), format_count(12345.0)
    ('<10', '10', '12,345')
    """
    if count is None or pd.isna(count):
        return "n/a"
    if is_small(count, min_count):
        return suppressed_label(min_count)
    value = float(count)
    return f"{value:,.0f}" if value.is_integer() else f"{value:,.1f}"


def suppress_small(
    table: pd.DataFrame,
    columns: Iterable[str] | None = None,
    *,
    min_count: int = DEFAULT_MIN_COUNT,
    skip: Iterable[str] = (),
    label: bool = False,
) -> pd.DataFrame:
    """Return a copy of ``table`` with every count in ``[1, min_count)`` withheld.

    The one suppression rule of the package (see :func:`is_small`): 0 and ``min_count`` upwards
    are shown. Machine-readable tables get a missing value where a count was withheld (whole-number
    columns become pandas' nullable ``Int64``, so counts stay counts); tables for people to read
    (``label=True``) get the text ``"<10"`` there instead.

    Parameters
    ----------
    table : pandas.DataFrame
        The table to publish.
    columns : iterable of str, optional
        Columns holding counts of people (or ties); default every numeric column not in ``skip``.
    min_count : int, default 10
        The privacy cut-off (>= 1).
    skip : iterable of str
        Numeric columns that are not counts (years, cohort numbers) when ``columns`` is None.
    label : bool, default False
        Write ``"<min_count"`` instead of a missing value (the columns become text).

    Examples
    --------
    >>> counts = pd.DataFrame({"sector": ["health", "voluntary", "private"], "n": [9, 10, 0]})
    >>> suppress_small(counts, ["n"], label=True)["n"].tolist()
    ['<10', '10', '0']
    >>> suppress_small(counts)["n"].tolist()
    [<NA>, 10, 0]
    """
    if isinstance(min_count, bool) or not isinstance(min_count, int) or min_count < 1:
        raise ValueError(f"min_count must be an integer of at least 1, got {min_count!r}")
    if columns is None:
        skipped = set(skip)
        columns = [c for c in table.columns if c not in skipped
                   and pd.api.types.is_numeric_dtype(table[c])
                   and not pd.api.types.is_bool_dtype(table[c])]
    columns = list(columns)
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise KeyError(f"count columns not in the table: {', '.join(map(str, missing))}")
    out = table.copy()
    for col in columns:
        if label:
            out[col] = [format_count(v, min_count).replace(",", "") for v in table[col]]
            continue
        values = out[col]
        if pd.api.types.is_integer_dtype(values):
            values = values.astype("Int64")
        out[col] = values.mask(values.map(lambda v: is_small(v, min_count)).astype(bool))
    return out


def suppress_running_counts(counts: Iterable[float], min_count: int = DEFAULT_MIN_COUNT
                            ) -> tuple[np.ndarray, np.ndarray]:
    """Which new counts and running totals of one series to withhold, so that none of the
    withheld counts can be worked out from the ones shown.

    A series of new counts per period (adopters) published with its running total gives every
    count back as the difference of two totals, so withholding small counts alone protects
    nothing. Here a running total is shown only where it has risen by 0 or by at least
    ``min_count`` since the last total shown (and is not itself small); between two totals shown,
    if any count is small, every count that is not 0 is withheld, so what is withheld sums to
    0 or to at least ``min_count``. A last stretch that rose by less is merged with the stretch
    before it, so the final total (everyone who adopted) can be shown.

    Returns two boolean arrays: withhold the new count, withhold the running total.

    Examples
    --------
    >>> new, total = suppress_running_counts([11, 9, 9, 11, 0, 3])
    >>> new.tolist()
    [False, True, True, True, False, True]
    >>> total.tolist()
    [False, True, False, True, True, False]
    """
    counts = np.asarray(list(counts), dtype=float)
    total = np.cumsum(counts)
    ends: list[int] = []
    shown = 0.0
    for t, value in enumerate(total):
        rise = value - shown
        if (rise == 0 or rise >= min_count) and not is_small(value, min_count):
            ends.append(t)
            shown = value
    if len(total) and (not ends or ends[-1] != len(total) - 1):
        # The last stretch rose by less than min_count: merge it back until it has not.
        while ends and 0 < total[-1] - total[ends[-1]] < min_count:
            ends.pop()
        ends.append(len(total) - 1)
    hide_total = np.ones(len(total), dtype=bool)
    hide_new = np.zeros(len(total), dtype=bool)
    start = 0
    for end in ends:
        hide_total[end] = is_small(total[end], min_count) or (
            0 < total[end] - (total[start - 1] if start else 0) < min_count)
        window = counts[start:end + 1]
        if any(is_small(c, min_count) for c in window):
            hide_new[start:end + 1] = window > 0
        start = end + 1
    return hide_new, hide_total


def suppress_running_totals_jointly(counts: np.ndarray, min_count: int = DEFAULT_MIN_COUNT
                                    ) -> np.ndarray:
    """Which running totals of several series (rows: groups, columns: periods) to withhold when
    they are published together with their sum (the whole population's curve).

    Totals are shown only at periods where every series has risen by 0 or by at least
    ``min_count`` since the last period shown (and none is small), so no series' withheld counts,
    nor the difference between the sum and the series shown, add up to a small number. Include
    as a row anyone the published series leave out (the sum minus the rows), so that their
    counts are protected too. Only totals are meant to be published: new counts per period of
    one series would be a difference of the sum and the others.

    Examples
    --------
    >>> suppress_running_totals_jointly(np.array([[11, 9, 9, 2], [12, 0, 10, 0]])).tolist()
    [[False, True, True, False], [False, True, True, False]]
    """
    counts = np.asarray(counts, dtype=float)
    total = np.cumsum(counts, axis=1)
    periods = total.shape[1]
    ends: list[int] = []
    shown = np.zeros(total.shape[0])

    def fine(t: int, base: np.ndarray) -> bool:
        rise = total[:, t] - base
        return bool(np.all((rise == 0) | (rise >= min_count))
                    and not any(is_small(v, min_count) for v in total[:, t]))

    for t in range(periods):
        if fine(t, shown):
            ends.append(t)
            shown = total[:, t]
    if periods and (not ends or ends[-1] != periods - 1):
        while ends and not fine(periods - 1, total[:, ends[-1]]):
            ends.pop()
        ends.append(periods - 1)  # shown below only if it rose enough from the start
    hide = np.ones(total.shape, dtype=bool)
    previous = np.zeros(total.shape[0])
    for end in ends:
        rise = total[:, end] - previous
        ok = ((rise == 0) | (rise >= min_count)) & ~np.array(
            [is_small(v, min_count) for v in total[:, end]])
        hide[:, end] = not ok.all()
        previous = total[:, end]
    return hide


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
    return any(isinstance(v, str) and "@" in v and _has_email(v) for v in values)


def _has_email(text: str) -> bool:
    """``_EMAIL.search(text)`` in linear time: searching a 100,000-character value with no
    address takes quadratic time, so only the text around each ``@`` is matched.

    Examples
    --------
    >>> _has_email("write to ada@example.org."), _has_email("x" * 10 + "@" + "y" * 10)
    (True, False)
    """
    start = 0
    while (at := text.find("@", start)) >= 0:
        before = text[at - 1] if at else " "
        if not before.isspace() and before != "@" and _DOMAIN.match(text, at + 1):
            return True
        start = at + 1
    return False


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
