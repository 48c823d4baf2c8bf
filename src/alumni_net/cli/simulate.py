"""``alumni-net simulate DATA_DIR --out DIR``: seeded replicates of the contagion model and the
multiplier table (with and without the programme, beside the claim's own arithmetic)."""

from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path

from alumni_net.cli._common import (
    MAX_SEED,
    MAX_WORKERS,
    Subparsers,
    add_data_args,
    load_from_args,
    note,
    number,
)
from alumni_net.core.files import check_same_data
from alumni_net.vocabulary import ENGINES

__all__ = ["add_parser", "run"]


def add_parser(subparsers: Subparsers) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "simulate",
        help="simulate the spread of practice and estimate the multiplier",
        description="Run seeded replicates of the contagion model with and without the programme "
                    "(same seeds), and write multiplier.csv, by_degree.csv, timeseries.csv, "
                    "by_group.csv, simulate.json and one set of files per replicate in "
                    "OUT/replicates/. Command-line options override the config file. A "
                    "calibrated config's [posterior] draws are run one per replicate, so the "
                    "intervals carry the parameter uncertainty. On a workforce folder (from "
                    "'alumni-net workforce') the replicates are spread over its K networks and "
                    "pooled, so the intervals include the uncertainty about the network; every "
                    "network's replicates run on one pool (or the --dask cluster) and are kept "
                    "in OUT/networks/, which --resume continues network by network.",
    )
    add_data_args(parser)
    parser.add_argument("--config", type=Path, default=None, metavar="FILE.toml",
                        help="model parameters ([model]) and run settings ([run]); "
                             "see data/configs/example.toml")
    parser.add_argument("--replicates", type=number(int, 1, 10**6), default=None, metavar="N",
                        help="number of replicates (default: the config's, else 100)")
    parser.add_argument("--seed", type=number(int, 0, MAX_SEED), default=None, metavar="N",
                        help="root seed (default: the config's, else 0)")
    parser.add_argument("--engine", choices=ENGINES, default=None,
                        help="model engine, one of the registered engines "
                             "(default: the config's, else fast)")
    parser.add_argument("--horizon", type=number(int, 1, 2400), default=None, metavar="MONTHS",
                        help="months to simulate (default: the config's, else 120)")
    parser.add_argument("--workers", type=number(int, 1, MAX_WORKERS), default=None, metavar="N",
                        help="local worker processes (default: every usable CPU; 1 = no pool)")
    parser.add_argument("--dask", default=None, metavar="ADDRESS",
                        help="run on the Dask cluster whose scheduler is at ADDRESS instead")
    parser.add_argument("--resume", action="store_true",
                        help="keep the finished replicates of an interrupted run in --out")
    parser.add_argument("--medians", action="store_true",
                        help="run the config's [model] values (posterior medians) even when it "
                             "carries [posterior] draws")
    parser.add_argument("--from-observed", action="store_true",
                        help="start from the adopters already observed: people with an adoption "
                             "time practise from month 0")
    parser.add_argument("--observed-until", type=number(float), default=None, metavar="TIME",
                        help="with --from-observed, only adoption times up to TIME count")
    parser.add_argument("--time-column", default=None, metavar="COLUMN",
                        help="adoption times for --from-observed (default: the column the config "
                             "was calibrated on, else adoption_time)")
    parser.add_argument("--not-adopted", type=number(float), default=None, metavar="VALUE",
                        help="a time code meaning 'not adopted' (default: the calibrated one)")
    parser.add_argument("--transmission", type=number(int, 0, 10**4), default=0, metavar="N",
                        help="also write who passed the practice to whom in the first N "
                             "replicates: reproduction.csv (reproduction number by month), "
                             "generation_time.csv, tree_summary.csv, transmission_trees.npz "
                             "(default 0: none)")
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


def _posterior(args: argparse.Namespace, params):
    """The posterior draws to run (none with --medians or a config without them), and what the
    calibration said, for the multiplier's words on contagion."""
    from alumni_net.experiments.config import load_config

    config = load_config(args.config)
    draws = () if args.medians or config.posterior is None else \
        config.posterior.all_params(params)
    calibration = None
    if config.source is not None and config.source.contagion_share:
        calibration = {"p_contagion": config.source.p_contagion,
                       "contagion_share": list(config.source.contagion_share),
                       "verdict": config.source.verdict,
                       "time_unit": config.source.time_unit,
                       "posterior_draws": len(draws)}
    return draws, calibration, config.source


def _initial_adopters(args: argparse.Namespace, ds, source) -> list:
    if not args.from_observed:
        if args.observed_until is not None:
            from alumni_net.errors import ConfigError
            raise ConfigError("--observed-until goes with --from-observed")
        return []
    from alumni_net.pipelines.simulate import observed_adopters

    column = args.time_column or (source.time_column if source and source.time_column
                                  else "adoption_time")
    code = args.not_adopted if args.not_adopted is not None else (
        source.not_adopted if source else None)
    return observed_adopters(ds, column, not_adopted=code, until=args.observed_until)


def run(args: argparse.Namespace) -> int:
    from alumni_net.experiments.multiplier import format_multiplier_table
    from alumni_net.pipelines.simulate import simulate_dataset, simulation_notes
    from alumni_net.pipelines.workforce import is_workforce

    params, settings, source = _settings(args)
    if is_workforce(args.data_dir):
        return _run_workforce(args, params, settings, source)
    draws, calibration, provenance = _posterior(args, params)
    if draws:
        used = min(len(draws), settings.replicates)
        source = f"{source}; {used} posterior draws, one per replicate"
        calibration = calibration and {**calibration, "posterior_draws": used}
    # The pool's forkserver imports the model while the data load (on another core).
    from alumni_net.experiments.executor import prepare_pool

    prepare_pool(args.workers, settings.replicates, dask_address=args.dask)
    ds = _load(args)
    seeded = _initial_adopters(args, ds, provenance)
    check_same_data(args.out, ds.loaded_with)  # one run per folder
    for message in simulation_notes(ds, params):
        note(message)
    if not len(ds.alumni):
        note("no one in the data is marked as an alum (is_alum), so the programme changes nothing "
             "and per-alum figures are n/a")
    if seeded:
        note(f"starting from the {len(seeded):,} adopters already observed")
    if draws and settings.replicates < len(draws):
        note(f"{settings.replicates} replicate(s) run the first {settings.replicates} of the "
             f"config's {len(draws)} posterior draws (in random order); more replicates cover "
             "more of the posterior")
    note(
        f"simulating {settings.replicates} replicate(s) of {params.horizon_months} months on "
        f"{ds.n_people:,} people ({len(ds.alumni):,} alumni), engine {settings.engine}, "
        f"seed {settings.seed}"
    )
    table = simulate_dataset(
        ds, args.out, n_replicates=settings.replicates, seed=settings.seed, params=params,
        workers=args.workers, engine=settings.engine, dask_address=args.dask, resume=args.resume,
        parameter_source=source, param_draws=draws, initial_adopters=seeded,
        calibration=calibration, transmission=args.transmission,
    )
    said = None
    if calibration:
        from alumni_net.experiments.multiplier import contagion_note
        said = contagion_note(table, p_contagion=calibration["p_contagion"],
                              share=tuple(calibration["contagion_share"]),
                              draws=calibration["posterior_draws"])
    print(format_multiplier_table(table, parameter_source=source, contagion=said))
    print(f"\nwrote {args.out}/multiplier.csv and the other tables", file=sys.stderr)
    return 0


def _run_workforce(args: argparse.Namespace, params, settings, source) -> int:
    """A workforce folder: replicates on each of its networks, pooled (intervals include the
    network), and the headline measures under each non-response assumption."""
    from alumni_net.errors import AlumniNetError
    from alumni_net.experiments.multiplier import format_multiplier_table
    from alumni_net.pipelines.workforce import read_workforce, simulate_workforce

    if args.from_observed or args.transmission:
        raise AlumniNetError("--from-observed and --transmission do not run over a workforce "
                             "folder's networks yet; run without them")
    draws, _, _ = _posterior(args, params)
    if draws:
        raise AlumniNetError(f"{args.config} carries posterior draws, which do not run over a "
                             "workforce folder's networks yet; add --medians to run its "
                             "posterior medians")
    wf = read_workforce(args.data_dir)
    note(f"simulating {settings.replicates} replicate(s) spread over {wf.n_networks} networks "
         f"({wf.source}) under each of {len(wf.assumptions)} non-response assumption(s), engine "
         f"{settings.engine}, seed {settings.seed}")
    table = simulate_workforce(args.data_dir, args.out, n_replicates=settings.replicates,
                               seed=settings.seed, params=params, workers=args.workers,
                               engine=settings.engine, parameter_source=source,
                               dask_address=args.dask, resume=args.resume)
    per = -(-settings.replicates // wf.n_networks)
    print(format_multiplier_table(table, parameter_source=source,
                                  network_source=f"on {wf.source}; each interval pools {per} "
                                  "replicate(s) on each network"))
    print(f"\nwrote {args.out}/multiplier.csv, nonresponse_sensitivity.csv and the other tables",
          file=sys.stderr)
    return 0
