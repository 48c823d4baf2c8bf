"""Write a Dataset back to a folder (deterministic CSV, atomically)."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from alumni_net.core.files import atomic_dir
from alumni_net.core.tables import write_csv
from alumni_net.io._dataset import Dataset

__all__ = ["write_dataset"]


def _text(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for col in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[col]):
            out[col] = out[col].dt.strftime("%Y-%m-%d")
        elif pd.api.types.is_bool_dtype(out[col]):
            out[col] = out[col].map({True: "true", False: "false"})
    return out


def write_dataset(ds: Dataset, out: str | os.PathLike, *, extra_meta: dict | None = None) -> Path:
    """Write ``people.csv``, ``ties.csv`` and ``dataset.toml``; the same Dataset gives the same bytes."""
    meta = {"name": ds.name, "directed": ds.directed, **(extra_meta or {})}
    with atomic_dir(out) as tmp:
        write_csv(_text(ds.people), tmp / "people.csv", lineterminator="\n")
        write_csv(_text(ds.ties), tmp / "ties.csv", lineterminator="\n")
        (tmp / "dataset.toml").write_text(_toml(meta), encoding="utf-8")
    return Path(out)


def _toml(meta: dict) -> str:
    lines = []
    for key, value in meta.items():
        if isinstance(value, bool):
            lines.append(f"{key} = {'true' if value else 'false'}")
        elif isinstance(value, (int, float)):
            lines.append(f"{key} = {value}")
        else:
            escaped = str(value).replace("\\", "\\\\").replace('"', '\\"')
            lines.append(f'{key} = "{escaped}"')
    return "\n".join(lines) + "\n"
