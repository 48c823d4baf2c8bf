"""``alumni-net validate DATA_DIR``: list every problem, or summarise a valid dataset."""

from __future__ import annotations

import argparse
import sys

from alumni_net.cli._common import Subparsers, add_data_args, load_from_args, number
from alumni_net.errors import ValidationError
from alumni_net.io import describe_problems

__all__ = ["add_parser", "format_summary", "run"]

MAX_SHOWN = 200


def add_parser(subparsers: Subparsers) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "validate",
        help="check a dataset folder and summarise it",
        description="Check people and ties for every problem at once (file, row, column), "
                    "or print a short summary of a valid dataset.",
    )
    add_data_args(parser)
    parser.add_argument("--max-problems", type=number(int, 0, 10**9), default=MAX_SHOWN,
                        help=f"show at most this many lines (default {MAX_SHOWN}); all are counted")
    parser.add_argument("--each-row", action="store_true",
                        help="one line per problem (default: problems of one kind share a line "
                             "giving their count and first rows)")
    parser.set_defaults(run=run)
    return parser


def format_summary(summary: dict, kinds: dict[str, str] | None = None) -> str:
    """The dataset's counts as a few lines of text.

    ``kinds`` maps each tie kind to what outputs may show (:func:`alumni_net.core.publish.
    published_kinds`): a kind that may name someone is counted under "other kinds", since
    terminal output is pasted into tickets and e-mails.
    """
    from alumni_net.core.publish import OTHER_KINDS, published_name

    lines = [
        f"dataset {published_name(summary['name'])}: {summary['people']:,} people, "
        f"{summary['alumni']:,} alumni in {summary['cohorts']} cohort(s), {summary['ties']:,} "
        f"{'directed' if summary['directed'] else 'undirected'} ties",
    ]
    counts: dict[str, int] = {}
    for kind, count in summary["ties_by_kind"].items():
        shown = kind if kinds is None else kinds.get(kind, OTHER_KINDS)
        counts[shown] = counts.get(shown, 0) + count
    lines += [f"  {kind}: {count:,} ties" for kind, count in counts.items() if kind != OTHER_KINDS]
    if OTHER_KINDS in counts:
        lines.append(f"  {OTHER_KINDS} (used by fewer than 10 ties or looking like a name): "
                     f"{counts[OTHER_KINDS]:,} ties")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    try:
        ds = load_from_args(args, pseudonymise_ids=False)
    except ValidationError as exc:
        problems = exc.problems
        lines = [str(p) for p in problems] if args.each_row else describe_problems(problems)
        for line in lines[: args.max_problems]:
            print(line, file=sys.stderr)
        hidden = len(lines) - args.max_problems
        if hidden > 0:
            print(f"... and {hidden:,} more (use --max-problems to see them)", file=sys.stderr)
        print(f"{args.data_dir}: {len(problems):,} problem(s); nothing was loaded.",
              file=sys.stderr)
        return 2
    from alumni_net.core.publish import published_kinds

    print(format_summary(ds.summary(), published_kinds(ds)))
    return 0
