"""Is adoption structurally dependent? A seeded Monte Carlo test (netdiffuseR's ``struct_test``).

The statistic (by default the mean adoption threshold, netdiffuseR's vignette statistic
``mean(threshold(x), na.rm = TRUE)``) is computed on the observed data and on ``replicates``
null data sets. Two nulls:

* ``"permute"`` (default): adoption times are shuffled among people (optionally within groups,
  e.g. cities), keeping the network and the adoption curve: do adopters' exposures exceed what
  the same adoption times, given to random people, would give?
* ``"rewire"``: the network is rewired by degree-preserving swaps (netdiffuseR's default,
  ``rewire_graph(algorithm = "swap")``, 20 swap attempts per tie), keeping everyone's time; with
  groups, each group's own ties are rewired among themselves (ties between groups are kept).

Groups matter. When villages adopt at different times (a campaign that reached one village
first, an invitation schedule), shuffling times across villages makes any network whose ties
stay inside villages look structurally dependent. ``within`` names one or more people columns
(a group column, a declared schedule such as a session date): the null then shuffles times only
among people sharing every one of them, which asks whether adopters' contacts adopted earlier
than people *in the same group and on the same schedule*.

The p-values are permutation p-values with the +1 correction (Phipson & Smyth 2010), so they are
never 0: the one-sided ``p_greater = (1 + #{t >= t0}) / (1 + R)``, ``p_less`` likewise, and the
two-sided ``p_value = min(1, 2 * min(p_less, p_greater))`` (netdiffuseR's two-sided
``2 * min(P(t < t0), P(t > t0))`` with the same correction), which is never below the smaller
one-sided value.

A small p-value says adoption timing is patterned by the network. It does not say why: in the
physicians' data Van den Bulte & Lilien (2001) showed that the drug company's marketing effort,
which reached doctors in the same places at the same time, accounts for what looked like contagion.

References
----------
Phipson, B., & Smyth, G. K. (2010). Permutation P-values should never be zero: calculating exact
P-values when permutations are randomly drawn. Statistical Applications in Genetics and
Molecular Biology 9(1), Article 39. https://doi.org/10.2202/1544-6115.1585

Van den Bulte, C., & Lilien, G. L. (2001). Medical Innovation revisited: social contagion versus
marketing effort. American Journal of Sociology 106(5), 1409-1435.
https://doi.org/10.1086/320819
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import scipy.sparse as sp

from alumni_net.core.checks import check_choice, check_int
from alumni_net.core.rng import SeedLike, as_generator
from alumni_net.diffusion._rewire import rewire_swap
from alumni_net.diffusion.data import DiffusionData
from alumni_net.errors import ConfigError

__all__ = ["StructTestResult", "group_blocks", "mean_threshold", "structural_dependence_test"]

NULLS = ("permute", "rewire")


def mean_threshold(data: DiffusionData, *, include_censored: bool = False) -> float:
    """Mean adoption threshold over the people who have one (netdiffuseR's ``avgthr``).

    Equal to the mean of :func:`~alumni_net.diffusion.thresholds`, computed from the ties alone
    (one pass over them, not a person x period matrix) because the test calls it once per
    replicate: a contact counts when they adopted in or before the person's own period.

    Examples
    --------
    >>> import scipy.sparse as sp
    >>> from alumni_net.diffusion import thresholds
    >>> S = sp.csr_matrix(np.array([[0, 0, 0], [1, 0, 0], [1, 1, 0]]))
    >>> d = DiffusionData(np.arange(3), np.array([1.0, 2.0, 2.0]), np.arange(1, 3), S,
    ...                   pd.DataFrame(index=range(3)))
    >>> mean_threshold(d), float(thresholds(d)["threshold"].mean())
    (1.0, 1.0)
    """
    matrix = data.influence_matrix.tocoo()
    rows, cols, toa = matrix.row, matrix.col, data.toa
    contacts = np.bincount(rows, minlength=data.n)
    # NaN (not adopted) compares False either side: such a contact never counts.
    counted = toa[cols] <= toa[rows]
    exposed = np.bincount(rows[counted], minlength=data.n)
    keep = ~np.isnan(toa)
    if not include_censored:
        keep &= toa != data.periods[0]
    if not keep.any():
        return float("nan")
    return float(np.mean(exposed[keep] / np.maximum(contacts[keep], 1)))


@dataclass(frozen=True)
class StructTestResult:
    """Observed statistic, its null distribution and p-values; ``within`` the group columns the
    null kept (empty: everyone)."""

    observed: float
    simulated: np.ndarray
    null: str
    statistic: str
    within: tuple[str, ...] = ()

    def describe(self) -> str:
        """The null in words.

        Examples
        --------
        >>> StructTestResult(0.5, np.zeros(2), "permute", "s", ("village", "session")).describe()
        'adoption times shuffled among people with the same village and session'
        >>> StructTestResult(0.5, np.zeros(2), "rewire", "s").describe()
        'ties rewired across everyone, degrees kept'
        """
        groups = " and ".join(self.within)
        if self.null == "permute":
            return ("adoption times shuffled among people with the same " + groups if groups
                    else "adoption times shuffled across everyone")
        return f"ties rewired {'within each ' + groups if groups else 'across everyone'}, " \
            "degrees kept"

    @property
    def replicates(self) -> int:
        return len(self.simulated)

    @property
    def expected(self) -> float:
        """Mean of the statistic over the null data sets."""
        return float(np.nanmean(self.simulated))

    @property
    def p_value(self) -> float:
        """Two-sided: ``min(1, 2 * min(p_less, p_greater))`` (never 0, never below either
        one-sided value's smaller)."""
        return float(min(1.0, 2 * min(self.p_less, self.p_greater)))

    @property
    def p_less(self) -> float:
        """One-sided: how often a null data set falls to the observed value (+1 correction)."""
        t = self.simulated[np.isfinite(self.simulated)]
        return float((1 + np.sum(t <= self.observed)) / (1 + len(t)))

    @property
    def p_greater(self) -> float:
        """One-sided: how often a null data set reaches the observed value (+1 correction)."""
        t = self.simulated[np.isfinite(self.simulated)]
        return float((1 + np.sum(t >= self.observed)) / (1 + len(t)))

    def table(self) -> pd.DataFrame:
        """One row: statistic, null, replicates, observed, expected, null 5-95%, p-values."""
        lo, hi = np.nanpercentile(self.simulated, [5, 95])
        return pd.DataFrame([{
            "statistic": self.statistic, "null": self.null,
            "within": " x ".join(self.within) or "everyone", "replicates": self.replicates,
            "observed": self.observed, "expected": self.expected, "null_p05": lo, "null_p95": hi,
            "p_value": self.p_value, "p_less": self.p_less, "p_greater": self.p_greater,
        }])


def _shuffled(toa: np.ndarray, blocks: np.ndarray | None, rng: np.random.Generator) -> np.ndarray:
    if blocks is None:
        return rng.permutation(toa)
    out = toa.copy()
    for block in np.unique(blocks):
        idx = np.flatnonzero(blocks == block)
        out[idx] = toa[rng.permutation(idx)]
    return out


def structural_dependence_test(
    data: DiffusionData,
    *,
    statistic: Callable[[DiffusionData], float] | None = None,
    null: str = "permute",
    replicates: int = 500,
    within: str | Sequence[str] | None = None,
    include_censored: bool = False,
    seed: SeedLike = None,
) -> StructTestResult:
    """Compare a statistic of the observed diffusion with its values under a null (see above).

    Parameters
    ----------
    data : see :func:`~alumni_net.diffusion.diffusion_data`.
    statistic : function of a :class:`DiffusionData` returning a number; default the mean threshold.
    null : ``"permute"`` (shuffle adoption times) or ``"rewire"`` (degree-preserving swaps).
    replicates : number of null data sets.
    within : one or more people columns (e.g. ``"city"``, or a group and a schedule column):
        ``"permute"`` shuffles times only among people sharing every one of their values
        (people with no value form their own group); ``"rewire"`` rewires each group's ties
        among themselves.
    include_censored : passed to the default statistic (first-period adopters' thresholds).
    seed : int, SeedSequence, Generator or None; the same seed gives the same result.

    References
    ----------
    Vega Yon, G. G., & Valente, T. W. netdiffuseR: Analysis of Diffusion and Contagion Processes on
    Networks (R package). https://doi.org/10.5281/zenodo.1039317

    Phipson, B., & Smyth, G. K. (2010). Permutation P-values should never be zero: calculating exact
    P-values when permutations are randomly drawn. Statistical Applications in Genetics and
    Molecular Biology 9(1), Article 39. https://doi.org/10.2202/1544-6115.1585

    Van den Bulte, C., & Lilien, G. L. (2001). Medical Innovation revisited: social contagion versus
    marketing effort. American Journal of Sociology 106(5), 1409-1435.
    https://doi.org/10.1086/320819

    Examples
    --------
    >>> import scipy.sparse as sp
    >>> # A chain 0 <- 1 <- 2 <- 3 (each names the previous one) adopting in order:
    >>> # everyone's exposure is 1 when they adopt.
    >>> S = sp.csr_matrix((np.ones(3), ([1, 2, 3], [0, 1, 2])), shape=(4, 4))
    >>> d = DiffusionData(np.arange(4), np.array([1.0, 2.0, 3.0, 4.0]), np.arange(1, 5), S,
    ...                   pd.DataFrame(index=range(4)))
    >>> r = structural_dependence_test(d, replicates=200, seed=1)
    >>> r.observed, r.expected < 1.0, r.p_greater < 0.2
    (1.0, True, True)
    """
    check_choice("null", null, NULLS)
    check_int("replicates", replicates, 1, 1_000_000)
    columns = (within,) if isinstance(within, str) else tuple(within or ())
    for column in columns:
        if column not in data.people.columns:
            raise ConfigError(f"cannot keep groups of '{column}' in the null: the people table "
                              "has no such column")
    if statistic is None:
        name = "mean_threshold"

        def statistic(d: DiffusionData) -> float:
            return mean_threshold(d, include_censored=include_censored)
    else:
        name = getattr(statistic, "__name__", "statistic")
    rng = as_generator(seed)
    blocks = group_blocks(data.people, columns) if columns else None
    simulated = np.empty(replicates)
    for r in range(replicates):
        if null == "permute":
            simulated[r] = statistic(data.with_toa(_shuffled(data.toa, blocks, rng)))
        else:
            simulated[r] = statistic(data.with_matrix(_rewired(data.influence_matrix, blocks,
                                                               rng)))
    return StructTestResult(float(statistic(data)), simulated, null, name, columns)


def group_blocks(people: pd.DataFrame, columns: Sequence[str]) -> np.ndarray:
    """One code per person for each combination of values of ``columns`` (a missing value is a
    value of its own).

    Examples
    --------
    >>> people = pd.DataFrame({"v": ["a", "a", "b", None], "s": [1, 2, 1, 1]})
    >>> group_blocks(people, ["v", "s"]).tolist()
    [0, 1, 2, 3]
    >>> group_blocks(people, ["v"]).tolist()
    [0, 0, 1, 2]
    """
    keys = people[list(columns)].astype(object).where(people[list(columns)].notna(), "\0missing")
    return pd.MultiIndex.from_frame(keys.astype(str)).factorize()[0]


def _rewired(matrix, blocks: np.ndarray | None, rng: np.random.Generator):
    if blocks is None:
        return rewire_swap(matrix, rng)
    m = matrix.tocoo()
    inside = blocks[m.row] == blocks[m.col]
    out = sp.csr_matrix((m.data[~inside], (m.row[~inside], m.col[~inside])), shape=m.shape)
    for b in np.unique(blocks):  # in code order: the draws depend on the seed only
        idx = np.flatnonzero(blocks == b)
        if len(idx) > 1:
            part = rewire_swap(matrix[idx][:, idx], rng).tocoo()
            out = out + sp.csr_matrix((part.data, (idx[part.row], idx[part.col])), shape=m.shape)
    return out.tocsr()
