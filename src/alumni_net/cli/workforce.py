"""``alumni-net workforce EGO_DATA [--population POP] --networks K --out DIR``: the workforce
network estimated from a survey of alumni, as K networks with the alumni embedded."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from alumni_net.cli._common import MAX_SEED, Subparsers, note, number

__all__ = ["add_parser", "run"]


def add_parser(subparsers: Subparsers) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "workforce",
        help="estimate the workforce network from a survey of alumni (K networks)",
        description="Fit the workforce network model to the survey's ego statistics "
                    "(survey-weighted, by ABC-SMC), scaled to the population given as counts "
                    "by region, sector and role, and write K networks drawn from it with the "
                    "real alumni embedded (under two non-response assumptions), a fit report "
                    "(fit_report.md: each observed ego statistic beside its simulated "
                    "distribution) and provenance (workforce.json). 'analyze', 'simulate' and "
                    "'scenarios' on DIR then run over the K networks.",
    )
    parser.add_argument("ego_data", type=Path, metavar="EGO_DATA",
                        help="a survey dataset from 'alumni-net survey import' (or egor's "
                             "egos.csv, alters.csv, alter_ties.csv)")
    parser.add_argument("--population", default="national", metavar="POP",
                        help="the people the network is scaled to: a CSV file or Excel "
                             "workbook of region, sector, role and count (counts such as 1000, "
                             "1,000 or 1 000), 'uk_workforce' (the packaged UK health and social "
                             "care workforce table, 4.1 million people) or 'national' (default: "
                             "that table as the national synthetic preset places it, 3 million "
                             "people with people who use services)")
    parser.add_argument("--networks", type=number(int, 1, 1000), default=20, metavar="K",
                        help="networks to draw (default 20)")
    parser.add_argument("--out", type=Path, required=True, metavar="DIR", help="output folder")
    parser.add_argument("--seed", type=number(int, 0, MAX_SEED), default=0,
                        help="root seed (default 0)")
    parser.add_argument("--particles", type=number(int, 20, 100_000), default=None, metavar="N",
                        help="ABC-SMC particles per generation (default 150)")
    parser.add_argument("--generations", type=number(int, 2, 50), default=None, metavar="N",
                        help="ABC-SMC generations (default 6)")
    parser.add_argument("--fit-size", type=number(int, 200, 10_000_000), default=None, metavar="N",
                        help="people in the networks simulated while fitting (default 3,000)")
    parser.add_argument("--count-noise", type=number(float, 0, 2), default=None, metavar="SD",
                        help="assumed log recall error of reported counts (default 0.3)")
    parser.add_argument("--proxy-noise", type=number(float, 0, 2), default=None, metavar="SD",
                        help="the same for guesses of a contact's count (default 0.5)")
    parser.add_argument("--workers", type=number(int, 1, 1024), default=None, metavar="N",
                        help="processes running the fit's simulations and drawing networks "
                             "(default: the CPUs; for drawing, fewer when memory would not hold "
                             "that many networks; each holds one: about 2.5 KB a person, 7.5 GB "
                             "at 3 million); the folder is the same at any number")
    parser.add_argument("--tables", choices=("auto", "csv", "parquet"), default="auto",
                        help="how each network's people and ties are written: csv (opens in a "
                             "spreadsheet), parquet (the same cells, compressed: several times "
                             "faster to write and to load) or auto (default: CSV while the "
                             "tables fit in a spreadsheet, 1,048,575 rows, else Parquet, as for "
                             "the national population)")
    from alumni_net.cli._common import add_min_count_arg

    add_min_count_arg(parser)
    parser.set_defaults(run=run)
    return parser


def run(args: argparse.Namespace) -> int:
    from alumni_net.experiments.workforce import FitSettings
    from alumni_net.pipelines.workforce import estimate_workforce

    given = {"particles": args.particles, "generations": args.generations,
             "fit_size": args.fit_size, "count_noise": args.count_noise,
             "proxy_noise": args.proxy_noise}
    settings = FitSettings(**{k: v for k, v in given.items() if v is not None})
    wf = estimate_workforce(args.ego_data, args.population, args.out, networks=args.networks,
                            seed=args.seed, settings=settings, min_count=args.min_count,
                            workers=args.workers, table_format=args.tables)
    for message in wf.meta["notes"]:
        note(message)
    print(f"{wf.source}.")
    for row in wf.meta["parameters"]:
        print(f"  {row['parameter']}: {row['median']:.3g} (90% interval {row['lo']:.3g} to "
              f"{row['hi']:.3g})")
    tables = " and ".join(wf.meta.get("network_tables", ["csv"]))
    print(f"wrote {args.out}: fit_report.md, workforce.json and {wf.n_networks} networks "
          f"({tables} tables) under each of {', '.join(wf.assumptions)}; run 'alumni-net "
          f"analyze {args.out}' or 'alumni-net simulate {args.out}'", file=sys.stderr)
    return 0
