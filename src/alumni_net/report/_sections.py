"""Sections of the HTML report on the network and the study (see :mod:`alumni_net.report`),
each a list of blocks (:mod:`._blocks`) that the templates render. A section returns nothing when
what it shows is absent: a study without a programme has no reach or multiplier sections."""

from __future__ import annotations

from functools import partial

import networkx as nx
import pandas as pd
from matplotlib.axes import Axes

from alumni_net.core.formatting import estimate, is_rate
from alumni_net.errors import AlumniNetError
from alumni_net.io import Dataset
from alumni_net.metrics.reach import cohort_reach, reach_by_distance
from alumni_net.plotting import (
    growth_stages,
    map_mode,
    plot_aggregated_map,
    plot_ego_map,
    plot_growth_panels,
    plot_network_map,
)
from alumni_net.plotting.plots import (
    plot_centrality_distribution,
    plot_cumulative_reach,
    plot_reach_by_degree,
)
from alumni_net.report._blocks import Block, heading, key_figures, notes, para, table
from alumni_net.report._calibration import chosen_model, contagion_probability, no_fit
from alumni_net.report._data import (
    Inputs,
    alumni_ids,
    count_table,
    embed_file,
    fmt,
    images_in,
    overlap_table,
    union_reach,
    withheld,
)
from alumni_net.report._figures import try_figure
from alumni_net.report._observed import adoption_so_far, p_value
from alumni_net.report._study import Context

# Labels and ranks in centrality.csv, not measures whose distribution means anything.
_NOT_MEASURES = {"person_id", "community", "connector_rank", "cohort"}


# --- sections ------------------------------------------------------------------------------------


def key_numbers(ctx: Context) -> list[Block]:
    rows = _data_rows(ctx) + _reach_rows(ctx) + _observed_rows(ctx) + _calibration_rows(ctx)
    rows += _simulation_rows(ctx.inputs)
    if not rows:
        return []
    return [heading("Key numbers"), key_figures(rows)]


def _data_rows(ctx: Context) -> list[tuple[str, str]]:
    ds, G, m = ctx.ds, ctx.G, ctx.min_count
    programme = ctx.study.programme
    if ds is not None:
        s = ds.summary()
        rows = [("people", fmt(s["people"], m))]
        if programme:
            rows += [("alumni", fmt(s["alumni"], m)), ("cohorts", fmt(s["cohorts"]))]
        return rows + [("tie records", fmt(s["ties"], m)),
                       ("ties are", "directed" if s["directed"] else "undirected")]
    if G is not None:
        rows = [("people", fmt(G.number_of_nodes(), m))]
        if programme:
            rows.append(("alumni", fmt(len(alumni_ids(G)), m)))
        return rows + [("ties", fmt(G.number_of_edges(), m))]
    return []


def _reach_rows(ctx: Context) -> list[tuple[str, str]]:
    if not ctx.study.alumni:
        return []
    union = union_reach(ctx.G, ctx.inputs)
    rows = []
    for d in (1, 2, 3):
        if union and f"reach_within_{d}" in union:
            # None in summary.json: withheld by analyze, never "n/a"
            rows.append((f"people within {d} degree{'s' if d > 1 else ''} of an alum (union)",
                         withheld(union[f"reach_within_{d}"], ctx.min_count)))
    return rows


def _observed_rows(ctx: Context) -> list[tuple[str, str]]:
    rows = []
    so_far = adoption_so_far(ctx.inputs.tables.get("adoption_curve.csv"), ctx.min_count)
    if so_far:
        rows.append(("observed adoption", so_far.rstrip(".")))
    test = ctx.inputs.tables.get("structure_test.csv")
    if test is not None and {"observed", "expected", "p_value"} <= set(test.columns) and len(test):
        r = test.iloc[0]
        rows.append(("adoption follows the network? (structure test)",
                     f"observed {r['observed']:.3f} vs {r['expected']:.3f} under the null, "
                     f"p = {p_value(r['p_value'], r.get('replicates'))}"))
    return rows


def _calibration_rows(ctx: Context) -> list[tuple[str, str]]:
    inputs = ctx.inputs
    if not ctx.study.ran("calibration"):
        return []
    rows = []
    comparison = inputs.tables.get("model_comparison.csv")
    p = contagion_probability(comparison) if comparison is not None else None
    if p is not None:
        rows.append(("posterior probability of contagion", f"{p:.2f}"))
    if no_fit(inputs):
        rows.append(("calibrated model", "none fits the observed adoption"))
    elif (model := chosen_model(inputs)) is not None:
        rows.append(("calibrated model", f"{model} contagion"))
    return rows


def _simulation_rows(inputs: Inputs) -> list[tuple[str, str]]:
    mult = inputs.tables.get("multiplier.csv")
    if mult is None or not {"measure", "median", "lo", "hi"} <= set(mult.columns):
        return []
    m = mult.set_index("measure")
    return [(f"simulated {name.replace('_', ' ')} (median, 90% interval)",
             estimate(m.loc[name, "median"], m.loc[name, "lo"], m.loc[name, "hi"],
                      count=not is_rate(name)))
            for name in ("adopters", "attributable_adopters", "attributable_per_alum")
            if name in m.index]


def maps_section(ctx: Context) -> list[Block]:
    G, inputs, m = ctx.G, ctx.inputs, ctx.min_count
    out: list[Block] = [heading("Network maps")]
    if G is not None and ctx.maps:
        name = ctx.data_name
        if map_mode(G) == "aggregated":
            out.append(para("Too many people, even counting only the alumni and their direct "
                            "contacts, for a person-level map: see the aggregated maps.", "note"))
        else:
            out += try_figure(
                lambda: _network_map(G, inputs, seed=ctx.seed, data_name=name, min_count=m),
                "Person-level map (no names; ids not shown).", "network map", inputs)
        for group in _map_groups(ctx):
            if _all_ties_within(G, group):
                out.append(para(f"Every tie is between people of the same {group}: there are no "
                                f"ties between {group} groups to map."))
                continue
            out += try_figure(
                partial(plot_aggregated_map, G, group_by=group, data_name=name, min_count=m),
                f"Ties between {group} groups, small groups suppressed: for publication.",
                f"aggregated map by {group}", inputs)
        if ctx.study.alumni and _has_attr(G, "cohort"):
            first = _first_cohort(G)
            out += try_figure(
                lambda: plot_ego_map(G, cohort=first, min_count=m, data_name=name),
                f"Rings at 1-3 degrees around cohort {first}.", "ego map of the first cohort",
                inputs)
            out += try_figure(
                lambda: plot_growth_panels(G, seed=ctx.seed, min_count=m, data_name=name),
                "The alumni network cohort by cohort.", "growth map", inputs)
    found = images_in(inputs.folder, skip=inputs.claimed)
    if found:
        out.append(para("Maps and plots already in the results folder:"))
        out += [embed_file(p) for p in found]
    return out if len(out) > 1 else []


def _map_groups(ctx: Context) -> list[str]:
    """Sector and region; else the grouping the diffusion curves used (a village, a city)."""
    G = ctx.G
    if G is None:
        return []
    groups = [g for g in ("sector", "region") if _several(G, g)]
    if not groups:
        by = next((n[len("adoption_curve_by_"):-len(".csv")] for n in
                   sorted(p.name for p in ctx.inputs.folder.glob("adoption_curve_by_*.csv"))),
                  None)
        if by and _several(G, by):
            groups.append(by)
    return groups


def _all_ties_within(G: nx.Graph, attr: str) -> bool:
    label = {v: d.get(attr) for v, d in G.nodes(data=True)}
    return all(label[u] == label[v] for u, v in G.edges())


def _several(G: nx.Graph, attr: str) -> bool:
    return len({d.get(attr) for _, d in G.nodes(data=True)} - {None}) > 1


def _network_map(G: nx.Graph, inputs: Inputs, *, seed: int, data_name: str | None,
                 min_count: int) -> Axes:
    """Sized by betweenness (brokers stand out) when analyze's table matches the data's ids."""
    cent = inputs.tables.get("centrality.csv")
    if cent is not None and "betweenness" in cent and "person_id" in cent:
        try:
            return plot_network_map(G, size_by="betweenness", centrality=cent, seed=seed,
                                    data_name=data_name, min_count=min_count)
        except AlumniNetError:
            inputs.computed.append(
                "centrality.csv does not match the data's ids (another key?): the network map "
                "is sized by degree instead of betweenness."
            )
    return plot_network_map(G, seed=seed, data_name=data_name, min_count=min_count)


def _has_attr(G: nx.Graph, attr: str) -> bool:
    return any(d.get(attr) is not None for _, d in G.nodes(data=True))


def _first_cohort(G: nx.Graph) -> str:
    return growth_stages(G, "cohort")[0]


def reach_section(ctx: Context) -> list[Block]:
    """Reach within three degrees of the alumni (only when someone is an alum)."""
    if not ctx.study.alumni:
        return []
    G, ds, inputs, m = ctx.G, ctx.ds, ctx.inputs, ctx.min_count
    out: list[Block] = [heading("Reach within three degrees")]
    reach = inputs.tables.get("reach.csv")
    alumni = alumni_ids(G)
    if (reach is None or reach.empty) and alumni:
        reach = reach_by_distance(G, alumni)
        inputs.computed.append("Individual reach was computed for this report from the data.")
    if reach is not None and not reach.empty:
        union = union_reach(G, inputs)
        out += try_figure(lambda: plot_reach_by_degree(reach, union, min_count=m),
                          "Individual reaches summed beside the union.", "reach by degree",
                          inputs)
        if union:
            out.append(table(count_table(overlap_table(reach, union), m,
                                         blank_is_withheld=True)))
    by_cohort = inputs.tables.get("reach_by_cohort.csv")
    if (by_cohort is None or by_cohort.empty) and ds is not None and alumni \
            and "cohort" in ds.people:
        by_cohort = _cohort_reach(G, ds)
        inputs.computed.append("Reach by cohort was computed for this report from the data.")
    if by_cohort is not None and not by_cohort.empty:
        out += try_figure(lambda: plot_cumulative_reach(by_cohort, min_count=m),
                          "Union reach as cohorts join.", "cumulative reach", inputs)
        out.append(table(count_table(by_cohort, m, blank_is_withheld=True)))
    return out if len(out) > 1 else []


def connectors_section(ctx: Context) -> list[Block]:
    """Top connectors and E-I indices from ``summary.json`` (ids are pseudonyms)."""
    min_count = ctx.min_count
    summary = ctx.inputs.json.get("summary.json", {})
    out: list[Block] = []
    connectors = summary.get("connectors")
    if isinstance(connectors, list) and connectors:
        shown = pd.DataFrame(connectors)
        if not ctx.study.programme:  # nobody is an alum: the column says nothing
            shown = shown.drop(columns=["is_alum"], errors="ignore")
        out += [
            heading("Connectors"),
            para(
                "People who link otherwise separate parts of the network, as ranked by "
                "alumni-net analyze (ids are keyed pseudonyms):"
            ),
            table(shown),
        ]
    ei = summary.get("ei_index")
    if isinstance(ei, dict):
        for group in ("sector", "region"):
            rows = ei.get(group)
            if isinstance(rows, list) and rows:
                out += [
                    heading(f"Ties inside and across {group} groups (E-I index)", 3),
                    table(count_table(pd.DataFrame(rows), min_count)),
                ]
        if out and heading("Connectors") not in out:
            out.insert(0, heading("Connectors and bridging"))
    return out


def _cohort_reach(G: nx.Graph, ds: Dataset) -> pd.DataFrame:
    alumni = ds.people[ds.people["is_alum"] & ds.people["cohort"].notna()]
    labels = alumni["cohort"].map(lambda c: str(int(c)) if isinstance(c, float) else str(c))
    groups = {lab: alumni.loc[labels == lab, "person_id"].tolist() for lab in growth_stages(G)}
    return cohort_reach(G, {k: v for k, v in groups.items() if v})


def centrality_section(ctx: Context) -> list[Block]:
    G, inputs = ctx.G, ctx.inputs
    out: list[Block] = [heading("Who is central")]
    cent = inputs.tables.get("centrality.csv")
    if cent is None and G is not None:
        cent = pd.DataFrame(
            {
                "person_id": list(G.nodes),
                "degree": [d for _, d in G.degree()],
                "is_alum": [bool(a) for _, a in G.nodes(data="is_alum")],
            }
        )
        inputs.computed.append(
            "Only degree was computed for this report (run alumni-net analyze "
            "for the full centrality table)."
        )
    if cent is None:
        return []
    if not ctx.study.programme:  # nobody is an alum: one distribution, not "not alumni"
        cent = cent.drop(columns=["is_alum"], errors="ignore")
    numeric = [
        c
        for c in cent.columns
        if c not in _NOT_MEASURES
        and not c.endswith("_se")
        and pd.api.types.is_numeric_dtype(cent[c])
        and not pd.api.types.is_bool_dtype(cent[c])
    ]
    if numeric:
        stats = pd.DataFrame(
            {
                "measure": numeric,
                "median": [cent[c].median() for c in numeric],
                "mean": [cent[c].mean() for c in numeric],
                "90th percentile": [cent[c].quantile(0.9) for c in numeric],
                "max": [cent[c].max() for c in numeric],
            }
        )
        out += [
            para(
                "Distribution of each measure over people (no person-level rows are "
                "published here):"
            ),
            table(stats),
        ]
    alumni = alumni_ids(G) or None
    for measure in _key_measures(numeric):
        out += try_figure(
            partial(plot_centrality_distribution, cent, measure, alumni=alumni),
            f"Distribution of {measure}.",
            f"{measure} distribution",
            inputs,
        )
    return out


def _key_measures(columns: list[str]) -> list[str]:
    picks: list[str] = []
    for key in ("degree", "betweenness", "pagerank", "harmonic", "eigenvector", "constraint"):
        hit = next((c for c in columns if key in c.lower() and c not in picks), None)
        if hit:
            picks.append(hit)
    return picks[:3] or columns[:1]


def methods_section(ctx: Context) -> list[Block]:
    """How each figure shown was made: only the methods of the sections present."""
    study, min_count = ctx.study, ctx.min_count
    items = []
    if study.alumni:
        items.append(
            "Reach: the number of people first reached at exactly 1, 2 and 3 steps through the "
            "network from an alum (individual reach) or from the nearest of all alumni (union "
            "reach, each person counted once). The sum of individual reaches exceeds the union by "
            "the overlap between alumni's neighbourhoods. On directed nomination data, reach "
            "follows the direction influence travels (from the person named to the person who "
            "named them).")
    if study.ran("simulation") or study.ran("scenarios"):
        items.append(
            "Multiplier: the claim's arithmetic (alumni x 10; each alum influencing 3 leaders who "
            "each influence 3 more, through three degrees: 39 per alum) is shown beside simulated "
            "adopters. Attributable adopters are the difference between runs with and without "
            "the programme using the same random seeds; every simulated figure is a median over "
            "seeded replicates with a 90% interval.")
    if study.ran("observed diffusion"):
        items.append(
            "Observed diffusion: netdiffuseR's measures (Valente 1995; Valente & Vega Yon 2020) "
            "on the recorded adoption times: cumulative adoption, hazard, exposure to adopting "
            "contacts, adoption thresholds, Moran's I, and a permutation test of whether "
            "adoption times depend on the network (structural dependence).")
    if study.ran("calibration"):
        items.append(
            "Calibration: approximate Bayesian computation (ABC-SMC; Toni et al. 2009) fits the "
            "contagion model's parameters to the observed adoption curves; the predictive check "
            "simulates from the whole posterior and counts the observed periods inside the 90% "
            "band.")
    items.append(
        f"Privacy: person ids are keyed pseudonyms; names and emails are never written. Counts "
        f"of people between 1 and {min_count - 1} are shown as <{min_count} in tables and "
        f"aggregated maps; groups of fewer than {min_count} people are pooled as 'other "
        "(suppressed)', with the next smallest where needed so that none can be worked out "
        "from the total. Only categories are shown (the schema's, those declared in "
        f"dataset.toml, and columns whose every value is shared by at least {min_count} "
        "people), never free text; tie kinds that may name someone are shown as 'other kinds'. "
        "Simulated counts describe model runs, not people, and are shown in full.")
    if ctx.G is not None and ctx.maps:
        items.append(
            "Maps: layouts are seeded force-directed layouts (igraph's Fruchterman-Reingold). "
            "Above 5,000 people a map shows the alumni and their direct contacts, or groups.")
    return [heading("Method notes"), notes(items)]
