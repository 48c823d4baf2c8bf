"""``alumni-net scenarios FILE.toml --out DIR``: compare what-if programmes for the coming years.

The file is checked in full before anything runs (every problem, one sentence each, exit 2,
nothing written); then every scenario runs with the same per-replicate seeds and the command
writes ``scenarios.csv``, ``adoption.csv``, ``composition.csv``, three figures and a ``summary.md``
a programme leader can read. ``--resume`` finishes a sweep that was stopped.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from alumni_net.cli._common import MAX_SEED, MAX_WORKERS, Subparsers, note, number

__all__ = ["add_parser", "run"]


def add_parser(subparsers: Subparsers) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "scenarios",
        help="compare what-if recruitment and programme scenarios",
        description="Run the scenarios of a scenario file (see examples/scenarios.toml) with the "
                    "same seeds, and write scenarios.csv (one row per scenario and measure, with "
                    "the difference from the baseline), adoption.csv, composition.csv, "
                    "adoption.png, multiplier.png, differences.png and summary.md into OUT. "
                    "Command-line options override the file's [run] table. When the file's "
                    "data are a workforce folder (from 'alumni-net workforce'), every scenario "
                    "runs on each of its K networks and the replicates are pooled, so the "
                    "intervals include the uncertainty about the network; each network's "
                    "replicates are kept in OUT/networks/NN/, which --resume continues.",
    )
    parser.add_argument("file", type=Path, metavar="FILE.toml", help="the scenario file")
    parser.add_argument("--out", type=Path, required=True, metavar="DIR", help="output folder")
    parser.add_argument("--replicates", type=number(int, 1, 10**6), default=None, metavar="N",
                        help="replicates per scenario (default: the file's, else 100)")
    parser.add_argument("--seed", type=number(int, 0, MAX_SEED), default=None, metavar="N",
                        help="root seed (default: the file's, else 0)")
    parser.add_argument("--workers", type=number(int, 1, MAX_WORKERS), default=None, metavar="N",
                        help="local worker processes (default: every usable CPU; 1 = no pool)")
    parser.add_argument("--dask", default=None, metavar="ADDRESS",
                        help="run on the Dask cluster whose scheduler is at ADDRESS instead")
    parser.add_argument("--resume", action="store_true",
                        help="keep the finished replicates of a stopped sweep in --out")
    parser.set_defaults(run=run)
    return parser


def run(args: argparse.Namespace) -> int:
    from alumni_net.core.checks import check_int
    from alumni_net.experiments.scenarios import load_scenario_file, prepare, run_scenarios
    from alumni_net.report.scenarios import write_scenario_outputs

    sf = load_scenario_file(args.file)
    if args.replicates is not None:
        check_int("--replicates", args.replicates, 1, 1_000_000)
    if args.seed is not None:
        check_int("--seed", args.seed, 0, 2**63 - 1)
    if sf.data is not None:
        from alumni_net.pipelines.workforce import is_workforce

        if is_workforce(sf.data):
            return _run_workforce(args, sf)
    prepared = prepare(sf, seed=args.seed)
    n = args.replicates or sf.replicates
    note(f"{len(sf.scenarios)} scenario(s) x {n} replicate(s) on {prepared.data.n_people:,} "
         f"people; future cohorts from {prepared.timeline.future} for {sf.horizon_years} years")
    result = run_scenarios(prepared, args.out, replicates=args.replicates, seed=args.seed,
                           workers=args.workers, dask_address=args.dask, resume=args.resume)
    text = write_scenario_outputs(args.out, result)
    print(text)
    print(f"wrote {args.out}/scenarios.csv, summary.md and the figures", file=sys.stderr)
    return 0


def _run_workforce(args: argparse.Namespace, sf) -> int:
    """The file's data are a workforce folder: every scenario on each of its networks, pooled."""
    from alumni_net.pipelines.workforce import scenarios_workforce
    from alumni_net.report.scenarios import write_scenario_outputs

    result = scenarios_workforce(sf, args.out, replicates=args.replicates, seed=args.seed,
                                 workers=args.workers, dask_address=args.dask,
                                 resume=args.resume)
    note(f"{len(sf.scenarios)} scenario(s) on {result.manifest['network_source']}")
    print(write_scenario_outputs(args.out, result))
    print(f"wrote {args.out}/scenarios.csv, summary.md and the figures", file=sys.stderr)
    return 0
