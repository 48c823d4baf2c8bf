"""The simulate pipeline: replicates of the model on a dataset -> the published tables on disk.

The library side of ``alumni-net simulate`` (and of the demo).
"""

from __future__ import annotations

import dataclasses
import json
import os
import time
from collections.abc import Hashable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from alumni_net import __version__
from alumni_net.abm import ContagionParams, NetworkSource
from alumni_net.core.files import atomic_write_text, retire_stale
from alumni_net.core.publish import (
    allow_list,
    pool_small_groups,
    published_json,
    published_kinds,
    published_name,
)
from alumni_net.core.rng import SeedLike
from alumni_net.core.tables import csv_text
from alumni_net.experiments import Replicates, default_workers, run_replicates
from alumni_net.experiments.config import ILLUSTRATIVE
from alumni_net.experiments.multiplier import (
    by_degree_table,
    contagion_note,
    format_multiplier_table,
    multiplier_table,
    summarise,
    timeseries_table,
)
from alumni_net.vocabulary import DEFAULT_MIN_COUNT

__all__ = ["observed_adopters", "simulate_dataset", "simulation_notes", "summary_tables",
           "write_outputs"]


def summary_tables(reps: Replicates, data: Any = None, *,
                   min_count: int = DEFAULT_MIN_COUNT) -> dict[str, pd.DataFrame]:
    """The published tables of a run: multiplier, by_degree, timeseries and by_group.

    ``by_group`` shows only groupings the allow-list of ``data`` (the Dataset or graph the run
    was on) lets outputs group people by, with groups of fewer than ``min_count`` people pooled
    with their complement (:func:`alumni_net.core.publish.pool_small_groups`); without ``data``
    it has no rows, as nothing says which groups may be named.
    """
    by_group = _published_groups(reps.by_group, data, min_count).melt(
        id_vars=["replicate", "arm", "month", "group_type", "group"], value_vars=["practising"],
        var_name="measure",
    )
    return {
        "multiplier": multiplier_table(reps.summary),
        "by_degree": by_degree_table(reps.by_degree, reps.summary),
        "timeseries": timeseries_table(reps.timeseries),
        "by_group": summarise(by_group, ["month", "arm", "group_type", "group", "measure"]),
    }


def _published_groups(by_group: pd.DataFrame, data: Any, min_count: int) -> pd.DataFrame:
    """``by_group`` rows of the groupings outputs may show, small groups pooled (their counts
    summed per replicate, arm and month)."""
    if data is None:
        return by_group.iloc[:0]
    allowed = allow_list(data, min_count=min_count)
    people = _people(data)
    parts = []
    for group_type, part in by_group.groupby("group_type", sort=False):
        if group_type not in people.columns or not allowed.groupable(group_type):
            continue
        # The labels as the model's network makes them (text; people without one are no group).
        labels = people[group_type].dropna().astype(str)
        published, _ = pool_small_groups(labels, min_count=min_count)
        # One entry per distinct label (a label is always published alike): a dict zipped over
        # every person took seconds per group type at a million people.
        pairs = pd.DataFrame({"label": labels.to_numpy(dtype=object),
                              "shown": published.to_numpy(dtype=object)}
                             ).drop_duplicates("label")
        shown = dict(zip(pairs["label"], pairs["shown"], strict=True))
        part = part.assign(group=part["group"].astype(str).map(shown))
        keys = ["replicate", "arm", "month", "group_type", "group"]
        parts.append(part.groupby(keys, sort=False, dropna=True)["practising"].sum()
                     .reset_index())
    return pd.concat(parts, ignore_index=True) if parts else by_group.iloc[:0]


def _people(data: Any) -> pd.DataFrame:
    if hasattr(data, "people"):
        return data.people
    return pd.DataFrame.from_records([d for _, d in data.nodes(data=True)])


def write_outputs(out_dir: str | os.PathLike, reps: Replicates, *, extra: dict | None = None,
                  data: Any = None, min_count: int = DEFAULT_MIN_COUNT) -> dict:
    """Write ``multiplier.csv``, ``by_degree.csv``, ``timeseries.csv``, ``by_group.csv``,
    ``multiplier.md`` and ``simulate.json`` into ``out_dir``, each atomically (``by_group.csv``
    as :func:`summary_tables` publishes it for ``data``).

    Returns the tables written (name -> DataFrame).
    """
    out_dir = Path(out_dir)
    tables = summary_tables(reps, data, min_count=min_count)
    for name, table in tables.items():
        atomic_write_text(out_dir / f"{name}.csv", csv_text(table, float_format="%.6g"))
    source = (extra or {}).get("parameter_source")
    calibration = (extra or {}).get("calibration")
    if calibration:
        extra = {**(extra or {}), "contagion_note": contagion_note(
            tables["multiplier"], p_contagion=calibration.get("p_contagion"),
            share=tuple(calibration.get("contagion_share", ())),
            draws=calibration.get("posterior_draws", 0))}
    markdown = format_multiplier_table(tables["multiplier"], parameter_source=source,
                                       contagion=(extra or {}).get("contagion_note"),
                                       network_source=(extra or {}).get("network_source")) + "\n"
    atomic_write_text(out_dir / "multiplier.md", markdown)
    meta = {
        "package_version": __version__,
        "n_replicates": reps.n_replicates,
        **{k: v for k, v in reps.manifest.items() if k != "data"},
        "data": reps.manifest["data"],
        **(extra or {}),
    }
    meta = published_json(json.loads(json.dumps(meta, default=str)))
    atomic_write_text(out_dir / "simulate.json", json.dumps(meta, indent=2) + "\n")
    retire_stale(out_dir)  # an earlier report.html no longer matches these results
    return tables


def simulate_dataset(
    ds: NetworkSource,
    out_dir: str | Path,
    *,
    n_replicates: int = 20,
    seed: SeedLike = 0,
    params: ContagionParams | None = None,
    workers: int | None = None,
    engine: str = "fast",
    dask_address: str | None = None,
    resume: bool = False,
    parameter_source: str | None = None,
    param_draws: Sequence[ContagionParams] = (),
    initial_adopters: Sequence[Hashable] = (),
    calibration: dict | None = None,
    transmission: int = 0,
) -> pd.DataFrame:
    """Simulate ``ds``, write every simulate output into ``out_dir``, return the multiplier table.

    ``parameter_source`` says where the parameters came from, in words that ``simulate.json``,
    ``multiplier.md`` and the report carry (see
    :attr:`alumni_net.experiments.config.SimulateConfig.parameter_source`); by default
    "illustrative defaults, not fitted" for the model's defaults, and "set by the caller, not
    fitted" for any other parameters.

    ``param_draws`` (e.g. a calibrated posterior's draws) and ``initial_adopters`` (e.g. the
    adopters already observed) go to :func:`~alumni_net.experiments.run_replicates`;
    ``calibration`` (``p_contagion``, ``contagion_share``, ``posterior_draws``: what a calibrated
    config's ``[source]`` says) adds the calibration's word on contagion under the multiplier
    (:func:`~alumni_net.experiments.multiplier.contagion_note`) and in ``simulate.json``.

    ``transmission`` (a number of replicates, 0 for none): who passed the practice to whom in
    the first ``transmission`` replicates, written as ``reproduction.csv``,
    ``generation_time.csv``, ``tree_summary.csv`` and ``transmission_trees.npz``
    (:func:`~alumni_net.experiments.transmission.write_transmission`).

    The library side of ``alumni-net simulate`` (and of the demo): replicates stream to
    ``out_dir/replicates/``; the summary files are written at the end, each atomically. Print
    the result with :func:`alumni_net.experiments.multiplier.format_multiplier_table`.
    """
    started = time.perf_counter()
    name = getattr(ds, "name", None)
    if isinstance(name, str) and dataclasses.is_dataclass(ds) and not isinstance(ds, type):
        # The name reaches the run's manifest and every output: checked like a cell.
        ds = dataclasses.replace(ds, name=published_name(name))
    reps = run_replicates(
        ds, params, n_replicates=n_replicates, seed=seed, engine=engine, workers=workers,
        dask_address=dask_address, out_dir=out_dir, resume=resume, param_draws=param_draws,
        initial_adopters=initial_adopters,
    )
    elapsed = time.perf_counter() - started
    if parameter_source is None:
        parameter_source = (ILLUSTRATIVE if params is None or params == ContagionParams()
                            else "set by the caller, not fitted")
    params = ContagionParams() if params is None else params
    extra = {
        "parameter_source": parameter_source,
        "workers": "dask" if dask_address else (workers or default_workers()),
        "resumed": resume,
        "elapsed_seconds": round(elapsed, 3),
        # How the data were loaded (no key in it), so later commands load them the same way.
        "loaded_with": {
            **(getattr(ds, "loaded_with", None) or {"directed": getattr(ds, "directed", None)}),
            "influence": params.influence,
        },
        "notes": simulation_notes(ds, params),
    }
    if calibration:
        extra["calibration"] = calibration
    if transmission:
        from alumni_net.experiments.transmission import record_transmissions, write_transmission

        records = record_transmissions(
            ds, params, n_replicates=n_replicates, seed=seed, engine=engine,
            param_draws=param_draws, initial_adopters=initial_adopters, replicates=transmission)
        write_transmission(records, out_dir)
        extra["transmission"] = {
            "replicates": len(records),
            "files": ["reproduction.csv", "generation_time.csv", "tree_summary.csv",
                      "transmission_trees.npz"],
            "note": "who passed the practice to whom, from the first replicates re-run with "
                    "infectors recorded (the same draws as the run's)"}
    return write_outputs(out_dir, reps, extra=extra, data=ds)["multiplier"]


def observed_adopters(ds: Any, column: str, *, not_adopted: float | None = None,
                      until: float | None = None) -> list:
    """Ids of the people with an observed adoption time in ``column`` (at or before ``until``):
    the adopters already seen, to start a simulation from.

    Examples
    --------
    >>> from alumni_net.io import Dataset
    >>> people = pd.DataFrame({"person_id": [1, 2, 3, 4], "t": [1, None, 3, 18]})
    >>> ds = Dataset(people, pd.DataFrame(columns=["source", "target", "kind"]))
    >>> observed_adopters(ds, "t", not_adopted=18), observed_adopters(ds, "t", until=2)
    ([1, 3], [1])
    """
    from alumni_net.diffusion import require_adoption_times

    times = require_adoption_times(ds, column, not_adopted=not_adopted)
    keep = times.notna() & (times <= until if until is not None else True)
    return times.index[keep].tolist()


def simulation_notes(ds: Any, params: ContagionParams | None = None) -> list[str]:
    """What the user should know about how the model reads these data (the command line prints
    each once; ``simulate.json`` records them): tie kinds that get the default weight.

    Kinds are named only when outputs may publish them (:mod:`alumni_net.core.publish`: a kind
    can name a person); the others are counted.
    """
    params = ContagionParams() if params is None else params
    shown = published_kinds(ds) if hasattr(ds, "edges") or hasattr(ds, "ties") else {}
    weighted = {k for k, _ in params.tie_weights}
    named = [k for k, v in shown.items() if v == k]
    hidden = sum(1 for k, v in shown.items() if v != k and k not in weighted)
    note = params.unweighted_note(named)
    if hidden:
        s = "s" if hidden > 1 else ""
        note = ((note + "; ") if note else "") + (
            f"{hidden} further tie kind{s}, not named here because {'they' if s else 'it'} may "
            f"name someone, {'have' if s else 'has'} no weight in tie_weights either and "
            f"transmit{'' if s else 's'} with default_tie_weight {params.default_tie_weight:g}")
    return [note] if note else []
