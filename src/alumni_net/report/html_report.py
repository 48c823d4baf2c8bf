"""One self-contained HTML report from whatever ``analyze``, ``simulate`` and ``scenarios`` left.

``write_report(DIR)`` reads the files it finds in DIR (``summary.json``, ``centrality.csv``,
``reach.csv``, ``reach_by_cohort.csv``, ``multiplier.csv``, ``timeseries.csv``, ``by_degree.csv``,
``simulate.json``, scenario tables, images), draws maps when the dataset is given, and writes
``DIR/report.html``: key numbers, the claim's arithmetic beside the simulated multiplier, maps,
plots, tables with small counts suppressed, method notes, provenance, and a list of what is
missing. Images are embedded as base64 PNG: the page needs nothing else.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import hashlib
import json
import os
from pathlib import Path

import networkx as nx
import pandas as pd

from alumni_net import __version__
from alumni_net.core.files import atomic_write_text
from alumni_net.core.privacy import DEFAULT_MIN_COUNT
from alumni_net.core.progress import progress
from alumni_net.core.publish import published_json, published_name
from alumni_net.core.tables import read_csv
from alumni_net.errors import AlumniNetError
from alumni_net.graph import to_networkx
from alumni_net.io import Dataset, load_dataset
from alumni_net.plotting import missing_glyphs_drawn_as_boxes
from alumni_net.report import _sections as sec
from alumni_net.report._blocks import (
    Block,
    FileList,
    heading,
    para,
    preformatted,
    table,
)
from alumni_net.report._data import SCENARIO_FILES, Inputs
from alumni_net.report._render import render_page

__all__ = ["EXPECTED_FILES", "write_report"]

#: Files the report looks for, and the command that writes each.
EXPECTED_FILES = {
    "summary.json": "alumni-net analyze",
    "centrality.csv": "alumni-net analyze",
    "reach.csv": "alumni-net analyze",
    "reach_by_cohort.csv": "alumni-net analyze",
    "multiplier.csv": "alumni-net simulate",
    "timeseries.csv": "alumni-net simulate",
    "by_degree.csv": "alumni-net simulate",
    "by_group.csv": "alumni-net simulate",
    "simulate.json": "alumni-net simulate",
}


def write_report(
    out_dir: str | os.PathLike,
    *,
    dataset=None,
    title: str = "alumni_net report",
    min_count: int = DEFAULT_MIN_COUNT,
    seed: int = 0,
    maps: bool = True,
) -> Path:
    """Write ``out_dir/report.html`` from the results in ``out_dir``; return its path.

    Parameters
    ----------
    out_dir : path
        Folder that ``alumni-net analyze`` / ``simulate`` / ``scenarios`` wrote into.
    dataset : Dataset, networkx graph or path, optional
        The (pseudonymised) data, for maps and for reach computed when ``reach.csv`` is absent.
        A path is loaded with pseudonymised ids.
    title : str
        Page title.
    min_count : int, default 10
        Counts of people below this are shown as "<10" in tables and on aggregated maps.
    seed : int
        Seeds map layouts.
    maps : bool, default True
        Draw network maps (needs ``dataset``).
    """
    folder = Path(out_dir)
    if not folder.is_dir():
        raise AlumniNetError(
            f"{folder} is not a folder; give the folder analyze/simulate wrote into"
        )
    ds, G = _dataset_and_graph(dataset)
    inputs = _read_inputs(folder)
    sections = [
        lambda: sec.key_numbers(ds, G, inputs, min_count),
        lambda: sec.multiplier_section(ds, inputs),
        lambda: sec.maps_section(G, ds, inputs, seed, min_count) if maps else [],
        lambda: sec.reach_section(G, ds, inputs, min_count),
        lambda: sec.centrality_section(G, inputs),
        lambda: sec.connectors_section(inputs, min_count),
        lambda: sec.spread_section(inputs),
        lambda: sec.scenarios_section(inputs),
        # Last, so that they can list what the sections above could not use or computed.
        lambda: _missing_section(inputs, G),
        lambda: sec.methods_section(min_count),
        lambda: _provenance_section(ds, G, inputs),
    ]
    blocks: list[Block] = []
    with missing_glyphs_drawn_as_boxes():
        for section in progress(sections, desc="report"):
            blocks += section()
    return atomic_write_text(folder / "report.html", render_page(title, _subtitle(ds), blocks))


def _subtitle(ds) -> str:
    now = _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    data = f"Data: {published_name(ds.name)}. " if ds is not None else ""
    return f"{data}Generated {now} by alumni_net {__version__}."


def _dataset_and_graph(dataset):
    """Accept a Dataset, a graph or a folder; return (Dataset or None, graph or None)."""
    if dataset is None:
        return None, None
    if isinstance(dataset, nx.Graph):
        return None, dataset
    if not isinstance(dataset, Dataset):
        dataset = load_dataset(dataset, pseudonymise_ids=True)
    # The name reaches the page and every caption: checked like a cell (core.publish).
    dataset = dataclasses.replace(dataset, name=published_name(dataset.name))
    return dataset, to_networkx(dataset)


def _read_inputs(folder: Path) -> Inputs:
    inputs = Inputs(folder)
    for name in [*EXPECTED_FILES, *SCENARIO_FILES]:
        path = folder / name
        if not path.is_file():
            continue
        try:
            if name.endswith(".json"):
                inputs.json[name] = json.loads(path.read_text(encoding="utf-8"))
            else:
                inputs.tables[name] = read_csv(path)
        except (ValueError, UnicodeDecodeError, pd.errors.ParserError) as exc:
            inputs.problems.append(f"{name} could not be read ({exc.__class__.__name__}: {exc}).")
    return inputs


def _missing_section(inputs: Inputs, G) -> list[Block]:
    rows = [(n, cmd) for n, cmd in EXPECTED_FILES.items() if not inputs.has(n)]
    out: list[Block] = [heading("What this report could not use")]
    if not rows and not inputs.problems and G is not None:
        out.append(para("Every expected result was found."))
    if rows:
        out.append(FileList(tuple(rows)))
    if G is None:
        out.append(
            para(
                "No dataset was given, so no network maps were drawn "
                "(alumni-net report DIR --data DATA_DIR)."
            )
        )
    if not any(inputs.has(n) for n in SCENARIO_FILES):
        out.append(para("No scenario results (written by alumni-net scenarios).", "note"))
    out += [para(p, "missing") for p in inputs.problems]
    out += [para(c, "note") for c in inputs.computed]
    return out


def _provenance_section(ds, G, inputs: Inputs) -> list[Block]:
    out: list[Block] = [heading("Data provenance")]
    if ds is not None:
        folder = published_name(ds.path.name) if ds.path is not None else "(in memory)"
        out.append(
            para(
                f"Dataset '{ds.name}' from folder '{folder}': {ds.n_people:,} people, "
                f"{ds.n_ties:,} tie records, "
                f"{'directed' if ds.directed else 'undirected'} ties. "
                "Person ids are pseudonymised; names and emails are never read into "
                "outputs."
            )
        )
        out += [para(f"Loading note: {n}", "note") for n in ds.notes]
    elif G is not None:
        out.append(
            para(
                f"Graph '{published_name(G.graph.get('name'))}': {G.number_of_nodes():,} "
                f"people, {G.number_of_edges():,} ties."
            )
        )
    files = [p for p in sorted(inputs.folder.iterdir()) if p.is_file() and p.name != "report.html"]
    if files:
        rows = pd.DataFrame(
            {
                "file": [p.name for p in files],
                "bytes": [p.stat().st_size for p in files],
                "sha256 (first 16)": [_sha(p) for p in files],
            }
        )
        out += [para(f"Files in {inputs.folder.name}/ when the report was written:"), table(rows)]
    sim = inputs.json.get("simulate.json")
    if sim is not None:
        out += [
            heading("Simulation settings (simulate.json)", 3),
            preformatted(json.dumps(published_json(sim), indent=1, default=str)[:6000]),
        ]
    return out


def _sha(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(2**20), b""):
            digest.update(block)
    return digest.hexdigest()[:16]
