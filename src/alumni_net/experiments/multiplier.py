"""Multiplier accounting: what the simulated replicates say beside what the claim's arithmetic says.

The programme's claim is arithmetic: every alum influences 10 people (alumni x 10), or every alum
influences 3 leaders who each influence 3 more, through three degrees (3 + 9 + 27 = 39 per alum).
This module puts the simulated figures beside that arithmetic, never as one bare number:

- adopters per alum (everyone who took up the practice, divided by the number of alumni);
- adopters attributable to the programme: with programme minus without programme, replicate by
  replicate with the same seeds (common random numbers), so background adoption is not credited;
- adopters by degree of separation from the nearest practising alum (1, 2, 3, 4+);
- practising person-months (adoption that lapses counts for less), and how many are attributable.

Every figure is a median over seeded replicates with a 90% interval (5th and 95th percentiles).

Inputs are the tidy per-replicate tables that :mod:`alumni_net.experiments` builds: ``summary``
(replicate, arm, n_alumni, ever_adopted, ...) and ``by_degree`` (replicate, arm, degree, adopters).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from alumni_net.core.formatting import interval, is_rate, number, whole
from alumni_net.core.markdown import render_markdown

__all__ = [
    "ARMS",
    "DEGREE_LABELS",
    "MEASURE_DESCRIPTIONS",
    "adopters_by_degree",
    "count_by_degree",
    "by_degree_table",
    "contagion_note",
    "format_multiplier_table",
    "multiplier_table",
    "naive_arithmetic",
    "replicate_measures",
    "summarise",
    "timeseries_table",
]

#: The two arms of every replicate: the same seed with and without the programme.
ARMS = ("programme", "no_programme")

#: Degree of separation from the nearest practising alum when a person adopted, as labels.
#: 0 is an alum, 4 means four or more, -1 means no practising alum was connected at all.
DEGREE_LABELS = {0: "0", 1: "1", 2: "2", 3: "3", 4: "4+", -1: "none"}

#: Quantiles of the reported interval (a 90% interval around the median).
INTERVAL = (0.05, 0.95)

# The claim's numbers: "just 10 people" each, and "three other leaders" each, through three degrees.
PER_ALUM_CLAIM = 10
BRANCHING = 3
BRANCHING_DEGREES = 3

#: Measures in reading order: the claim's arithmetic first, then what the replicates say.
MEASURE_DESCRIPTIONS = {
    "alumni": "alumni in the network (people the programme trained)",
    "naive_ten_per_alum": "the claim's arithmetic: alumni x 10 people each",
    "naive_branching": "the claim's arithmetic: each alum -> 3 leaders -> 9 -> 27 (39 per alum)",
    "adopters": "people who ever took up the practice, with the programme",
    "adopters_non_alumni": "non-alumni who ever took up the practice, with the programme",
    "adopters_no_programme": (
        "people who ever took up the practice without the programme (same seeds)"
    ),
    "attributable_adopters": "adopters attributable to the programme: with minus without programme",
    "attributable_adopters_non_alumni": (
        "non-alumni adopters attributable to the programme: with minus without programme"
    ),
    "adopters_per_alum": "non-alumni adopters per alum, with the programme (no counterfactual)",
    "attributable_per_alum": "attributable non-alumni adopters per alum",
    "attributable_share_of_ten_per_alum": (
        "attributable non-alumni adopters as a share of alumni x 10 (1 = the claim holds)"
    ),
    "attributable_share_of_branching": (
        "attributable non-alumni adopters as a share of the 39-per-alum branching figure"
    ),
    "practising_end": "people practising at the end of the horizon, with the programme",
    "practising_person_months": "person-months of practice, with the programme",
    "practising_person_months_no_programme": "person-months of practice without the programme",
    "attributable_person_months": "person-months of practice attributable to the programme",
}


def naive_arithmetic(n_alumni: int) -> dict[str, int]:
    """The claim's own arithmetic for ``n_alumni`` alumni.

    Examples
    --------
    >>> naive_arithmetic(3000)
    {'naive_ten_per_alum': 30000, 'naive_branching': 117000}
    """
    branching = sum(BRANCHING**d for d in range(1, BRANCHING_DEGREES + 1))
    return {
        "naive_ten_per_alum": int(n_alumni) * PER_ALUM_CLAIM,
        "naive_branching": int(n_alumni) * branching,
    }


def adopters_by_degree(adoptions: pd.DataFrame) -> pd.DataFrame:
    """Count people by their degree of separation when they first adopted.

    A person who lapsed and took the practice up again counts once, at their first adoption, so the
    counts add up to the number of people who ever adopted.

    Parameters
    ----------
    adoptions : DataFrame
        One row per adoption event with columns ``person_id``, ``month`` and ``distance``
        (0 alum, 1, 2, 3, 4 for four or more, -1 unconnected).

    Returns
    -------
    DataFrame
        Columns ``degree`` (every key of :data:`DEGREE_LABELS`, in order) and ``adopters``.

    Examples
    --------
    >>> a = pd.DataFrame({"person_id": [1, 2, 2, 3], "month": [0, 1, 5, 2],
    ...                   "distance": [0, 1, 2, 4]})
    >>> adopters_by_degree(a)["adopters"].tolist()
    [1, 1, 0, 0, 1, 0]
    """
    first = adoptions.sort_values(["month"], kind="stable").drop_duplicates("person_id")
    return count_by_degree(first["distance"].to_numpy(dtype=np.int64))


def count_by_degree(distances: np.ndarray) -> pd.DataFrame:
    """:func:`adopters_by_degree` from the distance of each person's first adoption (as
    ``ReplicateResult.first_distances`` holds it).

    Examples
    --------
    >>> count_by_degree(np.array([0, 1, 1, 5, -1]))["adopters"].tolist()
    [1, 2, 0, 0, 1, 1]
    """
    distance = np.asarray(distances, dtype=np.int64)
    distance = np.where(distance >= 4, 4, distance)  # the model codes 4+ as 4; be safe about more
    degrees = list(DEGREE_LABELS)
    counts = [int(np.count_nonzero(distance == d)) for d in degrees]
    return pd.DataFrame({"degree": degrees, "adopters": counts}, dtype=np.int64)


def replicate_measures(summary: pd.DataFrame) -> pd.DataFrame:
    """Every multiplier measure for every replicate (columns: replicate, measure, value).

    ``summary`` has one row per (replicate, arm) with at least ``n_alumni``, ``ever_adopted``,
    ``ever_adopted_non_alumni``, ``practising_end`` and ``practising_person_months``. Differences
    between arms are taken within a replicate (common random numbers), before summarising.
    """
    wide = summary.set_index(["replicate", "arm"]).unstack("arm")
    prog = wide.xs("programme", axis=1, level="arm")
    # Per-alum figures are undefined without alumni (NaN, shown as n/a), not infinite.
    alumni = prog["n_alumni"].astype(float).replace(0.0, np.nan)
    m = {
        "alumni": prog["n_alumni"],
        "adopters": prog["ever_adopted"],
        "adopters_non_alumni": prog["ever_adopted_non_alumni"],
        "adopters_per_alum": prog["ever_adopted_non_alumni"] / alumni,
        "practising_end": prog["practising_end"],
        "practising_person_months": prog["practising_person_months"],
    }
    if "no_programme" in wide.columns.get_level_values("arm"):
        m.update(_attributable(prog, wide.xs("no_programme", axis=1, level="arm"), alumni))
    naive = naive_arithmetic(1)
    m["naive_ten_per_alum"] = prog["n_alumni"] * naive["naive_ten_per_alum"]
    m["naive_branching"] = prog["n_alumni"] * naive["naive_branching"]
    frame = pd.DataFrame(m)
    frame.columns.name = "measure"
    return frame.stack().rename("value").reset_index()


def _attributable(
    prog: pd.DataFrame, base: pd.DataFrame, alumni: pd.Series
) -> dict[str, pd.Series]:
    """With-minus-without measures of one replicate (same seed in both arms)."""
    extra = prog["ever_adopted_non_alumni"] - base["ever_adopted_non_alumni"]
    naive = naive_arithmetic(1)
    return {
        "adopters_no_programme": base["ever_adopted"],
        "attributable_adopters": prog["ever_adopted"] - base["ever_adopted"],
        "attributable_adopters_non_alumni": extra,
        "attributable_per_alum": extra / alumni,
        "practising_person_months_no_programme": base["practising_person_months"],
        "attributable_person_months": (
            prog["practising_person_months"] - base["practising_person_months"]
        ),
        "attributable_share_of_ten_per_alum": extra / (alumni * naive["naive_ten_per_alum"]),
        "attributable_share_of_branching": extra / (alumni * naive["naive_branching"]),
    }


def summarise(values: pd.DataFrame, by: list[str], *, value: str = "value") -> pd.DataFrame:
    """Median and 90% interval of ``value`` over replicates, per group of ``by`` columns.

    Examples
    --------
    >>> v = pd.DataFrame({"measure": ["a"] * 5, "value": [1.0, 2.0, 3.0, 4.0, 5.0]})
    >>> summarise(v, ["measure"]).round(2).to_dict("records")
    [{'measure': 'a', 'median': 3.0, 'lo': 1.2, 'hi': 4.8, 'n_replicates': 5}]
    """
    grouped = values.groupby(by, sort=False, observed=True)[value]
    out = pd.DataFrame(
        {
            "median": grouped.median(),
            "lo": grouped.quantile(INTERVAL[0]),
            "hi": grouped.quantile(INTERVAL[1]),
            "n_replicates": grouped.count(),
        }
    )
    return out.reset_index()


def multiplier_table(summary: pd.DataFrame) -> pd.DataFrame:
    """``multiplier.csv``: one row per measure (median, lo, hi, n_replicates, description)."""
    table = summarise(replicate_measures(summary), ["measure"])
    table["description"] = table["measure"].map(MEASURE_DESCRIPTIONS)
    rank = table["measure"].map({m: i for i, m in enumerate(MEASURE_DESCRIPTIONS)})
    table = table.assign(_rank=rank).sort_values("_rank").drop(columns="_rank")
    return table.reset_index(drop=True)


def by_degree_table(by_degree: pd.DataFrame, summary: pd.DataFrame) -> pd.DataFrame:
    """``by_degree.csv``: adopters by degree of separation, per arm, beside the branching claim.

    Columns: degree (label), measure, median, lo, hi, n_replicates. Measures are ``adopters`` and
    ``adopters_per_alum`` for each arm, and ``naive_branching_per_alum`` (3, 9, 27 at degrees 1-3:
    the claim's three-leader branching) so each simulated degree sits beside its claimed figure.
    """
    alumni = summary.loc[summary["arm"] == "programme", ["replicate", "n_alumni"]]
    per = by_degree.merge(alumni, on="replicate", how="left")
    per["adopters_per_alum"] = per["adopters"] / per["n_alumni"].astype(float)
    long = per.melt(
        id_vars=["replicate", "arm", "degree"],
        value_vars=["adopters", "adopters_per_alum"],
        var_name="measure",
    )
    long["measure"] = np.where(
        long["arm"] == "programme", long["measure"], long["measure"] + "_no_programme"
    )
    table = summarise(long, ["degree", "measure"])
    claim = _branching_rows(int(table["n_replicates"].max()) if len(table) else 0)
    table = pd.concat([table, claim], ignore_index=True)
    # Degrees in reading order (alumni, 1, 2, 3, 4+, unconnected), not numeric order.
    rank = table["degree"].map({d: i for i, d in enumerate(DEGREE_LABELS)})
    table = table.assign(_rank=rank).sort_values(["_rank", "measure"], kind="stable")
    table["degree"] = table["degree"].map(DEGREE_LABELS)
    return table.drop(columns="_rank").reset_index(drop=True)


def _branching_rows(n_replicates: int) -> pd.DataFrame:
    """The claim's per-alum figure at each degree 1..3 (3, 9, 27): fixed, so no interval."""
    degrees = list(range(1, BRANCHING_DEGREES + 1))
    value = [float(BRANCHING**d) for d in degrees]
    return pd.DataFrame(
        {
            "degree": degrees,
            "measure": "naive_branching_per_alum",
            "median": value,
            "lo": value,
            "hi": value,
            "n_replicates": n_replicates,
        }
    )


def timeseries_table(timeseries: pd.DataFrame) -> pd.DataFrame:
    """``timeseries.csv``: month, arm, measure, median, lo, hi, n_replicates.

    Arms are ``programme``, ``no_programme`` and ``attributable`` (their difference within each
    replicate, for practising and new adopters), so curves can be drawn with bands.
    """
    measures = ["unaware", "practising", "lapsed", "new_adopters"]
    long = timeseries.melt(
        id_vars=["replicate", "arm", "month"], value_vars=measures, var_name="measure"
    )
    parts = [long]
    if set(ARMS) <= set(timeseries["arm"]):
        wide = long.pivot_table(
            index=["replicate", "month", "measure"], columns="arm", values="value", aggfunc="first"
        )
        diff = (wide["programme"] - wide["no_programme"]).rename("value").reset_index()
        diff = diff[diff["measure"].isin(["practising", "new_adopters"])]
        parts.append(diff.assign(arm="attributable"))
    table = summarise(pd.concat(parts, ignore_index=True), ["month", "arm", "measure"])
    return table.sort_values(["arm", "measure", "month"], kind="stable").reset_index(drop=True)


#: Attributable measures of non-alumni: without contagion the programme reaches nobody beyond its
#: alumni (same seeds in both arms), so each is exactly 0, its no-contagion value.
NO_CONTAGION_ZERO = ("attributable_adopters_non_alumni", "attributable_per_alum",
                     "attributable_share_of_ten_per_alum", "attributable_share_of_branching")


def contagion_note(table: pd.DataFrame, *, p_contagion: float | None,
                   share: tuple[float, ...], draws: int = 0) -> str | None:
    """What a calibration said about contagion, in words under the multiplier table.

    ``share`` is the calibrated (median, lo, hi) share of adoptions through contagion,
    ``p_contagion`` its posterior probability, ``draws`` how many posterior draws the replicates
    ran (0: the posterior medians only). When the share's interval reaches (nearly) zero, the
    data cannot exclude that there is no contagion: with posterior draws the attributable
    non-alumni figures then reach 0, their value without contagion, and the note says whether
    they do; with medians only it says that the intervals leave that out.

    Examples
    --------
    >>> t = pd.DataFrame({"measure": ["attributable_per_alum"], "median": [1.5], "lo": [0.0],
    ...                   "hi": [4.0]})
    >>> print(contagion_note(t, p_contagion=0.6, share=(0.1, 0.0, 0.4), draws=500))
    ... # doctest: +NORMALIZE_WHITESPACE
    The calibration could not exclude that no adoption came through contagion (P(contagion) =
    0.60; share of adoptions through contagion 10%, 90% interval 0% to 40%). The replicates ran
    500 draws of its posterior, so the intervals of the attributable non-alumni figures reach 0,
    their value without contagion.
    """
    if not share:
        return None
    med, lo, hi = share
    p = "" if p_contagion is None else f"P(contagion) = {p_contagion:.2f}; "
    said = f"({p}share of adoptions through contagion {med:.0%}, 90% interval {lo:.0%} to {hi:.0%})"
    if lo >= 0.01:
        ran = f" The replicates ran {draws} draws of its posterior." if draws else (
            " The replicates ran its posterior medians only, so their intervals leave out the "
            "parameter uncertainty.")
        return f"The calibration found adoption through contagion {said}.{ran}"
    lead = f"The calibration could not exclude that no adoption came through contagion {said}."
    if not draws:
        return (f"{lead} The replicates ran its posterior medians only, so their intervals do "
                "not show that: run the calibrated config's [posterior] draws.")
    rows = table[table["measure"].isin(NO_CONTAGION_ZERO)] if "measure" in table else table[:0]
    rows = rows[rows["lo"].notna()]
    if rows.empty:  # no alumni: nothing is attributable to a programme either way
        return f"{lead} The replicates ran {draws} draws of its posterior."
    if (rows["lo"] <= 0).all():
        return (f"{lead} The replicates ran {draws} draws of its posterior, so the intervals of "
                "the attributable non-alumni figures reach 0, their value without contagion.")
    return (f"{lead} The replicates ran {draws} draws of its posterior; too few of them were "
            "without contagion for the attributable intervals to reach 0, their value without "
            "contagion: run more replicates.")


def format_multiplier_table(table: pd.DataFrame, *, parameter_source: str | None = None,
                            contagion: str | None = None,
                            network_source: str | None = None) -> str:
    """A short markdown table of ``multiplier.csv`` for a terminal, a README or the demo.

    Counts are whole numbers, rates (per alum, shares) three significant figures
    (:mod:`alumni_net.core.formatting`); every cell is escaped Markdown. ``parameter_source`` (e.g.
    "illustrative defaults, not fitted", or "calibrated on DATA (DATE)") is said under the table,
    and so is ``network_source`` when the replicates ran on networks estimated from a survey
    ("on 20 networks estimated from a survey of 93 of 260 alumni ..."); ``contagion`` (see
    :func:`contagion_note`) comes last.

    Examples
    --------
    >>> t = pd.DataFrame({"measure": ["alumni", "adopters"], "median": [30.0, 120.5],
    ...                   "lo": [30.0, 93.35], "hi": [30.0, 193.0], "n_replicates": [5, 5],
    ...                   "description": ["alumni in the network", "people who adopted"]})
    >>> print(format_multiplier_table(t))
    | measure | median | 90% interval | what it is |
    | --- | ---: | ---: | --- |
    | alumni | 30 | 30 to 30 | alumni in the network |
    | adopters | 120 | 93 to 193 | people who adopted |
    <BLANKLINE>
    Medians over 5 seeded replicates.
    """
    rows = []
    for row in table.itertuples(index=False):
        count = not is_rate(row.measure)
        median = (whole if count else number)(row.median, missing="n/a")
        rows.append([row.measure, median, interval(row.lo, row.hi, count=count), row.description])
    n = int(table["n_replicates"].max()) if len(table) else 0
    return render_markdown("multiplier.md.j2", rows=rows, n_replicates=n,
                           parameter_source=parameter_source,
                           network_source=network_source,
                           contagion=contagion).rstrip("\n")
