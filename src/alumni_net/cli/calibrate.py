"""``alumni-net calibrate DATA_DIR --out DIR``: is it contagion? Fit adoption from a background
alone and the contagion models to observed adoption times (ABC-SMC model choice), compare them,
optionally predict held-out groups, and write a calibrated config when a model fits."""

from __future__ import annotations

import argparse
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

__all__ = ["add_parser", "run"]


def add_parser(subparsers: Subparsers) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "calibrate",
        help="is it contagion? fit and compare models of observed adoption times",
        description="Fit adoption from a background alone (no contagion) and simple and complex "
                    "contagion (beta, alpha, the threshold) to the people's observed adoption "
                    "times by approximate Bayesian computation with model choice (ABC-SMC), and "
                    "write model_comparison.csv (posterior probability and predictive check of "
                    "each model), fitted.csv (values with 90%% intervals, identified or not and "
                    "why), posterior.csv, predictive_band.csv and predictive_check.png, "
                    "calibrated.toml (a config for 'alumni-net simulate', only when a model "
                    "fits) and summary.md. People who had adopted at the first observed time are "
                    "the model's initial adopters.",
    )
    add_data_args(parser)
    parser.add_argument("--out", type=Path, required=True, metavar="DIR", help="output folder")
    parser.add_argument("--model", choices=("simple", "complex", "both"), default="both",
                        help="contagion model(s) compared with no contagion (always fitted; "
                             "default both)")
    parser.add_argument("--replicates", type=number(int, 1, 1000), default=1, metavar="N",
                        help="simulated data sets per parameter draw (default 1)")
    parser.add_argument("--particles", type=number(int, 20, 10**6), default=300, metavar="N",
                        help="particles per model compared, per generation (default 300)")
    parser.add_argument("--generations", type=number(int, 1, 1000), default=8, metavar="N",
                        help="most ABC-SMC generations, the first from the prior (default 8)")
    parser.add_argument("--time-column", default="adoption_time", metavar="COLUMN",
                        help="people column of adoption times (default adoption_time)")
    parser.add_argument("--time-unit", choices=("day", "week", "month", "quarter", "year"),
                        default=None,
                        help="unit of numeric adoption times (default: time_unit in "
                             "dataset.toml; when neither says, months, and the outputs say so; "
                             "dates are always months)")
    parser.add_argument("--not-adopted", type=number(float), default=None, metavar="VALUE",
                        help="a time code meaning 'not adopted by the end' (e.g. 18 in toa)")
    parser.add_argument("--by", default=None, metavar="COLUMN",
                        help="group column with its own adoption curve (default: network "
                             "components)")
    parser.add_argument("--holdout", type=_share, default=None, metavar="SHARE",
                        help="with --by: fit on the other groups, hold out this share of them "
                             "(seeded) and predict them from the posterior (holdout_check.csv)")
    parser.add_argument("--schedule", default=None, metavar="COLUMN",
                        help="people column that schedules exposure (invitation or session "
                             "date, campaign start); default: schedule in dataset.toml")
    parser.add_argument("--background-periods", type=number(int, 1, 1000), default=1,
                        metavar="N",
                        help="background adoption (every model's) as a piecewise-constant rate "
                             "over N periods of nearly equal length (default 1: constant)")
    parser.add_argument("--background-by-group", action="store_true",
                        help="with --by: each group its own background rate(s)")
    parser.add_argument("--force", action="store_true",
                        help="write calibrated.toml even when no model passes its predictive "
                             "check (it then says so)")
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
    parser.add_argument("--seed", type=number(int, 0, MAX_SEED), default=0, metavar="N",
                        help="root seed (default 0)")
    parser.set_defaults(run=run)
    return parser


def _share(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 < value < 1:
        raise argparse.ArgumentTypeError(f"must be a share between 0 and 1, not {text!r}")
    return value


def declared(args: argparse.Namespace) -> tuple[str | None, str | None]:
    """The time unit and schedule column: the option, else ``dataset.toml``, else None."""
    from alumni_net.errors import ConfigError
    from alumni_net.experiments.calibration import TIME_UNITS
    from alumni_net.io import read_metadata

    meta = read_metadata(args.data_dir) if args.data_dir.is_dir() else {}
    unit = args.time_unit or meta.get("time_unit")
    if unit is not None and unit not in TIME_UNITS:
        raise ConfigError(f"{args.data_dir / 'dataset.toml'}: time_unit must be one of "
                          f"{', '.join(TIME_UNITS)}, got {unit!r}")
    schedule = args.schedule or meta.get("schedule")
    if schedule is not None and not isinstance(schedule, str):
        raise ConfigError(f"{args.data_dir / 'dataset.toml'}: schedule must name a people "
                          f"column, got {schedule!r}")
    return unit, schedule


def run(args: argparse.Namespace) -> int:
    import dataclasses

    from alumni_net.core.publish import allow_list, published_name
    from alumni_net.errors import ConfigError
    from alumni_net.experiments.calibration import SMCSettings, calibrate_dataset, write_calibration
    from alumni_net.experiments.calibration.compare import format_probability
    from alumni_net.experiments.calibration.observed import time_unit_note
    from alumni_net.experiments.config import load_config
    from alumni_net.plotting.calibration import save_predictive_check

    if args.holdout is not None and args.by is None:
        raise ConfigError("--holdout needs --by COLUMN: the groups to hold out")
    settings = SMCSettings(population=args.particles, replicates=args.replicates,
                           max_generations=args.generations)
    params = load_config(args.config).params if args.config else None
    unit, schedule = declared(args)
    ds = load_from_args(args, pseudonymise_ids=False)  # no id is written; keeps runs identical
    if args.by in ds.people.columns:  # the same check as every grouping (core.publish)
        allow_list(ds).check_grouping(args.by, purpose="group adoption curves")
    ds = dataclasses.replace(ds, name=published_name(ds.name))  # it reaches every output
    workers = args.workers
    if workers is None:
        from alumni_net.experiments import default_workers
        workers = default_workers()
    if unit is None:
        note(time_unit_note(None))
    compared = "no contagion, simple and complex" if args.model == "both" else \
        f"no contagion and {args.model}"
    note(f"calibrating {compared} contagion on {ds.n_people:,} people: "
         f"{settings.population} particles per model, up to {settings.max_generations} "
         f"generations, seed {args.seed}")
    cal = calibrate_dataset(
        ds, model=args.model, column=args.time_column, not_adopted=args.not_adopted,
        time_unit=unit, by=args.by, holdout=args.holdout, schedule=schedule,
        background_periods=args.background_periods,
        background_by_group=args.background_by_group, params=params,
        threshold_kind=args.threshold_kind, fit_decay=args.fit_decay, settings=settings,
        workers=workers, dask_address=args.dask, seed=args.seed,
    )
    written = write_calibration(cal, args.out, figure=save_predictive_check, force=args.force)
    for _, r in cal.fitted.iterrows():
        flag = "" if r["identified"] else f"  ({r['identification']})"
        print(f"{r['model']:12s} {r['parameter']:10s} {r['value']:.3g} "
              f"[90% {r['lo']:.3g} to {r['hi']:.3g}]{flag}")
    for r in cal.comparison.itertuples():
        flag = "" if r.passes_check else "  (fails its predictive check)"
        print(f"{r.model:12s} P = {format_probability(r.posterior_probability):6s} "
              f"{r.predictive_coverage:.0%} of observed periods inside the 90% band{flag}")
    med, lo, hi = cal.contagion_share
    print(f"{cal.verdict}; share of adoptions through contagion {med:.0%} "
          f"[90% {lo:.0%} to {hi:.0%}]")
    if cal.holdout is not None:
        h = cal.holdout
        print(f"held-out groups ({', '.join(h.held_groups)}): {h.coverage:.0%} of observed curve "
              f"points inside the predicted 90% bands; final shares inside for "
              f"{int(h.table['inside'].sum())} of {len(h.table)}")
    if cal.fits_data:
        print(f"chosen: {cal.chosen} ({cal.reason})")
    else:
        print(f"NO MODEL FITS: {cal.reason}")
        if not args.force:
            note("calibrated.toml was not written: no model fits (use --force to write it "
                 "anyway)")
    print(f"\nwrote {', '.join(p.name for p in written)} to {args.out}", file=sys.stderr)
    return 0
