import pickle

import pytest

from alumni_net.abm import ContagionParams, TopUp
from alumni_net.errors import ConfigError


def test_defaults_are_valid_and_documented_weights_apply():
    p = ContagionParams()
    assert p.horizon_months == 120
    assert p.weight_of("action_learning_set") == 1.0
    assert p.weight_of("cohort") == 0.6
    assert p.weight_of("advice") == p.default_tie_weight == 1.0
    assert not p.complex_contagion


@pytest.mark.parametrize("field, value, fragment", [
    ("beta", 1.5, "beta must be a probability"),
    ("decay", -0.1, "decay must be a probability"),
    ("horizon_months", 2.5, "horizon_months must be an integer"),
    ("alum_boost", -1, "alum_boost must be a finite number >= 0"),
    ("threshold_kind", "share", "threshold_kind must be one of"),
    ("influence", "up", "influence must be one of"),
    ("start", "September", "start must be a 'YYYY-MM' string"),
    ("tie_weights", {"cohort": -1}, "tie weight of 'cohort' must be >= 0"),
])
def test_invalid_values_raise_one_clear_config_error(field, value, fragment):
    with pytest.raises(ConfigError, match=fragment):
        ContagionParams(**{field: value})


def test_topups_from_mappings_are_sorted_and_validated():
    p = ContagionParams(topups=[{"month": 30, "cohorts": [2]}, TopUp(month=12)])
    assert [t.month for t in p.topups] == [12, 30]
    assert p.topups[1].cohorts == ("2",)
    assert p.topups[1].invites("2") and not p.topups[1].invites("1")
    assert p.topups[0].invites(None)
    with pytest.raises(ConfigError, match="p_reengage must be a probability"):
        TopUp(month=3, p_reengage=2.0)
    with pytest.raises(ConfigError, match="invalid top-up"):
        ContagionParams(topups=[{"month": 3, "when": 4}])


def test_from_mapping_round_trips_through_to_dict_and_rejects_unknown_keys():
    p = ContagionParams(beta=0.1, tie_weights={"advice": 0.5}, topups=[TopUp(month=6)])
    again = ContagionParams.from_mapping(p.to_dict())
    assert again == p
    assert again.weight_of("advice") == 0.5
    with pytest.raises(ConfigError, match="unknown model parameter"):
        ContagionParams.from_mapping({"betta": 0.1})


def test_params_are_frozen_hashable_and_picklable():
    p = ContagionParams(topups=[TopUp(month=6, cohorts=["1"])])
    with pytest.raises(AttributeError):
        p.beta = 0.5
    assert hash(p) == hash(pickle.loads(pickle.dumps(p)))
