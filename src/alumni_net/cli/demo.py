"""``alumni-net demo``: the synthetic programme through every step, ending in a summary."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from alumni_net.cli._common import MAX_SEED, MAX_WORKERS, Subparsers, note, number
from alumni_net.cli.validate import format_summary
from alumni_net.core.files import atomic_write_text

if TYPE_CHECKING:
    from alumni_net.io import Dataset

__all__ = ["add_parser", "network_summary", "run", "run_demo"]


def add_parser(subparsers: Subparsers) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "demo",
        help="run every step on the built-in synthetic programme",
        description="Synthesise a programme (10 yearly cohorts of 24 leaders + 2 people who use "
                    "services in a workforce network of 20,000), validate it, measure reach and "
                    "connectors, simulate the spread of practice with and without the programme, "
                    "and write an HTML report with maps.",
    )
    parser.add_argument("--out", type=Path, default=Path("demo-output"),
                        help="folder for the synthetic data and every result "
                        "(default: demo-output)")
    parser.add_argument("--seed", type=number(int, 0, MAX_SEED), default=2016,
                        help="root seed (default 2016)")
    parser.add_argument("--people", type=number(int, 1, 10**8), default=20_000,
                        help="population around the alumni (default 20,000)")
    parser.add_argument("--cohorts", type=number(int, 1, 1000), default=10,
                        help="yearly cohorts of 24 leaders + 2 people who use services "
                        "(default 10)")
    parser.add_argument("--replicates", type=number(int, 1, 10**6), default=40,
                        help="simulation replicates for the multiplier's intervals (default 40)")
    parser.add_argument("--workers", type=number(int, 1, MAX_WORKERS), default=None,
                        help="processes for the replicates (default: one per core)")
    parser.set_defaults(run=run)
    return parser


def network_summary(ds: Dataset) -> dict[str, float]:
    """Whole-network shape: size, mean degree, clustering, largest component."""
    import numpy as np

    from alumni_net.graph import to_igraph

    g = to_igraph(ds).graph
    degrees = np.asarray(g.degree())
    components = g.connected_components(mode="weak")
    return {
        "nodes": g.vcount(),
        "edges": g.ecount(),
        "mean_degree": float(degrees.mean()) if len(degrees) else 0.0,
        "max_degree": int(degrees.max()) if len(degrees) else 0,
        "clustering": float(g.transitivity_undirected()),
        "largest_component_share": max(components.sizes()) / g.vcount() if g.vcount() else 0.0,
    }


def run_demo(out: Path, *, seed: int = 2016, n_people: int = 20_000, n_cohorts: int = 10,
             n_replicates: int = 40, workers: int | None = None) -> str:
    """Every step on a synthetic programme; return the summary text (also written to ``out``).

    Synthesise -> validate and pseudonymise -> graphs -> analysis (reach, connectors) ->
    simulation (multiplier with and without the programme) -> HTML report with maps.
    """
    from alumni_net.core.markdown import Raw, render_markdown
    from alumni_net.experiments.config import ILLUSTRATIVE
    from alumni_net.experiments.multiplier import format_multiplier_table
    from alumni_net.io import load_dataset
    from alumni_net.pipelines.analyze import analyze_dataset, summary_markdown
    from alumni_net.pipelines.simulate import simulate_dataset
    from alumni_net.report import write_report
    from alumni_net.synth import synthesize

    data_dir = out / "data"
    synthesize(data_dir, seed=seed, n_people=n_people, n_cohorts=n_cohorts, overwrite=True)
    ds = load_dataset(data_dir, pseudonymise_ids=True, key=_demo_key(seed))
    net = network_summary(ds)
    analysis = analyze_dataset(ds, out, seed=seed)
    multiplier = simulate_dataset(ds, out, n_replicates=n_replicates, seed=seed, workers=workers)
    report = write_report(out, dataset=ds, title="alumni_net demo: a synthetic programme",
                          seed=seed)
    text = render_markdown(
        "demo_summary.md.j2",
        dataset_lines=format_summary(ds.summary()).splitlines(),
        nodes=net["nodes"], edges=net["edges"], mean_degree=f"{net['mean_degree']:.1f}",
        max_degree=net["max_degree"], clustering=f"{net['clustering']:.2f}",
        largest_share=f"{net['largest_component_share']:.1%}",
        # Rendered (and escaped) by their own templates already.
        analysis=Raw(summary_markdown(analysis.summary).strip()),
        multiplier=Raw(format_multiplier_table(multiplier, parameter_source=ILLUSTRATIVE).strip()),
        report=report,
    )
    atomic_write_text(out / "demo_summary.md", text)
    return text


def _demo_key(seed: int) -> bytes:
    # Synthetic ids are not personal; a fixed key keeps the demo's pseudonyms stable between runs.
    return f"alumni-net-demo-key-{seed:08d}".encode()


def run(args: argparse.Namespace) -> int:
    text = run_demo(args.out, seed=args.seed, n_people=args.people, n_cohorts=args.cohorts,
                    n_replicates=args.replicates, workers=args.workers)
    print(text, end="")
    note(f"results are in {args.out}/")
    return 0
