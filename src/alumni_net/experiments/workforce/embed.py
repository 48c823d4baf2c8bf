"""The real alumni in a generated network: their positions, the contacts they reported and the
programme's ties.

Every alum is placed on a person of their sector, region and role. The network is generated with
each alum's degrees across organisations and inside their own fixed (a respondent's own reports;
a non-respondent's drawn as :mod:`.nonresponse` assumes), so alumni sit where they said they
sit. Then each respondent's named contacts become people of the described sector, region and
role (an existing contact when one fits, else a new tie to someone who fits), with the ties
between them that the respondent reported; contacts met through the programme, and the unnamed
rest of them, become ``post_course_contact`` ties; the roster's cohort and set ties and the
reported ties between alumni are added, and ties between two non-respondents are imputed at the
respondents' rate.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from alumni_net.experiments.workforce.model import KINDS, Structure, WorkforceNetwork
from alumni_net.experiments.workforce.nonresponse import impute
from alumni_net.experiments.workforce.sample import EgoSample, codes
from alumni_net.experiments.workforce.statistics import workforce_other
from alumni_net.survey import Categories, EgoData
from alumni_net.survey.importer import COURSE_MONTHS

__all__ = ["Alumni", "Embedding", "alumni_of", "embed", "lognormal_predictive", "place_alumni"]

_TRAINING = ("cohort", "action_learning_set")


@dataclass(frozen=True)
class Alumni:
    """Every alum as arrays (roster order): group codes, whether they answered, and the index of
    their row in the sample's egos (-1 for non-respondents)."""

    ids: np.ndarray
    sector: np.ndarray
    region: np.ndarray
    role: np.ndarray
    cohort: np.ndarray  # object labels
    ego: np.ndarray
    people: pd.DataFrame

    @property
    def respondent(self) -> np.ndarray:
        return self.ego >= 0


def alumni_of(ego: EgoData, categories: Categories, rng: np.random.Generator) -> Alumni:
    """The roster's alumni with their groups (a missing sector, region or role is drawn from the
    respondents of the same cohort, else from all respondents)."""
    people = ego.people.reset_index(drop=True)
    answers = ego.egos.set_index("ego_id")
    groups = {}
    for col in ("sector", "region", "role"):
        value = people["person_id"].map(answers[col]) if len(answers) else people[col]
        value = value.where(value.notna(), people[col])
        groups[col] = codes(value, categories.of(col))
    position = {e: i for i, e in enumerate(ego.egos["ego_id"])}
    ego_index = people["person_id"].map(position).fillna(-1).to_numpy(np.int64)
    for code in groups.values():
        missing = np.flatnonzero(code < 0)
        known = code[(code >= 0) & (ego_index >= 0)]
        if len(missing) and len(known):
            code[missing] = rng.choice(known, size=len(missing))
    return Alumni(people["person_id"].astype(str).to_numpy(object), groups["sector"],
                  groups["region"], groups["role"], people["cohort"].astype(str).to_numpy(object),
                  ego_index, people)


def place_alumni(structure: Structure, alumni: Alumni, rng: np.random.Generator,
                 colleagues: np.ndarray | None = None) -> np.ndarray:
    """A different person of each alum's group (relaxing role, then region, when it is full).

    With ``colleagues`` (each alum's count of people they know in their own organisation), an
    alum is placed in an organisation that has room for them: one of more than that many
    people when their group has one (a person cannot know 12 colleagues in an organisation of
    5, and placing them there would cut the count they gave to 4)."""
    members = structure.group_members()
    sizes = np.diff(structure.org_start)[structure.org]
    used = np.zeros(structure.n, bool)
    hosts = np.empty(len(alumni.ids), np.int64)
    need = (np.zeros(len(alumni.ids)) if colleagues is None else
            np.round(np.nan_to_num(np.asarray(colleagues, float))))
    pools: dict = {}
    for i in rng.permutation(len(alumni.ids)):
        group = (int(alumni.sector[i]), int(alumni.region[i]), int(alumni.role[i]))
        hosts[i] = _free(members, group, used, rng, sizes, need[i], pools)
        used[hosts[i]] = True
    return hosts


def _free(members, group, used, rng, sizes, need, pools) -> int:
    """A person of ``group`` not ``used`` (relaxing role, then region, then sector), in an
    organisation of more than ``need`` people when there is one. ``pools`` keeps each relaxed
    group's people between alumni, and organisation sizes are compared for the group's free
    people only: for every alum, over the whole population, that was a sixth of a national
    network's draw."""
    s, r, o = group
    for want in ((s, r, o), (s, r, -1), (s, -1, -1), (-1, -1, -1)):
        if want not in pools:
            pool = [m for k, m in members.items()
                    if all(w < 0 or w == v for w, v in zip(want, k, strict=True))]
            pools[want] = np.concatenate(pool) if pool else None
        joined = pools[want]
        if joined is None:
            continue
        free = joined[~used[joined]]
        roomy = free[sizes[free] > need]
        if len(roomy) or len(free):
            pick = roomy if len(roomy) else free
            return int(pick[rng.integers(len(pick))])
    raise ValueError("more alumni than people in the population")


def alumni_degrees(sample: EgoSample, alumni: Alumni, assumption: str,
                   rng: np.random.Generator, noise: float = 0.0, *,
                   within: bool = False) -> np.ndarray:
    """Each alum's degree across organisations (``within``: inside their own organisation): a
    respondent's report (with its recall error ``noise``, the SD of the log error, drawn afresh
    for each network: the report is not the truth), or imputed for a non-respondent: under
    ``missing_at_random`` from the posterior predictive of a log-normal model of every
    respondent's count (:func:`lognormal_predictive`), under ``best_connected`` from the upper
    quartile of the respondents of their sector when at least three share it, else of all
    (:func:`.nonresponse.impute`)."""
    reported = sample.own.astype(float) if within else workforce_other(sample)
    if noise > 0:
        reported = reported * np.exp(noise * rng.standard_normal(len(reported)) - noise**2 / 2)
    fill = np.nanmedian(reported) if np.isfinite(reported).any() else 0.0
    out = np.where(alumni.respondent, reported[np.maximum(alumni.ego, 0)], np.nan)
    out[alumni.respondent & np.isnan(out)] = fill
    if assumption == "missing_at_random":
        # One log-normal for every non-respondent, fitted to every respondent (weighted, so
        # they stand for the alumni of every sector): a sector's three respondents cannot
        # locate its counts, and its own fit gave a non-respondent 4e13 contacts.
        todo = np.flatnonzero(~alumni.respondent)
        out[todo] = lognormal_predictive(reported, sample.weight, len(todo), rng)
        return np.nan_to_num(out, nan=fill)
    for sector in np.unique(alumni.sector[~alumni.respondent]):
        todo = np.flatnonzero(~alumni.respondent & (alumni.sector == sector))
        same = sample.sector == sector
        pool = same if same.sum() >= 3 else np.ones(sample.n_egos, bool)
        out[todo] = impute(reported[pool], sample.weight[pool], len(todo), assumption, rng)
    return np.nan_to_num(out, nan=fill)


def lognormal_predictive(values: np.ndarray, weights: np.ndarray, n: int,
                         rng: np.random.Generator) -> np.ndarray:
    """``n`` counts drawn from the posterior predictive of a normal model of ``log(1 + count)``
    fitted to the respondents' ``values`` (weighted; the reference prior, so the mean and
    variance are drawn from their posterior first: Gelman et al. 2013, section 3.2).

    Counts of contacts are heavy-tailed, and a few alumni can hold much of the alumni's
    contacts (on the Brazilian farmers, 2 of 24 hold 40%). Resampling the respondents (the
    approximate Bayesian bootstrap) can never give a non-respondent more contacts than the best
    connected respondent: with 7 to 17 respondents, whether the few best connected answered
    decided the estimate, and its interval was too narrow (coverage 0.76 of a 90% interval of
    the alumni's reach within 1). The predictive extends past the largest report as far as
    the respondents' spread, and the uncertainty of that spread with few of them, allow. With
    fewer than two respondents (or none known) it falls back to
    :func:`.nonresponse.impute`.

    References
    ----------
    Gelman, A., Carlin, J. B., Stern, H. S., Dunson, D. B., Vehtari, A., & Rubin, D. B. (2013).
    Bayesian Data Analysis (3rd ed., section 3.2). CRC Press.

    Examples
    --------
    >>> draws = lognormal_predictive(np.array([2.0, 4.0, 9.0, 30.0]), np.ones(4), 2_000,
    ...                              np.random.default_rng(0))
    >>> bool(draws.min() >= 0), bool(draws.max() > 30)
    (True, True)
    """
    keep = ~np.isnan(values) & (weights > 0)
    if n == 0 or keep.sum() < 2:
        return impute(values, weights, n, "missing_at_random", rng)
    y, w = np.log1p(np.maximum(values[keep], 0.0)), weights[keep] / weights[keep].sum()
    n_eff = 1.0 / float(np.sum(w**2))  # Kish's effective number of respondents
    mean = float(np.sum(w * y))
    var = float(np.sum(w * (y - mean) ** 2)) * n_eff / max(n_eff - 1.0, 1e-9)
    df = max(n_eff - 1.0, 1.0)
    sigma2 = df * var / rng.chisquare(df)
    mu = rng.normal(mean, np.sqrt(sigma2 / n_eff))
    return np.maximum(np.expm1(rng.normal(mu, np.sqrt(sigma2), n)), 0.0)


@dataclass
class Embedding:
    """Ties added to a generated network (person indices, kind names and dates) and ties of
    the network removed (as keys ``min * n + max``)."""

    a: list
    b: list
    kind: list
    since: list
    removed: list = field(default_factory=list)

    def add(self, a: int, b: int, kind: str, since: pd.Timestamp = pd.NaT) -> None:
        self.a.append(a)
        self.b.append(b)
        self.kind.append(kind)
        self.since.append(since)


def embed(net: WorkforceNetwork, hosts: np.ndarray, alumni: Alumni, ego: EgoData,
          sample: EgoSample, assumption: str, rng: np.random.Generator) -> Embedding:
    """Reported contacts, programme contacts and alumni ties, as ties to add to ``net``."""
    out = Embedding([], [], [], [])
    neighbours = net.neighbours_of(hosts)
    present = _Present(net.keys())
    taken = np.zeros(net.n, bool)
    taken[hosts] = True
    graduation = _graduation(alumni)
    members = _Pools(net.pop)
    reported_programme = _reported_contacts(net, hosts, alumni, ego, sample, neighbours,
                                            present, taken, members, graduation, out, rng)
    _programme_contacts(net, hosts, alumni, sample, reported_programme, taken, graduation,
                        assumption, out, rng)
    _alumni_ties(hosts, alumni, ego, sample, assumption, graduation, out, rng)
    return out


class _Present:
    """The pairs (``min * n + max``) of the network as it is being changed: its sorted keys,
    searched, plus the few pairs added and removed (a set of tens of millions of Python integers
    would take gigabytes and most of a minute at national size)."""

    def __init__(self, keys: np.ndarray):
        self.keys = keys
        self.added: set[int] = set()
        self.removed: set[int] = set()

    def _in_network(self, key: int) -> bool:
        i = int(np.searchsorted(self.keys, key))
        return i < len(self.keys) and int(self.keys[i]) == key

    def __contains__(self, key: int) -> bool:
        return key in self.added or (key not in self.removed and self._in_network(key))

    def add(self, key: int) -> None:
        self.removed.discard(key)
        if not self._in_network(key):
            self.added.add(key)

    def discard(self, key: int) -> None:
        self.added.discard(key)
        if self._in_network(key):
            self.removed.add(key)


class _Pools:
    """People of a (sector, region, role) pattern (-1 = any), cached."""

    def __init__(self, pop):
        self.pop = pop
        self.cache: dict[tuple, np.ndarray] = {}

    def __call__(self, sector: int, region: int, role: int) -> np.ndarray:
        key = (sector, region, role)
        if key not in self.cache:
            keep = np.ones(self.pop.n, bool)
            for want, have in zip(key, (self.pop.sector, self.pop.region, self.pop.role),
                                  strict=True):
                if want >= 0:
                    keep &= have == want
            self.cache[key] = np.flatnonzero(keep)
        return self.cache[key]


def _graduation(alumni: Alumni) -> np.ndarray:
    start = pd.to_datetime(alumni.people["cohort_start"])
    return (start + pd.DateOffset(months=COURSE_MONTHS)).to_numpy()


def _link(a, b, kind, since, present, n, out: Embedding) -> None:
    key = min(a, b) * n + max(a, b)
    if a != b and key not in present:
        present.add(key)
        out.add(a, b, kind, since)


def _reported_contacts(net, hosts, alumni, ego, sample, neighbours, present, taken,
                       members, graduation, out, rng) -> np.ndarray:
    """Map each named contact to a person; returns programme contacts named per alum."""
    pop, n = net.pop, net.n
    by_ego = {}
    for i in np.flatnonzero(alumni.respondent):
        by_ego[int(alumni.ego[i])] = i
    node_of_alter: dict[str, int] = {}
    alter_ids = ego.alters.loc[ego.alters["ego_id"].isin(set(ego.egos["ego_id"])),
                               "alter_id"].astype(str).to_numpy()
    named_programme = np.zeros(len(alumni.ids), np.int64)
    # Two alumni may name the same person (the survey cannot tell), so only the same alum is
    # kept from naming a person twice: ``owner`` marks whom the current alum has named (alters
    # are taken ego by ego). Keeping each named contact away from every other alum would push
    # the alumni's neighbourhoods apart and overstate their union reach.
    owner = np.full(n, -1, np.int64)
    for m in np.argsort(sample.alter_ego, kind="stable"):
        alum = by_ego[int(sample.alter_ego[m])]
        h = int(hosts[alum])
        want = (int(sample.alter_sector[m]), int(sample.alter_region[m]),
                int(sample.alter_role[m]))
        def free_of(x, alum=alum):  # neither an alum nor named by this alum already
            return ~taken[x] & (owner[x] != alum)

        def new_to_h(x, h=h, alum=alum):  # and not yet a contact of the alum: a new tie
            return free_of(x, alum) & ~np.isin(x, neighbours[h])

        if sample.programme[m]:
            node = _anyone(members(*want), free_of, rng)
            kind, since = "post_course_contact", graduation[alum]
            named_programme[alum] += 1
        else:
            nb = neighbours[h]
            same = pop.org[nb] == pop.org[h]
            inside = sample.same_org[m] == 1
            side = same if inside else ~same
            near = nb[side & free_of(nb) & _fits(pop, nb, want)]
            if len(near):
                node = int(near[rng.integers(len(near))])
            else:
                if inside:
                    org = np.arange(pop.org_start[pop.org[h]], pop.org_start[pop.org[h] + 1])
                    node = _anyone(org[_fits(pop, org, (-1, -1, want[2]))], new_to_h, rng,
                                   fallback=org)
                else:
                    pool = members(*want)
                    node = _anyone(pool[pop.org[pool] != pop.org[h]], new_to_h, rng,
                                   fallback=pool)
                # The named contact replaces one the model gave (on the same side of the
                # organisation's boundary), so the alum keeps the degree they reported.
                _drop_one(h, nb[side & free_of(nb)], present, n, out, rng)
            kind = KINDS[0] if pop.org[node] == pop.org[h] else KINDS[1]
            since = pd.NaT
        if node < 0:
            continue
        owner[node] = alum
        node_of_alter[alter_ids[m]] = node
        _link(h, node, kind, since, present, n, out)
    for s, t in zip(ego.alter_ties["source"].astype(str), ego.alter_ties["target"].astype(str),
                    strict=True):
        if s in node_of_alter and t in node_of_alter:
            a, b = node_of_alter[s], node_of_alter[t]
            kind = KINDS[0] if pop.org[a] == pop.org[b] else KINDS[1]
            _link(a, b, kind, pd.NaT, present, n, out)
    return named_programme


def _drop_one(h: int, candidates: np.ndarray, present: _Present, n: int, out: Embedding,
              rng) -> None:
    """Remove the tie between ``h`` and one of ``candidates`` (a tie the model drew)."""
    candidates = np.array([c for c in candidates
                           if (min(h, c) * n + max(h, c)) in present], dtype=np.int64)
    if len(candidates):
        c = int(candidates[rng.integers(len(candidates))])
        key = min(h, c) * n + max(h, c)
        present.discard(key)
        out.removed.append(key)


def _fits(pop, nodes: np.ndarray, want) -> np.ndarray:
    ok = np.ones(len(nodes), bool)
    for w, have in zip(want, (pop.sector, pop.region, pop.role), strict=True):
        if w >= 0:
            ok &= have[nodes] == w
    return ok


def _anyone(pool: np.ndarray, free_of, rng, fallback=None) -> int:
    """Someone of ``pool`` that ``free_of`` allows (else of ``fallback``), -1 if nobody."""
    free = pool[free_of(pool)] if len(pool) else pool
    if not len(free) and fallback is not None and len(fallback):
        free = fallback[free_of(fallback)]
    return int(free[rng.integers(len(free))]) if len(free) else -1


def _programme_contacts(net, hosts, alumni, sample, named, taken, graduation, assumption,
                        out, rng) -> None:
    """Unnamed contacts met through the programme: a respondent's count in other organisations
    times the share of their named contacts met so, less those named; imputed for the rest.
    They go to people chosen in proportion to activity (the partners one meets on visits)."""
    other_named = sample.same_org == 0
    n_other = np.bincount(sample.alter_ego[other_named], minlength=sample.n_egos)
    n_prog = np.bincount(sample.alter_ego[other_named & sample.programme],
                         minlength=sample.n_egos)
    share = np.divide(n_prog, n_other, out=np.zeros(sample.n_egos), where=n_other > 0)
    total = np.nan_to_num(sample.other * share)
    count = np.zeros(len(hosts))
    resp = alumni.respondent
    count[resp] = total[alumni.ego[resp]]
    count[~resp] = impute(total, sample.weight, int((~resp).sum()), assumption, rng)
    extra = np.maximum(np.round(count) - named, 0).astype(np.int64)
    src = np.repeat(np.arange(len(hosts)), extra)
    cum = np.cumsum(np.where(taken, 0.0, net.pop.activity))
    if not len(src) or cum[-1] <= 0:
        return
    dst = np.searchsorted(cum, rng.random(len(src)) * cum[-1], side="right")
    for i, d in zip(src, np.minimum(dst, net.n - 1), strict=True):
        out.add(int(hosts[i]), int(d), "post_course_contact", graduation[i])


def _alumni_ties(hosts, alumni, ego, sample, assumption, graduation, out, rng) -> None:
    """Reported ties between alumni (and the roster's cohort and set ties), plus ties imputed
    between two non-respondents of different cohorts at the rate respondents reported them."""
    index = {pid: i for i, pid in enumerate(alumni.ids)}
    ties = ego.ties[ego.ties["source"].isin(index) & ego.ties["target"].isin(index)]
    since = pd.to_datetime(ties["since"]).to_numpy()
    for s, t, kind, when in zip(ties["source"], ties["target"], ties["kind"], since,
                                strict=True):
        out.add(int(hosts[index[s]]), int(hosts[index[t]]), str(kind), when)
    rates = _reported_rates(alumni, ties)
    resp = np.flatnonzero(alumni.respondent)
    silent = np.flatnonzero(~alumni.respondent)
    if len(silent) < 2 or not len(resp):
        return
    w = sample.weight[alumni.ego[resp]]
    p = float(impute(rates[resp], w, 1, assumption, rng)[0]) if assumption != \
        "missing_at_random" else float(np.average(rates[resp], weights=w))
    a, b = np.triu_indices(len(silent), 1)
    a, b = silent[a], silent[b]
    cross = alumni.cohort[a] != alumni.cohort[b]
    hit = cross & (rng.random(len(a)) < p)
    for x, y in zip(a[hit], b[hit], strict=True):
        when = max(graduation[x], graduation[y]) if not (pd.isna(graduation[x]) or
                                                          pd.isna(graduation[y])) else pd.NaT
        out.add(int(hosts[x]), int(hosts[y]), "post_course_contact", when)


def _reported_rates(alumni: Alumni, ties: pd.DataFrame) -> np.ndarray:
    """Each alum's reported ties to alumni of other cohorts, per alum of another cohort."""
    reported = ties[ties["kind"] == "post_course_contact"]
    index = {pid: i for i, pid in enumerate(alumni.ids)}
    deg = np.zeros(len(alumni.ids))
    for s, t in zip(reported["source"], reported["target"], strict=True):
        i, j = index[s], index[t]
        if alumni.cohort[i] != alumni.cohort[j]:
            deg[i] += 1
            deg[j] += 1
    _, inverse, size = np.unique(alumni.cohort, return_inverse=True, return_counts=True)
    others = len(alumni.ids) - size[inverse]
    return np.divide(deg, others, out=np.zeros(len(deg)), where=others > 0)
