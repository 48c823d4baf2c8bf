"""The national preset: the UK workforce table's shares, realistic organisations, about 20 ties
each with a heavy tail, clustering inside teams, ties across sectors and regions."""

from __future__ import annotations

import tomllib
from pathlib import Path

import igraph as ig
import numpy as np
import pandas as pd
import pytest

from alumni_net.synth import make_params, synthesize
from alumni_net.synth.params import SynthParams
from alumni_net.synth.workforce import load_population, population_sources, scale_counts

README = Path(__file__).resolve().parents[2] / "data" / "README.md"


@pytest.fixture(scope="module")
def national(tmp_path_factory):
    out = tmp_path_factory.mktemp("national") / "ds"
    return synthesize(out, preset="national", n_people=60_000, seed=3)


def test_preset_is_three_million_with_3120_alumni_over_ten_years():
    p = make_params("national")
    assert p.n_people == 3_000_000 and p.population == "uk_workforce"
    assert p.n_alumni == 3_120 and p.n_cohorts / p.cohorts_per_year == 10
    assert (p.leaders_per_cohort, p.service_users_per_cohort, p.sets_per_cohort) == (24, 2, 4)


def test_people_are_the_tables_counts_scaled_exactly(national):
    people = national.people
    table = load_population()
    work = people[people["sector"] != "people_who_use_services"]
    assert len(people) - len(work) == round(0.02 * 60_000)
    expected = scale_counts(table["count"], len(work))
    got = work.groupby(["region", "sector", "role"]).size()
    keys = list(zip(table["region"], table["sector"], table["role"], strict=True))
    assert [int(got.get(k, 0)) for k in keys] == expected.tolist()


def _rows(national, ties):
    index = pd.Index(national.people["person_id"])
    return index.get_indexer(ties["source"]), index.get_indexer(ties["target"])


def test_about_twenty_ties_each_heavy_tailed_and_clustered(national):
    a, b = _rows(national, national.ties)
    g = ig.Graph(n=len(national.people), edges=np.column_stack([a, b])).simplify()
    degree = np.array(g.degree())
    assert 18 <= degree.mean() <= 23
    assert degree.max() >= 10 * degree.mean()  # a few boundary spanners with hundreds
    assert g.transitivity_avglocal_undirected(mode="zero") >= 0.25


def test_organisations_have_the_sizes_of_their_kind(national):
    people = national.people
    size = people.groupby("organisation").size()
    sector = people.groupby("organisation")["sector"].first()
    health = size[sector == "health"]
    assert health.max() >= 2_000  # trusts
    assert ((health >= 10) & (health <= 150)).sum() >= 20  # general practices
    care = size[sector == "social_care"]
    assert (care <= 3).sum() >= 50  # personal assistants' employers
    assert care.median() < 40


def test_ties_cross_sectors_and_regions(national):
    people = national.people
    sector, region, org = (people[c].to_numpy() for c in ("sector", "region", "organisation"))
    a, b = _rows(national, national.ties[national.ties["kind"] == "partnership"])
    assert (sector[a] != sector[b]).mean() > 0.3
    assert 0.05 < (region[a] != region[b]).mean() < 0.2  # 90% within the region, by design
    a, b = _rows(national, national.ties[national.ties["kind"] == "colleague"])
    assert (org[a] == org[b]).all()


def test_dataset_toml_records_the_preset_and_reads_back(national):
    meta = tomllib.loads((national.path / "dataset.toml").read_text())
    assert meta["preset"] == "national"
    params = SynthParams(**meta["params"])
    assert params == make_params("national", n_people=60_000)


def test_every_source_of_the_table_is_listed_in_the_data_dictionary():
    text = README.read_text(encoding="utf-8")
    for key, url in zip(population_sources()["key"], population_sources()["url"], strict=True):
        assert f"\n{key}. " in text or f"\n {key}. " in text, key
        assert not url or url in text, key
