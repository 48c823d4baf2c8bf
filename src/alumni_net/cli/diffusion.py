"""``alumni-net diffusion DATA_DIR --out DIR``: netdiffuseR's measures of observed adoption."""

from __future__ import annotations

import argparse
from pathlib import Path

from alumni_net.cli._common import (
    MAX_SEED,
    Subparsers,
    add_data_args,
    add_min_count_arg,
    load_from_args,
    number,
)

__all__ = ["add_parser", "run"]


def add_parser(subparsers: Subparsers) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "diffusion",
        help="adoption curve, exposure, thresholds, hazard, Moran's I and a structure test "
             "from observed adoption times",
        description="Write adoption_curve.csv, exposure.csv, thresholds.csv, "
        "threshold_summary.csv, moran.csv, structure_test.csv, degree_adoption.csv, "
        "exposure_regression.csv, figures and summary.md to the output folder (ids "
        "pseudonymised, small counts withheld). Needs an adoption time per person. With a "
        "group column (--by) the structure test keeps each group's adoption times.",
    )
    add_data_args(parser)
    parser.add_argument("--out", type=Path, required=True, metavar="DIR", help="output folder")
    parser.add_argument(
        "--influence", choices=["target_to_source", "source_to_target", "both"],
        default="target_to_source",
        help="for directed ties, the way influence travels: 'source named target' data pass "
             "advice from target to source (default)")
    parser.add_argument("--time-column", default="adoption_time", metavar="COLUMN",
                        help="people column with adoption times (default adoption_time)")
    parser.add_argument("--not-adopted", type=number(float), default=None, metavar="VALUE",
                        help="a time code meaning 'not adopted by the end' (e.g. 18 in toa)")
    parser.add_argument("--by", default=None, metavar="COLUMN",
                        help="group column (e.g. city): one adoption curve and threshold summary "
                             "per group, and the structure test's null keeps each group's times")
    parser.add_argument("--null", choices=["permute", "rewire"], default="permute",
                        help="structure test null: shuffle adoption times (default) or rewire "
                             "ties keeping degrees (netdiffuseR's struct_test)")
    parser.add_argument("--within", action="extend", nargs="+", default=None, metavar="COLUMN",
                        help="the null keeps these columns' groups (default: --by and the "
                             "schedule)")
    parser.add_argument("--across", action="store_true",
                        help="the null shuffles (or rewires) across everyone, ignoring groups")
    parser.add_argument("--schedule", default=None, metavar="COLUMN",
                        help="column that schedules exposure (invitation or session date, "
                             "campaign start; default: schedule in dataset.toml): the null keeps "
                             "its groups")
    parser.add_argument("--time-unit", choices=("day", "week", "month", "quarter", "year"),
                        default=None,
                        help="unit of numeric adoption times, said in the summary (default: "
                             "time_unit in dataset.toml)")
    parser.add_argument("--replicates", type=number(int, 1, 10**6), default=500, metavar="N",
                        help="null data sets in the structure test (default 500)")
    parser.add_argument("--include-censored", action="store_true",
                        help="give first-period adopters a threshold too")
    parser.add_argument("--seed", type=number(int, 0, MAX_SEED), default=0, metavar="N",
                        help="root seed (default 0)")
    add_min_count_arg(parser)
    parser.set_defaults(run=run)
    return parser


def run(args: argparse.Namespace) -> int:
    # heavy: imported when the command runs, not for --help
    from alumni_net.cli.calibrate import declared
    from alumni_net.errors import ConfigError
    from alumni_net.pipelines.diffusion import diffusion_dataset, write_diffusion
    from alumni_net.plotting.diffusion import save_diffusion_figures

    if args.across and args.within:
        raise ConfigError("--across and --within contradict each other: give one")
    unit, schedule = declared(args)
    ds = load_from_args(args)
    result = diffusion_dataset(
        ds, influence=args.influence, column=args.time_column, not_adopted=args.not_adopted,
        by=args.by, null=args.null, replicates=args.replicates, within=args.within,
        across=args.across, schedule=schedule, time_unit=unit,
        include_censored=args.include_censored, seed=args.seed,
    )
    write_diffusion(result, args.out, min_count=args.min_count, figures=save_diffusion_figures)
    st = result.structure
    print(f"diffusion on {ds.n_people:,} people over {len(result.data.periods)} periods; structure "
          f"test ({st.describe()}): observed {st.observed:.3f} vs null {st.expected:.3f}, "
          f"p = {st.p_value:.3f}; wrote {args.out}")
    return 0
