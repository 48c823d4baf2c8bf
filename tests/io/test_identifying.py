"""Columns (and pairs) unique per person are flagged; ``--pseudonymise`` hides them (issue 8)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from tests.helpers import real_dataset_dir

from alumni_net.cli import main
from alumni_net.io import identifying_columns, load_dataset

KEY = b"identifying-key-0123456789"


def test_village_and_id_within_rebuild_the_original_id_and_are_flagged():
    folder = real_dataset_dir("brazilian_farmers")
    original = pd.read_csv(folder / "people.csv", usecols=["person_id"])["person_id"]
    ds = load_dataset(folder, key=KEY, pseudonymise_ids=True)
    # The reproduction: ids are pseudonyms, yet village and id_in_village give every id back.
    assert not set(ds.people["person_id"]) & set(original.astype(str))
    rebuilt = ds.people["village"] * 100 + ds.people["id_in_village"]
    assert sorted(rebuilt.astype(int)) == sorted(original)
    assert ds.notes == (
        "people.csv: the pairs 'village' + 'id_in_village', 'village' + 'idold', 'commun' + "
        "'id_in_village', 'commun' + 'idold' each identify every person, so outputs that keep "
        "them can be joined back to the original ids, undoing the pseudonyms; pseudonymise them "
        "(--pseudonymise id_in_village idold, or pseudonymise = [...] in dataset.toml) or drop "
        "them",
    )
    hidden = load_dataset(folder, key=KEY, pseudonymise_ids=True,
                          pseudonymise=["id_in_village", "idold"])
    assert hidden.notes == ()
    assert hidden.people["id_in_village"].str.fullmatch(r"i_[0-9a-f]{16}").all()
    assert hidden.loaded_with["pseudonymised_columns"] == ["id_in_village", "idold"]


def test_single_columns_nearly_unique_and_the_thresholds():
    n = 40
    people = pd.DataFrame({
        "person_id": range(n),
        "old_id": [f"x{i}" for i in range(n)],  # unique
        "tenure": [round(i * 0.37, 2) if i != 5 else 0.0 for i in range(n)],  # 39 of 40 distinct
        "team": [i // 10 for i in range(n)],
        "seat": [i % 10 for i in range(n)],  # with the team, the old id again
        "sector": ["a", "b"] * 20,
        "cohort": [i % 2 for i in range(n)],
    })
    assert identifying_columns(people) == (["old_id", "tenure"], [("team", "seat")])
    assert identifying_columns(people, skip=["seat"]) == (["old_id", "tenure"], [])
    # 19 people: too few for uniqueness to mean anything.
    assert identifying_columns(people.head(19)) == ([], [])
    # A pair unique in a sample but not overall is not flagged (large data are screened).
    big = pd.DataFrame({"person_id": np.arange(12_000), "a": np.arange(12_000) // 2,
                        "b": np.zeros(12_000, dtype=int)})
    big.loc[1, "b"] = 1
    assert identifying_columns(big) == ([], [])


def test_real_data_without_such_columns_get_no_note():
    assert load_dataset(real_dataset_dir("lazega_lawyers")).notes == ()
    ds = load_dataset(real_dataset_dir("krackhardt_hightech"))
    assert ds.notes[0].startswith("people.csv: column 'tenure_years' is unique per person")


def test_pseudonymise_takes_several_columns(capsys, monkeypatch):
    monkeypatch.setenv("ALUMNI_NET_KEY", KEY.decode())
    folder = str(real_dataset_dir("medical_innovation"))
    assert main(["validate", folder]) == 0
    assert capsys.readouterr().err == (
        "note: people.csv: the pair 'city' + 'id_in_city' identifies every person, so outputs "
        "that keep it can be joined back to the original ids, undoing the pseudonyms; "
        "pseudonymise it (--pseudonymise id_in_city, or pseudonymise = [...] in dataset.toml) "
        "or drop it\n")
    assert main(["validate", folder, "--pseudonymise", "id_in_city", "origid"]) == 0
    assert capsys.readouterr().err == ""
