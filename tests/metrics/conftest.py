"""Tiny graphs with hand-computed answers for the network measures."""

from __future__ import annotations

import networkx as nx
import pytest
from tests.helpers import TWO_COHORT_EDGES, real_dataset_dir

from alumni_net.graph import to_networkx
from alumni_net.io import load_dataset

# Two cohorts: A = {a1, a2} (tied to each other), B = {b1}; non-alumni on three arms, one isolate.
#   y2 - y1 - a2 - a1 - x1 - x2 - x3 - x4 - b1 - z1 - z2 - z3 - z4        w (isolated)
COHORTS = {"A": ["a1", "a2"], "B": ["b1"]}


@pytest.fixture
def two_cohort_graph() -> nx.Graph:
    G = nx.Graph(TWO_COHORT_EDGES)
    G.add_node("w")
    for node in G:
        G.nodes[node]["is_alum"] = node in {"a1", "a2", "b1"}
    return G


def real_graph(name: str) -> nx.DiGraph:
    return to_networkx(load_dataset(real_dataset_dir(name), directed=True))


@pytest.fixture(params=["lazega_lawyers", "medical_innovation"])
def real_network(request) -> nx.DiGraph:
    return real_graph(request.param)
