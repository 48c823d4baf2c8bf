"""Writing a calibration: posterior.csv, fitted.csv, predictive_check.png, calibrated.toml,
summary.md; all or nothing (files are written to a temporary folder, then moved in)."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from alumni_net.core.files import atomic_dir
from alumni_net.core.privacy import format_count
from alumni_net.core.tables import csv_text
from alumni_net.experiments.calibration.calibrate import Calibration
from alumni_net.experiments.calibration.compare import PREFER_AT
from alumni_net.experiments.calibration.fit import IDENTIFIED_WIDTH

__all__ = ["calibrated_toml", "write_calibration"]

#: Share of observed periods inside the 90% predictive band below which the summary warns that
#: the model does not fit (about 90% are expected inside when it does).
GOOD_FIT = 0.8

_FILES = ("posterior.csv", "fitted.csv", "predictive_check.png", "calibrated.toml", "summary.md")


def write_calibration(cal: Calibration, out_dir: str | os.PathLike, *,
                      figure: Callable[[Calibration, Path], Any] | None = None) -> list[Path]:
    """Write the calibration files into ``out_dir``, all or none; returns their paths.

    ``figure(cal, path)`` draws ``predictive_check.png`` (drawing belongs to the plotting stage,
    above this one: the command passes
    :func:`alumni_net.plotting.calibration.save_predictive_check`); without it no figure is made.
    """
    out = Path(out_dir)
    fitted = cal.fitted.assign(identified=lambda t: t["identified"].map({True: "yes",
                                                                         False: "no"}))
    with atomic_dir(out) as tmp:
        (tmp / "posterior.csv").write_text(csv_text(cal.posterior, float_format="%.6g"))
        (tmp / "fitted.csv").write_text(csv_text(fitted, float_format="%.6g"))
        (tmp / "calibrated.toml").write_text(calibrated_toml(cal))
        (tmp / "summary.md").write_text(summary_markdown(cal))
        if figure is not None:
            figure(cal, tmp / "predictive_check.png")
    names = _FILES if figure is not None else tuple(f for f in _FILES if not f.endswith(".png"))
    return [out / name for name in names]


def calibrated_toml(cal: Calibration) -> str:
    """A simulate config (same layout as data/configs/example.toml) with a ``[source]`` table."""
    fit = cal.fits[cal.chosen].summary.set_index("parameter")
    model = cal.params.to_dict()
    lines = [
        f"# Calibrated on {cal.observed.name} ({cal.date}): {cal.chosen} contagion.",
        "# Fitted values are posterior medians; 90% credible intervals are beside them and in",
        "# fitted.csv. Everything else is fixed at the value given to the calibration.",
        "", "[source]",
        *(f"{k} = {_value(v)}" for k, v in cal.source.items()),
        "", "[run]",
        f"seed = {cal.seed if cal.seed is not None else 0}",
        'engine = "fast"',
        "", "[model]",
    ]
    for key, value in model.items():
        if value is None or key in ("tie_weights", "topups"):
            continue
        note = ""
        if key in fit.index:
            row = fit.loc[key]
            flag = "" if row["identified"] else "; NOT identified by the data"
            note = f"  # fitted: 90% interval {row['lo']:.3g} to {row['hi']:.3g}{flag}"
        lines.append(f"{key} = {_value(value)}{note}")
    lines += ["", "[model.tie_weights]"]
    lines += [f"{_key(k)} = {_value(v)}" for k, v in model["tie_weights"].items()]
    for topup in model["topups"]:
        lines += ["", "[[model.topups]]"]
        lines += [f"{k} = {_value(v)}" for k, v in topup.items() if v is not None]
    return "\n".join(lines) + "\n"


def _key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else json.dumps(key)


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        text = repr(value)
        return text if any(c in text for c in ".en") else text + ".0"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    return json.dumps(str(value))  # a TOML basic string: JSON's escapes are valid TOML


def summary_markdown(cal: Calibration) -> str:
    """A short human-readable account: data, method, fitted values, check, comparison."""
    obs = cal.observed
    s = cal.settings
    m = obs.months_per_period
    period = "period k is model month k" if m == 1 else \
        f"period k covers model months {m}(k-1)+1 to {m}k"
    adopters = int((obs.period >= 0).sum())
    out = [
        f"# Calibration on {obs.name} ({cal.date})", "",
        "## Data", "",
        f"- {format_count(len(obs.ids))} people; {format_count(len(obs.seeds))} had adopted at "
        "the first observed time (period 0): they are the model's initial adopters, given, "
        "not fitted.",
        f"- Observed times in {obs.time_unit}s; {period}; {obs.n_periods} periods, so the model "
        f"runs {obs.horizon_months} months.",
        f"- Adopters within the window: {format_count(adopters)} ({adopters / len(obs.ids):.0%}).",
        f"- Curves compared: everyone, and {len(obs.group_labels)} group(s) of at least 10 "
        "people fitted jointly (shared parameters).", "",
        "## Method", "",
        f"ABC-SMC (Toni et al. 2009; Beaumont et al. 2009): {s.population} particles, "
        f"{s.replicates} simulated data set(s) per particle, up to {s.max_generations} "
        f"generations, each tolerance the {s.quantile:.0%} quantile of the previous distances. "
        "Distance: root mean squared gap between simulated and observed cumulative adoption "
        "shares, overall plus each group's weighted by size, plus the gaps in adopters' mean "
        "exposure at adoption and in the share of adopters with no earlier-adopting contact. "
        "Fast engine; seed "
        f"{cal.seed if cal.seed is not None else 'as given'}.", "",
        _fixed(cal), "",
    ]
    for model, fit in cal.fits.items():
        hist = fit.smc.history.iloc[-1]
        out += [f"## {model.capitalize()} contagion", "",
                f"{len(fit.smc.history)} generations, final tolerance {hist['epsilon']:.4g}, "
                f"{fit.smc.n_simulations} simulations, effective sample size "
                f"{fit.smc.ess:.0f}.", "",
                "| parameter | value (median) | 90% interval | prior | identified |",
                "| --- | --- | --- | --- | --- |"]
        for _, r in fit.summary.iterrows():
            out.append(f"| {r['parameter']} | {r['value']:.3g} | {r['lo']:.3g} to {r['hi']:.3g} "
                       f"| {r['prior']} | {'yes' if r['identified'] else 'no'} |")
        loose = fit.summary.loc[~fit.summary["identified"], "parameter"].tolist()
        out.append("")
        if loose:
            out.append(f"Not identified: {', '.join(loose)}. A posterior 90% interval more than "
                       f"{IDENTIFIED_WIDTH:.0%} as wide as the prior's means the data say little "
                       "about the value: treat it as an assumption, not an estimate.")
            out.append("")
        out.append(f"Posterior predictive check: {fit.check.share_inside:.0%} of the observed "
                   f"periods of the overall curve lie inside the simulated 90% band.")
        if fit.check.share_inside < GOOD_FIT:
            out.append(f"That is below {GOOD_FIT:.0%}: this model does not reproduce the observed "
                       "curve well, so its fitted values describe a misfitting model (see "
                       "predictive_check.png); check the fixed parameters (e.g. decay) and "
                       "the time unit before using them.")
        out.append("")
    out += ["## Simple vs complex contagion", "",
            "Criterion: posterior predictive distance to the observed curves; complex is "
            f"preferred when its draws are closer than simple's with probability >= {PREFER_AT}.",
            "", *_markdown_table(cal.comparison), "",
            f"Chosen: **{cal.chosen}** ({cal.reason}).", "",
            "## Calibrated config", "",
            "`calibrated.toml` holds the chosen model's posterior medians; run "
            "`alumni-net simulate DATA --config calibrated.toml` and the run records "
            f"\"calibrated on {obs.name} ({cal.date})\" as its parameter source.", ""]
    return "\n".join(out)


def _fixed(cal: Calibration) -> str:
    fitted = set(cal.fitted["parameter"])
    p = cal.params
    shown = {k: getattr(p, k) for k in ("decay", "readoption", "default_tie_weight", "influence")
             if k not in fitted}
    text = ", ".join(f"{k} {v:g}" if isinstance(v, float) else f"{k} {v}"
                     for k, v in shown.items())
    return (f"Not fitted, fixed at the values given (see calibrated.toml): {text}. First "
            "adoption times carry little about lapsing, so decay is an assumption unless fitted "
            "(--fit-decay) and identified.")


def _markdown_table(table: pd.DataFrame) -> list[str]:
    def cell(v):
        return f"{v:.4g}" if isinstance(v, float) else str(v)
    return ["| " + " | ".join(table.columns) + " |",
            "| " + " | ".join("---" for _ in table.columns) + " |",
            *("| " + " | ".join(cell(v) for v in row) + " |"
              for row in table.itertuples(index=False))]
