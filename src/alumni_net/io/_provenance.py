"""How a dataset was loaded, so that later commands load it the same way.

Every command that writes results records a ``loaded_with`` mapping (in ``summary.json`` or
``simulate.json``): the dataset's name and a content hash of its people and ties files, whether
ties were taken as directed and what said so, the influence direction used, which columns were
pseudonymised, and a fingerprint of the pseudonymisation key (a slow one-way hash of it, never
the key). ``alumni-net report --data`` reads it back and loads the data the same way unless an
option says otherwise; an option that contradicts the record wins, with a one-line note.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Iterable, Mapping
from pathlib import Path

__all__ = [
    "LOADED_WITH_FILES",
    "compare_loaded_with",
    "content_hash",
    "key_fingerprint",
    "read_loaded_with",
    "reuse_loaded_with",
]

#: Result files that carry a ``loaded_with`` record, in the order they are looked for.
LOADED_WITH_FILES = ("summary.json", "simulate.json")
# A fixed salt and many iterations: the fingerprint lets runs be compared without letting anyone
# who reads it test guesses of a weak key quickly.
_SALT = b"alumni_net key fingerprint v1"
_ITERATIONS = 100_000


@functools.lru_cache(maxsize=8)  # one key per session in practice; ~0.1 s each to compute
def key_fingerprint(key: bytes) -> str:
    """16 hex digits that tell keys apart without revealing them (PBKDF2-HMAC-SHA256).

    Examples
    --------
    >>> key_fingerprint(b"0123456789abcdef") == key_fingerprint(b"0123456789abcdef")
    True
    >>> key_fingerprint(b"0123456789abcdef") == key_fingerprint(b"0123456789abcdeF")
    False
    """
    return hashlib.pbkdf2_hmac("sha256", key, _SALT, _ITERATIONS)[:8].hex()


def content_hash(paths: Iterable[Path]) -> str:
    """SHA-256 of the files' names and bytes (read in blocks, so large files are fine)."""
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.name.encode() + b"\0")
        with open(path, "rb") as handle:
            while block := handle.read(1 << 20):
                digest.update(block)
    return digest.hexdigest()


def read_loaded_with(folder: str | Path) -> tuple[dict, str] | None:
    """The ``loaded_with`` record of a results folder and the file it came from, if any."""
    for name in LOADED_WITH_FILES:
        path = Path(folder) / name
        if not path.is_file():
            continue
        try:
            record = json.loads(path.read_text(encoding="utf-8")).get("loaded_with")
        except (ValueError, UnicodeDecodeError, AttributeError):
            continue  # a damaged results file says nothing about loading; the report says so
        if isinstance(record, Mapping):
            return dict(record), name
    return None


def reuse_loaded_with(
    recorded: tuple[dict, str] | None,
    *,
    directed: bool | None,
    pseudonymise: Iterable[str] = (),
) -> tuple[bool | None, tuple[str, ...], list[str]]:
    """Loading options for a later command: the recorded ones unless the options say otherwise.

    Returns ``(directed, pseudonymise, notes)``; a note for each option that contradicts the
    record (the option wins).

    Examples
    --------
    >>> rec = ({"directed": True, "pseudonymised_columns": ["idold"]}, "summary.json")
    >>> reuse_loaded_with(rec, directed=None)
    (True, ('idold',), [])
    >>> reuse_loaded_with(rec, directed=False)[0]
    False
    """
    columns = tuple(pseudonymise)
    if recorded is None:
        return directed, columns, []
    record, source = recorded
    notes = []
    was = record.get("directed")
    if directed is None:
        directed = was if isinstance(was, bool) else None
    elif isinstance(was, bool) and was != directed:
        word = "directed" if directed else "undirected"
        notes.append(
            f"the results were computed with ties taken as {'directed' if was else 'undirected'} "
            f"({source}); --{word} was given, so this command takes them as {word}"
        )
    listed = record.get("pseudonymised_columns") or []
    columns += tuple(c for c in listed if isinstance(c, str) and c not in columns)
    return directed, columns, notes


def compare_loaded_with(recorded: tuple[dict, str] | None, now: Mapping) -> list[str]:
    """Notes on what differs between how results were loaded and how the data are loaded now."""
    if recorded is None:
        return []
    record, source = recorded
    notes = []
    if record.get("content_sha256") and record["content_sha256"] != now.get("content_sha256"):
        notes.append(
            f"these data differ from the data the results were computed from ({source} records "
            f"'{record.get('dataset', '?')}' with another content hash)"
        )
    was, key = record.get("key_fingerprint"), now.get("key_fingerprint")
    if was and key and was != key:
        notes.append(
            f"the pseudonymisation key differs from the one the results used ({source}), so ids "
            "here will not match ids in the results; use the same key (--key-file or "
            "$ALUMNI_NET_KEY)"
        )
    elif record.get("key") == "random" and now.get("pseudonymised_ids"):
        notes.append(
            f"the results were pseudonymised with a random key ({source}), so their ids cannot "
            "be matched to ids here; set $ALUMNI_NET_KEY (or --key-file) for both commands"
        )
    return notes
