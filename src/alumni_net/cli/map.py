"""``alumni-net map DATA_DIR --out FILE``: a network map as PNG, SVG or PDF (or an animated GIF)."""

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

# The largest person-level map (alumni_net.plotting.MAX_PEOPLE, repeated so that --help does not
# import matplotlib; a test checks the two agree).
MAX_PEOPLE = 5_000


def add_parser(subparsers: Subparsers) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "map",
        help="draw a network map (whole network, aggregated, ego rings or growth)",
        description="Draw a map of the network for a board paper: PNG, SVG or PDF by the suffix of "
        "--out (GIF with --growth for an animation). No names are drawn; person labels "
        "(pseudonymised ids) need --labels.",
    )
    add_data_args(parser)
    parser.add_argument(
        "--out",
        type=Path,
        required=True,
        metavar="FILE",
        help="image to write: .png, .svg or .pdf (.gif with --growth)",
    )
    parser.add_argument(
        "--color-by",
        metavar="ATTR",
        default=None,
        help="colour (or with --aggregate, group) people by this attribute, e.g. cohort, sector, "
        "region; sector+region makes blocks (default: the first of cohort, sector, region)",
    )
    parser.add_argument(
        "--size-by",
        metavar="MEASURE",
        default="degree",
        help="size people by this centrality (default degree; other measures need --centrality)",
    )
    parser.add_argument(
        "--centrality",
        type=Path,
        metavar="CSV",
        default=None,
        help="centrality.csv from 'alumni-net analyze' for --size-by; the data are then loaded "
        "as that run loaded them (direction, pseudonymised columns) unless options say otherwise",
    )
    kind = parser.add_mutually_exclusive_group()
    kind.add_argument(
        "--aggregate",
        action="store_true",
        help="one node per group of --color-by (for publication)",
    )
    kind.add_argument(
        "--ego",
        metavar="ID",
        default=None,
        help="rings at 1, 2, 3 degrees around this person (original id or pseudonym)",
    )
    kind.add_argument(
        "--cohort",
        metavar="COHORT",
        default=None,
        help="rings at 1, 2, 3 degrees around this cohort",
    )
    kind.add_argument(
        "--growth",
        action="store_true",
        help="the network cohort by cohort, or by the stages of --color-by such as an adoption "
        "time (small multiples; animated with .gif)",
    )
    parser.add_argument(
        "--influence",
        choices=("both", "target_to_source", "source_to_target"),
        default="both",
        help="with --ego/--cohort on directed data: which way ties are followed (default both; "
        "target_to_source is the way analyze counts reach on nomination data)",
    )
    parser.add_argument(
        "--hide-small",
        action="store_true",
        help="with --aggregate: hide groups below the minimum count instead of merging them",
    )
    parser.add_argument(
        "--labels",
        action="store_true",
        help="draw person labels (pseudonymised ids); off by default",
    )
    add_min_count_arg(parser)
    parser.add_argument(
        "--max-people",
        type=number(int, 1, 10**7),
        default=MAX_PEOPLE,
        help=f"largest person-level map (default {MAX_PEOPLE:,})",
    )
    parser.add_argument(
        "--seed", type=number(int, 0, MAX_SEED), default=0, help="layout seed (default 0)"
    )
    parser.add_argument("--title", default=None, help="title above the map")
    parser.add_argument(
        "--dpi", type=number(int, 10, 2400), default=150,
        help="resolution of PNG and GIF (default 150)",
    )
    parser.set_defaults(run=run)
    return parser


def run(args: argparse.Namespace) -> int:
    # heavy: imported when the command runs, not for --help
    from alumni_net.graph import to_networkx
    from alumni_net.io import find_person
    from alumni_net.plotting import read_centrality, write_map

    # With analyze's centrality.csv, load the data as that run did (its summary.json says how).
    ds = load_from_args(args, results_dir=args.centrality.parent if args.centrality else None)
    G = to_networkx(ds)
    ego = find_person(G.nodes, args.ego, args.key_file) if args.ego is not None else None
    centrality = (read_centrality(args.centrality, ds.people["person_id"].dtype)
                  if args.centrality else None)
    out = write_map(
        G, args.out, growth=args.growth, aggregate=args.aggregate, ego=ego, cohort=args.cohort,
        color_by=args.color_by, size_by=args.size_by, centrality=centrality,
        influence=args.influence, labels=args.labels, hide_small=args.hide_small, seed=args.seed,
        max_people=args.max_people, min_count=args.min_count, title=args.title,
        data_name=ds.name, dpi=args.dpi,
    )
    print(out)
    return 0
