"""``alumni-net calibrate DATA_DIR --out DIR``: fit the spread parameters to observed adoption
times (ABC-SMC) and write the fitted values, a predictive check and a calibrated config."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from alumni_net.cli._common import (
    MAX_SEED,
    MAX_WORKERS,
    add_data_args,
    load_from_args,
    note,
    number,
)

__all__ = ["add_parser", "run"]


def add_parser(subparsers) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "calibrate",
        help="fit the contagion model to observed adoption times",
        description="Fit beta, alpha (and the threshold of complex contagion) to the people's "
                    "observed adoption times by approximate Bayesian computation (ABC-SMC), and "
                    "write posterior.csv, fitted.csv (values with 90%% intervals), "
                    "predictive_check.png, calibrated.toml (a config for 'alumni-net simulate') "
                    "and summary.md. People who had adopted at the first observed time are the "
                    "model's initial adopters.",
    )
    add_data_args(parser)
    parser.add_argument("--out", type=Path, required=True, metavar="DIR", help="output folder")
    parser.add_argument("--model", choices=("simple", "complex", "both"), default="both",
                        help="contagion model(s) to fit; both are compared (default both)")
    parser.add_argument("--replicates", type=number(int, 1, 1000), default=1, metavar="N",
                        help="simulated data sets per parameter draw (default 1)")
    parser.add_argument("--particles", type=number(int, 20, 10**6), default=300, metavar="N",
                        help="posterior sample size per generation (default 300)")
    parser.add_argument("--generations", type=number(int, 1, 1000), default=8, metavar="N",
                        help="most ABC-SMC generations, the first from the prior (default 8)")
    parser.add_argument("--time-column", default="adoption_time", metavar="COLUMN",
                        help="people column of adoption times (default adoption_time)")
    parser.add_argument("--time-unit", choices=("month", "quarter", "year"), default="month",
                        help="unit of numeric adoption times (dates are months; default month)")
    parser.add_argument("--not-adopted", type=number(float), default=None, metavar="VALUE",
                        help="a time code meaning 'not adopted by the end' (e.g. 18 in toa)")
    parser.add_argument("--by", default=None, metavar="COLUMN",
                        help="group column with its own adoption curve (default: network "
                             "components)")
    parser.add_argument("--threshold-kind", choices=("fraction", "count"), default="fraction",
                        help="complex contagion threshold as a share or count of contacts")
    parser.add_argument("--fit-decay", action="store_true",
                        help="also fit the monthly lapsing probability")
    parser.add_argument("--config", type=Path, default=None, metavar="FILE.toml",
                        help="fixed model parameters ([model]) for what is not fitted")
    parser.add_argument("--workers", type=number(int, 1, MAX_WORKERS), default=None, metavar="N",
                        help="local worker processes (default: every usable CPU; 1 = no pool)")
    parser.add_argument("--dask", default=None, metavar="ADDRESS",
                        help="run on the Dask cluster whose scheduler is at ADDRESS instead")
    parser.add_argument("--seed", type=number(int, 0, MAX_SEED), default=0, metavar="N", help="root seed (default 0)")
    parser.set_defaults(run=run)
    return parser


def run(args: argparse.Namespace) -> int:
    import dataclasses

    from alumni_net.core.publish import allow_list, published_name
    from alumni_net.experiments.calibration import SMCSettings, calibrate_dataset, write_calibration
    from alumni_net.experiments.calibration.outputs import GOOD_FIT
    from alumni_net.experiments.config import load_config
    from alumni_net.plotting.calibration import save_predictive_check

    settings = SMCSettings(population=args.particles, replicates=args.replicates,
                           max_generations=args.generations)
    params = load_config(args.config).params if args.config else None
    ds = load_from_args(args, pseudonymise_ids=False)  # no id is written; keeps runs identical
    if args.by in ds.people.columns:  # the same check as every grouping (core.publish)
        allow_list(ds).check_grouping(args.by, purpose="group adoption curves")
    ds = dataclasses.replace(ds, name=published_name(ds.name))  # it reaches every output
    workers = args.workers
    if workers is None:
        from alumni_net.experiments import default_workers
        workers = default_workers()
    note(f"calibrating the {args.model} model(s) on {ds.n_people:,} people: "
         f"{settings.population} particles, up to {settings.max_generations} generations, "
         f"seed {args.seed}")
    cal = calibrate_dataset(
        ds, model=args.model, column=args.time_column, not_adopted=args.not_adopted,
        time_unit=args.time_unit, by=args.by, params=params, threshold_kind=args.threshold_kind,
        fit_decay=args.fit_decay, settings=settings, workers=workers, dask_address=args.dask,
        seed=args.seed,
    )
    write_calibration(cal, args.out, figure=save_predictive_check)
    table = cal.fitted
    for _, r in table.iterrows():
        flag = "" if r["identified"] else "  (not identified by the data)"
        print(f"{r['model']:8s} {r['parameter']:10s} {r['value']:.3g} "
              f"[90% {r['lo']:.3g} to {r['hi']:.3g}]{flag}")
    for model, fit in cal.fits.items():
        warn = "  (poor fit: see summary.md)" if fit.check.share_inside < GOOD_FIT else ""
        print(f"{model}: {fit.check.share_inside:.0%} of observed periods inside the 90% band"
              f"{warn}")
    print(f"chosen: {cal.chosen} ({cal.reason})")
    print(f"\nwrote {args.out}/calibrated.toml and the other files", file=sys.stderr)
    return 0
