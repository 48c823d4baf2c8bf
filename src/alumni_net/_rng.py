"""Randomness is normalised once, at the boundary (never the global numpy or ``random`` state)."""

from __future__ import annotations

import numpy as np

__all__ = ["SeedLike", "as_generator", "as_seed_sequence", "spawn_seeds"]

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
    raise TypeError(f"seed must be an int, SeedSequence, Generator or None, not {type(seed).__name__}")


def as_generator(seed: SeedLike) -> np.random.Generator:
    """Return a numpy Generator; a Generator passed in is used as is (not copied)."""
    if isinstance(seed, np.random.Generator):
        return seed
    return np.random.default_rng(as_seed_sequence(seed))


def spawn_seeds(root: SeedLike, n: int) -> list[np.random.SeedSequence]:
    """``n`` independent child seeds of ``root``: child i is the same whatever else is spawned."""
    return as_seed_sequence(root).spawn(n)
