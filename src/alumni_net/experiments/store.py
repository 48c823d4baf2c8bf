"""The replicate store: one set of Parquet files per replicate, a manifest, atomic writes, resume.

Layout of ``out_dir/replicates/``::

    manifest.json                    config hash, seed and parameters of the run
    rep-000000.timeseries.parquet    ... one file per table, written atomically;
    rep-000000.summary.parquet       the summary is written last: it marks the replicate finished

Never pickle: the project loads no pickles, and Parquet files can be read by anyone.
:func:`run_manifest` says what identifies a run (seed, engine, parameters, a content hash of the
data); its hash guards ``resume`` against mixing the replicates of different runs. The runner and
the scenario sweep (one store per scenario) both use it.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd

from alumni_net.core.files import atomic_write_bytes, atomic_write_text
from alumni_net.core.publish import published_weights
from alumni_net.errors import ConfigError
from alumni_net.experiments.replicate import TABLES, RunSpec

__all__ = ["ReplicateStore", "run_manifest"]

#: Bumped when the layout changes, so an old store is never mixed with a new one.
STORE_FORMAT = 1


class ReplicateStore:
    """Finished replicates of one run in ``out_dir/replicates``; refuses to mix different runs."""

    def __init__(self, out_dir: str | Path, manifest: dict[str, Any], *, resume: bool) -> None:
        self.root = Path(out_dir) / "replicates"
        self.manifest = {"format": STORE_FORMAT, **manifest}
        path = self.root / "manifest.json"
        self._drop_partial_writes()
        if resume and path.exists():
            self._check_same_run(path)
        elif resume and any(self.root.glob("rep-*.parquet")):
            raise ConfigError(
                f"cannot resume: {self.root} holds replicates but no manifest.json saying how "
                "they were run; drop --resume to start afresh or use a new --out"
            )
        elif not resume:
            self._clear()  # a fresh run: stale replicates of an earlier run must not survive
        self.root.mkdir(parents=True, exist_ok=True)
        atomic_write_text(path, json.dumps(self.manifest, indent=2, sort_keys=True) + "\n")

    def _check_same_run(self, path: Path) -> None:
        try:
            old = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            raise ConfigError(
                f"cannot resume: {path} is unreadable; use a new output folder"
            ) from None
        if old.get("config_hash") != self.manifest["config_hash"]:
            raise ConfigError(
                f"cannot resume: the replicates in {self.root} were run with different data, "
                "parameters, engine or seed; drop --resume to start afresh or use a new --out"
            )

    def _clear(self) -> None:
        if self.root.is_dir():
            for file in self.root.glob("rep-*.parquet"):
                file.unlink()

    def _drop_partial_writes(self) -> None:
        # Temporary files of writes a killed run never finished (the finished file never existed).
        if self.root.is_dir():
            for file in self.root.glob(".rep-*.tmp"):
                file.unlink(missing_ok=True)

    def _file(self, index: int, table: str) -> Path:
        return self.root / f"rep-{index:06d}.{table}.parquet"

    def done(self, index: int) -> bool:
        """True when replicate ``index`` was written completely (its summary exists)."""
        return self._file(index, "summary").exists()

    def write(self, index: int, tables: dict[str, pd.DataFrame]) -> None:
        """Write one replicate's tables, each atomically, the summary last; interrupted (Ctrl-C,
        SIGTERM) or failing part-way, the tables already written go too: all four or none."""
        written: list[Path] = []
        try:
            for table in TABLES:
                buffer = io.BytesIO()
                tables[table].to_parquet(buffer, index=False)
                written.append(atomic_write_bytes(self._file(index, table), buffer.getvalue()))
        except BaseException:
            for path in written:
                path.unlink(missing_ok=True)
            raise

    def read(self, index: int, tables: Sequence[str] = TABLES) -> dict[str, pd.DataFrame]:
        """The ``tables`` of replicate ``index`` (default all)."""
        return {t: pd.read_parquet(self._file(index, t)) for t in tables}

    def count(self) -> int:
        """Finished replicates in the store."""
        return len(list(self.root.glob("rep-*.summary.parquet")))


def run_manifest(data: Any, spec: RunSpec, root: np.random.SeedSequence) -> dict:
    """What identifies a run; its ``config_hash`` guards ``resume`` against mixing runs."""
    params = spec.params
    body: dict[str, Any] = {
        "seed": {"entropy": root.entropy, "spawn_key": list(root.spawn_key)},
        "engine": spec.engine,
        "counterfactual": spec.counterfactual,
        "params": params.to_dict() if hasattr(params, "to_dict") else dataclasses.asdict(params),
        "data": _fingerprint(data),
    }
    if spec.draws:  # the draws and seeds change results: resume must see them (hashed, not listed)
        draws = json.dumps([d.to_dict() for d in spec.draws], sort_keys=True, default=str)
        body["posterior_draws"] = {"n": len(spec.draws),
                                   "sha256": hashlib.sha256(draws.encode()).hexdigest()}
    if spec.initial_adopters:
        ids = json.dumps(sorted(map(str, spec.initial_adopters)))
        body["initial_adopters"] = {"n": len(spec.initial_adopters),
                                    "sha256": hashlib.sha256(ids.encode()).hexdigest()}
    text = json.dumps(body, sort_keys=True, default=str)
    digest = hashlib.sha256(text.encode()).hexdigest()  # of the run as given, names and all
    # What is written (manifest.json, simulate.json): tie kinds as outputs may show them.
    if isinstance(body["params"], dict) and body["params"].get("tie_weights"):
        body["params"] = {**body["params"], "tie_weights": published_weights(
            body["params"]["tie_weights"], data)}
    return {**body, "config_hash": digest}


def _column_digest(col: pd.Series) -> bytes:
    """SHA-256 of a column's values, read from its buffers (a national ties table of 30 million
    rows in about 2 s; hashing each value, as ``pandas.util.hash_pandas_object`` does, took 12).

    Arrow-backed text is read chunk by chunk, as the lengths of its values, their bytes and the
    positions of missing values, each hashed as one stream: the digest does not depend on how
    the column happens to be chunked. Numbers and dates are hashed as their bytes; anything
    else (Python objects) by ``hash_pandas_object``.
    """
    import pyarrow as pa

    lengths, text, missing = hashlib.sha256(), hashlib.sha256(), hashlib.sha256()
    values = col.array
    if isinstance(values, pd.api.extensions.ExtensionArray) and hasattr(values,
                                                                      "__arrow_array__"):
        arrow = pa.array(values)
        chunks = arrow.chunks if isinstance(arrow, pa.ChunkedArray) else [arrow]
        if all(pa.types.is_string(c.type) or pa.types.is_large_string(c.type) for c in chunks):
            start = 0
            for chunk in chunks:
                wide = pa.types.is_large_string(chunk.type)
                _, offsets_buf, data_buf = chunk.buffers()
                offsets = np.frombuffer(offsets_buf, dtype=np.int64 if wide else np.int32)[
                    chunk.offset:chunk.offset + len(chunk) + 1].astype(np.int64)
                lengths.update(np.diff(offsets).tobytes())
                if data_buf is not None and len(offsets):
                    text.update(memoryview(data_buf)[offsets[0]:offsets[-1]])
                if chunk.null_count:
                    nulls = np.flatnonzero(chunk.is_null().to_numpy(zero_copy_only=False))
                    missing.update((nulls + start).tobytes())
                start += len(chunk)
            return lengths.digest() + text.digest() + missing.digest()
    array = np.asarray(values) if not isinstance(values, pd.api.extensions.ExtensionArray) \
        else None
    if array is not None and array.dtype.kind in "biufcmM":
        return hashlib.sha256(np.ascontiguousarray(array).view(np.uint8)).digest()
    return hashlib.sha256(pd.util.hash_pandas_object(col, index=False).to_numpy()
                          .tobytes()).digest()


def _fingerprint(data: Any) -> dict:
    """A content hash of the data (plus its name and size), so resume notices changed data."""
    digest = hashlib.sha256()
    if hasattr(data, "people") and hasattr(data, "ties"):
        for frame in (data.people, data.ties):
            for col in frame.columns:
                digest.update(f"{col}\0{frame[col].dtype}\0".encode())
                digest.update(_column_digest(frame[col]))
        digest.update(str(getattr(data, "directed", "")).encode())
        name, n = getattr(data, "name", ""), len(data.people)
    elif isinstance(data, nx.Graph):
        nodes = sorted(data.nodes(data=True), key=lambda x: str(x[0]))
        edges = sorted(data.edges(data=True), key=lambda e: (str(e[0]), str(e[1])))
        digest.update(json.dumps([nodes, edges, data.is_directed()], default=str).encode())
        name, n = data.graph.get("name", ""), data.number_of_nodes()
    else:
        raise TypeError(f"cannot simulate on a {type(data).__name__}; pass a Dataset or a graph")
    return {"name": str(name), "n_people": int(n), "sha256": digest.hexdigest()}
