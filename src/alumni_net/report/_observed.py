"""The report's section on observed diffusion (what ``alumni-net diffusion`` wrote): how far
adoption went, the figures the command drew, and whether adoption times follow the network."""

from __future__ import annotations

import pandas as pd

from alumni_net.core.formatting import number
from alumni_net.core.privacy import format_count
from alumni_net.report._blocks import Block, heading, para
from alumni_net.report._data import Inputs, embed_images

__all__ = ["adoption_so_far", "observed_section", "p_value", "structure_sentence"]

#: The figures ``diffusion`` draws, in reading order, with what each shows.
FIGURES = {
    "adoption_curve.png": "Share of people who had adopted by each period (Wilson 95% interval).",
    "adoption_curve_by_*.png": "The same, group by group.",
    "hazard.png": "Hazard: the share of people not yet adopted who adopt in each period.",
    "exposure.png": "Exposure: the share of each person's contacts who had adopted, for people "
                    "adopting in the period beside those not yet adopted.",
    "thresholds.png": "Thresholds: exposure at the moment each person adopted.",
}


def observed_section(inputs: Inputs, min_count: int) -> list[Block]:
    out: list[Block] = [heading("Observed diffusion")]
    so_far = adoption_so_far(inputs.tables.get("adoption_curve.csv"), min_count)
    if so_far:
        out.append(para(so_far))
    out += embed_images(inputs, FIGURES)
    test = inputs.tables.get("structure_test.csv")
    moran = inputs.tables.get("moran.csv")
    if test is not None or moran is not None:
        out.append(heading("Do adoption times follow the network?", 3))
    if test is not None:
        sentence = structure_sentence(test)
        if sentence:
            out.append(para(sentence))
    if moran is not None:
        sentence = _moran_sentence(moran)
        if sentence:
            out.append(para(sentence))
    if test is not None or moran is not None:
        from alumni_net.pipelines.diffusion import CAUTION

        out.append(para(CAUTION, "note"))
    return out if len(out) > 1 else []


def adoption_so_far(curve: pd.DataFrame | None, min_count: int) -> str:
    """"109 of 125 people (87%) had adopted by period 17 (17 periods observed)." from the
    published curve (counts below ``min_count`` stay withheld)."""
    if curve is None or not {"period", "cumulative", "n"} <= set(curve.columns) or curve.empty:
        return ""
    last = curve.sort_values("period").iloc[-1]
    share = last.get("share")
    share_text = f" ({share:.0%})" if pd.notna(share) else ""
    adopted = format_count(last["cumulative"], min_count) if pd.notna(last["cumulative"]) \
        else f"<{min_count}"
    people = format_count(last["n"], min_count) if pd.notna(last["n"]) else "the"
    return (f"{adopted} of {people} people{share_text} had adopted by period "
            f"{number(last['period'])} ({len(curve):,} periods observed).")


def p_value(p: float | None, replicates: float | None = None) -> str:
    """A permutation p-value as read: three decimals; never "0.000", which no permutation test
    can show (with ``n`` null data sets the smallest p-value is ``1 / (n + 1)``).

    Examples
    --------
    >>> p_value(0.07), p_value(0.0004), p_value(0.0, 100), p_value(float("nan"))
    ('0.070', '< 0.001', '<= 0.0099', 'n/a')
    """
    if p is None or pd.isna(p):
        return "n/a"
    p = float(p)
    if p == 0 and replicates is not None and pd.notna(replicates):
        return f"<= {1 / (float(replicates) + 1):.2g}"
    return "< 0.001" if p < 0.001 else f"{p:.3f}"


def structure_sentence(test: pd.DataFrame) -> str:
    """The structure test (``structure_test.csv``) in one sentence."""
    needed = {"statistic", "null", "observed", "expected", "p_value"}
    if test.empty or not needed <= set(test.columns):
        return ""
    r = test.iloc[0]
    null = {"permute": "adoption times shuffled among people",
            "rewire": "ties rewired keeping each person's degree"}.get(str(r["null"]), r["null"])
    runs = f", {int(r['replicates']):,} null data sets" if pd.notna(r.get("replicates")) else ""
    band = ""
    if pd.notna(r.get("null_p05")) and pd.notna(r.get("null_p95")):
        band = f" (90% of null data sets {r['null_p05']:.3f} to {r['null_p95']:.3f})"
    n = r.get("replicates")
    one_sided = (f"; one-sided p = {p_value(r['p_greater'], n)}" if "p_greater" in r.index
                 and pd.notna(r["p_greater"]) else "")
    return (f"Structure test ({str(r['statistic']).replace('_', ' ')}; null: {null}{runs}): "
            f"observed {r['observed']:.3f}, expected under the null {r['expected']:.3f}{band}; "
            f"two-sided p = {p_value(r['p_value'], n)}{one_sided}.")


def _moran_sentence(moran: pd.DataFrame) -> str:
    if not {"period", "moran_obs", "moran_pval"} <= set(moran.columns) or moran.empty:
        return ""
    significant = moran.loc[moran["moran_pval"] <= 0.05, "period"]
    return (f"Moran's I of adoption on the network (netdiffuseR's 1/distance weights) ranges "
            f"{moran['moran_obs'].min():.3f} to {moran['moran_obs'].max():.3f} over the "
            f"periods; p <= 0.05 in {len(significant)} of {len(moran)} periods.")
