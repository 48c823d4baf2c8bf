"""``alumni-net export DATA_DIR --out DIR``: the network for Gephi (GEXF, GraphML) and Kumu."""

from __future__ import annotations

import argparse
from pathlib import Path

from alumni_net.cli._common import (
    Subparsers,
    add_data_args,
    atomic_output_dir,
    load_from_args,
    note,
)
from alumni_net.report.export import EXPORT_FILES, export_network

__all__ = ["add_parser", "run"]


def add_parser(subparsers: Subparsers) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "export",
        help="write the network for Gephi (GEXF, GraphML) and Kumu (JSON, workbook)",
        description="Write network.gexf, network.graphml, kumu.json and kumu.xlsx with "
        "pseudonymised ids, the person attributes that are categories (schema columns such as "
        "cohort, sector and region, columns declared with categories = [...] in dataset.toml, "
        "and columns whose every value is shared by at least 10 people; never names, emails or "
        "free text) and tie kinds (a kind that may name someone is written as 'other kinds'); "
        "each reads back into the same dataset (alumni-net validate FILE).",
    )
    # --format names the formats written here, so the format of DATA is forced by --data-format.
    add_data_args(parser, format_flag="--data-format")
    parser.add_argument(
        "--out", type=Path, required=True, metavar="DIR", help="folder to write into"
    )
    parser.add_argument(
        "--format",
        dest="formats",
        nargs="+",
        choices=list(EXPORT_FILES),
        default=list(EXPORT_FILES),
        help="formats to write (default: all)",
    )
    parser.set_defaults(run=run)
    return parser


def run(args: argparse.Namespace) -> int:
    # heavy: imported when the command runs, not for --help
    from alumni_net.core.publish import allow_list
    from alumni_net.graph import to_networkx

    ds = load_from_args(args)
    # One edge per tie, so that the exports keep each kind's weight and date (read back exactly).
    G = to_networkx(ds, multigraph=True)
    for message in allow_list(G).notes():
        note(message)
    with atomic_output_dir(args.out) as tmp:
        written = export_network(G, tmp, args.formats)
    for path in written:
        print(args.out / path.name)
    return 0
