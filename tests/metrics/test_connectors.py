"""Connectors: the people who bridge separate parts rank first."""

from __future__ import annotations

import networkx as nx
import pandas as pd
import pytest

from alumni_net.errors import ConfigError
from alumni_net.metrics import centrality_table, rank_connectors


def test_the_bridge_between_two_groups_ranks_first():
    # Two cliques of five joined through one broker who belongs to neither sector's majority.
    G = nx.barbell_graph(5, 1)  # node 5 is the bridge
    for v in G:
        G.nodes[v]["sector"] = "health" if v < 5 else "social_care"
        G.nodes[v]["region"] = "north" if v < 5 else "south"
    G.nodes[5]["sector"] = "voluntary"
    ranked = rank_connectors(centrality_table(G))
    assert ranked["person_id"].iloc[0] == 5
    assert ranked["connector_rank"].tolist() == list(range(1, 12))
    assert {"betweenness", "constraint", "n_other_communities", "n_other_sectors"} <= set(
        ranked.columns
    )
    assert rank_connectors(centrality_table(G), top=3).shape[0] == 3


def test_score_is_mean_percentile_and_low_constraint_counts():
    t = pd.DataFrame(
        {"person_id": [1, 2, 3], "betweenness": [0.0, 0.0, 0.0], "constraint": [0.9, 0.1, 0.5]}
    )
    ranked = rank_connectors(t)
    assert ranked["person_id"].tolist() == [2, 3, 1]
    assert ranked["connector_score"].tolist() == pytest.approx([0.75, 0.5, 0.25])
    with pytest.raises(ConfigError, match="connector measures"):
        rank_connectors(pd.DataFrame({"person_id": [1]}))
