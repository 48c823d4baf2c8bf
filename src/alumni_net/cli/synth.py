"""``alumni-net synth --out DIR``: write a synthetic programme dataset folder."""

from __future__ import annotations

import argparse
from pathlib import Path

from alumni_net.cli._common import MAX_SEED, Subparsers, number
from alumni_net.synth import PRESETS, synthesize

__all__ = ["add_parser", "run"]


def add_parser(subparsers: Subparsers) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "synth",
        help="write a synthetic programme dataset (people.csv, ties.csv, dataset.toml)",
        description="Generate a synthetic leadership programme in a health and care system: "
                    "yearly cohorts of 24 leaders + 2 people who use services in 4 action "
                    "learning sets, inside a workforce and community network. The same seed "
                    "writes byte-identical files. No names or emails are generated.",
    )
    parser.add_argument("--out", type=Path, required=True, metavar="DIR",
                        help="folder to write the dataset into")
    parser.add_argument("--preset", choices=sorted(PRESETS), default="programme",
                        help="'programme': 10 yearly cohorts in about 20,000 people (default); "
                             "'suite': about 3,000 alumni over 10 years in 100,000 people; "
                             "'national': about 3,000 alumni in the UK health and social care "
                             "workforce, 3 million people shaped by published headcounts "
                             "(about 1 minute and 5 GB)")
    parser.add_argument("--seed", type=number(int, 0, MAX_SEED), default=0,
                        help="random seed (default 0); the same seed gives the same files")
    parser.add_argument("--people", type=number(int, 1, 10**8), default=None, metavar="N",
                        help="population size (default: the preset's)")
    parser.add_argument("--cohorts", type=number(int, 1, 1000), default=None, metavar="N",
                        help="number of cohorts (default: the preset's)")
    parser.add_argument("--force", action="store_true",
                        help="write into DIR even when it already holds files")
    parser.set_defaults(run=run)
    return parser


def run(args: argparse.Namespace) -> int:
    ds = synthesize(args.out, preset=args.preset, seed=args.seed, overwrite=args.force,
                    n_people=args.people, n_cohorts=args.cohorts)
    summary = ds.summary()
    print(f"wrote {args.out}: {summary['people']:,} people, {summary['alumni']:,} alumni in "
          f"{summary['cohorts']} cohorts, {summary['ties']:,} ties")
    return 0
