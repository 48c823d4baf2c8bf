"""Validation where the truth is known (issue 16 §5): survey a complete network, run the whole
pipeline, compare the estimated 3-degree union reach and attributable adopters with their values
on the complete network.

The default suite runs two quick repetitions on a small synthetic programme; ``-m slow`` runs
50 repetitions on the synthetic programme (seed 16016, used nowhere else) and on the Brazilian
farmers, and checks the coverage of the 90% intervals and the bias.
"""

from __future__ import annotations

import pandas as pd
import pytest

from alumni_net.abm import ContagionParams
from alumni_net.experiments.workforce import FitSettings
from alumni_net.experiments.workforce.validation import (
    MEASURES,
    ValidationSettings,
    coverage_table,
    overlay_programme,
    population_of,
    true_values,
    validate_once,
)
from alumni_net.io import load_dataset
from alumni_net.survey import categories_from_population
from alumni_net.synth import synthesize
from tests.helpers import real_dataset_dir

SEED = 16016  # the synthetic programme's seed for validation, used nowhere else


def _run(ds, settings, repetitions, *, seed, truth_replicates, truth_seed=99):
    categories = categories_from_population(population_of(ds))
    truth = true_values(ds, settings, replicates=truth_replicates, seed=truth_seed)
    runs = [validate_once(ds, categories, truth, settings=settings, seed=seed + i,
                          held_out=i).assign(repetition=i) for i in range(repetitions)]
    return pd.concat(runs, ignore_index=True)


def _farmers():
    raw = load_dataset(real_dataset_dir("brazilian_farmers"))
    return overlay_programme(raw, cohorts=3, per_cohort=8, region="village", seed=5)


def test_two_quick_repetitions_on_a_small_synthetic_programme():
    ds = synthesize(n_people=2_500, n_cohorts=2, seed=SEED)
    settings = ValidationSettings(
        networks=4, replicates=2, params=ContagionParams(horizon_months=60),
        fit=FitSettings(particles=40, generations=4, fit_size=1_000, bootstrap=60,
                        predictive=10))
    runs = _run(ds, settings, 2, seed=300, truth_replicates=4)
    assert sorted(runs["measure"].unique()) == sorted(MEASURES)
    assert ((runs["lo"] <= runs["median"]) & (runs["median"] <= runs["hi"])).all()
    assert runs["respondents"].between(0.3 * 52 - 1, 0.7 * 52 + 1).all()
    table = coverage_table(runs).set_index("measure")
    # the alumni's reach is estimated without gross bias even at this size
    assert table.loc["reach_within_1", "relative_bias"] == pytest.approx(0.0, abs=0.25)
    assert table.loc["reach_within_3", "relative_bias"] == pytest.approx(0.0, abs=0.1)
    assert (table["repetitions"] == 2).all()


FULL = ValidationSettings(networks=10, replicates=2)


@pytest.mark.slow
def test_coverage_and_bias_over_50_repetitions_on_the_synthetic_programme():
    """The generator that made the network is the model fitted: intervals should be honest."""
    ds = synthesize(n_people=5_000, n_cohorts=2, seed=SEED)
    table = coverage_table(_run(ds, FULL, 50, seed=10_000, truth_replicates=50))
    print(table.to_string())
    table = table.set_index("measure")
    for measure in ("reach_within_3", "attributable_adopters_non_alumni"):
        assert 0.8 <= table.loc[measure, "coverage"] <= 0.97, measure
        assert abs(table.loc[measure, "relative_bias"]) < 0.1, measure


@pytest.mark.slow
def test_coverage_and_bias_over_50_repetitions_on_the_brazilian_farmers():
    """A real network the model was not made for (villages that never meet): first- and
    second-degree reach are covered, third-degree reach is overstated (misspecification)."""
    settings = ValidationSettings(
        networks=10, replicates=2,
        fit=FitSettings(particles=100, generations=6, fit_size=2_000, bootstrap=100,
                        predictive=20, org_size_min=1_000, org_size_max=1_000))
    table = coverage_table(_run(_farmers(), settings, 50, seed=10_000, truth_replicates=50))
    print(table.to_string())
    table = table.set_index("measure")
    assert table.loc["reach_within_2", "coverage"] >= 0.8
    assert table.loc["reach_within_3", "relative_bias"] > 0  # spills between villages
