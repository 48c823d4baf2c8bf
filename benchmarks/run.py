"""Run every benchmark: ``python benchmarks/run.py [--quick]``.

Each ``benchmarks/bench_*.py`` module exposes ``main(quick: bool)``; they run one after another, in
name order, each in a fresh process so that its peak memory is its own (not what an earlier
benchmark left behind). Ratios inside a module are measured in the same run on the same machine.
``--quick`` uses small graphs (a smoke check that takes a minute or so).
"""

from __future__ import annotations

import argparse
import importlib.util
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def discover() -> list[Path]:
    return sorted(HERE.glob("bench_*.py"))


def load(path: Path):
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small graphs: a smoke check")
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        metavar="NAME",
        help="run only bench_NAME.py (repeatable)",
    )
    parser.add_argument("--in-process", type=Path, help=argparse.SUPPRESS)  # one module, here
    args = parser.parse_args(argv)
    if args.in_process:
        load(args.in_process).main(quick=args.quick)
        return 0
    failed = []
    for path in discover():
        if args.only and path.stem.removeprefix("bench_") not in args.only:
            continue
        print(f"\n=== {path.stem} ({'quick' if args.quick else 'full'}) ===", flush=True)
        start = time.perf_counter()
        command = [sys.executable, __file__, "--in-process", str(path)]
        command += ["--quick"] if args.quick else []
        if subprocess.run(command, check=False).returncode:
            failed.append(path.stem)
        print(f"=== {path.stem} done in {time.perf_counter() - start:.1f} s ===", flush=True)
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
