"""Keyed pseudonyms (HMAC-SHA256): stable across runs with the same key, irreversible without it."""

from __future__ import annotations

import hmac
import os
import re
import secrets
import stat
from collections.abc import Collection, Hashable
from pathlib import Path

import pandas as pd

from alumni_net.errors import AlumniNetError, ConfigError
from alumni_net.io._schema import PERSONAL_COLUMNS

__all__ = [
    "KEY_ENV",
    "KEY_FILE_ENV",
    "PERSONAL_COLUMNS",
    "Pseudonymiser",
    "find_person",
    "resolve_key",
]

KEY_ENV = "ALUMNI_NET_KEY"
KEY_FILE_ENV = "ALUMNI_NET_KEY_FILE"
# 16 hex digits = 64 bits: a collision among a million people has probability ~3e-8.
_DIGITS = 16


def resolve_key(key: bytes | str | os.PathLike | None = None) -> tuple[bytes, str | None]:
    """The HMAC key and, when it is a fresh random one, a note to show the user.

    Order: ``key`` (bytes, text, or a path to a key file), ``$ALUMNI_NET_KEY``,
    ``$ALUMNI_NET_KEY_FILE``, else a random key for this run only. A key variable that is set
    but empty is refused, as a short key is: it is a mistake, and falling back to a random key
    would give pseudonyms that match no other run without a word. A key file that anyone may
    write to is refused: whoever can change the key can make pseudonyms that match theirs.
    """
    if isinstance(key, bytes):
        return _checked(key, "the key given"), None
    if isinstance(key, os.PathLike) or (isinstance(key, str) and Path(key).is_file()):
        return _from_file(Path(key)), None
    if isinstance(key, str):
        return _checked(key.encode("utf-8"), "the key given"), None
    if KEY_ENV in os.environ:
        return _checked(os.environ[KEY_ENV].encode("utf-8"), f"${KEY_ENV}"), None
    if KEY_FILE_ENV in os.environ:
        if not os.environ[KEY_FILE_ENV].strip():
            raise ConfigError(f"${KEY_FILE_ENV} is set but empty; give the key file's path, or "
                              "unset it")
        return _from_file(Path(os.environ[KEY_FILE_ENV])), None
    note = (
        f"no pseudonymisation key was given (set ${KEY_ENV} or use --key-file), so a random key "
        "is used: pseudonyms will not match those of other runs"
    )
    return secrets.token_bytes(32), note


def _from_file(path: Path) -> bytes:
    try:
        mode = path.stat().st_mode
        if mode & stat.S_IWOTH:
            raise ConfigError(f"key file {path} can be changed by anyone (mode "
                              f"{stat.S_IMODE(mode):o}), so its pseudonyms cannot be trusted; "
                              f"make it private: chmod 600 {path}")
        return _checked(path.read_bytes().strip(), f"key file {path}")
    except OSError as exc:
        raise ConfigError(f"cannot read key file {path}: {exc.strerror}") from exc


def _checked(key: bytes, where: str) -> bytes:
    if not key.strip():
        raise ConfigError(f"{where} is set but empty; set a key of at least 16 characters, or "
                          "unset it to use a random key for this run")
    if len(key) < 16:
        raise ConfigError(f"{where} is too short: a pseudonymisation key needs at least 16 "
                          "characters")
    return key


class Pseudonymiser:
    """Replace values by ``HMAC-SHA256(key, column + ':' + value)`` truncated to 64 bits.

    The column name is mixed in so that the same text in two columns (an id that is also a
    name) does not get the same pseudonym.

    Examples
    --------
    >>> p = Pseudonymiser(b"0123456789abcdef0123")
    >>> p.one("Ada Lovelace", "name")
    'n_1f7ed69d5225a981'
    >>> p.one("Ada Lovelace", "name") == p.one("Ada Lovelace", "email")
    False
    """

    def __init__(self, key: bytes) -> None:
        self._key = _checked(key, "the key")

    def one(self, value: str, column: str) -> str:
        digest = hmac.digest(self._key, f"{column}:{value}".encode(), "sha256")
        return f"{column[0]}_{digest.hex()[:_DIGITS]}"

    def column(self, values: pd.Series, column: str) -> pd.Series:
        """Pseudonyms for a column; missing values stay missing.

        Values that already are pseudonyms of this column are kept, so loading a dataset that
        alumni_net wrote does not pseudonymise it twice.
        """
        cache: dict[str, str] = {}
        done = re.compile(rf"^{re.escape(column[0])}_[0-9a-f]{{{_DIGITS}}}$")

        def one(value):
            if value is None or value == "" or (isinstance(value, float) and value != value):
                return None
            text = str(value)
            if done.match(text):
                return text
            if text not in cache:
                cache[text] = self.one(text, column)
            return cache[text]

        return values.map(one).astype(object)


def find_person(ids: Collection[Hashable], given: str,
                key_file: str | os.PathLike | None = None) -> Hashable:
    """The id in ``ids`` that a user typed: the pseudonym itself, or an original id whose
    pseudonym the configured key (``$ALUMNI_NET_KEY`` or ``key_file``) gives.

    Examples
    --------
    >>> find_person(["p1", "p2"], "p2")
    'p2'
    """
    for v in ids:
        if str(v) == given:
            return v
    secret, random_key = resolve_key(key_file)
    if random_key is None:
        candidate = Pseudonymiser(secret).one(given, "person_id")
        if candidate in set(ids):
            return candidate
    raise AlumniNetError(
        f"person '{given}' is not in the network (ids are pseudonymised on load: give the "
        "pseudonym, or set ALUMNI_NET_KEY / --key-file to find an original id)"
    )
