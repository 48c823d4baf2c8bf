from __future__ import annotations

from pathlib import Path

import pytest

SMALL = Path(__file__).resolve().parents[2] / "data" / "synthetic" / "small"


@pytest.fixture(scope="session")
def small_session():
    from alumni_net.dashboard.session import Session

    return Session(SMALL, horizon_years=2, seed=3)


@pytest.fixture(scope="session")
def tiny_data(tmp_path_factory) -> Path:
    """The red team's small valid programme: 40 people, one cohort of 12 alumni."""
    from tests.cli.red_team_cases import CASES

    folder = tmp_path_factory.mktemp("tiny") / "data"
    next(c for c in CASES if c.name == "crlf_line_ends").build(folder)
    return folder
