"""The package as a user installs it: the sdist holds what a build needs and nothing else, the
wheel built from it holds the package data, and the installed command runs from a fresh virtual
environment with its templates.

The default test installs the wheel with ``--no-deps`` into a fresh environment that borrows
the test environment's third-party packages (a ``.pth`` line: that folder's own ``.pth`` files,
such as the editable install's, are not run), so nothing is downloaded; the slow test installs
the wheel with its declared dependencies as ``pip`` resolves them.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import tarfile
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
#: parts of a path that must never reach an sdist (build output, environments, test leftovers)
JUNK = {"site", ".venv", "test-artefacts", "build", "dist", "__pycache__", ".pytest_cache",
        ".hypothesis", ".ruff_cache", "demo-output", "jupyter_execute", ".ipynb_checkpoints"}
GENERATED_DOCS = ("docs/api/", "docs/cli.md", "docs/guides/notebooks/")
KEY = "packaging-test-key-0123456789"

pytest.importorskip("build")


def tracked(prefix: str) -> set[str]:
    """Files git tracks under ``prefix`` (the repository's own list, not what lies around)."""
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout: cannot tell tracked files from leftovers")
    out = subprocess.run(["git", "ls-files", "--", prefix], cwd=ROOT, capture_output=True,
                         text=True, check=True)
    return set(out.stdout.split())


@pytest.fixture(scope="module")
def dist(tmp_path_factory) -> Path:
    """The sdist, and the wheel built from the unpacked sdist (what ``python -m build`` does)."""
    out = tmp_path_factory.mktemp("dist")
    subprocess.run([sys.executable, "-m", "build", "--no-isolation", "--outdir", str(out),
                    str(ROOT)], check=True, capture_output=True, text=True, timeout=600)
    return out


def only(folder: Path, pattern: str) -> Path:
    found = list(folder.glob(pattern))
    assert len(found) == 1, found
    return found[0]


def test_the_sdist_holds_what_a_build_needs_and_no_junk(dist):
    with tarfile.open(only(dist, "*.tar.gz")) as sdist:
        names = {name.split("/", 1)[1] for name in sdist.getnames() if "/" in name}
    needed = {"pyproject.toml", "README.md", "LICENSE", "CHANGELOG.md", "CITATION.cff"}
    needed |= tracked("src/alumni_net")
    assert needed <= names, sorted(needed - names)
    junk = sorted(n for n in names if JUNK & set(n.split("/")) or n.endswith(".pyc")
                  or n.startswith(GENERATED_DOCS))
    assert not junk, junk


def test_the_wheel_holds_every_package_file(dist):
    with zipfile.ZipFile(only(dist, "*.whl")) as wheel:
        names = set(wheel.namelist())
    package = {name.removeprefix("src/") for name in tracked("src/alumni_net")}
    assert package <= names, sorted(package - names)
    assert {"alumni_net/py.typed", "alumni_net/report/templates/report.css"} <= names
    assert not [n for n in names if "__pycache__" in n or n.startswith(("tests/", "docs/"))]


def fresh_venv(path: Path) -> Path:
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(path)], check=True)
    return path / "bin" / "python"


def install(python: Path, wheel: Path, *args: str) -> None:
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet",
                    "--disable-pip-version-check", *args, str(wheel)], check=True,
                   capture_output=True, text=True, timeout=1800)


def run_a_programme_through_the_installed_command(venv: Path, work: Path) -> None:
    """synth, analyze and report: the Markdown and HTML templates must come from the wheel."""
    python = venv / "bin" / "python"
    where = subprocess.run([str(python), "-c", "import alumni_net; print(alumni_net.__file__)"],
                           check=True, capture_output=True, text=True, cwd=work).stdout.strip()
    assert Path(where).is_relative_to(venv), f"alumni_net imported from {where}, not the wheel"
    command = str(venv / "bin" / "alumni-net")
    env = {**os.environ, "ALUMNI_NET_KEY": KEY, "MPLBACKEND": "Agg"}
    env.pop("PYTHONPATH", None)
    for args in (["synth", "--people", "600", "--cohorts", "1", "--seed", "3", "--out", "data"],
                 ["analyze", "data", "--out", "results"],
                 ["report", "results", "--data", "data", "--no-maps"]):
        done = subprocess.run([command, *args], cwd=work, env=env, capture_output=True,
                              text=True, timeout=600)
        assert done.returncode == 0, (args, done.stderr[-2000:])
    summary = (work / "results" / "summary.md").read_text(encoding="utf-8")
    assert summary.startswith("# Network analysis") and "26 alumni" in summary
    html = (work / "results" / "report.html").read_text(encoding="utf-8")
    assert "border-collapse" in html  # the stylesheet shipped in report/templates


def test_the_wheel_runs_from_a_fresh_environment(dist, tmp_path):
    venv = tmp_path / "venv"
    python = fresh_venv(venv)
    site = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()"
                           "['purelib'])"], check=True, capture_output=True, text=True)
    install(python, only(dist, "*.whl"), "--no-deps", "--no-index")
    # third-party packages from the test environment; alumni_net itself only from the wheel
    Path(site.stdout.strip(), "_borrowed_dependencies.pth").write_text(
        sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    work = tmp_path / "work"
    work.mkdir()
    run_a_programme_through_the_installed_command(venv, work)


@pytest.mark.slow
def test_the_wheel_installs_with_its_declared_dependencies(dist, tmp_path):
    """pip resolves the wheel's own requirements (from the package index or pip's cache)."""
    venv = tmp_path / "venv"
    install(fresh_venv(venv), only(dist, "*.whl"))
    work = tmp_path / "work"
    work.mkdir()
    run_a_programme_through_the_installed_command(venv, work)
