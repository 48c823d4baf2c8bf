"""The committed example dataset is exactly what its documented command writes."""

from __future__ import annotations

from pathlib import Path

from alumni_net.cli import main
from alumni_net.io import load_dataset

SMALL = Path(__file__).resolve().parents[2] / "data" / "synthetic" / "small"
COMMAND = "alumni-net synth --out data/synthetic/small --people 2000 --cohorts 4 --seed 0"


def test_readme_command_regenerates_the_committed_files(tmp_path, capsys):
    assert COMMAND in (SMALL.parent / "README.md").read_text()
    args = COMMAND.split()[1:]
    args[args.index("data/synthetic/small")] = str(tmp_path / "small")
    assert main(args) == 0
    for name in ("people.csv", "ties.csv", "dataset.toml"):
        assert (tmp_path / "small" / name).read_bytes() == (SMALL / name).read_bytes(), name


def test_committed_example_is_valid_and_small():
    ds = load_dataset(SMALL)
    assert ds.summary()["alumni"] == 104 and ds.summary()["cohorts"] == 4
    assert sum(f.stat().st_size for f in SMALL.iterdir()) < 1_000_000
