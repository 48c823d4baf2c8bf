"""What an output may publish: an allow-list of people columns and tie kinds, never free text.

Every output that shows people's attributes (exports, maps and their legends, grouped tables,
reports, ``simulate.json``, the terminal) asks this module what it may show, so the rule is
written once:

**People columns.** A column is published when it is

* one of the schema's categories (:data:`SCHEMA_CATEGORIES`: ``is_alum``, ``cohort``,
  ``cohort_start``, ``action_learning_set``, ``sector``, ``region``, ``organisation``, ``role``,
  ``adoption_time``);
* declared a category in ``dataset.toml`` (``categories = ["grade"]``); or
* detected as one: at most :data:`MAX_CATEGORY_VALUES` distinct values, each held by at least
  ``min_count`` people, a column name that does not suggest people or free text (``notes``,
  ``line_manager``, ``staff_number``: :data:`FREE_TEXT_WORDS`; or ``label``, ``title``,
  ``username``, what other tools call a person) and no value that looks like a person's name
  (two capitalised words, ``"Jane Smith"``) or an email.

Whatever its kind, a column is withheld when its name is a personal field or a value holds an
email (:func:`~alumni_net.core.privacy.looks_personal`), when it was pseudonymised on load (its
keyed hashes link the people who share a value), and, apart from ``is_alum``, ``cohort``,
``cohort_start`` and ``adoption_time``, when it is unique per person or nearly (more than 95%
distinct values among 20 or more people with a value: an id in another guise). ``person_id``
is the id, published only as a pseudonym, never as an attribute.

**Tie kinds.** A kind is published as itself when it is one of the programme's kinds
(:data:`KNOWN_KINDS`) or a category by the same rule (used by at least ``min_count`` ties, not
looking like a name or an email); every other kind is shown as ``"other kinds"``.

**Groupings.** A column an output groups people by must pass the same rule, except that rare
values and many values are allowed (:meth:`AllowList.groupable`): :func:`pool_small_groups`
merges the groups of fewer than ``min_count`` people into ``"other (suppressed)"``, adding the
next smallest groups while that pool is itself small, so that no small group can be recovered
by subtracting the shown groups from the total. Names, emails, ids, pseudonymised columns,
free-text columns and name-like values are never groupings.

**Labels.** Metadata strings (the dataset's name) are checked like cells: :func:`published_name`
replaces one that holds an email.

Notes (:meth:`AllowList.notes`) say what was withheld and why, naming columns but never values.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import pandas as pd

from alumni_net.core.privacy import looks_personal
from alumni_net.errors import AlumniNetError
from alumni_net.vocabulary import DEFAULT_MIN_COUNT

__all__ = [
    "FREE_TEXT_WORDS",
    "KNOWN_KINDS",
    "MAX_CATEGORY_VALUES",
    "OTHER_KINDS",
    "POOLED",
    "SCHEMA_CATEGORIES",
    "AllowList",
    "allow_list",
    "looks_like_a_name",
    "pool_small_groups",
    "pooled_note",
    "published_graph",
    "published_json",
    "published_kind_counts",
    "published_kinds",
    "published_name",
    "published_weights",
]

#: People columns of the data dictionary that are categories: published unless they look
#: personal (and, for organisation, role, sector, region and sets, unless unique per person).
SCHEMA_CATEGORIES = (
    "is_alum",
    "cohort",
    "cohort_start",
    "action_learning_set",
    "sector",
    "region",
    "organisation",
    "role",
    "adoption_time",
)
#: Schema columns published even when nearly every person has their own value (times, the
#: programme's own grouping): the analyses need them and they describe the programme.
_NEVER_IDENTIFYING = frozenset({"is_alum", "cohort", "cohort_start", "adoption_time"})
#: Tie kinds of the data dictionary, the synthetic programme and the model: always published.
KNOWN_KINDS = frozenset({
    "tie", "cohort", "action_learning_set", "colleague", "partnership", "post_course_contact",
    "site_visit", "advice", "friendship", "long_range",
})
#: A detected category has at most this many distinct values.
MAX_CATEGORY_VALUES = 50
#: Words in a column name that suggest people or free text: such columns are published only
#: when declared a category in ``dataset.toml``.
FREE_TEXT_WORDS = (
    "name", "manager", "mentor", "supervisor", "coach", "sponsor", "contact", "note", "comment",
    "remark", "description", "text", "free", "staff", "number", "id", "ident", "email", "phone",
    "address", "who", "person", "people", "reference", "ref",
)
# Whole column names that hold what a person is called in other tools (Kumu's and Polinode's
# "Label" and "Name"): free text however few their words.
_LABEL_NAMES = frozenset({"label", "title", "display_name", "nickname", "nick", "initials",
                          "username", "user", "alias", "handle"})
#: The label shown for kinds that are withheld.
OTHER_KINDS = "other kinds"
#: The label of the pool of small groups (the same as the maps' "other (suppressed)").
POOLED = "other (suppressed)"
#: A column with more distinct values than this share of people is (nearly) an id; checked from
#: 20 people with a value (as the loader's note is), below which nearly every column is unique.
_NEARLY_UNIQUE = 0.95
_MIN_PEOPLE = 20
_UNNAMED = "unnamed dataset"
_WITHHELD = "withheld (it holds an email)"
# Two capitalised words in a row ("Jane Smith", "Alice_Smith", "O'Neil Jones"): a person's name
# as people type it. Categories of a programme are lower-case codes or single words; where a
# real category looks like this ("North West") it must be declared, which errs towards privacy.
_NAME = re.compile(r"(?<![A-Za-z])[A-Z][a-z'\u2019]+(?:[\s_.-]+[A-Z][a-z'\u2019]+)+")
_WORDS = re.compile(r"[a-z]+")

# Why a column is withheld, as the notes say it (never naming a value).
_REASONS = {
    "personal": "a personal field (a name, an email or another identifier)",
    "pseudonymised": "pseudonymised on load (its keyed values would link the people who share one)",
    "identifying": "unique per person or nearly (an id in another guise)",
    "free text": "named like a column about people or of free text",
    "too many values": f"not a category (more than {MAX_CATEGORY_VALUES} distinct values)",
    "small values": "not a category (a value is held by fewer than {min_count} people)",
    "name-like values": "not a category (a value looks like a person's name)",
}
_PRIVATE = ("personal", "pseudonymised", "identifying")
# Reasons a grouping cures by pooling groups of fewer than min_count people.
_POOLABLE = ("small values", "too many values")


@dataclass(frozen=True)
class AllowList:
    """What one dataset's outputs may publish (see the module docstring).

    Attributes
    ----------
    columns : people columns that may be published, in the data's order.
    withheld : people column -> reason key (see :meth:`reason`), for every column withheld.
    kinds : tie kind -> the kind as published (itself, or ``"other kinds"``).
    min_count : the cut-off the rule used.
    """

    columns: tuple[str, ...] = ()
    withheld: Mapping[str, str] = field(default_factory=dict)
    kinds: Mapping[str, str] = field(default_factory=dict)
    min_count: int = DEFAULT_MIN_COUNT

    def allows(self, column: str) -> bool:
        return column in self.columns

    def reason(self, column: str) -> str:
        """Why ``column`` is withheld, as a clause (``""`` when it is published)."""
        key = self.withheld.get(column)
        if column == "person_id":
            return "it is the person id (published only as a pseudonym, never as a group)"
        if key is None:
            return "" if column in self.columns else "the people table has no such column"
        return "it is " + _REASONS[key].format(min_count=self.min_count)

    def kind(self, kind: Any) -> str:
        """``kind`` as outputs show it: itself when published, else ``"other kinds"``."""
        return self.kinds.get(str(kind), OTHER_KINDS)

    @property
    def withheld_kinds(self) -> int:
        return sum(1 for k, v in self.kinds.items() if v != k)

    def groupable(self, column: str) -> bool:
        """True when outputs may group people by ``column``: it is published, or it is withheld
        only for rare values or too many of them, which pooling small groups cures."""
        return column in self.columns or self.withheld.get(column) in _POOLABLE

    def check_grouping(self, column: str, *, purpose: str = "group people") -> None:
        """Raise AlumniNetError (one sentence) unless outputs may group people by ``column``.

        Examples
        --------
        >>> AllowList(("sector",), {"email": "personal"}).check_grouping("email")
        ... # doctest: +NORMALIZE_WHITESPACE
        Traceback (most recent call last):
        ...
        alumni_net.errors.AlumniNetError: cannot group people by 'email': it is a personal field
        (a name, an email or another identifier)
        """
        if self.groupable(column):
            return
        why = self.reason(column)
        fix = ("" if column == "person_id" or self.withheld.get(column) in (None, *_PRIVATE)
               else f"; declare it with categories = [\"{column}\"] in dataset.toml if its "
                    "values are categories that name no one")
        raise AlumniNetError(f"cannot {purpose} by '{column}': {why}{fix}")

    def notes(self) -> list[str]:
        """What was withheld and why: columns by name, kinds by number (never a value)."""
        out = []
        by_reason: dict[str, list[str]] = {}
        for col, key in self.withheld.items():
            by_reason.setdefault(key, []).append(col)
        for key, cols in by_reason.items():
            names = ", ".join(f"'{c}'" for c in cols)
            many = len(cols) > 1
            out.append(f"People column{'s' if many else ''} {names} "
                       f"{'are' if many else 'is'} not published: {'each' if many else 'it'} is "
                       f"{_REASONS[key].format(min_count=self.min_count)}"
                       + ("" if key in _PRIVATE else
                          "; declare categories = [...] in dataset.toml to publish "
                          + ("them" if many else "it")) + ".")
        n = self.withheld_kinds
        if n:
            out.append(f"{n} tie kind{'s' if n > 1 else ''} used by fewer than {self.min_count} "
                       f"ties or looking like a name {'are' if n > 1 else 'is'} shown as "
                       f"'{OTHER_KINDS}'.")
        return out


def allow_list(data: Any, *, min_count: int = DEFAULT_MIN_COUNT,
               declared: Iterable[str] | None = None,
               pseudonymised: Iterable[str] | None = None) -> AllowList:
    """The allow-list of a Dataset (``people``, ``ties``) or a networkx graph.

    ``declared`` (categories from ``dataset.toml``) and ``pseudonymised`` (columns replaced by
    keyed pseudonyms on load) default to what the data carry: a Dataset's ``categories`` and
    ``loaded_with["pseudonymised_columns"]``, a graph's ``graph["categories"]`` and
    ``graph["pseudonymised"]``.

    Examples
    --------
    >>> people = pd.DataFrame({"person_id": range(30), "sector": ["a", "b", "c"] * 10,
    ...                        "grade": ["g1", "g2"] * 15, "notes": [f"n{i}" for i in range(30)],
    ...                        "email": ["x@example.org"] * 30})
    >>> ties = pd.DataFrame({"source": range(29), "target": range(1, 30),
    ...                      "kind": ["colleague"] * 27 + ["Jane Smith"] * 2})
    >>> from types import SimpleNamespace
    >>> allowed = allow_list(SimpleNamespace(people=people, ties=ties))
    >>> allowed.columns, dict(allowed.withheld)
    (('sector', 'grade'), {'notes': 'identifying', 'email': 'personal'})
    >>> allowed.kind("colleague"), allowed.kind("Jane Smith")
    ('colleague', 'other kinds')
    """
    if isinstance(data, nx.Graph):
        people = _node_table(data)
        declared = data.graph.get("categories", ()) if declared is None else declared
        pseudonymised = (data.graph.get("pseudonymised", ()) if pseudonymised is None
                         else pseudonymised)
    else:
        people = data.people
        declared = getattr(data, "categories", ()) if declared is None else declared
        loaded = getattr(data, "loaded_with", None) or {}
        pseudonymised = (loaded.get("pseudonymised_columns", ()) if pseudonymised is None
                         else pseudonymised)
    columns, withheld = _columns(people, set(declared or ()), set(pseudonymised or ()), min_count)
    return AllowList(tuple(columns), withheld, published_kinds(data, min_count=min_count),
                     min_count)


def published_kinds(data: Any, *, min_count: int = DEFAULT_MIN_COUNT) -> dict[str, str]:
    """Each tie kind of a Dataset (``ties["kind"]``) or graph -> the kind as outputs show it.

    Examples
    --------
    >>> G = nx.Graph()
    >>> G.add_edge(1, 2, kinds=("colleague", "met_at_Jane_Smiths"))
    >>> published_kinds(G)
    {'colleague': 'colleague', 'met_at_Jane_Smiths': 'other kinds'}
    """
    if isinstance(data, nx.Graph):
        counts = _graph_kind_counts(data)
    else:
        ties = getattr(data, "ties", None)
        counts = (ties["kind"].astype(str).value_counts().to_dict()
                  if ties is not None and "kind" in ties else {})
    return {k: (k if _kind_published(k, n, min_count) else OTHER_KINDS) for k, n in counts.items()}


def _columns(people: pd.DataFrame, declared: set, pseudonymised: set, min_count: int
             ) -> tuple[list[str], dict[str, str]]:
    columns, withheld = [], {}
    for col in people.columns:
        if col == "person_id":
            continue
        reason = _column_reason(str(col), people[col], declared, pseudonymised, min_count)
        if reason is None:
            columns.append(col)
        else:
            withheld[col] = reason
    return columns, withheld


def _column_reason(col: str, values: pd.Series, declared: set, pseudonymised: set,
                   min_count: int) -> str | None:
    present = values.dropna()
    text = present.astype(str) if len(present) else present
    if looks_personal(col, text.unique() if len(text) else None):
        return "personal"
    if col in pseudonymised:
        return "pseudonymised"
    if col not in _NEVER_IDENTIFYING and _nearly_unique(text):
        return "identifying"
    if col in SCHEMA_CATEGORIES or col in declared:
        return None
    words = _WORDS.findall(col.lower())
    if ({*words, *(w.removesuffix("s") for w in words)} & set(FREE_TEXT_WORDS)
            or "_".join(words) in _LABEL_NAMES):
        return "free text"
    counts = text.value_counts()
    # Privacy reasons first: a grouping cures rare values by pooling, never a name.
    if any(looks_like_a_name(v) for v in counts.index):
        return "name-like values"
    if len(counts) > MAX_CATEGORY_VALUES:
        return "too many values"
    if len(counts) and int(counts.min()) < min_count:
        return "small values"
    return None


def _nearly_unique(text: pd.Series) -> bool:
    n = len(text)
    return n >= _MIN_PEOPLE and text.nunique() > _NEARLY_UNIQUE * n


def _kind_published(kind: str, n: int, min_count: int) -> bool:
    if kind in KNOWN_KINDS:
        return True
    return n >= min_count and not looks_like_a_name(kind) and not looks_personal("", [kind])


def looks_like_a_name(value: Any) -> bool:
    """True when ``value`` holds two capitalised words in a row, as a person's name is written.

    Examples
    --------
    >>> [looks_like_a_name(v) for v in ("Jane Smith", "mentored_by_Alice_Smith", "health",
    ...                                 "North", 12)]
    [True, True, False, False, False]
    """
    return isinstance(value, str) and _NAME.search(value) is not None


def published_name(name: Any, *, fallback: str = _UNNAMED) -> str:
    """A dataset's (or any metadata) label as outputs show it: ``fallback`` if it holds an email.

    Examples
    --------
    >>> published_name("Programme 2016-2025"), published_name("ada@example.org's list")
    ('Programme 2016-2025', 'unnamed dataset')
    """
    if name is None:
        return fallback
    text = str(name)
    return fallback if looks_personal("", [text]) else text


def published_json(value: Any) -> Any:
    """A JSON-like value (dicts, lists, text) with every string that holds an email withheld.

    Outputs' metadata (``summary.json``, ``simulate.json``, ``scenarios.json``) carry names of
    datasets, folders and files that come from the user; they are checked like cells.

    Examples
    --------
    >>> published_json({"dataset": {"name": "from ada@example.org", "people": 40}})
    {'dataset': {'name': 'withheld (it holds an email)', 'people': 40}}
    """
    if isinstance(value, str):
        return published_name(value, fallback=_WITHHELD)
    if isinstance(value, Mapping):
        return {published_json(k): published_json(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [published_json(v) for v in value]
    return value


def pool_small_groups(labels: pd.Series, *, min_count: int = DEFAULT_MIN_COUNT,
                      label: str = POOLED) -> tuple[pd.Series, int]:
    """Groups of fewer than ``min_count`` merged into ``label``, with their complement.

    People with no value count as a group of their own. Groups with 1 to ``min_count - 1``
    people go into the pool; while the pool itself is small, the next smallest groups join it,
    so that neither a small group nor the pool can be worked out from the total and the groups
    shown. Returns the published labels (``label`` for pooled people, missing for a large group
    of people with no value) and the number of groups pooled (people with no value not counted).

    Examples
    --------
    >>> labels = pd.Series(["a"] * 12 + ["b"] * 11 + ["c"] * 20 + ["d"])
    >>> published, n = pool_small_groups(labels)
    >>> published.value_counts().to_dict(), n
    ({'c': 20, 'a': 12, 'other (suppressed)': 12}, 2)
    """
    labels = labels.astype(object)
    missing = labels.isna()
    key = labels.where(~missing, _MISSING)
    sizes = key.value_counts()
    order = sorted(sizes.items(), key=lambda kv: (kv[1], str(kv[0])))
    pooled, size = set(), 0
    for group, n in order:
        if 0 < n < min_count or 0 < size < min_count:
            pooled.add(group)
            size += n
        else:
            break
    out = labels.where(~key.isin(pooled), label)
    return out, sum(1 for g in pooled if g is not _MISSING)


#: Stands for "no value" among group labels (counted as a group of its own).
_MISSING = object()


def pooled_note(n_pooled: int, column: str, min_count: int) -> str:
    """One sentence for an output's notes on pooled groups (none when nothing was pooled)."""
    if not n_pooled:
        return ""
    return (f"{n_pooled} {column} group{'s' if n_pooled > 1 else ''} of fewer than {min_count} "
            f"people (with the next smallest where needed, so none can be worked out from the "
            f"total) {'are' if n_pooled > 1 else 'is'} shown together as '{POOLED}'.")


def published_kind_counts(kinds: Iterable[Any], allowed: AllowList) -> dict[str, int]:
    """How many ties of each published kind (withheld kinds counted under "other kinds")."""
    out: dict[str, int] = {}
    for k in kinds:
        shown = allowed.kind(k)
        out[shown] = out.get(shown, 0) + 1
    return out


def published_graph(G: nx.Graph, allowed: AllowList | None = None, *,
                    min_count: int = DEFAULT_MIN_COUNT) -> nx.Graph:
    """A copy of ``G`` holding only what may be published: allowed node attributes, the tie
    attributes ``weight`` and ``since``, kinds as published, and the graph's checked ``name``.

    Exporters (GEXF, GraphML, Kumu) write this graph; the allow-list defaults to
    :func:`allow_list` of ``G``. A graph-level ``"privacy_notes"`` attribute says what was
    withheld and why.

    Examples
    --------
    >>> G = nx.Graph(name="ada@example.org")
    >>> G.add_node(1, sector="health", notes="met Jane Smith")
    >>> G.add_node(2, sector="health", notes="")
    >>> G.add_edge(1, 2, kinds=("colleague", "Jane Smith"), weight=2.0)
    >>> H = published_graph(G)
    >>> dict(H.nodes[1]), H.edges[1, 2]["kinds"], H.graph["name"]
    ({'sector': 'health'}, ('colleague', 'other kinds'), 'unnamed dataset')
    """
    allowed = allow_list(G, min_count=min_count) if allowed is None else allowed
    keep = set(allowed.columns)
    H = G.__class__()
    if G.graph.get("name") is not None:
        H.graph["name"] = published_name(G.graph["name"])
    notes = allowed.notes()
    if notes:
        H.graph["privacy_notes"] = " ".join(notes)
    H.add_nodes_from((v, {k: x for k, x in d.items() if k in keep}) for v, d in G.nodes(data=True))
    memo: dict = {}  # kinds tuples repeat across ties: map each distinct one once

    def kinds_of(kinds: Any) -> Any:
        key = kinds if isinstance(kinds, (str, tuple)) else tuple(kinds)
        if key not in memo:
            memo[key] = _published_kinds(kinds, allowed)
        return memo[key]

    def attrs(d: Mapping) -> dict:
        out = {k: d[k] for k in ("weight", "since") if k in d}
        if "kinds" in d:
            out["kinds"] = kinds_of(d["kinds"])
        if "kind" in d:
            out["kind"] = allowed.kind(d["kind"])
        return out

    if G.is_multigraph():
        H.add_edges_from((u, v, allowed.kind(k) if isinstance(k, str) else k, attrs(d))
                         for u, v, k, d in G.edges(keys=True, data=True))
    else:
        H.add_edges_from((u, v, attrs(d)) for u, v, d in G.edges(data=True))
    return H


def _published_kinds(kinds: Any, allowed: AllowList) -> Any:
    if isinstance(kinds, str):
        return ";".join(sorted({allowed.kind(k) for k in kinds.split(";") if k}))
    return tuple(sorted({allowed.kind(k) for k in kinds}))


def published_weights(weights: Mapping[str, Any], data: Any = None, *,
                      min_count: int = DEFAULT_MIN_COUNT) -> dict[str, Any]:
    """Tie weights keyed by kind (a config's ``tie_weights``) as outputs show them.

    A kind keeps its name when outputs may publish it (:func:`published_kinds` of ``data``; a
    kind the data do not hold is published only when it is one of the programme's kinds); the
    others are keyed ``"other kinds (1)"``, ``"other kinds (2)"`` ..., in the order given, so
    that their weights stay readable without the names.

    Examples
    --------
    >>> published_weights({"colleague": 2.0, "mentored_by_Ada_Lovelace": 3.0, "team_x": 0.5})
    {'colleague': 2.0, 'other kinds (1)': 3.0, 'other kinds (2)': 0.5}
    """
    shown = published_kinds(data, min_count=min_count) if data is not None else {}
    out: dict[str, Any] = {}
    hidden = 0
    for kind, weight in weights.items():
        kind = str(kind)
        if shown.get(kind, kind if kind in KNOWN_KINDS else OTHER_KINDS) == kind:
            out[kind] = weight
        else:
            hidden += 1
            out[f"{OTHER_KINDS} ({hidden})"] = weight
    return out


def _node_table(G: nx.Graph) -> pd.DataFrame:
    rows = [d for _, d in G.nodes(data=True)]
    return pd.DataFrame.from_records(rows) if rows else pd.DataFrame()


def _graph_kind_counts(G: nx.Graph) -> dict[str, int]:
    counts: dict[str, int] = {}
    if G.is_multigraph():
        kinds: Iterable[Hashable] = (d.get("kind", k) for *_, k, d in G.edges(keys=True, data=True))
    else:
        kinds = (k for _, _, d in G.edges(data=True) for k in _edge_kinds(d))
    for k in kinds:
        counts[str(k)] = counts.get(str(k), 0) + 1
    return counts


def _edge_kinds(d: Mapping) -> tuple:
    kinds = d.get("kinds")
    if kinds is None:
        return (d["kind"],) if d.get("kind") is not None else ("tie",)
    if isinstance(kinds, str):
        return tuple(k for k in kinds.split(";") if k)
    return tuple(kinds)
