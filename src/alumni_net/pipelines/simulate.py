"""The simulate pipeline: replicates of the model on a dataset -> the published tables on disk.

The library side of ``alumni-net simulate`` (and of the demo).
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pandas as pd

from alumni_net import __version__
from alumni_net.abm import ContagionParams
from alumni_net.core.files import atomic_write_text, retire_stale
from alumni_net.core.rng import SeedLike
from alumni_net.core.tables import csv_text
from alumni_net.experiments import Replicates, default_workers, run_replicates
from alumni_net.experiments.config import ILLUSTRATIVE
from alumni_net.experiments.multiplier import (
    by_degree_table,
    format_multiplier_table,
    multiplier_table,
    summarise,
    timeseries_table,
)

__all__ = ["simulate_dataset", "simulation_notes", "summary_tables", "write_outputs"]


def summary_tables(reps: Replicates) -> dict[str, pd.DataFrame]:
    """The published tables of a run: multiplier, by_degree, timeseries and by_group."""
    by_group = reps.by_group.melt(
        id_vars=["replicate", "arm", "month", "group_type", "group"], value_vars=["practising"],
        var_name="measure",
    )
    return {
        "multiplier": multiplier_table(reps.summary),
        "by_degree": by_degree_table(reps.by_degree, reps.summary),
        "timeseries": timeseries_table(reps.timeseries),
        "by_group": summarise(by_group, ["month", "arm", "group_type", "group", "measure"]),
    }


def write_outputs(out_dir: str | Path, reps: Replicates, *, extra: dict | None = None) -> dict:
    """Write ``multiplier.csv``, ``by_degree.csv``, ``timeseries.csv``, ``by_group.csv``,
    ``multiplier.md`` and ``simulate.json`` into ``out_dir``, each atomically.

    Returns the tables written (name -> DataFrame).
    """
    out_dir = Path(out_dir)
    tables = summary_tables(reps)
    for name, table in tables.items():
        atomic_write_text(out_dir / f"{name}.csv", csv_text(table, float_format="%.6g"))
    source = (extra or {}).get("parameter_source")
    markdown = format_multiplier_table(tables["multiplier"], parameter_source=source,
                                       network_source=(extra or {}).get("network_source")) + "\n"
    atomic_write_text(out_dir / "multiplier.md", markdown)
    meta = {
        "package_version": __version__,
        "n_replicates": reps.n_replicates,
        **{k: v for k, v in reps.manifest.items() if k != "data"},
        "data": reps.manifest["data"],
        **(extra or {}),
    }
    atomic_write_text(out_dir / "simulate.json", json.dumps(meta, indent=2, default=str) + "\n")
    retire_stale(out_dir)  # an earlier report.html no longer matches these results
    return tables


def simulate_dataset(
    ds: Any,
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
) -> pd.DataFrame:
    """Simulate ``ds``, write every simulate output into ``out_dir``, return the multiplier table.

    ``parameter_source`` says where the parameters came from, in words that ``simulate.json``,
    ``multiplier.md`` and the report carry (see
    :attr:`alumni_net.experiments.config.SimulateConfig.parameter_source`); by default
    "illustrative defaults, not fitted" for the model's defaults, and "set by the caller, not
    fitted" for any other parameters.

    The library side of ``alumni-net simulate`` (and of the demo): replicates stream to
    ``out_dir/replicates/``; the summary files are written at the end, each atomically. Print
    the result with :func:`alumni_net.experiments.multiplier.format_multiplier_table`.
    """
    started = time.perf_counter()
    reps = run_replicates(
        ds, params, n_replicates=n_replicates, seed=seed, engine=engine, workers=workers,
        dask_address=dask_address, out_dir=out_dir, resume=resume,
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
    return write_outputs(out_dir, reps, extra=extra)["multiplier"]


def simulation_notes(ds: Any, params: ContagionParams | None = None) -> list[str]:
    """What the user should know about how the model reads these data (the command line prints
    each once; ``simulate.json`` records them): tie kinds that get the default weight."""
    params = ContagionParams() if params is None else params
    ties = getattr(ds, "ties", None)
    if ties is not None and "kind" in ties:
        kinds = ties["kind"].unique()
    elif hasattr(ds, "edges"):  # a networkx graph
        kinds = {k for _, _, k in ds.edges(data="kind", default="tie")}
    else:
        kinds = ()
    note = params.unweighted_note(kinds)
    return [note] if note else []


