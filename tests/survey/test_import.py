"""``import_survey``: responses + roster -> egos, alters, alter ties, programme ties; bad input
is one sentence per problem naming file, row and column, and nothing is written."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from alumni_net.errors import ValidationError
from alumni_net.io import Pseudonymiser
from alumni_net.survey import import_survey, read_ego_data

from .conftest import EXAMPLE, KEY, read_text_table


def test_the_example_imports_with_its_counts(imported):
    data = imported.data
    assert (data.n_alumni, data.n_respondents) == (78, 30)
    roster = read_text_table(EXAMPLE / "roster.csv")
    responses = read_text_table(EXAMPLE / "responses.csv")
    named = sum((responses[f"contact{i}_sector"] != "").sum() for i in range(1, 6))
    assert len(data.alters) == named
    knows = [c for c in responses if c.startswith("knows_")]
    assert len(data.alter_ties) == int((responses[knows] == "yes").to_numpy().sum())
    kinds = data.ties["kind"].value_counts()
    assert kinds["cohort"] == 3 * 26 * 25 // 2
    sets = roster.groupby(["cohort", "action_learning_set"]).size()
    assert kinds["action_learning_set"] == int((sets * (sets - 1) // 2).sum())
    assert data.source_sentence() == "a survey of 30 of 78 alumni"


def test_ids_are_keyed_pseudonyms_and_names_never_kept(imported):
    data = imported.data
    roster = read_text_table(EXAMPLE / "roster.csv")
    pseudo = Pseudonymiser(KEY)
    assert set(data.people["person_id"]) == {pseudo.one(p, "person_id") for p in
                                             roster["person_id"]}
    text = " ".join(frame.astype(str).to_csv() for frame in
                    (data.people, data.ties, data.egos, data.alters, data.alter_ties))
    for value in [*roster["name"], *roster["email"], *roster["person_id"]]:
        assert value not in text
    # alters have no names: their ids are the ego's pseudonym and a slot number
    assert all(re.fullmatch(r"p_[0-9a-f]{16}-c[1-5]", a) for a in data.alters["alter_id"])
    assert (data.alters["alter_id"].str[:18] == data.alters["ego_id"]).all()


def test_response_rates_by_cohort_sector_and_region(imported):
    rates = imported.response_rate
    assert rates.iloc[0].tolist()[:4] == ["all", "all", 78, 30]
    for kind in ("cohort", "sector", "region"):
        part = rates[rates["group_type"] == kind]
        assert part["alumni"].sum() == 78 and part["respondents"].sum() == 30
    cohort = rates[rates["group_type"] == "cohort"].set_index("group")
    people = imported.data.people
    for c, row in cohort.iterrows():
        mine = people[people["cohort"] == c]
        assert row["respondents"] == mine["responded"].sum()


def test_answers_are_typed_and_the_ratings_carried(imported):
    egos = imported.data.egos
    assert egos["know_own_org"].notna().all() and (egos["know_own_org"] >= 0).all()
    assert egos["self_assessment_start"].between(1, 10).all()
    assert egos["self_assessment_now"].between(1, 10).all()
    assert egos["practising"].dtype == "boolean"


def test_written_dataset_reads_back(tmp_path, categories):
    out = tmp_path / "survey"
    import_survey(EXAMPLE / "responses.csv", EXAMPLE / "roster.csv", out,
                  categories=categories, key=KEY)
    back = read_ego_data(out)
    assert (back.n_alumni, back.n_respondents, len(back.alters)) == (78, 30, 150)
    assert (out / "response_rate.csv").is_file() and (out / "dataset.toml").is_file()
    from alumni_net.io import load_dataset

    ds = load_dataset(out)  # people + ties is an ordinary dataset too
    assert ds.n_people == 78


def _bad_case(tmp_path, edit_responses=None, edit_roster=None):
    responses = read_text_table(EXAMPLE / "responses.csv")
    roster = read_text_table(EXAMPLE / "roster.csv")
    if edit_responses:
        responses = edit_responses(responses)
    if edit_roster:
        roster = edit_roster(roster)
    paths = tmp_path / "responses.csv", tmp_path / "roster.csv"
    responses.to_csv(paths[0], index=False)
    roster.to_csv(paths[1], index=False)
    return paths


def _problems(tmp_path, categories, **edits) -> list[str]:
    responses, roster = _bad_case(tmp_path, **edits)
    out = tmp_path / "out"
    with pytest.raises(ValidationError) as info:
        import_survey(responses, roster, out, categories=categories, key=KEY)
    assert not out.exists()  # nothing written
    return [str(p) for p in info.value.problems]


def test_a_named_alum_missing_from_the_roster(tmp_path, categories):
    def edit(r):
        r.loc[3, "alumni_contacts"] = "Participant C9-99;" + r.loc[3, "alumni_contacts"]
        return r

    assert _problems(tmp_path, categories, edit_responses=edit) == [
        "responses.csv, row 5, column 'alumni_contacts': 'Participant C9-99' is not in the "
        "roster"]


def test_a_duplicate_respondent(tmp_path, categories):
    def edit(r):
        return pd.concat([r, r.iloc[[2]]], ignore_index=True)

    [problem] = _problems(tmp_path, categories, edit_responses=edit)
    assert problem.startswith("responses.csv, row 32, column 'identity': ")
    assert "answered already on row 4 (a duplicate respondent" in problem


def test_a_count_that_is_not_a_number(tmp_path, categories):
    def edit(r):
        r.loc[0, "know_other_orgs"] = "about 20"
        return r

    assert _problems(tmp_path, categories, edit_responses=edit) == [
        "responses.csv, row 2, column 'know_other_orgs': 'about 20' is not a number: write a "
        "whole number such as 20"]


def test_a_roster_without_cohorts(tmp_path, categories):
    problems = _problems(tmp_path, categories, edit_roster=lambda r: r.drop(columns="cohort"))
    assert problems == ["roster.csv, row 1, column 'cohort': every alum needs a cohort (the "
                        "roster has no cohort column)"]


def test_an_alum_with_an_empty_cohort(tmp_path, categories):
    def edit(r):
        r.loc[5, "cohort"] = ""
        return r

    assert _problems(tmp_path, categories, edit_roster=edit) == [
        "roster.csv, row 7, column 'cohort': the cohort is empty: every alum needs one"]


def test_every_problem_at_once(tmp_path, categories):
    def edit(r):
        r.loc[0, "know_own_org"] = "lots"
        r.loc[1, "sector"] = "aerospace"
        r.loc[2, "contact1_same_org"] = "maybe"
        return r

    problems = _problems(tmp_path, categories, edit_responses=edit)
    assert len(problems) == 3
    assert problems[1].startswith("responses.csv, row 3, column 'sector': 'aerospace' is not "
                                  "one of the options (")
    assert problems[2] == ("responses.csv, row 4, column 'contact1_same_org': 'maybe' is not an "
                           "answer to this question: write yes or no")


def test_no_identity_column(tmp_path, categories):
    problems = _problems(tmp_path, categories,
                         edit_responses=lambda r: r.drop(columns="identity"))
    assert len(problems) == 1 and "no column says who answered" in problems[0]


def test_egors_own_layout_is_read(tmp_path, imported):
    """egor's names (.egoID, .altID, .srcID, .tgtID, aaties.csv) with alters numbered within
    each ego."""
    data = imported.data
    folder = tmp_path / "egor"
    folder.mkdir()
    egos = data.egos.rename(columns={"ego_id": ".egoID"})
    number = data.alters["alter_id"].str.split("-c").str[1]
    alters = data.alters.assign(alter_id=number).rename(
        columns={"ego_id": ".egoID", "alter_id": ".altID"})
    ties = data.alter_ties.assign(source=data.alter_ties["source"].str.split("-c").str[1],
                                  target=data.alter_ties["target"].str.split("-c").str[1])
    ties = ties.rename(columns={"ego_id": ".egoID", "source": ".srcID", "target": ".tgtID"})
    egos.to_csv(folder / "egos.csv", index=False)
    alters.to_csv(folder / "alters.csv", index=False)
    ties.to_csv(folder / "aaties.csv", index=False)
    back = read_ego_data(folder)
    assert back.n_respondents == 30 and back.n_alumni == 30  # no roster: respondents only
    assert back.alters["alter_id"].is_unique and len(back.alter_ties) == len(data.alter_ties)
    assert set(back.alter_ties["source"]) <= set(back.alters["alter_id"])


def test_excels_csv_with_a_byte_order_mark_and_semicolons(tmp_path, categories):
    answers = read_text_table(EXAMPLE / "responses.csv")
    path = tmp_path / "responses.csv"
    path.write_bytes(b"\xef\xbb\xbf" + answers.to_csv(index=False, sep=";").encode("utf-8"))
    result = import_survey(path, EXAMPLE / "roster.csv", categories=categories, key=KEY)
    assert result.data.n_respondents == 30


def test_egor_tables_in_one_workbook_are_read_by_ios_egocentric_reader(tmp_path, imported):
    """The one reader of ego data: a workbook with egos, alters and alter_ties sheets."""
    from alumni_net.core.tables import write_workbook

    data = imported.data
    path = write_workbook({"egos": data.egos.rename(columns={"ego_id": "egoID"}),
                           "alters": data.alters.rename(columns={"ego_id": "egoID",
                                                                 "alter_id": "alterID"}),
                           "alter_ties": data.alter_ties.rename(
                               columns={"ego_id": "egoID", "source": "Source",
                                        "target": "Target"})}, tmp_path / "ego.xlsx")
    back = read_ego_data(path)
    assert (back.n_respondents, len(back.alters), len(back.alter_ties)) == (
        30, len(data.alters), len(data.alter_ties))
    assert sorted(back.alters["alter_id"]) == sorted(data.alters["alter_id"])  # kept: unique
    counts = dict(zip(data.egos["ego_id"], data.egos["know_own_org"], strict=True))
    assert dict(zip(back.egos["ego_id"], back.egos["know_own_org"], strict=True)) == counts
