"""The report's sections on simulated spread (``alumni-net simulate``) and on scenarios
(``alumni-net scenarios``): shown only when those commands ran."""

from __future__ import annotations

from functools import partial

import pandas as pd

from alumni_net.core.formatting import estimate, interval, is_rate, number, whole
from alumni_net.experiments.multiplier import naive_arithmetic
from alumni_net.plotting.plots import (
    plot_adopters_by_degree,
    plot_adoption_curves,
    plot_multiplier,
    plot_scenario_comparison,
    plot_spread_by_group,
)
from alumni_net.report._blocks import Block, heading, para, table
from alumni_net.report._data import (
    SCENARIO_FILES,
    Inputs,
    count_table,
    embed_images,
    interval_table,
)
from alumni_net.report._figures import try_figure

__all__ = ["multiplier_section", "parameter_source", "scenarios_section", "spread_section"]


def parameter_source(inputs: Inputs) -> str:
    source = (inputs.json.get("simulate.json") or {}).get("parameter_source")
    return source or "not recorded (an older run)"


def multiplier_section(n_alumni: int | None, inputs: Inputs) -> list[Block]:
    """The claim's arithmetic beside the simulated multiplier (``multiplier.csv``)."""
    mult = inputs.tables.get("multiplier.csv")
    if mult is None:
        return []
    out: list[Block] = [heading("The multiplier claim beside the estimate")]
    if n_alumni:
        claim = naive_arithmetic(n_alumni)
        out.append(table(pd.DataFrame({
            "the claim's arithmetic": [f"{n_alumni:,} alumni x 10 people each",
                                       f"{n_alumni:,} alumni x (3 + 9 + 27) through three degrees"],
            "people": [f"{claim['naive_ten_per_alum']:,}", f"{claim['naive_branching']:,}"],
        })))
    out += try_figure(lambda: plot_multiplier(mult),
                      "The claim's arithmetic (orange) beside simulated adopters (blue, median "
                      "and 90% interval).", "multiplier", inputs)
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
    out.append(para(f"Model parameters: {parameter_source(inputs)}. Medians and 90% intervals "
                    "over seeded replicates.", "note"))
    return out


def spread_section(inputs: Inputs) -> list[Block]:
    """How the practice spreads in the simulation, month by month and by group and degree."""
    out: list[Block] = [heading("Spread of the practice (simulation)")]
    ts = inputs.tables.get("timeseries.csv")
    if ts is not None:
        out += try_figure(lambda: plot_adoption_curves(ts, measures=("practising",)),
                          "People practising each month.", "adoption curves", inputs)
        if "new_adopters" in set(ts.get("measure", [])):
            out += try_figure(lambda: plot_adoption_curves(ts, measures=("new_adopters",)),
                              "New adopters each month.", "new adopters", inputs)
    groups = inputs.tables.get("by_group.csv")
    if groups is not None and "group_type" in groups:
        for kind in [k for k in ("sector", "region") if k in set(groups["group_type"])]:
            out += try_figure(partial(plot_spread_by_group, groups, kind),
                              f"People practising at the end of the horizon by {kind}.",
                              f"practising by {kind}", inputs)
    bd = inputs.tables.get("by_degree.csv")
    if bd is not None:
        out += try_figure(lambda: plot_adopters_by_degree(bd),
                          "Adopters per alum by degree of separation beside the claim's 3, 9, 27.",
                          "adopters by degree", inputs)
        if {"degree", "measure", "median", "lo", "hi"} <= set(bd.columns):
            out.append(para("Median (90% interval) over replicates, by degree of separation:"))
            out.append(table(interval_table(bd, "degree")))
    if len(out) == 1:
        return []
    out.append(para(f"Model parameters: {parameter_source(inputs)}.", "note"))
    return out


_SCENARIO_FIGURES = {
    "adoption.png": "People practising over the years, each scenario (median and 90% band).",
    "multiplier.png": "Each scenario's figures beside the claim's arithmetic.",
    "differences.png": "Each scenario's difference from the baseline, paired replicate by "
                       "replicate (median and 90% interval).",
}


def _compact(res: pd.DataFrame) -> pd.DataFrame:
    """One readable cell per estimate: "median (lo to hi)", counts whole, rates to three
    figures; the paired difference beside it (the file keeps every column)."""
    needed = {"scenario", "measure", "median", "lo", "hi"}
    if not needed <= set(res.columns):
        return res
    counts = [not is_rate(m) for m in res["measure"]]
    out = pd.DataFrame({
        "scenario": res["scenario"].astype(str), "measure": res["measure"].astype(str),
        "median (90% interval)": [estimate(m, lo, hi, count=c) for c, m, lo, hi in
                                  zip(counts, res["median"], res["lo"], res["hi"], strict=True)],
    })
    if {"difference_median", "difference_lo", "difference_hi"} <= set(res.columns):
        out["difference from the baseline (90% interval)"] = [
            estimate(m, lo, hi, count=c) for c, m, lo, hi in
            zip(counts, res["difference_median"], res["difference_lo"], res["difference_hi"],
                strict=True)]
    return out


def _wide_composition(comp: pd.DataFrame) -> pd.DataFrame:
    """One row per group (sector, region, people who use services), one column per scenario."""
    if not {"scenario", "characteristic", "group", "recruits"} <= set(comp.columns):
        return comp
    names = list(dict.fromkeys(comp["scenario"]))
    wide = comp.pivot_table(index=["characteristic", "group"], columns="scenario",
                            values="recruits", aggfunc="first", sort=False)
    return wide.reindex(columns=names).fillna("0").reset_index().rename_axis(columns=None)


def _caveats(res: pd.DataFrame) -> list[str]:
    """What qualifies a scenario's figures: recruits who add nothing to what their strategy is
    for, and recruits still in training when the run ends (not counted as alumni)."""
    from alumni_net.experiments.scenarios import ADDING_NOTHING, IN_TRAINING

    if not {"scenario", "measure", "median"} <= set(res.columns):
        return []
    out = []
    rows = res.set_index(["scenario", "measure"])["median"]
    for name in dict.fromkeys(res["scenario"]):
        nothing = rows.get((name, ADDING_NOTHING), 0)
        training = rows.get((name, IN_TRAINING), 0)
        if nothing and nothing > 0:
            out.append(f"'{name}': {whole(nothing)} recruits add nothing beyond themselves to "
                       "what the strategy is for (see summary.md).")
        if training and training > 0:
            out.append(f"'{name}': {whole(training)} recruits are still in training when the "
                       "simulation ends; per-alum figures do not count them as alumni.")
    return out


def scenarios_section(inputs: Inputs, min_count: int) -> list[Block]:
    name = next((n for n in SCENARIO_FILES if n in inputs.tables), None)
    if name is None:
        return []
    res = inputs.tables[name]
    out: list[Block] = [heading("Scenarios")]
    present = list(dict.fromkeys(res["measure"])) if "measure" in res else []
    # The headline (people practising at the end) and what the programme adds, when present;
    # the claim's arithmetic rows are the same in every scenario and say nothing here.
    wanted = [m for m in ("practising_end", "attributable_adopters", "attributable_per_alum")
              if m in present]
    measures = wanted or present[:3]
    drawn = embed_images(inputs, _SCENARIO_FIGURES)
    if drawn:
        out += drawn
    else:
        for m in measures:
            out += try_figure(partial(plot_scenario_comparison, res, m),
                              f"Scenarios compared on {m} (median and interval).",
                              f"scenarios: {m}", inputs)
    if "difference_median" in res.columns:
        out.append(para("Differences from the baseline are computed replicate by replicate "
                        "(same seeds, common random numbers), with their 90% interval.", "note"))
    shown = res[res["measure"].isin(measures)] if measures and "measure" in res else res
    out.append(table(_compact(shown)))
    out += [para(text, "note") for text in _caveats(res)]
    composition = inputs.tables.get("composition.csv")
    if composition is not None:
        out += [heading("Who each scenario recruits", 3),
                table(_wide_composition(count_table(composition, min_count,
                                                    blank_is_withheld=True)))]
    return out
