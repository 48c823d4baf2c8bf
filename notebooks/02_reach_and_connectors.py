# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 02 — Reach and connectors
#
# The programme says change spreads "through three degrees of separation" and that each leader
# might influence 10 people: "3,000 leaders x 10 people = 30,000 better outcomes". Both are
# statements about a network, so we can check them against one. This notebook measures:
#
# 1. who is central and who *connects* otherwise separate groups (a real network first, then the
#    synthetic programme);
# 2. how many people the alumni reach at 1, 2 and 3 degrees — one by one, and together (the
#    *union*, where each person counts once);
# 3. how the union grows as cohorts join, and what each alum adds that no other alum covers
#    (*marginal* reach);
# 4. decay-weighted reach with Christakis & Fowler's effect sizes (15%, 10%, 6% at 1, 2, 3
#    degrees), set beside "alumni x 10".
#
# Everything is exact (breadth-first search on the whole graph) and takes a few seconds.

# %%
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd

from alumni_net.graph import to_networkx
from alumni_net.io import load_dataset
from alumni_net.metrics import (
    CHRISTAKIS_FOWLER_EFFECTS,
    centrality_table,
    cohort_reach,
    marginal_reach,
    rank_connectors,
    reach_by_distance,
    reach_overlap,
    union_reach,
)
from alumni_net.plotting import degree_rings
from alumni_net.plotting.plots import plot_cumulative_reach, plot_reach_by_degree

DATA = Path("..") / "data"
pd.set_option("display.width", 120)

# %% [markdown]
# ## A real network: physicians and tetracycline (Coleman, Katz & Menzel)
#
# 125 physicians in four Illinois cities named the colleagues they turned to for advice, discussed
# cases with, or were friends with (450 directed nominations). Each physician's first month of
# prescribing tetracycline is known (`toa`, 1 = November 1953; 18 = never within the study).
# These data have no "programme", so we take the **11 physicians who prescribed in month 1** as
# the stand-in for a first cohort and ask how far their reach extends.

# %%
med = load_dataset(DATA / "real" / "medical_innovation")
G_med = to_networkx(med)
people = med.people.set_index("person_id")
first_movers = people.index[people["toa"] == 1].tolist()
# Counts from the dataset's README: 125 physicians, 450 nominations, 11 adopters in month 1.
assert (med.n_people, med.n_ties, len(first_movers)) == (125, 450, 11)
print(f"{med.n_people} physicians, {med.n_ties} nominations, {len(first_movers)} month-1 adopters")

# %% [markdown]
# ### Centrality and connectors
#
# `centrality_table` gives one row per person (igraph does the computing). Nominations are
# directed: in-degree counts how often a physician was *named*, which is how sociometric studies
# identify opinion leaders. `rank_connectors` combines betweenness, low Burt constraint and ties
# into other communities into one rank.

# %%
cent_med = centrality_table(G_med, attributes=("city",), seed=0)
cols = ["person_id", "in_degree", "out_degree", "betweenness", "pagerank", "constraint",
        "community"]
cent_med.sort_values("in_degree", ascending=False)[cols].head(8)

# %%
connectors_med = rank_connectors(cent_med, top=8)
first_set = set(first_movers)
connectors_med.assign(month1_adopter=connectors_med["person_id"].isin(first_set))

# %% [markdown]
# Nominations never cross cities (each physician named colleagues in their own town), so no tie
# bridges two cities and every community found lies inside one city:

# %%
city_of = people["city"]
cities_per_community = cent_med.groupby("community")["person_id"].agg(
    lambda ids: city_of[ids].nunique())
assert (cities_per_community == 1).all()
print(f"{cent_med['community'].nunique()} communities, each within a single city")

# %% [markdown]
# ### Reach of the first movers, individually and together
#
# Influence flows from the physician who was named to the one who named them
# (`influence="target_to_source"`, the default for nomination data). `reach_by_distance` counts the
# people each source reaches *first* at exactly 1, 2 and 3 steps; `union_reach` counts people
# reached by the group, each once, at their distance from the nearest source.

# %%
reach_med = reach_by_distance(G_med, first_movers)
union_med = union_reach(G_med, first_movers)
overlap_med = reach_overlap(reach_med, union_med)
reach_med[["person_id", "reach_1", "reach_2", "reach_3", "reach_within_3"]]

# %%
pd.DataFrame(
    {
        "sum of individual reaches": [overlap_med[f"sum_individual_within_{d}"] for d in (1, 2, 3)],
        "union (each person once)": [union_med[f"reach_within_{d}"] for d in (1, 2, 3)],
        "overlap ratio": [round(overlap_med[f"overlap_ratio_{d}"], 2) for d in (1, 2, 3)],
    },
    index=["within 1", "within 2", "within 3"],
)

# %% [markdown]
# Adding up individual reaches double counts: by three degrees the 11 first movers "reach" 111
# people one by one but only 49 different physicians. Two checks that must hold: the union can
# never exceed the sum, and, since ties stay within cities, the union cannot exceed the other
# physicians of the two cities the first movers practise in.

# %%
home_cities = city_of[first_movers].unique()
others_in_home_cities = int(city_of.isin(home_cities).sum()) - len(first_movers)
for d in (1, 2, 3):
    assert union_med[f"reach_within_{d}"] <= overlap_med[f"sum_individual_within_{d}"]
assert union_med["reach_within_3"] <= others_in_home_cities
print(f"union within 3 degrees: {union_med['reach_within_3']} of {others_in_home_cities} "
      f"other physicians in cities {sorted(int(c) for c in home_cities)}")

# %% [markdown]
# **Reach is not influence.** Were the physicians close to a first mover quicker to prescribe?
# Group everyone by their distance from the nearest first mover (the union's rings) and compare
# when they started.

# %%
# Influence runs against the nomination arrows ("in": from a first mover to those who named them).
# degree_rings is a plain networkx breadth-first search, so it also cross-checks union_reach.
rings = degree_rings(G_med, first_movers, 3, mode="in")
ring = pd.Series({v: str(d) for v, (d, _) in rings.items()}).reindex(people.index)
ring = ring.fillna("beyond 3 / unreachable")
others = people.drop(index=first_movers).assign(ring=ring)
timing = others.groupby("ring").agg(
    physicians=("toa", "size"),
    share_adopting=("adopted", "mean"),
    median_month_among_adopters=("toa", lambda t: t[t <= 17].median()),
)
assert timing["physicians"].sum() == 114
assert timing.loc[["1", "2", "3"], "physicians"].tolist() == [
    union_med["reach_1"], union_med["reach_2"], union_med["reach_3"]]
timing.round(2)

# %% [markdown]
# All 15 physicians one step from a first mover prescribed eventually, but they started no
# earlier (median month 7) than the 65 the first movers could not reach within three steps
# (median month 6). Being *within reach* of an early adopter is not the same as being influenced
# by them (in these data, later analyses attribute much of the timing to drug-company marketing,
# Van den Bulte & Lilien 2001). Reach is a ceiling on influence, not an estimate of it.

# %%
months = timing["median_month_among_adopters"]
assert timing.loc["1", "share_adopting"] == 1.0
assert months["1"] >= months["beyond 3 / unreachable"]

# %% [markdown]
# ## The synthetic programme: 2,000 people, 4 cohorts, 104 alumni
#
# `data/synthetic/small` is a programme shaped like the real one: four yearly cohorts of 24
# leaders plus 2 people who use services, in action learning sets, inside a workforce of 2,000
# (see `data/synthetic/README.md`). Ties are undirected.

# %%
prog = load_dataset(DATA / "synthetic" / "small")
G = to_networkx(prog)
alumni = list(prog.alumni)
n_others = prog.n_people - len(alumni)
# Counts from data/synthetic/README.md.
assert (prog.n_people, len(alumni), prog.n_ties) == (2000, 104, 10905)
print(prog.summary())

# %% [markdown]
# ### Are alumni the connectors?

# %%
cent = centrality_table(G, seed=0)
cent["is_alum"] = cent["person_id"].isin(set(alumni))
measures = ["degree", "betweenness", "constraint", "n_other_sectors", "n_other_regions"]
cent.groupby("is_alum")[measures].median().round(4)

# %%
top20 = rank_connectors(cent, top=20)
alumni_in_top20 = int(top20["person_id"].isin(set(alumni)).sum())
print(f"alumni are {len(alumni) / prog.n_people:.1%} of people "
      f"and {alumni_in_top20} of the top 20 connectors")
top20.head(5)

# %% [markdown]
# The course itself makes alumni connectors: cohorts and action learning sets are deliberately
# mixed by sector and region, so each alum gains ties into four other sectors and six other
# regions. (In the synthetic data this is built in; on real alumni data it is the thing to measure.)

# %%
assert alumni_in_top20 >= 15  # alumni dominate the connector ranking
assert (cent.loc[cent["is_alum"], "n_other_sectors"].median()
        > cent.loc[~cent["is_alum"], "n_other_sectors"].median())

# %% [markdown]
# ### Reach at 1, 2, 3 degrees: one by one, and together

# %%
reach = reach_by_distance(G, alumni)
union = union_reach(G, alumni)
overlap = reach_overlap(reach, union)
reach_summary = pd.DataFrame(
    {
        "median alum (individual)": [reach[f"reach_within_{d}"].median() for d in (1, 2, 3)],
        "sum over alumni": [overlap[f"sum_individual_within_{d}"] for d in (1, 2, 3)],
        "union (each person once)": [union[f"reach_within_{d}"] for d in (1, 2, 3)],
        "overlap ratio": [round(overlap[f"overlap_ratio_{d}"], 1) for d in (1, 2, 3)],
    },
    index=["within 1", "within 2", "within 3"],
)
reach_summary

# %%
fig, ax = plt.subplots(figsize=(7, 4.5), layout="constrained")
plot_reach_by_degree(reach, union, ax=ax);

# %% [markdown]
# Three degrees of separation is almost everyone: together the alumni are within three steps of
# 1,889 of the 1,896 other people, and a typical alum alone is within three steps of about 1,680.
# Adding alumni up one by one counts the same people 92 times over. In a network of this size,
# "reach within three degrees" cannot distinguish a good programme from a bad one.

# %%
assert union["reach_within_3"] <= n_others  # the union can never exceed the people there are
for d in (1, 2, 3):
    assert union[f"reach_within_{d}"] <= overlap[f"sum_individual_within_{d}"]
assert union["reach_within_3"] / n_others > 0.99

# %% [markdown]
# ### Cumulative reach as cohorts join
#
# `cohort_reach` adds cohorts in time order. `added_within_d` is what each new cohort adds to the
# union; alumni themselves are not counted as reached, so once everyone is within reach a new
# cohort can even *lower* the count (its members move from "reached" to "alumni"). The ties are
# those of the final network.

# %%
members = {
    c: prog.people.loc[prog.people["cohort"] == c, "person_id"].tolist()
    for c in prog.cohorts["cohort"]
}
by_cohort = cohort_reach(G, members)
by_cohort[["cohort", "alumni_to_date", "cohort_reach_within_1", "reach_within_1", "added_within_1",
           "reach_within_2", "added_within_2", "reach_within_3", "added_within_3"]]

# %%
assert by_cohort["reach_within_1"].is_monotonic_increasing  # direct contacts only accumulate
assert (by_cohort["added_within_1"].iloc[1:] < by_cohort["cohort_reach_within_1"].iloc[1:]).all()
fig, ax = plt.subplots(figsize=(7, 4.5), layout="constrained")
plot_cumulative_reach(by_cohort, ax=ax);

# %% [markdown]
# Each cohort alone has about 380-400 direct contacts, but the fourth cohort adds only 167 new
# ones: diminishing returns set in after two or three cohorts even at one degree. The dashed line
# is "alumni x 10"; after four cohorts the alumni's *direct* contacts together (956) are already
# fewer than 1,040.

# %% [markdown]
# ### Marginal reach: what each alum adds that no other alum covers

# %%
marginal = pd.DataFrame({f"within {d}": marginal_reach(G, alumni, max_dist=d) for d in (1, 2, 3)})
marginal.describe().loc[["mean", "50%", "max"]].round(2)

# %%
no_unique_3 = int((marginal["within 3"] == 0).sum())
print(f"{no_unique_3} of {len(alumni)} alumni reach nobody within 3 degrees "
      "that another alum does not")
assert (marginal["within 1"] <= reach.set_index("person_id")["reach_within_1"]).all()
assert no_unique_3 > 0.9 * len(alumni)

# %% [markdown]
# ### Decay-weighted reach beside "alumni x 10"
#
# Christakis & Fowler estimated that a happy contact raises one's own chance of happiness by about
# 15% at one degree, 10% at two and 6% at three (`CHRISTAKIS_FOWLER_EFFECTS`). Weighting each
# person reached by the effect at their distance gives the number of extra "better outcomes" one
# would expect if every alum had that effect — counting each person once, at their nearest alum.

# %%
assert CHRISTAKIS_FOWLER_EFFECTS == (0.15, 0.10, 0.06)
expected_union = sum(
    e * union[f"reach_{d}"] for d, e in enumerate(CHRISTAKIS_FOWLER_EFFECTS, start=1))
assert abs(union["decay_weighted_reach"] - expected_union) < 1e-9  # the definition, by hand
claim = 10 * len(alumni)
comparison = pd.Series(
    {
        "claim: alumni x 10": claim,
        "people within 1 degree (union)": union["reach_within_1"],
        "people within 3 degrees (union)": union["reach_within_3"],
        "decay-weighted union reach (C&F effects)": round(union["decay_weighted_reach"], 1),
        "sum of individual decay-weighted reaches (double counts)":
            round(reach["decay_weighted_reach"].sum(), 1),
    },
    name="people",
)
comparison

# %%
per_alum = union["decay_weighted_reach"] / len(alumni)
print(f"decay-weighted union reach: {per_alum:.2f} expected better outcomes per alum (claim: 10)")
assert union["decay_weighted_reach"] < claim < reach["decay_weighted_reach"].sum()

# %% [markdown]
# **What this means for the claim.** With every alum as effective as Christakis & Fowler's happy
# friends, the whole network can supply about 234 extra better outcomes, 2.25 per alum, not
# 10 — and 956 people within one degree is the most that "10 people each" could ever have meant
# here. Only by adding up alumni one by one (counting the same people many times) does the figure
# exceed 1,040. Counting people once, and weighting them by distance, is what turns "alumni x 10"
# into a figure that can be checked. Notebook 03 replaces the fixed effect sizes by a simulated
# spread with lapsing and a no-programme baseline.
