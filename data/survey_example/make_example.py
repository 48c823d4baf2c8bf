"""Write the example survey in this folder: roster.csv, responses.csv, population.csv.

No real people: a synthetic programme (alumni_net.synth, seed 1616, used nowhere else) of 20,000
people and three yearly cohorts of 24 leaders + 2 people who use services, 30 of whose 78 alumni
answer (38%, like the 9 of about 24 of the programme's 2013 evaluation). The structural answers
(sectors, regions, roles, contacts, who knows whom, counts) are the survey simulated on that
network (alumni_net.experiments.workforce.observe_survey); the answers the network does not hold
(self-assessments, the practice, names in the roster) are drawn here, plausibly. Run from the
repository root: ``python data/survey_example/make_example.py``; the same files come out.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from alumni_net.core.tables import write_csv
from alumni_net.experiments.workforce import observe_survey
from alumni_net.survey import contact_column, questionnaire
from alumni_net.synth import synthesize

HERE = Path(__file__).parent
SEED = 1616


def main() -> None:
    ds = synthesize(n_people=20_000, n_cohorts=3, seed=SEED)
    rng = np.random.default_rng(SEED)
    respondents = rng.choice(ds.alumni, size=30, replace=False)
    roster, responses = observe_survey(ds, respondents, seed=SEED + 1)
    roster = _named(roster, rng)
    responses = _answered(responses, roster, rng)
    population = (ds.people.groupby(["region", "sector", "role"]).size().rename("count")
                  .reset_index())
    write_csv(roster, HERE / "roster.csv")
    write_csv(responses, HERE / "responses.csv")
    write_csv(population, HERE / "population.csv")


def _named(roster: pd.DataFrame, rng) -> pd.DataFrame:
    """Labels in place of names, example.org emails, the course's own self-assessments."""
    roster = roster.copy()
    number = roster.groupby("cohort").cumcount() + 1
    roster["name"] = [f"Participant C{c}-{n:02d}" for c, n in zip(roster["cohort"], number,
                                                                    strict=True)]
    roster["email"] = [f"c{c}p{n:02d}@example.org" for c, n in zip(roster["cohort"], number,
                                                                     strict=True)]
    start = np.clip(np.round(rng.normal(5.0, 1.3, len(roster))), 1, 9)
    roster["self_assessment_start"] = start.astype(int)
    roster["self_assessment_end"] = np.clip(start + rng.integers(0, 4, len(roster)), 1,
                                            10).astype(int)
    return roster


def _answered(responses: pd.DataFrame, roster: pd.DataFrame, rng) -> pd.DataFrame:
    """Identity as the email a form records, fellow alumni by name, the practice and counts."""
    by_id = roster.set_index("person_id")
    out = responses.copy()
    out["identity"] = by_id.loc[out["identity"], "email"].to_numpy()
    out["alumni_contacts"] = [
        ";".join(by_id.loc[p, "name"] for p in text.split(";") if p) for text in
        responses["alumni_contacts"]]
    end = by_id.loc[responses["identity"], "self_assessment_end"].to_numpy()
    out["self_assessment_now"] = np.clip(end + rng.integers(-2, 2, len(out)), 1, 10)
    practising = rng.random(len(out)) < 0.65
    out["practising"] = np.where(practising, "yes", "no")
    start = by_id.loc[responses["identity"], "cohort_start"].str[:4].astype(int).to_numpy()
    out["practising_since"] = np.where(practising, start + rng.integers(0, 2, len(out)), "")
    out["shared_own_org"] = np.where(practising, rng.poisson(6, len(out)), 0)
    out["shared_other_orgs"] = np.where(practising, rng.poisson(3, len(out)), 0)
    for i in range(1, 6):
        named = out[contact_column(i, "sector")].fillna("").astype(str) != ""
        took = rng.choice(["yes", "no", "don't know"], p=[0.35, 0.45, 0.2], size=len(out))
        took = np.where(named, took, "")
        out[contact_column(i, "practice")] = took
        out[contact_column(i, "practice_year")] = np.where(
            took == "yes", start + rng.integers(1, 4, len(out)), "")
        out[contact_column(i, "through_you")] = np.where(
            took == "yes", rng.choice(["yes", "no", "don't know"], p=[0.5, 0.3, 0.2],
                                      size=len(out)), "")
    order = [q.id for q in questionnaire(5)]  # the columns in the order the questions are asked
    return out[[c for c in order if c in out]]


if __name__ == "__main__":
    main()
