"""Whole-network and aggregated maps: rendering, legends, fallbacks, suppression, privacy."""

from __future__ import annotations

import random

import matplotlib.image as mpimg
import networkx as nx
import numpy as np
import pandas as pd
import pytest
from matplotlib.collections import PathCollection
from tests.plotting.conftest import all_texts, legend_labels, two_group_graph

from alumni_net.core.publish import allow_list, pool_small_groups
from alumni_net.errors import AlumniNetError
from alumni_net.plotting import (
    aggregate_network,
    plot_aggregated_map,
    plot_network_map,
    save_figure,
)
from alumni_net.plotting._layout import force_layout
from alumni_net.plotting._style import SUPPRESSED_GROUP


def test_programme_map_png_has_expected_size_and_legend(programme, tmp_path):
    ax = plot_network_map(programme, color_by="sector", data_name="synthetic")
    path = save_figure(ax.figure, tmp_path / "map.png", dpi=50)
    assert mpimg.imread(path).shape[:2] == (400, 400)  # 8 x 8 inches at 50 dpi
    sectors = {d["sector"] for _, d in programme.nodes(data=True)}
    assert sorted(legend_labels(ax)) == sorted(sectors)
    assert ax.get_legend().get_title().get_text() == "sector"


def test_real_network_maps_render(real_graph, tmp_path):
    attr = next(
        a
        for a in ("office_label", "level_label", "village", "city")
        if any(a in d for _, d in real_graph.nodes(data=True))
    )
    ax = plot_network_map(real_graph, color_by=attr, data_name=real_graph.graph.get("name"))
    values = pd.Series([str(d[attr]) for _, d in real_graph.nodes(data=True) if attr in d])
    groups = set(values)
    if not allow_list(real_graph).allows(attr):  # rare values: groups below 10 are pooled
        groups = set(pool_small_groups(values)[0])
    labels = set(legend_labels(ax))
    assert labels == groups if len(groups) <= 12 else len(labels) == 12
    save_figure(ax.figure, tmp_path / "map.svg")
    agg = plot_aggregated_map(real_graph, group_by=attr)
    save_figure(agg.figure, tmp_path / "agg.pdf")
    assert (tmp_path / "agg.pdf").read_bytes().startswith(b"%PDF")


def test_default_colouring_is_cohort_and_ties_by_kind(programme):
    G = programme.subgraph(list(programme.nodes)[:300]).copy()
    ax = plot_network_map(G)
    cohorts = {
        str(int(c)) if isinstance(c, float) else str(c)
        for _, c in G.nodes(data="cohort")
        if c is not None
    }
    expected = cohorts | (
        {"unknown"} if any(c is None for _, c in G.nodes(data="cohort")) else set()
    )
    assert set(legend_labels(ax)) == expected
    styles = ax.artists[0] if ax.artists else None
    assert styles is not None
    kinds = {k for *_, ks in G.edges(data="kinds") for k in ks}
    shown = {t.get_text() for t in styles.get_texts()}
    assert shown & kinds  # tie kinds are named in the style legend
    assert {"alum (outlined)", "not an alum"} <= shown


def test_no_person_labels_unless_asked():
    G = nx.path_graph(5)
    ax = plot_network_map(G, size_by=None)
    assert not any(t in {"0", "1", "2", "3", "4"} for t in all_texts(ax))
    ax = plot_network_map(G, size_by=None, person_labels=True)
    assert {"0", "1", "2", "3", "4"} <= set(all_texts(ax))


def test_large_network_falls_back_to_alumni_and_contacts():
    G = nx.path_graph(30)
    nx.set_node_attributes(G, {v: v in (10, 20) for v in G}, "is_alum")
    ax = plot_network_map(G, max_people=10, size_by=None)
    caption = " ".join(all_texts(ax))
    assert "the 2 alumni and their 4 direct contacts" in caption
    points = [c for c in ax.collections if isinstance(c, PathCollection)]
    assert sum(len(c.get_offsets()) for c in points) == 6


def test_too_large_even_for_contacts_falls_back_to_aggregated():
    G = two_group_graph({"health": 12, "voluntary": 12})
    ax = plot_network_map(G, max_people=5, color_by="sector")
    assert "too many for a person-level map" in " ".join(all_texts(ax))
    assert legend_labels(ax) == ["health", "voluntary"]


@pytest.mark.parametrize(("small", "merged"), [(9, True), (10, False)])
def test_aggregated_suppression_at_threshold_exactly(small, merged):
    G = two_group_graph({"health": 15, "voluntary": small, "private": 12})
    agg = aggregate_network(G, "sector", min_count=10)
    groups = list(agg.groups["group"])
    if merged:
        # 9 voluntary people are suppressed; alone in the pool they could be worked out from
        # the total, so the next smallest group (12 private) joins them.
        assert groups == ["health", SUPPRESSED_GROUP]
        assert agg.groups.set_index("group").loc[SUPPRESSED_GROUP, "people"] == 21
        assert (agg.merged, agg.hidden) == (2, 0)
    else:
        assert "voluntary" in groups
        assert agg.groups.set_index("group").loc["voluntary", "people"] == 10
    ax = plot_aggregated_map(G, group_by="sector", min_count=10)
    assert legend_labels(ax) == groups


def test_small_groups_merge_when_together_they_reach_the_threshold():
    G = two_group_graph({"a": 20, "b": 6, "c": 5})
    agg = aggregate_network(G, "sector")
    assert list(agg.groups["group"]) == ["a", SUPPRESSED_GROUP]
    assert agg.groups.set_index("group").loc[SUPPRESSED_GROUP, "people"] == 11
    assert agg.merged == 2
    hidden = aggregate_network(G, "sector", hide_small=True)
    assert list(hidden.groups["group"]) == ["a"] and hidden.hidden == 2


def test_aggregated_links_count_ties_and_hide_small_links():
    G = two_group_graph({"a": 10, "b": 10})
    agg = aggregate_network(G, "sector")
    assert agg.links.empty and agg.hidden_links == 1  # one tie between groups, below 10
    for i in range(1, 10):
        G.add_edge(i, 10 + i)
    agg = aggregate_network(G, "sector")
    assert agg.links.to_dict("records") == [{"source": "a", "target": "b", "ties": 10}]
    assert agg.groups["ties_within"].tolist() == [45, 45]


def test_aggregated_alumni_counts_below_threshold_read_less_than():
    G = two_group_graph({"a": 12, "b": 12}, alumni=9)
    texts = " ".join(all_texts(plot_aggregated_map(G, group_by="sector")))
    assert "<10 alumni" in texts and "12 people" in texts
    G = two_group_graph({"a": 12, "b": 12}, alumni=10)
    assert "10 alumni" in " ".join(all_texts(plot_aggregated_map(G, group_by="sector")))


def test_many_groups_are_lumped_into_other():
    G = two_group_graph({f"g{i:02d}": 10 + i for i in range(25)})
    agg = aggregate_network(G, "sector", max_groups=20)
    assert len(agg.groups) == 19 and agg.lumped == 25 - 18
    assert agg.groups["people"].sum() == G.number_of_nodes()


def test_personal_or_absent_attributes_are_refused():
    G = nx.path_graph(3)
    nx.set_node_attributes(G, "x@example.org", "email")
    with pytest.raises(AlumniNetError, match="personal"):
        plot_network_map(G, color_by="email")
    with pytest.raises(AlumniNetError, match="no one in the data has a 'sector'"):
        plot_aggregated_map(G, group_by="sector")


def test_layout_is_seeded_and_leaves_global_random_alone():
    G = nx.karate_club_graph()
    state = random.getstate()
    a, b = force_layout(G, seed=3), force_layout(G, seed=3)
    c = force_layout(G, seed=4)
    assert random.getstate() == state
    assert all(np.allclose(a[v], b[v]) for v in G)
    assert not all(np.allclose(a[v], c[v]) for v in G)
    assert np.abs(np.array(list(a.values()))).max() == pytest.approx(1.0)


def test_group_colours_are_distinct_and_grey_only_for_unknown():
    from alumni_net.plotting._style import group_colours

    groups = [f"g{i}" for i in range(18)] + ["other", "unknown"]
    colours = group_colours(groups)
    named = [colours[g] for g in groups[:18]]
    assert len(set(named)) == 18
    assert all(len({round(c, 3) for c in rgb[:3]}) > 1 for rgb in named)  # no grey among them
    assert colours["other"] == colours["unknown"] == (0.6, 0.6, 0.6, 1.0)


def test_sector_by_region_blocks(programme):
    agg = aggregate_network(programme, "sector+region", min_count=10, max_groups=60)
    people = programme.nodes(data=True)
    blocks = pd.Series([f"{d['sector']} / {d['region']}" for _, d in people]).value_counts()
    shown = agg.groups.set_index("group")["people"]
    big = blocks[blocks >= 10]
    assert shown.drop(SUPPRESSED_GROUP, errors="ignore").to_dict() == big.to_dict()
    assert shown.get(SUPPRESSED_GROUP, 0) == blocks[blocks < 10].sum()
    with pytest.raises(AlumniNetError, match="'email' is a personal field"):
        plot_aggregated_map(programme, group_by="sector+email")


def test_empty_and_tiny_networks():
    with pytest.raises(AlumniNetError, match="no people to draw"):
        plot_network_map(nx.Graph())
    G = nx.DiGraph([(1, 1), (1, 2)])  # a self-nomination and one tie
    nx.set_node_attributes(G, "health", "sector")
    assert legend_labels(plot_network_map(G)) == ["health"]  # sector, the default grouping here
    nx.set_node_attributes(G, {1: "health", 2: "care"}, "sector")
    ax = plot_aggregated_map(G, group_by="sector")
    assert legend_labels(ax) == []  # two people: both groups are below the minimum count
    assert "2 group(s) with fewer than 10 people not shown" in " ".join(all_texts(ax))


def test_default_title_says_alumni_only_when_there_are_some(real_graph, programme):
    assert plot_network_map(real_graph).get_title(loc="left") == "Network map"
    G = programme.subgraph(list(programme.nodes)[:200])
    assert plot_network_map(G).get_title(loc="left") == "Alumni network map"


def _villages(n: int) -> nx.Graph:
    """``n`` villages of 12 to 12 + n - 1 people, each a ring, with no ties between villages."""
    G = nx.Graph()
    for i in range(n):
        ring = nx.cycle_graph(range(len(G), len(G) + 12 + i))
        G.update(ring)
        nx.set_node_attributes(G, {v: f"v{i + 1:02d}" for v in ring}, "village")
    return G


def test_person_maps_colour_25_villages_each_in_its_own_colour():
    # Issue 8: 25 villages drew 11 colours and grey "other" for the rest.
    G = _villages(25)
    ax = plot_network_map(G, color_by="village", seed=1)
    assert legend_labels(ax) == [f"v{i:02d}" for i in range(1, 26)]
    legend = ax.get_legend()
    assert legend._ncols == 2  # two columns beside the map
    colours = {tuple(h.get_color()) for h in legend.legend_handles}
    assert len(colours) == 25 and (0.6, 0.6, 0.6, 1.0) not in colours
    caption = " ".join(all_texts(ax))
    assert "other" not in caption
    dots = next(c for c in ax.collections if isinstance(c, PathCollection))
    assert len({tuple(np.round(c, 4)) for c in dots.get_facecolors()}) == 25


def test_beyond_forty_groups_the_caption_says_exactly_what_was_merged():
    G = _villages(43)
    ax = plot_network_map(G, color_by="village", seed=1)
    labels = legend_labels(ax)
    # The 39 largest villages (v05-v43) keep a colour; v01-v04, the smallest, are "other".
    assert labels == [f"v{i:02d}" for i in range(5, 44)] + ["other"]
    caption = " ".join(t.replace("\n", " ") for t in all_texts(ax))
    assert ("The 4 smallest of 43 village groups (v01, v02, v03, v04) are drawn grey as other "
            "(the 39 largest have their own colour).") in caption


def test_aggregate_without_groups_uses_seeded_communities_and_says_so():
    # Issue 8: `map --aggregate` on data with no cohort, sector or region drew one circle.
    G = nx.disjoint_union_all([nx.complete_graph(12), nx.complete_graph(15), nx.complete_graph(11)])
    G.add_edges_from([(0, 12), (12, 27)])
    ax = plot_aggregated_map(G, seed=3)
    assert legend_labels(ax) == ["community 1", "community 2", "community 3"]
    assert ax.get_legend().get_title().get_text() == "community"
    texts = all_texts(ax)
    # The largest clique is community 1; with nobody an alum, no "0 alumni" line.
    assert "community 1\n15 people" in texts and not any("alumni" in t for t in texts[1:])
    caption = " ".join(t.replace("\n", " ") for t in texts)
    assert ("The data have no sector, region or cohort that splits people into groups, so they "
            "are grouped by community: 3 communities found by Leiden modularity clustering "
            "(igraph, seed 3)") in caption
    assert legend_labels(plot_aggregated_map(G, seed=3)) == legend_labels(ax)  # seeded
    nx.set_node_attributes(G, "health", "sector")  # one sector for all: still communities
    assert legend_labels(plot_aggregated_map(G, seed=3)) == legend_labels(ax)
    with pytest.raises(AlumniNetError, match="everyone has the same sector .health., so an"):
        plot_aggregated_map(G, group_by="sector")


def _crowded_graph(n_groups: int = 16, size: int = 12, long: bool = True) -> nx.Graph:
    """Groups (half with long names), every pair tied (n_groups * (n_groups - 1) / 2 links)."""
    G = nx.Graph()
    names = [f"{'north_east_and_yorkshire' if g % 2 and long else 'cohort'}_{g}"
             for g in range(n_groups)]
    for g, name in enumerate(names):
        G.add_nodes_from(((g, i), {"region": name, "is_alum": i < 3}) for i in range(size))
    for a in range(n_groups):
        for b in range(a + 1, n_groups):
            for i in range(10 + (a * b) % 7):  # at least min_count ties: every link is drawn
                G.add_edge((a, i % size), (b, (i * 5) % size))
    return G


@pytest.mark.parametrize(("n_groups", "long"), [(5, True), (7, True), (20, False)])
def test_aggregated_map_labels_never_overlap(n_groups, long, tmp_path):
    # Issue 19: group labels sat on tie lines and tie counts sat on each other.
    from alumni_net.plotting._labels import overlapping_pairs

    ax = plot_aggregated_map(_crowded_graph(n_groups, long=long), group_by="region")
    save_figure(ax.figure, tmp_path / "agg.png", dpi=60)
    labels = [t for t in ax.texts if not t.get_text().startswith("Data:")]
    assert overlapping_pairs(labels + ax.get_legend().get_texts()) == []
    groups = [t for t in labels if "people" in t.get_text()]
    x0, x1 = ax.get_xlim()
    for t in groups:  # inside the axes: never under the legend beside them
        box = t.get_window_extent().transformed(ax.transData.inverted())
        assert x0 <= box.x0 and box.x1 <= x1, t.get_text()
    assert len(groups) == n_groups  # every group keeps its label
    counts = [t for t in labels if "people" not in t.get_text()]
    links = n_groups * (n_groups - 1) // 2
    caption = next(t.get_text() for t in ax.texts if t.get_text().startswith("Data:"))
    if links <= 30:  # counts are drawn up to 30 links; any left out are counted in the caption
        left_out = links - len(counts)
        assert left_out == 0 or f"{left_out} tie count(s) left unlabelled" in " ".join(
            caption.split())
    else:
        assert counts == []


def test_aggregated_map_of_the_programme_by_region_has_no_overlapping_labels(programme):
    from alumni_net.plotting._labels import overlapping_pairs

    ax = plot_aggregated_map(programme, group_by="region")
    labels = [t for t in ax.texts if not t.get_text().startswith("Data:")]
    assert overlapping_pairs(labels + ax.get_legend().get_texts()) == []
    assert len(labels) == 7 + 21  # seven regions, every pair tied: 21 counts, all placed


def test_an_aggregated_map_draws_into_an_axes_inside_a_subfigure():
    # mypy (issue 18): label placement laid out ax.figure, which for an axes in a subfigure is
    # the SubFigure (no draw_without_rendering): every aggregated map there raised
    # AttributeError. Layout now measures the whole figure the subfigure belongs to.
    import matplotlib.pyplot as plt

    from alumni_net.plotting._labels import overlapping_pairs

    fig = plt.figure(figsize=(16, 8), layout="constrained")  # two maps of the default size
    try:
        left, _ = fig.subfigures(1, 2)
        ax = plot_aggregated_map(_crowded_graph(5), group_by="region", ax=left.subplots())
        labels = [t for t in ax.texts if not t.get_text().startswith("Data:")]
        assert sum("people" in t.get_text() for t in labels) == 5  # every group labelled
        assert len(labels) == 5 + 10 and overlapping_pairs(labels) == []  # and every count
    finally:
        plt.close(fig)


def test_map_legends_sort_numbers_naturally():
    # Issue 19: legends read 1, 10, 11, 2 ...
    G = nx.Graph()
    for c in range(1, 13):
        G.add_nodes_from(((c, i), {"cohort": f"cohort {c}", "is_alum": True}) for i in range(10))
        G.add_edges_from(((c, i), (c, i + 1)) for i in range(9))
    expected = [f"cohort {c}" for c in range(1, 13)]
    assert legend_labels(plot_network_map(G, color_by="cohort")) == expected
    assert legend_labels(plot_aggregated_map(G, group_by="cohort")) == expected


def test_legends_never_name_a_person_nor_colour_by_free_text():
    """Issue 19 red team: tie kinds holding a name reached map legends; free-text columns could
    colour a map (its legend then lists them)."""
    G = two_group_graph({"health": 15, "voluntary": 12})
    edges = list(G.edges)
    for u, v in edges[:3]:
        G.edges[u, v]["kinds"] = ("mentored_by_Alice_Smith",)
    for u, v in edges[3:20]:
        G.edges[u, v]["kinds"] = ("Bob Jones team",)  # common, but a name
    nx.set_node_attributes(G, {v: f"Boss{v % 2} Smith" for v in G}, "line_manager")
    ax = plot_network_map(G, color_by="sector")
    styles = ax.artists[0] if ax.artists else None
    texts = [t.get_text() for legend in (ax.get_legend(), styles) if legend is not None
             for t in legend.get_texts()]
    assert "colleague" in texts and "other kinds" in texts
    assert not any("Smith" in t or "Jones" in t for t in texts), texts
    with pytest.raises(AlumniNetError, match="cannot colour or group a map by 'line_manager'"):
        plot_network_map(G, color_by="line_manager")
