"""One self-contained HTML report that fits the study: a section for each command that ran.

``write_report(DIR)`` reads what ``analyze``, ``diffusion``, ``calibrate``, ``simulate`` and
``scenarios`` left in DIR (see :data:`alumni_net.report._study.STAGES`), draws maps when the
dataset is given, and writes ``DIR/report.html``: what the study is (a programme, or a study
without one), key numbers, then one section per stage that ran (observed diffusion, calibration
with its model comparison and predictive check, the claim's arithmetic beside the simulated
multiplier, spread, scenarios), maps, reach and centrality, method notes and provenance. Nothing
that was not run appears: no empty chart, no placeholder. Images are embedded as base64 PNG: the
page needs nothing else.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import hashlib
import json
import os
import tomllib
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
from alumni_net.report._blocks import Block, FileList, heading, para, preformatted, table
from alumni_net.report._calibration import calibration_section
from alumni_net.report._data import Inputs
from alumni_net.report._observed import observed_section
from alumni_net.report._programme import multiplier_section, scenarios_section, spread_section
from alumni_net.report._render import render_page
from alumni_net.report._study import STAGES, Context, study_of

__all__ = ["EXPECTED_FILES", "write_report"]

#: Files the report reads, and the command that writes each.
EXPECTED_FILES = {name: stage.command for stage in STAGES for name in stage.reads}


def write_report(
    out_dir: str | os.PathLike,
    *,
    dataset: Dataset | nx.Graph | str | os.PathLike | None = None,
    title: str = "alumni_net report",
    min_count: int = DEFAULT_MIN_COUNT,
    seed: int = 0,
    maps: bool = True,
) -> Path:
    """Write ``out_dir/report.html`` from the results in ``out_dir``; return its path.

    Parameters
    ----------
    out_dir : path
        Folder that ``alumni-net analyze`` / ``diffusion`` / ``calibrate`` / ``simulate`` /
        ``scenarios`` wrote into.
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

    Raises
    ------
    AlumniNetError
        When ``out_dir`` is not a folder, or holds no results and no dataset is given.
    """
    folder = Path(out_dir)
    if not folder.is_dir():
        raise AlumniNetError(
            f"{folder} is not a folder; give the folder analyze/simulate wrote into"
        )
    ds, G = _dataset_and_graph(dataset)
    inputs = _read_inputs(folder)
    study = study_of(folder, ds, G, inputs.json.get("summary.json"))
    if not study.stages and G is None:
        raise AlumniNetError(
            f"{folder} holds no results of alumni-net analyze, diffusion, calibrate, simulate or "
            "scenarios, and no data were given (--data): there is nothing to report"
        )
    ctx = Context(ds, G, inputs, study, min_count, seed, maps)
    sections = [
        lambda: [para(study.description())],
        lambda: sec.key_numbers(ctx),
        lambda: observed_section(inputs, min_count),
        lambda: calibration_section(inputs),
        lambda: multiplier_section(study.alumni, inputs),
        lambda: spread_section(inputs),
        lambda: scenarios_section(inputs, min_count),
        lambda: sec.maps_section(ctx),
        lambda: sec.reach_section(ctx),
        lambda: sec.centrality_section(ctx),
        lambda: sec.connectors_section(ctx),
        # Last, so that they can list what the sections above could not use or computed.
        lambda: _problems_section(ctx),
        lambda: sec.methods_section(ctx),
        lambda: _provenance_section(ctx),
    ]
    blocks: list[Block] = []
    with missing_glyphs_drawn_as_boxes():
        for section in progress(sections, desc="report"):
            blocks += section()
    return atomic_write_text(folder / "report.html", render_page(title, _subtitle(ds), blocks))


def _subtitle(ds: Dataset | None) -> str:
    now = _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    data = f"Data: {published_name(ds.name)}. " if ds is not None else ""
    return f"{data}Generated {now} by alumni_net {__version__}."


def _dataset_and_graph(
    dataset: Dataset | nx.Graph | str | os.PathLike | None,
) -> tuple[Dataset | None, nx.Graph | None]:
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
    for name in EXPECTED_FILES:
        path = folder / name
        if not path.is_file():
            continue
        try:
            if name.endswith(".json"):
                inputs.json[name] = json.loads(path.read_text(encoding="utf-8"))
            elif name.endswith(".toml"):
                inputs.json[name] = tomllib.loads(path.read_text(encoding="utf-8"))
            else:
                inputs.tables[name] = read_csv(path)
        except (ValueError, UnicodeDecodeError, pd.errors.ParserError) as exc:
            # tomllib.TOMLDecodeError and json.JSONDecodeError are ValueErrors
            inputs.problems.append(f"{name} could not be read ({exc.__class__.__name__}: {exc}).")
    return inputs


def _problems_section(ctx: Context) -> list[Block]:
    """Only what went wrong: a stage whose files are incomplete, files that could not be read,
    figures that could not be drawn. A stage that was not run is not a problem."""
    inputs = ctx.inputs
    rows = [(name, stage.command) for stage in ctx.study.stages for name in stage.core
            if not (inputs.folder / name).is_file()]
    if not rows and not inputs.problems:
        return []
    out: list[Block] = [heading("What this report could not use")]
    if rows:
        out.append(FileList(tuple(rows)))
    return out + [para(p, "missing") for p in inputs.problems]


def _provenance_section(ctx: Context) -> list[Block]:
    ds, G, inputs = ctx.ds, ctx.G, ctx.inputs
    out: list[Block] = [heading("Data provenance")]
    if ds is not None:
        folder = published_name(ds.path.name) if ds.path is not None else "(in memory)"
        out.append(
            para(
                f"Dataset '{ds.name}' from '{folder}': {ds.n_people:,} people, "
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
    else:
        out.append(para("No data were given (alumni-net report DIR --data DATA), so the report "
                        "shows the results only: no network maps.", "note"))
    out += [para(c, "note") for c in inputs.computed]
    files = [p for p in sorted(inputs.folder.iterdir()) if p.is_file() and p.name != "report.html"]
    if files:
        rows = pd.DataFrame(
            {
                "file": [p.name for p in files],
                "bytes": [p.stat().st_size for p in files],
                "sha256 (first 16)": [_sha(p) for p in files],
            }
        )
        name = inputs.folder.resolve().name
        out += [para(f"Files in {name}/ when the report was written:"), table(rows)]
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
