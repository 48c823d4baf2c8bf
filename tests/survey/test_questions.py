"""The question bank: every question says why it is asked and where its answer goes."""

from __future__ import annotations

from alumni_net.survey import questionnaire
from alumni_net.survey.questions import ANSWERS, CONTACT_FIELDS, COUNT_QUESTIONS


def test_every_question_has_a_purpose_a_place_and_a_known_answer_kind():
    qs = questionnaire(contacts=3)
    assert len({q.id for q in qs}) == len(qs)
    for q in qs:
        assert q.why and q.maps_to and q.answer in ANSWERS
        assert q.title.startswith(f"[{q.id}] ")


def test_contacts_and_pairs_scale_with_the_cap():
    for n in (1, 3, 5):
        ids = [q.id for q in questionnaire(contacts=n)]
        assert sum(i.startswith("contact") for i in ids) == n * len(CONTACT_FIELDS)
        assert sum(i.startswith("knows_") for i in ids) == n * (n - 1) // 2
        assert set(COUNT_QUESTIONS) <= set(ids)


def test_question_10_of_2013_is_made_countable_and_the_ratings_carried():
    text = " ".join(q.why + " " + q.text for q in questionnaire())
    assert "Question 10 of the 2013 evaluation" in text
    ids = {q.id for q in questionnaire()}
    assert {"shared_own_org", "shared_other_orgs", "contact1_practice", "self_assessment_now",
            "practising"} <= ids


def test_the_practice_is_named_in_the_questions():
    qs = questionnaire(contacts=1, practice="co-production")
    assert any("co-production" in q.text for q in qs)
