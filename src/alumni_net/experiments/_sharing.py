"""What a local pool's workers share, pickled once with its large arrays in shared memory.

A pool worker receives the run's shared data (a network of millions of people, its plans) once,
when it starts. Pickled whole, each worker would hold its own copy: on the national preset that
is three copies of a 60-million-arc network, and minutes spent pickling and unpickling it.
:func:`pack` pickles the shared object with every large numeric array written once to a file in
shared memory (``/dev/shm`` where there is one, else the temporary folder), and :func:`unpack`
maps those files read-only in each worker: every process reads the same physical pages, and a
worker starts in the time it takes to map them.

Arrays of Python objects (ids that are strings) are pickled as usual; only numeric arrays of at
least :data:`MIN_BYTES` are shared. The parent removes the files when the pool closes
(:meth:`Shared.close`); a run killed outright leaves them behind, and the next run removes the
folders of processes that no longer exist.

The tasks and results that travel between the parent and its workers are pickled here too
(:func:`encode`, :func:`decode`): this is the one module that pickles, and only the parent's own
objects for its own worker processes.
"""

from __future__ import annotations

import contextlib
import io
import mmap
import os
import pickle
import shutil
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

from alumni_net.core.files import process_alive

__all__ = ["MIN_BYTES", "Shared", "decode", "encode", "pack", "unpack"]

#: Arrays smaller than this are pickled with the rest (a file and a mapping each cost more).
MIN_BYTES = 1 << 20
_PREFIX = "alumni-net-shared-"


class Shared:
    """Pickled bytes of an object whose large arrays live in files of ``folder``."""

    def __init__(self, data: bytes, folder: Path | None):
        self.data, self.folder = data, folder

    @property
    def shared_bytes(self) -> int:
        """Bytes of arrays held in shared memory (0 when nothing was large enough)."""
        if self.folder is None:
            return 0
        return sum(p.stat().st_size for p in self.folder.iterdir())

    def close(self) -> None:
        """Remove the shared files (workers that still map them keep their pages)."""
        _discard(self.folder)
        self.folder = None


class _Pickler(pickle.Pickler):
    def __init__(self, file: io.BytesIO, root: Path):
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self.root, self.count = root, 0
        self.folder: Path | None = None  # made at the first array worth sharing

    def reducer_override(self, obj: Any) -> Any:
        # Plain (or memory-mapped) numeric arrays only: subclasses with state of their own
        # (masked arrays, matrices) and arrays of Python objects pickle as usual.
        if not isinstance(obj, np.ndarray) or type(obj) not in (np.ndarray, np.memmap) \
                or obj.dtype.hasobject or obj.nbytes < MIN_BYTES:
            return NotImplemented
        if self.folder is None:
            self.folder = Path(tempfile.mkdtemp(prefix=f"{_PREFIX}{os.getpid()}-",
                                                dir=self.root))
        path = self.folder / f"{self.count}.bin"
        self.count += 1
        array = np.ascontiguousarray(obj)
        with open(path, "wb") as fh:
            fh.write(memoryview(array.reshape(-1).view(np.uint8)))
        return _attach, (str(path), array.dtype.str, obj.shape)


def pack(obj: Any) -> Shared:
    """Pickle ``obj`` with its large numeric arrays in shared-memory files (see module doc)."""
    roots = _roots()
    for attempt, root in enumerate(roots, start=1):
        _remove_orphans(root)
        buffer = io.BytesIO()
        pickler = _Pickler(buffer, root)
        try:
            pickler.dump(obj)
        except OSError:
            # /dev/shm is a small tmpfs in some containers: the temporary folder's files are
            # still shared through the page cache.
            _discard(pickler.folder)
            if attempt == len(roots):
                raise
            continue
        except BaseException:
            _discard(pickler.folder)
            raise
        return Shared(buffer.getvalue(), pickler.folder)
    raise AssertionError("unreachable")  # pragma: no cover


def _discard(folder: Path | None) -> None:
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)


def unpack(shared: Shared | bytes) -> Any:
    """The object :func:`pack` pickled, its large arrays mapped read-only from shared memory."""
    return pickle.loads(shared.data if isinstance(shared, Shared) else shared)


def encode(obj: Any) -> bytes:
    """``obj`` as bytes for a pipe between the parent and its own workers (a task, a result)."""
    return pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)


def decode(data: bytes | bytearray | memoryview) -> Any:
    """What :func:`encode` made, in the process at the other end of the pipe."""
    return pickle.loads(data)


def _attach(path: str, dtype: str, shape: tuple[int, ...]) -> np.ndarray:
    """A read-only array over the shared file ``path`` (a plain ndarray, as numba wants)."""
    with open(path, "rb") as fh:
        mapped = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
    return np.frombuffer(mapped, dtype=np.dtype(dtype)).reshape(shape)


def _roots() -> list[Path]:
    """Where to put the files: ``/dev/shm`` (memory, not disk) when it exists and is writable,
    then the temporary folder."""
    shm, tmp = Path("/dev/shm"), Path(tempfile.gettempdir())
    return [shm, tmp] if shm.is_dir() and os.access(shm, os.W_OK) and shm != tmp else [tmp]


def _remove_orphans(root: Path) -> None:
    """Remove shared folders left by runs whose process no longer exists (killed outright)."""
    with contextlib.suppress(OSError):
        for folder in root.glob(f"{_PREFIX}*"):
            pid = folder.name[len(_PREFIX):].split("-", 1)[0]
            if pid.isdigit() and not process_alive(int(pid)):
                shutil.rmtree(folder, ignore_errors=True)
