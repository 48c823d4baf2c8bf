"""How the fast engine's hot kernels are compiled: Numba without reference counting.

The kernels of ``_events``, ``_queue``, ``_walks`` and ``_distances`` never allocate, so they are
compiled with ``_nrt=False`` (as Numba's own internal helpers are): otherwise Numba counts
references to every array of the tuples passed in and out of each call, which costs more than
the work of the call. ``_nrt`` is a real option of Numba's CPU target
(``numba.core.options.TargetOptions``), but Numba's type stubs list only the public options, so
it is passed here, in one place, rather than at each kernel.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from numba import njit

if TYPE_CHECKING:
    from numba.core.dispatcher import Dispatcher


def _compile[F: Callable[..., object]](fn: F, inline: bool) -> Dispatcher[F]:
    options: dict[str, object] = {"_nrt": False}
    if inline:
        options["inline"] = "always"
    # Numba's stubs (numba/core/decorators.pyi) type njit's options as a TypedDict without
    # the private ``_nrt``; Numba itself accepts it (cpu.py lists it among the CPU options).
    return njit(**options)(fn)  # type: ignore[call-overload]


def kernel[F: Callable[..., object]](fn: F) -> Dispatcher[F]:
    """Compile ``fn`` in nopython mode without reference counting (it must not allocate)."""
    return _compile(fn, inline=False)


def inline_kernel[F: Callable[..., object]](fn: F) -> Dispatcher[F]:
    """As :func:`kernel`, and inlined into the kernels that call it (``inline="always"``)."""
    return _compile(fn, inline=True)
