"""``alumni-net map``: every kind of map from the command line, and one-line errors."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import pytest  # noqa: E402
from PIL import Image  # noqa: E402
from tests.helpers import real_dataset_dir  # noqa: E402

from alumni_net.cli import main  # noqa: E402


def test_whole_network_png_with_size(two_cohorts, pseudonym_key, tmp_path, capsys):
    out = tmp_path / "maps" / "network.png"
    assert main(["map", str(two_cohorts), "--out", str(out), "--dpi", "40"]) == 0
    assert capsys.readouterr().out.strip() == str(out)
    with Image.open(out) as im:
        assert im.size == (320, 320) and "Software" not in im.info
    assert [p.name for p in out.parent.iterdir()] == ["network.png"]  # no temporary files left


def test_aggregate_ego_and_growth(two_cohorts, pseudonym_key, tmp_path):
    data = str(two_cohorts)
    assert (
        main(
            [
                "map",
                data,
                "--out",
                str(tmp_path / "agg.svg"),
                "--aggregate",
                "--color-by",
                "sector",
                "--min-count",
                "1",
            ]
        )
        == 0
    )
    svg = (tmp_path / "agg.svg").read_text(encoding="utf-8")
    assert svg.lstrip().startswith("<?xml") and "<dc:date>" not in svg
    # The ego is found by the original id through the configured key.
    assert main(["map", data, "--out", str(tmp_path / "ego.pdf"), "--ego", "a1"]) == 0
    assert (tmp_path / "ego.pdf").read_bytes().startswith(b"%PDF")
    assert main(["map", data, "--out", str(tmp_path / "cohort.png"), "--cohort", "2"]) == 0
    assert (
        main(["map", data, "--out", str(tmp_path / "growth.gif"), "--growth", "--dpi", "30"]) == 0
    )
    with Image.open(tmp_path / "growth.gif") as im:
        assert im.n_frames == 2  # two cohorts


def test_real_directed_network_sized_by_analyze_centrality(tmp_path, pseudonym_key, capsys):
    from alumni_net.io import Pseudonymiser

    data = real_dataset_dir("medical_innovation")
    pseudo = Pseudonymiser(pseudonym_key)
    cent = tmp_path / "centrality.csv"
    # analyze writes pseudonymised ids made with the same key, so the map can match them.
    cent.write_text(
        f"person_id,pagerank\n{pseudo.one('1001', 'person_id')},0.5\n"
        f"{pseudo.one('1002', 'person_id')},0.1\n",
        encoding="utf-8",
    )
    args = [
        "map",
        str(data),
        "--out",
        str(tmp_path / "m.png"),
        "--color-by",
        "city",
        "--size-by",
        "pagerank",
        "--centrality",
        str(cent),
        "--dpi",
        "30",
    ]
    assert main(args) == 0 and (tmp_path / "m.png").is_file()
    cent.write_text("person_id,pagerank\n1001,0.5\n", encoding="utf-8")  # original ids: no match
    assert main(args) == 2
    assert "none of the centrality table's person ids are in the network" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--color-by", "email"], "personal field"),
        (["--color-by", "shoe_size"], "no one in the data has a 'shoe_size' value"),
        (["--ego", "nobody"], "person 'nobody' is not in the network"),
        (["--size-by", "pagerank"], "cannot size nodes by 'pagerank'"),
        (["--min-count", "0"], "--min-count: must be a whole number of at least 1"),
    ],
)
def test_bad_options_give_one_line_errors(
    two_cohorts, pseudonym_key, tmp_path, capsys, extra, message
):
    out = tmp_path / "m.png"
    assert main(["map", str(two_cohorts), "--out", str(out), *extra]) == 2
    err = capsys.readouterr().err.strip()
    assert message in err and err.count("\n") == 0
    assert not out.exists()


def test_wrong_suffixes_are_refused(two_cohorts, pseudonym_key, tmp_path, capsys):
    assert main(["map", str(two_cohorts), "--out", str(tmp_path / "m.gif")]) == 2
    assert "only growth maps are animated" in capsys.readouterr().err
    assert main(["map", str(two_cohorts), "--out", str(tmp_path / "m.jpg")]) == 2
    assert "use .png, .svg or .pdf" in capsys.readouterr().err


def test_growth_by_adoption_time_on_real_data(tmp_path):
    data = real_dataset_dir("medical_innovation")
    out = tmp_path / "toa.gif"
    assert (
        main(["map", str(data), "--out", str(out), "--growth", "--color-by", "toa", "--dpi", "20"])
        == 0
    )
    with Image.open(out) as im:
        # One frame per adoption month, 1 to 17: toa 18 (adopted = 0) is "never adopted".
        assert im.n_frames == 17


def test_cli_limit_matches_the_plotting_limit():
    from alumni_net.cli import map as map_command
    from alumni_net.plotting import MAX_PEOPLE

    assert map_command.MAX_PEOPLE == MAX_PEOPLE
