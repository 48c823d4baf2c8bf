"""The public API is annotated: every parameter and every return, so that mypy checks the calls
users write and readers see the types in the signatures.

"Public" is every name in the ``__all__`` of a public module (no ``_`` in its dotted name): its
functions, and of its classes the public methods, static and class methods, properties and
``__init__``. A function re-exported under several names is checked once, under the module that
defines it. mypy's strict settings (``[tool.mypy]`` in ``pyproject.toml``, tests/test_types.py)
cover whole packages; this covers the public surface of every package, strict or not.
"""

from __future__ import annotations

import functools
import importlib
import inspect
import pkgutil
from collections.abc import Callable, Iterator

import alumni_net

#: Names allowed to stay incomplete while being annotated (empty: every public callable is). It
#: only shrinks: a name on it that is complete fails the second test, so it cannot go stale.
PENDING: frozenset[str] = frozenset()


def _public_modules() -> Iterator[str]:
    for info in pkgutil.walk_packages(alumni_net.__path__, "alumni_net."):
        if not any(part.startswith("_") for part in info.name.split(".")):
            yield info.name


def _callables(obj: object, name: str) -> Iterator[tuple[str, Callable, bool]]:
    """(name, function, whether only its return counts) for a public function or class."""
    if inspect.isfunction(obj):
        yield name, obj, False
    elif inspect.isclass(obj):
        for attr, value in vars(obj).items():
            if attr.startswith("_") and attr != "__init__":
                continue
            if isinstance(value, staticmethod | classmethod):
                yield f"{name}.{attr}", value.__func__, False
            elif isinstance(value, property) and value.fget is not None:
                yield f"{name}.{attr}", value.fget, True
            elif inspect.isfunction(value):
                yield f"{name}.{attr}", value, False


def _missing(fn: Callable, return_only: bool) -> list[str]:
    sig = inspect.signature(fn)
    empty = inspect.Parameter.empty
    missing = [] if return_only else [
        p for p, par in sig.parameters.items()
        if par.annotation is empty and p not in ("self", "cls")]
    if sig.return_annotation is empty:
        missing.append("return")
    return missing


@functools.cache
def _survey() -> tuple[dict[str, list[str]], set[str], set[str]]:
    """Incomplete callables (qualified name -> what lacks an annotation), every callable
    checked, and the modules that could not be imported (an optional extra not installed)."""
    incomplete: dict[str, list[str]] = {}
    checked: set[str] = set()
    absent: set[str] = set()
    seen: set[int] = set()
    for module_name in _public_modules():
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if (exc.name or "").startswith("alumni_net"):
                raise
            absent.add(module_name)
            continue
        for name in getattr(module, "__all__", ()):
            for qualname, fn, return_only in _callables(getattr(module, name, None), name):
                if id(fn) in seen:
                    continue
                seen.add(id(fn))
                key = f"{fn.__module__}.{qualname}"
                checked.add(key)
                if missing := _missing(fn, return_only):
                    incomplete[key] = missing
    return incomplete, checked, absent


def test_every_public_callable_is_annotated():
    incomplete, checked, _ = _survey()
    assert len(checked) > 600  # the walk reached the package (691 callables when written)
    new = {k: v for k, v in incomplete.items() if k not in PENDING}
    assert not new, "annotate every parameter and the return of:\n" + "\n".join(
        f"  {k}: {', '.join(v)}" for k, v in sorted(new.items()))


def test_the_pending_list_only_shrinks():
    incomplete, checked, absent = _survey()
    # a module this environment cannot import (an extra not installed) hides its names
    done = sorted(k for k in PENDING if k in checked and k not in incomplete)
    gone = sorted(k for k in PENDING if k not in checked) if not absent else []
    assert not done, "now annotated: remove from PENDING:\n  " + "\n  ".join(done)
    assert not gone, "no longer public (renamed or removed): remove from PENDING:\n  " + \
        "\n  ".join(gone)
