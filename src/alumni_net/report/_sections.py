"""Sections of the HTML report (see :mod:`alumni_net.report`), each a list of blocks
(:mod:`._blocks`) that the templates render."""

from __future__ import annotations

import pandas as pd

from alumni_net.core.formatting import estimate, interval, is_rate, number, whole
from alumni_net.errors import AlumniNetError
from alumni_net.experiments.multiplier import naive_arithmetic
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
    plot_adopters_by_degree,
    plot_adoption_curves,
    plot_centrality_distribution,
    plot_cumulative_reach,
    plot_multiplier,
    plot_reach_by_degree,
    plot_scenario_comparison,
    plot_spread_by_group,
)
from alumni_net.report._blocks import (
    Block,
    Figure,
    figure_block,
    heading,
    key_figures,
    notes,
    para,
    table,
)
from alumni_net.report._data import (
    SCENARIO_FILES,
    Inputs,
    alumni_ids,
    count_table,
    embed_file,
    fmt,
    images_in,
    interval_table,
    n_alumni,
    overlap_table,
    union_reach,
    withheld,
)
from alumni_net.report._html import figure_png

# Labels and ranks in centrality.csv, not measures whose distribution means anything.
_NOT_MEASURES = {"person_id", "community", "connector_rank", "cohort"}


def _figure(ax_or_fig, caption: str, alt: str) -> Figure:
    fig = getattr(ax_or_fig, "figure", ax_or_fig)
    return figure_block(figure_png(fig), caption, alt)


def _try_figure(draw, caption: str, alt: str, inputs: Inputs) -> list[Block]:
    """Draw one figure; a results file of an unexpected shape becomes a note, not a crash."""

    try:
        return [_figure(draw(), caption, alt)]
    except (AlumniNetError, KeyError, ValueError) as exc:
        inputs.problems.append(f"Could not draw '{alt}': {exc}")
        return []


# --- sections ------------------------------------------------------------------------------------


def key_numbers(ds, G, inputs: Inputs, min_count: int) -> list[Block]:
    rows: list[tuple[str, str]] = []
    if ds is not None:
        s = ds.summary()
        rows += [
            ("people", fmt(s["people"], min_count)),
            ("alumni", fmt(s["alumni"], min_count)),
            ("cohorts", fmt(s["cohorts"])),
            ("tie records", fmt(s["ties"], min_count)),
            ("ties are", "directed" if s["directed"] else "undirected"),
        ]
    elif G is not None:
        rows += [
            ("people", fmt(G.number_of_nodes(), min_count)),
            ("alumni", fmt(len(alumni_ids(G)), min_count)),
            ("ties", fmt(G.number_of_edges(), min_count)),
        ]
    union = union_reach(G, inputs)
    if union:
        for d in (1, 2, 3):
            if f"reach_within_{d}" in union:
                rows.append(
                    (
                        f"people within {d} degree{'s' if d > 1 else ''} of an alum (union)",
                        # None in summary.json: withheld by analyze, never "n/a"
                        withheld(union[f"reach_within_{d}"], min_count),
                    )
                )
    mult = inputs.tables.get("multiplier.csv")
    if mult is not None and {"measure", "median", "lo", "hi"} <= set(mult.columns):
        m = mult.set_index("measure")
        for name in ("adopters", "attributable_adopters", "attributable_per_alum"):
            if name in m.index:
                r = m.loc[name]
                rows.append(
                    (
                        f"simulated {name.replace('_', ' ')} (median, 90% interval)",
                        estimate(r["median"], r["lo"], r["hi"], count=not is_rate(name)),
                    )
                )
    if not rows:
        return [heading("Key numbers"), para("No dataset and no results: nothing to summarise.")]
    return [heading("Key numbers"), key_figures(rows)]


def multiplier_section(ds, inputs: Inputs) -> list[Block]:

    out = [heading("The multiplier claim beside the estimate")]
    n = n_alumni(ds, None, inputs)
    if n == 0:
        out.append(
            para(
                "No one in the data is marked as an alum (is_alum), so the claim's "
                "arithmetic gives nothing to compare.",
                "note",
            )
        )
    elif n is not None:
        claim = naive_arithmetic(n)
        out.append(
            table(
                pd.DataFrame(
                    {
                        "the claim's arithmetic": [
                            f"{n:,} alumni x 10 people each",
                            f"{n:,} alumni x (3 + 9 + 27) through three degrees",
                        ],
                        "people": [
                            f"{claim['naive_ten_per_alum']:,}",
                            f"{claim['naive_branching']:,}",
                        ],
                    }
                )
            )
        )
    mult = inputs.tables.get("multiplier.csv")
    if mult is None:
        out.append(
            para(
                "No simulation results yet: run alumni-net simulate to estimate how many "
                "people the programme's practice actually reaches.",
                "missing",
            )
        )
        return out

    out += _try_figure(
        lambda: plot_multiplier(mult),
        "The claim's arithmetic (orange) beside "
        "simulated adopters (blue, median and 90% interval).",
        "multiplier",
        inputs,
    )
    shown = mult
    if {"measure", "median", "lo", "hi"} <= set(mult.columns):
        # Counts whole, rates to three figures: the same rule as multiplier.md.
        counts = [not is_rate(m) for m in mult["measure"]]
        medians = [(whole if c else number)(m) for c, m in zip(counts, mult["median"], strict=True)]
        spans = [interval(lo, hi, count=c)
                 for c, lo, hi in zip(counts, mult["lo"], mult["hi"], strict=True)]
        shown = mult.assign(median=medians, **{"90% interval": spans})
    cols = [c for c in ("measure", "median", "90% interval", "description") if c in shown.columns]
    out.append(table(shown[cols] if cols else shown))
    source = (inputs.json.get("simulate.json") or {}).get("parameter_source")
    out.append(para(f"Model parameters: {source or 'not recorded (an older run)'}. Medians and "
                    "90% intervals over seeded replicates.", "note"))
    return out


def maps_section(G, ds, inputs: Inputs, seed: int, min_count: int) -> list[Block]:
    out = [heading("Network maps")]
    if G is not None:
        name = ds.name if ds is not None else G.graph.get("name")
        if map_mode(G) == "aggregated":
            out.append(
                para(
                    "Too many people, even counting only the alumni and their direct "
                    "contacts, for a person-level map: see the aggregated maps.",
                    "note",
                )
            )
        else:
            out += _try_figure(
                lambda: _network_map(G, inputs, seed=seed, data_name=name, min_count=min_count),
                "Person-level map (no names; ids not shown).",
                "network map",
                inputs,
            )
        for group in [g for g in ("sector", "region") if _has_attr(G, g)]:
            out += _try_figure(
                lambda g=group: plot_aggregated_map(
                    G, group_by=g, data_name=name, min_count=min_count
                ),
                f"Ties between {group} groups, small groups suppressed: for publication.",
                f"aggregated map by {group}",
                inputs,
            )
        if _has_attr(G, "cohort"):
            first = _first_cohort(G)
            out += _try_figure(
                lambda: plot_ego_map(G, cohort=first, min_count=min_count, data_name=name),
                f"Rings at 1-3 degrees around cohort {first}.",
                "ego map of the first cohort",
                inputs,
            )
            out += _try_figure(
                lambda: plot_growth_panels(G, seed=seed, min_count=min_count, data_name=name),
                "The alumni network cohort by cohort.",
                "growth map",
                inputs,
            )
    found = images_in(inputs.folder)
    if found:
        out.append(para("Maps and plots already in the results folder:"))
        out += [embed_file(p) for p in found]
    if len(out) == 1:
        out.append(para("No dataset given and no images in the folder: no maps.", "note"))
    return out


def _network_map(G, inputs: Inputs, **kwargs):
    """Sized by betweenness (brokers stand out) when analyze's table matches the data's ids."""
    cent = inputs.tables.get("centrality.csv")
    if cent is not None and "betweenness" in cent and "person_id" in cent:
        try:
            return plot_network_map(G, size_by="betweenness", centrality=cent, **kwargs)
        except AlumniNetError:
            inputs.computed.append(
                "centrality.csv does not match the data's ids (another key?): the network map "
                "is sized by degree instead of betweenness."
            )
    return plot_network_map(G, **kwargs)


def _has_attr(G, attr: str) -> bool:
    return any(d.get(attr) is not None for _, d in G.nodes(data=True))


def _first_cohort(G):

    return growth_stages(G, "cohort")[0]


def reach_section(G, ds, inputs: Inputs, min_count: int) -> list[Block]:
    out = [heading("Reach within three degrees")]
    reach = inputs.tables.get("reach.csv")
    alumni = alumni_ids(G)
    if reach is None and alumni:
        reach = reach_by_distance(G, alumni)
        inputs.computed.append("Individual reach was computed for this report from the data.")
    if reach is not None:
        union = union_reach(G, inputs)
        out += _try_figure(
            lambda: plot_reach_by_degree(reach, union, min_count=min_count),
            "Individual reaches summed beside the union.",
            "reach by degree",
            inputs,
        )
        if union:
            out.append(table(count_table(overlap_table(reach, union), min_count,
                                         blank_is_withheld=True)))
    by_cohort = inputs.tables.get("reach_by_cohort.csv")
    if by_cohort is None and ds is not None and alumni and "cohort" in ds.people:
        by_cohort = _cohort_reach(G, ds)
        inputs.computed.append("Reach by cohort was computed for this report from the data.")
    if by_cohort is not None:
        out += _try_figure(
            lambda: plot_cumulative_reach(by_cohort, min_count=min_count),
            "Union reach as cohorts join.",
            "cumulative reach",
            inputs,
        )
        out.append(table(count_table(by_cohort, min_count, blank_is_withheld=True)))
    if len(out) == 1:
        out.append(
            para("No reach results (run alumni-net analyze) and no alumni in the data.", "missing")
        )
    return out


def connectors_section(inputs: Inputs, min_count: int) -> list[Block]:
    """Top connectors and E-I indices from ``summary.json`` (ids are pseudonyms)."""
    summary = inputs.json.get("summary.json", {})
    out = []
    connectors = summary.get("connectors")
    if isinstance(connectors, list) and connectors:
        out += [
            heading("Connectors"),
            para(
                "People who link otherwise separate parts of the network, as ranked by "
                "alumni-net analyze (ids are keyed pseudonyms):"
            ),
            table(pd.DataFrame(connectors)),
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


def _cohort_reach(G, ds) -> pd.DataFrame:
    alumni = ds.people[ds.people["is_alum"] & ds.people["cohort"].notna()]
    labels = alumni["cohort"].map(lambda c: str(int(c)) if isinstance(c, float) else str(c))
    groups = {lab: alumni.loc[labels == lab, "person_id"].tolist() for lab in growth_stages(G)}
    return cohort_reach(G, {k: v for k, v in groups.items() if v})


def centrality_section(G, inputs: Inputs) -> list[Block]:
    out = [heading("Who is central")]
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
        return out + [para("No centrality table (run alumni-net analyze).", "missing")]
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
        out += _try_figure(
            lambda m=measure: plot_centrality_distribution(cent, m, alumni=alumni),
            f"Distribution of {measure}.",
            f"{measure} distribution",
            inputs,
        )
    return out


def _key_measures(columns: list[str]) -> list[Block]:
    picks = []
    for key in ("degree", "betweenness", "pagerank", "harmonic", "eigenvector", "constraint"):
        hit = next((c for c in columns if key in c.lower() and c not in picks), None)
        if hit:
            picks.append(hit)
    return picks[:3] or columns[:1]


def spread_section(inputs: Inputs) -> list[Block]:

    out = [heading("Spread of the practice (simulation)")]
    ts = inputs.tables.get("timeseries.csv")
    if ts is not None:
        out += _try_figure(
            lambda: plot_adoption_curves(ts, measures=("practising",)),
            "People practising each month.",
            "adoption curves",
            inputs,
        )
        if "new_adopters" in set(ts.get("measure", [])):
            out += _try_figure(
                lambda: plot_adoption_curves(ts, measures=("new_adopters",)),
                "New adopters each month.",
                "new adopters",
                inputs,
            )
    groups = inputs.tables.get("by_group.csv")
    if groups is not None and "group_type" in groups:
        for kind in [k for k in ("sector", "region") if k in set(groups["group_type"])]:
            out += _try_figure(
                lambda k=kind: plot_spread_by_group(groups, k),
                f"People practising at the end of the horizon by {kind}.",
                f"practising by {kind}",
                inputs,
            )
    bd = inputs.tables.get("by_degree.csv")
    if bd is not None:
        out += _try_figure(
            lambda: plot_adopters_by_degree(bd),
            "Adopters per alum by degree of separation beside the claim's 3, 9, 27.",
            "adopters by degree",
            inputs,
        )
        if {"degree", "measure", "median", "lo", "hi"} <= set(bd.columns):
            out.append(para("Median (90% interval) over replicates, by degree of separation:"))
            out.append(table(interval_table(bd, "degree")))
    if len(out) == 1:
        out.append(para("No simulation results (run alumni-net simulate).", "missing"))
    return out


def scenarios_section(inputs: Inputs) -> list[Block]:
    name = next((n for n in SCENARIO_FILES if n in inputs.tables), None)
    if name is None:
        return []
    res = inputs.tables[name]
    out = [heading("Scenarios")]
    present = list(dict.fromkeys(res["measure"])) if "measure" in res else []
    # The headline (people practising at the end) and what the programme adds, when present;
    # the claim's arithmetic rows are the same in every scenario and say nothing here.
    wanted = [m for m in ("practising_end", "attributable_adopters", "attributable_per_alum")
              if m in present]
    measures = wanted or present[:3]
    for m in measures:
        out += _try_figure(
            lambda m=m: plot_scenario_comparison(res, m),
            f"Scenarios compared on {m} (median and interval).",
            f"scenarios: {m}",
            inputs,
        )
    if "difference_median" in res.columns:
        out.append(para("Differences from the baseline are computed replicate by replicate "
                        "(same seeds, common random numbers), with their 90% interval.", "note"))
    shown = res[res["measure"].isin(measures)] if measures and "measure" in res else res
    return out + [table(shown)]


def methods_section(min_count: int) -> list[Block]:
    items = [
        "Reach: the number of people first reached at exactly 1, 2 and 3 steps through the "
        "network from an alum (individual reach) or from the nearest of all alumni (union reach, "
        "each person counted once). The sum of individual reaches exceeds the union by the "
        "overlap between alumni's neighbourhoods. On directed nomination data, reach follows the "
        "direction influence travels (from the person named to the person who named them).",
        "Multiplier: the claim's arithmetic (alumni x 10; each alum influencing 3 leaders who "
        "each influence 3 more, through three degrees: 39 per alum) is shown beside simulated "
        "adopters. Attributable adopters are the difference between runs with and without the "
        "programme using the same random seeds; every simulated figure is a median over seeded "
        "replicates with a 90% interval.",
        f"Privacy: person ids are keyed pseudonyms; names and emails are never written. Counts "
        f"of people between 1 and {min_count - 1} are shown as <{min_count} in tables and "
        f"aggregated maps; groups of fewer than {min_count} people are pooled as 'other "
        "(suppressed)', with the next smallest where needed so that none can be worked out "
        "from the total. Only categories are shown (the schema's, those declared in "
        f"dataset.toml, and columns whose every value is shared by at least {min_count} "
        "people), never free text; tie kinds that may name someone are shown as 'other kinds'. "
        "Simulated counts describe model runs, not people, and are shown in full.",
        "Maps: layouts are seeded force-directed layouts (igraph's Fruchterman-Reingold). Above "
        "5,000 people a map shows the alumni and their direct contacts, or groups.",
    ]
    return [
        heading("Method notes"),
        notes(items),
    ]
