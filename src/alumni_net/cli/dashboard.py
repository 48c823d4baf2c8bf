"""``alumni-net dashboard [DATA_DIR]``: a local browser app for what-if scenarios."""

from __future__ import annotations

import argparse
from pathlib import Path

from alumni_net.cli._common import number

__all__ = ["add_parser", "run"]


def add_parser(subparsers) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "dashboard",
        help="start the local browser dashboard (scenarios with sliders, on 127.0.0.1)",
        description="Start a local browser app on 127.0.0.1 and print its address: pick levers, "
        "run a scenario and watch it spread month by month, compare two scenarios with bands. "
        "Needs the dashboard extra: pip install 'alumni-net[dashboard]'.",
    )
    parser.add_argument("data", nargs="?", type=Path, default=None, metavar="DATA_DIR",
                        help="dataset folder (default: the built-in synthetic programme)")
    parser.add_argument("--port", type=number(int, 1, 65535), default=None,
                        help="port on 127.0.0.1 (default: a free one)")
    parser.set_defaults(run=run)
    return parser


def run(args: argparse.Namespace) -> int:
    import importlib.util

    from alumni_net.errors import AlumniNetError

    if importlib.util.find_spec("solara") is None:
        raise AlumniNetError("the dashboard needs Solara: pip install 'alumni-net[dashboard]'")
    if args.data is not None and not args.data.is_dir():
        raise AlumniNetError(f"{args.data} is not a dataset folder")
    from alumni_net.dashboard.server import serve

    return serve(args.data, port=args.port)
