"""A numba kernel for :mod:`alumni_net.core.ids`, in its own module so that importing the ids
module (every command does) does not import numba."""

from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True, nogil=True)
def moved_into(codes: np.ndarray, moved: np.ndarray, out: np.ndarray) -> None:
    """``out[i] = moved[codes[i]]``, or -1 where ``codes[i]`` is -1."""
    for i in range(codes.shape[0]):
        c = codes[i]
        out[i] = moved[c] if c >= 0 else -1
