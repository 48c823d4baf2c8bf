"""Priors of the fitted parameters: uniform on a stated range, on a log or linear scale; the
models compared and the background they share.

The sampler works on the *sampling scale* (log10 for rates spanning orders of magnitude, the value
itself otherwise), where every prior is uniform on a box; quantiles map back monotonically.

Three models are compared (:data:`MODELS`): adoption from a background alone (``no_contagion``:
beta fixed at 0), simple contagion and complex contagion (a threshold of contacts). All three
share the background (:class:`Background`): one constant monthly rate ``alpha``, or a
piecewise-constant rate over periods of months and by group (one prior per block of periods and
groups; the engine's rule is :func:`alumni_net.abm.rules.background_rates`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TypedDict

import numpy as np
from numpy.typing import ArrayLike

from alumni_net.errors import ConfigError

__all__ = ["CONTAGION_MODELS", "FIXED", "MODELS", "Background", "ParameterPrior",
           "default_priors", "model_values"]

#: The models compared: no contagion (background adoption alone: a common trend, marketing, a
#: schedule), simple contagion (one practising contact can pass the practice on) and complex
#: contagion (a share or count of contacts must practise first; Centola 2010).
MODELS = ("no_contagion", "simple", "complex")
#: The models in which adoption can pass along ties.
CONTAGION_MODELS = ("simple", "complex")
#: What each model fixes instead of fitting it.
FIXED = {"no_contagion": {"beta": 0.0, "threshold": 0.0}, "simple": {"threshold": 0.0},
         "complex": {}}


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

    def to_value(self, u: ArrayLike) -> np.ndarray:
        """Sampling scale -> parameter value."""
        return np.power(10.0, u) if self.log else np.asarray(u, dtype=float)

    def to_sampling(self, value: ArrayLike) -> np.ndarray:
        """Parameter value -> sampling scale."""
        return np.log10(value) if self.log else np.asarray(value, dtype=float)

    def describe(self) -> str:
        scale = "log-uniform" if self.log else "uniform"
        return f"{scale} on [{self.low:g}, {self.high:g}]"


class BackgroundFields(TypedDict, total=False):
    """The :class:`~alumni_net.abm.ContagionParams` fields a :class:`Background` sets."""

    alpha: float
    background_breaks: tuple[int, ...]
    background_by: str | None
    background_groups: tuple[str, ...]
    background_rates: tuple[float, ...]


@dataclass(frozen=True)
class Background:
    """Background (spontaneous) adoption: one monthly rate per block of periods and groups.

    A block is a stretch of model months (starting at 0 and at each of ``breaks``) within one
    group (each of ``groups``: the values of the people column ``by``, or everyone). Each
    block's rate has its own prior, log-uniform on [``low``, ``high``]. With one block (the
    default: no breaks, no groups) the rate is the model's ``alpha``; with more, the parameters
    are ``alpha[0]``, ``alpha[1]``, ... in block order (periods within groups), the model's
    ``background_rates`` (:func:`alumni_net.abm.rules.background_rates`).

    Examples
    --------
    >>> Background().names
    ('alpha',)
    >>> b = Background(breaks=(12,), groups=("a", "b"), by="village")
    >>> b.names
    ('alpha[0]', 'alpha[1]', 'alpha[2]', 'alpha[3]')
    >>> b.fields({"alpha[0]": 0.1, "alpha[1]": 0.2, "alpha[2]": 0.3, "alpha[3]": 0.4})
    ... # doctest: +NORMALIZE_WHITESPACE
    {'background_breaks': (12,), 'background_by': 'village', 'background_groups': ('a', 'b'),
     'background_rates': (0.1, 0.2, 0.3, 0.4)}
    """

    breaks: tuple[int, ...] = ()
    groups: tuple[str, ...] = ()
    low: float = 1e-5
    high: float = 1.0
    by: str | None = None

    def __post_init__(self) -> None:
        if any(int(b) != b or b <= 0 for b in self.breaks) or list(self.breaks) != sorted(
                set(self.breaks)):
            raise ConfigError(f"background breaks must be increasing whole months > 0, got "
                              f"{self.breaks!r}")
        ParameterPrior("alpha", self.low, self.high, log=True)  # checks the range
        if bool(self.groups) != (self.by is not None):
            raise ConfigError("a background by group needs both the column (by) and its groups")

    @property
    def n_blocks(self) -> int:
        return (len(self.breaks) + 1) * max(1, len(self.groups))

    @property
    def names(self) -> tuple[str, ...]:
        if self.n_blocks == 1:
            return ("alpha",)
        return tuple(f"alpha[{i}]" for i in range(self.n_blocks))

    def priors(self) -> tuple[ParameterPrior, ...]:
        return tuple(ParameterPrior(n, self.low, self.high, log=True) for n in self.names)

    def fields(self, values: dict[str, float]) -> BackgroundFields:
        """The model parameters these background values set (``alpha`` for one block)."""
        if self.n_blocks == 1:
            return {"alpha": float(values["alpha"])}
        return {"background_breaks": tuple(self.breaks), "background_by": self.by,
                "background_groups": tuple(self.groups),
                "background_rates": tuple(float(values[n]) for n in self.names)}

    def describe(self, months_per_period: int = 1) -> str:
        """One sentence: what the background is (for summaries)."""
        if self.n_blocks == 1:
            return "one constant monthly rate (alpha) for everyone"
        parts = []
        if self.breaks:
            starts = [0, *self.breaks]
            parts.append(f"{len(starts)} periods (starting at model months "
                         f"{', '.join(str(b) for b in starts)}; "
                         f"{months_per_period} model month(s) a period of the data)")
        if self.groups:
            parts.append(f"each of the {len(self.groups)} groups of '{self.by}' its own")
        return ("a piecewise-constant monthly rate: " + "; ".join(parts)
                + f" ({self.n_blocks} rates, alpha[0] ... alpha[{self.n_blocks - 1}], periods "
                "within groups)")


def default_priors(model: str, *, threshold_kind: str = "fraction", fit_decay: bool = False,
                   background: Background | None = None) -> tuple[ParameterPrior, ...]:
    """The priors of ``model`` (one of :data:`MODELS`).

    beta (monthly transmission along a tie of weight 1) is log-uniform on [1e-4, 1]; the
    background (monthly spontaneous adoption, :class:`Background`) log-uniform on [1e-5, 1]:
    both cover every plausible order of magnitude (a background of 0.1 a month, which the
    physicians' data reach, must lie well inside the prior, not against its bound). The
    no-contagion model fixes beta at 0 and fits the background alone. The complex model adds
    the threshold: uniform on [0, 1] as a share of contacts, or on [1, 5] as a count (a count
    threshold acts as its ceiling: 1.3 needs 2 contacts). With ``fit_decay``, the monthly
    lapsing probability is uniform on [0, 0.2]; first-adoption times say little about lapsing,
    and the output says so when the posterior is as wide as this prior.

    References
    ----------
    Centola, D., & Macy, M. (2007). Complex contagions and the weakness of long ties. American
    Journal of Sociology 113(3), 702-734. https://doi.org/10.1086/521848

    Centola, D. (2010). The spread of behavior in an online social network experiment. Science
    329(5996), 1194-1197. https://doi.org/10.1126/science.1185231

    Examples
    --------
    >>> [p.name for p in default_priors("complex", fit_decay=True)]
    ['beta', 'alpha', 'threshold', 'decay']
    >>> [p.name for p in default_priors("no_contagion")]
    ['alpha']
    """
    if model not in MODELS:
        raise ConfigError(f"model must be one of {', '.join(MODELS)}, got {model!r}")
    background = background or Background()
    priors = [] if model == "no_contagion" else [ParameterPrior("beta", 1e-4, 1.0, log=True)]
    priors += background.priors()
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


def model_values(model: str, priors: tuple[ParameterPrior, ...], values: np.ndarray,
                 names: tuple[str, ...]) -> np.ndarray:
    """Rows of ``values`` (natural scale, one column per prior of ``model``) as rows over
    ``names`` (every field any compared model fits), with the model's fixed fields filled in.

    Examples
    --------
    >>> priors = default_priors("no_contagion")
    >>> model_values("no_contagion", priors, np.array([[0.01]]), ("beta", "alpha", "threshold"))
    array([[0.  , 0.01, 0.  ]])
    """
    given = {p.name: i for i, p in enumerate(priors)}
    out = np.zeros((len(values), len(names)))
    for j, name in enumerate(names):
        if name in given:
            out[:, j] = values[:, given[name]]
        elif name in FIXED[model]:
            out[:, j] = FIXED[model][name]
        else:
            raise ConfigError(f"the {model} model neither fits nor fixes {name}")
    return out
