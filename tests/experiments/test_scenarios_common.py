"""Shared small scenario files for the scenario tests (no tests here): a 2,000-person synthetic
programme with four cohorts, and two future years."""

from __future__ import annotations

from pathlib import Path

BASE = """\
horizon_years = 2
baseline = "random"

[synthetic]
n_people = 2000
n_cohorts = 4
seed = 3

[model]
beta = 0.02

[run]
replicates = 3
seed = 11

[cohorts]
size = 12

[recruitment]
strategy = "random"
roles = ["senior_leader", "manager"]

[quotas]
min_service_users = 2
"""

SCENARIOS = """
[[scenario]]
name = "degree"
[scenario.recruitment]
strategy = "degree"

[[scenario]]
name = "regional"
[scenario.cohorts]
regional = true

[[scenario]]
name = "topups"
[[scenario.topups]]
year = 1
"""


def write(folder: Path, text: str, name: str = "s.toml") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path
