"""The alumni survey's questions: what each asks, why, and where its answer goes in the data.

The questionnaire builds on what the programme already asks. Its first external evaluation (2013)
had 9 of about 24 participants return a survey whose question 10 read "Do you think that your
participation in the programme will impact on other individuals or groups of people (e.g.
colleagues; people who use services)? If so, how?", and participants rated themselves on the
leadership framework's behaviours (1-10) at the start and end of the course. An open "how?"
cannot be counted, and free text can name people, so this kit turns question 10 into
countable contacts: a name generator of up to ``contacts`` people outside the programme (initials
or a number, never a name), each described by sector, region, role, organisation and whether
they took up the practice; whether those people know each other; and counts of people known and
shared with (as the network scale-up method asks). The course's own self-assessments travel in
the roster (``self_assessment_start``, ``self_assessment_end``) and the survey asks the same
rating now, so whether an alum took up the practice is measured, not assumed.

Every question id is written in square brackets at the start of its text (``[sector] Which
sector ...``), so the import finds each answer whatever a form tool does to the column title
(Microsoft Forms, Google Forms and Qualtrics all keep the question text in their exports).
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

__all__ = [
    "ANSWERS",
    "CONTACT_FIELDS",
    "COUNT_QUESTIONS",
    "DEFAULT_CONTACTS",
    "DEFAULT_PRACTICE",
    "Categories",
    "Question",
    "contact_column",
    "pair_column",
    "questionnaire",
]

#: Contacts outside the programme a respondent may describe (the name generator's cap).
DEFAULT_CONTACTS = 5
#: Words used for the practice when the programme does not name it.
DEFAULT_PRACTICE = "the practice the course teaches"

#: Kinds of answer and what the import accepts for each.
ANSWERS = {
    "identity": "the email address (or roster person_id) the programme holds for the alum",
    "choice": "one of the listed options",
    "alumni": "fellow alumni from the roster, separated by ';' (or ',')",
    "label": "initials or a number only: never a name (it is not kept)",
    "yes_no": "yes or no",
    "yes_no_unknown": "yes, no or don't know",
    "scale": "a whole number from 1 to 10",
    "year": "a year such as 2021",
    "count": "a whole number (0 or more)",
}

#: Per-contact questions, in the order they are asked (``contact3_sector`` ...).
CONTACT_FIELDS = ("label", "sector", "region", "role", "same_org", "met_through_programme",
                  "their_contacts", "practice", "practice_year", "through_you")
#: The counts (network scale-up) questions: degree and spread by own and other organisations.
COUNT_QUESTIONS = ("know_own_org", "know_other_orgs", "shared_own_org", "shared_other_orgs")


@dataclass(frozen=True)
class Categories:
    """The options offered for sector, region and role (shared with the population file).

    Examples
    --------
    >>> c = Categories(("health", "voluntary"), ("london",), ("manager",))
    >>> c.of("sector")
    ('health', 'voluntary')
    """

    sector: tuple[str, ...]
    region: tuple[str, ...]
    role: tuple[str, ...]

    def of(self, key: str) -> tuple[str, ...]:
        return getattr(self, key)

    def to_dict(self) -> dict[str, list[str]]:
        return {k: list(self.of(k)) for k in ("sector", "region", "role")}


@dataclass(frozen=True)
class Question:
    """One question: its id (the response column), text, kind of answer, and purpose."""

    id: str
    section: str
    text: str
    answer: str
    why: str
    maps_to: str
    choices: str | None = None  # "sector", "region", "role" (from Categories) or None

    @property
    def title(self) -> str:
        """The text with the id in brackets, as a form tool should show it."""
        return f"[{self.id}] {self.text}"


def contact_column(i: int, field: str) -> str:
    """The response column of contact ``i``'s ``field``.

    Examples
    --------
    >>> contact_column(2, "sector")
    'contact2_sector'
    """
    return f"contact{i}_{field}"


def pair_column(i: int, j: int) -> str:
    """The response column saying whether contacts ``i`` and ``j`` know each other.

    Examples
    --------
    >>> pair_column(1, 3)
    'knows_1_3'
    """
    return f"knows_{i}_{j}"


def questionnaire(contacts: int = DEFAULT_CONTACTS,
                  practice: str = DEFAULT_PRACTICE) -> tuple[Question, ...]:
    """Every question of the survey, in the order it is asked.

    Examples
    --------
    >>> qs = questionnaire(contacts=2)
    >>> [q.id for q in qs][:4]
    ['identity', 'sector', 'region', 'role']
    >>> sum(q.id.startswith("contact") for q in qs), sum(q.id.startswith("knows") for q in qs)
    (20, 1)
    """
    return (*_about_you(practice), *_alumni(), *_contacts(contacts, practice),
            *_counts(practice))


def _about_you(practice: str) -> list[Question]:
    s = "About you"
    return [
        Question("identity", s, "Your email address (the one the programme has for you).",
                 "identity",
                 "Links your answers to the roster (your cohort and action learning set), so "
                 "that the answers of people who replied can be weighted to stand for everyone.",
                 "egos.ego_id: replaced on import by a keyed pseudonym of your roster id; the "
                 "email itself is never stored"),
        Question("sector", s, "In which sector do you work now?", "choice",
                 "Response rates and contacts differ by sector; the workforce model needs it.",
                 "egos.sector (survey weights; degree and mixing by sector)", "sector"),
        Question("region", s, "In which region do you mainly work?", "choice",
                 "Most partnership work is local; the share of contacts in your own region "
                 "tells the model how local.",
                 "egos.region (survey weights; mixing by region)", "region"),
        Question("role", s, "Which best describes your role now?", "choice",
                 "How many people someone works with depends on their role.",
                 "egos.role (degree by role; where you sit in the workforce model)", "role"),
        Question("self_assessment_now", s,
                 "On the leadership framework's behaviours, how would you rate yourself now, "
                 "from 1 (not at all) to 10 (fully)?", "scale",
                 "The course asked the same at its start and end; asking again now shows whether "
                 "the change lasted, instead of assuming it did.",
                 "egos.self_assessment_now, beside self_assessment_start and _end from the "
                 "roster"),
        Question("practising", s, f"Do you use {practice} in your work now?", "yes_no",
                 "Whether an alum took up the practice after the course is measured, not "
                 "assumed (the model's p_course).",
                 "egos.practising"),
        Question("practising_since", s, f"If yes: since which year have you used {practice}?",
                 "year", "Dates the alum's own adoption for the contagion model.",
                 "egos.practising_since"),
    ]


def _alumni() -> list[Question]:
    return [
        Question("alumni_contacts", "Fellow alumni",
                 "Which alumni of the programme (any cohort) have you been in touch with about "
                 "work in the last 12 months? Choose from the list.", "alumni",
                 "Ties between alumni after the course are the programme's own network; the "
                 "cohort and set ties come from the roster.",
                 "ties.csv rows of kind post_course_contact between your id and theirs"),
    ]


def _contacts(n: int, practice: str) -> list[Question]:
    s = "People outside the programme"
    out = []
    for i in range(1, n + 1):
        c = f"Contact {i}"
        fields = {
            "label": (f"{c}: initials or a number for someone outside the programme you have "
                      "worked with in the last 12 months (no names). Leave empty if none.",
                      "label", None,
                      "Lets you refer to the person below; it is not kept.",
                      "nothing: the contact gets an id scoped to you (EGO-c1 ...)"),
            "sector": (f"{c}: their sector", "choice", "sector",
                       "Mixing by sector: do your contacts reach beyond your own sector?",
                       "alters.sector"),
            "region": (f"{c}: their region", "choice", "region",
                       "Mixing by region: how far partnership work travels.", "alters.region"),
            "role": (f"{c}: their role", "choice", "role",
                     "Which roles the alumni reach; with the workforce's size by role it tells "
                     "how active each role is (people with more contacts are named more often).",
                     "alters.role"),
            "same_org": (f"{c}: do they work in your organisation?", "yes_no", None,
                         "Ties within and between organisations behave differently.",
                         "alters.same_organisation"),
            "met_through_programme": (
                f"{c}: did you meet them through the programme (a site visit, a speaker, a "
                "fellow participant's colleague)?", "yes_no", None,
                "Separates the contacts the programme made from the workforce network the "
                "alum already had.", "alters.met_through_programme"),
            "their_contacts": (
                f"{c}: about how many people in other organisations do they work with, as far "
                "as you know?", "count", None,
                "Alumni are not a random sample of the workforce: how far practice travels "
                "beyond your contacts depends on how connected they are, which only you can "
                "tell us about.", "alters.contacts_other_orgs"),
            "practice": (f"{c}: have they taken up {practice}?", "yes_no_unknown", None,
                         "Question 10 of the 2013 evaluation, made countable: did your "
                         "participation reach this person?", "alters.practice"),
            "practice_year": (f"{c}: if so, in which year?", "year", None,
                              "Dates the spread for the contagion model.",
                              "alters.practice_year"),
            "through_you": (f"{c}: if so, did they take it up at least partly through you?",
                            "yes_no_unknown", None,
                            "What the respondent attributes to themselves, beside what the "
                            "model attributes (with minus without programme).",
                            "alters.through_you"),
        }
        for field in CONTACT_FIELDS:
            text, answer, choices, why, maps_to = fields[field]
            out.append(Question(contact_column(i, field), s, text, answer, why, maps_to, choices))
    for i, j in combinations(range(1, n + 1), 2):
        out.append(Question(pair_column(i, j), s, f"Do contacts {i} and {j} know each other?",
                            "yes_no",
                            "Clustering: whether your contacts know each other decides how "
                            "often influence travels in closed triangles rather than onwards.",
                            "alter_ties.csv row (source, target) when yes"))
    return out


def _counts(practice: str) -> list[Question]:
    s = "Counts"
    asked = {
        "know_own_org": ("About how many people in your own organisation do you work with at "
                         "least once a month?",
                         "The contact list stops at a few people; this count says how many "
                         "there are in all (the network scale-up method's summary question)."),
        "know_other_orgs": ("About how many people in other organisations do you work with at "
                            "least once a month?",
                            "Degree across organisations, which carries practice furthest."),
        "shared_own_org": (f"With about how many people in your organisation have you shared "
                           f"{practice} since the course?",
                           "Question 10 of the 2013 evaluation as a number: people reached "
                           "at the first degree, within the organisation."),
        "shared_other_orgs": (f"With about how many people in other organisations have you "
                              f"shared {practice} since the course?",
                              "The same, across organisations."),
    }
    return [Question(k, s, text, "count", why, f"egos.{k}") for k, (text, why) in asked.items()]
