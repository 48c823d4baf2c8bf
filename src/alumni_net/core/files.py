"""Atomic writes: a failed or killed run never leaves a half-written file or folder behind."""

from __future__ import annotations

import contextlib
import glob
import json
import logging
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from alumni_net.errors import AlumniNetError

__all__ = [
    "process_alive",
    "atomic_dir",
    "atomic_write_bytes",
    "atomic_write_text",
    "check_folder",
    "check_same_data",
    "located",
    "retire_stale",
]

_log = logging.getLogger("alumni_net")

#: Files made from the results in a folder: a new result makes them stale, so they are removed.
DERIVED = ("report.html",)


def check_folder(out: str | os.PathLike) -> Path:
    """``out`` as an output folder: refused with a sentence when it is a file (or under one)."""
    out = Path(out)
    for folder in (out, *out.parents):
        if folder.exists() and not folder.is_dir():
            where = "" if folder == out else f" (in {out})"
            raise AlumniNetError(
                f"{folder} is a file, not a folder{where}; give --out a folder, or remove the file"
            )
        if folder.exists():
            break
    return out


#: Result files that record how their data were loaded (``loaded_with``).
RECORDS = ("summary.json", "simulate.json")


def check_same_data(out: str | os.PathLike, loaded_with: dict | None) -> None:
    """Refuse to write results of these data into a folder holding results of other data.

    ``loaded_with`` is the new run's record (content hash of the data, key fingerprint); a
    folder whose ``summary.json`` or ``simulate.json`` records another hash or key holds another
    run, and mixing the two would give a report of neither.
    """
    out = Path(out)
    if not loaded_with or not out.is_dir():
        return
    for name in RECORDS:
        try:
            record = json.loads((out / name).read_text(encoding="utf-8")).get("loaded_with")
        except (OSError, ValueError, AttributeError):
            continue
        if not isinstance(record, dict):
            continue
        for field, what in (("content_sha256", "other data"), ("key_fingerprint", "another key")):
            old, new = record.get(field), loaded_with.get(field)
            if old and new and old != new:
                raise AlumniNetError(
                    f"{out} holds results of {what} ({name} records dataset "
                    f"'{record.get('dataset', '?')}'); one run per folder: write into a new "
                    "folder, or remove the earlier results first"
                )


def retire_stale(out: str | os.PathLike, written: Iterable[str] = (),
                 stale: Iterable[str] = DERIVED) -> list[str]:
    """Remove files in ``out`` made from earlier results (``stale``) and say so; return their names.

    A folder holds one run: new results beside an old report would mix two runs.
    """
    removed = []
    for name in stale:
        path = Path(out) / name
        if name not in written and path.is_file():
            path.unlink()
            removed.append(name)
    if removed:
        _log.warning("note: removed %s from %s: made from earlier results, it would mix two runs; "
                     "run 'alumni-net report' again", ", ".join(removed), out)
    return removed


def _remove_orphans(folder: Path, name: str, suffix: str) -> None:
    """Temporary files of a run that was killed (SIGKILL skips clean-up): removed by the next one.

    Their names carry the writer's process id; only those of processes no longer running go.
    """
    for item in folder.glob(f".{glob.escape(name)}.*{suffix}"):
        parts = item.name[len(name) + 2:].split(".")
        if parts and parts[0].isdigit() and not process_alive(int(parts[0])):
            if item.is_dir():
                shutil.rmtree(item, ignore_errors=True)
            else:
                with contextlib.suppress(FileNotFoundError):
                    item.unlink()


def process_alive(pid: int) -> bool:
    """Whether process ``pid`` exists (one this user may not signal counts as alive)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@contextlib.contextmanager
def _locked(folder: Path) -> Iterator[None]:
    """An exclusive lock on the folder itself (POSIX ``flock`` on its descriptor: no lock file
    is left behind); where that is not available, no lock."""
    try:
        import fcntl

        fd = os.open(folder, os.O_RDONLY)
    except (ImportError, OSError):  # pragma: no cover - Windows
        yield
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def atomic_write_bytes(path: str | os.PathLike, data: bytes) -> Path:
    """Write ``data`` to ``path`` through a temporary file in the same folder and a rename."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    _remove_orphans(path.parent, path.name, ".tmp")
    prefix = f".{path.name}.{os.getpid()}."  # the pid: a later run removes it if this one is killed
    try:
        fd, tmp = tempfile.mkstemp(prefix=prefix, suffix=".tmp", dir=path.parent)
    except OSError as exc:  # the temporary name means nothing to the user: name the file
        raise located(type(exc)(exc.errno, exc.strerror), path) from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise located(exc, path, {Path(tmp): path}) from None
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    return path


def located(exc: OSError, where: str | os.PathLike, renames: dict | None = None) -> OSError:
    """``exc`` naming the file the user asked for: ``where`` when the system gave no name (a
    full disk fails in ``write``, which names nothing), and the final path instead of a
    temporary one (``renames`` maps temporary files or folders to where they were going).

    Examples
    --------
    >>> import errno
    >>> full = OSError(errno.ENOSPC, "No space left on device")
    >>> located(full, "out/summary.json").filename
    'out/summary.json'
    >>> located(OSError(13, "Permission denied", "out/.x.partial/a.csv"), "out",
    ...         {Path("out/.x.partial"): Path("out")}).filename
    'out/a.csv'
    """
    name = exc.filename
    if name is None:
        name = os.fspath(where)
    else:
        for tmp, final in (renames or {}).items():
            with contextlib.suppress(ValueError):
                name = os.fspath(Path(final) / Path(os.fspath(name)).relative_to(tmp))
                break
    if name == exc.filename:
        return exc
    try:
        new = type(exc)(exc.errno, exc.strerror or str(exc), name)
    except TypeError:  # an OSError subclass with its own signature
        return exc
    new.__traceback__ = exc.__traceback__
    return new


def atomic_write_text(path: str | os.PathLike, text: str) -> Path:
    """Write UTF-8 text atomically (see :func:`atomic_write_bytes`)."""
    return atomic_write_bytes(path, text.encode("utf-8"))


@contextlib.contextmanager
def atomic_dir(
    out: str | os.PathLike, *, overwrite: bool = True, stale: tuple[str, ...] = ()
) -> Iterator[Path]:
    """Yield a temporary folder; on success its files move into ``out``, on error it is removed.

    Files already in ``out`` that the block did not write are left alone, so a command can add to
    an output folder that another command filled (``analyze`` then ``simulate`` then ``report``);
    files it replaces are named in a note, and the files in ``stale`` (made from the earlier
    results, such as ``report.html``) are removed, so a folder never mixes two runs.
    """
    out = check_folder(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    _remove_orphans(out.parent, out.name, ".partial")
    try:
        tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.{os.getpid()}.", suffix=".partial",
                                    dir=out.parent))
    except OSError as exc:  # the temporary name means nothing to the user: name the folder
        raise located(type(exc)(exc.errno, exc.strerror), out) from None
    stack = contextlib.ExitStack()
    try:
        try:
            yield tmp
        except OSError as exc:  # a full disk while writing names nothing: name the folder
            raise located(exc, out, {tmp: out}) from None
        out.mkdir(parents=True, exist_ok=True)
        # Two runs into one folder at once: the files of each arrive together, never interleaved.
        stack.enter_context(_locked(out))
        replaced: list[str] = []
        written = {p.name for p in tmp.iterdir()}
        for item in sorted(tmp.rglob("*")):
            target = out / item.relative_to(tmp)
            if item.is_dir():
                target.mkdir(parents=True, exist_ok=True)
            elif target.exists() and not overwrite:
                raise FileExistsError(f"{target} exists; not overwriting it")
            else:
                if target.exists() and target.parent == out:
                    replaced.append(target.name)
                try:
                    os.replace(item, target)
                except OSError as exc:
                    raise located(exc, target, {tmp: out}) from None
        if replaced:
            _log.warning("note: replaced %s in %s (from an earlier run)", ", ".join(replaced), out)
        retire_stale(out, written, stale)
    finally:
        stack.close()
        shutil.rmtree(tmp, ignore_errors=True)
