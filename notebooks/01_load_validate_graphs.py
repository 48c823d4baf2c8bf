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
# # 01 — Load, validate and build graphs
#
# A dataset is a folder with `people.csv` and `ties.csv` (see `data/README.md`). Here we load a
# real one — the Coleman, Katz & Menzel physicians who took up tetracycline in 1953-55 — check it,
# and build the networkx and igraph graphs every later analysis uses.

# %%
from pathlib import Path

import alumni_net
from alumni_net.graph import to_igraph, to_networkx
from alumni_net.io import load_dataset, validate_dataset

DATA = Path("..") / "data" / "real"
print(alumni_net.__version__)

# %% [markdown]
# Loading validates first: every problem in the files is reported at once, with file, row and
# column. The physicians' ties are nominations ("source named target"), so they are directed; the
# folder's `dataset.toml` says so.

# %%
ds = load_dataset(DATA / "medical_innovation")
summary = ds.summary()
assert summary["people"] == 125 and summary["ties"] == 450  # the counts in the dataset's README
summary

# %% [markdown]
# Several kinds of tie can join the same pair. The simple graph sums their weights and keeps the
# kinds; the multigraph keeps one edge per kind.

# %%
G = to_networkx(ds)
M = to_networkx(ds, multigraph=True)
print(G, "|", M)
assert G.number_of_edges() == 294  # distinct directed pairs, as the README's cross-check says
multi_kind = [(u, v, d["kinds"]) for u, v, d in G.edges(data=True) if len(d["kinds"]) > 1]
print(f"{len(multi_kind)} pairs are joined by more than one kind of tie, e.g. {multi_kind[0]}")

# %% [markdown]
# igraph does the heavy computing. Its vertex `i` is person `ids[i]`: the id map is explicit.

# %%
wrapped = to_igraph(G)
g = wrapped.graph
top = sorted(zip(g.indegree(), wrapped.ids), reverse=True)[:5]
print("most nominated physicians (in-degree, id):", top)

# %% [markdown]
# A broken file is reported, not half-loaded. Here we break a copy on purpose.

# %%
import shutil
import tempfile

broken = Path(tempfile.mkdtemp()) / "broken"
shutil.copytree(DATA / "medical_innovation", broken)
with open(broken / "ties.csv", "a") as fh:
    fh.write("1001,9999,advice\n1002,1002,advice\n")
for problem in validate_dataset(broken):
    print(problem)
