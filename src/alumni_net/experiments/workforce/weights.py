"""Survey weights for non-response: raking respondents to the roster's margins.

Every alum's cohort is on the roster, and usually their sector and region; the respondents are
weighted so that, on each of these margins, they add up to the alumni (iterative proportional
fitting, Deming & Stephan 1940). With cohorts of 26 and 30-50% response, a cell-by-cell weight
(cohort x sector x region) would rest on one or two people; raking uses each margin's full
sample. A category nobody in it answered cannot be reached by weights: it is left out of that
margin and named in the notes (the model-based imputation then stands for its alumni).

References
----------
Deming, W. E., & Stephan, F. F. (1940). On a least squares adjustment of a sampled frequency
table when the expected marginal totals are known. Annals of Mathematical Statistics 11(4):427-444.
doi:10.1214/aoms/1177731829
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

__all__ = ["MARGINS", "rake_weights"]

#: Roster variables the weights match, in the order they are raked.
MARGINS = ("cohort", "sector", "region")
_MAX_RATIO = 5.0  # a weight above 5x the mean would let one person speak for a whole cohort


def rake_weights(people: pd.DataFrame, margins: Sequence[str] = MARGINS, *, iterations: int = 100,
                 tol: float = 1e-9) -> tuple[pd.Series, list[str]]:
    """Raking weights of the respondents (``responded``), mean 1, and notes for the user.

    Examples
    --------
    >>> p = pd.DataFrame({"person_id": list("abcdef"), "cohort": [1, 1, 1, 1, 2, 2],
    ...                   "responded": [True, False, False, False, True, True]})
    >>> w, notes = rake_weights(p, margins=("cohort",))
    >>> w.round(3).tolist()
    [2.0, 0.5, 0.5]
    """
    resp = people["responded"].to_numpy(bool)
    if not resp.any():
        return pd.Series(dtype=float), ["nobody answered: no survey weights"]
    notes: list[str] = []
    codes = []
    for col in margins:
        if col not in people or people[col].isna().all():
            continue
        values = people[col].astype("string").fillna("(unknown)").to_numpy()
        cats, code = np.unique(values, return_inverse=True)
        target = np.bincount(code, minlength=len(cats)).astype(float)
        reached = np.bincount(code[resp], minlength=len(cats)) > 0
        for c in np.flatnonzero(~reached):
            notes.append(f"no respondent in {col} '{cats[c]}' ({int(target[c])} alumni): "
                         "weights cannot stand for them; the model imputes them")
        target[~reached] = 0.0
        codes.append((code[resp], target * resp.sum() / target.sum()))
    w = np.ones(int(resp.sum()))
    for _ in range(iterations):
        change = 0.0
        for code, target in codes:
            current = np.bincount(code, weights=w, minlength=len(target))
            factor = np.divide(target, current, out=np.ones_like(target), where=current > 0)
            change = max(change, float(np.max(np.abs(factor - 1.0))))
            w = w * factor[code]
        if change < tol:
            break
    w = w / w.mean()
    if w.max() > _MAX_RATIO:
        notes.append(f"survey weights capped at {_MAX_RATIO:g} times the mean (largest was "
                     f"{w.max():.1f}): a few respondents stand for many alumni")
        w = _capped(w, _MAX_RATIO)
    return pd.Series(w, index=people.loc[resp, "person_id"].to_numpy(), name="weight"), notes


def _capped(w: np.ndarray, cap: float) -> np.ndarray:
    """``min(s * w, cap)`` with the scale ``s`` that keeps the mean 1 (the trimmed excess goes
    to the others in proportion, as trimming does in survey practice), found by bisection."""
    lo, hi = 0.0, cap / w.min()
    for _ in range(100):
        s = (lo + hi) / 2
        if np.minimum(s * w, cap).mean() < 1.0:
            lo = s
        else:
            hi = s
    return np.minimum(hi * w, cap)
