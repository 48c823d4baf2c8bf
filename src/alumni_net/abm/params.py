"""Parameters of the contagion model: one frozen, validated dataclass with documented ranges."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields
from functools import cached_property
from typing import Any

from alumni_net.core.checks import check, check_choice, check_nonnegative, check_probability
from alumni_net.errors import ConfigError
from alumni_net.vocabulary import DEFAULT_INFLUENCE, INFLUENCE_DIRECTIONS

__all__ = ["PROGRAMME_KINDS", "TRAINING_KINDS", "ContagionParams", "TopUp"]

#: Tie kinds created by the programme itself: they never exist in the no-programme
#: counterfactual (people met because of the course).
PROGRAMME_KINDS = frozenset({"cohort", "action_learning_set", "post_course_contact"})
#: Programme ties formed while training: they appear at the cohort's start. Other programme
#: ties (post-course contacts) appear at their own ``since`` date.
TRAINING_KINDS = frozenset({"cohort", "action_learning_set"})

_DEFAULT_TIE_WEIGHTS = (
    ("action_learning_set", 1.0),
    ("cohort", 0.6),
    ("colleague", 0.5),
    ("partnership", 0.4),
    ("post_course_contact", 0.6),
    ("long_range", 0.2),
)
_THRESHOLD_KINDS = ("count", "fraction")


@dataclass(frozen=True)
class TopUp:
    """A follow-up ("top-up") session for alumni.

    Parameters
    ----------
    month : int
        Model month of the session (month 0 is the model start), >= 0.
    cohorts : tuple of str, optional
        Cohort labels invited (compared as strings); None (default) invites every alum whose
        cohort has started by ``month``.
    duration_months : int
        For how many months (from ``month``) invited alumni lapse less, >= 0. Default 6.
    decay_multiplier : float
        Multiplies invited alumni's monthly lapsing probability during that period, in [0, 1].
        Default 0.5.
    p_reengage : float
        Probability that an invited alum who has lapsed takes the practice up again at the
        session (recorded with ``via="reengaged"``), in [0, 1]. Default 0.2.
    """

    month: int
    cohorts: tuple[str, ...] | None = None
    duration_months: int = 6
    decay_multiplier: float = 0.5
    p_reengage: float = 0.2

    def __post_init__(self) -> None:
        check(isinstance(self.month, int) and self.month >= 0,
               f"top-up month must be an integer >= 0, got {self.month!r}")
        check(isinstance(self.duration_months, int) and self.duration_months >= 0,
               f"top-up duration_months must be an integer >= 0, got {self.duration_months!r}")
        check_probability("top-up decay_multiplier", self.decay_multiplier)
        check_probability("top-up p_reengage", self.p_reengage)
        if self.cohorts is not None:
            object.__setattr__(self, "cohorts", tuple(str(c) for c in self.cohorts))

    def invites(self, cohort: str | None) -> bool:
        """Whether an alum of ``cohort`` is invited (cohort start is checked by the caller)."""
        return self.cohorts is None or (cohort is not None and str(cohort) in self.cohorts)


@dataclass(frozen=True)
class ContagionParams:
    """Everything the contagion model needs besides the network; validated on creation.

    Time is in months; probabilities are per month. Defaults describe a plausible practice
    spreading slowly through a leadership network; they are starting points, not estimates
    (calibrate them to observed adoption where you have it). On the built-in synthetic
    programme (20,000 people, 260 alumni) they give, over 10 years, about 14% of people taking
    the practice up without the programme and 21% with it: about 5-6 adopters per alum
    attributable to the programme.

    Parameters
    ----------
    horizon_months : int
        Months simulated by ``run()``, >= 0. Default 120 (10 years).
    start : str, optional
        Calendar month of model month 0, e.g. ``"2015-09"``. None (default): the earliest
        ``cohort_start`` in the data. Ignored when cohort starts are given as integer months.
    training_months : int
        Length of the course; the course effect happens at ``cohort_start + training_months``.
        >= 0, default 6.
    p_course : float
        Probability that an alum starts practising at graduation, in [0, 1]. Default 0.5.
    beta : float
        Monthly transmission probability along a tie of weight 1, in [0, 1]. Default 0.008: with
        ``decay`` 0.04 a practising colleague (tie weight 0.5) passes the practice on with
        probability about 0.1 over a spell of practice, so among people who have not been on the
        course the practice is subcritical (it does not sweep a workforce on its own).
    tie_weights : mapping of str to float
        Weight of each tie kind (>= 0); a tie carrying several kinds uses the largest weight of
        the kinds active at the time. Stored as a sorted tuple of (kind, weight) pairs.
    default_tie_weight : float
        Weight of kinds missing from ``tie_weights`` (e.g. ``"tie"``, ``"advice"``). Default 1.0.
    alum_boost : float
        Multiplies transmission from a graduated alum (the course makes advocates), >= 0.
        Default 1.5. Transmission probabilities are capped at 1.
    decay : float
        Monthly probability that a practising person lapses, in [0, 1]. Default 0.04: a spell of
        practice lasts two years on average without support, which is what top-ups act on.
    readoption : float
        How readily lapsed people take the practice up again, relative to people who never
        practised, in [0, 1]: 0 = never, 1 = as readily. Default 0.5.
    alpha : float
        Monthly spontaneous ("background") adoption probability, in [0, 1]. Default 0.0005.
    background_breaks : tuple of int
        A background that changes over time: the model months (increasing, > 0) at which a new
        period of background rates starts. Default none (one period).
    background_by : str, optional
        A background that differs by group: the people column whose values are the groups
        (``background_groups`` lists them). Default None (everyone alike).
    background_groups : tuple of str
        With ``background_by``: the group values, in the order of ``background_rates``' blocks.
        People whose value is missing or not listed adopt in the background at ``alpha``.
    background_rates : tuple of float
        Monthly background probabilities, one per period within each group (group-major: the
        periods of the first group, then of the second ...), each in [0, 1]. Default none: the
        constant ``alpha`` for everyone. See :func:`alumni_net.abm.rules.background_rates`.
    threshold : float
        Complex contagion: a person can adopt through spread only once at least ``threshold``
        contacts practise (``threshold_kind="count"``) or that fraction of their contacts does
        (``"fraction"``). 0 (default) is simple contagion.
    threshold_kind : {"count", "fraction"}
        How ``threshold`` is read. Default "count".
    threshold_spread : float
        Heterogeneous thresholds: each person's threshold is drawn once, uniformly in
        ``[threshold - threshold_spread, threshold + threshold_spread]`` (floored at 0). >= 0,
        default 0 (everyone has ``threshold``).
    group_boost : float
        Action-learning-set reinforcement, >= 0: with a share ``f`` of the other members of a
        person's set practising, transmission to them is multiplied and their lapsing divided by
        ``1 + group_boost * f`` (from their cohort start; programme only). Default 0.
    topups : tuple of TopUp
        Follow-up sessions (programme only). Default none.
    influence : {"target_to_source", "source_to_target", "both"}
        For directed (nomination) data: the direction influence travels (see
        :mod:`alumni_net.vocabulary`). Default
        "target_to_source": the person named influences the person who named them.

    Examples
    --------
    >>> p = ContagionParams(beta=0.1, decay=1.0, readoption=0.0)
    >>> p.weight_of("action_learning_set"), p.weight_of("advice")
    (1.0, 1.0)
    >>> ContagionParams(beta=2.0)
    Traceback (most recent call last):
    ...
    alumni_net.errors.ConfigError: beta must be a probability in [0, 1], got 2.0
    """

    horizon_months: int = 120
    start: str | None = None
    training_months: int = 6
    p_course: float = 0.5
    beta: float = 0.008
    tie_weights: Any = field(default=_DEFAULT_TIE_WEIGHTS)
    default_tie_weight: float = 1.0
    alum_boost: float = 1.5
    decay: float = 0.04
    readoption: float = 0.5
    alpha: float = 0.0005
    background_breaks: tuple[int, ...] = ()
    background_by: str | None = None
    background_groups: tuple[str, ...] = ()
    background_rates: tuple[float, ...] = ()
    threshold: float = 0.0
    threshold_kind: str = "count"
    threshold_spread: float = 0.0
    group_boost: float = 0.0
    topups: tuple[TopUp, ...] = ()
    influence: str = DEFAULT_INFLUENCE

    def __post_init__(self) -> None:
        check(isinstance(self.horizon_months, int) and self.horizon_months >= 0,
               f"horizon_months must be an integer >= 0, got {self.horizon_months!r}")
        check(isinstance(self.training_months, int) and self.training_months >= 0,
               f"training_months must be an integer >= 0, got {self.training_months!r}")
        for name in ("p_course", "beta", "decay", "readoption", "alpha"):
            check_probability(name, getattr(self, name))
        for name in ("default_tie_weight", "alum_boost", "threshold", "threshold_spread",
                     "group_boost"):
            check_nonnegative(name, getattr(self, name))
        check(self.threshold_kind in _THRESHOLD_KINDS,
               f"threshold_kind must be one of {_THRESHOLD_KINDS}, got {self.threshold_kind!r}")
        check_choice("influence", self.influence, INFLUENCE_DIRECTIONS)
        if self.start is not None:
            check(isinstance(self.start, str) and _parses_as_month(self.start),
                   f"start must be a 'YYYY-MM' string, got {self.start!r}")
        object.__setattr__(self, "tie_weights", _normalise_weights(self.tie_weights))
        _normalise_background(self)
        object.__setattr__(self, "topups", _normalise_topups(self.topups))

    def weight_of(self, kind: str) -> float:
        """Transmission weight of one tie kind."""
        return self._weights.get(kind, self.default_tie_weight)

    def unweighted_note(self, kinds: Iterable[str]) -> str | None:
        """A sentence naming the tie kinds in ``kinds`` that ``tie_weights`` does not weigh (they
        get ``default_tie_weight``), or None when every kind has its own weight.

        Real data name their own kinds (advice, friendship); without this note they would all
        transmit at the default weight without anyone having chosen it.

        Examples
        --------
        >>> note = ContagionParams().unweighted_note(["cohort", "advice", "friendship", "advice"])
        >>> note.split(", so ")[0]
        "tie kinds 'advice', 'friendship' have no weight in tie_weights"
        >>> ContagionParams().unweighted_note(["cohort"]) is None
        True
        """
        missing = sorted({str(k) for k in kinds} - set(self._weights))
        if not missing:
            return None
        s, have, they, them = ("s", "have", "they transmit", "them") if len(missing) > 1 else (
            "", "has", "it transmits", "it")
        return (
            f"tie kind{s} {', '.join(repr(k) for k in missing)} {have} no weight in tie_weights, "
            f"so {they} with default_tie_weight {self.default_tie_weight:g} (set {them} under "
            "[model.tie_weights] in the config)"
        )

    @cached_property
    def _weights(self) -> dict[str, float]:
        return dict(self.tie_weights)

    @property
    def complex_contagion(self) -> bool:
        """True when adoption through spread needs ``threshold`` practising contacts."""
        return self.threshold > 0 or self.threshold_spread > 0

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any]) -> ContagionParams:
        """Build from a plain mapping (e.g. a TOML table); ``topups`` may be a list of tables.

        Unknown keys raise ConfigError naming them.
        """
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(values) - known)
        check(not unknown, f"unknown model parameter(s): {', '.join(unknown)}")
        return cls(**dict(values))

    def to_dict(self) -> dict[str, Any]:
        """Plain, JSON-ready dict (tie weights as a mapping, top-ups as a list of mappings)."""
        out = {f.name: getattr(self, f.name) for f in fields(self)}
        out["tie_weights"] = dict(self.tie_weights)
        for name in ("background_breaks", "background_groups", "background_rates"):
            out[name] = list(out[name])
        out["topups"] = [{f.name: getattr(t, f.name) for f in fields(t)} for t in self.topups]
        for t in out["topups"]:
            t["cohorts"] = None if t["cohorts"] is None else list(t["cohorts"])
        return out


def _normalise_background(p: ContagionParams) -> None:
    """Tuples (hashable, as TOML lists are not) and the background's shape checked."""
    breaks = tuple(p.background_breaks or ())
    check(all(isinstance(b, int) and not isinstance(b, bool) for b in breaks)
          and list(breaks) == sorted(set(breaks)) and all(b > 0 for b in breaks),
          f"background_breaks must be increasing whole months > 0, got {p.background_breaks!r}")
    groups = tuple(str(g) for g in (p.background_groups or ()))
    rates = tuple(float(r) for r in (p.background_rates or ()))
    for r in rates:
        check_probability("each of background_rates", r)
    check(len(set(groups)) == len(groups), f"background_groups repeats a value: {groups!r}")
    check((p.background_by is None) == (not groups),
          "background_by and background_groups go together: the column and its values")
    if rates:
        blocks = (len(breaks) + 1) * max(1, len(groups))
        check(len(rates) == blocks,
              f"background_rates needs {blocks} values (one per period within each group: "
              f"{len(breaks) + 1} period(s) x {max(1, len(groups))} group(s)), got {len(rates)}")
    else:
        check(not breaks and not groups, "background_breaks and background_groups need "
              "background_rates, one rate per period within each group")
    object.__setattr__(p, "background_breaks", breaks)
    object.__setattr__(p, "background_groups", groups)
    object.__setattr__(p, "background_rates", rates)


def _parses_as_month(text: str) -> bool:
    match = re.fullmatch(r"(\d{4})-(\d{2})", text)
    return match is not None and 1 <= int(match.group(2)) <= 12


def _normalise_weights(weights: Any) -> tuple[tuple[str, float], ...]:
    items = weights.items() if isinstance(weights, Mapping) else weights
    try:
        pairs = [(str(k), float(w)) for k, w in items]
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"tie_weights must map tie kinds to numbers ({exc})") from None
    for kind, w in pairs:
        check(math.isfinite(w) and w >= 0, f"tie weight of {kind!r} must be >= 0, got {w!r}")
    return tuple(sorted(dict(pairs).items()))


def _normalise_topups(topups: Any) -> tuple[TopUp, ...]:
    out = []
    for t in topups:
        if isinstance(t, TopUp):
            out.append(t)
        elif isinstance(t, Mapping):
            try:
                out.append(TopUp(**dict(t)))
            except TypeError as exc:
                raise ConfigError(f"invalid top-up {dict(t)!r}: {exc}") from None
        else:
            raise ConfigError(f"topups must be TopUp objects or mappings, got {t!r}")
    return tuple(sorted(out, key=lambda t: t.month))
