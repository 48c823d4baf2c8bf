"""Randomness is normalised once, at the boundary (never the global numpy or ``random`` state)."""

from __future__ import annotations

import contextlib
import random
from collections.abc import Iterator

import numpy as np

__all__ = ["SeedLike", "as_generator", "as_seed_sequence", "igraph_rng", "spawn_seeds"]

SeedLike = int | np.random.Generator | np.random.SeedSequence | None


def as_seed_sequence(seed: SeedLike) -> np.random.SeedSequence:
    """Return a SeedSequence for ``seed`` (a fresh, unpredictable one for None)."""
    if isinstance(seed, np.random.SeedSequence):
        return seed
    if isinstance(seed, np.random.Generator):
        # Draw entropy from the generator so that passing a Generator stays reproducible.
        return np.random.SeedSequence(int(seed.integers(0, 2**63 - 1)))
    if seed is None or isinstance(seed, (int, np.integer)):
        if seed is not None and seed < 0:
            raise ValueError(f"seed must be a non-negative integer, got {seed}")
        return np.random.SeedSequence(None if seed is None else int(seed))
    raise TypeError("seed must be an int, SeedSequence, Generator or None, "
                    f"not {type(seed).__name__}")


def as_generator(seed: SeedLike) -> np.random.Generator:
    """Return a numpy Generator; a Generator passed in is used as is (not copied)."""
    if isinstance(seed, np.random.Generator):
        return seed
    return np.random.default_rng(as_seed_sequence(seed))


def spawn_seeds(root: SeedLike, n: int) -> list[np.random.SeedSequence]:
    """``n`` independent child seeds of ``root``: child i is the same whatever else is spawned."""
    return as_seed_sequence(root).spawn(n)


@contextlib.contextmanager
def igraph_rng(seed: SeedLike) -> Iterator[None]:
    """Let igraph draw from a private ``random.Random`` seeded from ``seed``, then restore its
    default.

    igraph's C core takes its random numbers (Leiden, layouts, ARPACK start vectors for
    eigenvector centrality and PageRank) from Python's ``random`` module unless told otherwise;
    a private instance makes those results reproducible without touching the global state.
    igraph cannot report the generator it had, so its default (the ``random`` module) is restored.
    """
    import igraph

    state = (int(seed) if isinstance(seed, (int, np.integer))
             else int(as_generator(seed).integers(2**32)))
    igraph.set_random_number_generator(random.Random(state))
    try:
        yield
    finally:
        igraph.set_random_number_generator(random)
