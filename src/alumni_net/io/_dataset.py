"""The Dataset: people and typed, dated ties, validated and pseudonymised."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

__all__ = ["Dataset"]


@dataclass(frozen=True)
class Dataset:
    """People and ties of one programme (or any social network), ready for analysis.

    Attributes
    ----------
    people : DataFrame
        One row per person, sorted by ``person_id``; ``is_alum`` is always present.
    ties : DataFrame
        ``source``, ``target``, ``kind`` (text), ``weight`` (float > 0), ``since`` (datetime or
        NaT), plus any extra columns. Several kinds between one pair are separate rows.
    directed : bool
        Whether ``source`` -> ``target`` has a direction (e.g. "source named target").
    name : str
        A label for reports.
    path : Path or None
        Folder the data came from.
    notes : tuple of str
        Things the user should be told about how the data were loaded.
    loaded_with : dict
        How the data were loaded (see :mod:`alumni_net.io._provenance`): ``dataset``,
        ``content_sha256``, ``directed`` and ``directed_from``, ``pseudonymised_columns``,
        ``pseudonymised_ids``, ``key`` ("given", "random" or None) and ``key_fingerprint``.
        Commands record it beside their results so later commands load the data the same way.
    categories : tuple of str
        People columns declared categories in ``dataset.toml`` (``categories = [...]``): outputs
        may publish them (see :mod:`alumni_net.core.publish`).
    layout : str
        ``"network"`` (everyone's ties observed), or ``"egocentric"``: respondents (egos) and
        the people they named (alters), each alter known only through its ego. Then ``people``
        has ``is_ego`` (true for respondents) and ``ego`` (for an alter, the ``person_id`` of
        the ego who named it; empty for egos); alters named by different egos are different
        rows even when they may be the same person, as in egor; ``ties`` hold each ego's tie to
        its alters (kind ``named``) and the alter-alter ties the ego reported (their own kinds).
        See :mod:`alumni_net.io.formats.egocentric`.
    """

    people: pd.DataFrame
    ties: pd.DataFrame
    directed: bool = False
    name: str = "dataset"
    path: Path | None = None
    notes: tuple[str, ...] = field(default=())
    loaded_with: dict = field(default_factory=dict, compare=False)
    categories: tuple[str, ...] = field(default=())
    layout: str = "network"

    @property
    def n_people(self) -> int:
        return len(self.people)

    @property
    def n_ties(self) -> int:
        return len(self.ties)

    @property
    def egos(self) -> np.ndarray:
        """Egocentric data: the respondents' ids, in ``person_id`` order (empty otherwise)."""
        if "is_ego" not in self.people:
            return self.people["person_id"].to_numpy()[:0]
        return self.people.loc[self.people["is_ego"].to_numpy(bool), "person_id"].to_numpy()

    @property
    def alumni(self) -> np.ndarray:
        """Ids of programme alumni, in ``person_id`` order."""
        return self.people.loc[self.people["is_alum"].to_numpy(bool), "person_id"].to_numpy()

    @property
    def cohorts(self) -> pd.DataFrame:
        """One row per cohort: ``cohort``, ``cohort_start`` (when known) and ``n_alumni``, in
        time order."""
        people = self.people[self.people["is_alum"]]
        if "cohort" not in people or people["cohort"].isna().all():
            return pd.DataFrame({"cohort": [], "cohort_start": [], "n_alumni": []})
        cols = ["cohort"] + (["cohort_start"] if "cohort_start" in people else [])
        table = (
            people.groupby("cohort", dropna=True)
            .agg(cohort_start=(cols[-1], "min") if len(cols) > 1 else ("cohort", "first"),
                 n_alumni=("person_id", "size"))
            .reset_index()
        )
        if "cohort_start" not in people:
            table["cohort_start"] = pd.NaT
        return table.sort_values(["cohort_start", "cohort"],
                                 na_position="last").reset_index(drop=True)

    def summary(self) -> dict:
        """Counts for a quick look: people, alumni, cohorts, ties by kind."""
        by_kind = self.ties["kind"].value_counts().sort_index()
        return {
            "name": self.name,
            "directed": self.directed,
            "people": self.n_people,
            "alumni": int(self.people["is_alum"].sum()),
            "cohorts": int(self.people.loc[self.people["is_alum"], "cohort"].nunique())
            if "cohort" in self.people
            else 0,
            "ties": self.n_ties,
            "ties_by_kind": {str(k): int(v) for k, v in by_kind.items()},
        }
