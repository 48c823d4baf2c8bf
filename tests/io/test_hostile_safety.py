"""Nothing a file says is run, and nothing the package serves is reachable from another machine.

* No module of the package loads a pickle (or marshal, shelve, joblib, unsafe YAML), evaluates or
  executes text, or imports a module named by data: read from the source, call by call.
* Run on a dataset, the commands never call the pickle loaders themselves (libraries such as
  numba may, for their own caches).
* Every server the package starts listens on 127.0.0.1 only: the source never names another
  interface, a Dask cluster the package would start is bound to 127.0.0.1, and the dashboard's
  server command says ``--host 127.0.0.1``.
"""

from __future__ import annotations

import ast
import contextlib
import importlib.util
import io
import pickle
import re
import sys
from pathlib import Path

import pytest
from tests.helpers import TWO_COHORTS_PEOPLE, TWO_COHORTS_TIES, write_dataset_files

import alumni_net

SRC = Path(alumni_net.__file__).parent

#: (module, function) calls that load code or objects from bytes or text.
FORBIDDEN_CALLS = {
    ("pickle", "load"),
    ("pickle", "loads"),
    ("pickle", "Unpickler"),
    ("marshal", "load"),
    ("marshal", "loads"),
    ("shelve", "open"),
    ("joblib", "load"),
    ("dill", "load"),
    ("dill", "loads"),
    ("cloudpickle", "load"),
    ("cloudpickle", "loads"),
    ("yaml", "load"),
    ("yaml", "unsafe_load"),
    ("yaml", "full_load"),
    ("pd", "read_pickle"),
    ("pandas", "read_pickle"),
    ("torch", "load"),
}
FORBIDDEN_BUILTINS = {"eval", "exec", "compile", "__import__"}
FORBIDDEN_IMPORTS = {"pickle", "marshal", "shelve", "dill", "cloudpickle", "joblib"}
#: import_module with a computed name: allowed only where the name comes from a constant registry
#: in the module itself (the command list, lazy re-exports, the moved-path shims) or from the
#: package's own files (the recruitment strategies found in their folder), never from data.
DYNAMIC_IMPORT_ALLOWED = {"cli/__init__.py", "__init__.py", "report/__init__.py",
                          "experiments/recruitment/registry.py"}


#: pickle allowed only where the bytes never touch a file or the network: the executor's
#: shared-memory hand-over (experiments/_sharing.py) pickles the parent's own in-memory objects
#: for its own worker processes, as multiprocessing does for every pool; the shared files hold
#: raw array bytes, read with numpy.frombuffer, never unpickled.
PICKLE_ALLOWED = {"experiments/_sharing.py"}


def _sources() -> list[Path]:
    return sorted(SRC.rglob("*.py"))


def _calls(tree: ast.AST):
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            yield node


def _dotted(func: ast.expr) -> tuple[str, str] | None:
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
        return func.value.id, func.attr
    return None


def test_the_source_loads_no_pickle_and_evaluates_no_text():
    found = []
    for path in _sources():
        rel = str(path.relative_to(SRC))
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import | ast.ImportFrom):
                names = (
                    [a.name for a in node.names]
                    if isinstance(node, ast.Import)
                    else [node.module or ""]
                )
                found += [
                    f"{rel}:{node.lineno} imports {n}"
                    for n in names
                    if n.split(".")[0] in FORBIDDEN_IMPORTS
                    and not (n == "pickle" and rel in PICKLE_ALLOWED)
                ]
        for call in _calls(tree):
            where = f"{rel}:{call.lineno}"
            if isinstance(call.func, ast.Name) and call.func.id in FORBIDDEN_BUILTINS:
                found.append(f"{where} calls {call.func.id}()")
            if _dotted(call.func) in FORBIDDEN_CALLS and not (
                    rel in PICKLE_ALLOWED and _dotted(call.func) == ("pickle", "loads")):
                found.append(f"{where} calls {'.'.join(_dotted(call.func))}()")
            if any(
                k.arg == "allow_pickle"
                and not (isinstance(k.value, ast.Constant) and k.value.value is False)
                for k in call.keywords
            ):
                found.append(f"{where} passes allow_pickle")
            name = (
                call.func.attr
                if isinstance(call.func, ast.Attribute)
                else getattr(call.func, "id", "")
            )
            if (
                name == "import_module"
                and not isinstance(call.args[0], ast.Constant)
                and rel not in DYNAMIC_IMPORT_ALLOWED
            ):
                found.append(f"{where} imports a module by a computed name")
    assert not found, "\n".join(found)


def test_the_scan_finds_what_it_looks_for(tmp_path, monkeypatch):
    """Not vacuous: a module with each forbidden call is caught."""
    bad = tmp_path / "bad.py"
    bad.write_text(
        "import pickle\nimport yaml\n\ndef f(t):\n    eval(t)\n    yaml.load(t)\n"
        "    return pickle.loads(t)\n"
    )
    monkeypatch.setattr(sys.modules[__name__], "_sources", lambda: [bad])
    monkeypatch.setattr(sys.modules[__name__], "SRC", tmp_path)
    with pytest.raises(AssertionError) as info:
        test_the_source_loads_no_pickle_and_evaluates_no_text()
    message = str(info.value)
    assert all(
        s in message
        for s in ("imports pickle", "calls eval()", "calls yaml.load()", "calls pickle.loads()")
    )


def test_commands_never_call_a_pickle_loader(tmp_path, monkeypatch):
    """At run time: pickle's loaders are wrapped, and no caller may be a module of the package."""
    from alumni_net.cli import main

    callers: list[str] = []

    def spy(real):
        def load(*args, **kwargs):
            callers.append(sys._getframe(1).f_code.co_filename)
            return real(*args, **kwargs)

        return load

    monkeypatch.setattr(pickle, "load", spy(pickle.load))
    monkeypatch.setattr(pickle, "loads", spy(pickle.loads))
    monkeypatch.setenv("ALUMNI_NET_KEY", "safety-key-0123456789")
    data = write_dataset_files(tmp_path / "data", TWO_COHORTS_PEOPLE, TWO_COHORTS_TIES)
    out = tmp_path / "out"
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        for argv in (
            ["validate", str(data)],
            ["analyze", str(data), "--out", str(out)],
            [
                "simulate",
                str(data),
                "--out",
                str(out),
                "--replicates",
                "2",
                "--horizon",
                "6",
                "--workers",
                "1",
            ],
            ["export", str(data), "--out", str(out / "export")],
        ):
            assert main(argv) == 0, argv
    ours = [c for c in callers if Path(c).resolve().is_relative_to(SRC.resolve())]
    assert not ours, ours


# --- servers ---------------------------------------------------------------------------------

_ANY_INTERFACE = re.compile(r"""['"](0\.0\.0\.0|::|\[::\])['"]|host\s*=\s*['"]['"]""")


def test_the_source_names_no_interface_but_loopback():
    found = []
    for path in _sources():
        text = path.read_text(encoding="utf-8")
        rel = path.relative_to(SRC)
        found += [f"{rel}: {m.group(0)}" for m in _ANY_INTERFACE.finditer(text)]
        tree = ast.parse(text)
        for call in _calls(tree):
            name = (
                call.func.attr
                if isinstance(call.func, ast.Attribute)
                else getattr(call.func, "id", "")
            )
            if name in {
                "LocalCluster",
                "Scheduler",
                "HTTPServer",
                "ThreadingHTTPServer",
                "make_server",
                "start_server",
                "serve_forever",
            }:
                host = {k.arg: k.value for k in call.keywords}.get("host") or {
                    k.arg: k.value for k in call.keywords
                }.get("ip")
                if not (isinstance(host, ast.Constant) and host.value == "127.0.0.1") and not (
                    isinstance(host, ast.Name) and host.id == "HOST"
                ):
                    found.append(f"{rel}:{call.lineno} starts {name} without host 127.0.0.1")
    assert not found, "\n".join(found)


def test_dask_is_only_reached_at_the_address_given():
    """The package starts no Dask cluster of its own: it connects to the scheduler the user
    names, and refuses an address it cannot parse without opening anything."""
    from alumni_net.errors import ConfigError
    from alumni_net.experiments.executor import Executor

    source = (SRC / "experiments" / "executor.py").read_text(encoding="utf-8")
    assert "LocalCluster(" not in source
    with pytest.raises(ConfigError, match="not a Dask scheduler address"):
        Executor(len, None, dask_address="http://0.0.0.0")


@pytest.mark.skipif(
    importlib.util.find_spec("alumni_net.dashboard.server") is None,
    reason="the dashboard has not landed",
)
def test_the_dashboard_serves_on_loopback_only():
    from alumni_net.dashboard import server

    assert server.HOST == "127.0.0.1"
    command = server.server_command(8765)
    assert command[command.index("--host") + 1] == "127.0.0.1"
    port = server.free_port()
    assert 1024 <= port < 65536
