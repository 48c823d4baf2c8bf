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

import numpy as np
from numba import njit

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


def person_threshold(threshold, spread, u):
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


def background_rates(params, network) -> BackgroundRates:
    """The background-adoption rates of ``params`` on ``network``: today one group (everyone)
    and one period, at ``params.alpha`` a month.

    Examples
    --------
    >>> from alumni_net.abm.params import ContagionParams
    >>> rates = background_rates(ContagionParams(alpha=0.01), None)
    >>> rates.probability(5, 30), rates.n_groups
    (0.01, 1)
    """
    return BackgroundRates(period_starts=np.zeros(1, dtype=np.int64),
                           person_group=np.zeros(0, dtype=np.int32),
                           rates=np.full((1, 1), float(params.alpha)))
