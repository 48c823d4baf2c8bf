"""Pieces every command shares: dataset arguments, loading with notes, atomic output folders."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from alumni_net.core.files import atomic_dir
from alumni_net.io import (
    Dataset,
    compare_loaded_with,
    load_dataset,
    read_loaded_with,
    reuse_loaded_with,
)

__all__ = ["add_data_args", "add_min_count_arg", "atomic_output_dir", "load_from_args", "note"]

atomic_output_dir = atomic_dir


def note(message: str) -> None:
    """A short message to the user on stderr (stdout is kept for results)."""
    print(f"note: {message}", file=sys.stderr)


#: What DATA may be, for --help.
DATA_HELP = ("a dataset folder (people and ties tables), or one file: Kumu (.xlsx, .csv, .json), "
             "Polinode (.xlsx), Gephi (.gexf, .graphml, nodes/edges .csv), Pajek (.net), UCINET "
             "(.dl), a wide nomination survey or egocentric tables (see data/README.md)")


def add_data_args(parser: argparse.ArgumentParser, *, data: bool = True,
                  format_flag: str = "--format") -> None:
    """DATA plus the options that say how to read it (``format_flag`` names the option that
    forces a format, for a command whose ``--format`` says something else)."""
    if data:
        parser.add_argument("data_dir", metavar="DATA", type=Path, help=DATA_HELP)
    reading = parser.add_argument_group("reading the data")
    reading.add_argument(format_flag, dest="data_format", default=None, metavar="NAME",
                         type=_format_name,
                         help="read DATA in this format instead of the one found from its ending "
                              "and content (alumni-net validate --help lists them)")
    reading.add_argument("--date-order", dest="date_order", default=None,
                         choices=["day_first", "month_first"],
                         help="how to read dates such as 03/04/2020 (default from dataset.toml; "
                              "without either, such dates are refused, naming their rows)")
    reading.add_argument("--encoding", default=None, metavar="NAME",
                         help="text encoding of CSV files, e.g. cp1252 (default UTF-8, with or "
                              "without a byte-order mark)")
    reading.add_argument("--separator", default=None, metavar="CHAR",
                         help="separator of CSV files (default: found in the header)")
    direction = parser.add_mutually_exclusive_group()
    direction.add_argument("--directed", dest="directed", action="store_true", default=None,
                           help="ties have a direction (source named target); default from dataset.toml")
    direction.add_argument("--undirected", dest="directed", action="store_false",
                           help="ties have no direction (the default when dataset.toml does not say)")
    parser.add_argument("--key-file", type=Path, default=None,
                        help="file holding the pseudonymisation key (default: $ALUMNI_NET_KEY)")
    parser.add_argument("--pseudonymise", action="extend", nargs="+", default=[],
                        metavar="COLUMN",
                        help="more columns to replace by keyed pseudonyms (e.g. an id within a "
                             "village, which with the village rebuilds the original id); name "
                             "and email always are")


def _format_name(text: str) -> str:
    from alumni_net.io import format_names

    names = format_names()
    if text not in names:
        raise argparse.ArgumentTypeError(f"unknown format {text!r}; choose from {', '.join(names)}")
    return text


def add_min_count_arg(parser: argparse.ArgumentParser) -> None:
    """``--min-count N``: counts of people below N are suppressed in published outputs."""
    from alumni_net.core.privacy import DEFAULT_MIN_COUNT

    parser.add_argument(
        "--min-count", dest="min_count", type=_min_count, default=DEFAULT_MIN_COUNT,
        help=f"suppress counts below this in published tables and maps (default {DEFAULT_MIN_COUNT})",
    )


def _min_count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of at least 1, not {text!r}")
    return value


def load_from_args(
    args: argparse.Namespace, *, pseudonymise_ids: bool = True, results_dir: Path | None = None
) -> Dataset:
    """Load DATA (a folder or one file) as the options say; ids are pseudonymised because
    commands write files.

    With ``results_dir`` (a folder of earlier results), load the data as those results record
    (direction, pseudonymised columns) unless an option says otherwise, and say what differs.
    """
    recorded = read_loaded_with(results_dir) if results_dir is not None else None
    directed, columns, notes = reuse_loaded_with(
        recorded, directed=args.directed, pseudonymise=args.pseudonymise
    )
    for message in notes:  # before loading, which may fail because of what they say
        note(message)
    ds = load_dataset(
        args.data_dir,
        directed=directed,
        key=args.key_file,
        pseudonymise=columns,
        pseudonymise_ids=pseudonymise_ids,
        format=getattr(args, "data_format", None),
        encoding=getattr(args, "encoding", None),
        separator=getattr(args, "separator", None),
        date_order=getattr(args, "date_order", None),
    )
    for message in [*ds.notes, *compare_loaded_with(recorded, ds.loaded_with)]:
        note(message)
    return ds
