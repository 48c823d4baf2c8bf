"""analyze on networks of millions of people: what switches to estimates, and that the
outputs say so. The switch points are lowered so that a 2,000-person programme stands in."""

from __future__ import annotations

import numpy as np
import pytest

from alumni_net.graph import to_igraph
from alumni_net.metrics import expected_relative_error, reach_by_distance
from alumni_net.pipelines import analyze as pipeline
from alumni_net.synth import synthesize


@pytest.fixture(scope="module")
def programme():
    return synthesize(n_people=2_000, n_cohorts=4, seed=2)


@pytest.fixture(scope="module")
def exact(programme):
    return pipeline.analyze_dataset(programme, None, seed=1)


@pytest.fixture(scope="module")
def large(programme):
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(pipeline, "LARGE_NETWORK", 1_000)
        mp.setattr(pipeline, "REACH_EXACT_LIMIT", 1_000)
        return pipeline.analyze_dataset(programme, None, seed=1, exact_limit=500)


def test_small_networks_are_exact_and_say_so(exact, programme):
    table = exact.centrality
    truth = reach_by_distance(to_igraph(programme), None)
    merged = table.merge(truth, on="person_id", suffixes=("", "_exact"))
    for d in (1, 2, 3):
        assert (merged[f"reach_within_{d}"] == merged[f"reach_within_{d}_exact"]).all()
    assert "eigenvector" in table
    assert exact.summary["precision"] == [
        "The alumni's reach (reach.csv, reach_by_cohort.csv and the table above) is exact.",
        "Every person's reach (reach_within_* in centrality.csv) is exact.",
    ]


def test_large_networks_estimate_what_they_must_and_say_so(large, exact):
    table = large.centrality
    assert "eigenvector" not in table
    # the alumni's reach is exact at any size
    assert large.reach.equals(exact.reach)
    assert large.reach_by_cohort.equals(exact.reach_by_cohort)
    # everyone's reach: within 1 exact, beyond estimated within HyperANF's error
    merged = table.merge(exact.centrality, on="person_id", suffixes=("", "_exact"))
    assert (merged["reach_within_1"] == merged["reach_within_1_exact"]).all()
    rel = np.abs(merged["reach_within_3"] / merged["reach_within_3_exact"] - 1)
    assert rel.mean() <= expected_relative_error(pipeline.REACH_REGISTERS)
    text = " ".join(large.summary["precision"])
    for phrase in ("estimated by HyperANF with 256 registers", "relative standard error 6.5%",
                   f"from {pipeline.LARGE_SAMPLES} sampled sources", "power iteration",
                   "Eigenvector centrality is not computed", "one Leiden pass"):
        assert phrase in text
    assert large.summary["betweenness"] == "estimated from 32 sampled sources (see " \
                                           "betweenness_se)"
    markdown = pipeline.summary_markdown(large.summary)
    assert "## How exact these figures are" in markdown
    assert "Eigenvector centrality is not computed" in markdown


def test_large_networks_pagerank_equals_the_small_networks(programme, exact):
    from alumni_net.metrics import _centrality_igraph

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(_centrality_igraph, "ARPACK_LIMIT", 1_000)
        power = pipeline.analyze_dataset(programme, None, seed=1).centrality["pagerank"]
    arpack = exact.centrality["pagerank"]  # the same call without the lowered limit
    assert power.to_numpy() == pytest.approx(arpack.to_numpy(), abs=1e-9)
