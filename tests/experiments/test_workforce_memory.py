"""What a process drawing workforce networks changes about its memory, and gives back."""

from __future__ import annotations

import platform

import pyarrow as pa

from alumni_net.experiments.workforce.draw import freed_memory_kept


def test_drawing_in_process_gives_malloc_and_arrow_their_allocators_back():
    """Memory kept for the next network (glibc) only inside the block: afterwards Arrow
    allocates from its own pool again, as the rest of the process expects."""
    before = pa.default_memory_pool().backend_name
    with freed_memory_kept():
        inside = pa.default_memory_pool().backend_name
    assert pa.default_memory_pool().backend_name == before
    if platform.libc_ver()[0] == "glibc" and before != "system":
        assert inside == "system"
