"""The ``alumni-net`` command line: one module per command, errors as one clear sentence."""

from __future__ import annotations

import argparse
import contextlib
import errno
import importlib
import signal
import sys
import threading

from alumni_net import __version__
from alumni_net.errors import AlumniNetError, ClusterError, ValidationError

__all__ = ["build_parser", "main"]

_MAX_PROBLEMS = 200

# One module per command, in the order `--help` lists them.
COMMANDS: tuple[str, ...] = (
    "demo",
    "synth",
    "validate",
    "analyze",
    "map",
    "report",
    "export",
    "simulate",
    "calibrate",
    "scenarios",
    "diffusion",
    "survey",
    "workforce",
    "dashboard",
)


class _Parser(argparse.ArgumentParser):
    """Usage mistakes are one line on stderr and exit code 2, like every other input error."""

    def error(self, message: str):
        self.exit(2, f"{self.prog}: {message} (see {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    """The ``alumni-net`` argument parser, with one subcommand per module of :data:`COMMANDS`.

    Examples
    --------
    >>> build_parser().parse_args(["validate", "data/synthetic/small"]).command
    'validate'
    """
    parser = _Parser(
        prog="alumni-net",
        description=(
            "Turn a leadership programme's multiplier claim into checkable numbers: load alumni "
            "networks, measure reach and connectors, simulate the spread of practice."
        ),
        epilog="Run 'alumni-net COMMAND --help' for a command's options.",
    )
    parser.add_argument("--version", action="version", version=f"alumni-net {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in COMMANDS:
        importlib.import_module(f"alumni_net.cli.{name}").add_parser(sub)
    return parser


class _Terminated(KeyboardInterrupt):
    """SIGTERM, raised where Ctrl-C would be: the same clean-up runs (workers stopped, temporary
    files removed, nothing half-written kept)."""


@contextlib.contextmanager
def _sigterm_as_interrupt():
    if threading.current_thread() is not threading.main_thread():  # only it may set handlers
        yield
        return

    def stop(signum, frame):
        signal.signal(signal.SIGTERM, signal.SIG_IGN)  # a second SIGTERM must not cut clean-up
        raise _Terminated

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _resume_hint(args: argparse.Namespace) -> str:
    return "; run the same command with --resume to continue" if hasattr(args, "resume") else ""


def main(argv: list[str] | None = None) -> int:
    """Run ``alumni-net`` with ``argv`` (default: the process's arguments); return the exit code.

    0 on success; 2 for bad input or a usage mistake (each problem one sentence naming file, row
    and column; nothing half-written is kept); 1 when a run fails (a lost Dask cluster or
    worker); 130 on Ctrl-C and 143 on SIGTERM.

    Examples
    --------
    >>> main(["validate", "no/such/folder"])
    2
    """
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version, or a usage mistake already reported
        return exc.code if isinstance(exc.code, int) else 0
    try:
        with _sigterm_as_interrupt():
            return int(args.run(args) or 0)
    except ValidationError as exc:
        from alumni_net.io import describe_problems  # problems of one kind: one line

        lines = describe_problems(exc.problems)
        for line in lines[:_MAX_PROBLEMS]:
            print(line, file=sys.stderr)
        if len(lines) > _MAX_PROBLEMS:
            print(f"... and {len(lines) - _MAX_PROBLEMS:,} more kinds of problem", file=sys.stderr)
        print(f"alumni-net {args.command}: {len(exc.problems):,} problem(s) in the input; "
              "nothing was written.", file=sys.stderr)
        return 2
    except ClusterError as exc:  # the run failed, not the input: exit 1
        print(f"alumni-net {args.command}: {exc}{_resume_hint(args)}.", file=sys.stderr)
        return 1
    except AlumniNetError as exc:
        print(f"alumni-net {args.command}: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt as exc:
        # Ctrl-C exits 130 (128 + SIGINT), SIGTERM 143 (128 + SIGTERM), as shells report them.
        how, code = ("stopped (SIGTERM)", 143) if isinstance(exc, _Terminated) else (
            "interrupted", 130)
        print(f"alumni-net {args.command}: {how}; nothing half-written was kept"
              f"{_resume_hint(args)}.", file=sys.stderr)
        return code
    except OSError as exc:  # a path that is missing, a file, read-only or full: one sentence
        where = f": {exc.filename}" if exc.filename else ""
        full = ("; free some space there or write elsewhere (nothing half-written was kept)"
                if exc.errno in (errno.ENOSPC, errno.EDQUOT) else "")
        print(f"alumni-net {args.command}: {exc.strerror or exc}{where}{full}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
