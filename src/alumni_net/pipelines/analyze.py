"""The ``analyze`` step: every network measure of a dataset, written as tidy tables and a summary.

Outputs (in one folder, written atomically): ``centrality.csv`` (one row per person),
``reach.csv`` (one row per alum), ``reach_by_cohort.csv`` (cohorts in time order, cumulative),
``summary.json`` and ``summary.md``. Person ids are whatever the dataset holds; the command line
pseudonymises them on load. Counts below ``min_count`` that describe groups (cohorts, sectors,
regions, communities, the alumni together) are suppressed in the published tables.

Networks of millions of people (more than :data:`LARGE_NETWORK`) are analysed within minutes on
two cores: the alumni's reach stays exact; every person's reach is estimated by HyperANF;
betweenness and closeness come from fewer sampled sources; PageRank is found by power
iteration; eigenvector centrality is left out; communities take one Leiden pass. Whatever is
not exact says so, with its error where it has one, in ``summary.json`` (``precision``) and
``summary.md``.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from alumni_net.core.convert import json_scalar
from alumni_net.core.files import atomic_dir
from alumni_net.core.formatting import number, whole
from alumni_net.core.markdown import render_markdown
from alumni_net.core.privacy import is_small, suppress_small
from alumni_net.core.progress import progress
from alumni_net.core.publish import (
    POOLED,
    allow_list,
    pool_small_groups,
    published_json,
    published_name,
)
from alumni_net.core.rng import SeedLike
from alumni_net.core.tables import write_csv
from alumni_net.graph import IGraph, to_igraph
from alumni_net.io import Dataset
from alumni_net.metrics import (
    CHRISTAKIS_FOWLER_EFFECTS,
    MEASURES,
    ReachIndex,
    approximate_reach,
    centrality_table,
    cohort_reach,
    ei_index,
    expected_relative_error,
    marginal_reach,
    modularity,
    rank_connectors,
    reach_by_distance,
    reach_index,
    reach_overlap,
    union_reach,
)
from alumni_net.vocabulary import Influence

__all__ = [
    "LARGE_NETWORK",
    "LARGE_SAMPLES",
    "REACH_EXACT_LIMIT",
    "AnalysisResult",
    "analyze_dataset",
    "summary_markdown",
]

#: Above this many people, analyze does what runs in minutes (see the module docstring).
LARGE_NETWORK = 1_000_000
#: Sampled sources for betweenness and closeness on large networks (500 below): each costs a
#: search of every tie, about 2 seconds on 3 million people and 30 million ties.
LARGE_SAMPLES = 32
#: Every person's reach within 1 .. max_dist is exact up to this many people, else estimated.
REACH_EXACT_LIMIT = 50_000
#: HyperLogLog registers per person for estimated reach: 6.5% relative standard error.
REACH_REGISTERS = 256


@dataclass(frozen=True)
class AnalysisResult:
    """What :func:`analyze_dataset` computed and where it wrote it."""

    centrality: pd.DataFrame
    reach: pd.DataFrame
    reach_by_cohort: pd.DataFrame
    summary: dict
    out_dir: Path | None


def analyze_dataset(
    ds: Dataset,
    out_dir: str | os.PathLike | None,
    *,
    seed: SeedLike = 0,
    max_dist: int = 3,
    influence: Influence = "target_to_source",
    effects: Sequence[float] = CHRISTAKIS_FOWLER_EFFECTS,
    backend: str = "igraph",
    exact_limit: int = 5000,
    samples: int | None = None,
    top: int = 10,
    min_count: int = 10,
) -> AnalysisResult:
    """Centrality, connectors, bridging and alumni reach of ``ds``; files go to ``out_dir``.

    Parameters
    ----------
    ds : the dataset (ids already pseudonymised if the outputs are to be shared).
    out_dir : output folder (files are added atomically); None computes without writing.
    seed : seeds betweenness sampling and community detection.
    max_dist, influence, effects : see :mod:`alumni_net.metrics.reach`.
    backend, exact_limit, samples : see :func:`alumni_net.metrics.centrality_table`; samples
        default to 500, or :data:`LARGE_SAMPLES` above :data:`LARGE_NETWORK` people.
    top : how many connectors the summary lists.
    min_count : group counts below this are suppressed in published tables.
    """
    steps = progress(total=5, desc="analyze")
    graph = to_igraph(ds)
    n = graph.graph.vcount()
    plan = _plan(n, samples, exact_limit)
    table = _person_table(ds, graph, backend=backend, exact_limit=exact_limit, seed=seed,
                          samples=plan["samples"], measures=plan["measures"],
                          community_iterations=plan["community_iterations"])
    steps.update()
    index = reach_index(graph, influence=influence)  # converted once for every reach query
    # metrics.reach annotates ids as a Sequence; arrays of ids are what every caller passes.
    alumni: Any = ds.alumni
    reach = reach_by_distance(index, alumni, effects=effects, max_dist=max_dist)
    reach = reach.merge(marginal_reach(index, alumni, max_dist=max_dist).reset_index(),
                        on="person_id")
    union = union_reach(index, alumni, effects=effects, max_dist=max_dist)
    steps.update()
    table = table.merge(_everyone_reach(index, max_dist, seed), on="person_id", how="left")
    steps.update()
    cohorts = _cohort_table(ds, index, min_count=min_count, max_dist=max_dist)
    steps.update()
    summary = _summary(
        ds,
        graph,
        table,
        reach,
        union,
        cohorts,
        top=top,
        min_count=min_count,
        max_dist=max_dist,
        influence=influence,
        effects=effects,
        exact=n <= exact_limit,
        samples=plan["samples"],
        precision=_precision(n, plan, max_dist),
    )
    if out_dir is not None:
        _write(out_dir, table, reach, cohorts, summary)
    steps.update()
    steps.close()
    return AnalysisResult(
        table, reach, cohorts, summary, None if out_dir is None else Path(out_dir)
    )


def _plan(n: int, samples: int | None, exact_limit: int) -> dict:
    """What the person table computes at this size (see the module docstring)."""
    large = n > LARGE_NETWORK
    measures = [m for m in MEASURES if not (large and m == "eigenvector")]
    if samples is None:
        samples = LARGE_SAMPLES if large else 500
    return {"large": large, "samples": samples, "measures": measures,
            "sampled": n > exact_limit and samples < n,
            "community_iterations": 1 if large else 2}


def _everyone_reach(index: ReachIndex, max_dist: int, seed: SeedLike) -> pd.DataFrame:
    """Every person's reach within 1 .. max_dist: exact up to REACH_EXACT_LIMIT people (one
    bit-parallel search), else HyperANF (reach within 1 stays exact)."""
    if index.n <= REACH_EXACT_LIMIT:
        table = reach_by_distance(index, None, max_dist=max_dist)
        return table[["person_id", *[f"reach_within_{d}" for d in range(1, max_dist + 1)]]]
    est = approximate_reach(index, max_dist=max_dist, registers=REACH_REGISTERS, seed=seed)
    for d in range(2, max_dist + 1):
        est[f"reach_within_{d}"] = est[f"reach_within_{d}"].round(1)
    est["reach_within_1"] = est["reach_within_1"].astype(np.int64)
    return est


def _precision(n: int, plan: dict, max_dist: int) -> list[str]:
    """One sentence per figure that is not exact, or that is exact where one might doubt it."""
    notes = ["The alumni's reach (reach.csv, reach_by_cohort.csv and the table above) is exact."]
    if n > REACH_EXACT_LIMIT:
        err = expected_relative_error(REACH_REGISTERS)
        notes.append(
            f"Every person's reach within 2 to {max_dist} (reach_within_* in centrality.csv) is "
            f"estimated by HyperANF with {REACH_REGISTERS} registers a person (relative standard "
            f"error {err:.1%}; within 1 is exact): exact counts for {n:,} people would take "
            "hours." if max_dist > 1 else "Every person's reach within 1 is exact.")
    else:
        notes.append("Every person's reach (reach_within_* in centrality.csv) is exact.")
    if not plan["large"]:
        return notes
    if plan["sampled"]:
        notes.append(
            f"Betweenness, closeness and harmonic centrality are estimated from "
            f"{plan['samples']} sampled sources (each is a search of every tie; see "
            "betweenness_se): the ranking of the strongest connectors is reliable, small "
            "differences between people are not.")
    notes += [
        "PageRank is found by power iteration to a change below 1e-10 (ARPACK, used on smaller "
        "networks, takes minutes here); the values agree with it to about 1e-9.",
        f"Eigenvector centrality is not computed on networks of more than {LARGE_NETWORK:,} "
        "people (its solver takes many minutes there); PageRank measures the same idea of "
        "being connected to well-connected people.",
        "Communities come from one Leiden pass (two on smaller networks).",
    ]
    return notes


def _person_table(ds: Dataset, graph: IGraph, **kw) -> pd.DataFrame:
    table = centrality_table(graph, **kw)
    ranked = rank_connectors(table)[["person_id", "connector_rank", "connector_score"]]
    table = table.merge(ranked, on="person_id", how="left")
    # Only columns outputs may publish (core.publish): a sector column of emails is not one.
    allowed = allow_list(ds)
    keep = [c for c in ("is_alum", "cohort", "sector", "region") if allowed.allows(c)]
    info = ds.people[["person_id", *keep]]
    return info.merge(table, on="person_id", how="right")


def _cohort_table(ds: Dataset, graph: ReachIndex, *, min_count: int, **reach_kw) -> pd.DataFrame:
    order = ds.cohorts
    if order.empty:
        return pd.DataFrame({"cohort": []})
    alumni = ds.people[ds.people["is_alum"]]
    members = {
        c: alumni.loc[alumni["cohort"] == c, "person_id"].to_numpy() for c in order["cohort"]
    }
    blocks = _cohort_blocks(list(order["cohort"]), {c: len(m) for c, m in members.items()},
                            min_count)
    starts = dict(zip(order["cohort"], order["cohort_start"], strict=True))
    pooled = {_block_label(b): np.concatenate([members[c] for c in b]) for b in blocks}
    table = cohort_reach(graph, pooled, **reach_kw)
    table.insert(1, "cohort_start", [starts[b[0]] for b in blocks])
    table = suppress_small(table, min_count=min_count, skip=("cohort", "cohort_start"))
    # A block still below the cut-off (every alum together is) publishes none of its reach: with
    # one alum it would be that person's own.
    small = table["n_alumni"].isna()
    counts = [c for c in table.columns if c not in ("cohort", "cohort_start")]
    table.loc[small, counts] = pd.NA
    return table


def _cohort_blocks(order: list, sizes: dict, min_count: int) -> list[tuple]:
    """Cohorts in time order, each small one pooled with the next (the last with the one before),
    so that every row, and every step of the running totals, holds ``min_count`` alumni or more.

    Examples
    --------
    >>> _cohort_blocks(["a", "b", "c", "d"], {"a": 12, "b": 3, "c": 4, "d": 5}, 10)
    [('a',), ('b', 'c', 'd')]
    >>> _cohort_blocks(["a", "b", "c"], {"a": 12, "b": 10, "c": 2}, 10)
    [('a',), ('b', 'c')]
    """
    blocks, pending, size = [], [], 0
    for c in order:
        pending.append(c)
        size += sizes[c]
        if not is_small(size, min_count):
            blocks.append(tuple(pending))
            pending, size = [], 0
    if pending:
        if blocks:
            blocks[-1] = (*blocks[-1], *pending)
        else:
            blocks.append(tuple(pending))
    return blocks


def _block_label(block: tuple):
    if len(block) == 1:
        return block[0]
    # A cohort column with gaps is read as floats: 1.0 is cohort "1".
    return " + ".join(str(int(c)) if isinstance(c, float) and c.is_integer() else str(c)
                      for c in block)


def _cohort_note(ds: Dataset, cohorts: pd.DataFrame, min_count: int) -> list[str]:
    """The sentence ``summary.md`` carries when cohorts were pooled in ``reach_by_cohort.csv``."""
    if len(cohorts) >= len(ds.cohorts):
        return []
    return [f"In reach_by_cohort.csv, cohorts of fewer than {min_count} alumni are pooled with "
            "the next cohort in time (rows labelled 'A + B'), so that no row or step of the "
            "running totals describes fewer people; the reach of fewer than "
            f"{min_count} alumni together is not shown."]


def _summary(
    ds,
    graph,
    table,
    reach,
    union,
    cohorts,
    *,
    top,
    min_count,
    max_dist,
    influence,
    effects,
    exact,
    samples,
    precision,
) -> dict:
    d = max_dist
    allowed = allow_list(ds, min_count=min_count)
    n_alumni = int(union["sources"])
    union_out = {k: None if is_small(v, min_count) else json_scalar(v) for k, v in union.items()}
    connectors = table.sort_values("connector_rank").head(top)
    cols = [
        c
        for c in (
            "person_id",
            "connector_rank",
            "connector_score",
            "is_alum",
            "betweenness",
            "constraint",
            "n_other_communities",
            "n_other_sectors",
            "n_other_regions",
        )
        if c in connectors
    ]
    groups = {
        a: _published_ei(graph, table["community"] if a == "community" else ds.people[a],
                         min_count)
        for a in ("sector", "region", "community")
        if a == "community" or (a in ds.people.columns and allowed.groupable(a))
    }
    return published_json({
        "dataset": {
            "name": published_name(ds.name),
            "people": ds.n_people,
            "ties": ds.n_ties,
            "directed": ds.directed,
            "alumni": n_alumni,
        },
        # How the data were loaded, so `report --data` loads them the same way (no key in it).
        "loaded_with": {
            **(ds.loaded_with or {"dataset": ds.name, "directed": ds.directed}),
            "influence": influence,
        },
        "notes": layout_notes(graph, groups) + _cohort_note(ds, cohorts, min_count),
        "reach": {
            "max_dist": d,
            "influence": influence if ds.directed else "undirected",
            "effects": list(map(float, effects)),
            "alumni_union": union_out,
            "overlap": {
                k: None if pd.isna(v) else json_scalar(v)
                for k, v in reach_overlap(reach, union, max_dist=d).items()
            },
            "claim_10_per_alum": 10 * n_alumni,
            f"median_individual_within_{d}": float(reach[f"reach_within_{d}"].median())
            if len(reach)
            else None,
        },
        "connectors": _records(connectors[cols]),
        "communities": {
            "count": int(table["community"].nunique()),
            "modularity": modularity(graph, table["community"].to_numpy()),
        },
        "ei_index": {a: _records(t) for a, t in groups.items()},
        "betweenness": "exact"
        if exact
        else f"estimated from {samples} sampled sources (see betweenness_se)",
        "precision": precision,
        "min_count": min_count,
    })


def _published_ei(graph: IGraph, labels: pd.Series, min_count: int) -> pd.DataFrame:
    """E-I index per group with small groups pooled with their complement and the pool left out:
    the whole network's row minus the groups shown is then never a small group."""
    pooled, _ = pool_small_groups(labels.reset_index(drop=True), min_count=min_count)
    table = ei_index(graph, pooled.tolist(), min_count=min_count)
    return table[table["group"] != POOLED].reset_index(drop=True)


def layout_notes(graph: IGraph, ei_tables: dict[str, pd.DataFrame]) -> list[str]:
    """What the network's separate components do to the measures: eigenvector centrality is per
    component, and groups made of whole components have an E-I index of -1 by construction."""
    sizes = graph.graph.connected_components(mode="weak").sizes()
    parts = sorted((s for s in sizes if s > 1), reverse=True)
    if len(parts) < 2:
        return []
    alone = len(sizes) - len(parts)
    isolates = f" and {alone:,} people with no tie" if alone else ""
    notes = [
        f"The network is {len(parts)} separate components of two or more people (largest "
        f"{parts[0]:,}, smallest {parts[-1]:,}){isolates}: no path joins them, so reach and "
        "betweenness stay within components, and eigenvector centrality is computed per "
        "component (compare it within a component)."
    ]
    for attr, table in ei_tables.items():
        groups = table[table["group"] != "(all)"]
        closed = int(groups["whole_components"].sum())
        if not closed:
            continue
        what, whats = (("community", "communities") if attr == "community"
                       else (f"{attr} group", f"{attr} groups"))
        if closed == len(groups):
            head = f"Every {what} listed is made of whole components"
        else:
            head = f"{closed:,} of the {len(groups):,} {whats} listed are made of whole components"
        notes.append(
            f"{head}, so no tie can leave {'it' if closed == len(groups) else 'them'}: an E-I "
            "index of -1 there says only that the components are separate"
            + (", and cross_community_share and n_other_communities in centrality.csv are 0 for "
               "everyone by construction." if attr == "community" and closed == len(groups)
               else ".")
        )
    return notes


def _records(frame: pd.DataFrame) -> list[dict]:
    return [
        {k: (None if pd.isna(v) else json_scalar(v)) for k, v in row.items()}
        for row in frame.to_dict("records")
    ]


def summary_markdown(summary: dict) -> str:
    """The summary as a short Markdown report (``summary.md``), every value escaped Markdown.

    Counts are whole numbers and ratios three significant figures
    (:mod:`alumni_net.core.formatting`); a count withheld by the privacy rule reads
    ``<min_count``.
    """
    ds, r = summary["dataset"], summary["reach"]
    union, overlap, d = r["alumni_union"], r["overlap"], r["max_dist"]
    min_count = summary["min_count"]

    def count(v) -> str:
        return f"<{min_count}" if v is None else whole(v)

    reach_rows = [
        [k, count(union.get(f"reach_{k}")), count(union.get(f"reach_within_{k}")),
         whole(overlap[f"sum_individual_within_{k}"]),
         number(overlap[f"overlap_ratio_{k}"], missing="n/a")]
        for k in range(1, d + 1)
    ]
    connectors = [[c["connector_rank"], c["person_id"], number(c["connector_score"])]
                  for c in summary["connectors"]]
    ei = []
    for attr, rows in summary["ei_index"].items():
        # the largest groups and the whole
        shown = rows if len(rows) <= 13 else [*rows[:12], rows[-1]]
        cells = [[x["group"], whole(x["n_members"]), number(x["ei_index"])
                  + (" (whole components)" if x.get("whole_components") else "")] for x in shown]
        ei.append({"attr": attr, "rows": cells})
    return render_markdown(
        "analyze_summary.md.j2",
        name=ds["name"], people=ds["people"], ties=ds["ties"], alumni=ds["alumni"],
        direction="directed" if ds["directed"] else "undirected", influence=r["influence"],
        reach_rows=reach_rows, claim=r["claim_10_per_alum"],
        effects=", ".join(f"{e:g}" for e in r["effects"]),
        decay_weighted=count(union.get("decay_weighted_reach")),
        connectors=connectors, n_communities=summary["communities"]["count"],
        modularity=number(summary["communities"]["modularity"], missing="n/a"),
        betweenness=summary["betweenness"], ei=ei, min_count=min_count,
        notes=summary.get("notes", []), precision=summary.get("precision", []),
    )


def _write(out_dir, table, reach, cohorts, summary) -> None:
    with atomic_dir(out_dir, stale=("report.html",)) as tmp:
        write_csv(table, tmp / "centrality.csv")
        write_csv(reach, tmp / "reach.csv")
        write_csv(cohorts, tmp / "reach_by_cohort.csv")
        (tmp / "summary.json").write_text(
            json.dumps(summary, indent=2, default=str) + "\n", encoding="utf-8"
        )
        (tmp / "summary.md").write_text(summary_markdown(summary), encoding="utf-8")
