"""The fused compile of tie entries into arcs, against plain numpy on random multigraphs."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from alumni_net.abm.network import _BEFORE, build_network
from alumni_net.abm.params import PROGRAMME_KINDS, TRAINING_KINDS

KINDS = ["colleague", "cohort", "action_learning_set", "friendship", "alumni_contact"]


def _reference(people: pd.DataFrame, ties: pd.DataFrame, directed: bool, influence: str):
    """The arc arrays by definition: np.unique of the oriented (sender, receiver) keys, stable
    argsorts for the arcs by receiver and the entries by month."""
    pos = {p: i for i, p in enumerate(people["person_id"])}
    n = len(pos)
    s = ties["source"].map(pos).to_numpy(np.int64)
    t = ties["target"].map(pos).to_numpy(np.int64)
    kind_code, kinds = pd.factorize(ties["kind"].astype(str), sort=True)
    since = ties["since"].to_numpy(float)
    cohort = people["cohort_start"].to_numpy(float)
    training = np.isin(np.asarray(kinds), list(TRAINING_KINDS))[kind_code]
    programme = np.isin(np.asarray(kinds), list(PROGRAMME_KINDS))[kind_code]
    since_m = np.where(np.isnan(since), _BEFORE, np.nan_to_num(since)).astype(np.int64)
    cs = np.fmax(cohort[s], cohort[t])
    prog_m = np.where(np.isnan(cs), since_m, np.nan_to_num(cs)).astype(np.int64)
    month = np.where(training | (programme & np.isnan(since)), prog_m, since_m)
    if directed and influence == "source_to_target":
        u, v, k, m = s, t, kind_code, month
    elif directed and influence == "target_to_source":
        u, v, k, m = t, s, kind_code, month
    else:
        cat = np.concatenate
        u, v, k, m = cat([s, t]), cat([t, s]), cat([kind_code, kind_code]), cat([month, month])
    keep = u != v
    u, v, k, m = u[keep], v[keep], k[keep], m[keep]
    keys, arc = np.unique(u * n + v, return_inverse=True)
    arc_src, indices = keys // n, keys % n
    rev_arc = np.argsort(indices, kind="stable")
    order = np.argsort(m, kind="stable")
    return {
        "indptr": np.concatenate([[0], np.cumsum(np.bincount(arc_src, minlength=n))]),
        "indices": indices, "src": arc_src,
        "rev_indptr": np.concatenate([[0], np.cumsum(np.bincount(indices, minlength=n))]),
        "rev_arc": rev_arc, "rev_src": arc_src[rev_arc], "rev_pos": np.argsort(rev_arc),
        "entry_arc": arc[order], "entry_kind": k[order], "entry_month": m[order],
    }


def _random(rng, n: int, m: int, months) -> tuple[pd.DataFrame, pd.DataFrame]:
    ids = np.array([f"p{i}" for i in rng.permutation(n)], dtype=object)
    people = pd.DataFrame({"person_id": ids, "cohort_start": np.where(
        rng.random(n) < 0.3, rng.integers(-5, 30, n).astype(float), np.nan)})
    s, t = rng.integers(0, n, m), rng.integers(0, n, m)
    s[rng.random(m) < 0.2] = 0  # a hub: one sender's run longer than the insertion sort's
    ties = pd.DataFrame({"source": ids[s], "target": ids[t], "kind": rng.choice(KINDS, m),
                         "since": np.where(rng.random(m) < 0.5, rng.choice(months, m), np.nan)})
    again = ties.sample(frac=0.2, random_state=int(rng.integers(2**31))).assign(kind="friendship")
    return people, pd.concat([ties, again], ignore_index=True)  # ties of several kinds


@pytest.mark.parametrize("directed, influence", [(False, "target_to_source"),
                                                 (True, "target_to_source"),
                                                 (True, "source_to_target"), (True, "both")])
@pytest.mark.parametrize("n, m, months", [
    (1, 0, [0.0]), (2, 1, [0.0]), (6, 0, [0.0]), (40, 300, np.arange(-20.0, 140.0)),
    (400, 6000, np.arange(-20.0, 140.0)),
    (200, 3000, [-3e7, 5.0, 2e8, 7.0]),  # months too far apart to count: numpy's sort
])
def test_arcs_match_the_definition(directed, influence, n, m, months):
    rng = np.random.default_rng(n * 7 + m)
    people, ties = _random(rng, n, m, months)
    ds = type("DS", (), {"people": people, "ties": ties, "directed": directed})()
    net = build_network(ds, influence=influence)
    for name, want in _reference(people, ties, directed, influence).items():
        got = getattr(net, name)
        assert np.array_equal(got, want), name
    assert net.indices.dtype == net.src.dtype == net.rev_src.dtype == np.int32
    assert net.rev_arc.dtype == np.int32 and net.entry_kind.dtype == np.int16
