"""The reference engine (Mesa agents flipping monthly coins one by one, the definitional process)
and the fast engine (event-driven draws by inverse CDF of keyed uniforms) give the same
distributions: two-sample tests over 500 seeded replicates on two small networks, among them
final size and time to 50% adoption for a model with lapsing and re-adoption and for complex
contagion with group reinforcement and top-ups."""

import dataclasses

import numpy as np
import pytest
from scipy import stats

from alumni_net.abm import DEGREE_KEYS, ContagionModel, ContagionParams, TopUp, build_network

N_REPS = 500
ALPHA = 0.001  # per comparison; the seeds are fixed, so the outcome is deterministic


def same_distribution(x, y) -> float:
    """p-value of a chi-square test of homogeneity on the pooled values binned into <= 8 bins
    with enough counts (bins from pooled quantiles; discrete values kept whole)."""
    x, y = np.asarray(x, float), np.asarray(y, float)
    pooled = np.concatenate([x, y])
    if np.all(pooled == pooled[0]):
        return 1.0
    edges = np.unique(np.quantile(pooled, np.linspace(0, 1, 9)))
    bins_x = np.digitize(x, edges[1:-1], right=True)
    bins_y = np.digitize(y, edges[1:-1], right=True)
    k = len(edges) - 1 if len(edges) > 1 else 1
    table = np.array([np.bincount(bins_x, minlength=k), np.bincount(bins_y, minlength=k)])
    table = table[:, table.sum(axis=0) > 0]
    if table.shape[1] < 2:
        return 1.0
    return stats.chi2_contingency(table).pvalue


def replicate_measures(data, params, engine, root):
    """Per replicate: final adopters (final size), cumulative adopters at quarter-horizon
    points, practising person-months, non-alum adopters by degree (1, 2, 3, 4+, none), time to
    50% adoption (first month by which half the final adopters had adopted), re-adoptions
    and adoptions by spread whose infector is an alum."""
    h = params.horizon_months
    rows = []
    for r in range(N_REPS):
        model = ContagionModel(data, params, engine=engine, rng=root + r)
        model.run()
        idx_all, _, via_all, _ = model.adoption_arrays()
        infectors = model.adoption_infectors()
        first: dict[int, tuple[int, int]] = {}  # person -> (month, distance) of first adoption
        for month, idx, _, dist in model.adoption_log:
            for i, d in zip(idx.tolist(), dist.tolist(), strict=True):
                first.setdefault(i, (month, d))
        months = np.array([m for m, _ in first.values()])
        curve = [int((months <= m).sum()) for m in (h // 4, h // 2, 3 * h // 4)]
        is_alum = model.network.is_alum
        degrees = [sum(1 for i, (_, d) in first.items() if not is_alum[i] and d == k)
                   for k in DEGREE_KEYS]
        person_months = sum(model.datacollector.model_vars["practising"][1:])
        half = np.sort(months)[(len(months) - 1) // 2] if len(months) else -1
        by_alum = int(is_alum[infectors[infectors >= 0]].sum())
        assert ((infectors >= 0) == (via_all == 3)).all()
        rows.append([len(first), *curve, person_months, *degrees, half,
                     len(idx_all) - len(first), by_alum])
    return np.array(rows)


FINAL_SIZE, TIME_TO_HALF, READOPTIONS = 0, 10, 11


def assert_engines_agree(data, params):
    fast = replicate_measures(data, params, "fast", 0)
    ref = replicate_measures(data, params, "reference", 10_000)
    pvalues = [same_distribution(fast[:, j], ref[:, j]) for j in range(fast.shape[1])]
    assert min(pvalues) > ALPHA, pvalues
    # and a two-sample Kolmogorov-Smirnov test on final size and time to 50% adoption
    for j in (FINAL_SIZE, TIME_TO_HALF):
        assert stats.ks_2samp(fast[:, j], ref[:, j]).pvalue > ALPHA, j
        assert fast[:, j].std() > 0  # the comparison is not between two constants
    return fast


@pytest.fixture(scope="module")
def physicians(medical_innovation):
    """The physicians, with ten of them made alumni of a cohort that graduates at month 0."""
    people = medical_innovation.people.copy()
    alumni = people["person_id"].isin(people["person_id"].iloc[::12])
    people["is_alum"] = alumni
    people["cohort"] = np.where(alumni, "1", None)
    people["cohort_start"] = np.where(alumni, -6.0, np.nan)
    return build_network(dataclasses.replace(medical_innovation, people=people))


def test_engines_agree_on_the_physicians_network(physicians):
    params = ContagionParams(horizon_months=12, beta=0.15, alpha=0.01, decay=0.1,
                             readoption=0.5, p_course=0.6, alum_boost=2.0)
    fast = assert_engines_agree(physicians, params)
    assert fast[:, READOPTIONS].mean() > 1  # lapsing and re-adoption happen
    # the same test tells a 30% higher beta apart, so it has power to catch a wrong rule
    stronger = replicate_measures(physicians, dataclasses.replace(params, beta=0.195), "fast",
                                  20_000)
    assert same_distribution(fast[:, 0], stronger[:, 0]) < ALPHA


def test_engines_agree_on_a_cohort_programme(programme_graph):
    params = ContagionParams(
        horizon_months=24, beta=0.12, alpha=0.005, decay=0.08, readoption=0.5, p_course=0.5,
        group_boost=1.5, threshold=1.0, threshold_spread=1.0,
        topups=[TopUp(month=14, duration_months=4, decay_multiplier=0.3, p_reengage=0.5)])
    assert_engines_agree(programme_graph, params)


def test_engines_agree_on_fractional_thresholds(programme_graph):
    params = ContagionParams(horizon_months=12, beta=0.5, alpha=0.02, decay=0.05,
                             threshold=0.25, threshold_kind="fraction", p_course=0.8)
    assert_engines_agree(programme_graph, params)


@pytest.mark.slow
def test_engines_agree_over_four_years_of_lapsing_readoption_and_topups(programme_graph):
    params = ContagionParams(
        horizon_months=48, beta=0.1, alpha=0.003, decay=0.12, readoption=0.6, p_course=0.5,
        group_boost=2.0, threshold=1.0, threshold_spread=1.0,
        topups=[TopUp(month=14, duration_months=6, decay_multiplier=0.3, p_reengage=0.5),
                TopUp(month=30, duration_months=6, decay_multiplier=0.5, p_reengage=0.3)])
    fast = assert_engines_agree(programme_graph, params)
    assert fast[:, READOPTIONS].mean() > 2
