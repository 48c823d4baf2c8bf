"""Each format's own rules: Kumu's matching and fan-out, Polinode's sheets, nominations kept or
dropped, the egocentric layout, spreadsheet CSV realities, single files on the command line."""

from __future__ import annotations

import contextlib
import io

import pandas as pd
import pytest
from tests.helpers import real_dataset_dir
from tests.io.examples import EXAMPLES, UNSURVEYED, _book

from alumni_net.cli import main
from alumni_net.errors import ValidationError
from alumni_net.io import Pseudonymiser, load_dataset

KEY = "formats-key-0123456789"


@pytest.fixture(autouse=True)
def _key(monkeypatch):
    monkeypatch.setenv("ALUMNI_NET_KEY", KEY)


def _problems(path, **kwargs) -> list[str]:
    with pytest.raises(ValidationError) as info:
        load_dataset(path, **kwargs)
    return [str(p) for p in info.value.problems]


# --- Kumu ----------------------------------------------------------------------------------


def test_kumu_workbook_of_the_lawyers_is_the_lawyers():
    ds = load_dataset(EXAMPLES / "kumu/lawyers_kumu.xlsx")
    real = load_dataset(real_dataset_dir("lazega_lawyers"))
    assert ds.directed and ds.people["person_id"].tolist() == real.people["person_id"].tolist()
    got = sorted(zip(ds.ties["source"], ds.ties["target"], ds.ties["kind"], strict=True))
    assert got == sorted(zip(real.ties["source"], real.ties["target"], real.ties["kind"],
                             strict=True))
    assert ds.people["office_label"].tolist() == real.people["office_label"].tolist()
    pseudo = Pseudonymiser(KEY.encode())
    assert ds.people["name"].iat[6] == pseudo.one("Lawyer 07", "name")
    assert "Notes (ignore)" not in " ".join(ds.notes)  # skipped as Kumu skips it, silently


def test_kumu_fan_out_label_type_and_ids(tmp_path):
    path = _book({"Elements": [["Label", "Type"], ["Ann", "Person"], ["Bo", "Person"],
                               ["Cy", "Person"], ["Cy", "Team"]],
                  "Connections": [["From", "To", "Type", "Strength"],
                                  ["Ann", "Bo | Cy", "advice", "2"]]}, tmp_path / "m.xlsx")
    found = _problems(path)
    assert found == ["m.xlsx, sheet 'Connections', row 2, column 'To': 'Cy' is the Label of 2 "
                     "elements of different types; give the elements an ID column and use the "
                     "IDs in From and To"]
    path = _book({"Elements": [["ID", "Label", "Type"], ["e1", "Ann", "Person"],
                               ["e2", "Bo", "Person"], ["e3", "Cy", "Person"],
                               ["e4", "Cy", "Team"]],
                  "Connections": [["From", "To", "Type", "Strength"],
                                  ["e1", "e2 | e3|e4", "advice", "2"]]}, tmp_path / "ids.xlsx")
    ds = load_dataset(path)
    assert ds.people["person_id"].tolist() == ["e1", "e2", "e3", "e4"]
    assert sorted(zip(ds.ties["target"], ds.ties["weight"], strict=True)) == [
        ("e2", 2.0), ("e3", 2.0), ("e4", 2.0)]


def test_kumu_duplicate_labels_and_missing_connections(tmp_path):
    path = _book({"Elements": [["Label"], ["Ann"], ["Bo"], ["Ann"]],
                  "Connections": [["From", "To"], ["Ann", "Bo"]]}, tmp_path / "d.xlsx")
    assert _problems(path) == [
        "d.xlsx, sheet 'Elements', row 4, column 'Label': Label 'Ann' already appears in row 2; "
        "two rows would become one person, so give each person an ID column, or remove one row"]
    path = _book({"Elements": [["Label"], ["Ann"]], "Sheet2": [["who", "what"], ["a", "b"]]},
                 tmp_path / "e.xlsx")
    found = _problems(path, format="kumu")
    assert found[0].startswith("e.xlsx, sheet 'Sheet2', row 1: is neither a Kumu element sheet")


def test_kumu_connections_csv_alone_makes_its_people(tmp_path):
    (tmp_path / "c.csv").write_text("From,To,Type,Direction\nAnn,Bo,friend,undirected\n"
                                    "Bo,Cy,friend,undirected\n")
    ds = load_dataset(tmp_path / "c.csv")
    assert ds.n_people == 3 and ds.n_ties == 2 and not ds.directed
    assert ds.loaded_with["format"] == "kumu"


# --- Polinode ------------------------------------------------------------------------------


def test_polinode_missing_sheet_is_named(tmp_path):
    path = _book({"Nodes": [["Name"], ["Ann"]], "Links": [["Source", "Target"]]},
                 tmp_path / "p.xlsx")
    assert _problems(path, format="polinode") == [
        "p.xlsx: has no 'Edges' sheet (Polinode's layout: Nodes and Edges)"]


# --- nominations ---------------------------------------------------------------------------


def test_the_wide_survey_is_netdiffusers_medical_innovation():
    path = EXAMPLES / "nominations/medical_innovation_survey.csv"
    ds = load_dataset(path)
    real = load_dataset(real_dataset_dir("medical_innovation"))
    assert ds.people["person_id"].tolist() == real.people["person_id"].tolist()
    kinds = {"net1": "advice", "net2": "discussion", "net3": "friendship"}
    got = sorted(zip(ds.ties["source"], ds.ties["target"], ds.ties["kind"].map(kinds),
                     strict=True))
    assert got == sorted(zip(real.ties["source"], real.ties["target"], real.ties["kind"],
                             strict=True))
    assert ds.people["adoption_time"].tolist() == real.people["toa"].tolist()
    assert any("2 nominations name 1 people who did not answer" in n for n in ds.notes) or any(
        "did not answer" in n for n in ds.notes)


def test_unsurveyed_nominees_are_kept_when_asked():
    path = EXAMPLES / "nominations/medical_innovation_survey.csv"
    dropped = load_dataset(path)
    kept = load_dataset(path, unsurveyed="keep")
    added = set(kept.people["person_id"]) - set(dropped.people["person_id"])
    nominated = {int(p) // 1000 * 1000 + int(v) for p, v in UNSURVEYED.items()}
    assert added and added <= nominated
    assert kept.n_ties - dropped.n_ties == sum(
        1 for s, t in zip(kept.ties["source"], kept.ties["target"], strict=True) if t in added)
    note = next(n for n in kept.notes if "did not answer" in n)
    assert f"name {len(added)} people" in note and "kept" in note


# --- egocentric ----------------------------------------------------------------------------


def test_egocentric_people_know_their_ego():
    ds = load_dataset(EXAMPLES / "egocentric")
    assert ds.layout == "egocentric"
    people = ds.people.set_index("person_id")
    egos = people[people["is_ego"]]
    alters = people[~people["is_ego"]]
    assert len(egos) == 12 and list(ds.egos) == sorted(egos.index, key=str)
    assert alters["ego"].isin(egos.index.astype(str)).all()
    assert all(str(pid).startswith(f"{ego}:") for pid, ego in alters["ego"].items())
    named = ds.ties[ds.ties["kind"] == "named"]
    assert (named["target"].map(alters["ego"]) == named["source"].astype(str)).all()
    among = ds.ties[ds.ties["kind"] == "alter_tie"]
    assert (among["source"].map(alters["ego"]) == among["target"].map(alters["ego"])).all()
    # Pseudonymised ids keep each alter with its ego.
    hidden = load_dataset(EXAMPLES / "egocentric", pseudonymise_ids=True).people
    by_id = hidden.set_index("person_id")
    alters = by_id[~by_id["is_ego"]]
    assert alters["ego"].isin(by_id.index[by_id["is_ego"]]).all()


def test_a_repeated_alter_is_named_in_the_alters_table(tmp_path):
    folder = tmp_path / "ego"
    folder.mkdir()
    (folder / "egos.csv").write_text("egoID,age\n1,40\n2,x\n")
    (folder / "alters.csv").write_text("egoID,alterID,age\n1,1,30\n1,2,31\n1,1,32\n")
    assert _problems(folder) == [
        "alters.csv, row 4, column 'alterID': alter '1' of ego '1' already appears in row 2"]


def test_an_alter_tie_naming_another_egos_alter_is_refused(tmp_path):
    folder = tmp_path / "ego"
    folder.mkdir()
    (folder / "egos.csv").write_text("egoID\n1\n2\n")
    (folder / "alters.csv").write_text("egoID,alterID\n1,1\n1,2\n2,1\n")
    (folder / "alter_ties.csv").write_text("egoID,Source,Target\n2,1,2\n")
    assert _problems(folder) == [
        "alter_ties.csv, row 2, column 'Target': '2' is not an alter of ego '2' in the alters "
        "table"]


# --- CSV as spreadsheets save it -----------------------------------------------------------


def test_headers_and_separators_are_read_and_said_once(tmp_path):
    folder = tmp_path / "d"
    folder.mkdir()
    (folder / "people.csv").write_text("Person ID ;Cohort Start\n1;25/12/2020\n2;\n")
    (folder / "ties.csv").write_bytes("\ufeffSource\tTarget\n1\t2\n".encode("utf-16"))
    ds = load_dataset(folder)
    assert ds.people["cohort_start"].iat[0] == pd.Timestamp("2020-12-25")
    notes = " | ".join(ds.notes)
    assert "people.csv: read with a semicolon as the separator" in notes
    assert "people.csv: read the headers 'Person ID' as person_id, 'Cohort Start' as " \
           "cohort_start" in notes
    assert "ties.csv: read with a tab as the separator" in notes


# --- the command line ----------------------------------------------------------------------


@pytest.mark.parametrize("rel", ["kumu/lawyers_kumu.xlsx", "pajek/physicians.net",
                                 "gephi/physicians.gexf",
                                 "nominations/medical_innovation_survey.csv"])
def test_every_command_takes_a_single_file(rel, tmp_path):
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        assert main(["validate", str(EXAMPLES / rel)]) == 0
        assert main(["analyze", str(EXAMPLES / rel), "--out", str(tmp_path / "a"),
                     "--samples", "20"]) == 0
    assert (tmp_path / "a/centrality.csv").is_file()


def test_format_can_be_forced_and_unknown_formats_are_named(tmp_path):
    path = tmp_path / "net.txt"
    path.write_text((EXAMPLES / "pajek/physicians.net").read_text())
    err = io.StringIO()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
        assert main(["validate", str(path)]) == 2
        assert main(["validate", str(path), "--format", "pajek"]) == 0
        assert main(["validate", str(path), "--format", "excel"]) == 2
    assert "net.txt: is not laid out as any format its ending allows (ucinet)" in err.getvalue()
    assert "unknown format 'excel'; choose from folder, egocentric" in err.getvalue()
