"""Connectors: people who link otherwise separate parts of the network.

The programme's word is people who "naturally connect people and things". We rank them by the
mean of their percentile ranks on the measures that say so, each in [0, 1] (ties share ranks):

* ``betweenness``: how often they lie on shortest paths between others;
* ``1 - constraint``: how little their contacts are tied to one another (Burt's structural holes);
* ``n_other_communities``: how many communities other than their own their contacts belong to;
* ``n_other_sectors`` and ``n_other_regions``: the same for sectors and regions, when known.

A connector scores high on all of them; missing measures (e.g. no sector data) are left out of
the mean, and people with unknown values rank at the bottom of that measure.
"""

from __future__ import annotations

import pandas as pd

from alumni_net.errors import ConfigError

__all__ = ["CONNECTOR_MEASURES", "rank_connectors"]

#: Measure -> True when higher means more of a connector.
CONNECTOR_MEASURES: dict[str, bool] = {
    "betweenness": True,
    "constraint": False,
    "n_other_communities": True,
    "n_other_sectors": True,
    "n_other_regions": True,
}


def rank_connectors(table: pd.DataFrame, *, top: int | None = None) -> pd.DataFrame:
    """Rank people as connectors from a :func:`~alumni_net.metrics.centralities.centrality_table`.

    Returns ``person_id``, ``connector_rank`` (1 = strongest), ``connector_score`` and the measures
    used, best first; ``top`` keeps only the first rows.

    References
    ----------
    Brandes, U. (2001). A faster algorithm for betweenness centrality. Journal of Mathematical
    Sociology 25(2), 163-177. https://doi.org/10.1080/0022250X.2001.9990249

    Burt, R. S. (1992). Structural Holes: The Social Structure of Competition. Harvard University
    Press.

    Examples
    --------
    >>> t = pd.DataFrame({"person_id": ["a", "b", "c"], "betweenness": [0.0, 1.0, 0.5],
    ...                   "constraint": [1.0, 0.3, 0.5]})
    >>> rank_connectors(t)[["person_id", "connector_rank", "connector_score"]].to_numpy().tolist()
    [['b', 1, 1.0], ['c', 2, 0.5], ['a', 3, 0.0]]
    """
    used = [m for m in CONNECTOR_MEASURES if m in table.columns]
    if not used:
        raise ConfigError(
            "the table has none of the connector measures: " + ", ".join(CONNECTOR_MEASURES)
        )
    scores = pd.DataFrame(index=table.index)
    for m in used:
        values = table[m] if CONNECTOR_MEASURES[m] else -table[m]
        # Rank in [0, 1]: lowest value 0, highest 1; NaN ranks lowest.
        ranks = values.rank(method="average", na_option="bottom")
        scores[m] = (ranks - 1) / max(len(values) - 1, 1)
    out = table[["person_id", *used]].copy()
    out["connector_score"] = scores.mean(axis=1)
    out = out.sort_values(["connector_score", "person_id"], ascending=[False, True], kind="stable")
    out.insert(1, "connector_rank", range(1, len(out) + 1))
    out = out[["person_id", "connector_rank", "connector_score", *used]].reset_index(drop=True)
    return out if top is None else out.head(top)
