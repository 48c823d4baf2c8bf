"""``alumni-net simulate --config calibrated.toml``: the posterior's draws (not its medians), one
per replicate; the calibration's word on contagion under the multiplier; starting from the
adopters already observed."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from alumni_net.cli import main
from alumni_net.synth import synthesize


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory) -> Path:
    """A small synthetic programme (1,000 people, 2 cohorts) with observed adoption months."""
    folder = tmp_path_factory.mktemp("programme")
    synthesize(folder, n_people=1000, n_cohorts=2, seed=3, overwrite=True)
    people = pd.read_csv(folder / "people.csv")
    people["adoption_time"] = [m if i % 9 == 0 else None for i, m in
                               enumerate(range(len(people)))]
    people["adoption_time"] = people["adoption_time"] % 12
    people.to_csv(folder / "people.csv", index=False)
    return folder


def _config(tmp_path: Path, share: list[float], models: list[str]) -> Path:
    beta = [0.0 if m == "no_contagion" else 0.05 for m in models]
    path = tmp_path / "calibrated.toml"
    path.write_text(
        '[source]\ncalibrated_on = "somewhere"\ndate = "2026-12-03"\n'
        'verdict = "the data cannot tell contagion from a common trend (P(contagion) = 0.60)"\n'
        f'p_contagion = 0.6\ncontagion_share = {share}\ntime_column = "adoption_time"\n'
        "[model]\nbeta = 0.05\nalpha = 0.001\n"
        f"[posterior]\nmodel = {json.dumps(models)}\nbeta = {beta}\n"
        f"alpha = {[0.001] * len(models)}\n")
    return path


def simulate(*args) -> int:
    return main(["simulate", *map(str, args)])


def test_the_posterior_draws_run_one_per_replicate_and_the_multiplier_says_so(
        data_dir, tmp_path, capsys):
    # half the draws have no contagion: the attributable non-alumni figures reach 0
    models = ["no_contagion", "simple"] * 4
    config = _config(tmp_path, [0.3, 0.0, 0.8], models)
    out = tmp_path / "out"
    assert simulate(data_dir, "--config", config, "--replicates", 8, "--horizon", 12,
                    "--workers", 1, "--out", out) == 0
    meta = json.loads((out / "simulate.json").read_text())
    assert meta["posterior_draws"]["n"] == 8
    assert meta["calibration"]["posterior_draws"] == 8
    assert "8 posterior draws, one per replicate" in meta["parameter_source"]
    assert "reach 0, their value without contagion" in meta["contagion_note"]
    multiplier = pd.read_csv(out / "multiplier.csv").set_index("measure")
    assert multiplier.loc["attributable_adopters_non_alumni", "lo"] <= 0
    said = (out / "multiplier.md").read_text()
    assert "could not exclude that no adoption came through contagion" in said
    assert "P(contagion) = 0.60" in capsys.readouterr().out
    # replicates without contagion have no adoption by spread: the draw decided the run
    summary = pd.concat(pd.read_parquet(p) for p in (out / "replicates").glob(
        "rep-*.summary.parquet"))
    spread = summary[summary["arm"] == "programme"].set_index("replicate")["adoptions_spread"]
    assert (spread[spread.index % 2 == 0] == 0).all() and (spread[spread.index % 2 == 1] > 0).all()


def test_medians_only_are_said_to_leave_the_uncertainty_out(data_dir, tmp_path):
    config = _config(tmp_path, [0.3, 0.0, 0.8], ["no_contagion", "simple"])
    out = tmp_path / "out"
    assert simulate(data_dir, "--config", config, "--medians", "--replicates", 2, "--horizon",
                    6, "--workers", 1, "--out", out) == 0
    meta = json.loads((out / "simulate.json").read_text())
    assert "posterior_draws" not in meta and "posterior medians only" in meta["contagion_note"]


def test_a_simulation_can_start_from_the_adopters_already_observed(data_dir, tmp_path, capsys):
    config = _config(tmp_path, [0.5, 0.2, 0.8], ["simple"])
    out = tmp_path / "out"
    assert simulate(data_dir, "--config", config, "--from-observed", "--observed-until", 5,
                    "--replicates", 2, "--horizon", 3, "--workers", 1, "--out", out) == 0
    people = pd.read_csv(data_dir / "people.csv")
    seen = int((people["adoption_time"] <= 5).sum())
    assert f"starting from the {seen:,} adopters already observed" in capsys.readouterr().err
    meta = json.loads((out / "simulate.json").read_text())
    assert meta["initial_adopters"]["n"] == seen
    month0 = pd.read_csv(out / "timeseries.csv").query(
        "month == 0 and arm == 'no_programme' and measure == 'practising'")
    assert month0["median"].iloc[0] >= seen  # they practise from month 0, programme or not
    assert simulate(data_dir, "--observed-until", 5, "--out", tmp_path / "bad") == 2
    assert "--observed-until goes with --from-observed" in capsys.readouterr().err


def test_the_report_says_what_the_calibration_said(data_dir, tmp_path):
    config = tmp_path / "calibrated.toml"
    config.write_text('[source]\ncalibrated_on = "somewhere"\ndate = "2026-12-03"\n'
                      'verdict = "the data favour contagion (P = 0.97)"\n'
                      'predictive_check = "failed"\n[model]\nbeta = 0.02\n')
    out = tmp_path / "out"
    assert simulate(data_dir, "--config", config, "--replicates", 2, "--horizon", 6,
                    "--workers", 1, "--out", out) == 0
    assert main(["report", str(out), "--data", str(data_dir), "--no-maps"]) == 0
    html = (out / "report.html").read_text()
    assert "no model passed its predictive check (written with --force)" in html
    assert "the data favour contagion (P = 0.97)" in html
