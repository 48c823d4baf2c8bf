"""Maps and plots for evaluators: matplotlib only, every ``plot_*`` returns an Axes.

Maps never show names or emails; person-level labels (pseudonymised ids) need an explicit flag;
aggregated maps and ring counts suppress counts below a minimum count (10 by default).
"""

from alumni_net.plotting._layout import force_layout
from alumni_net.plotting._style import missing_glyphs_drawn_as_boxes, save_figure, sort_groups
from alumni_net.plotting.diffusion import (
    plot_adoption_curve,
    plot_exposure,
    plot_hazard,
    plot_thresholds,
    save_diffusion_figures,
)
from alumni_net.plotting.ego import degree_rings, plot_ego_map
from alumni_net.plotting.growth import (
    growth_stages,
    plot_growth_map,
    plot_growth_panels,
    save_growth_gif,
)
from alumni_net.plotting.map_file import read_centrality, write_map
from alumni_net.plotting.maps import (
    MAX_PEOPLE,
    aggregate_network,
    choose_grouping,
    map_mode,
    plot_aggregated_map,
    plot_network_map,
)
from alumni_net.plotting.plots import (
    plot_adopters_by_degree,
    plot_adoption_curves,
    plot_centrality_distribution,
    plot_cumulative_reach,
    plot_multiplier,
    plot_reach_by_degree,
    plot_scenario_comparison,
    plot_spread_by_group,
)

__all__ = [
    "MAX_PEOPLE",
    "aggregate_network",
    "choose_grouping",
    "degree_rings",
    "force_layout",
    "growth_stages",
    "map_mode",
    "missing_glyphs_drawn_as_boxes",
    "plot_adopters_by_degree",
    "plot_adoption_curve",
    "plot_adoption_curves",
    "plot_aggregated_map",
    "plot_centrality_distribution",
    "plot_cumulative_reach",
    "plot_ego_map",
    "plot_exposure",
    "plot_growth_map",
    "plot_growth_panels",
    "plot_hazard",
    "plot_multiplier",
    "plot_network_map",
    "plot_reach_by_degree",
    "plot_scenario_comparison",
    "plot_spread_by_group",
    "plot_thresholds",
    "read_centrality",
    "save_diffusion_figures",
    "save_figure",
    "save_growth_gif",
    "sort_groups",
    "write_map",
]
