"""The fit report's tables: each observed ego statistic beside its simulated distribution, what
the alumni report directly (question 10 made countable), role activity and the parameters.

Intervals of observed figures are 90% bootstrap intervals over respondents (weighted); the
simulated distribution is the posterior predictive: the survey simulated on networks drawn from
the fitted model.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from alumni_net.experiments.calibration.smc import weighted_quantile
from alumni_net.experiments.workforce.fit import WorkforceFit, child_seed
from alumni_net.experiments.workforce.statistics import (
    DESCRIPTIONS,
    STATISTICS,
    column_quantiles,
    workforce_other,
)

__all__ = ["INTERVAL", "degree_table", "parameter_history", "role_table", "statistics_table",
           "survey_table"]

INTERVAL = (0.05, 0.95)


def statistics_table(fit: WorkforceFit) -> pd.DataFrame:
    """One row per ego statistic: observed (with its bootstrap interval), simulated median and
    90% predictive interval, whether it is fitted, and whether the observed value lies inside
    the simulated interval."""
    lo, hi = column_quantiles(fit.observed_boot, INTERVAL)
    s_lo, s_med, s_hi = column_quantiles(fit.predictive, [INTERVAL[0], 0.5, INTERVAL[1]])
    table = pd.DataFrame({
        "statistic": STATISTICS, "observed": fit.observed, "observed_lo": lo, "observed_hi": hi,
        "simulated_median": s_med, "simulated_lo": s_lo, "simulated_hi": s_hi,
        "fitted": [s in fit.settings.fitted() for s in STATISTICS],  # with representative
        "description": [DESCRIPTIONS[s] for s in STATISTICS],
    })
    table["inside"] = (table["observed"] >= table["simulated_lo"]) & (
        table["observed"] <= table["simulated_hi"])
    return table


def role_table(fit: WorkforceFit) -> pd.DataFrame:
    """Each role's share of the workforce, of the contacts named in other organisations, and
    the activity the model gives it (posterior mean and 90% interval)."""
    rng = np.random.default_rng(child_seed(np.random.SeedSequence(0), 9))
    alpha = fit.settings.role_prior * fit.role_share + fit.role_counts
    draws = rng.dirichlet(np.maximum(alpha, 1e-6), size=1000) / np.where(
        fit.role_share > 0, fit.role_share, 1.0)
    named = fit.role_counts.sum()
    return pd.DataFrame({
        "role": fit.categories.role,
        "share_of_workforce": fit.role_share,
        "share_of_contacts_named": fit.role_counts / named if named else np.nan,
        "activity": alpha / alpha.sum() / np.where(fit.role_share > 0, fit.role_share, 1.0),
        "activity_lo": np.quantile(draws, INTERVAL[0], axis=0),
        "activity_hi": np.quantile(draws, INTERVAL[1], axis=0),
    })


def survey_table(fit: WorkforceFit, *, n_boot: int = 400) -> pd.DataFrame:
    """What respondents report directly, weighted for non-response, with 90% bootstrap
    intervals: the practice shared with people (the 2013 evaluation's question 10 as numbers),
    named contacts who took it up, the alumni's own take-up and self-assessments."""
    egos = fit.ego.egos.reset_index(drop=True)
    w = egos["ego_id"].map(fit.weights).to_numpy(float)
    alters = fit.ego.alters.merge(pd.DataFrame({"ego_id": egos["ego_id"], "_i": egos.index}),
                                  on="ego_id")
    n_alumni = fit.ego.n_alumni
    shared = egos[["shared_own_org", "shared_other_orgs"]].to_numpy(float)
    total = np.where(np.isnan(shared).all(axis=1), np.nan, np.nansum(shared, axis=1))
    measures = {
        "shared_per_alum": (total, "people each alum shared the practice with since the "
                            "course (own + other organisations)"),
        "shared_by_all_alumni": (None, f"people all {n_alumni} alumni shared it with "
                                 "(the mean per alum x alumni; first degree only)"),
        "practising_share": (_as_float(egos["practising"]),
                             "share of alumni practising now (the model's p_course, measured)"),
        "self_assessment_change_course": (
            egos["self_assessment_end"].to_numpy(float)
            - egos["self_assessment_start"].to_numpy(float),
            "change in self-assessment (1-10) from the course's start to its end"),
        "self_assessment_change_since": (
            egos["self_assessment_now"].to_numpy(float)
            - egos["self_assessment_end"].to_numpy(float),
            "change in self-assessment (1-10) from the course's end to now"),
    }
    rows: list[dict] = []
    rng = np.random.default_rng(child_seed(np.random.SeedSequence(0), 8))
    boot = rng.multinomial(len(egos), np.full(len(egos), 1 / max(len(egos), 1)), size=n_boot) \
        if len(egos) else np.zeros((n_boot, 0))
    for name, (values, text) in measures.items():
        if name == "shared_by_all_alumni":
            base = rows[0]
            rows.append({"measure": name, "estimate": base["estimate"] * n_alumni,
                         "lo": base["lo"] * n_alumni, "hi": base["hi"] * n_alumni,
                         "respondents": base["respondents"], "description": text})
            continue
        rows.append(_weighted_row(name, values, w, boot, text))
    rows += _alter_rows(alters, w, boot)
    return pd.DataFrame(rows)


def degree_table(fit: WorkforceFit, *, min_count: int = 10, n_boot: int = 200) -> pd.DataFrame:
    """Degree by sector and by role: respondents' weighted mean count of people they work with
    in their own and in other organisations (net of programme contacts), with 90% bootstrap
    intervals; groups with fewer than ``min_count`` respondents are withheld (NaN)."""
    egos = fit.ego.egos.reset_index(drop=True)
    w = egos["ego_id"].map(fit.weights).to_numpy(float)
    counts = {"own_org": egos["know_own_org"].to_numpy(float),
              "other_orgs": workforce_other(fit.sample)}
    rng = np.random.default_rng(child_seed(np.random.SeedSequence(0), 7))
    rows = []
    for col in ("sector", "role"):
        for group, members in egos.groupby(col, sort=True).groups.items():
            idx = np.asarray(list(members))
            row = {"group_type": col, "group": group, "respondents": len(idx)}
            for name, x in counts.items():
                if len(idx) < min_count:
                    row.update({name: np.nan, f"{name}_lo": np.nan, f"{name}_hi": np.nan})
                    continue
                boot = rng.multinomial(len(idx), np.full(len(idx), 1 / len(idx)), size=n_boot)
                r = _weighted_row(name, x[idx], w[idx], boot, "")
                row.update({name: r["estimate"], f"{name}_lo": r["lo"], f"{name}_hi": r["hi"]})
            rows.append(row)
    return pd.DataFrame(rows)


def _as_float(values: pd.Series) -> np.ndarray:
    return values.astype("Float64").to_numpy(dtype=float, na_value=np.nan)


def _weighted_row(name, x, w, boot, text, unit=None) -> dict:
    """Weighted mean of ``x`` with a bootstrap interval; rows of ``x`` belong to egos ``unit``
    (each ego's weight ``w``), resampled as whole egos."""
    unit = np.arange(len(x)) if unit is None else unit
    keep = ~np.isnan(x)
    est = float(np.average(x[keep], weights=w[unit][keep])) if keep.any() else np.nan
    reps = []
    for m in boot:
        ww = (w * m)[unit][keep]
        if ww.sum() > 0:
            reps.append(np.average(x[keep], weights=ww))
    lo, hi = (np.quantile(reps, INTERVAL) if reps else (np.nan, np.nan))
    return {"measure": name, "estimate": est, "lo": float(lo), "hi": float(hi),
            "respondents": int(len(set(unit[keep].tolist()))),
            "description": text}


def _alter_rows(alters: pd.DataFrame, w: np.ndarray, boot: np.ndarray) -> list[dict]:
    """Shares among named contacts, resampled with their egos."""
    unit = alters["_i"].to_numpy(np.int64)
    practice = _as_float(alters["practice"])
    through = np.where(practice == 1, _as_float(alters["through_ego"]), np.nan)
    rows = []
    for name, x, text in (
        ("contacts_practising_share", practice,
         "share of named contacts who took up the practice (don't know left out)"),
        ("contacts_through_alum_share", through,
         "of those, the share who took it up at least partly through the alum"),
    ):
        rows.append(_weighted_row(name, x, w, boot, text, unit=unit) if len(unit) else
                    {"measure": name, "estimate": np.nan, "lo": np.nan, "hi": np.nan,
                     "respondents": 0, "description": text})
    return rows


def parameter_history(fit: WorkforceFit) -> pd.DataFrame:
    """The ABC-SMC generations: tolerance, proposals, acceptance, effective sample size."""
    return fit.smc.history.copy()


def posterior_quantiles(values: np.ndarray, weights: np.ndarray) -> tuple[float, float, float]:
    """Weighted 5%, 50% and 95% quantiles."""
    q = weighted_quantile(values, weights, [INTERVAL[0], 0.5, INTERVAL[1]])
    return float(q[0]), float(q[1]), float(q[2])
