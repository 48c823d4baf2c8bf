"""Small networks for the contagion-model tests."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest
from tests.helpers import real_dataset_dir

from alumni_net.io import load_dataset


def cohort_programme(seed: int = 0, n_cohorts: int = 2, size: int = 12, n_other: int = 48,
                     n_colleague_ties: int = 110) -> nx.Graph:
    """A toy programme: yearly cohorts (months 0, 12, ...) of ``size`` alumni in sets of 4,
    cohort and set ties inside each cohort, and random colleague ties (some appearing later)."""
    rng = np.random.default_rng(seed)
    g = nx.Graph()
    for c in range(n_cohorts):
        for k in range(size):
            g.add_node(f"A{c}{k:02d}", is_alum=True, cohort=str(c + 1), cohort_start=12 * c,
                       action_learning_set=f"C{c}-S{k % 3}", sector=("health", "care")[k % 2],
                       region="north")
    for i in range(n_other):
        g.add_node(f"P{i:03d}", is_alum=False, sector=("health", "care")[i % 2],
                   region=("north", "south")[i % 2])
    for c in range(n_cohorts):
        members = [f"A{c}{k:02d}" for k in range(size)]
        for a in members:
            for b in members:
                if a < b:
                    same = g.nodes[a]["action_learning_set"] == g.nodes[b]["action_learning_set"]
                    g.add_edge(a, b, kinds=("action_learning_set", "cohort") if same
                               else ("cohort",))
    nodes = sorted(g.nodes)
    while g.number_of_edges() < n_colleague_ties + sum(
            size * (size - 1) // 2 for _ in range(n_cohorts)):
        a, b = rng.choice(nodes, 2, replace=False)
        if not g.has_edge(a, b):
            since = int(rng.integers(0, 30)) if rng.random() < 0.3 else None
            g.add_edge(a, b, kinds=("colleague",), since=since)
    return g


@pytest.fixture(scope="session")
def programme_graph() -> nx.Graph:
    """Two cohorts of 12 alumni and 48 other people."""
    return cohort_programme()


@pytest.fixture(scope="session")
def medical_innovation():
    """The physicians' nomination network (125 people, directed)."""
    return load_dataset(real_dataset_dir("medical_innovation"))
