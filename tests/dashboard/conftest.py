from __future__ import annotations

from pathlib import Path

import pytest

SMALL = Path(__file__).resolve().parents[2] / "data" / "synthetic" / "small"


@pytest.fixture(scope="session")
def small_session():
    from alumni_net.dashboard.session import Session

    return Session(SMALL, horizon_years=2, seed=3)
