"""The fast engine's kernels are compiled without Numba's reference counting, in one place."""

from __future__ import annotations

import numpy as np
from numba.core.dispatcher import Dispatcher

from alumni_net.abm import _distances, _events, _jit, _queue, _walks


def test_kernel_and_inline_kernel_compile_without_reference_counting_and_compute():
    @_jit.inline_kernel
    def twice(x):
        return 2.0 * x

    @_jit.kernel
    def total(a):
        s = 0.0
        for v in a:
            s += twice(v)
        return s

    assert total(np.arange(5.0)) == 20.0
    assert total.targetoptions["_nrt"] is False and "inline" not in total.targetoptions
    assert twice.targetoptions["_nrt"] is False and twice.targetoptions["inline"] == "always"


def test_only_the_allocating_kernels_keep_reference_counting():
    # Growing the calendar, building the spells and the searches allocate arrays: they need
    # Numba's reference counting; every other kernel of these modules must run without it.
    allocating = {("_queue", "grow"), ("_events", "_make_room"), ("_events", "_spells"),
                  ("_events", "initialise"), ("_events", "run_months"),
                  ("_distances", "search")}
    seen = set()
    for module in (_walks, _queue, _events, _distances):
        short = module.__name__.rsplit(".", 1)[1]
        for name, obj in vars(module).items():
            if not isinstance(obj, Dispatcher) or obj.py_func.__module__ != module.__name__:
                continue
            seen.add((short, name))
            nrt_free = obj.targetoptions.get("_nrt") is False
            assert nrt_free != ((short, name) in allocating), (short, name)
    assert allocating <= seen and len(seen) == 44
