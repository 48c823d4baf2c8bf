"""Priors of the fitted spread parameters: uniform on a stated range, on a log or linear scale.

The sampler works on the *sampling scale* (log10 for rates spanning orders of magnitude, the value
itself otherwise), where every prior is uniform on a box; quantiles map back monotonically.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from alumni_net.errors import ConfigError

__all__ = ["MODELS", "ParameterPrior", "default_priors"]

#: The contagion models compared: simple (one practising contact can pass the practice on) and
#: complex (a share or count of contacts must practise first; Centola 2010).
MODELS = ("simple", "complex")


@dataclass(frozen=True)
class ParameterPrior:
    """A uniform prior for one :class:`~alumni_net.abm.ContagionParams` field.

    Parameters
    ----------
    name : str
        The field fitted (``beta``, ``alpha``, ``threshold``, ``decay``).
    low, high : float
        The prior range (natural scale); ``low < high``.
    log : bool
        Uniform in log10 (log-uniform) rather than in the value; needs ``low > 0``.

    Examples
    --------
    >>> p = ParameterPrior("beta", 1e-4, 1.0, log=True)
    >>> p.bounds, float(p.to_value(-2.0))
    ((-4.0, 0.0), 0.01)
    """

    name: str
    low: float
    high: float
    log: bool = False

    def __post_init__(self) -> None:
        if not (math.isfinite(self.low) and math.isfinite(self.high) and self.low < self.high):
            raise ConfigError(f"prior range of {self.name} must be finite with low < high, "
                              f"got {self.low!r} to {self.high!r}")
        if self.log and self.low <= 0:
            raise ConfigError(f"a log-uniform prior of {self.name} needs low > 0, got {self.low!r}")

    @property
    def bounds(self) -> tuple[float, float]:
        """The range on the sampling scale."""
        if self.log:
            return (math.log10(self.low), math.log10(self.high))
        return (float(self.low), float(self.high))

    def to_value(self, u):
        """Sampling scale -> parameter value."""
        return np.power(10.0, u) if self.log else np.asarray(u, dtype=float)

    def to_sampling(self, value):
        """Parameter value -> sampling scale."""
        return np.log10(value) if self.log else np.asarray(value, dtype=float)

    def describe(self) -> str:
        scale = "log-uniform" if self.log else "uniform"
        return f"{scale} on [{self.low:g}, {self.high:g}]"


def default_priors(model: str, *, threshold_kind: str = "fraction",
                   fit_decay: bool = False) -> tuple[ParameterPrior, ...]:
    """The priors of ``model`` ("simple" or "complex").

    beta (monthly transmission along a tie of weight 1) is log-uniform on [1e-4, 1]; alpha
    (monthly spontaneous adoption) log-uniform on [1e-5, 0.2]: both cover every plausible order of
    magnitude. The complex model adds the threshold: uniform on [0, 1] as a share of contacts, or
    on [1, 5] as a count (a count threshold acts as its ceiling: 1.3 needs 2 contacts). With
    ``fit_decay``, the monthly lapsing probability is uniform on [0, 0.2]; first-adoption times
    say little about lapsing, and the output says so when the posterior is as wide as this prior.

    Examples
    --------
    >>> [p.name for p in default_priors("complex", fit_decay=True)]
    ['beta', 'alpha', 'threshold', 'decay']
    """
    if model not in MODELS:
        raise ConfigError(f"model must be one of {', '.join(MODELS)}, got {model!r}")
    priors = [ParameterPrior("beta", 1e-4, 1.0, log=True),
              ParameterPrior("alpha", 1e-5, 0.2, log=True)]
    if model == "complex":
        if threshold_kind == "fraction":
            priors.append(ParameterPrior("threshold", 0.0, 1.0))
        elif threshold_kind == "count":
            priors.append(ParameterPrior("threshold", 1.0, 5.0))
        else:
            raise ConfigError(
                f"threshold kind must be 'fraction' or 'count', got {threshold_kind!r}")
    if fit_decay:
        priors.append(ParameterPrior("decay", 0.0, 0.2))
    return tuple(priors)
