"""``alumni-net survey template --out DIR`` and ``alumni-net survey import RESPONSES --roster
ROSTER --out DATASET``: the alumni survey kit and its import."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from alumni_net.cli._common import Subparsers, note, number

__all__ = ["add_parser", "run"]


def add_parser(subparsers: Subparsers) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "survey",
        help="the alumni survey kit: write the questionnaire, import the answers",
        description="'survey template' writes the questionnaire (Markdown, and a plain list of "
                    "questions to paste into Microsoft Forms, Google Forms or Qualtrics) and "
                    "the response workbook; 'survey import' reads the responses with the "
                    "programme's roster into a survey dataset (egos, alters, alter ties, "
                    "programme ties), pseudonymised, and reports the response rates.",
    )
    sub = parser.add_subparsers(dest="survey_command", metavar="STEP", required=True)
    template = sub.add_parser("template", help="write the questionnaire and response workbook",
                              description="Write questionnaire.md, questions.txt, "
                                          "responses.xlsx, responses.csv and roster.csv.")
    template.add_argument("--out", type=Path, required=True, metavar="DIR",
                          help="folder to write the kit into")
    _add_categories(template)
    template.add_argument("--contacts", type=number(int, 1, 20), default=None, metavar="N",
                          help="contacts outside the programme each alum may describe "
                               "(default 5)")
    template.add_argument("--practice", default=None, metavar="TEXT",
                          help="the practice's name in the questions, e.g. 'co-production'")
    template.set_defaults(run=run_template)
    imp = sub.add_parser("import", help="read responses + roster into a survey dataset",
                         description="Read the responses (the kit's workbook or a form tool's "
                                     "export, CSV or Excel) and the roster (every alum: "
                                     "person_id and cohort required) into DATASET.")
    imp.add_argument("responses", type=Path, metavar="RESPONSES",
                     help="the responses file (CSV or Excel)")
    imp.add_argument("--roster", type=Path, required=True, metavar="ROSTER",
                     help="the programme's roster (CSV or Excel)")
    imp.add_argument("--out", type=Path, required=True, metavar="DATASET",
                     help="folder to write the survey dataset into")
    _add_categories(imp)
    imp.add_argument("--contacts", type=number(int, 1, 20), default=None, metavar="N",
                     help="contacts the form allowed (default: read from the columns)")
    imp.add_argument("--key-file", type=Path, default=None,
                     help="file holding the pseudonymisation key (default: $ALUMNI_NET_KEY)")
    imp.set_defaults(run=run_import)
    return parser


def _add_categories(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--population", default="national", metavar="POP",
                        help="the population whose groups are the options for sector, region "
                             "and role: a CSV file or Excel workbook of region, sector, role "
                             "and count, "
                             "'uk_workforce' or 'national' (default, the population "
                             "'alumni-net workforce' scales to by default)")


def _categories(args: argparse.Namespace):
    from alumni_net.survey import categories_from_population
    from alumni_net.synth.population import population_counts

    return categories_from_population(population_counts(args.population))


def run(args: argparse.Namespace) -> int:  # pragma: no cover - each step sets its own run
    return args.run(args)


def run_template(args: argparse.Namespace) -> int:
    from alumni_net.survey import DEFAULT_CONTACTS, DEFAULT_PRACTICE, TEMPLATE_FILES, write_template

    out = write_template(args.out, _categories(args),
                         contacts=DEFAULT_CONTACTS if args.contacts is None else args.contacts,
                         practice=args.practice or DEFAULT_PRACTICE)
    print(f"wrote {out}: {', '.join(TEMPLATE_FILES)}")
    return 0


def run_import(args: argparse.Namespace) -> int:
    from alumni_net.survey import import_survey

    result = import_survey(args.responses, args.roster, args.out, categories=_categories(args),
                           key=args.key_file, contacts=args.contacts)
    for message in result.notes:
        note(message)
    rates = result.response_rate
    overall = rates.iloc[0]
    print(f"{int(overall.respondents):,} of {int(overall.alumni):,} alumni answered "
          f"({overall.response_rate:.0%})")
    for kind in ("cohort", "sector", "region"):
        part = rates[rates["group_type"] == kind]
        cells = ", ".join(f"{g} {int(r)}/{int(a)}" for g, r, a in
                          zip(part["group"], part["respondents"], part["alumni"], strict=True))
        print(f"  by {kind}: {cells}")
    data = result.data
    print(f"wrote {args.out}: {data.n_alumni:,} alumni, {data.n_respondents:,} egos, "
          f"{len(data.alters):,} contacts, {len(data.alter_ties):,} ties between contacts, "
          f"{len(data.ties):,} programme ties", file=sys.stderr)
    return 0
