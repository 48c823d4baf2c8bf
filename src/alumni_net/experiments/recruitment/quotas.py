"""Recruitment quotas: sector and region shares of a cohort's places, reserved places for people
who use services, and the check that a candidate pool can fill them.

A quota fixes counts exactly. With sector shares ``{"health": 0.5, "voluntary": 0.25}`` and 24
places, 12 recruits come from health, 6 from the voluntary sector and the remaining 6 (the
unnamed share, 1 - 0.75) from every other sector; region shares work the same way. Shares become
whole places by the largest-remainder (Hamilton) method over the named parts and the unnamed
rest: each part gets ``floor(share * k)``, and the places left over go to the largest fractional
parts, ties to the part named first (the rest last). Unlike
:func:`alumni_net.synth.programme.sector_quotas`, which rounds each cohort at random so that the
mean over many cohorts is exact, this rounding is deterministic: the same quota always gives a
cohort the same counts, and whether a pool can fill it does not depend on a seed.
``min_service_users`` reserves places for people whose sector is ``people_who_use_services``
(at least that many, more if they also fill other places); sector shares divide the places left,
as the programme recruits 24 leaders by sector and 2 people who use services. Region shares
divide all the places.

Sector and region quotas together constrain every recruit twice (an intersection of two
partition matroids). A pick is allowed only if the picks so far can still be completed to a
cohort meeting every quota; that is a transportation problem over (sector, region) cells, solved
as a network flow with lower bounds (networkx network simplex on a few dozen nodes).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import networkx as nx
import numpy as np
import pandas as pd

from alumni_net.errors import ConfigError
from alumni_net.synth.params import SERVICE_USER_SECTOR

__all__ = ["QuotaPlan", "Quotas", "apportion"]

#: Label of the part holding everyone a sector or region quota does not name.
REST = "(rest)"
#: Label of the places reserved for people who use services.
RESERVED = "(reserved for people who use services)"


@dataclass(frozen=True)
class Quotas:
    """Composition every cohort must have; validated on creation.

    Parameters
    ----------
    sector : mapping of sector label to share of the cohort's places, optional
        Shares in [0, 1] summing to at most 1 of the places not reserved for people who use
        services; the unnamed rest goes to other sectors.
    region : mapping of region label to share, optional
        The same for regions, of all the places.
    min_service_users : int
        Places reserved for people who use services (sector ``people_who_use_services``), >= 0.

    Examples
    --------
    >>> q = Quotas(sector={"health": 0.5, "voluntary": 0.25}, min_service_users=2)
    >>> q.sector_places(26)  # 2 places reserved, 24 by sector
    {'health': 12, 'voluntary': 6, '(rest)': 6}
    >>> Quotas(region={"london": 0.7, "midlands": 0.6})
    Traceback (most recent call last):
    ...
    alumni_net.errors.ConfigError: region quota shares must sum to at most 1, got 1.3
    """

    sector: Mapping[str, float] | None = None
    region: Mapping[str, float] | None = None
    min_service_users: int = 0

    def __post_init__(self) -> None:
        for name in ("sector", "region"):
            shares = getattr(self, name)
            if shares is not None:
                object.__setattr__(self, name, _checked_shares(name, shares))
        m = self.min_service_users
        if isinstance(m, bool) or not isinstance(m, (int, np.integer)) or m < 0:
            raise ConfigError(f"min_service_users must be a whole number >= 0, got {m!r}")
        object.__setattr__(self, "min_service_users", int(m))

    def sector_places(self, k: int) -> dict[str, int] | None:
        """Places per named sector and for the rest (``"(rest)"``) in a cohort of ``k``, after
        the reserved places; None without a sector quota."""
        k = max(0, k - self.min_service_users)
        return None if self.sector is None else apportion(self.sector, k)

    def region_places(self, k: int) -> dict[str, int] | None:
        """Places per named region and for the rest (``"(rest)"``), or None without a quota."""
        return None if self.region is None else apportion(self.region, k)

    @property
    def active(self) -> bool:
        """True when the quotas constrain anything."""
        return self.sector is not None or self.region is not None or self.min_service_users > 0


def _checked_shares(name: str, shares) -> dict[str, float]:
    if not isinstance(shares, Mapping):
        raise ConfigError(f"{name} quota must map {name} labels to shares, got {shares!r}")
    out: dict[str, float] = {}
    for label, share in shares.items():
        ok = isinstance(share, (int, float)) and not isinstance(share, bool)
        if not ok or not math.isfinite(share) or not 0.0 <= share <= 1.0:
            raise ConfigError(f"{name} quota share of {label!r} must be a number in [0, 1], "
                              f"got {share!r}")
        if str(label) == REST:
            raise ConfigError(f"{name} quota cannot name the label {REST!r}")
        out[str(label)] = float(share)
    total = sum(out.values())
    if total > 1.0 + 1e-9:
        raise ConfigError(f"{name} quota shares must sum to at most 1, got {round(total, 6)}")
    return out


def apportion(shares: Mapping[str, float], k: int) -> dict[str, int]:
    """Whole places per part by the largest-remainder method; the unnamed rest is ``"(rest)"``.

    Examples
    --------
    >>> apportion({"health": 0.35, "social_care": 0.25, "local_government": 0.2,
    ...            "voluntary": 0.2}, 24)
    {'health': 8, 'social_care': 6, 'local_government': 5, 'voluntary': 5, '(rest)': 0}
    """
    names = [*shares, REST]
    rest = max(0.0, 1.0 - sum(shares.values()))
    exact = np.array([*shares.values(), rest if rest > 1e-9 else 0.0]) * k
    base = np.floor(exact + 1e-9).astype(np.int64)
    left = int(k - base.sum())
    frac = exact - base
    # largest fractional part first; a stable sort keeps the named order among equals
    order = np.argsort(-np.round(frac, 9), kind="stable")
    base[order[:left]] += 1
    return {name: int(b) for name, b in zip(names, base, strict=True)}


class QuotaPlan:
    """The quotas applied to one pool and one cohort size: which picks keep the cohort feasible.

    ``cell[i]`` is pool member i's (sector part, service user, region part) cell; a pick is
    allowed when the cohort can still be completed (:meth:`allows`).
    """

    def __init__(self, quotas: Quotas | None, sector: np.ndarray, region: np.ndarray,
                 k: int) -> None:
        self.quotas = quotas = quotas or Quotas()
        self.k = k
        # the reserved places come first; sector shares divide the others
        self.sector_places = quotas.sector_places(k)
        self.region_places = quotas.region_places(k)
        s_part = _parts(sector, self.sector_places)
        r_part = _parts(region, self.region_places)
        user = np.array([x == SERVICE_USER_SECTOR for x in sector], dtype=bool)
        keys = pd.MultiIndex.from_arrays([s_part, user, r_part])
        codes, cells = pd.factorize(keys)
        self.cell = codes.astype(np.int64)
        self.cells: list[tuple[str, bool, str]] = list(cells)
        self.available = np.bincount(self.cell, minlength=len(self.cells))
        self.picked = np.zeros(len(self.cells), dtype=np.int64)
        self._dead = np.zeros(len(self.cells), dtype=bool)
        self._memo: dict[int, bool] = {}
        self.trivial = not quotas.active

    def allows(self, i: int) -> bool:
        """Whether pool member ``i`` can be picked next with the quotas still reachable."""
        if self.trivial:
            return True
        c = int(self.cell[i])
        if self._dead[c]:
            return False
        if c not in self._memo:
            self.picked[c] += 1
            self._memo[c] = self.feasible()
            self.picked[c] -= 1
            # infeasible now is infeasible for good: later picks only shrink the completions
            self._dead[c] = not self._memo[c]
        return self._memo[c]

    def pick(self, i: int) -> None:
        self.picked[int(self.cell[i])] += 1
        self._memo.clear()

    def feasible(self) -> bool:
        """Whether a cohort of ``k`` meeting every quota contains the picks so far."""
        if self.trivial:
            return int(self.available.sum()) >= self.k
        try:
            nx.network_simplex(self._flow_network())
        except nx.NetworkXUnfeasible:
            return False
        return True

    def _flow_network(self) -> nx.DiGraph:
        """Source -> sector part -> cell -> region part -> sink. A service user's cell is fed by
        its sector part and by the reserved places; lower bounds become node demands."""
        g = nx.DiGraph()
        g.add_node("S", demand=-self.k)
        g.add_node("T", demand=self.k)

        def edge(u, v, lo, hi):
            for node in (u, v):
                if node not in g:
                    g.add_node(node, demand=0)
            g.add_edge(u, v, capacity=hi - lo, weight=0)
            g.nodes[u]["demand"] += lo
            g.nodes[v]["demand"] -= lo

        m, k = self.quotas.min_service_users, self.k
        for c, (s, user, r) in enumerate(self.cells):
            edge(("s", s), ("c", c), 0, k)
            if user and m:
                edge(("s", RESERVED), ("c", c), 0, m)
            edge(("c", c), ("r", r), int(self.picked[c]), int(self.available[c]))
        sector_places = dict(self.sector_places or {"(all)": k - m})
        if m:
            sector_places[RESERVED] = m
        for x, q in sector_places.items():
            edge("S", ("s", x), q, q)
        region_labels = {r for _, _, r in self.cells} | set(self.region_places or ())
        for x in region_labels:
            places = self.region_places
            lo, hi = (0, k) if places is None else (places.get(x, 0), places.get(x, 0))
            edge(("r", x), "T", lo, hi)
        return g


def _unfeasible() -> nx.DiGraph:
    g = nx.DiGraph()
    g.add_node("S", demand=-1)
    g.add_node("T", demand=1)
    return g


def _parts(labels: np.ndarray, places: dict[str, int] | None) -> list[str]:
    if places is None:
        return ["(all)"] * len(labels)
    return [x if x in places and x != REST else REST for x in labels]


def diagnose(plan: QuotaPlan) -> str | None:
    """One sentence naming the quota the pool cannot fill, or None when the cohort is feasible."""
    k, n = plan.k, int(plan.available.sum())
    if n < k:
        return f"the candidate pool has {n:,} people for {k:,} places"
    m = plan.quotas.min_service_users
    users = int(sum(a for a, (_, user, _) in zip(plan.available, plan.cells, strict=True) if user))
    if m > k:
        return f"min_service_users ({m}) is more than the {k} places of a cohort"
    for side, places, name in ((0, plan.sector_places, "sector"), (2, plan.region_places,
                                                                     "region")):
        for label, q in (places or {}).items():
            have = int(sum(a for a, cell in zip(plan.available, plan.cells, strict=True)
                           if cell[side] == label))
            if have < q:
                what = f"{name}s the quota does not name" if label == REST else repr(label)
                return (f"the {name} quota needs {q} of {k} places from {what} but the candidate "
                        f"pool has {have:,}")
    if users < m:
        return (f"min_service_users needs {m} people who use services but the candidate pool "
                f"has {users:,}")
    if not plan.feasible():
        return ("the sector and region quotas cannot be met together from this candidate pool "
                "(too few candidates in some sector and region combinations)")
    return None
