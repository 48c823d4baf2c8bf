"""Group-level summaries behind aggregated maps, with small groups and links suppressed."""

from __future__ import annotations

from dataclasses import dataclass, field

import networkx as nx
import pandas as pd

from alumni_net.core.privacy import DEFAULT_MIN_COUNT, is_small
from alumni_net.core.publish import pool_small_groups
from alumni_net.plotting._style import OTHER, SUPPRESSED_GROUP, node_groups, sort_groups


@dataclass(frozen=True)
class Aggregated:
    """One row per shown group (``people``, ``alumni``, ``ties_within``) and per shown link.

    ``merged`` counts groups folded into "other (suppressed)", ``hidden`` the groups not drawn
    at all, ``hidden_links`` the between-group links with fewer ties than the min_count, and
    ``lumped`` the large groups folded into "other" to keep at most ``max_groups``.
    """

    groups: pd.DataFrame
    links: pd.DataFrame
    merged: int = 0
    hidden: int = 0
    hidden_links: int = 0
    lumped: int = 0
    min_count: int = DEFAULT_MIN_COUNT
    notes: list[str] = field(default_factory=list)


def aggregate_network(
    G: nx.Graph,
    group_by: str | pd.Series,
    *,
    min_count: int = DEFAULT_MIN_COUNT,
    hide_small: bool = False,
    max_groups: int = 20,
) -> Aggregated:
    """Collapse ``G`` to one node per value of ``group_by``, suppressing small groups and links.

    ``group_by`` is a node attribute, or a Series of group labels indexed by node (such as
    communities).

    Groups with 1 to ``min_count - 1`` people are merged into "other (suppressed)" (or hidden
    when ``hide_small``), with the next smallest groups while that pool is itself small
    (:func:`alumni_net.core.publish.pool_small_groups`), so that no small group can be worked
    out from the total; the pool is hidden only when everyone together is below the cut-off.
    Beyond ``max_groups`` groups the smaller ones are lumped into "other" for legibility.
    Links between groups with fewer than ``min_count`` ties are not shown.

    Examples
    --------
    >>> G = nx.complete_graph(19)
    >>> nx.set_node_attributes(G, {v: "a" if v < 10 else "b" for v in G}, "sector")
    >>> agg = aggregate_network(G, "sector")
    >>> agg.groups[["group", "people"]].values.tolist(), agg.merged, agg.hidden
    ([['other (suppressed)', 19]], 2, 0)
    """
    if isinstance(group_by, pd.Series):
        labels = group_by.astype(str).reindex(list(G.nodes)).dropna()
    else:
        labels = node_groups(G, group_by)
    # The one grouping rule: small groups pooled with their complement (core.publish).
    published, pooled = pool_small_groups(labels, min_count=min_count, label=SUPPRESSED_GROUP)
    merged, hidden = (0, pooled) if hide_small else (pooled, 0)
    labels = labels[published != SUPPRESSED_GROUP] if hide_small else published
    sizes = labels.value_counts()
    if SUPPRESSED_GROUP in sizes and is_small(sizes[SUPPRESSED_GROUP], min_count):
        labels = labels[labels != SUPPRESSED_GROUP]
        hidden += merged
        merged = 0
    labels, lumped = _lump(labels, max_groups)
    groups = _group_table(G, labels)
    links, hidden_links = _link_table(G, labels, min_count)
    return Aggregated(groups, links, merged, hidden, hidden_links, lumped, min_count)


def _lump(labels: pd.Series, max_groups: int) -> tuple[pd.Series, int]:
    """Keep the largest ``max_groups - 1`` groups (plus the suppressed one), lump the rest."""
    sizes = labels[labels != SUPPRESSED_GROUP].value_counts()
    if len(sizes) + (SUPPRESSED_GROUP in set(labels)) <= max_groups:
        return labels, 0
    keep = set(sizes.index[: max_groups - 2]) | {SUPPRESSED_GROUP}
    return labels.where(labels.isin(keep), OTHER), len(sizes) - (max_groups - 2)


def _group_table(G: nx.Graph, labels: pd.Series) -> pd.DataFrame:
    alum = pd.Series({v: bool(G.nodes[v].get("is_alum", False)) for v in labels.index}, dtype=bool)
    table = pd.DataFrame({"group": labels, "alum": alum.reindex(labels.index)})
    out = table.groupby("group").agg(people=("alum", "size"), alumni=("alum", "sum"))
    within = pd.Series(0, index=out.index, dtype="int64")
    for u, v in G.edges():
        gu, gv = labels.get(u), labels.get(v)
        if gu is not None and gu == gv:
            within[gu] += 1
    out["ties_within"] = within
    out = out.reindex(sort_groups(out.index)).reset_index()
    return out.astype({"people": "int64", "alumni": "int64", "ties_within": "int64"})


def _link_table(G: nx.Graph, labels: pd.Series, min_count: int) -> tuple[pd.DataFrame, int]:
    """Ties between each pair of groups (both directions together for directed data)."""
    counts: dict[tuple[str, str], int] = {}
    for u, v in G.edges():
        gu, gv = labels.get(u), labels.get(v)
        if gu is None or gv is None or gu == gv:
            continue
        key = tuple(sorted((gu, gv)))
        counts[key] = counts.get(key, 0) + 1
    rows = [(a, b, n) for (a, b), n in sorted(counts.items())]
    links = pd.DataFrame(rows, columns=["source", "target", "ties"]).astype({"ties": "int64"})
    keep = ~links["ties"].map(lambda n: is_small(n, min_count)).astype(bool)
    return links[keep].reset_index(drop=True), int((~keep).sum())
