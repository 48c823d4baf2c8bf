"""``alumni-net diffusion DATA_DIR --out DIR``: netdiffuseR's measures of observed adoption."""

from __future__ import annotations

import argparse
from pathlib import Path

from alumni_net.cli._common import (
    MAX_SEED,
    add_data_args,
    add_min_count_arg,
    load_from_args,
    number,
)

__all__ = ["add_parser", "run"]


def add_parser(subparsers) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "diffusion",
        help="adoption curve, exposure, thresholds, hazard, Moran's I and a structure test "
             "from observed adoption times",
        description="Write adoption_curve.csv, exposure.csv, thresholds.csv, moran.csv, "
        "structure_test.csv, four figures and summary.md to the output folder (ids "
        "pseudonymised, small counts withheld). Needs an adoption time per person.",
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
                        help="also draw one adoption curve per value of this column (e.g. city)")
    parser.add_argument("--null", choices=["permute", "rewire"], default="permute",
                        help="structure test null: shuffle adoption times (default) or rewire "
                             "ties keeping degrees (netdiffuseR's struct_test)")
    parser.add_argument("--within", default=None, metavar="COLUMN",
                        help="with --null permute, shuffle times only within this column's groups")
    parser.add_argument("--replicates", type=number(int, 1, 10**6), default=500, metavar="N",
                        help="null data sets in the structure test (default 500)")
    parser.add_argument("--include-censored", action="store_true",
                        help="give first-period adopters a threshold too")
    parser.add_argument("--seed", type=number(int, 0, MAX_SEED), default=0, metavar="N", help="root seed (default 0)")
    add_min_count_arg(parser)
    parser.set_defaults(run=run)
    return parser


def run(args: argparse.Namespace) -> int:
    # heavy: imported when the command runs, not for --help
    from alumni_net.pipelines.diffusion import diffusion_dataset, write_diffusion
    from alumni_net.plotting.diffusion import save_diffusion_figures

    ds = load_from_args(args)
    result = diffusion_dataset(
        ds, influence=args.influence, column=args.time_column, not_adopted=args.not_adopted,
        by=args.by, null=args.null, replicates=args.replicates, within=args.within,
        include_censored=args.include_censored, seed=args.seed,
    )
    write_diffusion(result, args.out, min_count=args.min_count, figures=save_diffusion_figures)
    st = result.structure
    print(f"diffusion on {ds.n_people:,} people over {len(result.data.periods)} periods; structure "
          f"test ({st.null}): observed {st.observed:.3f} vs null {st.expected:.3f}, "
          f"p = {st.p_value:.3f}; wrote {args.out}")
    return 0
