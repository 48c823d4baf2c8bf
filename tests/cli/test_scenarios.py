"""``alumni-net scenarios``: every bad file gets its sentence and writes nothing; a good file
writes every output; a SIGKILLed sweep resumes to the same table."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from tests.experiments.test_scenarios_common import BASE, SCENARIOS, write

from alumni_net.cli import main
from alumni_net.experiments.recruitment import STRATEGIES

OUTPUTS = ("scenarios.csv", "by_year.csv", "adoption.csv", "composition.csv", "scenarios.json",
           "summary.md", "adoption.png", "multiplier.png", "differences.png")


def _replace(old: str, new: str) -> str:
    assert old in BASE
    return BASE.replace(old, new)


# (file text, the sentence (or its telling part) the leader must see)
BAD_FILES = {
    "misspelt top-level key": (
        BASE.replace("horizon_years = 2", "horizn_years = 2"),
        "unknown key 'horizn_years' in [top level] (did you mean 'horizon_years'?)"),
    "misspelt key in a scenario": (
        BASE + '[[scenario]]\nname = "x"\n[scenario.recruitment]\nstratgy = "degree"\n',
        "scenario 'x': unknown key 'stratgy' in [recruitment] (did you mean 'strategy'?)"),
    "unknown strategy": (
        BASE + '[[scenario]]\nname = "pr"\n[scenario.recruitment]\nstrategy = "pagerank"\n',
        f"scenario 'pr': [recruitment] strategy must be one of {', '.join(STRATEGIES)}, got "
        "'pagerank'"),
    "a setting the strategy does not take": (
        BASE + '[[scenario]]\nname = "d"\n[scenario.recruitment]\nstrategy = "degree"\n'
               'replicates = 5\n',
        "scenario 'd': unknown key 'replicates' in [recruitment]; allowed keys for the degree "
        "strategy are strategy, pool, roles, sectors, regions"),
    "a misspelt setting": (
        BASE + '[[scenario]]\nname = "i"\n[scenario.recruitment]\nstrategy = "influence"\n'
               'replicate = 5\n',
        "scenario 'i': unknown key 'replicate' in [recruitment] (did you mean 'replicates'?)"),
    "a setting out of range": (
        BASE + '[[scenario]]\nname = "i"\n[scenario.recruitment]\nstrategy = "influence"\n'
               'replicates = 0\n',
        "scenario 'i': [recruitment] replicates must be a whole number from 1 to 10,000, got 0"),
    "cohort size out of range": (
        _replace("size = 12", "size = 1"),
        "[cohorts] size must be a whole number from 2 to 500, got 1"),
    "quota shares above 1": (
        BASE + '[[scenario]]\nname = "q"\n[scenario.quotas]\n'
               'sector = { health = 0.7, social_care = 0.6 }\n',
        "scenario 'q': [quotas] sector quota shares must sum to at most 1, got 1.3"),
    "quota the pool cannot fill": (
        _replace('roles = ["senior_leader", "manager"]',
                 'roles = ["senior_leader", "manager"]\nsectors = ["health"]')
        + '[[scenario]]\nname = "vol"\n[scenario.quotas]\nsector = { voluntary = 0.5 }\n',
        "scenario 'vol': [quotas] the sector quota needs 5 of 10 places from 'voluntary' but "
        "the candidate pool has 0"),
    "pool too small for the cohorts": (
        _replace("size = 12", "size = 400"),
        "scenario 'random': [recruitment] 2 cohorts need 796 leaders but the candidate pool "
        "has"),
    "unknown region in a filter": (
        BASE + '[[scenario]]\nname = "ldn"\n[scenario.recruitment]\nregions = ["londn"]\n',
        "scenario 'ldn': [recruitment] regions names 'londn', which is not a region in the "
        "data (did you mean 'london'?)"),
    "scenario names repeat": (
        BASE + '[[scenario]]\nname = "random"\n',
        "scenario names must be unique; 'random' repeats"),
    "scenario without a name": (
        BASE + '[[scenario]]\ndescription = "no name"\n',
        "scenario #1 needs a name"),
    "model value out of range": (
        _replace("beta = 0.02", "beta = 2"),
        "[model] beta must be a probability in [0, 1], got 2"),
    "misspelt model key in a scenario": (
        BASE + '[[scenario]]\nname = "cx"\n[scenario.model]\nthreshhold = 2\n',
        "scenario 'cx': unknown key 'threshhold' in [model] (did you mean 'threshold'?)"),
    "no people": (
        BASE.replace("[synthetic]\nn_people = 2000\nn_cohorts = 4\nseed = 3\n", ""),
        "give either data = \"PATH\" (a dataset folder or file) or a [synthetic] table"),
    "missing data": (
        BASE.replace("[synthetic]\nn_people = 2000\nn_cohorts = 4\nseed = 3\n", "")
            .replace("baseline = \"random\"\n", "baseline = \"random\"\ndata = \"nowhere\"\n"),
        "nowhere' does not exist"),
    "regional cohorts with region quotas": (
        BASE + '[[scenario]]\nname = "rq"\n[scenario.cohorts]\nregional = true\n'
               '[scenario.quotas]\nregion = { london = 0.5 }\n',
        "scenario 'rq': regional cohorts cannot also have region quotas"),
    "eligible pool without the column": (
        _replace('strategy = "random"\n', 'strategy = "random"\npool = "eligible"\n'),
        "scenario 'random': [recruitment] pool = \"eligible\" needs an 'eligible' column"),
    "top-up for nobody known": (
        BASE + '[[scenario]]\nname = "w"\n[[scenario.topups]]\nyear = 1\nwho = "everyone"\n',
        "scenario 'w': [topups #1] who must be one of all, new, existing, got 'everyone'"),
    "horizon in [run]": (
        _replace("replicates = 3", "replicates = 3\nhorizon = 120"),
        "[run] cannot set 'horizon'; give it once, as horizon_years at the top"),
    "top-up in a negative year": (
        BASE + '[[scenario]]\nname = "t"\n[[scenario.topups]]\nyear = -1\n',
        "scenario 't': [topups #1] year must be a whole number from 0 to 50, got -1"),
    "not TOML": (BASE + "[[scenario]\n", "is not valid TOML"),
}


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_every_bad_file_gets_its_sentence_and_writes_nothing(case, tmp_path, capsys):
    text, sentence = BAD_FILES[case]
    path = write(tmp_path, text)
    out = tmp_path / "out"
    assert main(["scenarios", str(path), "--out", str(out), "--workers", "1"]) == 2
    err = capsys.readouterr().err
    assert sentence in err, err
    assert "Traceback" not in err
    assert not out.exists()


def test_every_problem_is_reported_at_once(tmp_path, capsys):
    text = (_replace("beta = 0.02", "beta = 2").replace("size = 12", "size = 1")
            + '[[scenario]]\nname = "x"\n[scenario.recruitment]\nstratgy = "degree"\n')
    out = tmp_path / "out"
    assert main(["scenarios", str(write(tmp_path, text)), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "3 problem(s) in the input; nothing was written." in err
    for part in ("beta must be a probability", "size must be a whole number", "'stratgy'"):
        assert part in err
    assert not out.exists()


def test_a_good_file_writes_every_output(tmp_path, capsys):
    path = write(tmp_path, BASE + SCENARIOS)
    out = tmp_path / "out"
    assert main(["scenarios", str(path), "--out", str(out), "--workers", "1",
                 "--replicates", "2"]) == 0
    for name in OUTPUTS:
        assert (out / name).is_file(), name
    table = pd.read_csv(out / "scenarios.csv")
    assert set(table["scenario"]) == {"random", "degree", "regional", "topups"}
    assert (table["n_replicates"] == 2).all()
    summary = (out / "summary.md").read_text()
    # Issue 19: the baseline the file declares is named, with what it does.
    assert ("Recruiting the most connected people ('degree') instead of the baseline 'random' "
            "(recruiting at random) adds ") in summary or (
            "Recruiting the most connected people ('degree') instead of the baseline 'random' "
            "(recruiting at random) removes ") in summary
    assert "practising people by year 2" in summary
    assert ("Running regional cohorts ('regional') instead of the baseline 'random' (national "
            "cohorts)") in summary
    assert "The baseline runs 1 cohort(s) a year of 12, recruited at random, 2 places" in summary
    assert "Model parameters: " in summary and "not fitted" in summary
    assert summary in capsys.readouterr().out
    # No person id reaches a published table.
    ids = {f"P{i:07d}" for i in range(1, 2001)}
    for csv in out.glob("*.csv"):
        assert not set(pd.read_csv(csv).astype(str).to_numpy().ravel()) & ids


def _sweep(path: Path, out: Path, *extra: str) -> subprocess.Popen:
    env = {**os.environ, "ALUMNI_NET_PROGRESS": "0"}
    return subprocess.Popen(
        [sys.executable, "-c", "import sys; from alumni_net.cli import main; sys.exit(main())",
         "scenarios", str(path), "--out", str(out), "--workers", "1", *extra],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True,
        text=True)


@pytest.mark.slow  # three sweeps in subprocesses: half a minute on an idle 2-core machine
@pytest.mark.timeout(600)
def test_a_sigkilled_sweep_resumes_to_the_same_table(tmp_path):
    path = write(tmp_path, BASE.replace("replicates = 3", "replicates = 12") + SCENARIOS)
    out = tmp_path / "killed"
    proc = _sweep(path, out)
    deadline = time.monotonic() + 120
    done = lambda: len(list(out.glob("runs/*/replicates/rep-*.summary.parquet")))  # noqa: E731
    while done() < 6 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.communicate()
    stored = done()
    assert 0 < stored < 4 * 12, "the kill must land mid-sweep"
    assert not (out / "scenarios.csv").exists()
    resumed = _sweep(path, out, "--resume")
    _, err = resumed.communicate(timeout=300)
    assert resumed.returncode == 0, err
    fresh = tmp_path / "fresh"
    assert main(["scenarios", str(path), "--out", str(fresh), "--workers", "1"]) == 0
    pd.testing.assert_frame_equal(pd.read_csv(out / "scenarios.csv"),
                                  pd.read_csv(fresh / "scenarios.csv"))
    assert done() == 4 * 12  # every replicate stored once: none lost, none repeated


def test_a_bad_dask_address_is_one_sentence_and_writes_nothing(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["scenarios", str(write(tmp_path, BASE)), "--out", str(out), "--dask",
                 "nonsense://x"]) == 2
    assert "'nonsense://x' is not a Dask scheduler address" in capsys.readouterr().err
    assert not out.exists()


def _physicians_file(folder: Path, data: Path, quotas: str) -> Path:
    return write(folder, f'horizon_years = 1\ndata = "{data}"\n[run]\nreplicates = 2\n'
                         f'[cohorts]\nsize = 6\nfirst_start = "1960-01"\n{quotas}')


def test_places_for_service_users_on_data_without_a_sector_column(tmp_path, capsys):
    # Issue 19 red team: the shared physicians have no sector column; [quotas]
    # min_service_users ended in KeyError: 'sector'.
    from tests.helpers import real_dataset_dir

    data = real_dataset_dir("medical_innovation")
    out = tmp_path / "out"
    path = _physicians_file(tmp_path, data, "[quotas]\nmin_service_users = 2\n")
    assert main(["scenarios", str(path), "--out", str(out), "--workers", "1"]) == 2
    err = capsys.readouterr().err
    assert ("scenario 'baseline': [quotas] min_service_users = 2 needs a 'sector' column in the "
            "people table (people who use services have sector = 'people_who_use_services'); "
            "these data have none, so set min_service_users = 0") in err
    assert "Traceback" not in err and "KeyError" not in err and not out.exists()
    # Without the places, the same file runs.
    path = _physicians_file(tmp_path, data, "")
    assert main(["scenarios", str(path), "--out", str(out), "--workers", "1"]) == 0
    assert (out / "scenarios.csv").is_file()


def test_a_data_file_is_passed_to_the_loader_not_called_a_missing_folder(tmp_path, capsys):
    # Issue 19 red team: data = "people.csv" said the folder "does not exist". Single files are
    # becoming valid input, so the file goes to the loader, which says what it can read.
    from tests.helpers import real_dataset_dir

    from alumni_net.errors import AlumniNetError
    from alumni_net.io import load_dataset

    people = real_dataset_dir("medical_innovation") / "people.csv"
    out = tmp_path / "out"
    code = main(["scenarios", str(_physicians_file(tmp_path, people, "")), "--out", str(out),
                 "--workers", "1"])
    err = capsys.readouterr().err
    assert "does not exist" not in err and "Traceback" not in err
    try:
        load_dataset(people)
    except AlumniNetError as exc:  # the loader's own sentence, as it says it
        assert code == 2 and people.name in err and not out.exists()
        assert str(exc).splitlines()[-1].strip(" -").split(": ", 1)[-1] in err
    else:  # a loader that reads single files: the scenario runs on it
        assert code == 0
