"""Networks drawn from the fitted model, at the population's full size, with the alumni embedded.

Network ``k`` takes the ``k``-th posterior draw (parameters and role activity), lays out the whole
population (its counts by region, sector and role), places the alumni and generates the ties
with their degrees fixed, then embeds their reported contacts and programme ties
(:mod:`.embed`). Every non-respondent assumption of :mod:`.nonresponse` uses the same seeds, so
two networks ``k`` differ only in what is assumed about the alumni who did not answer.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import pandas as pd

from alumni_net.core.rng import SeedLike, as_seed_sequence
from alumni_net.experiments.workforce.embed import (
    Embedding,
    alumni_degrees,
    alumni_of,
    embed,
    place_alumni,
)
from alumni_net.experiments.workforce.fit import WorkforceFit, child_seed
from alumni_net.experiments.workforce.model import (
    KINDS,
    WorkforceNetwork,
    WorkforceParams,
    build_structure,
    generate,
)
from alumni_net.experiments.workforce.nonresponse import ASSUMPTIONS

__all__ = ["DrawnNetwork", "draw_networks"]


@dataclass(frozen=True)
class DrawnNetwork:
    """One network: which draw, under which assumption, its parameters and its two tables."""

    index: int
    assumption: str
    params: WorkforceParams
    role_activity: np.ndarray
    people: pd.DataFrame
    ties: pd.DataFrame


def draw_networks(fit: WorkforceFit, k: int, *, seed: SeedLike = 0,
                  assumptions: tuple[str, ...] = ASSUMPTIONS) -> Iterator[DrawnNetwork]:
    """``k`` networks under each assumption, network by network (yielded as they are made)."""
    root = as_seed_sequence(seed)
    draws = fit.draw(k, child_seed(root, 0))
    counts = fit.population["count"].to_numpy()
    for i, (params, activity) in enumerate(draws):
        structure = build_structure(fit.population, fit.categories, counts,
                                    np.random.default_rng(child_seed(root, 1, i)),
                                    fit.settings.organisations())
        alumni = alumni_of(fit.ego, fit.categories, np.random.default_rng(child_seed(root, 2, i)))
        hosts = place_alumni(structure, alumni, np.random.default_rng(child_seed(root, 3, i)))
        for assumption in assumptions:
            degrees = alumni_degrees(fit.sample, alumni, assumption,
                                     np.random.default_rng(child_seed(root, 4, i)),
                                     noise=fit.settings.count_noise)
            own = alumni_degrees(fit.sample, alumni, assumption,
                                 np.random.default_rng(child_seed(root, 8, i)),
                                 noise=fit.settings.count_noise, within=True)
            net = generate(structure, params, activity,
                           np.random.default_rng(child_seed(root, 5, i)),
                           targets=(hosts, degrees), own_org=(hosts, own))
            added = embed(net, hosts, alumni, fit.ego, fit.sample, assumption,
                          np.random.default_rng(child_seed(root, 6, i)))
            people = _people(net, hosts, alumni, fit,
                             np.random.default_rng(child_seed(root, 7, i)))
            yield DrawnNetwork(i, assumption, params, activity, people,
                               _ties(net, added, people["person_id"].to_numpy(object)))


def _people(net: WorkforceNetwork, hosts, alumni, fit: WorkforceFit, rng) -> pd.DataFrame:
    """One row per person: alumni keep their (pseudonymised) ids, everyone else is ``W...``."""
    pop, cats = net.pop, fit.categories
    width = max(7, len(str(net.n)))
    number = rng.permutation(net.n)
    ids = np.array([f"W{x + 1:0{width}d}" for x in number], dtype=object)
    ids[hosts] = alumni.ids
    roster = alumni.people
    frame = pd.DataFrame({
        "person_id": ids,
        "is_alum": np.zeros(net.n, bool),
        "cohort": pd.Series([None] * net.n, dtype="str"),
        "cohort_start": pd.Series(pd.NaT, index=range(net.n), dtype="datetime64[us]"),
        "action_learning_set": pd.Series([None] * net.n, dtype="str"),
        "sector": np.asarray(cats.sector, dtype=object)[pop.sector],
        "region": np.asarray(cats.region, dtype=object)[pop.region],
        "organisation": np.array([f"ORG{o + 1:06d}" for o in
                                  rng.permutation(pop.n_orgs)], dtype=object)[pop.org],
        "role": np.asarray(cats.role, dtype=object)[pop.role],
    })
    frame.loc[hosts, "is_alum"] = True
    frame.loc[hosts, "cohort"] = roster["cohort"].astype(str).to_numpy()
    frame.loc[hosts, "cohort_start"] = pd.to_datetime(roster["cohort_start"]).to_numpy()
    frame.loc[hosts, "action_learning_set"] = roster["action_learning_set"].to_numpy(object)
    return frame


def _ties(net: WorkforceNetwork, added: Embedding, ids: np.ndarray) -> pd.DataFrame:
    """Every tie once per pair and kind, ``source < target`` by id, sorted (by integer ranks of
    the ids: sorting millions of strings would dominate the draw)."""
    keep = ~np.isin(net.a * np.int64(net.n) + net.b, np.asarray(added.removed, np.int64))
    a = np.concatenate([net.a[keep], np.asarray(added.a, np.int64)])
    b = np.concatenate([net.b[keep], np.asarray(added.b, np.int64)])
    names = np.array(sorted({*KINDS, *added.kind}), dtype=object)
    kind_code = np.concatenate([np.searchsorted(names, np.asarray(KINDS, dtype=object))[
        net.kind[keep]], np.searchsorted(names, np.asarray(added.kind, dtype=object))])
    since = np.concatenate([np.full(int(keep.sum()), np.datetime64("NaT", "us")),
                            pd.to_datetime(pd.Series(added.since, dtype=object)).to_numpy(
                                "datetime64[us]")])
    rank = np.empty(len(ids), np.int64)
    rank[np.argsort(ids.astype(str), kind="stable")] = np.arange(len(ids))
    lo = np.where(rank[a] < rank[b], a, b)
    hi = np.where(rank[a] < rank[b], b, a)
    order = np.lexsort((np.isnat(since), kind_code, rank[hi], rank[lo]))
    lo, hi, kind_code, since = lo[order], hi[order], kind_code[order], since[order]
    key = np.stack([lo, hi, kind_code])
    first = np.concatenate([[True], np.any(key[:, 1:] != key[:, :-1], axis=0)])
    return pd.DataFrame({"source": ids[lo[first]], "target": ids[hi[first]],
                         "kind": names[kind_code[first]], "weight": 1.0,
                         "since": since[first]})
