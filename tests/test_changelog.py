"""CHANGELOG.md follows Keep a Changelog, and it, CITATION.cff and the package agree on the version.

The package's ``__version__`` is either the latest released version in the changelog (between
releases) or the version the ``[Unreleased]`` section says it will be released as (once the
version has been raised for a release). CITATION.cff carries the same version and, for a
released version, the changelog's date.
"""

from __future__ import annotations

import importlib
import importlib.util
import re
from datetime import date
from pathlib import Path

import alumni_net

ROOT = Path(__file__).resolve().parents[1]
HEADING = re.compile(r"^## \[(?P<version>[^\]]+)\](?: - (?P<date>\d{4}-\d{2}-\d{2}))?\s*$", re.M)
PLANNED = re.compile(r"To be released as (\d+\.\d+\.\d+)\.")
SECTIONS = {"Added", "Changed", "Deprecated", "Removed", "Fixed", "Security"}


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split("."))


def releases() -> tuple[str | None, list[tuple[str, str]]]:
    """The planned version of [Unreleased] (or None) and every (version, date), newest first."""
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    headings = list(HEADING.finditer(text))
    assert headings and headings[0]["version"] == "Unreleased", "the first heading is [Unreleased]"
    unreleased = text[headings[0].end():headings[1].start() if len(headings) > 1 else None]
    planned = PLANNED.search(unreleased)
    released = [(h["version"], h["date"]) for h in headings[1:]]
    assert all(d for _, d in released), "every released version has a date"
    return (planned.group(1) if planned else None), released


def citation(key: str) -> str:
    text = (ROOT / "CITATION.cff").read_text(encoding="utf-8")
    found = re.search(rf"^{key}:\s*\"?([^\"\n]+)\"?\s*$", text, re.M)
    assert found is not None, key
    return found.group(1)


def test_versions_are_released_in_order_from_0_1_0():
    planned, released = releases()
    versions = [_version(v) for v, _ in released]
    assert versions == sorted(versions, reverse=True) and len(set(versions)) == len(versions)
    assert released[-1][0] == "0.1.0"
    days = [date.fromisoformat(d) for _, d in released]
    assert days == sorted(days, reverse=True)
    if planned is not None:
        assert _version(planned) > versions[0]


def test_package_citation_and_changelog_agree_on_the_version():
    planned, released = releases()
    latest, released_on = released[0]
    version = alumni_net.__version__
    assert version in {latest, planned}, (version, latest, planned)
    assert citation("version") == version
    if version == latest:
        assert citation("date-released") == released_on


def test_sections_are_keep_a_changelog_ones():
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    used = set(re.findall(r"^### (.+?)\s*$", text, re.M))
    assert used <= SECTIONS, used - SECTIONS


def moved_paths() -> list[tuple[str, str]]:
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    return re.findall(r"^ *\| `(alumni_net[\w.]*)`[^|]*\| `(alumni_net[\w.]*)`", text, re.M)


def test_every_moved_path_is_listed_and_its_new_home_imports():
    moved = dict(moved_paths())
    for old in ("alumni_net.config", "alumni_net.multiplier", "alumni_net.analysis",
                "alumni_net.export", "alumni_net._rng", "alumni_net.privacy",
                "alumni_net.io._codes"):
        assert old in moved, f"{old} is not in the changelog's tables of moved paths"
    for old, new in moved.items():
        importlib.import_module(new)
        if old != new:  # a module renamed or removed: its old path no longer imports
            assert importlib.util.find_spec(old) is None, old


def test_released_sections_hold_no_placeholders_and_name_their_issues():
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    headings = list(HEADING.finditer(text))
    for here, after in zip(headings[1:], [*headings[2:], None], strict=True):
        body = text[here.end():after.start() if after else None]
        assert "<!--" not in body, f"{here['version']} still holds an HTML-comment placeholder"
    released = text[headings[1].end():headings[2].start()]
    if headings[1]["version"] == "0.3.0":
        for issue in range(14, 20):
            assert f"issue {issue}" in released or f"{issue} (" in released, issue


def test_the_front_doors_doctest_shows_the_version():
    doc = alumni_net.__doc__ or ""
    assert f">>> an.__version__\n'{alumni_net.__version__}'" in doc
