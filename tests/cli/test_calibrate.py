"""``alumni-net calibrate``: the five outputs, a config simulate accepts, one-line errors."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from tests.experiments.test_calibration import SIMPLE_TRUTH, adoption_dataset

from alumni_net.cli import build_parser, main
from alumni_net.experiments.config import load_config

OUTPUTS = ("posterior.csv", "fitted.csv", "predictive_check.png", "calibrated.toml",
           "summary.md")
SETTINGS = {"--particles": "20", "--generations": "2", "--workers": "1", "--seed": "5"}
FAST = tuple(x for pair in SETTINGS.items() for x in pair)


def _write(folder: Path, people: pd.DataFrame, ties: pd.DataFrame) -> Path:
    folder.mkdir(parents=True)
    people.drop(columns="is_alum").to_csv(folder / "people.csv", index=False)
    ties.to_csv(folder / "ties.csv", index=False)
    return folder


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory) -> Path:
    """Two villages of 30 with adoption months simulated from known parameters."""
    ds = adoption_dataset(SIMPLE_TRUTH, 11, n=30, horizon=6)
    people = ds.people.assign(adoption_time=ds.people["adoption_time"].astype("Int64"))
    return _write(tmp_path_factory.mktemp("villages") / "villages", people, ds.ties)


def calibrate(*args) -> int:
    return main(["calibrate", *map(str, args)])


def test_writes_the_outputs_and_a_config_simulate_accepts(data_dir, tmp_path, capsys):
    out = tmp_path / "out"
    assert calibrate(data_dir, "--out", out, *FAST) == 0
    for name in OUTPUTS:
        assert (out / name).is_file(), name
    fitted = pd.read_csv(out / "fitted.csv")
    assert fitted["model"].tolist() == ["simple", "simple", "complex", "complex", "complex"]
    assert set(fitted["identified"]) <= {"yes", "no"}
    assert (fitted["lo"] <= fitted["value"]).all() and (fitted["value"] <= fitted["hi"]).all()
    assert (fitted["prior_low"] <= fitted["lo"]).all()
    assert (fitted["hi"] <= fitted["prior_high"]).all()
    posterior = pd.read_csv(out / "posterior.csv")
    for model, part in posterior.groupby("model"):
        assert part["weight"].sum() == pytest.approx(1.0), model
        assert len(part) == 20
    config = load_config(out / "calibrated.toml")
    chosen = config.source.model
    medians = fitted[fitted["model"] == chosen].set_index("parameter")["value"]
    assert config.params.beta == pytest.approx(medians["beta"], rel=5e-3)
    assert config.parameter_source.startswith("calibrated on villages (")
    summary = (out / "summary.md").read_text()
    assert "## Simple vs complex contagion" in summary and "90% band" in summary
    printed = capsys.readouterr().out
    assert "of observed periods inside the 90% band" in printed and "chosen: " in printed
    # the run is reproducible: same seed, same posterior
    again = tmp_path / "again"
    assert calibrate(data_dir, "--out", again, "--model", "simple", *FAST) == 0
    pd.testing.assert_frame_equal(pd.read_csv(again / "posterior.csv"),
                                  posterior[posterior["model"] == "simple"]
                                  .dropna(axis=1, how="all").reset_index(drop=True))


def test_years_and_a_not_adopted_code(data_dir, tmp_path):
    people = pd.read_csv(data_dir / "people.csv")
    people["toa"] = (1950 + people["adoption_time"]).fillna(1999).astype(int)
    folder = _write(tmp_path / "years", people.drop(columns="adoption_time").assign(is_alum=0),
                    pd.read_csv(data_dir / "ties.csv"))
    out = tmp_path / "out"
    assert calibrate(folder, "--out", out, "--model", "simple", "--time-column", "toa",
                     "--time-unit", "year", "--not-adopted", 1999, *FAST) == 0
    summary = (out / "summary.md").read_text()
    assert "Observed times in years" in summary and "runs 72 months" in summary


@pytest.mark.parametrize(("times", "fragment"), [
    (None, "there is no 'adoption_time' column"),
    (0, "every person adopted at the same time (0)"),
])
def test_unusable_adoption_times_exit_2_with_one_sentence(data_dir, tmp_path, capsys, times,
                                                          fragment):
    people = pd.read_csv(data_dir / "people.csv")
    people = people.drop(columns="adoption_time") if times is None \
        else people.assign(adoption_time=times)
    folder = _write(tmp_path / "bad", people.assign(is_alum=0), pd.read_csv(data_dir / "ties.csv"))
    out = tmp_path / "out"
    assert calibrate(folder, "--out", out, *FAST) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert any(fragment in line for line in err)
    assert err[-1].startswith("alumni-net calibrate: ") and "nothing was written" in err[-1]
    assert not out.exists()


@pytest.mark.parametrize(("option", "value", "fragment"), [
    ("--replicates", "0", "--replicates: must be a whole number from 1 to 1,000, not '0'"),
    ("--particles", "5", "--particles: must be a whole number from 20 to 1,000,000, not '5'"),
    ("--workers", "0", "--workers: must be a whole number from 1 to 4,096, not '0'"),
    ("--by", "village", "no 'village' column"),
])
def test_bad_options_exit_2_and_write_nothing(data_dir, tmp_path, capsys, option, value, fragment):
    out = tmp_path / "out"
    args = [x for k, v in SETTINGS.items() if k != option for x in (k, v)]
    assert calibrate(data_dir, "--out", out, option, value, *args) == 2
    assert fragment in capsys.readouterr().err
    assert not out.exists()


def test_help_lists_the_command():
    assert "calibrate" in build_parser().format_help()
