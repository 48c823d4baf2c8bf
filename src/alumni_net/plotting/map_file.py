"""One map file from the command line's choices: which kind of map, drawn and saved.

The ``alumni-net map`` command only parses arguments; choosing between the whole-network,
aggregated, ego-ring and growth maps, and saving them, happens here.
"""

from __future__ import annotations

from collections.abc import Hashable
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
from pandas.api.extensions import ExtensionDtype

from alumni_net.core.tables import read_csv
from alumni_net.errors import AlumniNetError
from alumni_net.plotting._style import root_figure, save_figure
from alumni_net.plotting.ego import plot_ego_map
from alumni_net.plotting.growth import plot_growth_panels, save_growth_gif
from alumni_net.plotting.maps import (
    MAX_PEOPLE,
    choose_grouping,
    plot_aggregated_map,
    plot_network_map,
)
from alumni_net.vocabulary import DEFAULT_MIN_COUNT

__all__ = ["read_centrality", "write_map"]


def write_map(
    G: nx.Graph,
    out: str | Path,
    *,
    growth: bool = False,
    aggregate: bool = False,
    ego: Hashable | None = None,
    cohort: Hashable | None = None,
    color_by: str | None = None,
    size_by: str | None = None,
    centrality: pd.DataFrame | None = None,
    influence: str = "both",
    labels: bool = False,
    hide_small: bool = False,
    seed: int = 0,
    max_people: int = MAX_PEOPLE,
    min_count: int = DEFAULT_MIN_COUNT,
    title: str | None = None,
    data_name: str | None = None,
    dpi: int = 150,
) -> Path:
    """Draw the map the options ask for and save it to ``out`` (PNG, SVG, PDF; GIF for growth).

    ``growth`` draws the network growing cohort by cohort (an animation when ``out`` ends in
    ``.gif``); ``aggregate`` draws groups (``color_by``) as blocks; ``ego`` (a node of ``G``) or
    ``cohort`` draws rings of people 1, 2 and 3 degrees away; otherwise the whole network.
    """
    out = Path(out)
    suffix = out.suffix.lower()
    if min_count < 1:
        raise AlumniNetError(f"the minimum count must be at least 1, not {min_count}")
    if suffix == ".gif" and not growth:
        raise AlumniNetError("only growth maps are animated; use .png, .svg or .pdf")
    order_by = choose_grouping(G, color_by, min_count=min_count) if color_by else "cohort"
    if growth and suffix == ".gif":
        save_growth_gif(G, out, order_by=order_by, seed=seed, dpi=min(dpi, 100),
                        min_count=min_count, data_name=data_name)
        return out
    if growth:
        fig = plot_growth_panels(G, order_by=order_by, seed=seed, min_count=min_count,
                                 data_name=data_name)
    elif aggregate:
        fig = root_figure(plot_aggregated_map(
            G, group_by=color_by, hide_small=hide_small, seed=seed, min_count=min_count,
            title=title, data_name=data_name))
    elif ego is not None or cohort is not None:
        fig = root_figure(plot_ego_map(
            G, ego, cohort=cohort, mode=influence, person_labels=labels, min_count=min_count,
            title=title, data_name=data_name))
    else:
        fig = root_figure(plot_network_map(
            G, color_by=color_by, size_by=size_by, centrality=centrality, seed=seed,
            max_people=max_people, person_labels=labels, min_count=min_count, title=title,
            data_name=data_name))
    save_figure(fig, out, dpi=dpi)
    return out


def read_centrality(path: str | Path, id_dtype: np.dtype | ExtensionDtype) -> pd.DataFrame:
    """A ``centrality.csv`` written by ``analyze``, its ids typed like the dataset's
    (``id_dtype``)."""
    table = read_csv(path)
    if "person_id" not in table.columns:
        raise AlumniNetError(f"{path} has no person_id column; give the centrality.csv of analyze")
    # Ids read back from CSV may be numbers where the dataset's are text, or the reverse.
    table["person_id"] = table["person_id"].astype(id_dtype)
    return table
