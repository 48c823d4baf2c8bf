"""``alumni-net dashboard [DATA] [--config FILE.toml]``: a local browser app for what-if
options, on 127.0.0.1."""

from __future__ import annotations

import argparse
from pathlib import Path

from alumni_net.cli._common import Subparsers, number

__all__ = ["add_parser", "run"]


def add_parser(subparsers: Subparsers) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "dashboard",
        help="start the local browser dashboard (compare recruitment options, on 127.0.0.1)",
        description="Start a local browser app on 127.0.0.1 and print its address: set two or "
        "three options for the coming cohorts (who is recruited, how many cohorts, people who "
        "use services, regional cohorts, top-ups), compare them on paired runs and read how "
        "many more people would be practising by year 5 and year 10, with 90%% intervals. The "
        "data are checked first: problems are listed and the app does not start. Needs the "
        "dashboard extra: pip install 'alumni-net[dashboard]'.",
    )
    parser.add_argument("data", nargs="?", type=Path, default=None, metavar="DATA",
                        help="dataset folder or file (default: the built-in synthetic programme)")
    parser.add_argument("--config", type=Path, default=None, metavar="FILE.toml",
                        help="model parameters, e.g. calibrated.toml from alumni-net calibrate "
                             "(default: illustrative defaults, said on the page)")
    parser.add_argument("--port", type=number(int, 1024, 65535), default=None,
                        help="port on 127.0.0.1, 1024 to 65535 (default: a free one)")
    parser.set_defaults(run=run)
    return parser


def run(args: argparse.Namespace) -> int:
    import importlib.util

    from alumni_net.errors import AlumniNetError

    if importlib.util.find_spec("solara") is None:
        raise AlumniNetError("the dashboard needs Solara: pip install 'alumni-net[dashboard]'")
    if args.data is not None:
        if not args.data.exists():
            raise AlumniNetError(f"{args.data} does not exist: give a dataset folder or file")
        from alumni_net.io import load_dataset

        # Checked here, so that data with problems are listed in the terminal (exit 2) and the
        # app does not start on them.
        load_dataset(args.data, pseudonymise_ids=False)
    if args.config is not None:
        from alumni_net.experiments.config import load_config

        load_config(args.config)
    from alumni_net.dashboard.server import serve

    return serve(args.data, port=args.port, config=args.config)
