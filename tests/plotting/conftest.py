"""Fixtures for maps and plots: the Agg backend, the synthetic programme and the real networks."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import networkx as nx  # noqa: E402
import pytest  # noqa: E402
from tests.helpers import ROOT, real_dataset_dir  # noqa: E402

from alumni_net.graph import to_networkx  # noqa: E402
from alumni_net.io import load_dataset  # noqa: E402

# krackhardt_hightech is left out: the shared copy fails validation (repeated ties).
REAL_NAMES = ("medical_innovation", "brazilian_farmers", "lazega_lawyers")
SMALL_PROGRAMME = ROOT / "data" / "synthetic" / "small"


@pytest.fixture(scope="session")
def programme() -> nx.Graph:
    """The committed synthetic programme: 2,000 people, 104 alumni in 4 cohorts, undirected."""
    return to_networkx(load_dataset(SMALL_PROGRAMME))


@pytest.fixture(scope="session", params=REAL_NAMES)
def real_graph(request) -> nx.DiGraph:
    """Each real (directed, nomination) network in turn."""
    return to_networkx(load_dataset(real_dataset_dir(request.param)))


def legend_labels(ax) -> list[str]:
    return [t.get_text() for t in ax.get_legend().get_texts()]


def all_texts(ax) -> list[str]:
    return [t.get_text() for t in ax.texts]


def two_group_graph(sizes: dict[str, int], *, alumni: int = 0) -> nx.Graph:
    """Groups of the given sizes, each a clique, with one tie between consecutive groups."""
    G = nx.Graph()
    start = 0
    prev = None
    for name, n in sizes.items():
        nodes = list(range(start, start + n))
        G.add_nodes_from((v, {"sector": name, "is_alum": v - start < alumni}) for v in nodes)
        G.add_edges_from(
            (u, v, {"kinds": ("colleague",)}) for i, u in enumerate(nodes) for v in nodes[i + 1 :]
        )
        if prev is not None:
            G.add_edge(prev, nodes[0], kinds=("partnership",))
        prev, start = nodes[-1], start + n
    return G
