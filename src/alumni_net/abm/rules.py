"""The contagion model's rules, defined once.

Everything that says *what* happens in a month lives here; the engines say only *how* they
make it happen:

- the states a person can be in and the routes by which they take the practice up;
- the purposes (streams) of random draws and the keyed uniform they are drawn from;
- the probability of each monthly event: transmission along an arc, lapsing, the
  action-learning-set multiplier, background adoption, heterogeneous thresholds and the
  complex-contagion gate.

Three places apply these rules and import them from here: the reference engine
(:mod:`~alumni_net.abm.agents`: one Mesa agent at a time, a coin from ``model.random`` for every
event in every month, the definitional process), the fast engine (:mod:`~alumni_net.abm.fast`:
event-driven draws from keyed uniforms, exact in distribution) and the influence-recruitment
sampler (:mod:`alumni_net.experiments.recruitment`: live-edge samples).

One month, for each person, from the states at the start of the month (synchronous updates):

- a practising person lapses with :func:`lapse_probability`; they still pass the practice on in
  the month they lapse;
- a practising person passes the practice along each active out-arc with
  :func:`transmission_probability` (tie weight, ``beta``, the alum boost from graduation, the
  receiver's :func:`group_multiplier`);
- a person not practising takes it up through *spread* when some transmission reaches them and
  they pass the gate: enough practising contacts under complex contagion
  (:func:`passes_threshold`), and for a lapsed person this month's readoption coin
  (probability ``readoption``, one coin per person and month, shared with background
  adoption); otherwise through *background* adoption (:meth:`BackgroundRates.probability`,
  the same gate for a lapsed person);
- top-up sessions re-engage lapsed invited alumni (``p_reengage``) and the course makes
  graduates practise (``p_course``).

When several routes happen in one month the adoption is recorded under the strongest:
``course`` over ``reengaged`` over ``spread`` over ``background`` (:data:`ROUTE_PRIORITY`, the
order of the codes).

Draws. Every random number of the fast engine and of the sampler is :func:`uniform` of
(replicate key, purpose, item, month): a counter-based hash, so results do not depend on the
order in which anything is processed or on the number of workers, and two runs that make the
same draw (the with- and without-programme arms of one seed, two scenarios of one seed) get
the same number: common random numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, overload

import numpy as np
from numba import njit

from alumni_net.errors import ConfigError

if TYPE_CHECKING:
    from alumni_net.abm.network import ContagionNetwork
    from alumni_net.abm.params import ContagionParams

__all__ = [
    "BACKGROUND",
    "COURSE",
    "LAPSED",
    "NO_ADOPTION",
    "PRACTISING",
    "REENGAGED",
    "ROUTE_PRIORITY",
    "SEED",
    "SPREAD",
    "STATES",
    "STREAMS",
    "S_BACKGROUND",
    "S_COURSE",
    "S_LAPSE",
    "S_READOPT",
    "S_REENGAGE",
    "S_RESPREAD",
    "S_SPREAD",
    "S_THRESHOLD",
    "UNAWARE",
    "VIA",
    "BackgroundRates",
    "background_month",
    "background_rates",
    "exponential",
    "first_success",
    "group_multiplier",
    "hazard",
    "lapse_probability",
    "passes_threshold",
    "person_threshold",
    "sender_boost",
    "transmission_probability",
    "uniform",
    "uniforms",
]

# --- states and routes -----------------------------------------------------------------------

#: State codes and, in code order, their names.
UNAWARE, PRACTISING, LAPSED = 0, 1, 2
STATES = ("unaware", "practising", "lapsed")

#: Route codes ("via") and, in code order, their names; ``NO_ADOPTION`` marks "none this month".
SEED, COURSE, REENGAGED, SPREAD, BACKGROUND = range(5)
VIA = ("seed", "course", "reengaged", "spread", "background")
NO_ADOPTION = -1
#: Routes from strongest to weakest: the one recorded when several happen in one month.
ROUTE_PRIORITY = (SEED, COURSE, REENGAGED, SPREAD, BACKGROUND)

# --- purposes of random draws (streams) ------------------------------------------------------

#: stream -> what it draws, item, month. Numbers 1-7 are kept from earlier releases.
S_COURSE = 1  # whether a graduate practises; person; 0
S_LAPSE = 2  # the spell's lapse threshold; person; month the spell started
S_SPREAD = 3  # the arc's transmission threshold in a spell; arc; month the spell started
S_BACKGROUND = 4  # gaps between background hits; (group << 32) | hit number; month
S_READOPT = 5  # a lapsed person's readoption coin; person; month
S_REENGAGE = 6  # a top-up's re-engagement coin; person; month
S_THRESHOLD = 7  # a person's heterogeneous threshold; person; 0
S_RESPREAD = 8  # the arc's next threshold after a transmission; arc; month of the transmission
STREAMS = {"course": S_COURSE, "lapse": S_LAPSE, "spread": S_SPREAD,
           "background": S_BACKGROUND, "readopt": S_READOPT, "reengage": S_REENGAGE,
           "threshold": S_THRESHOLD, "respread": S_RESPREAD}

# --- the keyed uniform -----------------------------------------------------------------------

_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_S30 = np.uint64(30)
_S27 = np.uint64(27)
_S31 = np.uint64(31)
_S11 = np.uint64(11)
_S12 = np.uint64(12)
_S16 = np.uint64(16)
_TO_UNIT = 1.0 / 9007199254740992.0


@njit(inline="always")
def _mix(z):
    z = (z ^ (z >> _S30)) * _M1
    z = (z ^ (z >> _S27)) * _M2
    return z ^ (z >> _S31)


@njit(inline="always")
def uniform(key, stream, item, month):
    """A uniform number in [0, 1) fixed by (key, stream, item, month): the SplitMix64 output at
    position (item, stream, month) of the sequence seeded by ``key`` (item < 2**48,
    stream < 2**4, month < 2**12).

    Examples
    --------
    >>> u = uniform(np.uint64(7), S_SPREAD, 3, 0)
    >>> 0.0 <= u < 1.0, u == uniform(np.uint64(7), S_SPREAD, 3, 0)
    (True, True)
    """
    counter = (np.uint64(item) << _S16) | (np.uint64(stream) << _S12) | np.uint64(month & 4095)
    return float(np.int64(_mix(key + counter * _GOLDEN) >> _S11)) * _TO_UNIT


@njit(cache=True)
def uniforms(key, stream, n, month):
    """:func:`uniform` for items 0..n-1."""
    out = np.empty(n)
    for i in range(n):
        out[i] = uniform(key, stream, i, month)
    return out


@njit(inline="always")
def exponential(u):
    """The unit exponential with upper tail ``1 - u``: ``-log(1 - u)`` (inverse transform)."""
    return -np.log1p(-u)


@njit(inline="always")
def hazard(p):
    """Monthly hazard of an event of monthly probability ``p``: ``-log(1 - p)`` (inf at 1).

    A unit exponential threshold is first exceeded by the running sum of hazards in month
    ``t`` with probability ``p_t`` given it was not exceeded before: that is how the fast
    engine draws a whole spell's worth of monthly coins at once."""
    if p >= 1.0:
        return np.inf
    return -np.log1p(-p)


@njit(inline="always")
def first_success(u, log_miss, cap):
    """The month (1, 2, ...) of the first success of a monthly coin that misses with
    log-probability ``log_miss`` (``log(1 - p)``), by inverse transform of ``u``; ``cap + 1``
    when that is later than ``cap``. ``P(month > k) = (1 - p) ** k``."""
    if log_miss == -np.inf:
        return 1
    if log_miss >= 0.0:
        return cap + 1
    x = np.log1p(-u) / log_miss
    if x >= cap:
        return cap + 1
    return 1 + int(x)


# --- probabilities of the monthly events -----------------------------------------------------

@njit(inline="always")
def sender_boost(alum_boost, month, graduation_month):
    """Multiplier of a sender's transmissions: ``alum_boost`` from their graduation on."""
    return alum_boost if month >= graduation_month else 1.0


@njit(inline="always", cache=True)
def transmission_probability(beta, weight, boost, group):
    """Monthly probability that a practising sender passes the practice along one arc:
    ``beta x tie weight x sender boost x receiver's group multiplier``, capped at 1. Numbers
    or arrays (of tie weights, say).

    Examples
    --------
    >>> float(transmission_probability(0.25, 0.5, 1.5, 2.0))
    0.375
    >>> transmission_probability(0.5, np.array([0.5, 1.0]), 2.0, 1.5).tolist()
    [0.75, 1.0]
    """
    return np.minimum(1.0, beta * weight * boost * group)


@njit(inline="always")
def lapse_probability(decay, topup_multiplier, group):
    """Monthly probability that a practising person lapses: ``decay`` times the multipliers
    of the top-ups protecting them, divided by their group multiplier."""
    return decay * topup_multiplier / group


@njit(inline="always")
def group_multiplier(group_boost, practising_others, others):
    """Action-learning-set reinforcement: ``1 + group_boost x`` the share of the other members
    of one's set (those whose cohort has started) who practise; 1 with no such members.

    Examples
    --------
    >>> group_multiplier(1.5, 2, 4)
    1.75
    """
    if others <= 0:
        return 1.0
    return 1.0 + group_boost * practising_others / others


@overload
def person_threshold(threshold: float, spread: float, u: float) -> np.float64: ...


@overload
def person_threshold(threshold: float, spread: float, u: np.ndarray) -> np.ndarray: ...


def person_threshold(threshold: float, spread: float,
                     u: float | np.ndarray) -> np.float64 | np.ndarray:
    """A person's complex-contagion threshold from the uniform ``u`` (a number or an array):
    uniform in ``[threshold - spread, threshold + spread]``, floored at 0.

    Examples
    --------
    >>> float(person_threshold(1.0, 1.0, 0.25))
    0.5
    """
    return np.maximum(threshold + spread * (2.0 * np.asarray(u) - 1.0), 0.0)


@njit(inline="always")
def passes_threshold(practising_contacts, threshold, fraction, contacts):
    """Complex-contagion gate: at least ``threshold`` practising contacts, or with ``fraction``
    at least that share of one's ``contacts`` (people with an active tie towards one)."""
    if fraction:
        return contacts > 0 and practising_contacts >= threshold * contacts
    return practising_contacts >= threshold


@dataclass(frozen=True)
class BackgroundRates:
    """Monthly background-adoption probability by group of people and period of months.

    ``rates[g, k]`` applies to people of group ``g`` (``person_group``; one group, everyone,
    when it is empty) in months ``period_starts[k] <= month < period_starts[k + 1]``.
    """

    period_starts: np.ndarray  # int64, ascending, period_starts[0] == 0
    person_group: np.ndarray  # int32 group code per person, or empty for one group
    rates: np.ndarray  # float64, shape (groups, periods)

    @property
    def n_groups(self) -> int:
        return self.rates.shape[0]

    @property
    def any(self) -> bool:
        """Whether anyone can ever adopt in the background."""
        return bool((self.rates > 0).any())

    def period(self, month: int) -> int:
        return int(np.searchsorted(self.period_starts, month, "right")) - 1

    def probability(self, person: int, month: int) -> float:
        """The background probability of ``person`` (index) in ``month``."""
        g = int(self.person_group[person]) if len(self.person_group) else 0
        return float(self.rates[g, self.period(month)])


def background_rates(params: ContagionParams,
                     network: ContagionNetwork | None) -> BackgroundRates:
    """The background-adoption rates of ``params`` on ``network``: a piecewise-constant monthly
    probability over periods of months, by group of people.

    With no ``background_rates``, one group (everyone) and one period at ``params.alpha``. With
    them, a period starts at month 0 and at each of ``background_breaks``; with
    ``background_by``, the groups are ``background_groups`` (the people's values in that column
    of the network, ``network.columns``), in that order, plus one more group at the constant
    ``alpha`` for people whose value is missing or not listed (when there are any).

    The time to background adoption of someone who can adopt from month ``s + 1`` on (not yet
    practising at the start of month ``s + 1``, nothing else happening) is then the first month
    ``t > s`` with ``h_{s+1} + ... + h_t >= -log(1 - U)`` for a uniform ``U``, ``h`` the
    monthly hazards ``-log(1 - p)``: ``P(T > t) = prod (1 - p_m)`` over months ``s < m <= t``
    (:func:`background_month` draws it by that inverse CDF).

    Examples
    --------
    >>> from alumni_net.abm.params import ContagionParams
    >>> rates = background_rates(ContagionParams(alpha=0.01), None)
    >>> rates.probability(5, 30), rates.n_groups
    (0.01, 1)
    >>> p = ContagionParams(background_breaks=(12,), background_rates=(0.01, 0.1))
    >>> rates = background_rates(p, None)
    >>> rates.probability(0, 11), rates.probability(0, 12)
    (0.01, 0.1)
    """
    blocks = params.background_rates
    if not blocks:
        return BackgroundRates(period_starts=np.zeros(1, dtype=np.int64),
                               person_group=np.zeros(0, dtype=np.int32),
                               rates=np.full((1, 1), float(params.alpha)))
    starts = np.array((0, *params.background_breaks), dtype=np.int64)
    rates = np.asarray(blocks, dtype=np.float64).reshape(-1, len(starts))
    if params.background_by is None:
        return BackgroundRates(starts, np.zeros(0, dtype=np.int32), rates)
    labels = getattr(network, "columns", {}).get(params.background_by)
    if labels is None:
        raise ConfigError(f"the background differs by '{params.background_by}', which the "
                          "network does not carry: build it with "
                          f"columns=('{params.background_by}',)")
    lookup = {g: i for i, g in enumerate(params.background_groups)}
    other = len(lookup)
    person_group = np.array([lookup.get(x, other) for x in labels], dtype=np.int32)
    if (person_group == other).any():
        rates = np.vstack([rates, np.full((1, len(starts)), float(params.alpha))])
    return BackgroundRates(starts, person_group, rates)


def background_month(u: float, log_miss: np.ndarray, period_starts: np.ndarray, after: int,
                     cap: int) -> int:
    """The month of background adoption, by inverse CDF of the uniform ``u``, of a person who
    can adopt from month ``after + 1`` on under the piecewise-constant log-miss probabilities
    ``log_miss[k] = log(1 - p_k)`` of the periods starting at ``period_starts[k]``: the first
    month ``t > after`` with ``P(T <= t) >= u``, where ``P(T > t) = exp(sum of log_miss over
    months after + 1 .. t)``. ``cap + 1`` when that is later than ``cap``.

    Examples
    --------
    >>> starts, miss = np.array([0, 3]), np.log1p(-np.array([0.0, 0.5]))
    >>> [background_month(u, miss, starts, 0, 10) for u in (0.1, 0.5, 0.74, 0.76)]
    [3, 3, 4, 5]
    """
    target = np.log1p(-u)  # adopt once the cumulated log-miss falls to this (<= 0)
    total, month = 0.0, after
    k = int(np.searchsorted(period_starts, after + 1, "right")) - 1
    while month < cap:
        end = cap if k + 1 >= len(period_starts) else min(cap, int(period_starts[k + 1]) - 1)
        span = end - month  # months month+1 .. end lie in period k
        if log_miss[k] == -np.inf and span > 0:
            return month + 1
        if log_miss[k] < 0.0 and total + span * log_miss[k] <= target:
            need = (target - total) / log_miss[k]  # months into this period
            return month + max(1, int(np.ceil(need - 1e-12)))
        total += span * log_miss[k]
        month = end
        k += 1
    return cap + 1
