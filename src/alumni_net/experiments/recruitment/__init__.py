"""Who to recruit: strategies for choosing a cohort from a candidate pool, under quotas.

Strategies (:data:`STRATEGIES`):

``random``
    A seeded random choice.
``degree``
    The most connected: most people influenced directly.
``betweenness``
    Highest betweenness (sampled sources on large graphs, seeded).
``bridging``
    Ties that reach the most other sectors and regions.
``reach``
    Greatest marginal three-degree reach: greedy maximum coverage of the people within three
    steps (exact sets), beyond what existing alumni already reach.
``influence``
    Greedy influence maximisation by simulated spread with lazy (CELF) evaluation, on live-edge
    samples of the contagion model with common random numbers (see :mod:`.influence`).

Every strategy honours the :class:`Quotas` exactly (a pick is allowed only if the cohort can still
be completed: greedy over the partition matroids of sectors and regions, with places reserved for
people who use services; see :mod:`.quotas` for the rounding), never picks an excluded person,
breaks ties between equal scores by a seeded random order, and gives the same picks for the same
seed at any number of threads. Without quotas the two greedy strategies are within (1 - 1/e) of
the best cohort for their objective (on the samples, for ``influence``; Nemhauser, Wolsey &
Fisher 1978); under sector or region quotas alone (a matroid) within 1/2 (Fisher, Nemhauser &
Wolsey 1978); under both together no bound is claimed.
"""

from __future__ import annotations

from alumni_net.core.rng import SeedLike, as_seed_sequence
from alumni_net.errors import ConfigError
from alumni_net.experiments.recruitment._pool import child_seed, make_pool, networkx_graph
from alumni_net.experiments.recruitment.quotas import Quotas, apportion, diagnose
from alumni_net.experiments.recruitment.scores import (
    betweenness_scores,
    bridging_scores,
    degree_scores,
    pick_by_score,
)
from alumni_net.vocabulary import check_influence

__all__ = ["STRATEGIES", "Quotas", "apportion", "check_quotas_feasible", "recruit", "trained"]

#: Recruitment strategies, in the order reports list them.
STRATEGIES = ("random", "degree", "betweenness", "bridging", "reach", "influence")


def recruit(people, graph, k: int, *, strategy: str = "random", candidates=None,
            quotas: Quotas | None = None, exclude=(), rng: SeedLike = None, params=None,
            replicates: int = 100, horizon_months: int = 60,
            influence: str = "target_to_source", lazy: bool = True) -> list:
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
        Seed of the tie-break order, betweenness sampling and the influence samples.
    params : ContagionParams, optional
        Model behind ``influence`` (defaults when None).
    replicates : int
        Live-edge samples (common random numbers) for ``influence``.
    horizon_months : int
        Months of spread counted by ``influence``.
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
    if strategy not in STRATEGIES:
        raise ConfigError(f"unknown recruitment strategy {strategy!r}; choose one of "
                          f"{', '.join(STRATEGIES)}")
    check_influence(influence)
    ss = as_seed_sequence(rng)
    pool = make_pool(people, k, candidates, quotas, exclude, child_seed(ss, 0))
    problem = diagnose(pool.plan)
    if problem:
        raise ConfigError(problem)
    if strategy == "random":
        picks = pick_by_score(pool, [0.0] * pool.n)
    elif strategy == "degree":
        picks = pick_by_score(pool, degree_scores(networkx_graph(graph), pool.ids, influence))
    elif strategy == "betweenness":
        G = networkx_graph(graph)
        picks = pick_by_score(pool, betweenness_scores(G, pool.ids, child_seed(ss, 1)))
    elif strategy == "bridging":
        picks = pick_by_score(pool, bridging_scores(networkx_graph(graph), pool.ids, people))
    elif strategy == "reach":
        from alumni_net.experiments.recruitment.coverage import pick_by_reach

        picks = pick_by_reach(pool, _search_graph(graph), trained(people, exclude), influence,
                              lazy=lazy)
    else:
        from alumni_net.experiments.recruitment.influence import (
            LiveEdgeSample,
            pick_by_influence,
        )

        sample = LiveEdgeSample(graph, params=params, replicates=replicates,
                                horizon_months=horizon_months, influence=influence,
                                seed=child_seed(ss, 2), base=trained(people, exclude))
        picks = pick_by_influence(pool, sample, lazy=lazy)
    return [pool.ids[i] for i in picks]


def trained(people, exclude=()) -> list:
    """Existing alumni (``is_alum``) and the excluded (already trained) people."""
    alumni = []
    if "is_alum" in people.columns:
        alumni = people.loc[people["is_alum"].fillna(False).astype(bool), "person_id"].tolist()
    return list(dict.fromkeys([*alumni, *exclude]))


def _search_graph(graph):
    """What the reach searches accept: networkx graphs as they are, Datasets as igraph."""
    if hasattr(graph, "people") and hasattr(graph, "ties"):
        from alumni_net.graph import to_igraph

        return to_igraph(graph)
    return graph


def check_quotas_feasible(people, candidates, k: int, quotas: Quotas | None) -> None:
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
