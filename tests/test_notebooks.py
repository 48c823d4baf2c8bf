"""Notebooks are jupytext pairs (``.ipynb`` + ``py:percent``) kept in sync, with outputs
stripped."""

from __future__ import annotations

from pathlib import Path

import jupytext
import pytest

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
PAIRS = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))


def _cells(notebook) -> list[tuple[str, str]]:
    return [(c.cell_type, c.source.strip()) for c in notebook.cells]


def test_there_are_notebooks():
    assert len(PAIRS) >= 4


@pytest.mark.parametrize("ipynb", PAIRS, ids=lambda p: p.stem)
def test_pair_is_in_sync(ipynb):
    script = ipynb.with_suffix(".py")
    assert script.is_file(), f"{ipynb.name} has no paired {script.name}"
    assert _cells(jupytext.read(ipynb)) == _cells(jupytext.read(script)), (
        f"{ipynb.name} and {script.name} differ: run `jupytext --sync {script}`")


@pytest.mark.parametrize("ipynb", PAIRS, ids=lambda p: p.stem)
def test_outputs_are_stripped(ipynb):
    notebook = jupytext.read(ipynb)
    code = [c for c in notebook.cells if c.cell_type == "code"]
    assert not any(c.get("outputs") for c in code)
    assert not any(c.get("execution_count") for c in code)
