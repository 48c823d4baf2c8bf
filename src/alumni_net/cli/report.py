"""``alumni-net report DIR``: one self-contained HTML page from the results in DIR."""

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
        "report",
        help="write DIR/report.html from the results in DIR",
        description="Write one self-contained HTML page (images embedded) from whatever analyze, "
        "diffusion, calibrate, simulate and scenarios left in DIR: a section for each command "
        "that ran, and a study without a programme described as one. With --data, network "
        "maps too.",
    )
    parser.add_argument("results_dir", metavar="DIR", type=Path, help="folder of results")
    parser.add_argument(
        "--data",
        dest="data_dir",
        type=Path,
        default=None,
        metavar="DATA_DIR",
        help="the dataset folder, for maps and reach computed from the data; loaded as the "
        "results in DIR record (direction, pseudonymised columns) unless options say otherwise",
    )
    add_data_args(parser, data=False)
    parser.add_argument("--title", default="alumni_net report", help="page title")
    add_min_count_arg(parser)
    parser.add_argument("--seed", type=number(int, 0, MAX_SEED), default=0,
                        help="map layout seed (default 0)")
    parser.add_argument("--no-maps", dest="maps", action="store_false", help="skip network maps")
    parser.set_defaults(run=run)
    return parser


def run(args: argparse.Namespace) -> int:
    # heavy: imported when the command runs, not for --help
    from alumni_net.report import write_report

    # The data are loaded as the results in DIR record (e.g. --directed given to analyze).
    ds = None if args.data_dir is None else load_from_args(args, results_dir=args.results_dir)
    path = write_report(
        args.results_dir,
        dataset=ds,
        title=args.title,
        min_count=args.min_count,
        seed=args.seed,
        maps=args.maps,
    )
    print(path)
    return 0
