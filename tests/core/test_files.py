"""Atomic writes name the file the user asked for when the system refuses a write (a full disk
names nothing; a temporary file means nothing to the user)."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from alumni_net.core.files import atomic_dir, atomic_write_bytes, located

FULL = errno.ENOSPC


def _full_disk(*_args, **_kwargs):
    # What a real full disk raises from write or fsync: an errno and no file name.
    raise OSError(FULL, os.strerror(FULL))


def test_a_full_disk_names_the_file_and_leaves_nothing(tmp_path, monkeypatch):
    monkeypatch.setattr(os, "fsync", _full_disk)
    with pytest.raises(OSError) as err:
        atomic_write_bytes(tmp_path / "out" / "summary.json", b"{}")
    assert err.value.errno == FULL and err.value.filename == str(tmp_path / "out" / "summary.json")
    assert list((tmp_path / "out").iterdir()) == []


def test_a_full_disk_inside_an_output_folder_names_the_folder(tmp_path):
    out = tmp_path / "results"
    with pytest.raises(OSError) as err, atomic_dir(out) as tmp:
        (tmp / "a.csv").write_text("x\n")
        _full_disk()
    assert err.value.filename == str(out) and not out.exists()
    assert list(tmp_path.iterdir()) == []


def test_a_refused_move_names_the_final_file_not_the_temporary_one(tmp_path, monkeypatch):
    real = os.replace

    def refuse(src, dst):
        if str(dst).endswith("b.csv"):
            raise PermissionError(errno.EACCES, "Permission denied", str(src), str(dst))
        return real(src, dst)

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(PermissionError) as err, atomic_dir(tmp_path / "out") as tmp:
        (tmp / "b.csv").write_text("x\n")
    assert err.value.filename == str(tmp_path / "out" / "b.csv")


def test_located_keeps_a_name_it_cannot_improve():
    exc = OSError(errno.EACCES, "Permission denied", "/data/people.csv")
    assert located(exc, "/elsewhere") is exc
    assert located(OSError(FULL, "No space left on device"), Path("x")).filename == "x"
