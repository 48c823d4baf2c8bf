"""``alumni-net simulate DATA_DIR --out DIR``: seeded replicates of the contagion model and the
multiplier table (with and without the programme, beside the claim's own arithmetic)."""

from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path

from alumni_net.cli._common import add_data_args, load_from_args, note
from alumni_net.core.files import check_same_data

__all__ = ["add_parser", "run"]


def add_parser(subparsers) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "simulate",
        help="simulate the spread of practice and estimate the multiplier",
        description="Run seeded replicates of the contagion model with and without the programme "
                    "(same seeds), and write multiplier.csv, by_degree.csv, timeseries.csv, "
                    "by_group.csv, simulate.json and one set of files per replicate in "
                    "OUT/replicates/. Command-line options override the config file.",
    )
    add_data_args(parser)
    parser.add_argument("--config", type=Path, default=None, metavar="FILE.toml",
                        help="model parameters ([model]) and run settings ([run]); "
                             "see data/configs/example.toml")
    parser.add_argument("--replicates", type=int, default=None, metavar="N",
                        help="number of replicates (default: the config's, else 100)")
    parser.add_argument("--seed", type=int, default=None, metavar="N",
                        help="root seed (default: the config's, else 0)")
    parser.add_argument("--engine", choices=("fast", "reference"), default=None,
                        help="model engine (default: the config's, else fast)")
    parser.add_argument("--horizon", type=int, default=None, metavar="MONTHS",
                        help="months to simulate (default: the config's, else 120)")
    parser.add_argument("--workers", type=int, default=None, metavar="N",
                        help="local worker processes (default: every usable CPU; 1 = no pool)")
    parser.add_argument("--dask", default=None, metavar="ADDRESS",
                        help="run on the Dask cluster whose scheduler is at ADDRESS instead")
    parser.add_argument("--resume", action="store_true",
                        help="keep the finished replicates of an interrupted run in --out")
    parser.add_argument("--out", type=Path, required=True, metavar="DIR",
                        help="output folder")
    parser.set_defaults(run=run)
    return parser


def _settings(args: argparse.Namespace):
    """Config file first, command-line options over it (validated the same way)."""
    from alumni_net.experiments.config import load_config

    config = load_config(args.config)
    overrides = {
        key: value
        for key, value in {
            "replicates": args.replicates, "seed": args.seed, "engine": args.engine,
            "horizon": args.horizon,
        }.items()
        if value is not None
    }
    settings = dataclasses.replace(config.run, **overrides)
    params = config.params
    if settings.horizon is not None:
        params = dataclasses.replace(params, horizon_months=settings.horizon)
    return params, settings, config.parameter_source


def _load(args: argparse.Namespace):
    """The dataset as the model needs it, identical from one run to the next.

    Ids are not pseudonymised here: a random key (when none is set) would reorder people and change
    results between runs, breaking ``--resume``. Nothing written by simulate names a person (the
    replicates hold counts only), and the personal columns the model does not use are dropped.
    """
    from alumni_net.io import PERSONAL_COLUMNS, read_metadata

    ds = load_from_args(args, pseudonymise_ids=False)
    listed = read_metadata(args.data_dir).get("pseudonymise", ())
    personal = {*PERSONAL_COLUMNS, *args.pseudonymise, *listed}
    people = ds.people.drop(columns=[c for c in ds.people.columns if c in personal])
    return dataclasses.replace(ds, people=people, notes=())


def run(args: argparse.Namespace) -> int:
    from alumni_net.experiments.multiplier import format_multiplier_table
    from alumni_net.pipelines.simulate import simulate_dataset, simulation_notes
    from alumni_net.pipelines.workforce import is_workforce

    params, settings, source = _settings(args)
    if is_workforce(args.data_dir):
        return _run_workforce(args, params, settings, source)
    ds = _load(args)
    check_same_data(args.out, ds.loaded_with)  # one run per folder
    for message in simulation_notes(ds, params):
        note(message)
    if not len(ds.alumni):
        note("no one in the data is marked as an alum (is_alum), so the programme changes nothing "
             "and per-alum figures are n/a")
    note(
        f"simulating {settings.replicates} replicate(s) of {params.horizon_months} months on "
        f"{ds.n_people:,} people ({len(ds.alumni):,} alumni), engine {settings.engine}, "
        f"seed {settings.seed}"
    )
    table = simulate_dataset(
        ds, args.out, n_replicates=settings.replicates, seed=settings.seed, params=params,
        workers=args.workers, engine=settings.engine, dask_address=args.dask, resume=args.resume,
        parameter_source=source,
    )
    print(format_multiplier_table(table, parameter_source=source))
    print(f"\nwrote {args.out}/multiplier.csv and the other tables", file=sys.stderr)
    return 0


def _run_workforce(args: argparse.Namespace, params, settings, source) -> int:
    """A workforce folder: replicates on each of its networks, pooled (intervals include the
    network), and the headline measures under each non-response assumption."""
    from alumni_net.errors import AlumniNetError
    from alumni_net.experiments.multiplier import format_multiplier_table
    from alumni_net.pipelines.workforce import read_workforce, simulate_workforce

    if args.dask or args.resume:
        raise AlumniNetError("--dask and --resume do not run over a workforce folder's networks "
                             "yet; run without them")
    wf = read_workforce(args.data_dir)
    note(f"simulating {settings.replicates} replicate(s) spread over {wf.n_networks} networks "
         f"({wf.source}), engine {settings.engine}, seed {settings.seed}")
    table = simulate_workforce(args.data_dir, args.out, n_replicates=settings.replicates,
                               seed=settings.seed, params=params, workers=args.workers,
                               engine=settings.engine, parameter_source=source)
    per = -(-settings.replicates // wf.n_networks)
    print(format_multiplier_table(table, parameter_source=source,
                                  network_source=f"on {wf.source}; each interval pools {per} "
                                  "replicate(s) on each network"))
    print(f"\nwrote {args.out}/multiplier.csv, nonresponse_sensitivity.csv and the other tables",
          file=sys.stderr)
    return 0
