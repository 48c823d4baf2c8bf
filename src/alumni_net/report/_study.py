"""What a results folder holds: which commands ran, and whether the study has a programme.

The report shows a section for each stage that ran and for nothing else (no empty charts, no
"not run yet" placeholders), and describes a study without alumni (a village, a hospital's
physicians) as one, rather than as a programme with zero alumni.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import networkx as nx

    from alumni_net.io import Dataset
    from alumni_net.report._data import Inputs

__all__ = ["STAGES", "Context", "Stage", "Study", "study_of"]


@dataclass(frozen=True)
class Stage:
    """One command's results: the files that show it ran, those the report reads, its images.

    ``core`` are the files a complete run always writes: when the stage ran and one of them is
    missing, the report says so (a stopped or partly copied run).
    """

    name: str
    command: str
    reads: tuple[str, ...]
    core: tuple[str, ...] = ()
    images: tuple[str, ...] = ()  # glob patterns of the figures the command drew

    def ran(self, folder: Path) -> bool:
        return any((folder / name).is_file() for name in self.reads)

    def owns_image(self, name: str) -> bool:
        return any(fnmatch.fnmatch(name, pattern) for pattern in self.images)


#: Every stage the report knows, in the order of its sections. A calibration's optional tables
#: (written only by some runs: model comparison, held-out groups, the predictive band) are read
#: when present.
STAGES = (
    Stage("network analysis", "alumni-net analyze",
          reads=("summary.json", "centrality.csv", "reach.csv", "reach_by_cohort.csv"),
          core=("summary.json", "centrality.csv")),
    Stage("observed diffusion", "alumni-net diffusion",
          reads=("adoption_curve.csv", "structure_test.csv", "moran.csv"),
          core=("adoption_curve.csv", "structure_test.csv"),
          images=("adoption_curve*.png", "hazard.png", "exposure.png", "thresholds.png")),
    Stage("calibration", "alumni-net calibrate",
          reads=("fitted.csv", "calibrated.toml", "model_comparison.csv", "holdout_check.csv",
                 "predictive_check.csv", "predictive_band.csv", "calibration.json"),
          core=("fitted.csv",),
          images=("predictive_check*.png", "holdout*.png")),
    Stage("simulation", "alumni-net simulate",
          reads=("multiplier.csv", "timeseries.csv", "by_degree.csv", "by_group.csv",
                 "simulate.json"),
          core=("multiplier.csv", "timeseries.csv", "simulate.json")),
    Stage("scenarios", "alumni-net scenarios",
          reads=("scenarios.csv", "scenario_results.csv", "results.csv", "composition.csv",
                 "scenarios.json"),
          images=("adoption.png", "multiplier.png", "differences.png")),
)


@dataclass(frozen=True)
class Study:
    """The stages found in a results folder and who the study is about."""

    stages: tuple[Stage, ...]
    people: int | None
    alumni: int | None  # None: nothing says (no data, no analysis)
    cohorts: int | None

    @property
    def programme(self) -> bool:
        """True when someone is an alum, or when simulated programme results are present."""
        return bool(self.alumni) or self.ran("simulation") or self.ran("scenarios")

    def ran(self, name: str) -> bool:
        return any(s.name == name for s in self.stages)

    def description(self) -> str:
        """One sentence saying what the study is and what the report covers."""
        covered = ", ".join(f"{s.name} ({s.command})" for s in self.stages)
        covers = f"This report covers what was run: {covered}." if covered else \
            "No results of any command were found: the report describes the data only."
        people = f"{self.people:,} people" if self.people is not None else "people"
        if self.alumni == 0 and not self.programme:
            return (f"A study of {people} without a programme: no one is marked as an alum "
                    f"(is_alum), so there are no alumni, reach or multiplier figures. {covers}")
        if self.alumni:
            cohorts = f" in {self.cohorts:,} cohorts" if self.cohorts else ""
            among = f"{people}, {self.alumni:,} of them alumni" if self.people is not None \
                else f"{self.alumni:,} alumni"
            return f"A programme study: {among}{cohorts}. {covers}"
        return covers


def study_of(folder: Path, ds: Dataset | None, G: nx.Graph | None,
             summary: dict | None) -> Study:
    """What ``folder`` holds, and the study's size from the data or from what analyze wrote."""
    stages = tuple(s for s in STAGES if s.ran(folder))
    people = alumni = cohorts = None
    if ds is not None:
        s = ds.summary()
        people, alumni, cohorts = s["people"], s["alumni"], s["cohorts"]
    elif G is not None:
        people = G.number_of_nodes()
        alumni = sum(1 for _, a in G.nodes(data="is_alum") if a)
    elif isinstance(summary, dict):
        inner = summary.get("dataset")
        d = inner if isinstance(inner, dict) else summary
        people, alumni = _count(d.get("people")), _count(d.get("alumni", d.get("n_alumni")))
    return Study(stages, people, alumni, cohorts)


def _count(value: object) -> int | None:
    return int(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


@dataclass
class Context:
    """Everything a section reads: the data (or graph), the results, the study, the settings."""

    ds: Dataset | None
    G: nx.Graph | None
    inputs: Inputs
    study: Study
    min_count: int
    seed: int = 0
    maps: bool = True

    @property
    def data_name(self) -> str | None:
        if self.ds is not None:
            return self.ds.name
        return None if self.G is None else self.G.graph.get("name")
