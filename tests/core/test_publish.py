"""The allow-list: which people columns, tie kinds, groups and labels an output may publish."""

from __future__ import annotations

from types import SimpleNamespace

import networkx as nx
import pandas as pd
import pytest

from alumni_net.core.publish import (
    KNOWN_KINDS,
    OTHER_KINDS,
    POOLED,
    SCHEMA_CATEGORIES,
    allow_list,
    looks_like_a_name,
    pool_small_groups,
    published_graph,
    published_name,
)
from alumni_net.errors import AlumniNetError

N = 40


def _people() -> pd.DataFrame:
    return pd.DataFrame({
        "person_id": [f"p{i:02d}" for i in range(N)],
        "is_alum": [i < 12 for i in range(N)],
        "cohort": ["2019.1" if i < 12 else None for i in range(N)],
        "sector": ["health", "social_care", "voluntary", "local_government"] * 10,
        "role": [f"role {i}" for i in range(N)],  # a schema column, but unique per person
        "Full Name": [f"Person Number{i}" for i in range(N)],
        "staff_number": [f"SN{1000 + i}" for i in range(N)],
        "notes": [f"talked to Mary Jones {i}" if i % 5 == 0 else None for i in range(N)],
        "line_manager": [f"Boss{i % 3} Smith" for i in range(N)],
        "grade": [f"g{i % 2}" for i in range(N)],
        "team": ["Leeds Team" if i % 2 else "York Team" for i in range(N)],
        "rare": ["lonely" if i == 3 else "crowd" for i in range(N)],
        "contact": [f"p{i}@example.org" if i == 7 else "" for i in range(N)],
        "village": [f"v{i % 60}" for i in range(N)],
    })


def _ties(extra: dict[str, int]) -> pd.DataFrame:
    kinds = ["colleague"] * 20 + [k for k, n in extra.items() for _ in range(n)]
    return pd.DataFrame({"source": ["p00"] * len(kinds), "target": ["p01"] * len(kinds),
                         "kind": kinds})


def test_free_text_names_ids_and_rare_values_are_withheld():
    allowed = allow_list(SimpleNamespace(people=_people(), ties=_ties({})))
    assert allowed.columns == ("is_alum", "cohort", "sector", "grade")
    assert dict(allowed.withheld) == {
        "role": "identifying", "Full Name": "personal", "staff_number": "identifying",
        "notes": "free text", "line_manager": "free text", "team": "name-like values",
        "rare": "small values", "contact": "personal", "village": "identifying",
    }
    notes = " ".join(allowed.notes())
    # The notes name the columns withheld and why, never a value.
    for value in ("Mary", "Boss", "SN10", "Leeds", "lonely", "example.org"):
        assert value not in notes
    assert "'line_manager'" in notes and "declare categories" in notes


def test_what_other_tools_call_a_person_is_never_a_grouping():
    # Kumu's and Polinode's "Label": a name per person, fewer than 20 people, so not an id yet.
    people = pd.DataFrame({"person_id": range(12), "label": [f"p{i}" for i in range(12)],
                           "Buddy": ["Ann Lee", "Bo Chan"] * 6, "status_label": ["a", "b"] * 6})
    allowed = allow_list(SimpleNamespace(people=people, ties=_ties({})), min_count=5)
    assert allowed.withheld["label"] == "free text"
    assert allowed.withheld["Buddy"] == "name-like values"  # however many share each value
    assert "status_label" in allowed.columns
    for column in ("label", "Buddy"):
        with pytest.raises(AlumniNetError):
            allowed.check_grouping(column)


def test_declared_categories_and_min_count_change_the_list_but_not_personal_fields():
    people = _people()
    declared = allow_list(SimpleNamespace(people=people, ties=_ties({}),
                                          categories=("team", "rare", "Full Name", "role")))
    assert {"team", "rare"} <= set(declared.columns)
    assert declared.withheld["Full Name"] == "personal"  # a declaration cannot publish a name
    assert declared.withheld["role"] == "identifying"  # nor an id in another guise
    assert "rare" in allow_list(SimpleNamespace(people=people, ties=_ties({})),
                                min_count=1).columns
    pseudonymised = allow_list(SimpleNamespace(
        people=people, ties=_ties({}), loaded_with={"pseudonymised_columns": ["grade"]}))
    assert pseudonymised.withheld["grade"] == "pseudonymised"


def test_every_schema_category_and_programme_kind_is_published():
    people = pd.DataFrame({"person_id": range(N), **{c: ["x", "y"] * (N // 2)
                                                      for c in SCHEMA_CATEGORIES}})
    ties = pd.DataFrame({"source": 0, "target": 1, "kind": sorted(KNOWN_KINDS)})
    allowed = allow_list(SimpleNamespace(people=people, ties=ties))
    assert allowed.columns == SCHEMA_CATEGORIES
    assert all(allowed.kind(k) == k for k in KNOWN_KINDS)


def test_tie_kinds_that_may_name_someone_become_other_kinds():
    allowed = allow_list(SimpleNamespace(
        people=_people(),
        ties=_ties({"mentored_by_Alice_Smith": 12, "coop_project": 15, "rare_kind": 2,
                    "ada@example.org": 11})))
    assert allowed.kind("colleague") == "colleague"
    assert allowed.kind("coop_project") == "coop_project"  # a category by the same rule
    assert allowed.kind("mentored_by_Alice_Smith") == OTHER_KINDS  # a name, however common
    assert allowed.kind("rare_kind") == OTHER_KINDS
    assert allowed.kind("ada@example.org") == OTHER_KINDS
    assert allowed.kind("never seen") == OTHER_KINDS
    assert allowed.withheld_kinds == 3
    assert "3 tie kinds" in allowed.notes()[-1] and "Alice" not in allowed.notes()[-1]


@pytest.mark.parametrize(("column", "why"), [
    ("Full Name", "personal field"), ("email", "personal field"), ("contact", "personal field"),
    ("staff_number", "unique per person"), ("person_id", "person id"),
    ("village", "unique per person"), ("line_manager", "free text"), ("team", "person's name"),
    ("nowhere", "no such column"),
])
def test_grouping_by_a_column_outputs_never_publish_is_one_sentence(column, why):
    people = _people().assign(email=lambda t: [f"p{i}@x.org" for i in range(N)])
    allowed = allow_list(SimpleNamespace(people=people, ties=_ties({})))
    with pytest.raises(AlumniNetError, match=why) as err:
        allowed.check_grouping(column, purpose="group adoption curves")
    assert str(err.value).startswith(f"cannot group adoption curves by '{column}': ")
    assert "\n" not in str(err.value)
    allowed.check_grouping("sector")  # a category: no error
    allowed.check_grouping("rare")  # rare values: allowed, its small groups are then pooled


def test_small_groups_are_pooled_with_their_complement():
    # Sizes 25, 12, 4 and 1: the two small ones make a pool of 5, so the 12 joins it.
    labels = pd.Series(["a"] * 25 + ["b"] * 12 + ["c"] * 4 + ["d"])
    published, n = pool_small_groups(labels)
    assert published.value_counts().to_dict() == {"a": 25, POOLED: 17} and n == 3
    # Large groups only: nothing changes.
    same, none = pool_small_groups(pd.Series(["a"] * 10 + ["b"] * 10))
    assert same.tolist() == ["a"] * 10 + ["b"] * 10 and none == 0
    # One person without a value is a group too: they go into the pool, not out of sight.
    gaps = pd.Series(["a"] * 20 + ["b"] * 11 + [None])
    published, n = pool_small_groups(gaps)
    assert published.value_counts(dropna=False).to_dict() == {"a": 20, POOLED: 12} and n == 1
    # Many people without a value stay out; the small group still needs a complement.
    gaps = pd.Series(["a"] * 20 + ["b"] * 3 + [None] * 15)
    published, _ = pool_small_groups(gaps)
    assert published.value_counts(dropna=False).to_dict() == {"a": 20, POOLED: 18}


def test_no_pooled_total_is_small_whatever_the_sizes():
    import numpy as np

    rng = np.random.default_rng(5)
    for _ in range(200):
        sizes = rng.integers(1, 30, size=rng.integers(1, 8))
        labels = pd.Series([f"g{i}" for i, n in enumerate(sizes) for _ in range(n)])
        published, _ = pool_small_groups(labels, min_count=10)
        shown = published.value_counts()
        assert all(n >= 10 for n in shown) or len(shown) == 1  # only the whole may be small


def test_published_graph_keeps_only_the_allow_list():
    G = nx.Graph(name="list from ada@example.org", categories=(), pseudonymised=("grade",))
    for _, row in _people().iterrows():
        G.add_node(row["person_id"], **{k: v for k, v in row.items()
                                        if k != "person_id" and v is not None})
    G.add_edge("p00", "p01", kinds=("colleague", "mentored_by_Alice_Smith"), weight=2.0,
               since=pd.Timestamp("2020-01-01"), contact_email="ada@example.org")
    H = published_graph(G)
    assert set(H.nodes["p00"]) == {"is_alum", "cohort", "sector"}
    assert H.edges["p00", "p01"] == {"weight": 2.0, "since": pd.Timestamp("2020-01-01"),
                                     "kinds": ("colleague", OTHER_KINDS)}
    assert H.graph["name"] == "unnamed dataset"
    assert "'grade' is not published" in H.graph["privacy_notes"]


def test_names_in_labels():
    assert looks_like_a_name("Jane Smith") and looks_like_a_name("friend of O'Neil Jones")
    assert not looks_like_a_name("social_care") and not looks_like_a_name("London")
    assert published_name(None) == "unnamed dataset"
    assert published_name("Cohort list (contact: a.b@nhs.net)") == "unnamed dataset"
    assert published_name("Programme 2016-2025") == "Programme 2016-2025"
