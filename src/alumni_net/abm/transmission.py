"""Who passed the practice to whom: transmission trees, the reproduction number over time and
the generation time, from one simulated replicate's record of adoptions.

The record (:class:`TransmissionRecord`) is the minimal interface an engine has to give: for each
adoption event, in month order, the person (an integer: index or id), the month and the person
who passed the practice on (their *infector*: only for adoptions through spread; -1 for seeds,
graduates of the course, re-engaged alumni and background adoption). A person who lapses and
re-adopts has several events; a transmission comes from the infector's latest adoption *before*
the month of the adoption it caused (under the model's synchronous months a person practising at
the start of month ``t`` passes the practice on in ``t``, so an infector adopted in ``t - 1`` or
earlier).

From the record:

- the **tree** (:func:`parents`): each event's parent event, -1 for roots (events not through
  spread): one small integer array per replicate, stored as such (:func:`pack_trees`);
- the **generation** of each event (:func:`generations`): 0 for a root, the parent's plus one
  otherwise (a tree's degree of separation, beside the network's distance to the nearest alum);
- the **case reproduction number** by month of adoption (:func:`reproduction`): the mean number
  of people each adopter of month ``t`` passed the practice to, over the rest of the run (Fraser
  2007; the cohort reproduction number). Adopters of the last months had little time to pass it
  on: ``followed_months`` says how long each cohort was followed, and the last month's cohort,
  followed for none, has no value;
- the **generation time** (:func:`generation_times`): months between an infector's adoption and
  the adoption they caused.

References
----------
Fraser, C. (2007). Estimating individual and household reproduction numbers in an emerging
epidemic. *PLoS ONE* 2(8): e758. https://doi.org/10.1371/journal.pone.0000758

Wallinga, J. & Teunis, P. (2004). Different epidemic curves for severe acute respiratory syndrome
reveal similar impacts of control measures. *American Journal of Epidemiology* 160(6): 509-516.
https://doi.org/10.1093/aje/kwh255
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from alumni_net.errors import AlumniNetError

__all__ = [
    "NO_INFECTOR",
    "TransmissionRecord",
    "generation_times",
    "generations",
    "pack_trees",
    "parents",
    "reproduction",
    "tree_summary",
    "unpack_trees",
]

#: The infector of an adoption that did not come through spread (and the parent of a root).
NO_INFECTOR = -1
#: Generations reported separately in :func:`tree_summary`; later ones are pooled ("4plus").
_GENERATIONS = (1, 2, 3)


@dataclass(frozen=True)
class TransmissionRecord:
    """One replicate's adoption events with who passed the practice on.

    Attributes
    ----------
    person, month, infector : ndarray of int
        One entry per adoption event, in month order: the adopter, the month (0 = the initial
        state, up to ``horizon``) and the infector (:data:`NO_INFECTOR` unless through spread).
    horizon : int
        The last month run (what ``followed_months`` counts to).

    Examples
    --------
    >>> r = TransmissionRecord([0, 1, 2], [0, 1, 2], [-1, 0, 1], horizon=2)
    >>> r.n_events, parents(r).tolist()
    (3, [-1, 0, 1])
    """

    person: np.ndarray
    month: np.ndarray
    infector: np.ndarray
    horizon: int

    def __post_init__(self) -> None:
        for name in ("person", "month", "infector"):
            object.__setattr__(self, name, np.asarray(getattr(self, name), dtype=np.int64))
        n = {len(self.person), len(self.month), len(self.infector)}
        if len(n) != 1:
            raise AlumniNetError("a transmission record needs as many months and infectors as "
                                 "adoption events")
        if len(self.month) and (np.any(np.diff(self.month) < 0) or self.month[0] < 0
                                or self.month[-1] > self.horizon):
            raise AlumniNetError(f"a transmission record's months must be in order, from 0 to "
                                 f"the horizon ({self.horizon})")

    @property
    def n_events(self) -> int:
        return len(self.person)

    @classmethod
    def from_adoptions(cls, adoptions: pd.DataFrame, horizon: int, *,
                       person: str = "person_id", infector: str = "infector_id",
                       ) -> TransmissionRecord:
        """From an adoptions table with who infected whom (one row per event: ``person``,
        ``month``, ``infector``, missing for roots; what
        ``simulate_once(..., record_infectors=True).adoptions`` gives), sorted by month here
        (stably). People become integer codes (their order of first appearance): ids, which
        may be text, never reach the record.

        Examples
        --------
        >>> table = pd.DataFrame({"person_id": ["b", "a", "c"], "month": [1, 0, 2],
        ...                       "infector_id": ["a", None, "b"]})
        >>> r = TransmissionRecord.from_adoptions(table, horizon=2)
        >>> r.person.tolist(), r.infector.tolist()
        ([0, 1, 2], [-1, 0, 1])
        """
        table = adoptions.sort_values("month", kind="stable")
        codes, ids = pd.factorize(table[person], sort=False)
        given = table[infector].notna().to_numpy()
        who = np.full(len(table), NO_INFECTOR, dtype=np.int64)
        who[given] = pd.Index(ids).get_indexer(table[infector].to_numpy()[given])
        if (who[given] < 0).any():
            raise AlumniNetError("an infector in the adoptions table never adopted")
        return cls(codes, table["month"].to_numpy(), who, horizon)


def parents(record: TransmissionRecord) -> np.ndarray:
    """Each event's parent event (index into the record), :data:`NO_INFECTOR` for roots.

    The parent is the infector's latest adoption event before the adoption's month; an infector
    with none is an inconsistent record (error).

    Examples
    --------
    >>> # person 0 adopts in months 0 and 3 (after lapsing); 1 caught it from the first spell,
    >>> # 2 from the second.
    >>> r = TransmissionRecord([0, 1, 0, 2], [0, 2, 3, 4], [-1, 0, -1, 0], horizon=4)
    >>> parents(r).tolist()
    [-1, 0, -1, 2]
    """
    out = np.full(record.n_events, NO_INFECTOR, dtype=np.int64)
    child = np.flatnonzero(record.infector != NO_INFECTOR)
    if not len(child):
        return out
    stride = record.horizon + 2
    key = record.person * stride + record.month
    order = np.argsort(key, kind="stable")
    wanted = record.infector[child] * stride + record.month[child] - 1
    pos = np.searchsorted(key[order], wanted, side="right") - 1
    found = (pos >= 0) & (record.person[order[np.maximum(pos, 0)]] == record.infector[child])
    if not found.all():
        i = child[~found][0]
        raise AlumniNetError(
            f"adoption event {i} (person {record.person[i]}, month {record.month[i]}) names "
            f"infector {record.infector[i]}, who had not adopted before that month")
    out[child] = order[pos]
    return out


def generations(record: TransmissionRecord, parent: np.ndarray | None = None) -> np.ndarray:
    """Each event's generation in its tree: 0 for a root, the parent's plus one otherwise.

    Examples
    --------
    >>> generations(TransmissionRecord([5, 6, 7, 8], [0, 1, 2, 2], [-1, 5, 6, 5], 3)).tolist()
    [0, 1, 2, 1]
    """
    parent = parents(record) if parent is None else parent
    out = np.zeros(record.n_events, dtype=np.int64)
    # Events are in month order and a parent adopted in an earlier month: one pass suffices.
    for i in np.flatnonzero(parent != NO_INFECTOR):
        out[i] = out[parent[i]] + 1
    return out


def generation_times(record: TransmissionRecord, parent: np.ndarray | None = None) -> np.ndarray:
    """Months from each infector's adoption to the adoption they caused (one per spread event).

    Examples
    --------
    >>> generation_times(TransmissionRecord([0, 1, 2], [0, 1, 4], [-1, 0, 0], 5)).tolist()
    [1, 4]
    """
    parent = parents(record) if parent is None else parent
    child = np.flatnonzero(parent != NO_INFECTOR)
    return record.month[child] - record.month[parent[child]]


def reproduction(record: TransmissionRecord, parent: np.ndarray | None = None) -> pd.DataFrame:
    """The case reproduction number by month of adoption.

    One row per month 0..horizon: ``month``, ``adopters`` (events that month), ``secondary``
    (adoptions those adopters caused, in any later month), ``r`` (``secondary / adopters``, NaN
    with no adopters or no month left to pass the practice on), ``followed_months`` (horizon
    minus month: how long the cohort could pass it on).

    Examples
    --------
    >>> r = TransmissionRecord([0, 1, 2, 3], [0, 1, 1, 2], [-1, 0, 0, 2], horizon=2)
    >>> reproduction(r)[["month", "adopters", "secondary", "r"]].to_numpy().tolist()
    [[0.0, 1.0, 2.0, 2.0], [1.0, 2.0, 1.0, 0.5], [2.0, 1.0, 0.0, nan]]
    """
    parent = parents(record) if parent is None else parent
    months = np.arange(record.horizon + 1)
    adopters = np.bincount(record.month, minlength=len(months))
    offspring = np.bincount(parent[parent != NO_INFECTOR], minlength=record.n_events)
    secondary = np.bincount(record.month, weights=offspring, minlength=len(months))
    followed = record.horizon - months
    with np.errstate(invalid="ignore", divide="ignore"):
        r = np.where((adopters > 0) & (followed > 0), secondary / np.maximum(adopters, 1), np.nan)
    return pd.DataFrame({"month": months, "adopters": adopters,
                         "secondary": secondary.astype(np.int64), "r": r,
                         "followed_months": followed})


def tree_summary(record: TransmissionRecord, parent: np.ndarray | None = None) -> dict:
    """One replicate's transmission forest in a few numbers.

    ``adopters`` (events), ``roots`` (not through spread), ``through_spread``, ``trees`` (roots
    that passed the practice on), ``largest_tree`` (events in the largest tree, its root
    included), ``depth`` (the deepest generation), ``mean_offspring`` (spread events per event),
    ``generation_time_mean``, and ``generation_1`` ... ``generation_4plus``: events by generation
    in the tree, to read beside adoption by degree of separation in the network.

    Examples
    --------
    >>> s = tree_summary(TransmissionRecord([0, 1, 2, 3], [0, 1, 2, 2], [-1, 0, 1, -1], 3))
    >>> s["roots"], s["trees"], s["largest_tree"], s["depth"], s["generation_2"]
    (2, 1, 3, 2, 1)
    """
    parent = parents(record) if parent is None else parent
    gen = generations(record, parent)
    root = np.arange(record.n_events)
    for i in np.flatnonzero(parent != NO_INFECTOR):  # month order: the parent's root is known
        root[i] = root[parent[i]]
    sizes = np.bincount(root, minlength=record.n_events) if record.n_events else np.zeros(0)
    roots = int((parent == NO_INFECTOR).sum())
    spread = record.n_events - roots
    times = generation_times(record, parent)
    out = {"adopters": record.n_events, "roots": roots, "through_spread": spread,
           "trees": int((sizes > 1).sum()), "largest_tree": int(sizes.max(initial=0)),
           "depth": int(gen.max(initial=0)),
           "mean_offspring": spread / record.n_events if record.n_events else float("nan"),
           "generation_time_mean": float(times.mean()) if len(times) else float("nan")}
    for g in _GENERATIONS:
        out[f"generation_{g}"] = int((gen == g).sum())
    out[f"generation_{_GENERATIONS[-1] + 1}plus"] = int((gen > _GENERATIONS[-1]).sum())
    return out


def pack_trees(records: Sequence[TransmissionRecord]) -> dict[str, np.ndarray]:
    """Replicates' trees as four flat arrays (for ``numpy.savez_compressed``): ``offsets``
    (replicate ``k``'s events are ``offsets[k]:offsets[k + 1]``), ``person``, ``month`` and
    ``parent`` (the parent event's index within the replicate, -1 for roots), plus ``horizon``
    per replicate. 12 bytes an adoption before compression.

    Examples
    --------
    >>> packed = pack_trees([TransmissionRecord([0, 1], [0, 1], [-1, 0], 1)])
    >>> packed["offsets"].tolist(), packed["parent"].tolist()
    ([0, 2], [-1, 0])
    >>> unpack_trees(packed)[0].infector.tolist()
    [-1, 0]
    """
    sizes = [r.n_events for r in records]
    offsets = np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64)

    def flat(arrays, dtype):
        return np.concatenate(arrays).astype(dtype) if arrays else np.zeros(0, dtype)

    return {"offsets": offsets,
            "horizon": np.array([r.horizon for r in records], dtype=np.int32),
            "person": flat([r.person for r in records], np.int32),
            "month": flat([r.month for r in records], np.int32),
            "parent": flat([parents(r) for r in records], np.int32)}


def unpack_trees(packed: Mapping[str, np.ndarray]) -> list[TransmissionRecord]:
    """The records :func:`pack_trees` packed (infectors restored from the parent events)."""
    offsets = np.asarray(packed["offsets"])
    out = []
    for k, horizon in enumerate(np.asarray(packed["horizon"]).tolist()):
        part = slice(offsets[k], offsets[k + 1])
        person = np.asarray(packed["person"][part], dtype=np.int64)
        parent = np.asarray(packed["parent"][part], dtype=np.int64)
        infector = np.where(parent == NO_INFECTOR, NO_INFECTOR, person[np.maximum(parent, 0)])
        out.append(TransmissionRecord(person, packed["month"][part], infector, int(horizon)))
    return out
