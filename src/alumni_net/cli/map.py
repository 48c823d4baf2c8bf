"""``alumni-net map DATA_DIR --out FILE``: a network map as PNG, SVG or PDF (or an animated GIF)."""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

from alumni_net.cli._common import add_data_args, add_threshold_arg, load_from_args
from alumni_net.errors import AlumniNetError

__all__ = ["add_parser", "resolve_person", "run"]

# The largest person-level map (alumni_net.plotting.MAX_PEOPLE, repeated so that --help does not
# import matplotlib; a test checks the two agree).
MAX_PEOPLE = 5_000


def add_parser(subparsers) -> argparse.ArgumentParser:
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
        help="centrality.csv from 'alumni-net analyze' for --size-by",
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
        help="with --aggregate: hide groups below the threshold instead of merging them",
    )
    parser.add_argument(
        "--labels",
        action="store_true",
        help="draw person labels (pseudonymised ids); off by default",
    )
    add_threshold_arg(parser)
    parser.add_argument(
        "--max-people",
        type=int,
        default=MAX_PEOPLE,
        help=f"largest person-level map (default {MAX_PEOPLE:,})",
    )
    parser.add_argument("--seed", type=int, default=0, help="layout seed (default 0)")
    parser.add_argument("--title", default=None, help="title above the map")
    parser.add_argument(
        "--dpi", type=int, default=150, help="resolution of PNG and GIF (default 150)"
    )
    parser.set_defaults(run=run)
    return parser


def resolve_person(G, given: str, key_file: Path | None) -> str:
    """The node for an id typed by the user: a pseudonym in the graph, or an original id whose
    pseudonym the configured key gives."""
    for v in G.nodes:
        if str(v) == given:
            return v
    from alumni_net.io import Pseudonymiser, resolve_key

    secret, random_key = resolve_key(key_file)
    if random_key is None:
        candidate = Pseudonymiser(secret).one(given, "person_id")
        if candidate in G:
            return candidate
    raise AlumniNetError(
        f"person '{given}' is not in the network (ids are pseudonymised on load: give the "
        "pseudonym, or set ALUMNI_NET_KEY / --key-file to find an original id)"
    )


def run(args: argparse.Namespace) -> int:
    # heavy: imported when the command runs, not for --help
    from alumni_net.graph import to_networkx

    # heavy: imported when the command runs, not for --help
    from alumni_net.plotting import (
        choose_grouping,
        plot_aggregated_map,
        plot_ego_map,
        plot_growth_panels,
        plot_network_map,
        save_figure,
        save_growth_gif,
    )
    suffix = args.out.suffix.lower()
    if args.threshold < 1:
        raise AlumniNetError(f"--threshold must be at least 1, not {args.threshold}")
    if suffix == ".gif" and not args.growth:
        raise AlumniNetError("only --growth maps are animated; use .png, .svg or .pdf")
    ds = load_from_args(args)
    G = to_networkx(ds)
    common = {"threshold": args.threshold, "title": args.title, "data_name": ds.name}
    order_by = choose_grouping(G, args.color_by) if args.color_by else "cohort"
    if args.growth and suffix == ".gif":
        save_growth_gif(
            G,
            args.out,
            order_by=order_by,
            seed=args.seed,
            dpi=min(args.dpi, 100),
            threshold=args.threshold,
            data_name=ds.name,
        )
        print(args.out)
        return 0
    if args.growth:
        fig = plot_growth_panels(
            G, order_by=order_by, seed=args.seed, threshold=args.threshold, data_name=ds.name
        )
    elif args.aggregate:
        ax = plot_aggregated_map(G, group_by=args.color_by, hide_small=args.hide_small, **common)
        fig = ax.figure
    elif args.ego is not None or args.cohort is not None:
        ego = resolve_person(G, args.ego, args.key_file) if args.ego is not None else None
        fig = plot_ego_map(
            G, ego, cohort=args.cohort, mode=args.influence, person_labels=args.labels, **common
        ).figure
    else:
        centrality = _read_centrality(args.centrality, ds) if args.centrality else None
        fig = plot_network_map(
            G,
            color_by=args.color_by,
            size_by=args.size_by,
            centrality=centrality,
            seed=args.seed,
            max_people=args.max_people,
            person_labels=args.labels,
            **common,
        ).figure
    save_figure(fig, args.out, dpi=args.dpi)
    print(args.out)
    return 0


def _read_centrality(path: Path, ds) -> pd.DataFrame:
    table = pd.read_csv(path)
    if "person_id" not in table.columns:
        raise AlumniNetError(f"{path} has no person_id column; give the centrality.csv of analyze")
    # Ids read back from CSV may be numbers where the dataset's are text, or the reverse.
    table["person_id"] = table["person_id"].astype(ds.people["person_id"].dtype)
    return table
