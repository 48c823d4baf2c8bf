"""Numba's on-disk cache, kept honest across modules.

Numba keys a cached kernel by the modification time and size of its own source file only. When
a kernel calls or inlines a function from another module (the fast engine's ``run_months``
calls ``_distances``, ``_queue``, ``_walks`` and ``rules``), an edit of that other module goes
unnoticed and the stale machine code is loaded (Numba's documentation, "Notes on caching").
An installed release is not affected, as installing writes every file afresh. A working
copy is: an edited ``_distances.py`` ran with the old code until ``_events.py`` changed too, and
a test meant to catch a deliberate bug passed.

So, once per process, the package hashes the source of its kernel packages. When the hash
differs from the one stamped beside Numba's cache, the cache's index files (``*.nbi``) in
those folders are removed and Numba compiles afresh (a missing index is an ordinary cache miss
to Numba). With ``NUMBA_CACHE_DIR`` set, Numba caches elsewhere and nothing is checked.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

__all__ = ["KERNEL_PACKAGES", "refresh_kernel_cache"]

#: The package folders holding Numba kernels (relative to the package root).
KERNEL_PACKAGES = ("abm", "diffusion", "experiments/recruitment", "metrics")
_STAMP = "kernels.stamp"


def refresh_kernel_cache(root: Path | None = None) -> bool:
    """Remove Numba's cache index files of the kernel packages if their source changed since
    the last check; returns whether it did. Never raises (a read-only install keeps its cache).

    Examples
    --------
    >>> refresh_kernel_cache() in (True, False)
    True
    """
    if os.environ.get("NUMBA_CACHE_DIR"):
        return False
    root = Path(__file__).resolve().parents[1] if root is None else root
    try:
        digest = hashlib.blake2b(digest_size=16)
        for path in sorted(p for d in KERNEL_PACKAGES for p in (root / d).glob("*.py")):
            digest.update(path.relative_to(root).as_posix().encode() + b"\0")
            digest.update(path.read_bytes())
        want = digest.hexdigest()
        stamp = root / KERNEL_PACKAGES[0] / "__pycache__" / _STAMP
        if stamp.is_file() and stamp.read_text() == want:
            return False
        for d in KERNEL_PACKAGES:
            for index in (root / d / "__pycache__").glob("*.nbi"):
                index.unlink(missing_ok=True)
        stamp.parent.mkdir(exist_ok=True)
        part = stamp.with_name(f"{_STAMP}.{os.getpid()}")
        part.write_text(want)
        part.replace(stamp)  # atomic: pool workers may check at the same moment
        return True
    except OSError:
        return False
