"""The documentation site: ``./dev docs`` builds it without a warning, every public name is in
its API reference, and a person can look at it (screenshots in ``test-artefacts/``).

The site is built once per run, by the same command a developer types, into ``site/``.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import pkgutil
import re
import shutil
import subprocess
import zlib
from pathlib import Path

import pytest

import alumni_net

ROOT = Path(__file__).resolve().parents[1]
SITE = ROOT / "site"
ARTEFACTS = Path(os.environ.get("ALUMNI_NET_ARTEFACTS", ROOT / "test-artefacts"))
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
BROWSER_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync"]
#: modules whose interface is a command or a browser app, not Python names (the command-line
#: reference and the leaders' guide document them); the cli package's own names are documented.
NOT_PYTHON_API = ("alumni_net.cli.", "alumni_net.dashboard")
PIP_NOTICE = re.compile(r"^WARNING: Location '[^']*' is ignored")
DOCUMENTED_ROLES = {"py:function", "py:class", "py:exception", "py:data", "py:attribute",
                    "py:module"}  # a submodule in a package's __all__ has its own page

if importlib.util.find_spec("sphinx") is None:  # pragma: no cover - the test extra has it
    if os.environ.get("CI"):
        raise RuntimeError("the docs extra is not installed, so CI cannot build the docs")
    pytest.skip("the docs extra is not installed (pip install -e '.[docs]')",
                allow_module_level=True)


@pytest.fixture(scope="module")
def site() -> Path:
    env = {k: v for k, v in os.environ.items() if k != "ALUMNI_NET_DOCS_EXECUTE"}
    done = subprocess.run(["bash", str(ROOT / "dev"), "docs"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=900)
    # pip's own notices while ./dev sets up (a find-links folder missing on this machine) are
    # not the build's; Sphinx's -W already fails the build on any warning of its own.
    warnings = [line for line in done.stderr.splitlines()
                if ("WARNING" in line or "ERROR" in line) and not PIP_NOTICE.match(line)]
    assert done.returncode == 0 and not warnings, "\n".join(warnings) or done.stderr[-3000:]
    return SITE


def inventory(site: Path) -> dict[str, str]:
    """name -> role of every object in the site's ``objects.inv`` (Sphinx's format 2)."""
    raw = (site / "objects.inv").read_bytes()
    header_end = 0
    for _ in range(4):  # four text lines, then zlib
        header_end = raw.index(b"\n", header_end) + 1
    assert raw.startswith(b"# Sphinx inventory version 2")
    found = {}
    for line in zlib.decompress(raw[header_end:]).decode("utf-8").splitlines():
        name, role = line.split(" ", 2)[:2]
        found[name] = role
    return found


def public_namespaces() -> dict[str, object]:
    """Every public module or package of alumni_net with an ``__all__`` (or lazy ``_EXPORTS``)."""
    names = ["alumni_net"]
    names += [info.name for info in pkgutil.walk_packages(alumni_net.__path__, "alumni_net.")
              if not any(part.startswith("_") for part in info.name.split(".")[1:])]
    out = {}
    for name in names:
        if name.startswith(NOT_PYTHON_API):
            continue
        module = importlib.import_module(name)
        if getattr(module, "__all__", None) or getattr(module, "_EXPORTS", None):
            out[name] = module
    return out


def exported(module) -> list[str]:
    names = list(getattr(module, "__all__", None) or getattr(module, "_EXPORTS", {}))
    return [n for n in names if n != "__version__"]


def test_the_site_builds_into_site_with_every_page(site):
    for page in ("index.html", "getting-started.html", "guides/researchers.html",
                 "guides/evaluators.html", "guides/leaders.html", "data/index.html",
                 "data/formats.html", "methods/model.html", "methods/engines.html",
                 "methods/calibration.html", "methods/survey-to-workforce.html",
                 "api/index.html", "cli.html", "benchmarks.html", "changelog.html",
                 "contributing.html"):
        assert (site / page).is_file(), page
    notebooks = sorted(p.stem for p in (ROOT / "notebooks").glob("[0-9]*.ipynb"))
    assert notebooks and all((site / "guides/notebooks" / f"{n}.html").is_file()
                             for n in notebooks)
    # included, not copied: the data dictionary's own text reaches its page
    assert "one row per person" in (site / "data/index.html").read_text(encoding="utf-8")
    assert "alumni-net scenarios" in (site / "cli.html").read_text(encoding="utf-8")


def test_the_formats_page_lists_every_registered_format(site):
    from alumni_net.io.formats import FORMATS

    page = (site / "data" / "formats.html").read_text(encoding="utf-8")
    anchors = re.findall(r'id="format-([a-z0-9-]+)"', page)
    assert anchors == list(FORMATS), (anchors, list(FORMATS))
    text = re.sub(r"<[^>]+>", "", page)
    for fmt in FORMATS.values():
        assert f"--format {fmt.name}" in text and f"data/{fmt.example}" in text, fmt.name


def test_every_public_name_is_documented_where_it_can_be_imported(site):
    """Each name of each public ``__all__`` (the stage packages', their modules', the front
    door's lazy ``_EXPORTS``) is an object of the API reference, documented under a namespace
    from which that very object can be imported."""
    documented = inventory(site)
    missing = []
    for ns, module in public_namespaces().items():
        for name in exported(module):
            obj = getattr(module, name)
            homes = [entry for entry, role in documented.items()
                     if role in DOCUMENTED_ROLES and entry.rsplit(".", 1)[-1] == name
                     and _resolves_to(entry, obj)]
            if not homes:
                missing.append(f"{ns}.{name}")
    assert not missing, f"public names missing from the API reference: {missing}"


def test_the_api_reference_documents_nothing_that_is_not_public(site):
    public = {(ns, name) for ns, module in public_namespaces().items()
              for name in exported(module)}
    # autodoc also records a class under the private module defining it (``:canonical:``),
    # so that links to that name resolve; those entries are aliases, not pages
    extra = [entry for entry, role in inventory(site).items()
             if role in {"py:function", "py:class", "py:exception", "py:data"}
             and entry.startswith("alumni_net.")
             and not any(part.startswith("_") for part in entry.split(".")[1:])
             and tuple(entry.rsplit(".", 1)) not in public]
    assert not extra, f"documented but in no __all__: {extra}"


def _resolves_to(entry: str, obj) -> bool:
    module_name, name = entry.rsplit(".", 1)
    try:
        module = importlib.import_module(module_name)
    except ImportError:
        return False
    return getattr(module, name, None) is obj


@pytest.mark.skipif(CHROMIUM is None, reason="no chromium on this machine "
                    "(apt-get install chromium) to look at the site")
def test_a_person_sees_the_home_page_and_an_api_page(site):
    sync_api = pytest.importorskip("playwright.sync_api")
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    api_page = site / "api/names/alumni_net.metrics.reach_by_distance.html"
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
        page = browser.new_page(viewport={"width": 1300, "height": 1000})
        page.goto(site.joinpath("index.html").as_uri())
        page.get_by_role("heading", name="Where to start").wait_for(timeout=30_000)
        page.screenshot(path=str(ARTEFACTS / "docs-home.png"), full_page=True)
        page.goto(api_page.as_uri())
        signature = page.locator("dt.sig").first.inner_text()
        fields = page.locator("main dl.field-list").first.inner_text()
        page.screenshot(path=str(ARTEFACTS / "docs-api.png"), full_page=True)
        browser.close()
    assert "reach_by_distance(" in signature and "max_dist" in signature
    assert "Parameters" in fields and "Returns" in fields
    for shot in ("docs-home.png", "docs-api.png"):
        assert (ARTEFACTS / shot).stat().st_size > 20_000, shot
