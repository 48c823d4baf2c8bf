"""A local pool's shared data: large arrays written once to shared memory, mapped by workers."""

from __future__ import annotations

import os
from pathlib import Path

import networkx as nx
import numpy as np
import pytest

from alumni_net.abm import ContagionParams
from alumni_net.experiments import _sharing, run_replicates
from alumni_net.experiments._sharing import MIN_BYTES, pack, unpack
from alumni_net.experiments.executor import Executor


def _arrays():
    big = np.arange(MIN_BYTES // 8 + 5, dtype=np.int64)
    return {
        "big": big,
        "again": big,  # the same array twice is shared once and unpickled as one object
        "small": np.arange(5, dtype=np.int16),
        "strided": np.arange(MIN_BYTES // 2, dtype=np.int32)[::2],  # not contiguous
        "fortran": np.asfortranarray(np.arange(MIN_BYTES // 4, dtype=np.float64).reshape(-1, 4)),
        "objects": np.array(["a", None, "b"] * (MIN_BYTES // 8), dtype=object),
        "flags": np.ones(MIN_BYTES + 1, dtype=bool),
    }


def test_large_numeric_arrays_go_to_shared_files_and_come_back_equal_and_read_only():
    original = _arrays()
    packed = pack(original)
    try:
        files = sorted(packed.folder.iterdir())
        # big, strided, fortran and flags: one file each; "again" is the same object as "big"
        assert len(files) == 4
        assert packed.shared_bytes == sum(f.stat().st_size for f in files)
        # the pickle itself holds only the small and object arrays
        assert len(packed.data) < original["objects"].nbytes * 2
        back = unpack(packed)
        assert back.keys() == original.keys()
        for name, array in original.items():
            assert back[name].dtype == array.dtype and back[name].shape == array.shape, name
            if array.dtype.hasobject:
                assert back[name].tolist() == array.tolist()
            else:
                np.testing.assert_array_equal(back[name], array)
        assert back["again"] is back["big"]
        for name in ("big", "strided", "fortran", "flags"):
            assert type(back[name]) is np.ndarray  # a plain array, as numba wants
            assert not back[name].flags.writeable
            with pytest.raises(ValueError):
                back[name][0] = 1
        assert back["small"].flags.writeable  # small arrays are ordinary copies
    finally:
        packed.close()
    assert packed.folder is None


def test_close_removes_the_files_and_mapped_arrays_outlive_it():
    packed = pack({"big": np.full(MIN_BYTES, 7, dtype=np.uint8)})
    folder = packed.folder
    back = unpack(packed.data)
    packed.close()
    assert not folder.exists()
    assert int(back["big"].sum()) == 7 * MIN_BYTES  # the mapping keeps its pages


def test_nothing_large_means_no_folder():
    packed = pack({"small": np.arange(10)})
    assert packed.folder is None and packed.shared_bytes == 0
    np.testing.assert_array_equal(unpack(packed)["small"], np.arange(10))


def test_folders_of_processes_that_no_longer_exist_are_removed(tmp_path, monkeypatch):
    monkeypatch.setattr(_sharing, "_roots", lambda: [tmp_path])
    dead = tmp_path / f"{_sharing._PREFIX}999999999-abc"
    dead.mkdir()
    (dead / "0.bin").write_bytes(b"x")
    mine = tmp_path / f"{_sharing._PREFIX}{os.getpid()}-def"
    mine.mkdir()
    packed = pack({"big": np.zeros(MIN_BYTES, dtype=np.uint8)})
    try:
        assert not dead.exists()  # killed outright: its run cannot remove it
        assert mine.exists()  # a live process's folder is left alone
        assert Path(packed.folder).parent == tmp_path
    finally:
        packed.close()


def test_a_full_shared_memory_falls_back_to_the_temporary_folder(tmp_path, monkeypatch):
    full, spare = tmp_path / "full", tmp_path / "spare"
    full.mkdir()
    spare.mkdir()
    monkeypatch.setattr(_sharing, "_roots", lambda: [full, spare])
    real_open = open

    def no_space(path, *args, **kwargs):
        if str(path).startswith(str(full)) and "w" in (args[0] if args else kwargs["mode"]):
            raise OSError(28, "No space left on device")
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(_sharing, "open", no_space, raising=False)
    packed = pack({"big": np.ones(MIN_BYTES, dtype=np.uint8)})
    try:
        assert packed.folder.parent == spare
        assert list(full.iterdir()) == []  # the half-written attempt was removed
    finally:
        packed.close()


def _total(shared, i):
    return i, int(shared["big"].sum()), bool(shared["big"].flags.writeable)


def test_pool_workers_map_the_shared_arrays_and_the_files_go_when_the_pool_closes():
    shared = {"big": np.arange(MIN_BYTES // 8, dtype=np.int64)}
    with Executor(_total, shared, workers=2) as ex:
        got = sorted(r for _, r in ex.map_unordered([(0,), (1,), (2,)]))
        folder = ex._packed.folder
        assert folder is not None and folder.exists()
    expected = int(shared["big"].sum())
    assert got == [(i, expected, False) for i in range(3)]
    assert not folder.exists()


def test_a_run_on_a_pool_of_compiled_shared_networks_matches_one_process():
    g = nx.connected_watts_strogatz_graph(300, 6, 0.1, seed=3)
    nx.set_node_attributes(g, {n: n < 20 for n in g}, "is_alum")
    params = ContagionParams(horizon_months=24, beta=0.05)
    one = run_replicates(g, params, n_replicates=4, seed=11, workers=1)
    two = run_replicates(g, params, n_replicates=4, seed=11, workers=2)
    for table in ("summary", "by_degree", "timeseries", "by_group"):
        assert getattr(one, table).equals(getattr(two, table)), table
