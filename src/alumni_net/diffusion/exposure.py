"""Exposure to adoption and adoption thresholds, as netdiffuseR's ``exposure`` and ``threshold``.

Person ``i``'s exposure in period ``t`` is the share of ``i``'s contacts (in the direction
influence travels, see :mod:`alumni_net.diffusion.data`) who had adopted by ``t``:

    E[i, t] = sum_j S[i, j] * a[j, t] / sum_j S[i, j]

with ``a[j, t] = 1`` when ``j`` adopted in or before ``t`` (netdiffuseR ``exposure`` with its
defaults ``outgoing=TRUE, valued=FALSE, normalized=TRUE, lags=0``). Like netdiffuseR, a person
with no contacts has exposure 0 (netdiffuseR adds ``1e-15`` to the denominator); the
``contacts`` column says who they are. The threshold is the exposure in the period of adoption
(netdiffuseR ``threshold``): contemporaneous, so it counts contacts adopting in the same period.
Adopters in the first period are left-censored (nothing was observed before them) and get no
threshold unless asked (``include_censored=True``, which netdiffuseR's published medInnovations
``struct_test`` values correspond to).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from alumni_net.diffusion.data import DiffusionData
from alumni_net.errors import ConfigError

__all__ = ["exposure", "exposure_counts", "threshold_summary", "thresholds"]


def exposure_counts(data: DiffusionData, *, lags: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """``(exposed, contacts)``: n x T counts of adopted contacts, and each person's contacts.

    With ``lags=k`` the column of period ``t`` counts adoption by period ``t - k`` (NaN for the
    first ``k`` periods), netdiffuseR's ``lags`` argument.
    """
    if not isinstance(lags, int) or isinstance(lags, bool) or lags < 0:
        raise ValueError(f"lags must be a whole number >= 0, got {lags!r}")
    matrix = data.influence_matrix
    contacts = np.asarray(matrix.sum(axis=1)).ravel().astype(np.int64)
    exposed = (matrix @ data.cumulative_adoption().astype(np.int64)).astype(float)
    if lags:
        shifted = np.full_like(exposed, np.nan)
        if lags < exposed.shape[1]:
            shifted[:, lags:] = exposed[:, :-lags]
        exposed = shifted
    return exposed, contacts


def _share(exposed: np.ndarray, contacts: np.ndarray) -> np.ndarray:
    # netdiffuseR divides by (contacts + 1e-15): no contacts -> exposure 0, not undefined. The
    # exact quotient is used otherwise (the 1e-15 changes nothing beyond the 15th digit).
    denominator = np.where(contacts > 0, contacts, 1).astype(float)
    return exposed / (denominator[:, None] if exposed.ndim == 2 else denominator)


def _group_column(data: DiffusionData, by: str | None) -> np.ndarray | None:
    if by is None:
        return None
    if by not in data.people.columns:
        raise ConfigError(f"cannot group by '{by}': the people table has no such column")
    return data.people[by].to_numpy()


def exposure(data: DiffusionData, *, lags: int = 0, by: str | None = None) -> pd.DataFrame:
    """Each person's exposure in each period, as a tidy table.

    Returns
    -------
    DataFrame with one row per person and period: ``person_id`` (then the ``by`` column, when
    given), ``period``, ``contacts``, ``exposed`` (contacts who had adopted), ``exposure``
    (exposed / contacts; 0 without contacts) and ``adopted`` (the person had adopted by the
    period).

    References
    ----------
    Valente, T. W. (1995). Network Models of the Diffusion of Innovations. Hampton Press.

    Vega Yon, G. G., & Valente, T. W. netdiffuseR: Analysis of Diffusion and Contagion Processes on
    Networks (R package). https://doi.org/10.5281/zenodo.1039317

    Examples
    --------
    >>> import scipy.sparse as sp
    >>> # c names a and b; a adopts in period 1, b in 2, c in 3.
    >>> S = sp.csr_matrix(np.array([[0, 0, 0], [0, 0, 0], [1, 1, 0]]))
    >>> d = DiffusionData(np.array(["a", "b", "c"]), np.array([1.0, 2.0, 3.0]), np.arange(1, 4),
    ...                   S, pd.DataFrame(index=range(3)))
    >>> e = exposure(d)
    >>> e[e.person_id == "c"][["period", "exposed", "exposure"]].to_dict("list")
    {'period': [1, 2, 3], 'exposed': [1, 2, 2], 'exposure': [0.5, 1.0, 1.0]}
    """
    exposed, contacts = exposure_counts(data, lags=lags)
    n, t = exposed.shape
    share = _share(exposed, contacts)
    frame = pd.DataFrame({
        "person_id": np.repeat(data.ids, t),
        "period": np.tile(data.periods, n),
        "contacts": np.repeat(contacts, t),
        "exposed": exposed.ravel(),
        "exposure": share.ravel(),
        "adopted": data.cumulative_adoption().ravel(),
    })
    if not lags:
        frame["exposed"] = frame["exposed"].astype(np.int64)
    group = _group_column(data, by)
    if group is not None:
        frame.insert(1, by, np.repeat(group, t))
    return frame


def thresholds(
    data: DiffusionData, *, include_censored: bool = False, lags: int = 0, by: str | None = None
) -> pd.DataFrame:
    """Each person's exposure in the period they adopted (NaN for non-adopters and, by default,
    for first-period adopters).

    Returns
    -------
    DataFrame with ``person_id`` (then the ``by`` column, when given), ``adoption_time``,
    ``contacts``, ``exposed`` and ``threshold`` (the share), one row per person in the data's
    order.

    References
    ----------
    Valente, T. W. (1996). Social network thresholds in the diffusion of innovations. Social
    Networks 18(1), 69-89. https://doi.org/10.1016/0378-8733(95)00256-1

    Vega Yon, G. G., & Valente, T. W. netdiffuseR: Analysis of Diffusion and Contagion Processes on
    Networks (R package). https://doi.org/10.5281/zenodo.1039317

    Examples
    --------
    >>> import scipy.sparse as sp
    >>> S = sp.csr_matrix(np.array([[0, 0, 0], [1, 0, 0], [1, 1, 0]]))
    >>> d = DiffusionData(np.array([1, 2, 3]), np.array([1.0, 2.0, np.nan]), np.arange(1, 3),
    ...                   S, pd.DataFrame(index=range(3)))
    >>> thresholds(d)["threshold"].tolist()
    [nan, 1.0, nan]
    >>> thresholds(d, include_censored=True)["threshold"].tolist()
    [0.0, 1.0, nan]
    """
    exposed, contacts = exposure_counts(data, lags=lags)
    share = _share(exposed, contacts)
    toa = data.toa
    index = np.searchsorted(data.periods, np.where(np.isnan(toa), data.periods[0], toa))
    rows = np.arange(data.n)
    keep = ~np.isnan(toa)
    if not include_censored:
        keep &= toa != data.periods[0]
    frame = pd.DataFrame({
        "person_id": data.ids,
        "adoption_time": toa,
        "contacts": contacts,
        "exposed": np.where(keep, exposed[rows, index], np.nan),
        "threshold": np.where(keep, share[rows, index], np.nan),
    })
    group = _group_column(data, by)
    if group is not None:
        frame.insert(1, by, group)
    return frame


def threshold_summary(data: DiffusionData, *, by: str | None = None,
                      include_censored: bool = False) -> pd.DataFrame:
    """Adoption thresholds summarised overall and, with ``by``, per group.

    Returns
    -------
    DataFrame with ``group`` ("all", then each value of ``by`` in sorted order), ``people``,
    ``with_threshold``, ``mean_threshold`` with its 95% interval (``lo``, ``hi``: mean +/- 1.96
    standard errors) and ``median_threshold``.

    Examples
    --------
    >>> import scipy.sparse as sp
    >>> S = sp.csr_matrix(np.array([[0, 0, 0], [1, 0, 0], [1, 1, 0]]))
    >>> d = DiffusionData(np.arange(3), np.array([1.0, 2.0, 2.0]), np.arange(1, 3), S,
    ...                   pd.DataFrame({"g": ["a", "a", "b"]}))
    >>> threshold_summary(d, by="g")[["group", "with_threshold", "mean_threshold"]].values.tolist()
    [['all', 2, 1.0], ['a', 1, 1.0], ['b', 1, 1.0]]
    """
    table = thresholds(data, include_censored=include_censored, by=by)
    parts = [("all", table)]
    if by is not None:
        parts += [(g, part) for g, part in table.groupby(by, sort=True)]
    rows = []
    for group, part in parts:
        values = part["threshold"].dropna()
        mean = float(values.mean()) if len(values) else np.nan
        half = 1.96 * float(values.std(ddof=1)) / np.sqrt(len(values)) if len(values) > 1 \
            else np.nan
        rows.append({"group": group, "people": len(part), "with_threshold": len(values),
                     "mean_threshold": mean, "lo": mean - half, "hi": mean + half,
                     "median_threshold": float(values.median()) if len(values) else np.nan})
    return pd.DataFrame(rows)
