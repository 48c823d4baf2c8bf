"""The README's Python example runs as written (from the repository root)."""

from __future__ import annotations

import re

from tests.helpers import ROOT


def test_readme_python_example_runs(monkeypatch):
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", text, flags=re.S)
    assert blocks, "README has no python example"
    monkeypatch.chdir(ROOT)
    namespace: dict = {}
    for block in blocks:
        exec(compile(block, "README.md", "exec"), namespace)  # noqa: S102 - our own README
    assert namespace["table"].shape[0] == 125  # one row per physician
    assert namespace["reach"]["person_id"].tolist() == [1001, 1002]


def test_readme_names_the_two_commands_ci_runs():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "./dev demo" in text and "./dev test" in text
    assert "./dev test" in (ROOT / ".ci" / "run").read_text()
