"""The registry of recruitment strategies: one module per strategy, found by itself.

A strategy is a public module of this package that defines ``STRATEGY = Strategy(...)``: its name
(the word a scenario file and the dashboard use), a description for reports, what it needs (the
network, people columns, the contagion model's parameters), the settings a scenario file may
give it in ``[recruitment]``, and its pick function. Nothing else lists strategies:
:func:`~alumni_net.experiments.recruitment.recruit` dispatches through the registry, the scenario
parser checks names and settings against it, the dashboard offers its names, and the reports read
its descriptions. Adding a strategy is one module and its test; a contract test runs over every
registered strategy (quotas met exactly, nobody excluded picked, ``k`` distinct candidates, the
same picks for the same seed at any number of threads).

A strategy that can run out of people worth picking says how to tell them (:class:`Exhaustion`):
``reach`` keeps filling places once everyone reachable is reached, ``list`` once its names run
out. The scenarios flag such picks through :func:`~alumni_net.experiments.recruitment.adds_nothing`
and keep, replace or stop on them as a scenario file says; a new strategy brings its own test.

A pick function receives the candidate :class:`~._pool.Pool` (ids in a fixed order, the quota
plan, a seeded tie-break rank, ``k``) and a :class:`Request`, and returns the pool positions of
its picks in pick order. It must ask ``pool.plan.allows(i)`` before each pick and call
``pool.plan.pick(i)`` after it (:func:`~.scores.pick_by_score` and the greedy helpers do), so
that every strategy honours the quotas the same way. Its random numbers come from
``request.child(key)``, a key of its own (0 is the tie-break rank).

Examples
--------
>>> {"random", "degree", "reach", "influence"} <= set(strategy_names())
True
>>> strategy("reach").description
'for the greatest three-degree reach'
>>> strategy("influence").resolve({"replicates": 20})
{'replicates': 20}
"""

from __future__ import annotations

import difflib
import functools
import importlib
import pkgutil
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import networkx as nx
import numpy as np
import pandas as pd

from alumni_net.errors import ConfigError
from alumni_net.experiments.recruitment._pool import Pool, child_seed, networkx_graph
from alumni_net.vocabulary import Influence

if TYPE_CHECKING:
    from alumni_net.abm.params import ContagionParams
    from alumni_net.io import Dataset

__all__ = ["Exhaustion", "Request", "Setting", "Strategy", "fallbacks", "strategies", "strategy",
           "strategy_names"]


@dataclass(frozen=True)
class Setting:
    """A setting a strategy takes (``[recruitment]`` keys of a scenario file).

    ``check(name, value)`` returns the value to use or raises ConfigError with one sentence.
    """

    default: Any
    check: Callable[[str, Any], Any]
    help: str


@dataclass(frozen=True)
class Request:
    """What a pick function is given besides the pool."""

    people: pd.DataFrame
    graph: nx.Graph | Dataset  # the network as recruit() was given it
    trained: list  # existing alumni and the excluded (already trained): covered already
    seed: np.random.SeedSequence  # the recruitment's seed; see child()
    params: ContagionParams | None  # None: the model's defaults
    horizon_months: int
    influence: Influence
    lazy: bool
    settings: Mapping[str, Any]

    def child(self, key: int) -> np.random.SeedSequence:
        """The strategy's own seed (key 0 is the pool's tie-break rank)."""
        return child_seed(self.seed, key)

    def network(self) -> nx.Graph:
        """The network as a networkx graph."""
        return networkx_graph(self.graph)


@dataclass(frozen=True)
class Exhaustion:
    """How a strategy tells the picks that add nothing beyond themselves to what it is for.

    Parameters
    ----------
    reason : str
        What such picks lack, as a sentence continues "12 of 260 recruits picked by 'degree'
        ...": e.g. ``"have no ties"``.
    flags : callable
        ``flags(picks, request) -> bool array``, one per pick in pick order: whether it adds
        nothing, given the people already trained (``request.trained``) and the earlier picks.
    named : callable, optional
        ``named(people, settings) -> person ids``, for a strategy that names the people it values
        in advance (a list): with more places than them, a scenario file must say what fills the
        rest, and such a strategy is never a fallback (it runs out too).
    """

    reason: str
    flags: Callable[[list, Request], np.ndarray]
    named: Callable[[pd.DataFrame, Mapping[str, Any]], list] | None = None


@dataclass(frozen=True)
class Strategy:
    """One recruitment strategy.

    Parameters
    ----------
    name : str
        The word scenario files, the dashboard and ``recruit(strategy=...)`` use.
    description : str
        How reports say it, after "recruiting": e.g. ``"for the greatest three-degree reach"``.
    pick : callable
        ``pick(pool, request) -> list of pool positions``, in pick order.
    rank : int
        Place in lists (reports, choices, messages): simpler strategies first.
    needs_network : bool
        Whether it reads the ties (``random`` does not, so no graph is built for it).
    columns : tuple of tuples of str
        People columns it reads; each entry is satisfied by any one of its columns.
    uses_model : bool
        Whether its picks depend on the contagion model's parameters.
    settings : mapping of name to Setting
        What a scenario file may set in ``[recruitment]`` for this strategy.
    quick : mapping, or callable of the people table
        Settings for a quick look (the dashboard, the contract test): the same method with less
        work; a callable for settings that depend on the people (e.g. a list naming some).
    check_people : callable, optional
        ``check_people(people, settings) -> list of sentences``: problems with the data beyond
        missing columns (e.g. named people who are not in it).
    exhaustion : Exhaustion, optional
        How to tell its picks that add nothing beyond themselves; None when every pick adds
        something (``random``).
    """

    name: str
    description: str
    pick: Callable[[Pool, Request], list[int]]
    rank: int
    needs_network: bool = True
    columns: tuple[tuple[str, ...], ...] = ()
    uses_model: bool = False
    settings: Mapping[str, Setting] = field(default_factory=dict)
    quick: Mapping[str, Any] | Callable[[pd.DataFrame], Mapping[str, Any]] = field(
        default_factory=dict)
    check_people: Callable[[pd.DataFrame, Mapping[str, Any]], list[str]] | None = None
    exhaustion: Exhaustion | None = None

    def resolve(self, given: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """Every setting's value: ``given`` checked, defaults for the rest (ConfigError naming
        an unknown setting or a bad value)."""
        given = dict(given or {})
        for key in given:
            if key not in self.settings:
                raise ConfigError(self.unknown(key))
        return {name: s.check(name, given[name]) if name in given else s.default
                for name, s in self.settings.items()}

    def unknown(self, key: str) -> str:
        """The sentence for a setting this strategy does not take."""
        names = list(self.settings)
        if not names:
            return f"the {self.name} strategy takes no settings, got {key!r}"
        hint = difflib.get_close_matches(key, names, n=1)
        mean = f" (did you mean {hint[0]!r}?)" if hint else ""
        return (f"the {self.name} strategy has no setting {key!r}{mean}; its settings are "
                f"{', '.join(names)}")

    def quick_settings(self, people: pd.DataFrame) -> dict[str, Any]:
        """:attr:`quick` for ``people``."""
        return dict(self.quick(people) if callable(self.quick) else self.quick)

    def problems(self, people: pd.DataFrame, settings: Mapping[str, Any] | None = None
                 ) -> list[str]:
        """What stops this strategy from running on ``people``: one sentence each."""
        out = []
        for alternatives in self.columns:
            if not any(c in people.columns for c in alternatives):
                wanted = " or ".join(repr(c) for c in alternatives)
                out.append(f"the {self.name} strategy needs a {wanted} column in the people "
                           "table")
        if self.check_people is not None and not out:
            out += self.check_people(people, self.resolve(settings))
        return out


@functools.cache
def _registry() -> dict[str, Strategy]:
    import alumni_net.experiments.recruitment as package

    found: dict[str, Strategy] = {}
    for info in pkgutil.iter_modules(package.__path__):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        s = getattr(module, "STRATEGY", None)
        if isinstance(s, Strategy):
            if s.name in found:
                raise RuntimeError(f"two recruitment strategies are named {s.name!r}")
            found[s.name] = s
    return dict(sorted(found.items(), key=lambda item: (item[1].rank, item[0])))


def strategies() -> tuple[Strategy, ...]:
    """Every registered strategy, in the order lists show them."""
    return tuple(_registry().values())


def strategy_names() -> tuple[str, ...]:
    """The names of :func:`strategies`."""
    return tuple(_registry())


def fallbacks() -> tuple[str, ...]:
    """Strategies that can fill any number of places: those that do not name their people in
    advance (a list runs out of names), in the order lists show them."""
    return tuple(s.name for s in strategies()
                 if s.exhaustion is None or s.exhaustion.named is None)


def strategy(name: str) -> Strategy:
    """The strategy called ``name`` (ConfigError naming the choices otherwise)."""
    registry = _registry()
    if name not in registry:
        raise ConfigError(f"unknown recruitment strategy {name!r}; choose one of "
                          f"{', '.join(registry)}")
    return registry[name]
