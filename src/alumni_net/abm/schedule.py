"""When programme events happen to whom: graduations and top-up invitations (both engines)."""

from __future__ import annotations

import numpy as np

from alumni_net.abm.network import ContagionNetwork
from alumni_net.abm.params import ContagionParams, TopUp

__all__ = ["NEVER", "graduation_months", "invited_to"]

#: A month later than any horizon.
NEVER = 2**40


def graduation_months(net: ContagionNetwork, params: ContagionParams,
                      programme: bool) -> np.ndarray:
    """Month each person graduates (course effect, start of the alum boost); NEVER for
    non-alumni and without the programme. Alumni with an unknown cohort start, or whose
    graduation falls before month 0, graduate at month 0."""
    out = np.full(net.n, NEVER, dtype=np.int64)
    if not programme:
        return out
    start = np.nan_to_num(net.cohort_start, nan=-np.inf) + params.training_months
    grad = np.maximum(start, 0.0)
    out[net.is_alum] = grad[net.is_alum].astype(np.int64)
    return out


def invited_to(net: ContagionNetwork, topup: TopUp) -> np.ndarray:
    """Alumni invited to a top-up: in the named cohorts (all when None) and started by then."""
    started = ~(net.cohort_start > topup.month)  # unknown start (NaN) counts as started
    if topup.cohorts is None:
        in_cohort = np.ones(net.n, dtype=bool)
    else:
        in_cohort = np.array([c is not None and c in topup.cohorts for c in net.cohort], dtype=bool)
    return net.is_alum & started & in_cohort
