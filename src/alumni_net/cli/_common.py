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


def add_data_args(parser: argparse.ArgumentParser, *, data: bool = True) -> None:
    """DATA_DIR plus the options that say how to read it."""
    if data:
        parser.add_argument("data_dir", metavar="DATA_DIR", type=Path,
                            help="folder with people.csv and ties.csv (or .parquet/.xlsx)")
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
    """Load DATA_DIR as the options say; ids are pseudonymised because commands write files.

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
    )
    for message in [*ds.notes, *compare_loaded_with(recorded, ds.loaded_with)]:
        note(message)
    return ds
