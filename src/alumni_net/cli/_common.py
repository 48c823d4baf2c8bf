"""Pieces every command shares: dataset arguments, loading with notes, atomic output folders."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any, Protocol, cast

from alumni_net.core.files import atomic_dir
from alumni_net.io import (
    Dataset,
    compare_loaded_with,
    load_dataset,
    read_loaded_with,
    reuse_loaded_with,
)

__all__ = [
    "MAX_SEED",
    "MAX_WORKERS",
    "Subparsers",
    "add_data_args",
    "add_min_count_arg",
    "atomic_output_dir",
    "load_from_args",
    "note",
    "number",
]

#: Seeds are SeedSequence entropy; past 2**63 - 1 they no longer fit the int64 columns that
#: record them.
MAX_SEED = 2**63 - 1
#: More worker processes than this is a typing mistake, not a machine.
MAX_WORKERS = 4096

atomic_output_dir = atomic_dir

#: What each command's ``add_parser`` is given: the ``alumni-net`` parser's subcommands.
type Subparsers = argparse._SubParsersAction[argparse.ArgumentParser]


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
                           help="ties have a direction (source named target); "
                           "default from dataset.toml")
    direction.add_argument("--undirected", dest="directed", action="store_false",
                           help="ties have no direction "
                           "(the default when dataset.toml does not say)")
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
        help="suppress counts below this in published tables and maps "
        f"(default {DEFAULT_MIN_COUNT})",
    )


def number(kind: type = int, low: float | None = None, high: float | None = None
           ) -> CheckedNumber:
    """An argparse ``type`` that reads a whole number (``kind=int``) or a finite number
    (``float``) within ``[low, high]``, so that an out-of-range option ends in one sentence and
    exit 2 instead of a traceback later.

    Examples
    --------
    >>> number(int, 0)("12_000"), number(float, 0, 1)("0.5")
    (12000, 0.5)
    >>> number(int, 1, 65535)("70000")
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: must be a whole number from 1 to 65,535, not '70000'
    """
    word = "a whole number" if kind is int else "a finite number"
    shown = (f"2**{high.bit_length()} - 1" if isinstance(high, int) and high > 2**32
             and (high + 1) & high == 0 else f"{high:,}" if high is not None else "")
    if low is not None and high is not None:
        span = f" from {low:,} to {shown}"
    elif low is not None:
        span = f" of at least {low:,}"
    else:
        span = f" of at most {shown}" if high is not None else ""

    def convert(text: str):
        try:
            value = kind(str(text).replace("_", "").replace(",", ""))
        except (ValueError, OverflowError):
            value = None
        bad = value is None or (kind is float and value != value) or value in (
            float("inf"), float("-inf"))
        if not bad and ((low is not None and value < low) or (high is not None and value > high)):
            bad = True
        if bad:
            raise argparse.ArgumentTypeError(f"must be {word}{span}, not {text!r}")
        return value

    checked = cast(CheckedNumber, convert)
    checked.__name__ = kind.__name__  # argparse names the type in its own messages
    checked.kind, checked.low, checked.high = kind, low, high  # for tests and --help
    return checked


class CheckedNumber(Protocol):
    """What :func:`number` returns: an argparse ``type`` that knows its kind and range."""

    __name__: str
    kind: type
    low: float | None
    high: float | None

    def __call__(self, text: str) -> Any: ...


_min_count = number(int, 1)


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
