"""TOML config for simulate: parameters map onto ContagionParams, errors name file and key."""

from __future__ import annotations

from pathlib import Path

import pytest

from alumni_net.abm import ContagionParams
from alumni_net.errors import ConfigError
from alumni_net.experiments.config import RunSettings, SimulateConfig, load_config, parse_config

EXAMPLE = Path(__file__).resolve().parents[2] / "data" / "configs" / "example.toml"


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sim.toml"
    path.write_text(text, encoding="utf-8")
    return path


def _one_sentence(message: str) -> bool:
    return "\n" not in message and message.count(". ") == 0


def test_example_config_documents_the_defaults():
    config = load_config(EXAMPLE)
    assert config.params == ContagionParams(horizon_months=120)
    assert config.run == RunSettings(replicates=200, seed=2016, engine="fast", horizon=120)


def test_model_and_run_tables_are_read(tmp_path):
    path = _write(tmp_path, """
[run]
replicates = 7
seed = 11
engine = "reference"
horizon = 24

[model]
beta = 0.1
decay = 0.0
tie_weights = { colleague = 2.0, cohort = 0.5 }

[[model.topups]]
month = 12
cohorts = ["1"]
""")
    config = load_config(path)
    assert config.run == RunSettings(replicates=7, seed=11, engine="reference", horizon=24)
    assert config.params.beta == 0.1 and config.params.decay == 0.0
    assert config.params.horizon_months == 24  # [run] horizon sets the model's horizon
    assert config.params.tie_weights == (("cohort", 0.5), ("colleague", 2.0))
    assert config.params.topups[0].month == 12 and config.params.topups[0].cohorts == ("1",)
    assert config.path == path


def test_no_file_gives_defaults():
    assert load_config(None) == SimulateConfig()


def test_unknown_model_key_names_file_and_key_and_suggests(tmp_path):
    path = _write(tmp_path, "[model]\nbta = 0.1\n")
    with pytest.raises(ConfigError) as info:
        load_config(path)
    message = str(info.value)
    assert str(path) in message and "'bta'" in message and "[model]" in message
    assert "did you mean 'beta'?" in message
    assert _one_sentence(message)


@pytest.mark.parametrize(
    ("text", "fragments"),
    [
        ("[model]\nbeta = 1.5\n", ["[model]", "beta", "[0, 1]", "1.5"]),
        ("[run]\nreplicates = 0\n", ["[run]", "replicates", "from 1 to 1,000,000", "got 0"]),
        ("[run]\nseed = -3\n", ["[run]", "seed", "from 0 to", "got -3"]),
        ("[run]\nengine = \"quick\"\n", ["[run]", "engine", "fast, reference", "'quick'"]),
        ("[run]\nhorizon = 5000\n", ["[run]", "horizon", "from 1 to 1,200"]),
        ("[run]\nreplicates = true\n", ["replicates", "got True"]),
        ("[run]\nworkers = 2\n", ["unknown key 'workers' in [run]", "replicates, seed"]),
        ("[scenario]\nx = 1\n", ["unknown table or key 'scenario'"]),
        ("model = 3\n", ["'model' must be a table"]),
        ("[run]\nhorizon = 12\n[model]\nhorizon_months = 24\n", ["horizon", "disagree"]),
    ],
)
def test_bad_values_are_one_sentence_naming_file_key_and_range(tmp_path, text, fragments):
    path = _write(tmp_path, text)
    with pytest.raises(ConfigError) as info:
        load_config(path)
    message = str(info.value)
    assert message.startswith(f"{path}: ")
    for fragment in fragments:
        assert fragment in message
    assert _one_sentence(message)


def test_invalid_toml_and_missing_file(tmp_path):
    path = _write(tmp_path, "[model\nbeta = 0.1\n")
    with pytest.raises(ConfigError, match=r"sim\.toml is not valid TOML \(.*line 1"):
        load_config(path)
    with pytest.raises(ConfigError, match=r"config file .*nope\.toml does not exist"):
        load_config(tmp_path / "nope.toml")


def test_parse_config_from_a_dict_names_its_source():
    with pytest.raises(ConfigError, match=r"^scenario\.toml: \[run\] replicates"):
        parse_config({"run": {"replicates": -1}}, source="scenario.toml")
