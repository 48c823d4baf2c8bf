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
# # 04 — Maps, reports and exports
#
# Evaluators need pictures a board can read, tables they can publish and files they can open in
# Gephi or Kumu. This notebook draws the four kinds of map `alumni_net.plotting` makes, exports
# the network, and writes the HTML report — all from the synthetic programme (2,000 people,
# 4 cohorts, 104 alumni), and all private by default:
#
# - **pseudonymised ids**: every command that writes files replaces person ids by keyed
#   pseudonyms (HMAC; the key comes from `$ALUMNI_NET_KEY` or a key file and never sits in the
#   repository); names and emails are replaced on load and never written anywhere;
# - **small counts suppressed**: in published tables and aggregated maps, counts from 1 to 9 are
#   shown as "<10", so nobody can be singled out from a small group.
#
# Files go to a temporary folder, never into the repository.

# %%
import json
import re
import tempfile
from pathlib import Path

import matplotlib.pyplot as plt
import networkx as nx

from alumni_net.abm import ContagionParams
from alumni_net.graph import to_networkx
from alumni_net.io import load_dataset
from alumni_net.metrics import centrality_table, reach_by_distance
from alumni_net.pipelines.analyze import analyze_dataset
from alumni_net.pipelines.simulate import simulate_dataset
from alumni_net.plotting import (
    aggregate_network,
    degree_rings,
    growth_stages,
    plot_aggregated_map,
    plot_ego_map,
    plot_growth_panels,
    plot_network_map,
)
from alumni_net.core.privacy import format_count, suppress_small
from alumni_net.report import write_report
from alumni_net.report.export import export_network

SMALL = Path("..") / "data" / "synthetic" / "small"
prog = load_dataset(SMALL)
G = to_networkx(prog)
assert (G.number_of_nodes(), len(prog.alumni)) == (2000, 104)  # data/synthetic/README.md
print(G)

# %% [markdown]
# ## The whole network, coloured by sector
#
# Every person is a dot, sized here by betweenness (how often they lie on shortest paths between
# others); alumni are outlined. The layout is seeded, so the picture is the same every time.

# %%
cent = centrality_table(G, measures=["betweenness"], seed=0)
fig, ax = plt.subplots(figsize=(9, 8), layout="constrained")
plot_network_map(G, color_by="sector", size_by="betweenness", centrality=cent, ax=ax, seed=0,
                 data_name=prog.name);

# %% [markdown]
# The outlined alumni sit at the centre of the map: the course's cohorts and action learning sets,
# mixed by sector and region, tie them to one another and to every sector, while most other
# people's ties stay inside their organisation (notebook 02 measures this).

# %% [markdown]
# ## An aggregated map for publication
#
# One circle per group, area by people, line width by ties between groups. This is the map to
# publish: it shows structure without showing anyone. The table behind it:

# %%
by_sector = aggregate_network(G, "sector")
# Every tie is either inside a group or between two: nothing is lost by aggregating.
assert by_sector.groups["ties_within"].sum() + by_sector.links["ties"].sum() == G.number_of_edges()
assert by_sector.groups["people"].sum() == G.number_of_nodes()
suppress_small(by_sector.groups, ["people", "alumni", "ties_within"])

# %% [markdown]
# Eight people who use services have been through the programme: as published, that count reads
# "<10". The same rule applies on the map, and to groups: aggregating by *organisation*, the 96
# organisations with fewer than 10 people are merged into one "other (suppressed)" circle, and
# the 102 links of fewer than 10 ties are not drawn.

# %%
assert format_count(8) == "<10" and format_count(10) == "10"
by_org = aggregate_network(G, "organisation")
print(f"organisations merged into 'other (suppressed)': {by_org.merged}; "
      f"links under 10 ties hidden: {by_org.hidden_links}")
assert by_org.merged > 0 and (by_org.links["ties"] >= 10).all()

fig, ax = plt.subplots(figsize=(8, 6.5), layout="constrained")
plot_aggregated_map(G, group_by="sector", ax=ax, data_name=prog.name);

# %% [markdown]
# ## One alum's three degrees
#
# The ego map puts one alum in the middle and everyone first reached at 1, 2 and 3 degrees on
# rings around them; lines trace one shortest path back. Here: the alum with the most direct
# contacts. Ring counts are people, so they follow the suppression rule too.

# %%
alumni = set(prog.alumni)
ego = max(sorted(alumni), key=G.degree)
rings = degree_rings(G, [ego], 3)
ring_sizes = [sum(d == k for d, _ in rings.values()) for k in (1, 2, 3)]
# Cross-check the map's breadth-first search (networkx) against the reach engine (igraph/numba).
exact = reach_by_distance(G, [ego]).iloc[0]
assert ring_sizes == [exact["reach_1"], exact["reach_2"], exact["reach_3"]]
print(f"people first reached at 1, 2, 3 degrees: {ring_sizes} "
      f"({sum(ring_sizes)} of {G.number_of_nodes() - 1} others)")

fig, axes = plt.subplots(1, 2, figsize=(14, 7), layout="constrained")
plot_ego_map(G, ego, ax=axes[0], data_name=prog.name)
plot_ego_map(G, cohort=1, ax=axes[1], data_name=prog.name);

# %% [markdown]
# On the right, the whole first cohort at the centre. By three degrees almost the entire
# workforce is on a ring — the "three degrees of separation" are real, but in a network this
# connected they include nearly everyone, which is why notebooks 02 and 03 weight by distance and
# compare with a no-programme baseline rather than count rings.

# %% [markdown]
# ## The alumni network growing, cohort by cohort
#
# Small multiples share one layout, so the panels can be compared: each panel shows the alumni
# who had joined by then, the newest cohort highlighted.

# %%
assert growth_stages(G) == ["1", "2", "3", "4"]
plot_growth_panels(G, seed=0, data_name=prog.name)

# %% [markdown]
# ## Exports for Gephi and Kumu, with pseudonymised ids
#
# For anything that leaves the notebook, load the data as the command line does, with person ids
# replaced by keyed pseudonyms. With no key set (`$ALUMNI_NET_KEY` or `$ALUMNI_NET_KEY_FILE`) a
# random key is used for this run only, so the pseudonyms differ between runs; set a key to keep
# them stable.

# %%
private = load_dataset(SMALL, pseudonymise_ids=True)
P = to_networkx(private)
original_ids = set(prog.people["person_id"])
assert private.people["person_id"].map(lambda i: i not in original_ids).all()
assert (private.people["is_alum"].sum(), private.n_ties) == (104, prog.n_ties)
private.people.head(3)

# %%
with tempfile.TemporaryDirectory() as tmp:
    paths = export_network(P, tmp, formats=("gexf", "kumu"))
    print([p.name for p in paths])
    back = nx.read_gexf(Path(tmp) / "network.gexf")
    kumu = json.loads((Path(tmp) / "kumu.json").read_text(encoding="utf-8"))
    written = "".join(p.read_text(encoding="utf-8") for p in paths)

assert back.number_of_nodes() == P.number_of_nodes()
assert back.number_of_edges() == P.number_of_edges()
assert sum(e["type"] == "Alum" for e in kumu["elements"]) == 104
assert len(kumu["connections"]) == P.number_of_edges()
assert not re.search(r"P\d{7}", written)  # no original id anywhere in the exported files
u, v, data = next(iter(back.edges(data=True)))
print(f"GEXF read back: {back}; an edge keeps its kinds: {data['kinds']!r}")
kumu["elements"][0]

# %% [markdown]
# Gephi reads `network.gexf` (`formats=("graphml",)` or the default, all three, also writes
# `network.graphml`); Kumu imports `kumu.json`, where alumni are elements of type "Alum" and each
# connection lists its tie kinds.

# %% [markdown]
# ## The HTML report
#
# `write_report` gathers what `analyze` and `simulate` wrote into a folder into one
# self-contained page: key numbers, the claim's arithmetic beside the simulated multiplier, maps,
# plots, tables with small counts suppressed, method notes and provenance. Here we run both steps
# into a temporary folder (10 replicates keep it quick; use many more for real estimates).

# %%
with tempfile.TemporaryDirectory() as tmp:
    analysis = analyze_dataset(private, tmp, seed=0)
    simulate_dataset(private, tmp, n_replicates=10, seed=0, workers=1,
                     params=ContagionParams(horizon_months=96))
    # maps=False: the maps drawn above are left out to keep this notebook quick; by default (and
    # in `alumni-net report`) they are embedded too.
    report = write_report(tmp, dataset=private, title="Synthetic programme: network and multiplier",
                          maps=False)
    html = report.read_text(encoding="utf-8")
    files = sorted(p.name for p in Path(tmp).iterdir())
print(files)
print(f"report.html: {len(html) / 1e6:.1f} MB, self-contained (images embedded)")
assert "report.html" in files and html.lstrip().lower().startswith("<!doctype html")
text = re.sub(r'src="data:image/[^"]*"', "", html)  # the page without its embedded images
sections = re.findall(r"<h2[^>]*>(.*?)</h2>", text)
print(sections)
assert not re.search(r"P\d{7}", text)  # no original id on the page
assert "1,040" in text  # the claim's arithmetic, alumni x 10, is on the page
analysis.summary["reach"]["alumni_union"]

# %% [markdown]
# The report shows the claim's "alumni x 10" (1,040 here) next to what the network and the
# simulation support, and every table in it already follows the privacy rules, so it can be sent
# to a board as it is. From the command line the same steps are
# `alumni-net analyze DATA --out DIR`, `alumni-net simulate DATA --out DIR` and
# `alumni-net report DIR`.
