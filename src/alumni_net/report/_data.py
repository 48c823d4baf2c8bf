"""What the report reads: the files in a results folder, and lookups in results of unknown shape."""

from __future__ import annotations

import fnmatch
from collections.abc import Collection, Hashable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from alumni_net.core.formatting import estimate, is_rate, number, whole
from alumni_net.core.privacy import format_count, suppress_small, suppressed_label
from alumni_net.metrics.reach import union_reach as reach_union
from alumni_net.report._blocks import Figure, figure_block
from alumni_net.report._html import file_uri

if TYPE_CHECKING:
    import networkx as nx

    from alumni_net.io import Dataset

#: Scenario result tables (scenario, measure, median, lo, hi), whichever name a run used.
SCENARIO_FILES = ("scenarios.csv", "scenario_results.csv", "results.csv")

_IMAGE_SUFFIXES = (".png", ".svg", ".gif")
# Whole numbers that label rows rather than count people: never suppressed.
_LABEL_COLUMNS = {"cohort", "community", "degree", "month", "replicate", "n_replicates", "year"}
_MAX_EMBEDDED_IMAGES = 12
_MAX_IMAGE_BYTES = 8 * 2**20


@dataclass
class Inputs:
    """The results read from a folder (tables, JSON and TOML documents), what the sections
    could not use (``problems``) or computed themselves, and the images already embedded."""

    folder: Path
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    json: dict[str, dict] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    computed: list[str] = field(default_factory=list)
    cache: dict = field(default_factory=dict)
    claimed: set[str] = field(default_factory=set)

    def has(self, name: str) -> bool:
        return name in self.tables or name in self.json


def images_in(folder: Path, skip: Collection[str] = ()) -> list[Path]:
    """Images in the folder not embedded by another section (maps from ``alumni-net map``)."""
    found = [p for p in sorted(folder.iterdir())
             if p.suffix.lower() in _IMAGE_SUFFIXES and p.name not in skip]
    return [p for p in found if p.stat().st_size <= _MAX_IMAGE_BYTES][:_MAX_EMBEDDED_IMAGES]


def embed_file(path: Path, caption: str | None = None) -> Figure:
    text = f"{path.name}: {caption}" if caption else path.name
    return figure_block(file_uri(path.read_bytes(), path.suffix), text, path.stem)


def embed_images(inputs: Inputs, captions: dict[str, str]) -> list[Figure]:
    """The images matching each pattern of ``captions`` (in its order), embedded with their
    caption and marked as used, so that no other section embeds them again."""
    out = []
    names = sorted(p.name for p in inputs.folder.iterdir() if p.is_file())
    for pattern, caption in captions.items():
        for name in names:
            path = inputs.folder / name
            if (name in inputs.claimed or not fnmatch.fnmatch(name, pattern)
                    or path.stat().st_size > _MAX_IMAGE_BYTES):
                continue
            inputs.claimed.add(name)
            out.append(embed_file(path, caption))
    return out


def count_table(df: pd.DataFrame, min_count: int, *,
                blank_is_withheld: bool = False) -> pd.DataFrame:
    """Suppress small counts in every count column of ``df``: whole-number columns, whether
    stored as integers or (as CSV often gives back) floats. With ``blank_is_withheld`` (tables
    that ``analyze`` already suppressed), a blank count is shown as withheld (``<10``), not n/a."""
    cols = [c for c in df.columns if _is_count_column(df[c])
            or (blank_is_withheld and _all_blank_numbers(df[c]))]
    if not cols:
        return df
    out = suppress_small(df, cols, min_count=min_count, label=True)
    if blank_is_withheld:
        for c in cols:
            out[c] = out[c].where(df[c].notna().to_numpy(), suppressed_label(min_count))
    for c in cols:
        # Counts read as everywhere else: thousands separated (the "<10" labels stay as they are).
        out[c] = [whole(v) if isinstance(v, str) and v.isdigit() else v for v in out[c]]
    return out


def _all_blank_numbers(col: pd.Series) -> bool:
    return (col.name not in _LABEL_COLUMNS and pd.api.types.is_numeric_dtype(col)
            and not pd.api.types.is_bool_dtype(col) and bool(len(col)) and bool(col.isna().all()))


def _is_count_column(col: pd.Series) -> bool:
    if col.name in _LABEL_COLUMNS or str(col.name).endswith("_id"):
        return False
    if pd.api.types.is_bool_dtype(col) or not pd.api.types.is_numeric_dtype(col):
        return False
    values = col.dropna().to_numpy(float)
    return bool(len(values)) and bool(np.all(np.isfinite(values) & (values == np.round(values))))


def fmt(value: float | None, min_count: int | None = None) -> str:
    """A number for the key-figures table (counts suppressed when a minimum count is given)."""
    if value is None or (np.isscalar(value) and pd.isna(value)):
        return "n/a"
    if min_count is not None:
        return format_count(value, min_count)
    return number(float(value))


def withheld(value: float | None, min_count: int) -> str:
    """A count from summary.json: None there means analyze withheld it (``<10``), not n/a."""
    return suppressed_label(min_count) if value is None else fmt(value, min_count)


def interval_table(df: pd.DataFrame, index: str) -> pd.DataFrame:
    """``median (lo to hi)`` per row of ``index`` and column of ``measure``: one compact table.

    Counts are whole numbers, rates three significant figures
    (:func:`alumni_net.core.formatting.estimate`).
    """
    cells = df.assign(
        value=[
            estimate(m, lo, hi, count=not is_rate(name))
            for name, m, lo, hi in zip(df["measure"], df["median"], df["lo"], df["hi"], strict=True)
        ]
    )
    wide = cells.pivot_table(
        index=index, columns="measure", values="value", aggfunc="first", sort=False
    )
    return wide.fillna("").reset_index().rename_axis(columns=None)


def find_scalar(obj: object, names: tuple[str, ...]) -> int | float | None:
    """The first scalar stored under one of ``names`` anywhere in a JSON document."""
    if isinstance(obj, dict):
        for k, v in obj.items():
            if k in names and isinstance(v, (int, float)) and not isinstance(v, bool):
                return v
        for v in obj.values():
            found = find_scalar(v, names)
            if found is not None:
                return found
    return None


def find_union(obj: object, inside_union: bool = False) -> dict | None:
    """A mapping with ``reach_1`` under a key mentioning "union" (``union_reach``'s result)."""
    if isinstance(obj, dict):
        if inside_union and "reach_1" in obj:
            return obj
        for k, v in obj.items():
            found = find_union(v, inside_union or "union" in str(k).lower())
            if found is not None:
                return found
    return None


def alumni_ids(G: nx.Graph | None) -> list[Hashable]:
    return [] if G is None else [v for v, a in G.nodes(data="is_alum") if a]


def n_alumni(ds: Dataset | None, G: nx.Graph | None, inputs: Inputs) -> int | None:
    if ds is not None:
        return int(ds.people["is_alum"].sum())
    if G is not None:
        return len(alumni_ids(G))
    mult = inputs.tables.get("multiplier.csv")
    if mult is not None and "alumni" in set(mult.get("measure", [])):
        return int(mult.set_index("measure").loc["alumni", "median"])
    for doc in inputs.json.values():
        found = find_scalar(doc, ("alumni", "n_alumni"))
        if found is not None:
            return int(found)
    return None


def union_reach(G: nx.Graph | None, inputs: Inputs) -> dict | None:
    """The alumni's union reach from summary.json, else computed once from the graph."""
    if "union" in inputs.cache:
        return inputs.cache["union"]
    found = find_union(inputs.json.get("summary.json", {}))
    if found is None and G is not None and alumni_ids(G):
        inputs.computed.append(
            "The alumni's union reach was computed for this report from the data."
        )
        found = reach_union(G, alumni_ids(G))
    inputs.cache["union"] = found
    return found


def overlap_table(reach: pd.DataFrame, union: Mapping[str, float | None],
                  max_dist: int = 3) -> pd.DataFrame:
    """Per degree: people first reached by the alumni together, within the degree, the sum of
    individual reaches within it, and the overlap ratio (sum / union; 1 = no double counting).
    A union count withheld by ``analyze`` (None) stays blank, and so does its ratio; show the
    table with ``count_table(..., blank_is_withheld=True)``."""
    rows = []
    for d in range(1, max_dist + 1):
        within = f"reach_within_{d}"
        if within not in reach or within not in union:
            continue
        summed = int(reach[within].sum())
        joint, first = union[within], union.get(f"reach_{d}", 0)
        rows.append(
            {
                "degree": d,
                "first reached (union)": np.nan if first is None else int(first),
                "within (union)": np.nan if joint is None else int(joint),
                "sum of individual reaches within": summed,
                "overlap ratio": summed / joint if joint else float("nan"),
            }
        )
    return pd.DataFrame(rows)
