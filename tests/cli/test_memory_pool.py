"""The command line reads with the C library's allocator unless the user chose Arrow's pool
(see ``alumni_net.cli.main``: jemalloc's returned memory is dear to take back on VMs)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

_PROBE = ("from alumni_net.cli import main; main(['--version']); import pyarrow as pa; "
          "print(pa.default_memory_pool().backend_name)")


@pytest.mark.parametrize(("chosen", "expected"), [(None, "system"), ("jemalloc", "jemalloc")])
def test_arrow_allocates_with_the_system_allocator_unless_the_user_chose(chosen, expected):
    env = {k: v for k, v in os.environ.items() if k != "ARROW_DEFAULT_MEMORY_POOL"}
    if chosen is not None:
        pa = pytest.importorskip("pyarrow")
        if chosen not in pa.supported_memory_backends():
            pytest.skip(f"this pyarrow has no {chosen}")
        env["ARROW_DEFAULT_MEMORY_POOL"] = chosen
    out = subprocess.run([sys.executable, "-c", _PROBE], env=env, capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip().splitlines()[-1] == expected
