"""Survey-weighted ego statistics: what the workforce model is fitted to and checked against.

Alumni are not a random sample of the workforce, so their own degree says little about
everyone else's. The fit therefore conditions on each respondent's reported degree across
organisations (the simulated respondent is given it, see
:mod:`alumni_net.experiments.workforce.fit`) and learns the rest of the
network from what the alumni report about their contacts: the contacts' own counts (proxy
reports), their organisations, regions and roles, and whether they know each other.

Each statistic is a weighted mean over egos (or over the contacts and pairs they named, each
carrying its ego's weight), as ergm.ego's ego statistics are (Krivitsky & Morris 2017). Counts
enter on the log scale, ``log(1 + count)``: reported counts are heavy-tailed and their errors
multiplicative. The count of people in other organisations is taken net of the share of named
contacts the ego met through the programme, so the statistic describes the workforce network
the alum belongs to, not the programme's own contacts (those are embedded separately).

References
----------
Krivitsky, P. N., & Morris, M. (2017). Inference for social network models from egocentrically
sampled data, with application to understanding persistent racial disparities in HIV
prevalence in the US. Annals of Applied Statistics 11(1), 427-455.
https://doi.org/10.1214/16-AOAS1010
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from alumni_net.experiments.workforce.sample import EgoSample

__all__ = ["DESCRIPTIONS", "FITTED", "STATISTICS", "bootstrap", "column_quantiles",
           "column_sd", "ego_statistics", "role_shares", "workforce_other"]

#: Every statistic, in order, with what it says.
DESCRIPTIONS = {
    "log_known_own_org": "mean log(1 + people known in the own organisation)",
    "share_named_same_org": "share of named contacts in the ego's own organisation",
    "log_contacts_of_contacts": ("mean log(1 + people in other organisations a named contact "
                                 "works with), as the ego reports it"),
    "sd_log_contacts_of_contacts": "spread (SD) of that log count: how unequal degrees are",
    "share_other_org_same_region": "share of contacts in other organisations in the ego's region",
    "density_same_org_pairs": "share of pairs of same-organisation contacts who know each other",
    "density_mixed_pairs": "share of other pairs of contacts who know each other",
    "log_known_other_orgs": ("mean log(1 + people known in other organisations), net of "
                             "contacts met through the programme (given to the model)"),
    "sd_log_known_other_orgs": "spread (SD) of that log count (given to the model)",
    "share_other_org_same_sector": "share of contacts in other organisations in the ego's sector",
    "share_named_through_programme": "share of named contacts met through the programme",
}
STATISTICS = tuple(DESCRIPTIONS)
#: The statistics the model is fitted to. The others are shown beside the model, not fitted: the
#: respondents' own degrees are given to it, the generator has no sector preference, and
#: programme contacts are embedded, not generated.
FITTED = STATISTICS[:7]


def _mean(x: np.ndarray, w: np.ndarray) -> float:
    keep = ~np.isnan(x) & (w > 0)
    return float(np.average(x[keep], weights=w[keep])) if keep.any() else np.nan


def _sd(x: np.ndarray, w: np.ndarray) -> float:
    keep = ~np.isnan(x) & (w > 0)
    if keep.sum() < 2:
        return np.nan
    m = np.average(x[keep], weights=w[keep])
    return float(np.sqrt(np.average((x[keep] - m) ** 2, weights=w[keep])))


def workforce_other(s: EgoSample) -> np.ndarray:
    """Each ego's count in other organisations net of the programme share of its named contacts
    there (0 when it named none there)."""
    other_named = s.same_org == 0
    n_other = np.bincount(s.alter_ego[other_named], minlength=s.n_egos)
    n_prog = np.bincount(s.alter_ego[other_named & s.programme], minlength=s.n_egos)
    share = np.divide(n_prog, n_other, out=np.zeros(s.n_egos), where=n_other > 0)
    return s.other * (1.0 - share)


def ego_statistics(s: EgoSample, weights: np.ndarray | None = None) -> np.ndarray:
    """Every statistic of :data:`STATISTICS` (NaN where the survey holds nothing to compute it).

    ``weights`` replaces the sample's own ego weights (the bootstrap multiplies them).
    """
    w = s.weight if weights is None else weights
    log_other = np.log1p(workforce_other(s))
    aw = w[s.alter_ego]
    work = ~s.programme
    known = work & (s.same_org >= 0)
    other = work & (s.same_org == 0)
    ego_region, ego_sector = s.region[s.alter_ego], s.sector[s.alter_ego]
    reg = other & (s.alter_region >= 0) & (ego_region >= 0)
    sec = other & (s.alter_sector >= 0) & (ego_sector >= 0)
    pw = w[s.pair_ego]
    proxy = np.where(work, np.log1p(s.alter_other), np.nan)
    return np.array([
        _mean(np.log1p(s.own), w),
        _mean((s.same_org[known] == 1).astype(float), aw[known]),
        _mean(proxy, aw),
        _sd(proxy, aw),
        _mean((s.alter_region[reg] == ego_region[reg]).astype(float), aw[reg]),
        _mean(s.pair_tied[s.pair_same].astype(float), pw[s.pair_same]),
        _mean(s.pair_tied[~s.pair_same].astype(float), pw[~s.pair_same]),
        _mean(log_other, w),
        _sd(log_other, w),
        _mean((s.alter_sector[sec] == ego_sector[sec]).astype(float), aw[sec]),
        _mean(s.programme.astype(float), aw),
    ])


def role_shares(s: EgoSample, n_roles: int) -> np.ndarray:
    """Weighted counts of contacts in other organisations (not met through the programme) by
    role: people named more often than their share of the workforce are more active."""
    keep = (s.same_org == 0) & ~s.programme & (s.alter_role >= 0)
    return np.bincount(s.alter_role[keep], weights=s.weight[s.alter_ego[keep]],
                       minlength=n_roles)


def bootstrap(s: EgoSample, n: int, rng: np.random.Generator) -> np.ndarray:
    """Ego statistics of ``n`` bootstrap resamples of the egos (with their contacts): (n, k)."""
    out = np.empty((n, len(STATISTICS)))
    p = np.full(s.n_egos, 1.0 / s.n_egos)
    for b in range(n):
        m = rng.multinomial(s.n_egos, p)
        out[b] = ego_statistics(s, s.weight * m)
    return out


def column_quantiles(x: np.ndarray, q: ArrayLike) -> np.ndarray:
    """Quantiles ``q`` of each column of ``x`` over its non-missing values (NaN for a column
    with none: a statistic the survey or a simulation could not compute).

    Examples
    --------
    >>> column_quantiles(np.array([[1.0, np.nan], [3.0, np.nan]]), [0.5]).tolist()
    [[2.0, nan]]
    """
    q = np.atleast_1d(q)
    out = np.full((len(q), x.shape[1]), np.nan)
    for j in range(x.shape[1]):
        col = x[:, j][~np.isnan(x[:, j])]
        if len(col):
            out[:, j] = np.quantile(col, q)
    return out


def column_sd(x: np.ndarray) -> np.ndarray:
    """Standard deviation of each column over its non-missing values (NaN with fewer than 2)."""
    out = np.full(x.shape[1], np.nan)
    for j in range(x.shape[1]):
        col = x[:, j][~np.isnan(x[:, j])]
        if len(col) > 1:
            out[j] = col.std()
    return out
