"""The folder tree is the architecture: a lower stage never imports a higher one.

Stages follow the way data flow (see ARCHITECTURE.md). Every ``import alumni_net...`` in every
module, including imports inside functions, is read from the source and checked.
"""

from __future__ import annotations

import ast
import re
import tomllib
from pathlib import Path

import pytest

import alumni_net

SRC = Path(alumni_net.__file__).parent
ROOT = SRC.parent.parent

#: stage of each top-level module or folder of the package; lower numbers come first.
STAGES = {
    "errors": 0, "vocabulary": 0, "core": 0,
    "io": 1,
    "graph": 2, "synth": 2,
    "metrics": 3, "abm": 3, "diffusion": 3,
    "experiments": 4,
    "pipelines": 5,
    "plotting": 6,
    "report": 7,
    "cli": 8, "dashboard": 8,
}
#: the package's front door (lazy re-exports).
EXEMPT = {"__init__", "__main__"}
#: what the top level may hold besides the stage folders: the front door, the shared words,
#: the exceptions and the graph stage's one module.
TOP_LEVEL = {"__init__", "vocabulary", "errors", "graph"}


def _unit(path: Path) -> str:
    rel = path.relative_to(SRC)
    return rel.parts[0] if len(rel.parts) > 1 else rel.stem


def _imported_names(tree: ast.AST) -> set[str]:
    """Every dotted ``alumni_net...`` name imported (``from a.b import c`` gives a.b and a.b.c)."""
    found = set()
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        found.update(n for n in names if n.split(".")[0] == "alumni_net" and "." in n)
    return found


def _imported_units(tree: ast.AST) -> set[str]:
    return {name.split(".")[1] for name in _imported_names(tree)}


def _owner(parts: list[str]) -> str | None:
    """The folder (dotted package) a private module or name belongs to, or None when public.

    ``alumni_net.a.b._c`` (a private module of package ``a.b``) and ``alumni_net.a.b.m._f`` (a
    private name of module ``a.b.m``) both belong to the folder ``alumni_net.a.b``.
    """
    for i, part in enumerate(parts[2:], start=2):
        if part.startswith("_") and not part.startswith("__"):
            container = parts[:i]
            is_package = (SRC.parent / Path(*container)).is_dir()
            return ".".join(container if is_package else container[:-1])
    return None


def _private_imports(tree: ast.AST, folder: str) -> list[str]:
    """Imports of a private module or name (``_name``) that lives in another folder than
    ``folder`` (dotted, e.g. ``alumni_net.experiments.scenarios``): a subfolder is another
    folder, and so is its parent."""
    out = []
    for name in _imported_names(tree):
        owner = _owner(name.split("."))
        if owner is not None and owner != folder:
            out.append(name)
    return sorted(out)


def _folder(path: Path) -> str:
    return ".".join(("alumni_net", *path.parent.relative_to(SRC).parts))


def _modules():
    return sorted(p for p in SRC.rglob("*.py") if _unit(p) not in EXEMPT)


def test_every_module_belongs_to_a_stage():
    unknown = {_unit(p) for p in _modules()} - set(STAGES)
    assert not unknown, f"add these to STAGES and ARCHITECTURE.md: {sorted(unknown)}"


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(SRC)))
def test_no_module_imports_a_higher_stage(path):
    me = _unit(path)
    tree = ast.parse(path.read_text(encoding="utf-8"))
    upward = sorted(u for u in _imported_units(tree)
                    if u in STAGES and STAGES[u] > STAGES[me])
    assert not upward, f"{path.relative_to(SRC)} (stage {STAGES[me]}) imports {upward}"


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(SRC)))
def test_no_module_imports_another_folders_private_module(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    private = _private_imports(tree, _folder(path))
    assert not private, (
        f"{path.relative_to(SRC)} imports {private}: a private module or name of another "
        "folder; use that folder's public names")


def test_top_level_holds_the_front_door_and_little_else():
    modules = {p.stem for p in SRC.glob("*.py")}
    assert modules <= TOP_LEVEL, f"move {sorted(modules - TOP_LEVEL)} into a stage (core/?)"


def test_private_import_checker_catches_another_folders_private_module():
    tree = ast.parse("from alumni_net.abm._kernels import uniform\n"
                     "from alumni_net.abm import _kernels\n"
                     "from alumni_net.experiments._replicas import Store\n"
                     "from alumni_net.experiments.runner import _helper\n"
                     "from alumni_net.experiments.scenarios._sweep import Sweep\n")
    assert _private_imports(tree, "alumni_net.experiments") == [
        "alumni_net.abm._kernels", "alumni_net.abm._kernels.uniform",
        "alumni_net.experiments.scenarios._sweep", "alumni_net.experiments.scenarios._sweep.Sweep"]
    # from a subfolder, the parent folder's private modules and names are another folder's
    assert _private_imports(tree, "alumni_net.experiments.scenarios") == [
        "alumni_net.abm._kernels", "alumni_net.abm._kernels.uniform",
        "alumni_net.experiments._replicas", "alumni_net.experiments._replicas.Store",
        "alumni_net.experiments.runner._helper"]


def test_architecture_document_names_every_stage_folder():
    text = (ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8")
    folders = [u for u in STAGES if not u.startswith("_") and (SRC / u).is_dir()]
    missing = [f for f in folders if f"{f}/" not in text]
    assert not missing, f"ARCHITECTURE.md does not describe {missing}"


def test_import_checker_catches_an_upward_import():
    tree = ast.parse("def f():\n    from alumni_net.report import write_report\n")
    assert _imported_units(tree) == {"report"}


def test_citation_and_package_agree_on_the_version():
    citation = (ROOT / "CITATION.cff").read_text(encoding="utf-8")
    version = re.search(r"^version:\s*\"?([^\"\n]+)\"?\s*$", citation, re.M)
    assert version is not None and version.group(1) == alumni_net.__version__


def test_package_is_typed():
    assert (SRC / "py.typed").is_file()
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "alumni-net" == config["project"]["name"]
