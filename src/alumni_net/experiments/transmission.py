"""Epidemic figures over replicates: the reproduction number over time, the generation time and
the transmission trees (per replicate: :mod:`alumni_net.abm.transmission`).

Tables (:func:`transmission_tables`, written by :func:`write_transmission`):

- ``reproduction.csv``: by month of adoption, the pooled case reproduction number ``r``
  (adoptions caused per adopter of that month, over every replicate) with ``lo`` and ``hi``, the
  5th and 95th percentiles of the replicates' own values (over the ``replicates`` with adopters
  that month), and how long each month's adopters were followed;
- ``generation_time.csv``: months from an infector's adoption to the adoption they caused: how
  many transmissions took each number of months, their share, and the 5th-95th percentile
  range of that share over replicates;
- ``tree_summary.csv``: one row per replicate (:func:`~alumni_net.abm.transmission.tree_summary`:
  roots, trees, the largest tree, depth, adopters by generation in the tree);
- ``transmission_trees.npz``: every replicate's tree as flat integer arrays
  (:func:`~alumni_net.abm.transmission.pack_trees`; ``numpy.load`` reads it, no pickle).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from alumni_net.abm.transmission import (
    TransmissionRecord,
    generation_times,
    pack_trees,
    parents,
    reproduction,
    tree_summary,
)
from alumni_net.core.files import atomic_write_bytes
from alumni_net.core.rng import SeedLike, as_seed_sequence
from alumni_net.core.tables import write_csv
from alumni_net.errors import AlumniNetError

__all__ = ["TRANSMISSION_FILES", "record_transmissions", "transmission_tables",
           "write_transmission"]

#: The files :func:`write_transmission` writes.
TRANSMISSION_FILES = ("reproduction.csv", "generation_time.csv", "tree_summary.csv",
                      "transmission_trees.npz")
_LEVELS = (0.05, 0.95)


def record_transmissions(data: Any, params: Any = None, *, n_replicates: int, seed: SeedLike = 0,
                         engine: str = "fast", param_draws: Sequence = (),
                         initial_adopters: Sequence = (), replicates: int | None = None,
                         ) -> list[TransmissionRecord]:
    """Who passed the practice to whom in the first ``replicates`` replicates of a run (with the
    programme), each exactly as :func:`~alumni_net.experiments.run_replicates` ran it.

    Replicate ``i`` of a run uses child ``i`` of ``SeedSequence(seed).spawn(n_replicates)`` and
    the engines' draws are keyed, so running it again with who-infected-whom recorded gives the
    same adoptions; the run itself keeps no person-level records (its workers reduce them to
    counts), which is why the trees are drawn here, in this process.

    Examples
    --------
    >>> import networkx as nx
    >>> from alumni_net.abm import ContagionParams
    >>> g = nx.path_graph(4)
    >>> p = ContagionParams(horizon_months=3, beta=1.0, alpha=0.0, decay=0.0)
    >>> [r.infector.tolist() for r in record_transmissions(
    ...     g, p, n_replicates=5, replicates=2, initial_adopters=[0])]
    [[-1, 0, 1, 2], [-1, 0, 1, 2]]
    """
    from alumni_net.abm import ContagionParams, simulate_once

    params = ContagionParams() if params is None else params
    count = n_replicates if replicates is None else min(replicates, n_replicates)
    root = as_seed_sequence(seed)
    seeds = np.random.SeedSequence(root.entropy, spawn_key=root.spawn_key).spawn(n_replicates)
    draws = tuple(param_draws)
    records = []
    for i, child in enumerate(seeds[:count]):
        run = draws[i % len(draws)] if draws else params
        result = simulate_once(
            data, run, seed=np.random.SeedSequence(child.entropy, spawn_key=child.spawn_key),
            engine=engine, programme=True, initial_adopters=tuple(initial_adopters),
            record_infectors=True)
        records.append(TransmissionRecord.from_adoptions(result.adoptions,
                                                         horizon=run.horizon_months))
    return records


def transmission_tables(records: Sequence[TransmissionRecord]) -> dict[str, pd.DataFrame]:
    """``reproduction``, ``generation_time`` and ``tree_summary`` over replicates (module
    docstring).

    Examples
    --------
    >>> # A path 0-1-2-3 from person 0 with beta = 1: one adoption a month, each from the last.
    >>> path = TransmissionRecord([0, 1, 2, 3], [0, 1, 2, 3], [-1, 0, 1, 2], horizon=3)
    >>> t = transmission_tables([path, path])
    >>> t["reproduction"]["r"].tolist()
    [1.0, 1.0, 1.0, nan]
    >>> t["generation_time"][["months", "transmissions", "share"]].to_numpy().tolist()
    [[1.0, 6.0, 1.0]]
    """
    if not records:
        raise AlumniNetError("no replicates to tabulate transmissions over")
    horizons = {r.horizon for r in records}
    if len(horizons) != 1:
        raise AlumniNetError(f"replicates ran to different horizons ({sorted(horizons)}); "
                             "tabulate runs of one horizon together")
    parent = [parents(r) for r in records]
    per_rep = [reproduction(r, p) for r, p in zip(records, parent, strict=True)]
    times = [generation_times(r, p) for r, p in zip(records, parent, strict=True)]
    summary = pd.DataFrame([{"replicate": k, **tree_summary(r, p)}
                            for k, (r, p) in enumerate(zip(records, parent, strict=True))])
    return {"reproduction": _reproduction(per_rep), "generation_time": _generation(times),
            "tree_summary": summary}


def write_transmission(records: Sequence[TransmissionRecord], out: str | Path) -> list[Path]:
    """Write :data:`TRANSMISSION_FILES` into the folder ``out`` (each file atomically)."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    tables = transmission_tables(records)
    written = [write_csv(tables["reproduction"], out / "reproduction.csv", index=False),
               write_csv(tables["generation_time"], out / "generation_time.csv", index=False),
               write_csv(tables["tree_summary"], out / "tree_summary.csv", index=False)]
    buffer = io.BytesIO()
    # Arrays by name: typed as Any, since numpy's stub reads ** keywords as its bool option.
    trees: dict[str, Any] = pack_trees(records)
    np.savez_compressed(buffer, **trees)
    written.append(atomic_write_bytes(out / "transmission_trees.npz", buffer.getvalue()))
    return written


def _reproduction(per_rep: list[pd.DataFrame]) -> pd.DataFrame:
    adopters = np.stack([t["adopters"].to_numpy() for t in per_rep])
    secondary = np.stack([t["secondary"].to_numpy() for t in per_rep])
    r = np.stack([t["r"].to_numpy() for t in per_rep])
    first = per_rep[0]
    followed = first["followed_months"].to_numpy()
    total = adopters.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        pooled = np.where((total > 0) & (followed > 0), secondary.sum(axis=0) / total, np.nan)
    defined = ~np.isnan(r)
    lo = np.full(len(first), np.nan)
    hi = np.full(len(first), np.nan)
    for j in np.flatnonzero(defined.any(axis=0)):
        lo[j], hi[j] = np.quantile(r[defined[:, j], j], _LEVELS)
    return pd.DataFrame({"month": first["month"], "adopters_mean": adopters.mean(axis=0),
                         "r": pooled, "lo": lo, "hi": hi,
                         "replicates": defined.sum(axis=0), "followed_months": followed})


def _generation(times: list[np.ndarray]) -> pd.DataFrame:
    longest = max((int(t.max()) for t in times if len(t)), default=0)
    counts = np.stack([np.bincount(t, minlength=longest + 1) for t in times])[:, 1:]
    months = np.arange(1, longest + 1)
    total = counts.sum()
    per_rep = counts.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        shares = counts[per_rep > 0] / per_rep[per_rep > 0, None]
    lo, hi = (np.quantile(shares, _LEVELS, axis=0) if len(shares)
              else np.full((2, len(months)), np.nan))
    return pd.DataFrame({"months": months, "transmissions": counts.sum(axis=0),
                         "share": counts.sum(axis=0) / total if total else np.nan,
                         "share_lo": lo, "share_hi": hi})
