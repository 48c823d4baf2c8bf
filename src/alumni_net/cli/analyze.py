"""``alumni-net analyze DATA_DIR --out DIR``: centrality, connectors, bridging and alumni reach."""

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
from alumni_net.core.files import check_same_data

__all__ = ["add_parser", "run"]


def add_parser(subparsers: Subparsers) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "analyze",
        help="centrality, connectors, bridging and 1-2-3 degree reach of the alumni",
        description="Write centrality.csv, reach.csv, reach_by_cohort.csv, summary.json and "
        "summary.md "
        "to the output folder (ids pseudonymised, small group counts suppressed).",
    )
    add_data_args(parser)
    parser.add_argument("--out", type=Path, required=True, metavar="DIR", help="output folder")
    parser.add_argument(
        "--seed", type=number(int, 0, MAX_SEED), default=0,
        help="seed for sampling and communities (default 0)",
    )
    parser.add_argument(
        "--max-dist", type=number(int, 1, 50), default=3,
        help="largest degree of separation (default 3)",
    )
    parser.add_argument(
        "--influence",
        choices=["target_to_source", "source_to_target", "both"],
        default="target_to_source",
        help="for directed ties, the way influence travels: 'source named target' data "
        "pass advice from target to source (default)",
    )
    parser.add_argument(
        "--samples",
        type=number(int, 1, 10**7),
        default=None,
        help="sampled sources for betweenness/closeness above 5,000 people (default 500; 32 "
        "above 1,000,000 people, where each source is a search of tens of millions of ties)",
    )
    parser.add_argument(
        "--top", type=number(int, 1, 10**6), default=10,
        help="connectors listed in the summary (default 10)",
    )
    add_min_count_arg(parser)
    parser.set_defaults(run=run)
    return parser


def run(args: argparse.Namespace) -> int:
    # heavy: imported when the command runs, not for --help
    from alumni_net.pipelines.analyze import analyze_dataset
    from alumni_net.pipelines.workforce import is_workforce

    if is_workforce(args.data_dir):
        return _run_workforce(args)

    ds = load_from_args(args)
    check_same_data(args.out, ds.loaded_with)  # one run per folder
    result = analyze_dataset(
        ds,
        args.out,
        seed=args.seed,
        max_dist=args.max_dist,
        influence=args.influence,
        samples=args.samples,
        top=args.top,
        min_count=args.min_count,
    )
    union = result.summary["reach"]["alumni_union"]
    within = union.get(f"reach_within_{args.max_dist}")
    print(
        f"analyzed {ds.n_people:,} people; alumni reach within {args.max_dist} degrees: "
        f"{'suppressed' if within is None else f'{within:,}'}; wrote {args.out}"
    )
    return 0


def _run_workforce(args: argparse.Namespace) -> int:
    """A workforce folder: reach and alumni ranks on each network, with intervals over them."""
    from alumni_net.pipelines.workforce import analyze_workforce, read_workforce

    wf = read_workforce(args.data_dir)
    samples = {} if args.samples is None else {"samples": args.samples}
    result = analyze_workforce(args.data_dir, args.out, max_dist=args.max_dist, seed=args.seed,
                               **samples)
    union = result["reach_union"]
    row = union[(union["measure"] == f"reach_within_{args.max_dist}")].set_index("assumption")
    cells = "; ".join(f"{a}: {r['median']:,.0f} (90% interval {r['lo']:,.0f} to {r['hi']:,.0f})"
                      for a, r in row.iterrows())
    print(f"on {wf.source}: alumni reach within {args.max_dist} degrees, {cells}; "
          f"wrote {args.out}")
    return 0
