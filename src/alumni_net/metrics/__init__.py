"""Network measures: centrality, brokerage, communities, bridging, connectors and reach.

One module per family; networkx graphs (the user-facing type), :class:`alumni_net.graph.IGraph`
and bare ``igraph.Graph`` objects are all accepted; igraph and numba do the heavy computing.
"""

from alumni_net.metrics.bridging import bridging_table, ei_index
from alumni_net.metrics.centralities import (
    CENTRALITY_MEASURES,
    MEASURES,
    centrality,
    centrality_table,
)
from alumni_net.metrics.community import communities, modularity
from alumni_net.metrics.connectors import CONNECTOR_MEASURES, rank_connectors
from alumni_net.metrics.hyperanf import approximate_reach, expected_relative_error
from alumni_net.metrics.reach import (
    CHRISTAKIS_FOWLER_EFFECTS,
    ReachIndex,
    cohort_reach,
    marginal_reach,
    reach_by_distance,
    reach_index,
    reach_overlap,
    union_reach,
)
from alumni_net.metrics.structural_holes import brokerage

__all__ = [
    "CENTRALITY_MEASURES",
    "CHRISTAKIS_FOWLER_EFFECTS",
    "CONNECTOR_MEASURES",
    "MEASURES",
    "ReachIndex",
    "approximate_reach",
    "bridging_table",
    "brokerage",
    "centrality",
    "centrality_table",
    "cohort_reach",
    "communities",
    "ei_index",
    "expected_relative_error",
    "marginal_reach",
    "modularity",
    "rank_connectors",
    "reach_by_distance",
    "reach_index",
    "reach_overlap",
    "union_reach",
]
