"""Out of sample: fit on a seeded share of the groups, predict the others from the whole posterior.

The groups are the values of a people column (villages, regions, cohorts). A seeded choice of
``round(share x groups)`` of them (at least one, and at least one left to fit on) is held out:
the model is fitted to the other groups only (their people and the ties among them), then the
held-out groups are simulated from draws of the model-averaged posterior -- each draw its own
model and parameters, not the medians -- starting from the people who had adopted at the first
observed time, over the same observation window. Each held-out group's observed final share of
adopters is set beside the simulated 5th, 50th and 95th percentiles (``holdout_check.csv``), and
the share of the held-out groups' observed curve points inside their 90% bands is the out-of-sample
coverage (about 90% when the model predicts well).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from alumni_net.errors import ConfigError, Problem, ValidationError
from alumni_net.experiments.calibration.fit import predictive_bands
from alumni_net.experiments.calibration.observed import ObservedAdoption
from alumni_net.experiments.calibration.simulator import Simulator

__all__ = ["HoldoutCheck", "holdout_bands", "split_groups"]


@dataclass(frozen=True)
class HoldoutCheck:
    """Prediction of the held-out groups beside what was observed in them.

    ``table`` (``holdout_check.csv``): group, people, observed_final_share, median, lo, hi
    (5th and 95th percentiles of the simulated final share), inside. ``bands``: the held-out
    curves period by period (curve = group). ``coverage``: share of the held-out groups' observed
    curve points inside their bands; ``final_coverage``: share of groups whose final share is.
    """

    column: str
    share: float
    fitted_groups: tuple[str, ...]
    held_groups: tuple[str, ...]
    table: pd.DataFrame
    bands: pd.DataFrame
    coverage: float
    final_coverage: float
    cut_ties: int
    n_draws: int


def split_groups(people: pd.DataFrame, column: str, share: float,
                 rng: np.random.Generator) -> tuple[np.ndarray, tuple[str, ...], tuple[str, ...]]:
    """Held-out mask over ``people`` and the labels fitted and held out (sorted).

    People without a value in ``column`` are fitted, never held out.

    Examples
    --------
    >>> people = pd.DataFrame({"v": ["a", "a", "b", "c", None]})
    >>> held, fitted, out = split_groups(people, "v", 0.34, np.random.default_rng(0))
    >>> len(out), sorted(fitted + out), bool(held.sum() == people["v"].isin(out).sum())
    (1, ['a', 'b', 'c'], True)
    """
    if not 0 < share < 1:
        raise ConfigError(f"the held-out share must be between 0 and 1, got {share!r}")
    if column not in people.columns:
        raise ValidationError([Problem("people", None, column, (
            f"there is no '{column}' column to hold groups out by"))])
    given = people[column].notna().to_numpy()
    keys = np.array([str(v) if ok else None for v, ok in zip(people[column], given,
                                                               strict=True)], dtype=object)
    groups = sorted({k for k in keys if k is not None})
    if len(groups) < 2:
        raise ValidationError([Problem("people", None, column, (
            f"holding groups out needs at least 2 groups in '{column}', found {len(groups)}"))])
    k = min(max(1, round(share * len(groups))), len(groups) - 1)
    held = tuple(sorted(groups[i] for i in rng.permutation(len(groups))[:k]))
    fitted = tuple(g for g in groups if g not in held)
    mask = np.array([key in held for key in keys], dtype=bool)
    return mask, fitted, held


def holdout_bands(observed: ObservedAdoption, simulator: Simulator, values: np.ndarray,
                  seeds: list[np.random.SeedSequence]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Simulate the held-out people (``simulator`` runs on them) once per row of ``values``.

    Returns the bands (every held-out group's curve; the overall curve is dropped) and the
    per-group table of final shares (see :class:`HoldoutCheck`).
    """
    out = simulator.run(values, seeds)
    bands = predictive_bands(observed, out[:, :-1])
    bands = bands[bands["curve"] != "all"].reset_index(drop=True)
    k = observed.n_periods
    sizes = dict(zip(observed.group_labels, observed.group_sizes.tolist(), strict=True))
    n_groups = len(observed.group_labels)
    curves = out[:, k:(1 + n_groups) * k].reshape(len(out), n_groups, k)
    finals = curves[:, :, -1]  # each draw's final share in each group
    observed_final = observed.curves()[1:, -1]
    lo, med, hi = np.quantile(finals, (0.05, 0.5, 0.95), axis=0)
    table = pd.DataFrame({"group": list(observed.group_labels),
                          "people": [sizes[g] for g in observed.group_labels],
                          "observed_final_share": observed_final, "median": med, "lo": lo,
                          "hi": hi})
    # Shares of whole people: compare on counts so that rounding never moves a point out.
    table["inside"] = (np.rint(observed_final * table["people"]) >= np.rint(lo * table["people"])) \
        & (np.rint(observed_final * table["people"]) <= np.rint(hi * table["people"]))
    return bands, table
