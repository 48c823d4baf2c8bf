"""The type hints hold: mypy over ``src/`` with the project's configuration finds no error.

The configuration is ``[tool.mypy]`` in ``pyproject.toml``: every module checked; stage 0, the
exceptions, the shared words, loading, the graphs and the synthetic generator strictly (every
function annotated); the public API of every package is annotated (tests/test_public_api_types.py).
The cache lives in the repository's ``.mypy_cache``, so a run after a small change takes seconds
(a cold run about 20 s of CPU).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

pytest.importorskip("mypy", reason="mypy is in the test extra")


def test_mypy_finds_no_error_in_the_package():
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--config-file", str(ROOT / "pyproject.toml"),
         "--cache-dir", str(ROOT / ".mypy_cache"), "--no-error-summary", "--hide-error-context"],
        cwd=ROOT, capture_output=True, text=True, timeout=300, check=False)
    errors = [line for line in done.stdout.splitlines() if ": error:" in line]
    assert done.returncode == 0 and not errors, "\n".join(errors) or done.stdout + done.stderr


def test_stage_0_is_checked_strictly():
    # A function without annotations in core/ fails the run above; this says so by example.
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["mypy"]
    strict = [o for o in config["overrides"] if o.get("disallow_untyped_defs")]
    assert any("alumni_net.core.*" in o["module"] for o in strict)
    assert any("alumni_net.synth.*" in o["module"] for o in strict)
    assert config["files"] == ["src/alumni_net"]
