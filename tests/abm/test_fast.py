"""Analytic oracles for the fast engine: the one-generation special case (independent cascade =
Reed-Frost SIR), background adoption, and exact first-transmission and lapse distributions
under hazards that change over time (tie kinds appearing, graduation, group reinforcement),
which check the event-driven draws against the monthly process they replace. The reference
engine is held to the fast one in test_reference.py."""

from functools import cache

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from scipy import optimize, stats

from alumni_net.abm import ContagionModel, ContagionParams, TopUp, build_network, simulate_once

N_REPS = 2000


def one_generation(p: float, horizon: int = 40) -> ContagionParams:
    """Practising lasts exactly one month and lapsed people cannot re-adopt."""
    return ContagionParams(horizon_months=horizon, beta=p, decay=1.0, readoption=0.0,
                           alpha=0.0, p_course=0.0, default_tie_weight=1.0)


def final_sizes(graph, params, seeds, n_reps, root=0):
    """Total ever-adopters (seeds included) for replicates root..root+n_reps-1."""
    net = build_network(graph)
    out = np.empty(n_reps, dtype=int)
    for r in range(n_reps):
        model = ContagionModel(net, params, rng=root + r, initial_adopters=seeds)
        model.run(until_quiet=True)
        out[r] = net.n - model.counts["unaware"]
    return out


def reed_frost_final_size(n: int, p: float) -> np.ndarray:
    """Exact distribution of the final size (1..n) of a Reed-Frost epidemic from 1 case."""
    @cache
    def dist(s: int, i: int) -> tuple[float, ...]:
        if i == 0:
            out = [0.0] * (n + 1)
            out[n - s] = 1.0
            return tuple(out)
        q = 1 - (1 - p) ** i
        total = np.zeros(n + 1)
        for k in range(s + 1):
            total += stats.binom.pmf(k, s, q) * np.array(dist(s - k, k))
        return tuple(total)

    return np.array(dist(n - 1, 1))[1:]


def test_reed_frost_exact_distribution_on_an_action_learning_set_k6():
    p = 0.3
    sizes = final_sizes(nx.complete_graph(6), one_generation(p), [0], N_REPS)
    expected = reed_frost_final_size(6, p) * N_REPS
    observed = np.bincount(sizes, minlength=7)[1:]
    assert expected.sum() == pytest.approx(N_REPS)
    assert stats.chisquare(observed, expected).pvalue > 0.001
    # and the test has power: the distribution for p = 0.35 is rejected
    wrong = reed_frost_final_size(6, 0.35) * N_REPS
    assert stats.chisquare(observed, wrong).pvalue < 0.001


def test_regular_tree_adopters_first_reached_at_distance_d():
    k, p, depth = 4, 0.4, 4
    tree = nx.Graph()
    frontier, nxt = [0], 1
    for d in range(depth):
        new = []
        for u in frontier:
            for _ in range(k if d == 0 else k - 1):
                tree.add_edge(u, nxt)
                new.append(nxt)
                nxt += 1
        frontier = new
    dist = nx.single_source_shortest_path_length(tree, 0)
    net = build_network(tree)
    by_d = np.zeros((N_REPS, depth + 1))
    params = one_generation(p)
    for r in range(N_REPS):
        model = ContagionModel(net, params, rng=r, initial_adopters=[0])
        model.run(until_quiet=True)
        for month, idx, _, _ in model.adoption_log:
            for i in idx.tolist():
                d = dist[int(net.ids[i])]
                assert d == month  # on a tree the cascade advances one level a month
                by_d[r, d] += 1
    for d in range(1, depth + 1):
        expected = k * (k - 1) ** (d - 1) * p**d
        se = by_d[:, d].std(ddof=1) / np.sqrt(N_REPS)
        assert abs(by_d[:, d].mean() - expected) < 4 * se, d


def test_erdos_renyi_final_share_matches_the_percolation_equation():
    n, c, p, n_graphs, per_graph = 2000, 3.0, 0.6, 40, 5
    s_star = optimize.brentq(lambda s: s - (1 - np.exp(-c * p * s)), 1e-6, 1.0)
    shares = np.empty((n_graphs, per_graph))
    for g_seed in range(n_graphs):
        g = nx.fast_gnp_random_graph(n, c / (n - 1), seed=g_seed)
        rng = np.random.default_rng(g_seed)
        for r in range(per_graph):
            seed_node = int(rng.integers(n))
            shares[g_seed, r] = final_sizes(g, one_generation(p, 200), [seed_node], 1,
                                            root=1000 * g_seed + r)[0] / n
    major = shares > 0.1  # minor outbreaks die out near the seed
    assert major.sum() > 100
    # the giant cluster's size varies from graph to graph by O(n^-1/2): graphs are the unit
    per_graph_mean = np.array([row[m].mean() for row, m in zip(shares, major, strict=True)
                               if m.any()])
    se = per_graph_mean.std(ddof=1) / np.sqrt(len(per_graph_mean))
    assert abs(per_graph_mean.mean() - s_star) < 4 * se + 2 / n
    # about s_star of single seeds land in the giant cluster and start a major outbreak
    assert abs(major.mean() - s_star) < 4 * np.sqrt(s_star * (1 - s_star) / major.size)


@pytest.mark.parametrize("alpha", [0.003, 0.2, 1.0])
def test_background_adoption_hits_each_person_with_probability_alpha(alpha):
    n, months = 20_000, 5
    params = ContagionParams(horizon_months=months, beta=0.0, decay=0.0, alpha=alpha)
    model = ContagionModel(nx.empty_graph(n), params, rng=3)
    model.run()
    adopted = n - model.counts["unaware"]
    expected = 1 - (1 - alpha) ** months
    assert abs(adopted / n - expected) <= 4 * np.sqrt(expected * (1 - expected) / n) + 1e-12
    per_month = [len(idx) for _, idx, _, _ in model.adoption_log]
    assert per_month[0] == pytest.approx(n * alpha, abs=4 * np.sqrt(n * alpha) + 1e-9)


# --- first transmission and lapse months under hazards that change over time ----------------

N_EXACT = 3000


class _Data:
    """People and ties tables, as a Dataset offers them."""

    def __init__(self, people, ties):
        self.people, self.ties, self.directed = people, ties, False


def first_months(net, params, seeds, who, *, lapse=False, n_reps=N_EXACT):
    """Month ``who`` (a person id) first adopts (or, with ``lapse``, first lapses) in each
    replicate; params.horizon_months + 1 when not within the horizon."""
    out = np.full(n_reps, params.horizon_months + 1)
    i = int(net.id_index.get_loc(who))
    for r in range(n_reps):
        model = ContagionModel(net, params, rng=r, initial_adopters=seeds)
        model.run()
        if lapse:
            lapsed = np.flatnonzero(np.array(model.datacollector.model_vars["lapsed"]) > 0)
            out[r] = lapsed[0] if len(lapsed) else out[r]
        else:
            for month, idx, _, _ in model.adoption_log:
                if i in idx.tolist():
                    out[r] = month
                    break
    return out


def exact_pmf(p: np.ndarray) -> np.ndarray:
    """P(first success in month 1, 2, ..., len(p); none by then) for monthly coins ``p``."""
    survive = np.concatenate([[1.0], np.cumprod(1 - p)])
    return np.append(survive[:-1] * p, survive[-1])


def fits(months, p) -> float:
    """Chi-square p-value of the observed months against the exact distribution (months with
    few expected counts pooled)."""
    expected = exact_pmf(np.asarray(p)) * len(months)
    observed = np.bincount(months - 1, minlength=len(expected))
    keep = expected >= 5
    obs = np.append(observed[keep], observed[~keep].sum())
    exp = np.append(expected[keep], expected[~keep].sum())
    return stats.chisquare(obs[exp > 0], exp[exp > 0]).pvalue


def test_transmission_month_follows_tie_kinds_and_graduation():
    # s graduates in month 5 (alum boost 2 from then); the tie is a colleague tie (0.5) from
    # the start and a post-course contact (0.6) from month 8: p = 0.05, then 0.10, then 0.12
    people = pd.DataFrame({"person_id": ["s", "r"], "is_alum": [True, False],
                           "cohort": ["1", None], "cohort_start": [-1.0, np.nan]})
    ties = pd.DataFrame({"source": ["s", "s"], "target": ["r", "r"],
                         "kind": ["colleague", "post_course_contact"], "since": [np.nan, 8.0]})
    net = build_network(_Data(people, ties))
    params = ContagionParams(horizon_months=20, beta=0.1, decay=0.0, alpha=0.0, p_course=0.0,
                             alum_boost=2.0, training_months=6)
    months = first_months(net, params, ["s"], "r")
    p = np.array([0.05] * 4 + [0.10] * 3 + [0.12] * 13)
    assert fits(months, p) > 0.001
    assert fits(months, np.full(20, 0.05)) < 0.001  # and the test tells a constant hazard apart
    assert fits(months, np.array([0.05] * 4 + [0.10] * 16)) < 0.001  # or a missing tie kind


def test_transmission_month_follows_the_receivers_set():
    # j's set-mate k practises at the start of month 1 and surely lapses then: j's group
    # multiplier is 1 + 1.5 in month 1 and 1 after; i (protected by a top-up) never lapses
    people = pd.DataFrame({"person_id": ["i", "j", "k"], "is_alum": [True, False, False],
                           "cohort": ["1", None, None], "cohort_start": [np.nan] * 3,
                           "action_learning_set": [None, "S1", "S1"]})
    ties = pd.DataFrame({"source": ["i"], "target": ["j"], "kind": ["tie"], "since": [np.nan]})
    net = build_network(_Data(people, ties))
    params = ContagionParams(
        horizon_months=15, beta=0.2, decay=1.0, readoption=0.0, alpha=0.0, p_course=0.0,
        alum_boost=1.0, group_boost=1.5,
        topups=[TopUp(month=0, cohorts=["1"], duration_months=100, decay_multiplier=0.0,
                      p_reengage=0.0)])
    months = first_months(net, params, ["i", "k"], "j")
    assert fits(months, [0.5] + [0.2] * 14) > 0.001
    assert fits(months, [0.2] * 15) < 0.001
    assert fits(months, [0.5] * 15) < 0.001


def test_lapse_month_follows_the_group_multiplier():
    # m's set-mate k never lapses (a top-up protects it), so m lapses with 0.3 / (1 + 2 x 1)
    people = pd.DataFrame({"person_id": ["m", "k"], "is_alum": [False, True],
                           "cohort": [None, "1"], "cohort_start": [np.nan, np.nan],
                           "action_learning_set": ["S1", "S1"]})
    ties = pd.DataFrame({"source": ["m"], "target": ["k"], "kind": ["tie"], "since": [np.nan]})
    net = build_network(_Data(people, ties))
    params = ContagionParams(
        horizon_months=40, beta=0.0, decay=0.3, readoption=0.0, alpha=0.0, p_course=0.0,
        group_boost=2.0,
        topups=[TopUp(month=0, cohorts=["1"], duration_months=100, decay_multiplier=0.0,
                      p_reengage=0.0)])
    months = first_months(net, params, ["m", "k"], "m", lapse=True)
    assert fits(months, np.full(40, 0.1)) > 0.001
    assert fits(months, np.full(40, 0.3)) < 0.001


def test_an_alum_boost_of_zero_stops_the_alums_arcs_in_both_engines():
    """alum_boost = 0 makes a graduate's transmission probability 0: the fast engine's hazard walk
    divided by that zero hazard (found by the invariants' hypothesis search). With beta = 1 and
    nothing random left, both engines agree exactly: the seed 0 passes it to 1, and it stops at the
    graduate 1."""
    g = nx.path_graph(4)
    for i in g.nodes:
        g.nodes[i].update(is_alum=(i == 1), cohort="0", cohort_start=-12,
                          action_learning_set="S0", sector="a")
    for u, v in g.edges:
        g.edges[u, v]["kinds"] = ("colleague",)
    p = ContagionParams(horizon_months=10, beta=1.0, alpha=0.0, decay=0.0, p_course=0.0,
                        alum_boost=0.0)
    adopters = {
        engine: sorted(simulate_once(g, p, seed=1, engine=engine, programme=True,
                                     initial_adopters=[0]).adoptions["person_id"])
        for engine in ("fast", "reference")}
    assert adopters["fast"] == adopters["reference"] == [0, 1]


@pytest.mark.parametrize("engine", ["fast", "reference"])
def test_group_tallies_are_the_practising_people_of_each_group_every_month(programme_graph,
                                                                           engine):
    """The fast engine tallies by combination of groups and adds the combinations up each
    month; either way a group's count is its members who practise."""
    params = ContagionParams(horizon_months=18, beta=0.2, decay=0.1)
    model = ContagionModel(programme_graph, params, engine=engine, rng=4)
    net, keys = model.network, model.group_keys
    assert len(keys) == 6  # two sectors, two regions, two cohorts
    for _ in range(params.horizon_months):
        model.step()
        practising = model.engine.states() == 1
        want = [int(practising[codes == net.groups[g][1].index(label)].sum())
                for g, label in keys for codes in [net.groups[g][0]]]
        assert model.group_counts.tolist() == want
    assert max(model.group_counts) > 0
