"""The contract every registered recruitment strategy keeps, run over the registry itself: a new
strategy module is checked here without this file changing.

Every strategy, with its quick settings: picks ``k`` distinct candidates, never an excluded
person or an alum; meets the quotas exactly, or is refused exactly when brute force finds no
cohort that meets them; gives the same picks for the same seed at any number of threads; runs
with only what it declares it needs (no graph when it reads no ties, no people columns beyond
the ones it names); and has a description the reports can put after "recruiting".
"""

from __future__ import annotations

import importlib
import itertools
import pkgutil

import networkx as nx
import numba
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import alumni_net.experiments.recruitment as recruitment
from alumni_net.abm import ContagionParams
from alumni_net.errors import ConfigError
from alumni_net.experiments.recruitment import (
    STRATEGIES,
    Quotas,
    Strategy,
    adds_nothing,
    recruit,
    strategies,
    strategy,
)
from alumni_net.experiments.recruitment._pool import make_pool
from alumni_net.experiments.recruitment.quotas import REST, diagnose

USERS = "people_who_use_services"
REGISTERED = strategies()
NAMES = [s.name for s in REGISTERED]
PARAMS = ContagionParams(beta=0.3)


def pick(s: Strategy, people, graph, k, **kwargs) -> list:
    return recruit(people, graph, k, strategy=s.name, settings=s.quick_settings(people),
                   params=PARAMS, horizon_months=12, **kwargs)


# --- the registry ------------------------------------------------------------------------------


def test_the_registry_holds_every_strategy_module_and_nothing_else():
    found = []
    for info in pkgutil.iter_modules(recruitment.__path__):
        module = importlib.import_module(f"{recruitment.__name__}.{info.name}")
        if isinstance(getattr(module, "STRATEGY", None), Strategy):
            found.append(module.STRATEGY.name)
    assert sorted(found) == sorted(STRATEGIES) == sorted(NAMES)
    assert len(set(NAMES)) == len(NAMES)
    assert [s.rank for s in REGISTERED] == sorted(s.rank for s in REGISTERED)
    assert len({s.rank for s in REGISTERED}) == len(REGISTERED)


def test_the_built_in_strategies_keep_their_order():
    seven = ["random", "degree", "betweenness", "bridging", "reach", "influence", "list"]
    assert [n for n in NAMES if n in seven] == seven


@pytest.mark.parametrize("s", REGISTERED, ids=NAMES)
def test_descriptions_read_after_recruiting_and_settings_check_their_defaults(s):
    assert s.description and s.description == s.description.strip()
    assert s.description[0].islower() and not s.description.endswith(".")
    defaults = s.resolve({})
    assert defaults == {name: setting.default for name, setting in s.settings.items()}
    assert s.resolve(defaults) == defaults  # every default passes its own check
    for name, setting in s.settings.items():
        assert setting.help, name
    with pytest.raises(ConfigError, match=f"the {s.name} strategy "):
        s.resolve({"no_such_setting": 1})


def test_unknown_names_and_settings_are_one_sentence():
    with pytest.raises(ConfigError, match="unknown recruitment strategy 'degre'; choose one of "
                                          + ", ".join(STRATEGIES)):
        strategy("degre")
    with pytest.raises(ConfigError, match="the influence strategy has no setting 'replicate' "
                                          r"\(did you mean 'replicates'\?\)"):
        recruit(pd.DataFrame({"person_id": [0, 1]}), nx.path_graph(2), 1, strategy="influence",
                settings={"replicate": 5})
    with pytest.raises(ConfigError, match="the degree strategy takes no settings, got "
                                          "'replicates'"):
        recruit(pd.DataFrame({"person_id": [0, 1]}), nx.path_graph(2), 1, strategy="degree",
                settings={"replicates": 5})


# --- what every strategy does --------------------------------------------------------------------

graphs = st.builds(
    lambda n, p, seed, directed: nx.gnp_random_graph(n, p, seed=seed, directed=directed),
    st.integers(2, 10), st.floats(0.1, 0.5), st.integers(0, 10_000), st.booleans())


@pytest.mark.parametrize("s", REGISTERED, ids=NAMES)
@settings(max_examples=15, deadline=None)
@given(G=graphs, seed=st.integers(0, 2**31), data=st.data())
def test_k_distinct_candidates_never_excluded_nor_alumni(s, G, seed, data):
    nodes = list(G)
    alumni = data.draw(st.lists(st.sampled_from(nodes), unique=True, max_size=2))
    exclude = data.draw(st.lists(st.sampled_from(nodes), unique=True, max_size=3))
    free = [v for v in nodes if v not in alumni and v not in exclude]
    k = data.draw(st.integers(0, len(free)))
    people = pd.DataFrame({"person_id": nodes, "is_alum": [v in alumni for v in nodes],
                           "sector": ["a", "b"] * (len(nodes) // 2) + ["a"] * (len(nodes) % 2)})
    picks = pick(s, people, G, k, exclude=exclude, rng=seed)
    assert len(picks) == len(set(picks)) == k
    assert set(picks) <= set(free)


def meets(sub, sector, region, q: Quotas, k: int) -> bool:
    """Brute-force reading of the quotas: exact counts per named part, reserved places for
    people who use services on top of their own sector part's places."""
    m = q.min_service_users
    if sum(sector[i] == USERS for i in sub) < m:
        return False
    for labels, places, extra in ((sector, q.sector_places(k), m),
                                  (region, q.region_places(k), 0)):
        if places is None:
            continue
        got = dict.fromkeys(places, 0)
        for i in sub:
            got[labels[i] if labels[i] in places else REST] += 1
        users_part = USERS if USERS in places else REST
        for part, n in places.items():
            if got[part] != n + (extra if labels is sector and part == users_part else 0):
                return False
    return True


share = st.sampled_from([0.0, 0.25, 0.34, 0.5, 0.75, 1.0])


@st.composite
def quota_cases(draw):
    n = draw(st.integers(1, 8))
    sector = draw(st.lists(st.sampled_from(["a", "b", USERS]), min_size=n, max_size=n))
    region = draw(st.lists(st.sampled_from(["x", "y", "z"]), min_size=n, max_size=n))
    k = draw(st.integers(0, min(n, 4)))
    sec = draw(st.none() | st.dictionaries(st.sampled_from(["a", "b", USERS, "c"]), share,
                                          max_size=2))
    reg = draw(st.none() | st.dictionaries(st.sampled_from(["x", "y", "w"]), share, max_size=2))
    if sec is not None and sum(sec.values()) > 1:
        sec = None
    if reg is not None and sum(reg.values()) > 1:
        reg = None
    m = draw(st.integers(0, 2))
    return sector, region, k, Quotas(sector=sec, region=reg, min_service_users=m)


@pytest.mark.parametrize("s", REGISTERED, ids=NAMES)
@settings(max_examples=20, deadline=None)
@given(case=quota_cases(), seed=st.integers(0, 2**32 - 1))
def test_quotas_are_met_exactly_or_refused_like_brute_force(s, case, seed):
    sector, region, k, quotas = case
    n = len(sector)
    G = nx.gnp_random_graph(n, 0.4, seed=seed % 1000)
    people = pd.DataFrame({"person_id": range(n), "sector": sector, "region": region})
    possible = any(meets(sub, sector, region, quotas, k)
                   for sub in itertools.combinations(range(n), k))
    assert (diagnose(make_pool(people, k, None, quotas, (), 0).plan) is None) == possible
    if not possible:
        with pytest.raises(ConfigError):
            pick(s, people, G, k, quotas=quotas, rng=seed)
        return
    picks = pick(s, people, G, k, quotas=quotas, rng=seed)
    assert len(picks) == len(set(picks)) == k
    assert meets(picks, sector, region, quotas, k)


@pytest.mark.parametrize("s", REGISTERED, ids=NAMES)
def test_the_same_seed_gives_the_same_picks_at_any_number_of_threads(s):
    G = nx.connected_watts_strogatz_graph(80, 4, 0.2, seed=1)
    people = pd.DataFrame({"person_id": list(G), "sector": [f"s{i % 3}" for i in G],
                           "region": [f"r{i % 4}" for i in G]})
    quotas = Quotas(sector={"s0": 0.5}, region={"r1": 0.25})
    before = numba.get_num_threads()
    try:
        runs = []
        for threads in (1, before, 1):
            numba.set_num_threads(threads)
            runs.append(pick(s, people, G, 8, quotas=quotas, rng=2024))
    finally:
        numba.set_num_threads(before)
    assert runs[0] == runs[1] == runs[2]
    assert len(set(runs[0])) == 8


@pytest.mark.parametrize("s", REGISTERED, ids=NAMES)
def test_a_strategy_runs_with_only_what_it_declares_it_needs(s):
    G = nx.karate_club_graph()
    people = pd.DataFrame({"person_id": list(G)})
    for alternatives in s.columns:  # the first of each alternative it names, nothing else
        people[alternatives[0]] = [f"g{i % 3}" for i in G]
    assert s.problems(people, s.quick_settings(people)) == []
    picks = pick(s, people, G if s.needs_network else None, 4, rng=7)
    assert len(set(picks)) == 4
    if s.columns:  # without them: a sentence naming the strategy and the column
        bare = pd.DataFrame({"person_id": list(G)})
        assert any(f"the {s.name} strategy needs" in p for p in s.problems(bare))


@pytest.mark.parametrize("s", REGISTERED, ids=NAMES)
def test_picks_that_add_nothing_are_flagged_one_per_pick(s):
    # Two triangles and six isolated people: the isolated add nothing to a strategy that reads
    # ties, people past its names nothing to a list; random never says.
    G = nx.disjoint_union(nx.complete_graph(3), nx.complete_graph(3))
    G.add_nodes_from(range(6, 12))
    people = pd.DataFrame({"person_id": list(G), "sector": ["a", "b", "a", "b", "a", "b"]
                           + ["a"] * 6})
    settings = s.quick_settings(people)
    picks = pick(s, people, G if s.needs_network else None, 12, rng=5)
    flags = adds_nothing(people, G, picks, strategy=s.name, settings=settings)
    assert flags.dtype == bool and len(flags) == len(picks) == 12
    if s.exhaustion is None:
        assert not flags.any()
        return
    assert s.exhaustion.reason and s.exhaustion.reason == s.exhaustion.reason.strip()
    if s.exhaustion.named is not None:  # a list: exactly the picks past the names
        named = set(s.exhaustion.named(people, s.resolve(settings)))
        assert flags.tolist() == [p not in named for p in picks]
    else:  # people with no tie add nothing to a strategy that reads ties
        assert flags[[p >= 6 for p in picks]].all()


@pytest.fixture(scope="module")
def programme():
    from alumni_net.synth import synthesize

    return synthesize(n_people=1_500, n_cohorts=3, seed=2)


@pytest.mark.parametrize("s", REGISTERED, ids=NAMES)
def test_every_strategy_on_a_synthetic_programme_under_three_quotas(programme, s):
    people = programme.people
    alumni = set(people.loc[people["is_alum"], "person_id"])
    exclude = people.loc[~people["is_alum"], "person_id"].iloc[:50].tolist()
    quotas = Quotas(sector={"health": 0.5, "voluntary": 0.25}, region={"london": 0.25},
                    min_service_users=2)
    picks = recruit(people, programme, 26, strategy=s.name, quotas=quotas, exclude=exclude,
                    rng=11, params=ContagionParams(beta=0.05), horizon_months=24,
                    settings=s.quick_settings(people))
    assert len(set(picks)) == 26
    assert not set(picks) & (alumni | set(exclude))
    chosen = people.set_index("person_id").loc[picks]
    assert (chosen["sector"] == USERS).sum() >= 2
    assert (chosen["sector"] == "health").sum() == 12  # half of the 24 places left
    assert (chosen["sector"] == "voluntary").sum() == 6
    assert (chosen["region"] == "london").sum() == 7  # a quarter of 26, rounded up
    again = recruit(people, programme, 26, strategy=s.name, quotas=quotas, exclude=exclude,
                    rng=11, params=ContagionParams(beta=0.05), horizon_months=24,
                    settings=s.quick_settings(people))
    assert picks == again
