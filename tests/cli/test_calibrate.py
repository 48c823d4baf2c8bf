"""``alumni-net calibrate``: the outputs, a config simulate accepts, the verdict on contagion, no
config for a misfit unless forced, the declared time unit, one-line errors."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from tests.experiments.test_calibration import SIMPLE_TRUTH, adoption_dataset

from alumni_net.cli import build_parser, main
from alumni_net.experiments.config import load_config

OUTPUTS = ("model_comparison.csv", "fitted.csv", "posterior.csv", "predictive_band.csv",
           "predictive_check.png", "calibrated.toml", "summary.md")
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
    assert fitted["model"].tolist() == ["no_contagion", "simple", "simple", "complex", "complex",
                                        "complex"]
    assert set(fitted["identified"]) <= {"yes", "no"}
    assert fitted["identification"].str.match("identified|not (identified|assessed)").all()
    assert (fitted["lo"] <= fitted["value"]).all() and (fitted["value"] <= fitted["hi"]).all()
    assert (fitted["prior_low"] <= fitted["lo"]).all()
    assert (fitted["hi"] <= fitted["prior_high"]).all()
    assert set(fitted["time_unit"]) == {"month"}
    comparison = pd.read_csv(out / "model_comparison.csv")
    assert comparison["model"].tolist() == ["no_contagion", "simple", "complex"]
    assert comparison["posterior_probability"].sum() == pytest.approx(1.0)
    assert comparison["prior_probability"].tolist() == [0.5, 0.25, 0.25]
    assert comparison["predictive_coverage"].between(0, 1).all()
    band = pd.read_csv(out / "predictive_band.csv")
    assert {"model", "curve", "period", "observed", "median", "lo", "hi"} <= set(band.columns)
    assert (band["lo"] <= band["median"]).all() and (band["median"] <= band["hi"]).all()
    posterior = pd.read_csv(out / "posterior.csv")
    for model, part in posterior.groupby("model"):
        assert part["weight"].sum() == pytest.approx(1.0), model
    config = load_config(out / "calibrated.toml")
    chosen = config.source.model
    medians = fitted[fitted["model"] == chosen].set_index("parameter")["value"]
    assert config.params.beta == pytest.approx(medians.get("beta", 0.0), rel=5e-3)
    assert config.parameter_source.startswith("calibrated on villages (")
    assert config.source.time_unit == "month" and config.source.verdict in config.parameter_source
    assert config.posterior is not None and len(config.posterior) == 500
    summary = (out / "summary.md").read_text()
    assert "## Is it contagion?" in summary and "90% band" in summary
    assert "neither dataset.toml (time_unit) nor --time-unit" in summary
    printed = capsys.readouterr()
    assert "of observed periods inside the 90% band" in printed.out
    assert "P(contagion)" in printed.out or "the data favour contagion" in printed.out
    assert "neither dataset.toml (time_unit) nor --time-unit" in printed.err
    # the run is reproducible: same seed, same posterior
    again = tmp_path / "again"
    assert calibrate(data_dir, "--out", again, *FAST) == 0
    pd.testing.assert_frame_equal(pd.read_csv(again / "posterior.csv"), posterior)


def test_years_and_a_not_adopted_code(data_dir, tmp_path):
    people = pd.read_csv(data_dir / "people.csv")
    people["toa"] = (1950 + people["adoption_time"]).fillna(1999).astype(int)
    folder = _write(tmp_path / "years", people.drop(columns="adoption_time").assign(is_alum=0),
                    pd.read_csv(data_dir / "ties.csv"))
    out = tmp_path / "out"
    assert calibrate(folder, "--out", out, "--model", "simple", "--time-column", "toa",
                     "--time-unit", "year", "--not-adopted", 1999, *FAST) == 0
    summary = (out / "summary.md").read_text()
    assert "adoption times are in years (declared)" in summary and "runs 72 months" in summary
    # the unit can come from dataset.toml instead, and is recorded in the config
    (folder / "dataset.toml").write_text('time_unit = "year"\nschedule = "toa"\n')
    again = tmp_path / "again"
    assert calibrate(folder, "--out", again, "--model", "simple", "--time-column", "toa",
                     "--not-adopted", 1999, *FAST) == 0
    summary = (again / "summary.md").read_text()
    assert "adoption times are in years (declared)" in summary
    assert "The data declare a schedule column ('toa')" in summary
    assert load_config(again / "calibrated.toml").source.time_unit == "year"


def test_a_misfit_writes_no_config_unless_forced(tmp_path, capsys):
    # Five initial adopters, 80 of 100 people at once in month 3, then one more in month 12 and
    # nobody else: no constant-rate model, with or without contagion, reproduces a jump followed
    # by nine still months. (Enough particles for the posterior to commit: a posterior as wide
    # as the prior would cover anything.)
    people = pd.DataFrame({"person_id": range(100),
                           "adoption_time": [0] * 5 + [3] * 80 + [12] + [None] * 14})
    ring = [(i, (i + k) % 100) for i in range(100) for k in (1, 2)]
    ties = pd.DataFrame(ring, columns=["source", "target"]).assign(kind="tie")
    folder = _write(tmp_path / "jump", people.assign(is_alum=0), ties)
    out = tmp_path / "out"
    settings = ("--particles", "40", "--generations", "5", "--workers", "1", "--seed", "5")
    assert calibrate(folder, "--out", out, "--time-unit", "month", *settings) == 0
    captured = capsys.readouterr()
    assert "NO MODEL FITS" in captured.out and "calibrated.toml was not written" in captured.err
    assert not (out / "calibrated.toml").exists()
    assert (out / "model_comparison.csv").is_file()
    summary = (out / "summary.md").read_text()
    assert "**No model fits**" in summary and "Rerun with --force" in summary
    forced = tmp_path / "forced"
    assert calibrate(folder, "--out", forced, "--time-unit", "month", "--force", *settings) == 0
    config = load_config(forced / "calibrated.toml")
    assert config.source.predictive_check == "failed"
    assert "no model passed its predictive check" in config.parameter_source
    assert (forced / "calibrated.toml").read_text().splitlines()[1].startswith("# NO MODEL FITS")


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
    ("--holdout", "0.5", "--holdout needs --by"),
    ("--schedule", "session", "no 'session' column"),
])
def test_bad_options_exit_2_and_write_nothing(data_dir, tmp_path, capsys, option, value, fragment):
    out = tmp_path / "out"
    args = [x for k, v in SETTINGS.items() if k != option for x in (k, v)]
    assert calibrate(data_dir, "--out", out, option, value, *args) == 2
    assert fragment in capsys.readouterr().err
    assert not out.exists()


def test_help_lists_the_command():
    assert "calibrate" in build_parser().format_help()
