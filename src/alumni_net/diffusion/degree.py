"""Were the central people early adopters? The correlation of degree with time of adoption
(netdiffuseR's ``degree_adoption_diagnostic``), with bootstrap intervals.

Among the people who adopted, Pearson's correlation of in-degree (how often a person was named)
and of out-degree (how many they named) with their time of adoption; undirected ties give one
degree. A negative correlation says that central people (opinion leaders) adopted early
("supporters"), a positive one that they adopted late ("opposers"); netdiffuseR calls a
correlation weak when ``|r| <= 0.1``. The interval is the bootstrap percentile interval over
adopters resampled with replacement (netdiffuseR: ``boot::boot`` with ``R = 1000``,
``boot.ci(type = "perc")``), with the bootstrap bias and standard error.

Degrees follow netdiffuseR's graph, in which a tie goes from the person who named to the person
named; the influence matrix is turned back into that graph for the direction it was built with.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from alumni_net.core.checks import check_int
from alumni_net.core.rng import SeedLike, as_generator
from alumni_net.diffusion.data import DiffusionData
from alumni_net.errors import ConfigError

__all__ = ["WEAK", "degree_adoption"]

#: ``|r|`` at or below this is a weak relationship (netdiffuseR's threshold).
WEAK = 0.1


def degree_adoption(data: DiffusionData, *, replicates: int = 1000, level: float = 0.95,
                    seed: SeedLike = None) -> pd.DataFrame:
    """Correlation of degree with time of adoption among adopters, with a bootstrap interval.

    Returns
    -------
    DataFrame, one row per degree (``indegree`` and ``outdegree``, or ``degree`` for undirected
    ties): ``degree``, ``correlation``, ``adopters``, ``bias``, ``std_error``, ``lo``, ``hi``
    (the percentile interval at ``level``), ``level``, ``reading`` (in words).

    Examples
    --------
    >>> import scipy.sparse as sp
    >>> # 1 and 2 name 0, 2 names 1: 0 is named twice and adopts first
    >>> m = sp.csr_matrix(([1, 1, 1], ([1, 2, 2], [0, 0, 1])), shape=(3, 3))
    >>> d = DiffusionData(np.arange(3), np.array([1.0, 2.0, 3.0]), np.arange(1, 4), m,
    ...                   pd.DataFrame(index=range(3)))
    >>> table = degree_adoption(d, replicates=50, seed=1)
    >>> table[["degree", "correlation"]].round(3).values.tolist()
    [['indegree', -1.0], ['outdegree', 1.0]]
    """
    check_int("replicates", replicates, 1, 1_000_000)
    if not 0 < level < 1:
        raise ConfigError(f"level must be between 0 and 1, got {level!r}")
    adopted = data.adopted
    if adopted.sum() < 3:
        raise ConfigError("the degree-adoption correlation needs at least 3 adopters")
    named = _nominations(data)
    undirected = (named != named.T).nnz == 0
    degrees = {"degree": np.asarray(named.sum(axis=1)).ravel()} if undirected else {
        "indegree": np.asarray(named.sum(axis=0)).ravel(),
        "outdegree": np.asarray(named.sum(axis=1)).ravel()}
    toa = data.toa[adopted]
    rng = as_generator(seed)
    picks = rng.integers(0, len(toa), size=(replicates, len(toa)))
    rows = []
    for name, degree in degrees.items():
        x = degree[adopted].astype(float)
        r = _pearson(x[None, :], toa[None, :])[0]
        boot = _pearson(x[picks], toa[picks])
        boot = boot[np.isfinite(boot)]
        lo, hi = np.quantile(boot, [(1 - level) / 2, (1 + level) / 2]) if len(boot) else (
            np.nan, np.nan)
        rows.append({"degree": name, "correlation": r, "adopters": len(toa),
                     "bias": float(boot.mean() - r) if len(boot) else np.nan,
                     "std_error": float(boot.std(ddof=1)) if len(boot) > 1 else np.nan,
                     "lo": float(lo), "hi": float(hi), "level": level,
                     "reading": _reading(name, r, lo, hi)})
    return pd.DataFrame(rows)


def _nominations(data: DiffusionData):
    """The graph of who named whom (row i: the people i named), from the influence matrix."""
    m = data.influence_matrix
    return m.T.tocsr() if data.influence == "source_to_target" else m


def _pearson(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Row-wise Pearson correlation (NaN where either row is constant)."""
    xc = x - x.mean(axis=1, keepdims=True)
    yc = y - y.mean(axis=1, keepdims=True)
    num = (xc * yc).sum(axis=1)
    den = np.sqrt((xc ** 2).sum(axis=1) * (yc ** 2).sum(axis=1))
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(den > 0, num / den, np.nan)


def _reading(name: str, r: float, lo: float, hi: float) -> str:
    if not np.isfinite(r):
        return "undefined: no variation in degree or in time of adoption"
    supported = "" if lo <= 0 <= hi else "; the interval excludes 0"
    if abs(r) <= WEAK:
        return f"weak relationship between {name} and time of adoption{supported}"
    when = "early (supporters)" if r < 0 else "late (opposers)"
    doubt = supported or "; but the interval includes 0"
    return f"people with a high {name} tended to adopt {when}{doubt}"
