"""The dataset schema, defined once: its columns, their types, the tie kinds, and header matching.

Every reader turns its format into ``people`` and ``ties`` tables whose columns are named as
here; validation (:mod:`alumni_net.io._validate`) types them as here; the writer writes them in
this order. A column not in the schema is kept as an attribute.

Types
-----
``id``        a person id: integers when every id is a plain integer, else text
``bool``      true/false (also yes/no, 1/0)
``date``      a date: ISO ``YYYY-MM-DD``, a year, day-first ``25/12/2020`` where unambiguous (or
              as ``date_order`` says), an Excel day number
``time``      a number (a month or period) or a date, the same in every row
``label``     a label: text, or integers when every value is a plain integer (nothing is lost)
``category``  text, a category (sector, region, ...)
``number``    a number
``personal``  text that names a person: replaced by keyed pseudonyms on load, never written out
``flag``      true/false set by a reader (``is_ego``)
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = [
    "COLUMNS",
    "DEFAULT_KIND",
    "EGO_COLUMNS",
    "PEOPLE_COLUMNS",
    "PERSONAL_COLUMNS",
    "REQUIRED",
    "TIE_COLUMNS",
    "TIE_KINDS",
    "Column",
    "column_type",
    "match_headers",
    "schema_name",
]


@dataclass(frozen=True)
class Column:
    """One column of the schema."""

    name: str
    table: str  # "people" or "ties"
    type: str
    meaning: str
    required: bool = False


COLUMNS: tuple[Column, ...] = (
    Column("person_id", "people", "id", "unique id of the person", required=True),
    Column("is_alum", "people", "bool", "programme alumnus; empty = true when cohort is set"),
    Column("cohort", "people", "label", "the cohort the alum trained in"),
    Column("cohort_start", "people", "date", "when the cohort started"),
    Column("action_learning_set", "people", "category", "the set within the cohort"),
    Column("sector", "people", "category", "health, social_care, local_government, ..."),
    Column("region", "people", "category", "region"),
    Column("organisation", "people", "category", "employer"),
    Column("role", "people", "category", "role"),
    Column("adoption_time", "people", "time", "when the person took up the practice"),
    Column("name", "people", "personal", "the person's name"),
    Column("email", "people", "personal", "the person's email address"),
    Column("is_ego", "people", "flag", "egocentric data: a respondent (ego)"),
    Column("ego", "people", "id", "egocentric data: the ego through whom an alter is known"),
    Column("source", "ties", "id", "the person who named the other (directed data)",
           required=True),
    Column("target", "ties", "id", "the other person", required=True),
    Column("kind", "ties", "category", "kind of tie (default 'tie')"),
    Column("weight", "ties", "number", "strength of the tie, > 0 (default 1)"),
    Column("since", "ties", "date", "when the tie began"),
)

PEOPLE_COLUMNS = tuple(c.name for c in COLUMNS if c.table == "people")
TIE_COLUMNS = tuple(c.name for c in COLUMNS if c.table == "ties")
REQUIRED = {t: tuple(c.name for c in COLUMNS if c.table == t and c.required)
            for t in ("people", "ties")}
#: Columns that identify a person directly: always replaced by pseudonyms on load.
PERSONAL_COLUMNS = tuple(c.name for c in COLUMNS if c.type == "personal")
#: Columns that egocentric data add to ``people`` (see :mod:`alumni_net.io.formats.egocentric`).
EGO_COLUMNS = ("is_ego", "ego")
#: Tie kinds the package names (any other text is a kind too).
TIE_KINDS = ("cohort", "action_learning_set", "colleague", "partnership", "post_course_contact",
             "site_visit", "advice", "friendship")
DEFAULT_KIND = "tie"

_TYPES = {c.name: c.type for c in COLUMNS}
_SEPARATORS = re.compile(r"[\s\-.]+")


def column_type(name: str) -> str | None:
    """The schema type of a column, or None for an attribute outside the schema.

    Examples
    --------
    >>> column_type("cohort_start"), column_type("favourite_colour")
    ('date', None)
    """
    return _TYPES.get(name)


def schema_name(header: str, table: str | None = None) -> str | None:
    """The schema column a header names, whatever its case, spaces or hyphens; else None.

    Examples
    --------
    >>> schema_name("Person ID "), schema_name("COHORT-START"), schema_name("Notes")
    ('person_id', 'cohort_start', None)
    """
    key = _SEPARATORS.sub("_", str(header).strip().lower()).strip("_")
    if key in _TYPES and (table is None or _table(key) == table):
        return key
    return None


def _table(name: str) -> str:
    return next(c.table for c in COLUMNS if c.name == name)


def match_headers(headers: list[str], table: str | None = None) -> tuple[list[str], dict[str, str]]:
    """Headers as schema names where they name one, and the renames made (``{as written: name}``).

    Headers outside the schema keep their text, stripped of surrounding spaces.

    Examples
    --------
    >>> match_headers(["Person ID ", "Sector", "notes"])
    (['person_id', 'sector', 'notes'], {'Person ID ': 'person_id', 'Sector': 'sector'})
    """
    names, renamed = [], {}
    for header in headers:
        text = str(header)
        name = schema_name(text, table)
        if name is None:
            names.append(text.strip())
            continue
        names.append(name)
        if text != name:
            renamed[text] = name
    return names, renamed
