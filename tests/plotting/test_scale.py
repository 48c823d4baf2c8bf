"""Maps stay usable at the top of the person-level range (kept out of the default run)."""

from __future__ import annotations

import time

import networkx as nx
import pytest

from alumni_net.plotting import plot_network_map, save_figure


@pytest.mark.slow
def test_five_thousand_people_draw_in_seconds(tmp_path):
    G = nx.barabasi_albert_graph(5000, 3, seed=1)
    for v in G:
        G.nodes[v]["is_alum"] = v % 50 == 0
        G.nodes[v]["sector"] = ("health", "social_care", "voluntary")[v % 3]
    start = time.perf_counter()
    ax = plot_network_map(G, color_by="sector")
    save_figure(ax.figure, tmp_path / "map.png")
    assert time.perf_counter() - start < 60
    assert any("All 5,000 people" in t.get_text() for t in ax.texts)
