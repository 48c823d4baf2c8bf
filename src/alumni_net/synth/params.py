"""Parameters of the synthetic programme: every default with the reason it has that value."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from alumni_net.errors import ConfigError
from alumni_net.synth._checks import (
    check_enough_people,
    check_ranges,
    check_shares,
    check_structure,
)
from alumni_net.synth.national import NATIONAL_PRESET

__all__ = [
    "ENGLAND_REGIONS",
    "GENERIC_ROLES",
    "KINDS",
    "PRESETS",
    "REGIONS",
    "ROLES",
    "SECTORS",
    "SERVICE_USER_SECTOR",
    "WORKFORCE_ROLES",
    "SynthParams",
    "make_params",
]

#: Workforce sectors, in the order codes are assigned (people who use services come last).
SECTORS = ("health", "social_care", "local_government", "voluntary", "private")
#: Sector of the community members (people who use services, carers) and of their groups.
SERVICE_USER_SECTOR = "people_who_use_services"
#: The seven NHS England regions (since 2020), as snake_case labels.
ENGLAND_REGIONS = (
    "east_of_england",
    "london",
    "midlands",
    "north_east_and_yorkshire",
    "north_west",
    "south_east",
    "south_west",
)
#: Every region label: England's seven, then the devolved nations (population tables only).
REGIONS = (*ENGLAND_REGIONS, "scotland", "wales", "northern_ireland")
#: The generic workforce pyramid of ``role_shares``, from most to least senior.
GENERIC_ROLES = ("senior_leader", "manager", "practitioner", "support_staff")
#: The published role groups of the UK workforce table (see :mod:`alumni_net.synth.workforce`) not
#: in the pyramid, in the order leaders are recruited from them (after managers).
WORKFORCE_ROLES = (
    "doctor",
    "social_worker",
    "nurse_midwife",
    "allied_health_scientific",
    "senior_care_worker",
    "admin_support",
    "care_support_worker",
)
#: Every role label, in recruitment order; community members have the last role.
ROLES = (*GENERIC_ROLES, *WORKFORCE_ROLES, "community_member")
#: Tie kinds, alphabetical so that sorting by code sorts by name.
KINDS = (
    "action_learning_set",
    "cohort",
    "colleague",
    "long_range",
    "partnership",
    "post_course_contact",
)

# Health and social care are the two largest parts of England's care workforce (NHS about 1.5
# million, adult social care about 1.6 million, Skills for Care 2023); councils, charities and
# private providers make up the rest of the people a leadership programme works with.
_SECTOR_SHARES = {
    "health": 0.35,
    "social_care": 0.30,
    "local_government": 0.15,
    "voluntary": 0.12,
    "private": 0.08,
}
# Recruitment quotas of the seeds' programme: leaders "from health, social care, local government
# and the voluntary sector", none from private firms.
_LEADER_SECTOR_SHARES = {
    "health": 0.35,
    "social_care": 0.25,
    "local_government": 0.20,
    "voluntary": 0.20,
    "private": 0.0,
}
# England's population by NHS England region, rounded from ONS mid-2021 estimates (the
# workforce and the community are spread roughly as the population is).
_REGION_SHARES = {
    "east_of_england": 0.112,
    "london": 0.156,
    "midlands": 0.193,
    "north_east_and_yorkshire": 0.143,
    "north_west": 0.131,
    "south_east": 0.164,
    "south_west": 0.101,
}
# A pyramid: few senior leaders (the programme's recruits), more managers, mostly front-line staff.
_ROLE_SHARES = {"senior_leader": 0.05, "manager": 0.15, "practitioner": 0.55, "support_staff": 0.25}
# How much more partnership work each role does than a practitioner: leaders span boundaries.
_ROLE_ACTIVITY = {
    "senior_leader": 4.0,
    "manager": 2.0,
    "practitioner": 1.0,
    "support_staff": 0.5,
    "community_member": 1.0,
}


def _shares(default: dict[str, float]) -> dict[str, float]:
    return field(default_factory=lambda: dict(default))


@dataclass(frozen=True)
class SynthParams:
    """Everything that shapes a synthetic programme; validated on creation.

    Defaults are the "programme" preset. Shares are dicts that must sum to 1.

    Parameters
    ----------
    n_people : int, default 20_000
        Everyone in the system, alumni included: a regional health and care system around 260
        alumni, big enough that reach within 3 degrees is not capped by the population, small
        enough to analyse in seconds. Works up to millions (1,000,000 builds in seconds).
    n_cohorts : int, default 10
        Ten years of yearly cohorts, the period the seeds' claims cover.
    cohorts_per_year : int, default 1
        The flagship programme recruits once a year; the "suite" preset runs 12.
    leaders_per_cohort : int, default 24
        The seeds' "cohorts of about 24 senior leaders".
    service_users_per_cohort : int, default 2
        The seeds' "plus 2 people who use services" in every cohort.
    sets_per_cohort : int, default 4
        Each cohort works in 4 action learning sets (of 6 or 7 people).
    n_sessions : int, default 5
        The seeds' "5 day sessions"; recorded for the model, which trains cohorts for
        ``course_months``.
    course_months : int, default 6
        The seeds' "over 6 months": post-course contacts date from graduation, this many months
        after the cohort starts.
    first_cohort_start : str, default "2016-09-01"
        Cohorts start in September (day 1-28), ten cohorts running to 2025-26.
    community_share : float, default 0.10
        People who use services and carers, in community groups (sector
        ``people_who_use_services``): enough to recruit 2 per cohort from a large pool.
    sector_shares : dict, default health 0.35, social_care 0.30, local_government 0.15,
        voluntary 0.12, private 0.08
        The workforce (everyone outside the community) by sector: the NHS (about 1.5 million)
        and adult social care (about 1.6 million, Skills for Care 2023) dominate England's care
        workforce; councils, charities and private firms are the partners a programme meets.
    leader_sector_shares : dict, default health 0.35, social_care 0.25, local_government 0.20,
        voluntary 0.20, private 0.0
        Recruitment quotas per cohort: the seeds recruit "from health, social care, local
        government and the voluntary sector". Each cohort gets ``share x leaders_per_cohort``
        leaders of a sector, rounded down or up so the mean over cohorts is exact.
    region_shares : dict, default the seven NHS England regions by population
        Rounded from ONS mid-2021 estimates (east_of_england 0.112, london 0.156, midlands
        0.193, north_east_and_yorkshire 0.143, north_west 0.131, south_east 0.164, south_west
        0.101); workforce and community are spread as the population is.
    role_shares : dict, default senior_leader 0.05, manager 0.15, practitioner 0.55,
        support_staff 0.25
        A workforce pyramid; leaders are recruited from senior leaders first, then managers.
    role_activity : dict, default senior_leader 4, manager 2, practitioner 1, support_staff 0.5,
        community_member 1
        How many more partnership ties a role forms than a practitioner: leaders span boundaries.
    org_size_min, org_size_max : int, default 5 and 5_000
        Smallest team-sized provider and largest trust or council (capped also by the people
        in its sector and region).
    org_size_exponent : float, default 1.06
        Organisation sizes follow Zipf's law, P(size > s) ~ s ** -1.06, as firm sizes do
        (Axtell 2001, Science 293:1818): many small providers and charities, a few employers
        with thousands of staff.
    colleague_k : int, default 8
        Each person works closely with about 8 colleagues: a ring lattice inside the
        organisation (Watts & Strogatz 1998); teams of up to 9 are complete graphs.
    colleague_rewire : float, default 0.1
        A tenth of colleague ties go to anyone in the organisation, which keeps clustering high
        (about 0.45 among colleagues) while paths stay short.
    partnership_mean : float, default 2.0
        Mean partnership ties (across organisations) per person. They scale with a heavy-tailed
        ``activity``, so a few boundary spanners have dozens.
    partnership_within_region : float, default 0.9
        Partnerships are mostly local (integrated care systems are regional).
    partnership_closure : float, default 0.3
        Share of partnership ties formed by closing a triangle (a partner's colleague or partner
        becomes a partner): this is what gives clustering across organisations.
    activity_sigma : float, default 1.0
        Spread of the lognormal activity behind partnership degree: a heavy but not extreme tail
        (the largest degrees are about 10 times the mean).
    long_range_per_person : float, default 0.02
        "A few long-range ties" between random people anywhere (national roles, old colleagues).
    post_course_alumni_contacts : float, default 3.0
        The seeds' "influenced just three other leaders": mean contacts each alum has with
        alumni of other cohorts after graduating.
    post_course_other_contacts : float, default 5.0
        Mean contacts each alum makes with non-alumni met through the programme (site visits,
        speakers, partners), chosen in proportion to activity.
    population : str, optional
        A population table (see :mod:`alumni_net.synth.workforce`): ``"uk_workforce"`` (the
        packaged UK health and social care workforce) or the path of a CSV of region, sector,
        role and count. The workforce then has the table's regions, sectors and roles in its
        proportions, scaled to ``n_people`` less the community (largest-remainder rounding, so
        every cell is within one person of its share); ``sector_shares``, ``region_shares`` and
        ``role_shares`` are not used, ``role_activity`` must weigh the table's roles, and the
        community is spread over regions as the workforce is. None (default): the shares.
    org_types : dict, optional
        Organisations by sector, as ``{sector: {type: {"share": s, "min": a, "max": b,
        "exponent": e}}}``: each type holds share ``s`` of the sector's people (shares of a
        sector sum to 1) in organisations of Zipf-distributed sizes from ``a`` to ``b``
        (``P(size > x) ~ x ** -e``), e.g. NHS trusts of thousands next to general practices of
        about 30. Sectors not listed (and every sector when None, the default) use
        ``org_size_min``, ``org_size_max`` and ``org_size_exponent``.
    team_size : int, optional
        Colleague ties inside teams (wards, practices, care homes) of about this many people:
        every organisation is split into teams of about ``team_size``, the ring lattice of
        ``colleague_k`` is drawn inside each team, and rewired ties go to a colleague of the
        same role anywhere in the organisation (professions know each other across teams).
        None (default): one ring per organisation, rewired to anyone in it.

    References
    ----------
    Watts, D. J., & Strogatz, S. H. (1998). Collective dynamics of 'small-world' networks. Nature
    393(6684), 440-442. https://doi.org/10.1038/30918

    Axtell, R. L. (2001). Zipf distribution of U.S. firm sizes. Science 293(5536), 1818-1820.
    https://doi.org/10.1126/science.1062081
    """

    n_people: int = 20_000
    n_cohorts: int = 10
    cohorts_per_year: int = 1
    leaders_per_cohort: int = 24
    service_users_per_cohort: int = 2
    sets_per_cohort: int = 4
    n_sessions: int = 5
    course_months: int = 6
    first_cohort_start: str = "2016-09-01"
    community_share: float = 0.10
    sector_shares: dict[str, float] = _shares(_SECTOR_SHARES)
    leader_sector_shares: dict[str, float] = _shares(_LEADER_SECTOR_SHARES)
    region_shares: dict[str, float] = _shares(_REGION_SHARES)
    role_shares: dict[str, float] = _shares(_ROLE_SHARES)
    role_activity: dict[str, float] = _shares(_ROLE_ACTIVITY)
    org_size_min: int = 5
    org_size_max: int = 5_000
    org_size_exponent: float = 1.06
    colleague_k: int = 8
    colleague_rewire: float = 0.1
    partnership_mean: float = 2.0
    partnership_within_region: float = 0.9
    partnership_closure: float = 0.3
    activity_sigma: float = 1.0
    long_range_per_person: float = 0.02
    post_course_alumni_contacts: float = 3.0
    post_course_other_contacts: float = 5.0
    population: str | None = None
    org_types: dict[str, dict[str, dict[str, float]]] | None = None
    team_size: int | None = None

    def __post_init__(self) -> None:
        for name, value in _SHARE_FIELDS.items():
            check_shares(name, getattr(self, name), value)
        for name in (*_SHARE_FIELDS, "role_activity"):
            # Own copies in a fixed key order: the caller's dict can change without changing us,
            # and the same parameters always print (and write dataset.toml) the same way.
            keys = _SHARE_FIELDS.get(name, ROLES)
            value = getattr(self, name)
            if isinstance(value, dict) and set(value) <= set(keys):
                object.__setattr__(self, name, {k: value[k] for k in keys if k in value})
        check_ranges(self, ROLES)
        check_structure(self, (*SECTORS, SERVICE_USER_SECTOR))
        if self.org_types is not None:
            object.__setattr__(self, "org_types", _copy(self.org_types))
        if self.population is None:
            check_enough_people(self)

    def __hash__(self) -> int:
        # The dataclass hash would fail on the share dicts; hash their items instead.
        return hash(tuple(_frozen(getattr(self, f.name)) for f in dataclasses.fields(self)))

    @property
    def cohort_size(self) -> int:
        """Participants per cohort: leaders plus people who use services."""
        return self.leaders_per_cohort + self.service_users_per_cohort

    @property
    def n_alumni(self) -> int:
        return self.n_cohorts * self.cohort_size

    @property
    def start_date(self) -> dt.date:
        return dt.date.fromisoformat(self.first_cohort_start)

    def to_dict(self) -> dict:
        """Plain values (shares as dicts), e.g. for ``dataset.toml``; optional fields left
        unset are left out."""
        return {f.name: _copy(getattr(self, f.name)) for f in dataclasses.fields(self)
                if not (f.name in _OPTIONAL_FIELDS and getattr(self, f.name) is None)}


def _copy(value: Any) -> Any:
    return {k: _copy(v) for k, v in value.items()} if isinstance(value, dict) else value


def _frozen(value: Any) -> Any:
    if isinstance(value, dict):
        return tuple((k, _frozen(v)) for k, v in value.items())
    return value


_SHARE_FIELDS = {
    "sector_shares": SECTORS,
    "leader_sector_shares": SECTORS,
    "region_shares": ENGLAND_REGIONS,
    "role_shares": GENERIC_ROLES,
}
#: Fields that only some presets set: left out of :meth:`SynthParams.to_dict` while None, so
#: datasets written before they existed keep their ``dataset.toml`` byte for byte.
_OPTIONAL_FIELDS = ("population", "org_types", "team_size")


#: Named starting points; any field can be overridden.
PRESETS: dict[str, dict] = {
    # The flagship programme: 10 yearly cohorts of 24 + 2 in a system of about 20,000 people.
    "programme": {},
    # The programme family: "over 3,000 leaders trained in 10 years" = 12 cohorts a year x 26 x 10
    # = 3,120 alumni, in a population five times larger so alumni stay about 3% of it.
    "suite": {"n_cohorts": 120, "cohorts_per_year": 12, "n_people": 100_000},
    # The UK health and social care workforce, about 3 million people, 3,120 alumni over 10
    # years; every value and its source in alumni_net.synth.national.
    "national": NATIONAL_PRESET,
}


def make_params(preset: str | None = "programme", **overrides: Any) -> SynthParams:
    """The preset's parameters with ``overrides`` applied (None values are ignored)."""
    name = "programme" if preset is None else preset
    if name not in PRESETS:
        raise ConfigError(f"unknown preset '{name}'; choose one of: {', '.join(PRESETS)}")
    known = {f.name for f in dataclasses.fields(SynthParams)}
    unknown = sorted(set(overrides) - known)
    if unknown:
        raise ConfigError(f"unknown synthetic parameter(s): {', '.join(unknown)}")
    values = {**PRESETS[name], **{k: v for k, v in overrides.items() if v is not None}}
    return SynthParams(**values)
