"""``alumni-net demo``: the synthetic programme through every step, ending in a summary."""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from alumni_net._files import atomic_write_text
from alumni_net.cli._common import note
from alumni_net.cli.validate import format_summary
from alumni_net.graph import to_igraph
from alumni_net.io import Dataset, load_dataset

__all__ = ["add_parser", "network_summary", "run", "run_demo"]


def add_parser(subparsers) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "demo",
        help="run every step on the built-in synthetic programme",
        description="Synthesise a programme (10 yearly cohorts of 24 leaders + 2 people who use "
                    "services in a workforce network), validate it, build its graphs and summarise it.",
    )
    parser.add_argument("--out", type=Path, default=Path("demo-output"),
                        help="folder for the synthetic data and every result (default: demo-output)")
    parser.add_argument("--seed", type=int, default=2016, help="root seed (default 2016)")
    parser.add_argument("--people", type=int, default=20_000,
                        help="population around the alumni (default 20,000)")
    parser.set_defaults(run=run)
    return parser


def network_summary(ds: Dataset) -> dict:
    """Whole-network shape: size, mean degree, clustering, largest component."""
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


def run_demo(out: Path, *, seed: int = 2016, n_people: int = 20_000) -> str:
    """Synthesise, validate, build graphs; return the summary text (also written to ``out``)."""
    from alumni_net.synth import synthesize

    data_dir = out / "data"
    synthesize(data_dir, seed=seed, n_people=n_people, overwrite=True)
    ds = load_dataset(data_dir, pseudonymise_ids=True, key=_demo_key(seed))
    net = network_summary(ds)
    lines = [
        "# alumni_net demo: synthetic programme",
        "",
        format_summary(ds.summary()),
        "",
        f"network: {net['nodes']:,} people, {net['edges']:,} connected pairs, mean degree "
        f"{net['mean_degree']:.1f} (max {net['max_degree']}), clustering {net['clustering']:.2f}, "
        f"largest component {net['largest_component_share']:.1%} of people",
    ]
    text = "\n".join(lines) + "\n"
    atomic_write_text(out / "demo_summary.md", text)
    return text


def _demo_key(seed: int) -> bytes:
    # Synthetic ids are not personal; a fixed key keeps the demo's pseudonyms stable between runs.
    return f"alumni-net-demo-key-{seed:08d}".encode()


def run(args: argparse.Namespace) -> int:
    text = run_demo(args.out, seed=args.seed, n_people=args.people)
    print(text, end="")
    note(f"results are in {args.out}/")
    return 0
