"""Writing a calibration, all or nothing (files are written to a temporary folder, then moved in).

``model_comparison.csv`` (model, prior and posterior probability, predictive coverage, passes its
check), ``fitted.csv`` (values with 90% intervals and whether the data identify them, and why),
``posterior.csv`` (every model's weighted particles), ``predictive_band.csv`` (the band behind
``predictive_check.png``: model, curve, period, observed, median, lo, hi, inside),
``holdout_check.csv`` and ``holdout_band.csv`` (with held-out groups), ``calibrated.toml`` (only
when a model fits, or when forced) and ``summary.md``.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from alumni_net.core.files import atomic_dir
from alumni_net.core.markdown import render_markdown
from alumni_net.core.privacy import format_count
from alumni_net.core.tables import csv_text
from alumni_net.experiments.calibration.calibrate import N_DRAWS, Calibration
from alumni_net.experiments.calibration.compare import FAVOUR, GOOD_FIT, format_probability
from alumni_net.experiments.config import NEGLIGIBLE_SHARE

__all__ = ["GOOD_FIT", "calibrated_toml", "output_files", "summary_markdown", "write_calibration"]

_TITLES = {"no_contagion": "No contagion (background adoption alone)",
           "simple": "Simple contagion", "complex": "Complex contagion"}


def output_files(cal: Calibration, *, figure: bool = True, force: bool = False) -> list[str]:
    """Names of the files :func:`write_calibration` writes for ``cal``."""
    names = ["model_comparison.csv", "fitted.csv", "posterior.csv", "predictive_band.csv"]
    if figure:
        names.append("predictive_check.png")
    if cal.holdout is not None:
        names += ["holdout_check.csv", "holdout_band.csv"]
    if cal.fits_data or force:
        names.append("calibrated.toml")
    return [*names, "summary.md"]


def write_calibration(cal: Calibration, out_dir: str | os.PathLike, *,
                      figure: Callable[[Calibration, Path], Any] | None = None,
                      force: bool = False) -> list[Path]:
    """Write the calibration files into ``out_dir``, all or none; returns their paths.

    ``figure(cal, path)`` draws ``predictive_check.png`` (drawing belongs to the plotting stage,
    above this one: the command passes
    :func:`alumni_net.plotting.calibration.save_predictive_check`); without it no figure is made.
    ``calibrated.toml`` is written only when a model passes its predictive check, or with
    ``force`` (then it says that none does).
    """
    out = Path(out_dir)
    unit = cal.observed.time_unit
    fitted = cal.fitted.assign(identified=lambda t: t["identified"].map({True: "yes",
                                                                         False: "no"}),
                               time_unit=unit)
    with atomic_dir(out) as tmp:
        (tmp / "model_comparison.csv").write_text(csv_text(
            cal.comparison.assign(time_unit=unit), float_format="%.6g"))
        (tmp / "fitted.csv").write_text(csv_text(fitted, float_format="%.6g"))
        (tmp / "posterior.csv").write_text(csv_text(cal.posterior.assign(time_unit=unit),
                                                    float_format="%.6g"))
        (tmp / "predictive_band.csv").write_text(csv_text(
            cal.bands.assign(time_unit=unit), float_format="%.6g"))
        if cal.holdout is not None:
            (tmp / "holdout_check.csv").write_text(csv_text(
                cal.holdout.table.assign(time_unit=unit), float_format="%.6g"))
            (tmp / "holdout_band.csv").write_text(csv_text(
                cal.holdout.bands.assign(time_unit=unit), float_format="%.6g"))
        if cal.fits_data or force:
            (tmp / "calibrated.toml").write_text(calibrated_toml(cal))
        (tmp / "summary.md").write_text(summary_markdown(cal, force=force,
                                                         figure=figure is not None))
        if figure is not None:
            figure(cal, tmp / "predictive_check.png")
    return [out / name for name in output_files(cal, figure=figure is not None, force=force)]


def calibrated_toml(cal: Calibration) -> str:
    """A simulate config (same layout as data/configs/example.toml) with ``[source]`` and the
    model-averaged posterior draws in ``[posterior]``."""
    fit = cal.fits[cal.chosen].summary.set_index("parameter")
    model = cal.params.to_dict()
    lines = [f"# Calibrated on {_comment(cal.observed.name)} ({cal.date}): {cal.verdict}."]
    if not cal.fits_data:
        lines.append("# NO MODEL FITS: no model passed its predictive check; written because "
                     "--force was given.")
    lines += [
        f"# [model] holds the posterior medians of the {cal.chosen} model (90% intervals beside "
        "them and in fitted.csv);",
        f"# [posterior] holds {len(cal.draws)} draws of the posterior averaged over the models "
        "by their probabilities:",
        "# alumni-net simulate runs replicate i with draw i (mod draws). Everything else is fixed "
        "at the value given to the calibration.",
        f"# Rates are per month; the adoption times fitted were in {cal.observed.time_unit}s.",
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
    lines += ["", "[posterior]", f"model = {_value(list(cal.draws.model))}"]
    lines += [f"{_key(k)} = {_value([float(f'{x:.4g}') for x in v])}"
              for k, v in cal.draws.values]
    return "\n".join(lines) + "\n"


def _comment(text: str) -> str:
    return " ".join(str(text).split())  # one line: a newline would end the TOML comment


def _key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else json.dumps(key)


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if isinstance(value, (float, np.floating)):
        text = repr(float(value))
        return text if any(c in text for c in ".en") else text + ".0"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    return json.dumps(str(value))  # a TOML basic string: JSON's escapes are valid TOML


def summary_markdown(cal: Calibration, *, force: bool = False, figure: bool = True) -> str:
    """A short human-readable account: verdict, data, method, fitted values, checks."""
    obs, s = cal.observed, cal.settings
    m = obs.months_per_period
    med, lo, hi = cal.contagion_share
    history = next(iter(cal.fits.values())).smc.history
    last = history.iloc[-1]
    context = {
        "name": obs.name, "date": cal.date, "verdict": cal.verdict[0].upper() + cal.verdict[1:],
        "fits_data": cal.fits_data, "chosen": cal.chosen, "reason": cal.reason,
        "share": f"median {med:.0%}, 90% interval {lo:.0%} to {hi:.0%}",
        "reaches_zero": lo < NEGLIGIBLE_SHARE,
        "comparison": [[r.model, f"{r.prior_probability:.2f}",
                        format_probability(r.posterior_probability),
                        f"{r.predictive_coverage:.0%}", "yes" if r.passes_check else "no"]
                       for r in cal.comparison.itertuples()],
        "favour": f"{FAVOUR:g}", "disfavour": f"{1 - FAVOUR:.1f}", "good_fit": f"{GOOD_FIT:.0%}",
        "background": cal.background.describe(m),
        "constant_background": cal.background.n_blocks == 1,
        "schedule": cal.schedule,
        "people": format_count(len(obs.ids)), "seeds": format_count(len(obs.seeds)),
        "time_note": obs.time_unit_note or f"adoption times in {obs.time_unit}s",
        "period_note": "Period k is model month k" if m == 1 else
        f"Period k covers model months {m}(k-1)+1 to {m}k",
        "periods": obs.n_periods, "months": obs.horizon_months,
        "adopters": _adopters(obs), "groups": len(obs.group_labels),
        "holdout": _holdout_context(cal),
        "per_model": s.population, "population": s.population * len(cal.fits),
        "replicates": s.replicates, "generations": s.max_generations,
        "quantile": f"{s.quantile:.0%}", "n_simulations": int(history["simulations"].sum()),
        "ran": len(history), "epsilon": f"{last['epsilon']:.4g}",
        "seed": cal.seed if cal.seed is not None else "as given",
        "fixed": _fixed(cal),
        "models": [_model_context(name, fit) for name, fit in cal.fits.items()],
        "config_note": _config_note(cal, force),
        "files": ", ".join(output_files(cal, figure=figure, force=force)),
    }
    return render_markdown("calibration_summary.md.j2", **context)


def _adopters(obs) -> str:
    adopters = int((obs.period >= 0).sum())
    return f"{format_count(adopters)} ({adopters / len(obs.ids):.0%})"


def _model_context(name: str, fit) -> dict:
    rows, loose = [], []
    for _, r in fit.summary.iterrows():
        rows.append([r["parameter"], f"{r['value']:.3g}", f"{r['lo']:.3g} to {r['hi']:.3g}",
                     r["prior"], "yes" if r["identified"] else "no"])
        if not r["identified"]:
            loose.append(f"{r['parameter']}: {r['identification']}; treat it as an assumption, "
                         "not an estimate.")
    return {"title": _TITLES.get(name, name), "probability": format_probability(fit.probability),
            "dead": not fit.alive, "generation": fit.generation, "rows": rows, "loose": loose,
            "inside": f"{fit.check.share_inside:.0%}",
            "fails": fit.check.share_inside < GOOD_FIT}


def _holdout_context(cal: Calibration) -> dict | None:
    h = cal.holdout
    if h is None:
        return None
    total = len(h.fitted_groups) + len(h.held_groups)
    rows = [[r.group, format_count(int(r.people)), f"{r.observed_final_share:.0%}",
             f"{r.median:.0%}", f"{r.lo:.0%} to {r.hi:.0%}", "yes" if r.inside else "no"]
            for r in h.table.itertuples()]
    return {"column": h.column, "fitted": len(h.fitted_groups), "held": len(h.held_groups),
            "total": total, "share": f"{h.share:.0%}", "labels": ", ".join(h.held_groups),
            "cut": h.cut_ties, "draws": h.n_draws, "coverage": f"{h.coverage:.0%}",
            "final": f"{int(h.table['inside'].sum())} of {len(h.table)} groups", "rows": rows}


def _config_note(cal: Calibration, force: bool) -> str:
    if not cal.fits_data and not force:
        return ("calibrated.toml was not written: no model fits, so no fitted values should "
                "drive a simulation. Rerun with --force to write it anyway (it then says that no "
                "model fits).")
    lead = ("calibrated.toml was written because --force was given, although no model fits. "
            if not cal.fits_data else "")
    return (f"{lead}calibrated.toml holds the {cal.chosen} model's posterior medians in [model] "
            f"and {N_DRAWS} draws of the posterior averaged over the models in [posterior]; "
            "alumni-net simulate DATA --config calibrated.toml runs the draws (one per "
            f"replicate) and records \"calibrated on {cal.observed.name} ({cal.date})\" with the "
            "verdict on contagion as its parameter source.")


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
