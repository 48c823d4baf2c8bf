"""Pages the documentation generates from the package at build time (nothing here is hand-listed).

* ``api/``: one page per public namespace and one per public name. A namespace is every
  public package of ``alumni_net`` and every public module holding a name that no shallower
  namespace exports; its names are its ``__all__`` (the top level's lazy ``_EXPORTS``). Each
  object is documented once, at its *canonical* place: the shallowest namespace below the top
  level that exports it (the front door, ``alumni_net``, links there). The command-line and
  dashboard modules are left to the command-line reference and the leaders' guide: their
  interface is the command, not the Python names.
* ``cli.md``: every command's ``--help``, as the installed command prints it.
* ``data/formats_registry.md`` (included by ``data/formats.md``): every format of the io format
  registry (:data:`alumni_net.io.formats.FORMATS`), in the order formats are tried, with its
  endings, example file and its module's notes, so a new format appears without editing a page.
* ``guides/notebooks/``: the research notebooks, copied as stripped (or, with
  ``ALUMNI_NET_DOCS_EXECUTE=1``, executed in ``notebooks/`` and cached by content hash).

Files are rewritten only when their text changes, and generated files that no longer
correspond to a name are removed, so incremental builds stay right.
"""

from __future__ import annotations

import ast
import hashlib
import importlib
import inspect
import io
import json
import os
import pkgutil
import types
from contextlib import redirect_stdout
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
API = DOCS / "api"
NOTEBOOKS_OUT = DOCS / "guides" / "notebooks"

#: presentation order of the stages (ARCHITECTURE.md); a unit not listed here comes last.
STAGE_ORDER = ("errors", "vocabulary", "core", "io", "graph", "synth", "metrics", "abm",
               "diffusion", "experiments", "pipelines", "plotting", "report", "cli", "dashboard")
#: stages whose interface is a command or a browser app, documented on their own pages.
NOT_PYTHON_API = ("alumni_net.cli.", "alumni_net.dashboard")
STAGE_TITLES = {
    "errors": "Exceptions", "vocabulary": "Shared words", "core": "Core helpers (stage 0)",
    "io": "Data in (io)", "graph": "Graphs", "synth": "Synthetic programmes",
    "metrics": "Network measures", "abm": "The contagion model",
    "diffusion": "Observed diffusion", "experiments": "Experiments",
    "pipelines": "Pipelines", "plotting": "Maps and plots", "report": "Reports and exports",
    "cli": "Command line",
}


@dataclass
class Namespace:
    name: str
    module: object
    names: list[str]
    canonical: list[str] = field(default_factory=list)  # names documented on this page


def public_module_names(package: str = "alumni_net") -> list[str]:
    """The package and every module under it with no ``_name`` part."""
    root = importlib.import_module(package)
    found = [package]
    for info in pkgutil.walk_packages(root.__path__, f"{package}."):
        if not any(part.startswith("_") for part in info.name.split(".")[1:]):
            found.append(info.name)
    return found


def exported_names(module) -> list[str]:
    names = getattr(module, "__all__", None)
    if names is None and isinstance(getattr(module, "_EXPORTS", None), dict):
        names = sorted(module._EXPORTS)
    return [n for n in (names or []) if n != "__version__"]


def _defines(module, name: str) -> bool:
    """Whether ``module``'s own source assigns ``name`` at top level (for data constants)."""
    try:
        tree = ast.parse(inspect.getsource(module))
    except (OSError, TypeError):
        return False
    for node in tree.body:
        targets = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, ast.AnnAssign):
            targets = [node.target]
        if any(isinstance(t, ast.Name) and t.id == name for t in targets):
            return True
    return False


def _rank(namespace: str) -> tuple:
    unit = namespace.split(".")[1] if "." in namespace else ""
    stage = STAGE_ORDER.index(unit) if unit in STAGE_ORDER else len(STAGE_ORDER)
    return (namespace.count("."), stage, namespace)


def canonical_places(modules: dict[str, object]) -> dict[tuple[int, str], str]:
    """(id of the object, name) -> the namespace that documents it."""
    candidates: dict[tuple[int, str], list[str]] = {}
    objects = {}
    for ns, module in modules.items():
        if ns == "alumni_net":
            continue
        for name in exported_names(module):
            obj = getattr(module, name)
            if inspect.ismodule(obj):  # a submodule re-exported: documented as its own namespace
                continue
            key = (id(obj), name)
            objects[key] = obj
            candidates.setdefault(key, []).append(ns)
    places = {}
    for key, namespaces in candidates.items():
        depth = min(ns.count(".") for ns in namespaces)
        shallow = sorted((ns for ns in namespaces if ns.count(".") == depth), key=_rank)
        obj, name = objects[key], key[1]
        home = getattr(obj, "__module__", None) if callable(obj) else None
        if home:  # the namespace the object's own module lies in
            inside = [ns for ns in shallow if home == ns or home.startswith(ns + ".")]
            shallow = inside or shallow
        else:
            defining = [ns for ns in shallow if _defines(modules[ns], name)]
            shallow = defining or shallow
        places[key] = shallow[0]
    return places


def namespaces() -> list[Namespace]:
    """Every namespace with a page, in stage order (the front door first)."""
    modules = {}
    for name in public_module_names():
        if name.startswith(NOT_PYTHON_API) and name != "alumni_net.cli":
            continue
        module = importlib.import_module(name)
        if exported_names(module):
            modules[name] = module
    places = canonical_places(modules)
    out = []
    for ns, module in modules.items():
        names = exported_names(module)
        canonical = [n for n in names if places.get((id(getattr(module, n)), n)) == ns]
        is_package = hasattr(module, "__path__") or ns.count(".") == 1
        if canonical or is_package:
            out.append(Namespace(ns, module, names, canonical))
    return sorted(out, key=lambda n: (n.name != "alumni_net", _rank(n.name)))


# --------------------------------------------------------------------------- writing pages


def _write(path: Path, text: str, written: set[Path]) -> None:
    written.add(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")


def _title(text: str, mark: str = "=") -> str:
    return f"{text}\n{mark * len(text)}\n"


def _summary(obj) -> str:
    """The first paragraph of the docstring on one line (a data value: its short repr)."""
    documented = inspect.isroutine(obj) or inspect.isclass(obj) or inspect.ismodule(obj)
    doc = inspect.getdoc(obj) if documented else None
    if doc:
        first = doc.strip().split("\n\n")[0]
        return " ".join(line.strip() for line in first.splitlines())
    if documented:
        return ""
    text = repr(obj)
    text = text if len(text) <= 70 else text[:67] + "..."
    return f"``{text}``" if "``" not in text else ""


def _directive(obj) -> str:
    if inspect.isclass(obj):
        return "autoexception" if issubclass(obj, BaseException) else "autoclass"
    if inspect.isroutine(obj):
        return "autofunction"
    return "autodata"  # constants, and type aliases such as Literal[...]


def _object_page(ns: str, name: str, obj) -> str:
    if isinstance(obj, types.GenericAlias):  # autodoc documents nothing for ``tuple[...]``
        return (f"{_title(f'{ns}.{name}')}\n.. currentmodule:: {ns}\n\n"
                f".. py:data:: {name}\n\n   Alias of ``{obj!r}``.\n")
    kind = _directive(obj)
    options = ""
    if kind in ("autoclass", "autoexception"):
        options = "   :members:\n"
        if obj.__bases__ != (object,):  # "Bases: object" says nothing
            options += "   :show-inheritance:\n"
    return (f"{_title(f'{ns}.{name}')}\n.. currentmodule:: {ns}\n\n"
            f".. {kind}:: {name}\n{options}")


def _table(rows: list[tuple[str, str]]) -> str:
    if not rows:
        return ""
    lines = [".. list-table::", "   :widths: 35 65", "   :class: api-table", ""]
    for target, summary in rows:
        lines += [f"   * - {target}", f"     - {summary}" if summary else "     -"]
    return "\n".join(lines) + "\n"


def _namespace_page(ns: Namespace, places: dict[str, str]) -> str:
    parts = [_title(ns.name), "", f".. automodule:: {ns.name}", "   :no-members:", ""]
    if ns.canonical:
        rows = [(f":py:obj:`~{ns.name}.{n}`", _summary(getattr(ns.module, n)))
                for n in ns.canonical]
        parts += [_table(rows), ""]
    elsewhere = [n for n in ns.names if n not in ns.canonical]
    if elsewhere:
        parts += [_title("Re-exported here", "-"), "",
                  "Also importable from this namespace; each is documented where it lives.", ""]
        rows = [(f":py:mod:`{n} <{places[n]}>`" if inspect.ismodule(getattr(ns.module, n))
                 else f":py:obj:`{n} <{places[n]}.{n}>`", _summary(getattr(ns.module, n)))
                for n in elsewhere]
        parts += [_table(rows), ""]
    if ns.canonical:
        parts += [".. toctree::", "   :hidden:", ""]
        parts += [f"   names/{ns.name}.{n}" for n in ns.canonical]
        parts.append("")
    return "\n".join(parts)


def write_api() -> set[Path]:
    written: set[Path] = set()
    spaces = namespaces()
    where = {}
    for ns in spaces:
        for name in ns.canonical:
            where[(id(getattr(ns.module, name)), name)] = ns.name
    for ns in spaces:
        places = {n: where[(id(getattr(ns.module, n)), n)] for n in ns.names
                  if (id(getattr(ns.module, n)), n) in where}
        places.update({n: getattr(ns.module, n).__name__ for n in ns.names
                       if inspect.ismodule(getattr(ns.module, n))})
        missing = [n for n in ns.names if n not in places]
        if missing:
            raise RuntimeError(f"{ns.name}: no page documents {missing}")
        _write(API / f"{ns.name}.rst", _namespace_page(ns, places), written)
        for name in ns.canonical:
            _write(API / "names" / f"{ns.name}.{name}.rst",
                   _object_page(ns.name, name, getattr(ns.module, name)), written)
    _write(API / "index.rst", _api_index(spaces), written)
    return written


def _api_index(spaces: list[Namespace]) -> str:
    lines = [_title("API reference"), "",
             "Generated from the package at build time: every public namespace and every name",
             "in its ``__all__`` (the top level's lazy ``_EXPORTS``), each documented once, in",
             "the shallowest stage namespace that offers it. Stages come in the order data flow",
             "through them (see :doc:`../contributing`). The command line is documented in",
             ":doc:`../cli`, the dashboard in :doc:`../guides/leaders`.", ""]
    groups: dict[str, list[Namespace]] = {}
    for ns in spaces:
        unit = ns.name.split(".")[1] if "." in ns.name else "alumni_net"
        groups.setdefault(unit, []).append(ns)
    for unit, members in groups.items():
        title = "The front door" if unit == "alumni_net" else STAGE_TITLES.get(unit, unit)
        lines += [_title(title, "-"), "", ".. toctree::", "   :maxdepth: 1", ""]
        lines += [f"   {ns.name}" for ns in members]
        lines.append("")
    return "\n".join(lines)


def write_cli() -> set[Path]:
    """``--help`` of the command and of each subcommand, at a fixed width."""
    from alumni_net.cli import COMMANDS, build_parser

    written: set[Path] = set()
    old = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = "96"
    try:
        parser = build_parser()
        sub = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
        blocks = [("alumni-net", parser.format_help())]
        blocks += [(f"alumni-net {c}", sub.choices[c].format_help()) for c in COMMANDS]
    finally:
        if old is None:
            os.environ.pop("COLUMNS", None)
        else:
            os.environ["COLUMNS"] = old
    lines = ["# Command-line reference", "",
             "Generated from the installed command at build time: what `alumni-net COMMAND "
             "--help` prints. Errors are one sentence each, naming file, row and column, and "
             "exit with code 2; nothing half-written is kept.", ""]
    for title, text in blocks:
        lines += [f"## `{title}`", "", "```text", text.rstrip(), "```", ""]
    _write(DOCS / "cli.md", "\n".join(lines), written)
    return written


def write_formats() -> set[Path]:
    """One section per registered format, from the registry and each format module's docstring."""
    import sys

    from alumni_net.io.formats import FORMATS

    written: set[Path] = set()
    lines = ["<!-- Generated by docs/_ext/alumni_api.py from alumni_net.io.formats.FORMATS -->", "",
             "| format | `--format` | endings | writes |", "| --- | --- | --- | --- |"]
    for f in FORMATS.values():
        endings = "a folder" if f.folder and not f.suffixes else ", ".join(
            f"`{s}`" for s in f.suffixes) + (" (or a folder)" if f.folder else "")
        lines.append(f"| [{f.title}](#format-{f.name}) | `{f.name}` | {endings} | "
                     f"{'yes' if f.write is not None else 'no'} |")
    lines.append("")
    first: dict[str, object] = {}  # module name -> the first format it reads
    for f in FORMATS.values():
        module = sys.modules[f.read.__module__]
        lines += [f"(format-{f.name})=", f"### {f.title}", "",
                  f"`--format {f.name}`; {f.one_line}. Example: `data/{f.example}`.", ""]
        seen = first.setdefault(module.__name__, f)
        if seen is not f:
            lines += [f"Read by the same module as [{seen.title}](#format-{seen.name}).", ""]
            continue
        lines += ["```{eval-rst}", inspect.getdoc(module) or "", "```", "",
                  f"Defined in `{module.__name__}`.", ""]
    _write(DOCS / "data" / "formats_registry.md", "\n".join(lines), written)
    return written


def write_notebooks() -> set[Path]:
    """Copy the notebooks (executed in ``notebooks/`` when asked, cached by content)."""
    import nbformat

    written: set[Path] = set()
    execute = os.environ.get("ALUMNI_NET_DOCS_EXECUTE") == "1"
    for source in sorted((ROOT / "notebooks").glob("[0-9]*.ipynb")):
        text = source.read_text(encoding="utf-8")
        digest = hashlib.sha256(text.encode()).hexdigest()[:16]
        target = NOTEBOOKS_OUT / source.name
        written.add(target)
        NOTEBOOKS_OUT.mkdir(parents=True, exist_ok=True)
        if target.is_file():
            meta = json.loads(target.read_text(encoding="utf-8"))["metadata"]
            cached = meta.get("alumni_net_docs", {})
            if cached.get("source") == digest and (cached.get("executed") or not execute):
                continue
        nb = nbformat.reads(text, as_version=4)
        if execute:
            _execute(nb, source)
        # Stripped notebooks carry no language_info; the highlighter needs it.
        nb.metadata.setdefault("language_info", {"name": "python", "pygments_lexer": "ipython3"})
        nb.metadata["alumni_net_docs"] = {"source": digest, "executed": execute}
        target.write_text(nbformat.writes(nb), encoding="utf-8")
    return written


def _execute(nb, source: Path) -> None:
    from nbclient import NotebookClient

    buffer = io.StringIO()
    with redirect_stdout(buffer):
        NotebookClient(nb, timeout=900, kernel_name="python3",
                       resources={"metadata": {"path": str(source.parent)}}).execute()


def _remove_stale(folder: Path, keep: set[Path], pattern: str) -> None:
    if not folder.is_dir():
        return
    for path in folder.rglob(pattern):
        if path not in keep:
            path.unlink()


def generate(app=None, config=None) -> None:
    written = write_api() | write_cli() | write_formats() | write_notebooks()
    _remove_stale(API, written, "*.rst")
    _remove_stale(NOTEBOOKS_OUT, written, "*.ipynb")


def _outputs_under_build(app) -> None:
    """myst-nb writes notebook outputs beside the output folder (the repository root for
    ``site/``); keep them under ``build/`` instead."""
    config = getattr(app.env, "mystnb_config", None)
    if config is not None:
        app.env.mystnb_config = config.copy(output_folder=str(ROOT / "build" / "docs-jupyter"))


def setup(app):
    app.connect("config-inited", generate)
    app.connect("builder-inited", _outputs_under_build, priority=600)  # after myst-nb's own
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}


__all__ = ["canonical_places", "exported_names", "namespaces", "public_module_names", "setup"]
