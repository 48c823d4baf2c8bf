"""The ``national`` preset: the UK health and social care workforce, about 3 million people.

``synthesize(preset="national")`` (``alumni-net synth --preset national``) builds a workforce
shaped like the UK's health and social care workforce with a national leadership programme of
3,120 alumni over 10 years (12 cohorts a year of 24 leaders and 2 people who use services, in
4 action learning sets of 6 or 7). Every value below says where it comes from; the labels are
those of ``data/README.md``: **[S]** sourced (seen in the publisher's release or a faithful
secondary report), **[D]** derived from sourced figures by a stated step, **[A]** an allocation
(a sourced total split by weights that are themselves sourced or from memory), **[M]** from
memory (to verify), **[R]** a modelling assumption. Source numbers refer to the ``key`` column
of :func:`alumni_net.synth.workforce.population_sources` and to the list in ``data/README.md``.

People
    ``population="uk_workforce"``: the packaged table of headcounts by region (the seven NHS
    England regions, Scotland, Wales, Northern Ireland), sector (health, social care, local
    government, voluntary) and role (doctor, nurse or midwife, allied health or scientific, care
    or support worker, senior care worker, social worker, manager, admin and support), 4,086,240
    people in all. National totals are [S]: NHS England hospital and community health services
    about 1.5 million and general practice about 190,000 (sources 1-5); adult social care in
    England 1.59 million people (7, 8); councils' adult social services (9) and children's
    social workers (12); NHSScotland 187,157 (13, 14); Scotland's social service workforce
    212,780 (15); NHS Wales 112,105 (16, 17); social care in Wales 82,875 (18); Northern
    Ireland's HSC 74,039 (19, 20) and registered social care workers (21, 22); voluntary
    health organisations (23, 24). Role splits are [D] or [R]; England's regional splits are
    [A] (by population, source 31, values [M]; adult social care by approximate regional shares
    [M] checked against older regional reports, source 10). The sum, 4.1 million, is more than
    the "about 3 million" of the brief: the table keeps the published counts, and this preset
    scales them to ``n_people = 3,000,000`` keeping every share (largest-remainder rounding).
    ``community_share = 0.02``: 60,000 people who use services and carers in community groups
    [R], enough to recruit 240 of them.
Organisations (``org_types``; sizes are of workplaces, the unit of daily contact)
    * health: NHS trusts and boards hold 89% of health staff, general practice 11% ([D]: about
      190,000 of 1.69 million in England, sources 1, 4). Trusts from 2,000 to 20,000 staff with
      Zipf exponent 1.0 (mean about 6,600 [D]; England has 209 trusts for about 1.5 million, a
      mean of 7,200 [S, 25]; the largest acute trusts employ 15,000-20,000 and ambulance and
      community trusts 2,000-6,000 [M]). Practices from 10 to 150 staff, exponent 1.5 (mean
      about 27; 6,419 practices for about 190,000 people is 30 per practice [D, 4, 5]).
    * social care: care providers' establishments hold 92%, from 10 to 1,000 staff with exponent
      1.3 (mean about 35: independent establishments average 35-40 filled posts [D, 7, 11]);
      personal assistants' employers hold 8%, 1 to 3 staff each (about 65,000 people employ
      personal assistants [S, 11]; the 8% is [M]).
    * local government: councils' social services, 300 to 6,000 staff, exponent 1.1 (mean about
      1,070 [D]: about 220,000 people [S, 9, 12, 15, 18] in 206 councils with social services,
      152 in England, 32 in Scotland and 22 in Wales [M]).
    * voluntary: charities and hospices, 3 to 3,000 staff, exponent 1.15 (NCVO: 53% of voluntary
      employees work in organisations of 1-49 staff, 28% in 50-499 [S, 23]; fitted roughly [R]).
    * people who use services: community groups of 5 to 60, exponent 1.5 [R].
Ties (mean degree about 20)
    About 20 regular work contacts a day: a median of about 20 contacts per participant per day
    on a hospital ward [S, 26], 13.4 contacts a day across all settings in the general
    population [S, 28]. ``team_size = 30`` (wards, practices and care homes of 20-60 people;
    professional networks are mostly within organisations [S, 29]) and ``colleague_k = 16``:
    each person works closely with 16 team-mates (a near-complete team in a care home of 30)
    [R]; ``colleague_rewire = 0.15`` of those ties go to a colleague of the same role elsewhere
    in the organisation (clustering by role) [R]. Partnerships across organisations:
    ``partnership_mean = 5.5`` per person, 90% within the region, 30% closing triangles [R], in
    proportion to a lognormal activity (sigma 1.0) times the role's weight: managers 3, social
    workers 2.5, doctors 2, others 0.5-1.2 (cross-organisation ties are mostly held by
    managers, social workers and general practitioners [R]); the heavy tail follows [S, 27]
    (6 of 46 health care workers had 42% of the contacts with patients). ``long_range_per_person
    = 0.05``: national roles and old colleagues [R].
Programme
    ``n_cohorts = 120`` at 12 a year, cohorts of 24 leaders + 2 people who use services, 4 action
    learning sets (the seeds' programme family: "over 3,000 leaders in 10 years"); leaders by
    sector quota (health 35%, social care 25%, local government 20%, voluntary 20%, the
    programme's defaults), recruited from managers first, then doctors, social workers, nurses
    and the other roles in the order of :data:`alumni_net.synth.params.ROLES`.

What the synthetic network is not: real people, real organisations or real ties. Organisation
sizes and counts follow the sources above only in distribution; roles are spread over the
organisations of a region and sector at random (a practice has the same role mix as a trust of
its region), which the table cannot refine.
"""

from __future__ import annotations

__all__ = ["NATIONAL_PRESET"]


def _zipf(share: float, lo: int, hi: int, exponent: float) -> dict:
    return {"share": share, "min": lo, "max": hi, "exponent": exponent}


#: Overrides of :class:`~alumni_net.synth.params.SynthParams` that make the ``national`` preset.
NATIONAL_PRESET: dict = {
    "n_people": 3_000_000,
    "population": "uk_workforce",
    "community_share": 0.02,
    "n_cohorts": 120,
    "cohorts_per_year": 12,
    "org_types": {
        "health": {
            "trust": _zipf(0.89, 2_000, 20_000, 1.0),
            "general_practice": _zipf(0.11, 10, 150, 1.5),
        },
        "social_care": {
            "care_provider": _zipf(0.92, 10, 1_000, 1.3),
            "personal_assistant_employer": _zipf(0.08, 1, 3, 1.5),
        },
        "local_government": {"council": _zipf(1.0, 300, 6_000, 1.1)},
        "voluntary": {"charity": _zipf(1.0, 3, 3_000, 1.15)},
        "people_who_use_services": {"community_group": _zipf(1.0, 5, 60, 1.5)},
    },
    "team_size": 30,
    "colleague_k": 16,
    "colleague_rewire": 0.15,
    "partnership_mean": 5.5,
    "partnership_within_region": 0.9,
    "partnership_closure": 0.3,
    "activity_sigma": 1.0,
    "long_range_per_person": 0.05,
    "role_activity": {
        "manager": 3.0,
        "doctor": 2.0,
        "social_worker": 2.5,
        "nurse_midwife": 1.0,
        "allied_health_scientific": 1.2,
        "senior_care_worker": 0.8,
        "admin_support": 0.6,
        "care_support_worker": 0.5,
        "community_member": 1.0,
    },
}
