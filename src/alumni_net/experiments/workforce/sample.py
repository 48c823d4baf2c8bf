"""A survey sample as arrays: the one form both the observed survey and every simulated one take.

The ego statistics (:mod:`.statistics`) are computed by one function from an :class:`EgoSample`,
whether it came from the alumni's answers or from a survey simulated on a generated network, so
the two are comparable by construction.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import combinations

import numpy as np
import pandas as pd

from alumni_net.survey import Categories, EgoData

__all__ = ["EgoSample", "codes", "sample_from_ego_data"]


@dataclass(frozen=True)
class EgoSample:
    """Egos, the contacts they named and the pairs of those contacts, as parallel arrays.

    ``alter_other`` is the ego's (proxy) report of how many people in other organisations the
    contact works with (NaN when not given).

    Codes index the population's categories (-1 = not known). ``same_org`` is 1, 0 or -1 (not
    known); ``programme`` marks contacts met through the programme. Pairs are every two
    contacts of one ego (not met through the programme) whose organisation is known;
    ``pair_same`` says both work in the ego's organisation.
    """

    weight: np.ndarray  # (R,) survey weights, mean 1
    sector: np.ndarray  # (R,) int
    region: np.ndarray
    role: np.ndarray
    own: np.ndarray  # (R,) float: reported people known in the own organisation (NaN missing)
    other: np.ndarray  # (R,) float: in other organisations
    alter_ego: np.ndarray  # (M,) int: the ego who named the contact
    alter_sector: np.ndarray
    alter_region: np.ndarray
    alter_role: np.ndarray
    same_org: np.ndarray  # (M,) int8
    programme: np.ndarray  # (M,) bool
    alter_other: np.ndarray  # (M,) float: the ego's guess of the contact's count in other orgs
    pair_ego: np.ndarray  # (P,) int
    pair_same: np.ndarray  # (P,) bool
    pair_tied: np.ndarray  # (P,) bool

    @property
    def n_egos(self) -> int:
        return len(self.weight)

    def named_workforce(self) -> np.ndarray:
        """Per ego, how many contacts it named that it did not meet through the programme."""
        keep = ~self.programme
        return np.bincount(self.alter_ego[keep], minlength=self.n_egos)


def codes(values: Iterable[object], labels: Sequence[str]) -> np.ndarray:
    """Positions of ``values`` in ``labels`` (-1 for missing or unknown values).

    Examples
    --------
    >>> codes(["b", None, "a", "z"], ("a", "b")).tolist()
    [1, -1, 0, -1]
    """
    index = {v: i for i, v in enumerate(labels)}
    return np.array([index.get(v, -1) if isinstance(v, str) else -1 for v in values],
                    dtype=np.int64)


def sample_from_ego_data(ego: EgoData, categories: Categories,
                         weights: pd.Series | None = None) -> EgoSample:
    """The observed survey as an :class:`EgoSample` (weights by ``ego_id``; default all 1)."""
    egos = ego.egos.reset_index(drop=True)
    position = {e: i for i, e in enumerate(egos["ego_id"])}
    w = np.ones(len(egos)) if weights is None else egos["ego_id"].map(weights).to_numpy(float)
    alters = ego.alters[ego.alters["ego_id"].isin(position)].reset_index(drop=True)
    alter_ego = alters["ego_id"].map(position).to_numpy(np.int64)
    same = alters["same_organisation"].astype("boolean")
    same_org = np.where(same.isna(), -1, same.fillna(False).astype(int)).astype(np.int8)
    programme = alters["met_through_programme"].astype("boolean").fillna(False).to_numpy(bool)
    pair_ego, pair_same, pair_tied = _pairs(alters, alter_ego, same_org, programme,
                                            ego.alter_ties)
    return EgoSample(
        weight=w, sector=codes(egos["sector"], categories.sector),
        region=codes(egos["region"], categories.region), role=codes(egos["role"], categories.role),
        own=egos["know_own_org"].to_numpy(float), other=egos["know_other_orgs"].to_numpy(float),
        alter_ego=alter_ego, alter_sector=codes(alters["sector"], categories.sector),
        alter_region=codes(alters["region"], categories.region),
        alter_role=codes(alters["role"], categories.role), same_org=same_org,
        programme=programme, alter_other=alters["contacts_other_orgs"].to_numpy(float),
        pair_ego=pair_ego, pair_same=pair_same, pair_tied=pair_tied,
    )


def _pairs(alters, alter_ego, same_org, programme, alter_ties):
    tied = {(str(s), str(t)) for s, t in zip(alter_ties["source"], alter_ties["target"],
                                             strict=True)}
    tied |= {(t, s) for s, t in tied}
    ids = alters["alter_id"].astype(str).to_numpy()
    keep = np.flatnonzero((same_org >= 0) & ~programme)
    by_ego: dict[int, list[int]] = {}
    for i in keep:
        by_ego.setdefault(int(alter_ego[i]), []).append(int(i))
    ego_out, same_out, tied_out = [], [], []
    for e, members in by_ego.items():
        for i, j in combinations(members, 2):
            ego_out.append(e)
            same_out.append(bool(same_org[i] == 1 and same_org[j] == 1))
            tied_out.append((ids[i], ids[j]) in tied)
    return (np.array(ego_out, dtype=np.int64), np.array(same_out, dtype=bool),
            np.array(tied_out, dtype=bool))
