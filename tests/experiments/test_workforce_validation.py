"""Validation where the truth is known (issue 16 §5): survey a complete network, run the whole
pipeline, compare the estimated 3-degree union reach and attributable adopters with their values
on the complete network.

The default suite runs two quick repetitions on a small synthetic programme (and checks that a
run cut short resumes from its folder); ``-m slow`` runs 50 repetitions on the synthetic
programme (seed 16016, used nowhere else) and on the Brazilian farmers, each repetition written
to a folder as it finishes, and checks the coverage of the 90% intervals and the bias. The same
runs in the background, with timings: ``python benchmarks/validate_workforce.py``.
"""

from __future__ import annotations

import pandas as pd
import pytest
from tests.helpers import real_dataset_dir

from alumni_net.abm import ContagionParams
from alumni_net.experiments.workforce import FitSettings
from alumni_net.experiments.workforce import validation as v
from alumni_net.experiments.workforce.validation import (
    CASES,
    MEASURES,
    SYNTHETIC_SEED,
    ValidationSettings,
    coverage_table,
    farmers_programme,
    population_of,
    run_fresh_validation,
    run_validation,
    synthetic_programme,
    true_values,
)
from alumni_net.graph import to_igraph
from alumni_net.metrics import reach_index, union_reach
from alumni_net.survey import categories_from_population

QUICK = ValidationSettings(
    networks=4, replicates=2, params=ContagionParams(horizon_months=60),
    fit=FitSettings(particles=40, generations=4, fit_size=1_000, bootstrap=60, predictive=10))


def _run(ds, settings, repetitions, *, truth_replicates, folder=None):
    categories = categories_from_population(population_of(ds))
    truth = true_values(ds, settings, replicates=truth_replicates, seed=99)
    return run_validation(ds, categories, truth, repetitions, settings=settings, seed=10_000,
                          folder=folder)


def test_two_quick_repetitions_on_a_small_synthetic_programme(tmp_path, monkeypatch):
    ds = synthetic_programme(n_people=2_500)
    runs = _run(ds, QUICK, 2, truth_replicates=4, folder=tmp_path)
    assert sorted(runs["measure"].unique()) == sorted(MEASURES)
    assert ((runs["lo"] <= runs["median"]) & (runs["median"] <= runs["hi"])).all()
    assert runs["respondents"].between(0.3 * 52 - 1, 0.7 * 52 + 1).all()
    assert (runs["cpu_seconds"] > 0).all()
    table = coverage_table(runs).set_index("measure")
    # the alumni's reach is estimated without gross bias even at this size
    assert table.loc["reach_within_1", "relative_bias"] == pytest.approx(0.0, abs=0.25)
    assert table.loc["reach_within_3", "relative_bias"] == pytest.approx(0.0, abs=0.1)
    assert (table["repetitions"] == 2).all()
    # a rerun on the same folder reads the finished repetitions instead of running them again
    monkeypatch.setattr(v, "validate_once", lambda *a, **k: pytest.fail("ran again"))
    again = _run(ds, QUICK, 2, truth_replicates=4, folder=tmp_path)
    pd.testing.assert_frame_equal(again, runs)
    with pytest.raises(ValueError, match="another run"):
        _run(ds, ValidationSettings(networks=5), 1, truth_replicates=4, folder=tmp_path)


def test_a_fresh_programme_each_repetition_is_compared_with_its_own_truth(tmp_path,
                                                                        monkeypatch):
    def programme(i):
        return synthetic_programme(seed=SYNTHETIC_SEED + 1 + i, n_people=2_500)

    runs = run_fresh_validation(programme, 2, settings=QUICK, seed=10_000, truth_replicates=2,
                                folder=tmp_path)
    assert sorted(runs["measure"].unique()) == sorted(MEASURES)
    for i in range(2):
        ds = programme(i)
        # the truth is the repetition's own network's reach, counted directly
        exact = union_reach(reach_index(to_igraph(ds)), ds.alumni, max_dist=3)
        rep = runs[runs["repetition"] == i].set_index("measure")
        for m in MEASURES[:3]:
            assert rep.loc[m, "truth"] == exact[m]
        assert (rep["alumni"] == len(ds.alumni)).all()
    t = runs.set_index(["repetition", "measure"])["truth"]
    assert t[(0, "reach_within_2")] != t[(1, "reach_within_2")]  # two different networks
    monkeypatch.setattr(v, "validate_once", lambda *a, **k: pytest.fail("ran again"))
    pd.testing.assert_frame_equal(
        run_fresh_validation(programme, 2, settings=QUICK, seed=10_000, truth_replicates=2,
                             folder=tmp_path), runs)


def _check(table: pd.DataFrame, measures, coverage=(0.8, 0.97), bias=0.1) -> None:
    for measure in measures:
        assert coverage[0] <= table.loc[measure, "coverage"] <= coverage[1], measure
        assert abs(table.loc[measure, "relative_bias"]) < bias, measure


@pytest.mark.slow
@pytest.mark.timeout(4 * 3600)  # about 23 s of CPU a repetition; far more on a loaded machine
@pytest.mark.xfail(strict=True, reason=(
    "over-covers: on 50 repetitions coverage 0.96, 0.98, 0.96, 0.98 (the goal is at most 0.95, "
    "checked to 0.97). Every repetition surveys the same network and alumni, so the coverage is "
    "conditional on them while the intervals are predictive over networks and respondents drawn "
    "from a population (see the validation module). Over 60 fresh programmes "
    "(run_fresh_validation) coverage 0.90, 0.90, 0.85, 0.88"))
def test_coverage_and_bias_over_50_repetitions_on_the_synthetic_programme(tmp_path):
    """The generator that made the network is the model fitted: intervals should be honest.
    (2026-12-06, decomposed with 20 networks: errors' SD against the spread over networks, reach
    within 1, 2, 3: 59/122, 133/273, 41/109 on this one network over 12 repetitions; 72/162,
    276/278, 120/133 over 20 repetitions that each generated a fresh programme. Over 60 fresh
    programmes, ``benchmarks/validate_workforce.py --fresh``: coverage 0.90, 0.90, 0.85, 0.88;
    bias +0.6%, +1.6%, -1.8%, +5.8%; 18.4 s CPU a repetition, load 1-6. Posterior SDs of
    colleague_k, rewire and partnership_mean 1.41-1.49 times the spread of posterior means
    here, the finite population correction of surveying half of one fixed set of alumni;
    1.19-1.43 on fresh programmes.)
    (2026-12-06: coverage 0.96, 0.98, 0.96, 0.98; bias +0.3%, +4.2%, -1.1%, +5.2%. 2026-12-05,
    before the alumni's contacts were made exact and partnerships size-invariant: coverage
    0.84, 0.92, 0.94, 0.96; bias -5.0%, +4.1%, -0.5%, +1.5%.)"""
    table = coverage_table(_run(synthetic_programme(), CASES["synthetic"], 50,
                                truth_replicates=50, folder=tmp_path))
    print(table.to_string())
    _check(table.set_index("measure"), MEASURES)


@pytest.mark.slow
@pytest.mark.timeout(4 * 3600)  # about 18 s of CPU a repetition
def test_coverage_and_bias_over_50_fresh_synthetic_programmes(tmp_path):
    """What the predictive intervals claim: coverage over programmes drawn from the generator
    and over surveys of them (a fresh programme each repetition, seeds from SYNTHETIC_SEED + 1,
    used nowhere else). (2026-12-06, the same runs through ``benchmarks/validate_workforce.py
    --fresh``: over the first 50 repetitions coverage 0.88, 0.88, 0.88, 0.86, bias +1.4%,
    +2.3%, -1.8%, +6.9%; over 60, 0.90, 0.90, 0.85, 0.88.)"""
    runs = run_fresh_validation(lambda i: synthetic_programme(seed=SYNTHETIC_SEED + 1 + i), 50,
                                settings=CASES["synthetic"], seed=10_000, truth_replicates=20,
                                folder=tmp_path)
    table = coverage_table(runs)
    print(table.to_string())
    _check(table.set_index("measure"), MEASURES)


@pytest.mark.slow
@pytest.mark.timeout(4 * 3600)
def test_coverage_and_bias_over_50_repetitions_on_the_brazilian_farmers(tmp_path):
    """A real network (villages that never meet, every tie inside one), each farmer their own
    organisation and the alumni chosen at random, so the respondents are a random sample of
    the farmers (``representative``). (2026-12-06: coverage 0.90, 0.86, 0.94, 0.94; bias
    -2.7%, -4.9%, +1.1%, -8.9%. Before, as one organisation per village with the respondents'
    counts given to the model only: coverage 0.68, 0.32, 0.62, 0.76.)"""
    ds = farmers_programme(real_dataset_dir("brazilian_farmers"))
    table = coverage_table(_run(ds, CASES["farmers"], 50, truth_replicates=50, folder=tmp_path))
    print(table.to_string())
    _check(table.set_index("measure"), MEASURES)
