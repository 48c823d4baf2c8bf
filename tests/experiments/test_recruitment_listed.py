"""The ``list`` strategy: named people in order, never an excluded one, quotas met, fewer when
the names run out."""

from __future__ import annotations

import pandas as pd
import pytest

from alumni_net.errors import ConfigError
from alumni_net.experiments.recruitment import Quotas
from alumni_net.experiments.recruitment.listed import listed_people, recruit_listed

PEOPLE = pd.DataFrame({
    "person_id": [f"p{i}" for i in range(8)],
    "sector": ["health", "health", "voluntary", "voluntary", "health", "voluntary", "health",
               "people_who_use_services"],
    "invite": ["no", "yes", "yes", "no", "yes", "no", "no", "yes"],
})


def test_named_people_in_the_files_order_skipping_the_excluded():
    assert recruit_listed(PEOPLE, 3, ["p5", "p2", "p9", "p0", "p1"], exclude=["p2"]) == \
        ["p5", "p0", "p1"]
    assert listed_people(PEOPLE, names=["p5", "p9", "p0"]) == ["p5", "p0"]  # p9 is unknown
    assert listed_people(PEOPLE, column="invite") == ["p1", "p2", "p4", "p7"]


def test_quotas_are_met_by_the_names_the_quotas_allow():
    # Half the places go to health: of p0, p1, p4 (health) only one fits in 2 places.
    picks = recruit_listed(PEOPLE, 2, ["p0", "p1", "p4", "p2"],
                           quotas=Quotas(sector={"health": 0.5, "voluntary": 0.5}))
    assert picks == ["p0", "p2"]


def test_fewer_when_the_names_run_out_and_a_sentence_when_the_quota_cannot_be_met():
    assert recruit_listed(PEOPLE, 5, ["p3", "p6"]) == ["p3", "p6"]
    with pytest.raises(ConfigError, match="needs 1 people who use services but the candidate"):
        recruit_listed(PEOPLE, 2, ["p0"], candidates=["p0", "p1"],
                       quotas=Quotas(min_service_users=1))
