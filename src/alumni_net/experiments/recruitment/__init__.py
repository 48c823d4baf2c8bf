"""Who to recruit: strategies for choosing a cohort from a candidate pool, under quotas.

Strategies are a registry (:mod:`.registry`): each is one module of this package defining
``STRATEGY`` (name, description for reports, what it needs, its settings and its pick function),
and :func:`recruit` dispatches through it; :func:`strategies` lists them, simplest first. Built
in: ``random`` (:mod:`.at_random`), ``degree``, ``betweenness``, ``bridging`` (one module each),
``reach`` (:mod:`.coverage`), ``influence`` (:mod:`.influence`) and ``list`` (:mod:`.listed`: the
people a scenario file names, in order). :func:`adds_nothing` asks a strategy which of its picks
add nothing beyond themselves to what it is for (its :class:`Exhaustion`).

>>> s = strategy("bridging")
>>> f"recruiting {s.description}", s.columns
('recruiting bridging people (ties across sectors and regions)', (('sector', 'region'),))

``betweenness`` is sampled (seeded) on large graphs; ``reach`` is greedy maximum coverage of the
people within three steps (exact sets) beyond what existing alumni already reach (see
:mod:`.coverage`); ``influence`` is greedy influence maximisation by simulated spread with lazy
(CELF) evaluation on live-edge samples of the contagion model with common random numbers (see
:mod:`.influence`).

Every strategy honours the :class:`Quotas` exactly (a pick is allowed only if the cohort can still
be completed: greedy over the partition matroids of sectors and regions, with places reserved for
people who use services; see :mod:`.quotas` for the rounding), never picks an excluded person,
breaks ties between equal scores by a seeded random order, and gives the same picks for the same
seed at any number of threads (a contract test runs over every registered strategy). Without
quotas the two greedy strategies are within (1 - 1/e) of the best cohort for their objective (on
the samples, for ``influence``; Nemhauser, Wolsey & Fisher 1978); under sector or region quotas
alone (a matroid) within 1/2 (Fisher, Nemhauser & Wolsey 1978); under both together no bound is
claimed.

References
----------
Nemhauser, G. L., Wolsey, L. A. & Fisher, M. L. (1978). An analysis of approximations for
maximizing submodular set functions - I. Mathematical Programming 14(1), 265-294.
https://doi.org/10.1007/BF01588971

Fisher, M. L., Nemhauser, G. L. & Wolsey, L. A. (1978). An analysis of approximations for
maximizing submodular set functions - II. Mathematical Programming Studies 8, 73-87.
https://doi.org/10.1007/BFb0121195
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

import numpy as np

from alumni_net.core.rng import SeedLike, as_seed_sequence
from alumni_net.errors import ConfigError
from alumni_net.experiments.recruitment import registry
from alumni_net.experiments.recruitment._pool import child_seed, make_pool, networkx_graph
from alumni_net.experiments.recruitment.quotas import Quotas, apportion, diagnose
from alumni_net.experiments.recruitment.registry import (
    Exhaustion,
    Request,
    Setting,
    Strategy,
    fallbacks,
    strategies,
    strategy,
    strategy_names,
)
from alumni_net.vocabulary import DEFAULT_INFLUENCE, Influence, check_influence

if TYPE_CHECKING:
    import networkx as nx
    import pandas as pd

    from alumni_net.abm.params import ContagionParams
    from alumni_net.io import Dataset

__all__ = [
    "STRATEGIES",
    "Exhaustion",
    "Quotas",
    "Request",
    "Setting",
    "Strategy",
    "adds_nothing",
    "apportion",
    "check_quotas_feasible",
    "fallbacks",
    "networkx_graph",
    "recruit",
    "strategies",
    "strategy",
    "strategy_names",
    "trained",
]

#: Names of the registered strategies, in the order reports list them.
STRATEGIES = strategy_names()


def recruit(people: pd.DataFrame, graph: nx.Graph | Dataset, k: int, *, strategy: str = "random",
            candidates: Iterable[Hashable] | None = None, quotas: Quotas | None = None,
            exclude: Iterable[Hashable] = (), rng: SeedLike = None,
            params: ContagionParams | None = None, settings: Mapping[str, Any] | None = None,
            horizon_months: int = 60, influence: Influence = DEFAULT_INFLUENCE,
            lazy: bool = True) -> list:
    """Choose ``k`` recruits from the candidate pool by ``strategy``, meeting ``quotas`` exactly.

    Parameters
    ----------
    people : DataFrame
        One row per person: ``person_id``; ``is_alum`` (default pool: people not yet alumni),
        ``sector`` and ``region`` (needed by quotas and by ``bridging``).
    graph : networkx graph or Dataset
        The current network (people as nodes).
    k : int
        Number of recruits.
    strategy : one of :data:`STRATEGIES`
    candidates : iterable of person ids, optional
        The pool (default: everyone not yet an alum).
    quotas : Quotas, optional
        Composition the recruits must have.
    exclude : iterable of person ids
        Never picked (e.g. people already trained).
    rng : int, SeedSequence, Generator or None
        Seed of the tie-break order and of the strategy's own draws (betweenness sampling, the
        influence samples).
    params : ContagionParams, optional
        Model behind strategies that simulate spread (``influence``; defaults when None).
    settings : mapping, optional
        The strategy's own settings (e.g. ``{"replicates": 100}`` for ``influence``: live-edge
        samples); see ``strategy(name).settings``. ConfigError for one it does not take.
    horizon_months : int
        Months of spread counted by strategies that simulate it.
    influence : str
        Direction influence travels on directed ties (see :mod:`alumni_net.vocabulary`).
    lazy : bool
        Lazy (CELF) greedy for ``reach`` and ``influence`` (default); False re-evaluates every
        candidate every round (same picks, for tests and benchmarks).

    ``reach`` and ``influence`` count what the recruits add to existing alumni (people flagged
    ``is_alum``) and to the ``exclude``d (already trained) people.

    Returns
    -------
    list of person ids, in pick order.

    Examples
    --------
    >>> import networkx as nx
    >>> import pandas as pd
    >>> G = nx.star_graph(4)
    >>> people = pd.DataFrame({"person_id": list(G)})
    >>> recruit(people, G, 1, strategy="degree", rng=0)
    [0]
    """
    chosen = registry.strategy(strategy)  # the argument ``strategy`` hides the function here
    resolved = chosen.resolve(settings)
    check_influence(influence)
    ss = as_seed_sequence(rng)
    pool = make_pool(people, k, candidates, quotas, exclude, child_seed(ss, 0))
    problem = diagnose(pool.plan)
    if problem:
        raise ConfigError(problem)
    request = Request(people=people, graph=graph, trained=trained(people, exclude), seed=ss,
                      params=params, horizon_months=horizon_months, influence=influence,
                      lazy=lazy, settings=resolved)
    picks = chosen.pick(pool, request)
    return [pool.ids[i] for i in picks]


def adds_nothing(people: pd.DataFrame, graph: nx.Graph | Dataset, picks: Iterable[Hashable], *,
                 strategy: str = "random", exclude: Iterable[Hashable] = (),
                 settings: Mapping[str, Any] | None = None,
                 influence: Influence = DEFAULT_INFLUENCE) -> np.ndarray:
    """Which of ``picks`` (person ids, in pick order) add nothing beyond themselves to what
    ``strategy`` is for, given the alumni, the people in ``exclude`` (already trained) and the
    earlier picks: one bool per pick, all False for a strategy without an :class:`Exhaustion`.

    Examples
    --------
    >>> import networkx as nx
    >>> import pandas as pd
    >>> G = nx.Graph([(0, 1)])
    >>> G.add_node(2)
    >>> people = pd.DataFrame({"person_id": [0, 1, 2]})
    >>> adds_nothing(people, G, [0, 2], strategy="degree").tolist()
    [False, True]
    >>> adds_nothing(people, G, [1, 2], strategy="list", settings={"people": ["1"]}).tolist()
    [False, True]
    """
    chosen = registry.strategy(strategy)  # the argument ``strategy`` hides the function here
    picks = list(picks)
    if chosen.exhaustion is None or not picks:
        return np.zeros(len(picks), dtype=bool)
    request = Request(people=people, graph=graph, trained=trained(people, exclude),
                      seed=as_seed_sequence(0), params=None, horizon_months=0,
                      influence=check_influence(influence), lazy=True,
                      settings=chosen.resolve(settings))
    return np.asarray(chosen.exhaustion.flags(picks, request), dtype=bool)


def trained(people: pd.DataFrame, exclude: Iterable[Hashable] = ()) -> list:
    """Existing alumni (``is_alum``) and the excluded (already trained) people."""
    alumni = []
    if "is_alum" in people.columns:
        alumni = people.loc[people["is_alum"].fillna(False).astype(bool), "person_id"].tolist()
    return list(dict.fromkeys([*alumni, *exclude]))


def check_quotas_feasible(people: pd.DataFrame, candidates: Iterable[Hashable] | None, k: int,
                          quotas: Quotas | None) -> None:
    """Raise ConfigError naming the quota that the candidate pool cannot fill.

    Examples
    --------
    >>> import pandas as pd
    >>> people = pd.DataFrame({"person_id": [1, 2, 3], "sector": ["health", "health", "private"]})
    >>> only_private = Quotas(sector={"private": 1.0})
    >>> check_quotas_feasible(people, None, 2, only_private)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    alumni_net.errors.ConfigError: the sector quota needs 2 of 2 places from 'private' but ... has 1
    """
    pool = make_pool(people, k, candidates, quotas, (), 0)
    problem = diagnose(pool.plan)
    if problem:
        raise ConfigError(problem)
