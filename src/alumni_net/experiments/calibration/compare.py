"""Simple vs complex contagion, compared by their posterior predictive distances.

Criterion: the distances to the observed curves of data sets simulated from each model's
posterior (the distance the fit used). ``p_complex_closer`` is the probability that a draw of the
complex model lands closer than a draw of the simple one (all pairs: the Mann-Whitney statistic
over n_complex x n_simple). Complex contagion is preferred when that probability is at least
0.6, simple when it is at most 0.4; in between the two fit equally well and simple contagion is
kept, having one parameter fewer.

Why not ABC model-choice posterior probabilities: with summaries that are not sufficient for the
models compared, which adoption curves on a network are not, ABC Bayes factors can be arbitrarily
wrong (Robert, Cornuet, Marin & Pillai 2011, PNAS 108:15112). The predictive distance asks the
checkable question directly: which fitted model reproduces the observed curves better?
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["PREFER_AT", "compare_models"]

#: P(complex draw closer than simple draw) needed to prefer one model over the other.
PREFER_AT = 0.6


def compare_models(distances: dict[str, np.ndarray]) -> tuple[pd.DataFrame, str, str]:
    """Table of predictive distances by model, the chosen model and one sentence saying why.

    Examples
    --------
    >>> table, chosen, why = compare_models({"simple": np.array([0.2, 0.3]),
    ...                                      "complex": np.array([0.1, 0.15])})
    >>> chosen, table["p_complex_closer"].tolist()
    ('complex', [1.0, 1.0])
    """
    rows = [{"model": m, "distance_median": float(np.median(d)),
             "distance_lo": float(np.quantile(d, 0.05)),
             "distance_hi": float(np.quantile(d, 0.95))} for m, d in distances.items()]
    table = pd.DataFrame(rows)
    if set(distances) != {"simple", "complex"}:
        only = next(iter(distances))
        return table, only, f"only the {only} contagion model was fitted"
    s, c = distances["simple"], distances["complex"]
    p = float((c[:, None] < s[None, :]).mean() + 0.5 * (c[:, None] == s[None, :]).mean())
    table["p_complex_closer"] = p
    if p >= PREFER_AT:
        chosen = "complex"
        why = (f"complex contagion reproduces the observed curves better "
               f"(P = {p:.2f} >= {PREFER_AT})")
    elif p <= 1 - PREFER_AT:
        chosen = "simple"
        why = f"simple contagion reproduces the observed curves better (P = {p:.2f} <= " \
              f"{1 - PREFER_AT:.1f})"
    else:
        chosen = "simple"
        why = (f"the two fit about equally well (P = {p:.2f}, between {1 - PREFER_AT:.1f} and "
               f"{PREFER_AT}), so simple contagion is kept: it has one parameter fewer")
    return table, chosen, why
