"""Plots of reach and spread: reach by degree, cumulative reach, centralities, adoption curves.

Inputs are the tidy tables that ``alumni-net analyze`` and ``alumni-net simulate`` write
(``reach.csv``, ``reach_by_cohort.csv``, ``centrality.csv``, ``timeseries.csv``,
``multiplier.csv``, ``by_degree.csv``). Every function returns the Axes it drew on.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.container import BarContainer

from alumni_net.core.formatting import estimate, whole
from alumni_net.core.privacy import DEFAULT_MIN_COUNT, format_count, suppressed_label
from alumni_net.errors import AlumniNetError
from alumni_net.plotting._style import add_caption, new_axes, sort_groups

__all__ = [
    "plot_adoption_curves",
    "plot_adopters_by_degree",
    "plot_centrality_distribution",
    "plot_cumulative_reach",
    "plot_multiplier",
    "plot_reach_by_degree",
    "plot_scenario_comparison",
    "plot_spread_by_group",
]

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")
_DEGREE_COLOURS = ("#d7301f", "#fc8d59", "#fdcc8a", "#999999")
_ARM_COLOURS = {"programme": "#3182bd", "no_programme": "#969696", "attributable": "#e6550d"}


def short_label(text: str, width: int = 40) -> str:
    """A category as a tick label: control characters as spaces, at most ``width`` characters
    (a 100,000-character category would push the axes off the figure).

    Examples
    --------
    >>> short_label("a\\tb"), short_label("x" * 50, 10)
    ('a b', 'xxxxxxxxx…')
    """
    text = _CONTROL.sub(" ", str(text))
    return text if len(text) <= width else text[: width - 1] + "…"


def _require(table: pd.DataFrame, columns: Sequence[str], what: str) -> None:
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise AlumniNetError(f"the {what} table lacks column(s) {', '.join(missing)}")


def plot_reach_by_degree(
    reach: pd.DataFrame,
    union: Mapping | None = None,
    *,
    max_dist: int = 3,
    min_count: int = DEFAULT_MIN_COUNT,
    ax: Axes | None = None,
) -> Axes:
    """People first reached at 1, 2, 3 degrees: the sum of alumni's individual reaches beside
    their union. The gap between the bars is overlap: the same person counted by several alumni.

    Parameters
    ----------
    reach : DataFrame
        ``reach.csv``: one row per alum with ``reach_1`` .. ``reach_D``.
    union : mapping, optional
        The alumni's union reach with ``reach_1`` .. ``reach_D`` (``union_reach``'s result).

    Examples
    --------
    >>> reach = pd.DataFrame({"reach_1": [12, 15], "reach_2": [30, 20], "reach_3": [40, 50]})
    >>> ax = plot_reach_by_degree(reach, {"reach_1": 20, "reach_2": 35, "reach_3": 9})
    >>> [float(p.get_height()) for p in ax.patches]
    [27.0, 50.0, 90.0, 20.0, 35.0, 9.0]
    >>> [t.get_text() for t in ax.texts][:6]
    ['27', '50', '90', '20', '35', '<10']
    """
    ax = new_axes(ax, figsize=(7.0, 4.5))
    cols = [f"reach_{d}" for d in range(1, max_dist + 1)]
    _require(reach, cols, "reach")
    summed = reach[cols].sum().to_numpy(float)
    d = np.arange(1, max_dist + 1)
    width = 0.38 if union else 0.6
    bars = ax.bar(
        d - (width / 2 if union else 0),
        summed,
        width,
        color="#9ecae1",
        label="sum of individual reaches",
    )
    _label_bars(ax, bars, summed, min_count)
    if union:
        # A withheld count (None in summary.json) is drawn as a hatched outline up to the cut-off.
        withheld = np.array([c in union and union[c] is None for c in cols])
        joint = np.array([np.nan if w else float(union.get(c, np.nan))
                          for c, w in zip(cols, withheld, strict=True)])
        shown = np.where(withheld, np.nan, joint)
        bars = ax.bar(
            d + width / 2, shown, width, color="#08519c", label="union (each person once)"
        )
        _label_bars(ax, bars, joint, min_count, withheld)
        if withheld.any():
            hatched = ax.bar(d[withheld] + width / 2, min_count, width, fill=False, hatch="///",
                             edgecolor="#08519c", label=f"union suppressed (<{min_count})")
            ax.bar_label(hatched, labels=[suppressed_label(min_count)] * int(withheld.sum()),
                         fontsize=7, padding=2)
    ax.set_xticks(d, [f"{k} degree{'s' if k > 1 else ''}" for k in d])
    ax.set_ylabel("people first reached at this distance")
    ax.set_title(f"Reach of {len(reach):,} alumni by degree of separation", loc="left", fontsize=11)
    ax.legend(frameon=False, fontsize=8)
    ax.spines[["top", "right"]].set_visible(False)
    note = (
        "Union not available: run 'alumni-net analyze'."
        if not union
        else (
            "The difference between the bars is double counting: people reached by several alumni."
        )
    )
    if union and withheld.any():
        note += (f" Hatched: suppressed, fewer than {min_count} people (drawn at {min_count}, "
                 "an upper bound).")
    add_caption(ax, note + f" Counts below {min_count} shown as <{min_count}.", below=34)
    return ax


def _label_bars(ax: Axes, bars: BarContainer, values: np.ndarray, min_count: int,
                withheld: np.ndarray | None = None) -> None:
    withheld = np.zeros(len(values), bool) if withheld is None else withheld
    labels = ["" if w else format_count(v, min_count)  # withheld: labelled on the hatched bar
              for v, w in zip(values, withheld, strict=True)]
    ax.bar_label(bars, labels=labels, fontsize=7, padding=2)


def plot_cumulative_reach(
    by_cohort: pd.DataFrame,
    *,
    max_dist: int = 3,
    claim_per_alum: int | None = 10,
    min_count: int = DEFAULT_MIN_COUNT,
    ax: Axes | None = None,
) -> Axes:
    """Union reach of all alumni so far as each cohort joins (``reach_by_cohort.csv``), beside the
    claim's "alumni x 10" line."""
    ax = new_axes(ax, figsize=(7.0, 4.5))
    cols = [f"reach_within_{d}" for d in range(1, max_dist + 1)]
    _require(by_cohort, ["cohort", *cols], "reach by cohort")
    x = np.arange(len(by_cohort))
    withheld_any = False
    for d, col in enumerate(cols, start=1):
        # Blank cells in reach_by_cohort.csv are counts withheld by the privacy rule: open
        # markers at the cut-off (an upper bound), never a number or a gap that looks like zero.
        values = pd.to_numeric(by_cohort[col], errors="coerce").to_numpy(float)
        withheld = np.isnan(values)
        withheld_any |= bool(withheld.any())
        ax.plot(
            x,
            values,
            marker="o",
            ms=3,
            color=_DEGREE_COLOURS[d - 1],
            label=f"within {d} degree{'s' if d > 1 else ''}",
        )
        if withheld.any():
            ax.plot(x[withheld], np.full(withheld.sum(), float(min_count)), ls="none", marker="o",
                    ms=5, mfc="none", color=_DEGREE_COLOURS[d - 1])
    if claim_per_alum and "alumni_to_date" in by_cohort:
        claim = by_cohort["alumni_to_date"].to_numpy(float) * claim_per_alum
        ax.plot(x, claim, ls="--", color="#333333", label=f"claim: alumni x {claim_per_alum}")
    ax.set_xticks(x, [str(c) for c in by_cohort["cohort"]], rotation=45 if len(x) > 12 else 0)
    ax.set_xlabel("cohort (cumulative: all cohorts up to this one)")
    ax.set_ylabel("people reached (alumni not counted)")
    ax.set_title("Union reach as cohorts join", loc="left", fontsize=11)
    ax.legend(frameon=False, fontsize=8)
    ax.spines[["top", "right"]].set_visible(False)
    last = by_cohort[cols[-1]].iloc[-1] if len(by_cohort) else np.nan
    add_caption(
        ax,
        f"After the last cohort, "
        f"{suppressed_label(min_count) if pd.isna(last) else format_count(last, min_count)} "
        "people are within "
        f"{max_dist} degrees of an alum."
        + (f" Open circles: suppressed, fewer than {min_count} people (drawn at {min_count})."
           if withheld_any else ""),
        below=34,
    )
    return ax


def plot_centrality_distribution(
    centrality: pd.DataFrame,
    measure: str,
    *,
    alumni: Sequence | None = None,
    bins: int = 30,
    log: bool | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Histogram of one centrality (``centrality.csv`` column), alumni and others side by side
    when ``alumni`` ids (or an ``is_alum`` column) say who is who. ``log`` puts the y axis on a
    log scale (default: when the values are strongly skewed)."""
    ax = new_axes(ax, figsize=(7.0, 4.5))
    _require(centrality, [measure], "centrality")
    values = pd.to_numeric(centrality[measure], errors="coerce")
    is_alum = _alum_mask(centrality, alumni)
    finite = values[np.isfinite(values)]
    if finite.empty:
        raise AlumniNetError(f"'{measure}' has no finite values to plot")
    edges = np.histogram_bin_edges(finite, bins=bins).tolist()  # a list, as hist's hints ask
    groups = (
        [("everyone", values)]
        if is_alum is None
        else [("alumni", values[is_alum]), ("not alumni", values[~is_alum])]
    )
    for (label, vals), colour in zip(groups, ("#08519c", "#bdbdbd"), strict=False):
        vals = vals[np.isfinite(vals)]
        if len(vals):
            ax.hist(vals, bins=edges, alpha=0.75, color=colour, label=f"{label} ({len(vals):,})")
    skewed = finite.max() > 10 * max(finite.median(), 1e-12)
    if log if log is not None else skewed:
        ax.set_yscale("log")
    ax.set_xlabel(measure.replace("_", " "))
    ax.set_ylabel("people")
    ax.set_title(f"Distribution of {measure.replace('_', ' ')}", loc="left", fontsize=11)
    ax.legend(frameon=False, fontsize=8)
    ax.spines[["top", "right"]].set_visible(False)
    return ax


def _alum_mask(table: pd.DataFrame, alumni: Sequence | None) -> np.ndarray | None:
    if alumni is not None and "person_id" in table:
        return table["person_id"].isin(set(alumni)).to_numpy()
    if "is_alum" in table:
        return table["is_alum"].astype(str).str.lower().isin({"true", "1"}).to_numpy()
    return None


def plot_adoption_curves(
    timeseries: pd.DataFrame,
    *,
    measures: Sequence[str] = ("practising",),
    arms: Sequence[str] | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Median curves with 90% bands over months (``timeseries.csv``: month, arm, measure,
    median, lo, hi), one line per arm (programme, no programme, attributable) and measure."""
    ax = new_axes(ax, figsize=(7.0, 4.5))
    _require(timeseries, ["month", "measure", "median", "lo", "hi"], "timeseries")
    table = timeseries if "arm" in timeseries else timeseries.assign(arm="programme")
    arms = list(arms) if arms is not None else list(dict.fromkeys(table["arm"]))
    styles = ("-", "--", ":", "-.")
    drawn = 0
    for i, measure in enumerate(measures):
        for arm in arms:
            part = table[(table["measure"] == measure) & (table["arm"] == arm)].sort_values("month")
            if part.empty:
                continue
            colour = _ARM_COLOURS.get(arm, "#756bb1")
            ax.fill_between(part["month"], part["lo"], part["hi"], color=colour, alpha=0.2, lw=0)
            ax.plot(
                part["month"],
                part["median"],
                color=colour,
                ls=styles[i % len(styles)],
                label=f"{measure.replace('_', ' ')}: {arm.replace('_', ' ')}",
            )
            drawn += 1
    if not drawn:
        raise AlumniNetError(f"the timeseries table has none of the measures {', '.join(measures)}")
    n_rep = int(timeseries["n_replicates"].max()) if "n_replicates" in timeseries else None
    ax.set_xlabel("month")
    ax.set_ylabel("people")
    ax.set_title("Spread of the practice over time", loc="left", fontsize=11)
    ax.legend(frameon=False, fontsize=8)
    ax.spines[["top", "right"]].set_visible(False)
    reps = f" over {n_rep} replicates" if n_rep else ""
    add_caption(ax, f"Lines: medians{reps}; bands: 90% intervals (5th-95th percentiles).", below=34)
    return ax


def plot_multiplier(multiplier: pd.DataFrame, *, ax: Axes | None = None) -> Axes:
    """The claim's arithmetic (alumni x 10; 3-leader branching) beside the simulated adopters,
    with 90% intervals (``multiplier.csv``)."""
    ax = new_axes(ax, figsize=(7.0, 4.0))
    _require(multiplier, ["measure", "median", "lo", "hi"], "multiplier")
    wanted = [
        "naive_ten_per_alum",
        "naive_branching",
        "adopters",
        "attributable_adopters",
        "attributable_adopters_non_alumni",
        "adopters_no_programme",
    ]
    rows = multiplier.set_index("measure").reindex(
        [m for m in wanted if m in set(multiplier["measure"])]
    )
    if rows.empty:
        raise AlumniNetError("the multiplier table has none of the adopter or claim measures")
    y = np.arange(len(rows))[::-1]
    claim = rows.index.str.startswith("naive")
    med = rows["median"].to_numpy(float)
    err = np.vstack([med - rows["lo"].to_numpy(float), rows["hi"].to_numpy(float) - med])
    ax.barh(
        y,
        med,
        color=np.where(claim, "#fdae6b", "#6baed6"),
        xerr=np.clip(err, 0, None),
        error_kw={"lw": 1, "capsize": 3},
    )
    lo, hi = rows["lo"].to_numpy(float), rows["hi"].to_numpy(float)
    for yi, m, a, b, c in zip(y, med, lo, hi, claim, strict=True):
        # The claim is arithmetic (no interval); a simulated count reads as the tables do.
        label = whole(m, missing="n/a") if c else estimate(m, a, b, count=True)
        ax.text(0 if np.isnan(m) else m, yi, f" {label}", va="center", fontsize=7)
    ax.set_yticks(y, [m.replace("_", " ") for m in rows.index], fontsize=8)
    ax.set_xlabel("people")
    ax.set_title("The claim's arithmetic beside the simulated multiplier", loc="left", fontsize=11)
    ax.spines[["top", "right"]].set_visible(False)
    add_caption(
        ax,
        "Orange: the claim's arithmetic (no uncertainty). Blue: simulated, median "
        "with 90% interval.",
        below=34,
    )
    return ax


def plot_adopters_by_degree(by_degree: pd.DataFrame, *, ax: Axes | None = None) -> Axes:
    """Adopters per alum at each degree of separation, beside the claim's 3, 9, 27
    (``by_degree.csv``)."""
    ax = new_axes(ax, figsize=(7.0, 4.5))
    _require(by_degree, ["degree", "measure", "median", "lo", "hi"], "by-degree")
    order = list(dict.fromkeys(by_degree["degree"].astype(str)))
    x = {d: i for i, d in enumerate(order)}
    series = [
        ("adopters_per_alum", "simulated, with programme", "#3182bd", -0.2),
        ("adopters_per_alum_no_programme", "simulated, no programme", "#969696", 0.0),
        ("naive_branching_per_alum", "claim: 3-leader branching", "#fd8d3c", 0.2),
    ]
    drawn = 0
    for measure, label, colour, shift in series:
        part = by_degree[by_degree["measure"] == measure]
        if part.empty:
            continue
        xs = np.array([x[str(d)] for d in part["degree"]]) + shift
        med = part["median"].to_numpy(float)
        err = np.clip(
            np.vstack([med - part["lo"].to_numpy(float), part["hi"].to_numpy(float) - med]), 0, None
        )
        ax.bar(xs, med, 0.2, color=colour, yerr=err, capsize=2, label=label)
        drawn += 1
    if not drawn:
        raise AlumniNetError("the by-degree table has no per-alum measures")
    ax.set_xticks(range(len(order)), order)
    ax.set_yscale("symlog", linthresh=1.0)
    ax.set_xlabel("degree of separation from the nearest practising alum (0 = alumni)")
    ax.set_ylabel("adopters per alum")
    ax.set_title("Adopters by degree of separation", loc="left", fontsize=11)
    ax.legend(frameon=False, fontsize=8)
    ax.spines[["top", "right"]].set_visible(False)
    return ax


def plot_scenario_comparison(
    results: pd.DataFrame, measure: str, *, ax: Axes | None = None
) -> Axes:
    """One measure across scenarios: median bars with interval whiskers (scenario results table:
    scenario, measure, median, lo, hi)."""
    ax = new_axes(ax, figsize=(7.0, 4.0))
    _require(results, ["scenario", "measure", "median", "lo", "hi"], "scenario results")
    part = results[results["measure"] == measure]
    if part.empty:
        raise AlumniNetError(f"no scenario results for measure '{measure}'")
    y = np.arange(len(part))[::-1]
    med = part["median"].to_numpy(float)
    err = np.clip(
        np.vstack([med - part["lo"].to_numpy(float), part["hi"].to_numpy(float) - med]), 0, None
    )
    ax.barh(y, med, color="#6baed6", xerr=err, error_kw={"lw": 1, "capsize": 3})
    ax.set_yticks(y, [str(s) for s in part["scenario"]], fontsize=8)
    ax.set_xlabel(measure.replace("_", " "))
    ax.set_title(f"Scenarios: {measure.replace('_', ' ')}", loc="left", fontsize=11)
    ax.spines[["top", "right"]].set_visible(False)
    return ax


def plot_spread_by_group(
    by_group: pd.DataFrame,
    group_type: str = "sector",
    *,
    measure: str = "practising",
    month: int | None = None,
    ax: Axes | None = None,
) -> Axes:
    """People practising (or another measure) in each group at one month, with and without the
    programme, medians with 90% intervals (``by_group.csv``: month, arm, group_type, group,
    measure, median, lo, hi). ``month`` defaults to the last one simulated."""
    ax = new_axes(ax, figsize=(7.0, 4.5))
    cols = ["month", "arm", "group_type", "group", "measure", "median", "lo", "hi"]
    _require(by_group, cols, "by-group")
    part = by_group[(by_group["group_type"] == group_type) & (by_group["measure"] == measure)]
    if part.empty:
        raise AlumniNetError(f"no '{measure}' results by {group_type} in the by-group table")
    month = int(part["month"].max()) if month is None else month
    part = part[part["month"] == month]
    groups = sort_groups(part["group"].astype(str).unique())
    y = np.arange(len(groups))[::-1]
    arms = [a for a in ("programme", "no_programme") if a in set(part["arm"])]
    height = 0.8 / max(len(arms), 1)
    for i, arm in enumerate(arms):
        rows = part[part["arm"] == arm]
        rows = rows.set_index(rows["group"].astype(str)).reindex(groups)
        med = rows["median"].to_numpy(float)
        err = np.clip(np.vstack([med - rows["lo"], rows["hi"] - med]), 0, None)
        ax.barh(
            y + 0.4 - height * (i + 0.5),
            med,
            height,
            xerr=err,
            color=_ARM_COLOURS[arm],
            error_kw={"lw": 1, "capsize": 2},
            label=arm.replace("_", " "),
        )
    ax.set_yticks(y, [short_label(g) for g in groups], fontsize=8)
    ax.set_xlabel(f"people {measure.replace('_', ' ')} at month {month}")
    ax.set_title(f"{measure.capitalize()} by {group_type}", loc="left", fontsize=11)
    ax.legend(frameon=False, fontsize=8)
    ax.spines[["top", "right"]].set_visible(False)
    add_caption(
        ax, "Medians with 90% intervals over replicates (same seeds in both arms).", below=34
    )
    return ax
