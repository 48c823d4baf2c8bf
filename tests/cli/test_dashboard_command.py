"""``alumni-net dashboard``: data with problems, a bad port or config are one sentence each
(exit 2) and no server starts."""

from __future__ import annotations

import pytest

pytest.importorskip("solara")

from alumni_net.cli import main  # noqa: E402


@pytest.fixture
def no_server(monkeypatch):
    import alumni_net.dashboard.server as server

    started = []
    monkeypatch.setattr(server, "serve", lambda *a, **k: started.append((a, k)) or 0)
    return started


def test_a_folder_without_people_is_listed_and_not_served(tmp_path, capsys, no_server):
    # Issue 19 red team: the dashboard started on invalid data and showed a traceback.
    folder = tmp_path / "programme"
    folder.mkdir()
    (folder / "ties.csv").write_text("source,target\na,b\n", encoding="utf-8")
    assert main(["dashboard", str(folder)]) == 2
    err = capsys.readouterr().err
    assert "people.csv" in err and "Traceback" not in err and not no_server


@pytest.mark.parametrize(("argv", "sentence"), [
    (["--port", "70000"], "--port: must be a whole number from 1,024 to 65,535, not '70000'"),
    (["--port", "-1"], "--port: must be a whole number from 1,024 to 65,535, not '-1'"),
    (["--config", "nowhere.toml"], "nowhere.toml does not exist"),
])
def test_bad_options_are_one_sentence(argv, sentence, capsys, no_server):
    assert main(["dashboard", *argv]) == 2
    err = capsys.readouterr().err
    assert sentence in err and "Traceback" not in err and not no_server


def test_good_data_and_config_start_the_server_with_both(tmp_path, no_server, two_cohorts):
    config = tmp_path / "calibrated.toml"
    config.write_text("[model]\nbeta = 0.03\n", encoding="utf-8")
    assert main(["dashboard", str(two_cohorts), "--config", str(config), "--port", "8123"]) == 0
    (args, kwargs), = no_server
    assert args[0] == two_cohorts and kwargs == {"port": 8123, "config": config}
