"""Every numeric option of every command has a checked range: a value outside it is one sentence
naming the option, exit 2 and nothing written, never a traceback later (issue 19 red team)."""

from __future__ import annotations

import argparse

import pytest

from alumni_net.cli import COMMANDS, build_parser, main


def _subparsers() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    (sub,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return dict(sub.choices)


def _numeric_options() -> list[tuple[str, str, object]]:
    found = []
    for name, parser in _subparsers().items():
        for action in parser._actions:
            if action.option_strings and action.type is not None and (
                    action.type in (int, float) or hasattr(action.type, "low")):
                found.append((name, action.option_strings[0], action.type))
    return found


NUMERIC = _numeric_options()


def test_every_command_is_covered_and_no_option_takes_a_bare_number():
    assert {c for c, _, _ in NUMERIC} == set(COMMANDS) - {"export"}  # export takes no number
    bare = [(c, o) for c, o, t in NUMERIC if t in (int, float)]
    assert not bare, f"options without a range: {bare}"


def _outside(convert) -> list[str]:
    values = ["nan", "inf", "ten"]
    if convert.low is not None:
        values.append(str(convert.low - 1))
    if convert.high is not None:
        values.append(str(convert.high + 1))
    return values if convert.kind is float else [v for v in values if v != "nan"]


@pytest.mark.parametrize(("command", "option", "convert"), NUMERIC,
                         ids=[f"{c} {o}" for c, o, _ in NUMERIC])
def test_out_of_range_is_one_sentence_and_exit_2(command, option, convert, tmp_path, capsys):
    for value in _outside(convert):
        argv = [command, option, value]
        assert main(argv) == 2, argv
        err = capsys.readouterr().err.strip()
        assert err.count("\n") == 0 and "Traceback" not in err, err
        assert err.startswith(f"alumni-net {command}: argument {option}: must be "), err
        assert f"not {value!r}" in err
    assert not any(tmp_path.iterdir())


def test_a_negative_seed_and_an_impossible_port(capsys):
    assert main(["simulate", "data", "--out", "x", "--seed", "-1"]) == 2
    assert "--seed: must be a whole number from 0 to 2**63 - 1, not '-1'" in capsys.readouterr().err
    assert main(["dashboard", "--port", "70000"]) == 2
    assert "--port: must be a whole number from 1,024 to 65,535, not '70000'" in (
        capsys.readouterr().err)
    # Within range, the option reads as written (thousands separators and underscores too).
    args = build_parser().parse_args(["synth", "--out", "x", "--people", "20_000", "--seed", "7"])
    assert (args.people, args.seed) == (20000, 7)


def test_a_full_disk_is_one_sentence_naming_the_path(tmp_path, monkeypatch, capsys,
                                                     pseudonym_key):
    """Red team (issue 19): "No space left on device" without the path. A fake writer raises
    ENOSPC as a full disk does (no file name) in the middle of the command's writes."""
    import errno
    import os

    from tests.helpers import TWO_COHORTS_PEOPLE, TWO_COHORTS_TIES, write_dataset_files

    data = write_dataset_files(tmp_path / "data", TWO_COHORTS_PEOPLE, TWO_COHORTS_TIES)

    def full(*_args, **_kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full)
    for command, first in (("analyze", "centrality.csv"), ("export", "network.gexf")):
        out = tmp_path / command
        assert main([command, str(data), "--out", str(out)]) == 2
        err = [ln for ln in capsys.readouterr().err.splitlines() if not ln.startswith("note:")]
        assert err == [f"alumni-net {command}: No space left on device: {out / first}; free some "
                       "space there or write elsewhere (nothing half-written was kept)"]
        assert not out.exists()
