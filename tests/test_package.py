"""The package's public face: every advertised name resolves, and importing it stays light."""

from __future__ import annotations

import subprocess
import sys

import alumni_net


def test_every_exported_name_resolves():
    for name in alumni_net.__all__:
        assert getattr(alumni_net, name) is not None, name
    assert set(alumni_net.__all__) <= set(dir(alumni_net))


def test_import_does_not_load_heavy_modules():
    code = ("import sys, alumni_net; heavy = {'mesa', 'numba', 'matplotlib', 'igraph', 'solara'}; "
            "print(sorted(heavy & set(sys.modules)))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_unknown_attribute_raises():
    try:
        alumni_net.no_such_thing  # noqa: B018
    except AttributeError as exc:
        assert "no_such_thing" in str(exc)
    else:
        raise AssertionError("expected AttributeError")


def test_cli_help_does_not_load_heavy_modules():
    code = ("import sys; from alumni_net.cli import build_parser; build_parser(); "
            "print(sorted({'mesa', 'numba', 'matplotlib', 'igraph'} & set(sys.modules)))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
