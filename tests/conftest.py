"""Shared fixtures (the data themselves live in tests/helpers.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.helpers import TWO_COHORTS_PEOPLE, TWO_COHORTS_TIES, write_dataset_files


@pytest.fixture
def two_cohorts(tmp_path: Path) -> Path:
    """A hand-checked dataset: two cohorts, names and emails, mixed tie kinds, weights and dates."""
    return write_dataset_files(tmp_path / "two_cohorts", TWO_COHORTS_PEOPLE, TWO_COHORTS_TIES)


@pytest.fixture
def pseudonym_key(monkeypatch) -> bytes:
    """A fixed key, so pseudonyms are stable inside a test and no 'random key' note appears."""
    key = b"test-key-0123456789abcdef"
    monkeypatch.setenv("ALUMNI_NET_KEY", key.decode())
    return key
