"""Source sampling for distance-based centralities on large graphs (Brandes & Pich 2007).

References
----------
Brandes, U., & Pich, C. (2007). Centrality estimation in large networks. International Journal of
Bifurcation and Chaos 17(7), 2303-2318. https://doi.org/10.1142/S0218127407018403
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from alumni_net.core.rng import SeedLike, as_generator

__all__ = ["SourcePlan", "plan_sources"]


@dataclass(frozen=True)
class SourcePlan:
    """Which shortest-path sources to use: all of them (exact) or a uniform sample in batches.

    The batches give a standard error by batch means: each batch's scaled sum is an unbiased
    estimate, and their spread over ``sqrt(n_batches)`` is the estimate's standard error.
    """

    exact: bool
    batches: tuple[np.ndarray, ...]
    n: int

    @property
    def sources(self) -> np.ndarray:
        return np.concatenate(self.batches) if self.batches else np.zeros(0, dtype=np.int64)


def plan_sources(
    n: int, *, exact_limit: int, samples: int, seed: SeedLike, n_batches: int = 10
) -> SourcePlan:
    """Exact when ``n <= exact_limit`` (or samples >= n), else ``samples`` distinct sources."""
    if n <= exact_limit or samples >= n:
        return SourcePlan(True, (np.arange(n, dtype=np.int64),), n)
    chosen = as_generator(seed).choice(n, size=samples, replace=False).astype(np.int64)
    return SourcePlan(False, tuple(np.array_split(chosen, min(n_batches, samples))), n)
