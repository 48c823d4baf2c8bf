"""The workforce network model: the synthetic generator's network, on a population given as counts.

People are placed by the population file's counts (region x sector x role); each sector x region
cell is split into Zipf-sized organisations (:func:`alumni_net.synth.population.org_sizes`), roles
dealt at random within the cell. Ties are the synthetic generator's own
(:mod:`alumni_net.synth.network`): a Watts-Strogatz small world of colleagues inside each
organisation, activity-weighted partnerships across organisations (mostly within the region, with
triadic closure) and a few long-range ties. The parameters fitted to the survey are in
:data:`PARAMETERS`; each role's activity (its propensity to partner) is estimated from the
contacts' roles (see :func:`role_activity`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from alumni_net.survey import Categories
from alumni_net.synth import SynthParams, make_params, network
from alumni_net.synth.network import colleague_ties, long_range_ties, partnership_ties
from alumni_net.synth.population import Population, zipf_sizes

__all__ = [
    "KINDS",
    "LONG_RANGE_PER_PERSON",
    "OrgSizes",
    "PARAMETERS",
    "PRIOR",
    "Structure",
    "WorkforceNetwork",
    "WorkforceParams",
    "build_structure",
    "generate",
    "role_activity",
    "sample_organisations",
    "scaled_counts",
]

#: Tie kinds of the workforce network, in code order.
KINDS = ("colleague", "partnership", "long_range")
#: Long-range ties per person, fixed: a share of contacts in other regions can come from
#: partnerships outside the region or from long-range ties, and one survey statistic cannot
#: tell the two apart, so the fit moves ``partnership_within_region`` and keeps this default.
LONG_RANGE_PER_PERSON = 0.02

#: Fitted parameters with the prior box on the scale they are sampled on: half the colleague
#: ring size (k = 2 round(x)), the log of the mean partnerships per person, the rest as they are.
PRIOR = {
    "colleague_k": ("half", 1.0, 15.0),
    "colleague_rewire": ("linear", 0.0, 0.6),
    "partnership_mean": ("log", math.log(0.2), math.log(40.0)),
    "partnership_within_region": ("linear", 0.0, 1.0),
    "partnership_closure": ("linear", 0.0, 0.9),
    "activity_sigma": ("linear", 0.0, 2.0),
}
PARAMETERS = tuple(PRIOR)


@dataclass(frozen=True)
class WorkforceParams:
    """One setting of the fitted parameters (natural scale)."""

    colleague_k: int
    colleague_rewire: float
    partnership_mean: float
    partnership_within_region: float
    partnership_closure: float
    activity_sigma: float

    @classmethod
    def from_theta(cls, theta: np.ndarray) -> WorkforceParams:
        """From the sampling scale of :data:`PRIOR` (one row of the ABC particles).

        Examples
        --------
        >>> p = WorkforceParams.from_theta(np.array([4.2, 0.1, 0.0, 0.9, 0.3, 1.0]))
        >>> p.colleague_k, p.partnership_mean
        (8, 1.0)
        """
        values: dict[str, Any] = {}
        for (name, (scale, _, _)), x in zip(PRIOR.items(), theta, strict=True):
            values[name] = (2 * max(1, round(float(x))) if scale == "half"
                            else math.exp(float(x)) if scale == "log" else float(x))
        return cls(**values)

    def to_dict(self) -> dict:
        return {name: getattr(self, name) for name in PARAMETERS}

    def synth(self) -> SynthParams:
        """The synthetic generator's parameters with these values (the rest its defaults)."""
        return make_params(None, **self.to_dict(), long_range_per_person=LONG_RANGE_PER_PERSON)


def prior_bounds() -> np.ndarray:
    """The prior box (d, 2) on the sampling scale."""
    return np.array([[lo, hi] for _, lo, hi in PRIOR.values()])


def scaled_counts(counts: np.ndarray, size: int, keep: np.ndarray | None = None) -> np.ndarray:
    """``counts`` scaled to add up to about ``size`` (largest remainders), groups in ``keep``
    given at least 2 people so that every respondent has someone like them to stand in for.

    Examples
    --------
    >>> scaled_counts(np.array([500, 300, 200]), 10).tolist()
    [5, 3, 2]
    >>> scaled_counts(np.array([990, 10]), 10, keep=np.array([1])).tolist()
    [10, 2]
    """
    counts = np.asarray(counts, dtype=float)
    total = counts.sum()
    if size >= total:
        out = counts.astype(np.int64)
    else:
        exact = counts * size / total
        out = np.floor(exact).astype(np.int64)
        left = int(size - out.sum())
        out[np.argsort(-(exact - out), kind="stable")[:left]] += 1
    if keep is not None and len(keep):
        out[keep] = np.maximum(out[keep], np.minimum(2, counts[keep].astype(np.int64)))
    return out


@dataclass(frozen=True)
class Structure:
    """People and organisations before any tie: group of each person, organisations by range."""

    sector: np.ndarray  # int8 codes into the categories
    region: np.ndarray
    role: np.ndarray
    org: np.ndarray  # int64
    org_start: np.ndarray  # int64, n_orgs + 1

    @property
    def n(self) -> int:
        return len(self.org)

    def group_members(self) -> dict[tuple[int, int, int], np.ndarray]:
        """People of each (sector, region, role), as index arrays."""
        key = (self.sector.astype(np.int64) * 256 + self.region) * 256 + self.role
        order = np.argsort(key, kind="stable")
        values, starts = np.unique(key[order], return_index=True)
        bounds = [*starts[1:], len(order)]
        return {(int(v // 65536), int(v // 256 % 256), int(v % 256)): order[s:e]
                for v, s, e in zip(values, starts, bounds, strict=True)}


@dataclass(frozen=True)
class OrgSizes:
    """Organisation sizes: Zipf's law between ``smallest`` and ``largest`` (the synthetic
    generator's defaults). ``largest = 1`` makes everyone their own organisation (farmers on
    their own farms: every tie is then across organisations)."""

    smallest: int = 5
    largest: int = 5_000
    exponent: float = 1.06


def build_structure(population: pd.DataFrame, categories: Categories, counts: np.ndarray,
                    rng: np.random.Generator,
                    params: SynthParams | OrgSizes | None = None) -> Structure:
    """Organisations and roles for ``counts[i]`` people of population row ``i``'s group."""
    p = OrgSizes() if params is None else params if isinstance(params, OrgSizes) else OrgSizes(
        params.org_size_min, params.org_size_max, params.org_size_exponent)
    sector = _codes(population["sector"], categories.sector)
    region = _codes(population["region"], categories.region)
    role = _codes(population["role"], categories.role)
    cell = sector * len(categories.region) + region
    sizes, sec_parts, reg_parts, role_parts = [], [], [], []
    for c in np.unique(cell):
        rows = np.flatnonzero(cell == c)
        n = int(counts[rows].sum())
        if n == 0:
            continue
        sizes.append(zipf_sizes(rng, n, p.smallest, p.largest, p.exponent))
        roles = np.repeat(role[rows], counts[rows])
        role_parts.append(rng.permutation(roles))
        sec_parts.append(np.full(n, sector[rows[0]]))
        reg_parts.append(np.full(n, region[rows[0]]))
    size = np.concatenate(sizes)
    org_start = np.concatenate([[0], np.cumsum(size)]).astype(np.int64)
    org = np.repeat(np.arange(len(size), dtype=np.int64), size)
    return Structure(np.concatenate(sec_parts).astype(np.int8),
                     np.concatenate(reg_parts).astype(np.int8),
                     np.concatenate(role_parts).astype(np.int8), org, org_start)


def sample_organisations(structure: Structure, size: int, rng: np.random.Generator,
                         groups: Sequence[tuple[int, int, int]] = ()) -> Structure:
    """About ``size`` people in whole organisations drawn at random from ``structure``.

    Organisation sizes bound colleague degrees, so a smaller population for fitting keeps the
    full population's organisations (a scaled-down population would split each cell into
    smaller ones). An organisation holding each of ``groups`` (sector, region, role) is taken
    first, so every respondent has someone like them to stand in for.
    """
    sizes = np.diff(structure.org_start)
    if size >= structure.n:
        return structure
    chosen: list[int] = []
    for sector, region, role in groups:
        people = np.flatnonzero((structure.sector == sector) & (structure.region == region)
                                & (structure.role == role))
        if len(people):
            chosen.append(int(structure.org[people[rng.integers(len(people))]]))
    order = np.concatenate([np.unique(chosen).astype(np.int64),
                            np.setdiff1d(rng.permutation(len(sizes)), chosen)])
    last = int(np.searchsorted(np.cumsum(sizes[order]), size)) + 1
    keep = np.sort(order[:max(last, len(set(chosen)))])
    people = np.concatenate([np.arange(structure.org_start[g], structure.org_start[g + 1])
                             for g in keep])
    new_size = sizes[keep]
    return Structure(structure.sector[people], structure.region[people], structure.role[people],
                     np.repeat(np.arange(len(keep), dtype=np.int64), new_size),
                     np.concatenate([[0], np.cumsum(new_size)]).astype(np.int64))


def _codes(values: pd.Series, labels: tuple[str, ...]) -> np.ndarray:
    index = {v: i for i, v in enumerate(labels)}
    return np.array([index[v] for v in values], dtype=np.int64)


def role_activity(role_counts: np.ndarray, role_share: np.ndarray, *, prior: float = 10.0,
                  rng: np.random.Generator | None = None) -> np.ndarray:
    """Each role's activity (mean 1 over the population) from the roles of named contacts.

    Contacts in other organisations are reached in proportion to activity, so a role named in a
    share ``pi_r`` of them while making up ``s_r`` of the workforce has activity ``pi_r / s_r``
    (the friendship paradox as an estimator; ``sum_r s_r pi_r / s_r = 1``). ``pi`` is the
    posterior mean of a Dirichlet with ``prior`` pseudo-contacts spread as the workforce is (so
    a role nobody named keeps activity 1), or a posterior draw when ``rng`` is given.

    Examples
    --------
    >>> role_activity(np.array([30.0, 10.0]), np.array([0.5, 0.5]), prior=0.0).tolist()
    [1.5, 0.5]
    """
    alpha = prior * role_share + role_counts
    pi = alpha / alpha.sum() if rng is None else rng.dirichlet(np.maximum(alpha, 1e-6))
    activity = np.divide(pi, role_share, out=np.ones_like(pi), where=role_share > 0)
    return np.maximum(activity, 0.05)  # a role that never partners would never be reached


@dataclass(frozen=True)
class WorkforceNetwork:
    """A generated network: the people (as the synthetic generator's Population) and each
    undirected tie once (``a < b``) with its kind code into :data:`KINDS`."""

    pop: Population
    a: np.ndarray
    b: np.ndarray
    kind: np.ndarray

    @property
    def n(self) -> int:
        return self.pop.n

    def csr(self) -> tuple[np.ndarray, np.ndarray]:
        """Neighbours of every person: ``indices[indptr[i]:indptr[i + 1]]``."""
        heads = np.concatenate([self.a, self.b])
        tails = np.concatenate([self.b, self.a])
        order = np.argsort(heads)
        indptr = np.concatenate([[0], np.cumsum(np.bincount(heads, minlength=self.n))])
        return indptr.astype(np.int64), tails[order]

    def neighbours_of(self, people: np.ndarray) -> dict[int, np.ndarray]:
        """Each of ``people``'s neighbours in increasing order, without the whole network's
        adjacency (a national network's would be a sort of 60 million entries).

        Examples
        --------
        >>> from alumni_net.synth.population import Population
        >>> z = np.zeros(4, np.int64)
        >>> pop = Population(z, z, z, z, np.array([0, 4]), np.ones(4))
        >>> net = WorkforceNetwork(pop, np.array([0, 0, 1]), np.array([1, 3, 2]),
        ...                        np.zeros(3, np.int8))
        >>> {k: v.tolist() for k, v in net.neighbours_of(np.array([0, 2])).items()}
        {0: [1, 3], 2: [1]}
        """
        people = np.unique(np.asarray(people, np.int64))
        wanted = np.zeros(self.n, bool)
        wanted[people] = True
        heads = np.concatenate([self.a, self.b])
        tails = np.concatenate([self.b, self.a])
        mine = wanted[heads]
        heads, tails = heads[mine], tails[mine]
        order = np.lexsort((tails, heads))
        heads, tails = heads[order], tails[order]
        bounds = np.searchsorted(heads, people, side="right")
        return dict(zip(people.tolist(), np.split(tails, bounds[:-1]), strict=True))

    def keys(self) -> np.ndarray:
        """Sorted ``a * n + b``: membership of a pair by binary search (ties are kept sorted
        by this key when the network is made, so no sort is needed here)."""
        return self.a * np.int64(self.n) + self.b


def generate(structure: Structure, params: WorkforceParams, activity_by_role: np.ndarray,
             rng: np.random.Generator, *, targets: tuple[np.ndarray, np.ndarray] | None = None,
             own_org: tuple[np.ndarray, np.ndarray] | None = None,
             keep_pools: bool = True) -> WorkforceNetwork:
    """One network from the model: colleagues, partnerships and long-range ties.

    ``targets`` = (people, degrees) gives those people (the alumni, or the respondents' stand-ins)
    an activity that makes their expected partnership degree the degree given (so they draw
    partners as people of that degree do), then brings their distinct contacts across
    organisations to exactly that degree: their position in the network is what they reported,
    not drawn from the model. ``own_org`` = (people, degrees) gives those people as many
    colleagues as given (ties to members of their organisation added, or some of theirs
    removed): the ring of ``colleague_k`` describes the workforce, an alum's own count describes
    the alum. ``keep_pools``: keep who is drawn by activity between rounds of redrawing (faster
    for the fit's small networks; the network is the same either way).
    """
    activity = rng.lognormal(0.0, params.activity_sigma, structure.n)
    activity *= activity_by_role[structure.role]
    activity /= activity.mean()
    if targets is not None:
        people, degree = targets
        activity[people] = np.asarray(degree, float) / max(params.partnership_mean, 1e-9)
    pop = Population(structure.sector, structure.region, structure.role, structure.org,
                     structure.org_start, activity)
    p = params.synth()
    # Who is drawn by activity, kept for every round of redrawing partners (a fifth of a fit
    # simulation was recomputing it). Not for a full-size network (``keep_pools=False``):
    # kept there it raised a drawing process's peak by 3-10% (freed memory is kept, and its
    # holes are not reused by the larger arrays after it) and saved no measurable time.
    pools = _activity_pools(pop) if keep_pools else None
    colleagues = colleague_ties(pop, p, rng)
    parts = [colleagues, _partnerships(pop, colleagues, p, params, rng, pools),
             long_range_ties(pop, p, rng)]
    a = np.concatenate([x for x, _ in parts])
    b = np.concatenate([y for _, y in parts])
    kind = np.concatenate([np.full(len(x), k, np.int8) for k, (x, _) in enumerate(parts)])
    if targets is not None:
        a, b, kind = _set_partners(pop, a, b, kind, *targets, params, rng, pools=pools)
    del pools
    if own_org is not None:
        a, b, kind = _set_colleagues(pop, a, b, kind, *own_org, rng)
    return _network(pop, a, b, kind)


def _partnerships(pop: Population, colleagues, p: SynthParams, params: WorkforceParams, rng,
                  pools: dict | None = None):
    """The generator's partnerships (:func:`~alumni_net.synth.network.partnership_ties`), with
    a partner drawn from one's own organisation drawn again from the others rather than
    dropped.

    Dropping them makes the degree depend on the size of the network: the fit simulates a
    sample of whole organisations, in which one's own organisation is a larger share of the
    region than in the full population, so more partners were dropped while fitting than
    when drawing at full size (at 2,000 of the synthetic programme's 5,000 people a person
    had 12% fewer partners for the same parameters), and the fit asked for too many. Drawn
    again, a partnership is one with someone of another organisation at any size.
    """
    whole = Population(pop.sector, pop.region, pop.role, np.arange(pop.n, dtype=np.int64),
                       np.arange(pop.n + 1, dtype=np.int64), pop.activity)
    a, b = partnership_ties(whole, colleagues, p, rng)  # nobody shares an organisation here
    a, b = a[a != b], b[a != b]
    again = np.flatnonzero(pop.org[a] == pop.org[b])
    for _ in range(12):
        if not len(again):
            break
        src = a[again]
        local = rng.random(len(src)) < params.partnership_within_region
        b[again] = np.where(local, _by_activity(pop, pop.region[src], rng, pools, local),
                            _by_activity(pop, np.full(len(src), -1), rng, pools, ~local))
        again = again[pop.org[a[again]] == pop.org[b[again]]]
    keep = pop.org[a] != pop.org[b]
    return a[keep], b[keep]


def _set_colleagues(pop: Population, a, b, kind, people, degree, rng):
    """Ties inside the organisation brought to ``degree`` for each of ``people`` (see
    :func:`_set_degree`): new ones to members of the organisation they do not know yet."""
    def colleague(src):
        org = pop.org[src]
        return pop.org_start[org] + np.floor(rng.random(len(src)) * pop.org_size[org]).astype(
            np.int64)

    want = np.minimum(np.round(np.asarray(degree, float)).astype(np.int64),
                      pop.org_size[pop.org[np.asarray(people, np.int64)]] - 1)
    return _set_degree(pop, a, b, kind, people, want, True, colleague, 0, rng)


def _set_degree(pop: Population, a, b, kind, people, want, inside: bool, draw, new_kind: int,
                rng, release=None):
    """Ties inside the organisation (``inside``) or across organisations brought to ``want``
    for each of ``people``: the shortfall as new ties to people drawn by ``draw`` (see
    :func:`_new_contacts`), the surplus removed at random. Both ways, so that recall error in
    the counts does not only add. Only distinct contacts who are not among ``people`` count
    (and are added or removed): the count a respondent gives is of people outside the
    programme (ties between alumni are embedded as reported), and a pair drawn twice is one
    contact, not two. ``release``, if given, is called once the new contacts are drawn (to
    free what ``draw`` keeps)."""
    people = np.asarray(people, np.int64)
    want = np.asarray(want, np.int64)
    target = np.zeros(pop.n, bool)
    target[people] = True
    # Only ties touching one of ``people`` are counted or removed: the rest (nearly all of a
    # national network's tens of millions) are kept as they are, untouched by any sort.
    near = np.flatnonzero(target[a] | target[b])
    sa, sb = a[near], b[near]
    key = np.minimum(sa, sb) * np.int64(pop.n) + np.maximum(sa, sb)
    side = ((pop.org[sa] == pop.org[sb]) == inside) & (sa != sb)
    _, first = np.unique(key, return_index=True)
    single = np.zeros(len(near), bool)
    single[first] = True
    # a tie counts for the end that is one of ``people`` when the other end is not
    end = np.where(target[sa] & ~target[sb], sa, np.where(target[sb] & ~target[sa], sb, -1))
    side &= single & (end >= 0)  # each pair once, ties between two of ``people`` not at all
    have = np.bincount(end[side], minlength=pop.n)[people]
    surplus = np.zeros(pop.n, np.int64)
    surplus[people] = np.maximum(have - want, 0)
    cand = np.flatnonzero(side & (surplus[np.maximum(end, 0)] > 0))
    order = cand[np.lexsort((rng.random(len(cand)), end[cand]))]
    owner = end[order]
    starts = np.searchsorted(owner, owner, side="left")
    drop = order[np.arange(len(order)) - starts < surplus[owner]]
    keep = np.ones(len(a), bool)
    keep[near[np.isin(key, key[drop])]] = False  # every copy of a removed pair
    new_a, new_b = _new_contacts(pop.n, people, np.maximum(want - have, 0), key, target, draw,
                                 rng)
    if release is not None:  # the draw's caches, freed before every tie is copied (the peak)
        release()
    return (np.concatenate([a[keep], new_a]), np.concatenate([b[keep], new_b]),
            np.concatenate([kind[keep], np.full(len(new_a), new_kind, np.int8)]))


def _new_contacts(n: int, people: np.ndarray, short: np.ndarray, present: np.ndarray,
                  target: np.ndarray, draw, rng, rounds: int = 64, patience: int = 8):
    """Up to ``short[i]`` new contacts of ``people[i]``, each a different person they are not
    tied to yet (``present``: keys ``min * n + max`` of the pairs already there) and not one of
    ``people`` (``target``): candidates come from ``draw(sources)``, and those that would
    repeat a pair are drawn again, round after round (a person who wants more contacts than
    their pool holds keeps the shortfall: ``patience`` rounds in a row that add nobody, or
    ``rounds`` in all, end it). Drawing with repeats, as a plain draw does, would give fewer
    distinct contacts than asked for, the more so the smaller the pool."""
    # The pairs there at the start, and those added since, in two sorted arrays: merging the
    # few added each round into the many there (a sort of both, every round) was most of the
    # fit's simulation time.
    taken = np.unique(present)
    added = np.zeros(0, np.int64)
    short = np.asarray(short, np.int64).copy()
    out_a, out_b = [], []
    idle = 0
    for _ in range(rounds):
        pos = np.repeat(np.arange(len(people)), short)
        if not len(pos) or idle >= patience:
            break
        src = people[pos]
        dst = draw(src)
        key = np.minimum(src, dst) * np.int64(n) + np.maximum(src, dst)
        known = _member(taken, key) | _member(added, key)
        ok = np.flatnonzero((dst != src) & ~target[dst] & ~known)
        _, first = np.unique(key[ok], return_index=True)
        ok = ok[first]
        out_a.append(src[ok])
        out_b.append(dst[ok])
        new = key[ok]  # sorted and distinct (np.unique), and none of them there yet
        added = np.insert(added, np.searchsorted(added, new), new)
        short -= np.bincount(pos[ok], minlength=len(people))
        idle = 0 if len(ok) else idle + 1
    if not out_a:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    return np.concatenate(out_a), np.concatenate(out_b)


def _member(sorted_keys: np.ndarray, key: np.ndarray) -> np.ndarray:
    """Whether each of ``key`` is in ``sorted_keys`` (sorted, distinct), by binary search."""
    if not len(sorted_keys):
        return np.zeros(len(key), bool)
    at = np.minimum(np.searchsorted(sorted_keys, key), len(sorted_keys) - 1)
    return sorted_keys[at] == key


def _network(pop: Population, a, b, kind) -> WorkforceNetwork:
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    keep = lo != hi
    key = lo[keep] * np.int64(pop.n) + hi[keep]
    # One tie per pair: the first kind wins (a colleague who is also a partner is a colleague).
    # One sort of pair and kind together (kinds are < 4), the values themselves rather than
    # an argsort and two gathers (equal values are the same tie, so their order is no matter),
    # bucketed by the pair's first person.
    combined = network.sort_keys(key * 4 + kind[keep], 4 * pop.n, pop.n)
    key, kind = combined >> 2, (combined & 3).astype(np.int8)
    first = np.concatenate([[True], key[1:] != key[:-1]]) if len(key) else np.zeros(0, bool)
    return WorkforceNetwork(pop, key[first] // pop.n, key[first] % pop.n, kind[first])


def _set_partners(pop: Population, a, b, kind, people, degree, params: WorkforceParams, rng,
                  *, pools: dict | None = None):
    """Ties across organisations brought to ``degree`` for each of ``people`` (see
    :func:`_set_degree`). Triadic closure hands a share of partnerships to partners' colleagues
    whatever their activity, and a pair drawn twice is one partner, so a person's distinct
    partners follow their activity only roughly; new partners are chosen as partnerships
    choose them (by activity, within the region with the fitted probability)."""

    def partner(src):
        local = rng.random(len(src)) < params.partnership_within_region
        dst = np.where(local, _by_activity(pop, pop.region[src], rng, pools, local),
                       _by_activity(pop, np.full(len(src), -1), rng, pools, ~local))
        return np.where(pop.org[dst] != pop.org[src], dst, src)  # own organisation: again

    people = np.asarray(people, np.int64)
    # nobody has more partners than there are people outside their organisation
    want = np.minimum(np.round(np.asarray(degree, float)),
                      pop.n - pop.org_size[pop.org[people]]).astype(np.int64)
    return _set_degree(pop, a, b, kind, people, want, False, partner, 1, rng,
                       release=None if pools is None else pools.clear)


def _activity_pools(pop: Population) -> dict:
    """For :func:`_by_activity`: each region's people (None for anywhere: everyone), their
    running total of activity and its guide table."""
    pools: dict = {}
    for r in (*np.unique(pop.region).tolist(), -1):
        where = None if r < 0 else np.flatnonzero(pop.region == r)
        cum = np.cumsum(pop.activity if where is None else pop.activity[where])
        pools[r] = (where, cum, network.guide_table(cum))
    return pools


def _by_activity(pop: Population, region: np.ndarray, rng, pools: dict | None = None,
                 used: np.ndarray | None = None) -> np.ndarray:
    """For each entry, a person drawn in proportion to activity (in ``region``; -1 = anywhere).

    ``pools`` keeps each region's people and running total of activity between calls on the
    same ``pop`` (redrawing partners calls this round after round, and a national network's
    running total is of millions). Only the entries ``used`` (default: all) are looked up; the
    others are -1, though their uniforms are drawn alike, so the draws do not depend
    on which entries are used (the callers choose between two draws per entry)."""
    pools = {} if pools is None else pools
    out = np.full(len(region), -1, np.int64)
    if not len(region):
        return out
    # the entries of each region in increasing order, as ``flatnonzero(region == r)`` gives
    # them, from one stable sort instead of a scan of every entry per region
    by_region = np.argsort(region, kind="stable")
    regions, starts = np.unique(region[by_region], return_index=True)
    for r, rows in zip(regions, np.split(by_region, starts[1:]), strict=True):
        if r not in pools:  # anywhere: person i is entry i (no array of everyone's index)
            where = None if r < 0 else np.flatnonzero(pop.region == r)
            cum = np.cumsum(pop.activity if where is None else pop.activity[where])
            pools[r] = (where, cum, network.guide_table(cum))
        pool, cum, guide = pools[r]
        u = rng.random(len(rows)) * cum[-1]
        if used is not None:
            wanted = used[rows]
            rows, u = rows[wanted], u[wanted]
        pick = np.minimum(network.search_right(cum, u, guide), len(cum) - 1)
        out[rows] = pick if pool is None else pool[pick]
    return out
