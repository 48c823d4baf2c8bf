"""Observed adoption on a network as netdiffuseR holds it: adoption times and the influence graph.

A :class:`DiffusionData` is the input of every measure in :mod:`alumni_net.diffusion`. It holds

* ``toa``: each person's time of adoption as a number of the period (NaN = not adopted by the
  end of observation, netdiffuseR's right-censored ``NA``);
* ``periods``: the observation periods, ``min(toa) .. max(toa)`` as netdiffuseR's ``toa_mat``;
* ``influence_matrix``: a binary sparse matrix whose row ``i`` lists the people whose adoption
  exposes ``i``. Nomination data say "source named target"; influence travels from the person
  named to the person who named them (``influence="target_to_source"``, the package default and
  netdiffuseR's ``outgoing=TRUE`` on a graph built from ``(id, nominee)`` edges), so row ``i`` lists
  the people ``i`` named. ``"source_to_target"`` uses the transpose and ``"both"`` the union.
  Several kinds of tie between one pair count once (netdiffuseR's ``valued=FALSE``).

Adoption times may be numbers (periods, months, years) or dates; dates become calendar months
(period 1 = the month of the first adoption).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import scipy.sparse as sp

from alumni_net.core.ids import positions
from alumni_net.errors import ConfigError, Problem, ValidationError
from alumni_net.io import Dataset
from alumni_net.vocabulary import DEFAULT_INFLUENCE, Influence, check_influence

__all__ = ["DiffusionData", "diffusion_data", "influence_matrix", "require_adoption_times"]

ADOPTION_COLUMN = "adoption_time"


@dataclass(frozen=True, eq=False)
class DiffusionData:
    """Times of adoption and the influence graph of one dataset (see the module docstring).

    Attributes
    ----------
    ids : array of person ids, in the dataset's order (sorted ``person_id``).
    toa : float array, the period each person adopted in; NaN = not adopted.
    periods : int array, the observation periods (consecutive).
    influence_matrix : CSR matrix (n x n, 0/1); row ``i`` = people whose adoption exposes ``i``.
    people : the dataset's people table (same order as ``ids``), for grouping columns.
    influence : the direction the matrix was built with.
    name : a label for captions ("Data: ...").
    """

    ids: np.ndarray
    toa: np.ndarray
    periods: np.ndarray
    influence_matrix: sp.csr_matrix
    people: pd.DataFrame
    influence: str = DEFAULT_INFLUENCE
    name: str = "dataset"

    def __post_init__(self) -> None:
        n = len(self.ids)
        if self.toa.shape != (n,) or self.influence_matrix.shape != (n, n) or len(self.people) != n:
            raise ConfigError("ids, toa, influence_matrix and people must describe the same people")
        if len(self.periods) == 0:
            raise ConfigError("there must be at least one observation period")

    @property
    def n(self) -> int:
        return len(self.ids)

    @property
    def adopted(self) -> np.ndarray:
        """True for people with an adoption time."""
        return ~np.isnan(self.toa)

    def cumulative_adoption(self) -> np.ndarray:
        """Boolean n x T: person ``i`` had adopted by period ``t`` (netdiffuseR ``cumadopt``)."""
        toa = np.where(self.adopted, self.toa, np.inf)
        return toa[:, None] <= self.periods[None, :]

    def with_toa(self, toa: np.ndarray) -> DiffusionData:
        """The same people and graph with other adoption times (for permutation tests)."""
        return DiffusionData(self.ids, np.asarray(toa, dtype=float), self.periods,
                             self.influence_matrix, self.people, self.influence, self.name)

    def with_matrix(self, matrix: sp.csr_matrix) -> DiffusionData:
        """The same people and times on another influence graph (for rewiring tests)."""
        return DiffusionData(self.ids, self.toa, self.periods, matrix.tocsr(), self.people,
                             self.influence, self.name)

    def subset(self, mask: np.ndarray) -> DiffusionData:
        """Only the people where ``mask`` is true and the ties among them (``diffnet[i, ]``)."""
        idx = np.flatnonzero(np.asarray(mask, dtype=bool))
        matrix = self.influence_matrix[idx][:, idx].tocsr()
        people = self.people.iloc[idx].reset_index(drop=True)
        return DiffusionData(self.ids[idx], self.toa[idx], self.periods, matrix, people,
                             self.influence, self.name)


def require_adoption_times(
    dataset: Dataset,
    column: str = ADOPTION_COLUMN,
    *,
    not_adopted: float | None = None,
) -> pd.Series:
    """Each person's adoption time as a float period (NaN = not adopted), or one clear error.

    Parameters
    ----------
    dataset : the loaded dataset.
    column : the people column holding adoption times (numbers or dates; empty = not adopted).
    not_adopted : a value that means "not adopted by the end of observation" (e.g. 18 in the
        physicians' ``toa``); those people get NaN.

    Returns
    -------
    Series of float, indexed by ``person_id`` in the dataset's order.

    Raises
    ------
    ValidationError
        When the column is missing, holds no adoption, or every adopter adopted at one time (then
        there is no diffusion to measure: nobody can have been exposed before adopting).

    Examples
    --------
    >>> people = pd.DataFrame({"person_id": [1, 2, 3], "adoption_time": [1.0, None, 3.0]})
    >>> ds = Dataset(people=people, ties=pd.DataFrame(columns=["source", "target", "kind"]))
    >>> require_adoption_times(ds).tolist()
    [1.0, nan, 3.0]
    >>> require_adoption_times(ds.__class__(people.assign(adoption_time=0), ds.ties))
    ... # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    alumni_net.errors.ValidationError: 1 problem in the input data:
      - people, column 'adoption_time': every person adopted at the same time (0), so ...
    """
    file = "people"
    if column not in dataset.people.columns:
        raise ValidationError([Problem(file, None, column, (
            f"there is no '{column}' column, so there are no observed adoption times to measure "
            "diffusion on (add one: a number or date per person, empty = not adopted)"))])
    raw = dataset.people[column]
    if pd.api.types.is_datetime64_any_dtype(raw):
        months = raw.dt.year * 12 + raw.dt.month
        times = (months - months.min() + 1).astype(float)
    else:
        times = pd.to_numeric(raw, errors="coerce").astype(float)
        bad = raw.notna() & times.isna()
        if bad.any():
            rows = (np.flatnonzero(bad.to_numpy()) + 2).tolist()
            raise ValidationError([Problem(file, int(r), column, "is not a number or date")
                                   for r in rows])
    if not_adopted is not None:
        times = times.mask(times == float(not_adopted))
    times.index = pd.Index(dataset.people["person_id"].to_numpy(), name="person_id")
    given = times.dropna()
    if given.empty:
        raise ValidationError([Problem(file, None, column, (
            "nobody has an adoption time, so there is no diffusion to measure"))])
    if given.nunique() == 1:
        value = given.iloc[0]
        shown = int(value) if float(value).is_integer() else value
        raise ValidationError([Problem(file, None, column, (
            f"every person adopted at the same time ({shown}), so there is no diffusion over "
            "time to measure"))])
    return times.rename(column)


def influence_matrix(dataset: Dataset, influence: Influence = DEFAULT_INFLUENCE) -> sp.csr_matrix:
    """Binary n x n matrix; row ``i`` lists the people whose adoption exposes ``i`` (see above).

    Examples
    --------
    >>> people = pd.DataFrame({"person_id": ["a", "b", "c"]})
    >>> ties = pd.DataFrame({"source": ["a", "a"], "target": ["b", "c"], "kind": "advice"})
    >>> influence_matrix(Dataset(people, ties, directed=True)).toarray().tolist()
    [[0, 1, 1], [0, 0, 0], [0, 0, 0]]
    >>> ds = Dataset(people, ties, directed=True)
    >>> influence_matrix(ds, "source_to_target").toarray().tolist()
    [[0, 0, 0], [1, 0, 0], [1, 0, 0]]
    """
    check_influence(influence)
    ids = dataset.people["person_id"].to_numpy()
    n = len(ids)
    src, dst = positions(ids, dataset.ties["source"].to_numpy(), dataset.ties["target"].to_numpy())
    keep = (src >= 0) & (dst >= 0) & (src != dst)
    src, dst = src[keep], dst[keep]
    if not dataset.directed or influence == "both":
        rows, cols = np.concatenate([src, dst]), np.concatenate([dst, src])
    elif influence == "target_to_source":
        rows, cols = src, dst  # the nominator is exposed to whom they named
    else:
        rows, cols = dst, src
    matrix = sp.csr_matrix((np.ones(len(rows), dtype=np.int8), (rows, cols)), shape=(n, n))
    matrix.sum_duplicates()
    matrix.data[:] = 1
    matrix.sort_indices()
    return matrix


def diffusion_data(
    dataset: Dataset,
    *,
    influence: Influence = DEFAULT_INFLUENCE,
    column: str = ADOPTION_COLUMN,
    not_adopted: float | None = None,
) -> DiffusionData:
    """The :class:`DiffusionData` of a dataset (see :func:`require_adoption_times` for the options).

    Examples
    --------
    >>> people = pd.DataFrame({"person_id": [1, 2, 3], "adoption_time": [1, 2, None]})
    >>> ties = pd.DataFrame({"source": [2, 3], "target": [1, 2], "kind": "advice"})
    >>> d = diffusion_data(Dataset(people, ties, directed=True))
    >>> d.periods.tolist(), d.cumulative_adoption().astype(int).tolist()
    ([1, 2], [[1, 1], [0, 1], [0, 0]])
    """
    times = require_adoption_times(dataset, column, not_adopted=not_adopted).to_numpy(float)
    given = times[~np.isnan(times)]
    lo, hi = given.min(), given.max()
    if np.all(np.mod(given, 1) == 0):
        periods = np.arange(int(lo), int(hi) + 1)
    else:
        # Fractional times: each distinct time is a period (netdiffuseR needs integers).
        periods = np.unique(given)
    return DiffusionData(
        ids=dataset.people["person_id"].to_numpy(),
        toa=times,
        periods=periods,
        influence_matrix=influence_matrix(dataset, influence),
        people=dataset.people.reset_index(drop=True),
        influence=influence,
        name=dataset.name,
    )
