"""What a scenario file says: frozen, validated dataclasses for the levers of a future programme.

A scenario is a baseline programme (the file's top-level ``[cohorts]``, ``[recruitment]``,
``[quotas]`` and ``[[topups]]``) with only the levers it names changed. Every dataclass checks its
own values in ``__post_init__`` and raises :class:`~alumni_net.errors.ConfigError` with one
sentence; :mod:`.parse` adds the file and scenario to the sentence and collects every problem.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from alumni_net.abm import ContagionParams

if TYPE_CHECKING:
    from alumni_net.experiments.recruitment import Quotas
from alumni_net.core.checks import check, check_choice, check_int, check_probability

__all__ = [
    "EXHAUSTED",
    "POOLS",
    "RECRUITMENT_KEYS",
    "WHO",
    "Cohorts",
    "QuotaSpec",
    "Recruitment",
    "Scenario",
    "ScenarioFile",
    "TopUpSpec",
]

#: Where recruits come from: everyone not yet trained, or only people flagged ``eligible``.
POOLS = ("everyone", "eligible")
#: What happens to recruits who add nothing beyond themselves (see Recruitment).
EXHAUSTED = ("keep", "fallback", "stop")
#: The ``[recruitment]`` keys of every strategy; any other key is a setting of the strategy.
RECRUITMENT_KEYS = ("strategy", "pool", "roles", "sectors", "regions", "when_exhausted",
                    "fallback")
#: Who a top-up session invites: every alum, the future cohorts' recruits, or earlier alumni.
WHO = ("all", "new", "existing")
_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
_MAX_YEARS = 50


def _labels(name: str, values: Any) -> tuple[str, ...]:
    check(isinstance(values, (list, tuple)) and all(isinstance(v, str) for v in values),
          f"{name} must be a list of names, got {values!r}")
    return tuple(values)


@dataclass(frozen=True)
class Cohorts:
    """Future cohorts: how many a year, how big, in how many action learning sets, where from.

    Parameters
    ----------
    per_year : int
        Cohorts starting each year (1 to 12), spread evenly over the year. Default 1.
    size : int
        Participants per cohort, people who use services included (2 to 500). Default 26.
    sets : int, optional
        Action learning sets per cohort (1 to ``size``); default ``size / 6`` rounded (sets of
        about six, as the programme runs them).
    regional : bool
        True: each cohort is recruited from one region, the regions taking turns in name order.
        False (default): national cohorts.
    first_start : str, optional
        Month the first future cohort starts, ``"YYYY-MM"``; default twelve months after the
        latest cohort in the data.
    """

    per_year: int = 1
    size: int = 26
    sets: int | None = None
    regional: bool = False
    first_start: str | None = None

    def __post_init__(self) -> None:
        check_int("per_year", self.per_year, 1, 12)
        check_int("size", self.size, 2, 500)
        if self.sets is not None:
            check_int("sets", self.sets, 1, self.size)
        check(isinstance(self.regional, bool),
              f"regional must be true or false, got {self.regional!r}")
        if self.first_start is not None:
            check(isinstance(self.first_start, str) and bool(_MONTH.match(self.first_start)),
                  f"first_start must be a month written YYYY-MM, got {self.first_start!r}")

    @property
    def n_sets(self) -> int:
        """Action learning sets per cohort (sets of about six unless ``sets`` is given)."""
        return self.sets if self.sets is not None else max(1, round(self.size / 6))


@dataclass(frozen=True)
class Recruitment:
    """Who is recruited into future cohorts: a strategy choosing from a candidate pool.

    Parameters
    ----------
    strategy : str
        A registered strategy (:func:`alumni_net.experiments.recruitment.strategy_names`).
        Default ``"random"``.
    pool : {"everyone", "eligible"}
        Candidates are everyone not yet trained, or only those flagged in an ``eligible`` column.
    roles, sectors, regions : list of str
        Keep only candidates with one of these values (empty: no filter).
    settings : pairs of (name, value)
        The strategy's own settings (in a scenario file, further keys of ``[recruitment]``, e.g.
        ``replicates`` for ``influence``, ``people`` or ``people_column`` for ``list``); checked
        by the strategy, its defaults filled in.
    when_exhausted : {"keep", "fallback", "stop"}
        What happens to picks that add nothing beyond themselves (the strategy's
        :class:`~alumni_net.experiments.recruitment.Exhaustion`: an isolated person picked for
        reach, a person with no ties across groups picked for bridging, places beyond the end
        of a list): keep them (said in the summary; the default, except that a list shorter
        than the places must choose), replace them by the ``fallback`` strategy's picks, or
        stop recruiting at the first cohort that has one.
    fallback : str
        The strategy that replaces them with ``when_exhausted = "fallback"`` (default random),
        with its default settings; one that can fill any number of places
        (:func:`~alumni_net.experiments.recruitment.fallbacks`).
    """

    strategy: str = "random"
    pool: str = "everyone"
    roles: tuple[str, ...] = ()
    sectors: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    settings: tuple[tuple[str, Any], ...] = ()
    when_exhausted: str | None = None
    fallback: str = "random"

    def __post_init__(self) -> None:
        from alumni_net.experiments.recruitment import fallbacks, strategy, strategy_names

        check_choice("strategy", self.strategy, strategy_names())
        check_choice("pool", self.pool, POOLS)
        for name in ("roles", "sectors", "regions"):
            object.__setattr__(self, name, _labels(name, getattr(self, name)))
        given = dict(self.settings.items() if isinstance(self.settings, dict) else self.settings)
        resolved = strategy(self.strategy).resolve(given)
        object.__setattr__(self, "settings", tuple(sorted(resolved.items())))
        if self.when_exhausted is not None:
            check_choice("when_exhausted", self.when_exhausted, EXHAUSTED)
        check_choice("fallback", self.fallback, fallbacks())

    def check_together(self) -> None:
        """Checks across keys (run once the scenario's table is merged with the baseline's)."""
        check(self.when_exhausted != "fallback" or self.fallback != self.strategy,
              f"[recruitment] fallback must be another strategy than {self.strategy!r}")

    @property
    def exhausted(self) -> str:
        """``when_exhausted`` as it applies (keep unless the file says otherwise)."""
        return self.when_exhausted or "keep"


def _pairs(name: str, shares: Any) -> tuple[tuple[str, Any], ...]:
    if shares is None:
        return ()
    check(isinstance(shares, (dict, tuple)),
          f"{name} must be a table of shares, e.g. {{ health = 0.4 }}, got {shares!r}")
    items = shares.items() if isinstance(shares, dict) else shares
    return tuple((str(k), v) for k, v in items)


@dataclass(frozen=True)
class QuotaSpec:
    """Quotas every future cohort must meet exactly (see ``recruitment.Quotas``).

    Parameters
    ----------
    sector, region : mapping of name to share
        This share of each cohort's leaders' places goes to the sector (region), exactly
        (largest-remainder rounding); shares add up to at most 1, the rest is open.
    min_service_users : int
        Places in each cohort for people who use services (0 to 500), filled by the same
        strategy from the people who use services in the pool; the others are leaders' places.
    """

    sector: tuple[tuple[str, float], ...] = ()
    region: tuple[tuple[str, float], ...] = ()
    min_service_users: int = 0

    def __post_init__(self) -> None:
        object.__setattr__(self, "sector", _pairs("sector", self.sector))
        object.__setattr__(self, "region", _pairs("region", self.region))
        check_int("min_service_users", self.min_service_users, 0, 500)
        self.quotas()  # the recruiters' own checks: shares in [0, 1] adding up to at most 1

    def quotas(self) -> Quotas | None:
        """As :class:`alumni_net.experiments.recruitment.Quotas` (None when there are none)."""
        from alumni_net.experiments.recruitment import Quotas

        if not self.any:
            return None
        return Quotas(sector=dict(self.sector) or None, region=dict(self.region) or None,
                      min_service_users=self.min_service_users)

    def leader_quotas(self) -> Quotas | None:
        """The sector and region shares of the leaders' places (None when there are none)."""
        from alumni_net.experiments.recruitment import Quotas

        if not (self.sector or self.region):
            return None
        return Quotas(sector=dict(self.sector) or None, region=dict(self.region) or None)

    @property
    def any(self) -> bool:
        return bool(self.sector or self.region or self.min_service_users)


@dataclass(frozen=True)
class TopUpSpec:
    """A follow-up session for alumni, ``year`` years after the first future cohort starts.

    ``who`` is ``"all"`` (every alum trained by then), ``"new"`` (the future cohorts' recruits)
    or ``"existing"`` (alumni in the data); the other fields are those of
    :class:`alumni_net.abm.TopUp`.
    """

    year: int
    who: str = "all"
    duration_months: int = 6
    decay_multiplier: float = 0.5
    p_reengage: float = 0.2

    def __post_init__(self) -> None:
        check_int("year", self.year, 0, _MAX_YEARS)
        check_choice("who", self.who, WHO)
        check_int("duration_months", self.duration_months, 0, 12 * _MAX_YEARS)
        check_probability("decay_multiplier", self.decay_multiplier)
        check_probability("p_reengage", self.p_reengage)


@dataclass(frozen=True)
class Scenario:
    """One named future programme: the baseline's levers with the named ones changed."""

    name: str
    description: str = ""
    cohorts: Cohorts = field(default_factory=Cohorts)
    recruitment: Recruitment = field(default_factory=Recruitment)
    quotas: QuotaSpec = field(default_factory=QuotaSpec)
    topups: tuple[TopUpSpec, ...] = ()
    model: tuple[tuple[str, Any], ...] = ()  # ContagionParams fields this scenario changes

    def __post_init__(self) -> None:
        check(isinstance(self.name, str) and bool(re.fullmatch(r"[A-Za-z0-9_\-]{1,40}", self.name)),
              f"a scenario name must be 1-40 letters, digits, '-' or '_', got {self.name!r}")
        check(not (self.cohorts.regional and self.quotas.region),
              "regional cohorts cannot also have region quotas (each cohort is one region)")
        self.recruitment.check_together()
        check(self.quotas.min_service_users <= self.cohorts.size,
              f"min_service_users ({self.quotas.min_service_users}) cannot exceed the cohort size "
              f"({self.cohorts.size})")

    def params(self, base: ContagionParams) -> ContagionParams:
        """``base`` with this scenario's model changes."""
        import dataclasses

        return dataclasses.replace(base, **dict(self.model)) if self.model else base


@dataclass(frozen=True)
class ScenarioFile:
    """A whole scenario file: where the people come from, for how long, and what is compared.

    ``scenarios[0]`` is the baseline, the programme every other scenario is compared with.
    """

    source: Path
    scenarios: tuple[Scenario, ...]
    horizon_years: int = 10
    params: ContagionParams = field(default_factory=ContagionParams)
    replicates: int = 100
    seed: int = 0
    engine: str = "fast"
    data: Path | None = None
    synthetic: tuple[tuple[str, Any], ...] = ()

    def __post_init__(self) -> None:
        check_int("horizon_years", self.horizon_years, 1, _MAX_YEARS)
        check(len(self.scenarios) >= 1, "a scenario file needs at least the baseline")
        names = [s.name for s in self.scenarios]
        dupes = sorted({n for n in names if names.count(n) > 1})
        check(not dupes, f"scenario names must be unique; {', '.join(map(repr, dupes))} repeats")

    @property
    def baseline(self) -> Scenario:
        return self.scenarios[0]
