"""The report's calibration section (what ``alumni-net calibrate`` wrote), built from parts.

Each part reads the files it needs and returns blocks, or nothing when its files are absent:
a calibration run that wrote no model comparison or no held-out check simply has no such part.
To show a new calibration output, add a function ``(inputs) -> list[Block]`` to :data:`PARTS`.

Column names are matched loosely (case, spaces or underscores, a few synonyms such as ``p05`` for
``lo``), so tables written by newer or older versions of ``calibrate`` are read alike.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from alumni_net.core.formatting import estimate, number
from alumni_net.experiments.calibration.outputs import GOOD_FIT
from alumni_net.report._blocks import Block, heading, para, table
from alumni_net.report._data import Inputs, embed_images

__all__ = ["PARTS", "calibration_section", "chosen_model", "contagion_probability", "no_fit"]

#: Words that mark a compared model as having no contagion (a background or trend alone).
_NO_CONTAGION = ("no_contagion", "no contagion", "background", "trend", "null", "none")

_SYNONYMS = {
    "posterior_probability": ("posterior_probability", "posterior", "probability",
                              "model_probability", "p_model"),
    "coverage": ("predictive_coverage", "coverage", "share_inside", "inside_share"),
    "observed": ("observed_final_share", "observed", "observed_share"),
    "median": ("median", "predicted_median", "median_share"),
    "lo": ("lo", "p05", "q05", "p5", "5th_percentile", "percentile_5", "low"),
    "hi": ("hi", "p95", "q95", "95th_percentile", "percentile_95", "high"),
    "inside": ("inside", "inside_band", "covered"),
    "group": ("group", "held_out_group"),
    "period": ("period", "month"),
    "model": ("model",),
}


def _key(name: object) -> str:
    return str(name).strip().lower().replace(" ", "_").replace("-", "_")


def columns(df: pd.DataFrame, *wanted: str) -> pd.DataFrame | None:
    """``df`` with the ``wanted`` columns under their canonical names (None if any is absent)."""
    found = {_key(c): c for c in df.columns}
    rename = {}
    for name in wanted:
        hit = next((found[s] for s in _SYNONYMS.get(name, (name,)) if s in found), None)
        if hit is None:
            return None
        rename[hit] = name
    return df.rename(columns=rename)


def _flag(value: object) -> bool:
    return str(value).strip().lower() in {"true", "yes", "1", "1.0", "inside"}


# --- what the calibration concluded --------------------------------------------------------------


def chosen_model(inputs: Inputs) -> str | None:
    """The model written to ``calibrated.toml``, when one was."""
    source = (inputs.json.get("calibrated.toml") or {}).get("source", {})
    return source.get("model") if isinstance(source, dict) else None


def contagion_probability(comparison: pd.DataFrame) -> float | None:
    """Posterior probability of the models with contagion (None without a no-contagion model)."""
    c = columns(comparison, "model", "posterior_probability")
    if c is None:
        return None
    none = c["model"].astype(str).str.lower().map(lambda m: any(w in m for w in _NO_CONTAGION))
    if not none.any():
        return None
    return float(pd.to_numeric(c.loc[~none, "posterior_probability"], errors="coerce").sum())


def no_fit(inputs: Inputs) -> bool:
    """True when no model passed its predictive check (or calibrate wrote no config)."""
    report = inputs.json.get("calibration.json") or {}
    if isinstance(report.get("no_model_fits"), bool):
        return report["no_model_fits"]
    comparison = inputs.tables.get("model_comparison.csv")
    if comparison is not None:
        c = columns(comparison, "coverage")
        if c is not None:
            coverage = pd.to_numeric(c["coverage"], errors="coerce").dropna()
            if len(coverage) and (coverage < GOOD_FIT).all():
                return True
    return "fitted.csv" in inputs.tables and "calibrated.toml" not in inputs.json


def verdict(inputs: Inputs) -> list[Block]:
    out: list[Block] = []
    statement = (inputs.json.get("calibration.json") or {}).get("contagion")
    comparison = inputs.tables.get("model_comparison.csv")
    if isinstance(statement, str) and statement.strip():
        out.append(para(statement.strip()[0].upper() + statement.strip()[1:], "finding"))
    elif comparison is not None and (p := contagion_probability(comparison)) is not None:
        out.append(para(f"Posterior probability that adoption spread by contagion rather than "
                        f"through a common trend alone: P = {p:.2f} (over the models compared "
                        "below).", "finding"))
    if no_fit(inputs):
        out.append(para("No model fits: none reproduces the observed adoption well enough "
                        f"(fewer than {GOOD_FIT:.0%} of observed periods inside its simulated "
                        "90% band), so no calibrated config was written. The values below "
                        "describe the attempts; do not simulate with them.", "finding"))
    elif (model := chosen_model(inputs)) is not None:
        source = inputs.json["calibrated.toml"].get("source", {})
        on = source.get("calibrated_on")
        when = f" on {source['date']}" if source.get("date") else ""
        out.append(para(f"Chosen: {model} contagion, written to calibrated.toml"
                        + (f" (fitted on {on}{when})" if on else "") + "; 'alumni-net simulate "
                        "DATA --config calibrated.toml' runs with it and says so."))
    return out


# --- tables --------------------------------------------------------------------------------------


def model_comparison(inputs: Inputs) -> list[Block]:
    comparison = inputs.tables.get("model_comparison.csv")
    if comparison is None:
        return []
    c = columns(comparison, "model")
    if c is None:
        return []
    shown = pd.DataFrame({"model": c["model"].astype(str)})
    p = columns(comparison, "posterior_probability")
    if p is not None:
        shown["posterior probability"] = [number(v) for v in p["posterior_probability"]]
    cov = columns(comparison, "coverage")
    if cov is not None:
        shown["observed periods inside the 90% band"] = [
            f"{v:.0%}" if pd.notna(v) else "" for v in pd.to_numeric(cov["coverage"],
                                                                    errors="coerce")]
    return [heading("Models compared", 3), table(shown)]


def fitted_parameters(inputs: Inputs) -> list[Block]:
    fitted = inputs.tables.get("fitted.csv")
    if fitted is None or not {"parameter", "value", "lo", "hi"} <= set(fitted.columns):
        return []
    shown = pd.DataFrame({
        **({"model": fitted["model"].astype(str)} if "model" in fitted else {}),
        "parameter": fitted["parameter"].astype(str),
        "value (90% interval)": [estimate(v, lo, hi, count=False) for v, lo, hi in
                                 zip(fitted["value"], fitted["lo"], fitted["hi"], strict=True)],
        **({"prior": fitted["prior"].astype(str)} if "prior" in fitted else {}),
        **({"identified by the data": fitted["identified"].map(
            lambda v: "yes" if _flag(v) else "no")} if "identified" in fitted else {}),
    })
    out: list[Block] = [heading("Fitted parameters", 3), table(shown)]
    if "identified" in fitted and not fitted["identified"].map(_flag).all():
        out.append(para("A parameter not identified by the data has a posterior interval nearly "
                        "as wide as its prior: the data say little about it, so treat its value "
                        "as an assumption, not an estimate.", "note"))
    return out


def predictive_check(inputs: Inputs) -> list[Block]:
    out: list[Block] = [*embed_images(inputs, {
        "predictive_check*.png": "Observed adoption (points) inside each model's simulated 90% "
                                 "band, with parameter uncertainty."})]
    band = next((inputs.tables[n] for n in ("predictive_check.csv", "predictive_band.csv")
                 if n in inputs.tables), None)
    if band is not None:
        c = columns(band, "period", "observed", "median", "lo", "hi")
        if c is not None:
            if "curve" in c:  # everyone's curve; groups are in the file
                c = c[c["curve"].astype(str) == "all"] if (c["curve"] == "all").any() else c
            keys = [k for k in ("model", "period") if k in c]
            shown = c[keys].astype(str).assign(
                observed=[number(v) for v in c["observed"]],
                **{"simulated median (90% band)": [
                    estimate(m, lo, hi, count=True)
                    for m, lo, hi in zip(c["median"], c["lo"], c["hi"], strict=True)]})
            out.append(table(shown))
    if out:
        out.insert(0, heading("Predictive check", 3))
    return out


def holdout_check(inputs: Inputs) -> list[Block]:
    holdout = inputs.tables.get("holdout_check.csv")
    if holdout is None:
        return []
    c = columns(holdout, "group", "observed", "median", "lo", "hi")
    if c is None:
        return []
    inside = (c["inside"].map(_flag) if "inside" in c else
              (c["lo"] <= c["observed"]) & (c["observed"] <= c["hi"]))
    shown = pd.DataFrame({
        "held-out group": c["group"].astype(str),
        "observed final share": [f"{v:.0%}" for v in c["observed"]],
        "predicted (90% interval)": [f"{m:.0%} ({lo:.0%} to {hi:.0%})" for m, lo, hi in
                                     zip(c["median"], c["lo"], c["hi"], strict=True)],
        "inside": ["yes" if i else "no" for i in inside],
    })
    return [heading("Prediction for groups left out of the fit", 3),
            para(f"The model, fitted without them, predicted {int(inside.sum())} of "
                 f"{len(inside)} held-out groups' final adoption inside its 90% interval."),
            table(shown)]


#: The calibration section's parts, in order.
PARTS: tuple[Callable[[Inputs], list[Block]], ...] = (
    verdict, model_comparison, fitted_parameters, predictive_check, holdout_check)


def calibration_section(inputs: Inputs) -> list[Block]:
    out: list[Block] = [heading("Calibration: what the observed adoption says about spread")]
    for part in PARTS:
        out += part(inputs)
    return out if len(out) > 1 else []
