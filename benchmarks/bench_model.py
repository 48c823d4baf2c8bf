"""Contagion-model benchmarks: the fast engine against CyNetDiff, a naive Mesa agent loop, the
reference engine, and the 1,000-replicate budget of the full monthly model.

Run ``python benchmarks/bench_model.py [--quick]`` (or through benchmarks/run.py). Every ratio is
measured in the same run, alternating the contenders replicate by replicate so that a busy
machine slows them alike. Timings are medians over replicates, in seconds of this process's CPU
time (``time.process_time``: what a dedicated core would take, robust to other processes on a
shared machine); wall-clock medians are printed beside them.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import time

import igraph as ig
import networkx as nx
import numpy as np
import pandas as pd
from mesa import Model
from mesa.discrete_space import FixedAgent, Network

from alumni_net.abm import ContagionModel, ContagionParams, ReplicateResult, build_network

IC_P = 0.02


def barabasi(n: int, m: int, seed: int) -> ig.Graph:
    """igraph.Graph.Barabasi(n, m) drawn with a seeded generator (not the global one)."""
    ig.set_random_number_generator(random.Random(seed))
    return ig.Graph.Barabasi(n, m)


def ic_params(horizon: int = 200) -> ContagionParams:
    """The independent cascade: practising lasts one month, no re-adoption, no background."""
    return ContagionParams(horizon_months=horizon, beta=IC_P, decay=1.0, readoption=0.0,
                           alpha=0.0, p_course=0.0, default_tie_weight=1.0, alum_boost=1.0)


# --- a naive Mesa model: agents looping over their neighbours (the virus_on_network pattern) --

class NaiveAgent(FixedAgent):
    """Independent-cascade agent; newly active agents try each neighbour once."""

    def __init__(self, model):
        super().__init__(model)
        self.state, self.next_state = "inactive", None

    def step(self):
        if self.state == "new":
            for other in self.cell.neighborhood.agents:
                if other.state == "inactive" and self.model.random.random() < IC_P:
                    other.next_state = "new"
            self.next_state = "done"

    def advance(self):
        if self.next_state is not None:
            self.state, self.next_state = self.next_state, None


class NaiveCascade(Model):
    """Synchronous IC on a Mesa Network, every agent stepped every month."""

    def __init__(self, graph: nx.Graph, rng=None):
        super().__init__(rng=rng)
        self.space = Network(graph, capacity=1, random=self.random, layout=None)
        for node in graph.nodes:
            NaiveAgent(self).cell = self.space[node]
        self.people = list(self.agents)

    def reset(self, seeds):
        for agent in self.people:
            agent.state, agent.next_state = "inactive", None
        for i in seeds:
            self.people[i].state = "new"

    def step(self):
        self.agents.do("step")
        self.agents.do("advance")

    def run_cascade(self, seeds) -> int:
        self.reset(seeds)
        while any(a.state == "new" for a in self.people):
            self.step()
        return sum(a.state != "inactive" for a in self.people)


# --- the programme on the same graph ---------------------------------------------------------

def programme_on(graph: ig.Graph, n_alumni: int, cohort_size: int, seed: int):
    """People and ties of a programme laid on ``graph``: alumni in monthly cohorts of
    ``cohort_size``, action learning sets of about 6, cohort and set ties; graph edges are
    colleague ties. Returns a Dataset-like object (people, ties, directed)."""
    rng = np.random.default_rng(seed)
    n = graph.vcount()
    alumni = rng.choice(n, n_alumni, replace=False)
    cohort = np.full(n, -1)
    cohort[alumni] = np.arange(n_alumni) // cohort_size
    people = pd.DataFrame({
        "person_id": np.arange(n), "is_alum": cohort >= 0,
        "cohort": pd.array(np.where(cohort >= 0, cohort + 1, 0)).astype("Int64"),
        "cohort_start": np.where(cohort >= 0, cohort.astype(float), np.nan),
        "sector": rng.choice(["health", "social_care", "local_government", "voluntary"], n),
        "region": rng.choice([f"R{i}" for i in range(9)], n),
    })
    people.loc[cohort < 0, "cohort"] = pd.NA
    people["action_learning_set"] = None
    members = pd.DataFrame({"p": alumni, "c": cohort[alumni]})
    members["s"] = members.groupby("c").cumcount() % max(cohort_size // 6, 1)
    people.loc[members["p"], "action_learning_set"] = (
        "C" + members["c"].astype(str) + "-S" + members["s"].astype(str)).to_numpy()
    pairs = members.merge(members, on="c")
    pairs = pairs[pairs["p_x"] < pairs["p_y"]]
    cohort_ties = pd.DataFrame({"source": pairs["p_x"], "target": pairs["p_y"], "kind": "cohort"})
    same_set = pairs[pairs["s_x"] == pairs["s_y"]]
    set_ties = pd.DataFrame({"source": same_set["p_x"], "target": same_set["p_y"],
                             "kind": "action_learning_set"})
    edges = np.array(graph.get_edgelist())
    colleague = pd.DataFrame({"source": edges[:, 0], "target": edges[:, 1], "kind": "colleague"})
    ties = pd.concat([colleague, cohort_ties, set_ties], ignore_index=True)
    ties["since"] = np.nan
    return type("Programme", (), {"people": people, "ties": ties, "directed": False})()


# --- the measurements ------------------------------------------------------------------------

def _time(fn):
    """(cpu seconds, wall seconds, result) of one call."""
    c0, w0 = time.process_time(), time.perf_counter()
    out = fn()
    return time.process_time() - c0, time.perf_counter() - w0, out


def bench_cascade(graph: ig.Graph, n_seeds: int, reps: int, naive_reps: int) -> dict:
    """Independent cascade, p = 0.02, same seeds: fast engine vs CyNetDiff vs naive Mesa."""
    from cynetdiff.utils import networkx_to_ic_model

    seeds = np.random.default_rng(1).choice(graph.vcount(), n_seeds, replace=False)
    net = build_network(graph)
    nxg = nx.Graph()
    nxg.add_nodes_from(range(graph.vcount()))
    nxg.add_edges_from(graph.get_edgelist())
    cyn, mapping = networkx_to_ic_model(nxg, activation_prob=IC_P, rng=7)
    cyn.set_seeds([mapping[int(s)] for s in seeds])
    params = ic_params()

    def ours(r):
        model = ContagionModel(net, params, rng=r, initial_adopters=seeds)
        model.run(until_quiet=True)
        return model

    def theirs():
        cyn.reset_model()
        cyn.advance_until_completion()
        return cyn.get_num_activated_nodes()

    ours(10**6)  # compile / warm caches
    cpu = {"fast": [], "tables": [], "cyn": [], "naive": []}
    wall = {"fast": [], "cyn": [], "naive": []}
    size_ours, size_cyn = [], []
    for r in range(reps):
        c, w, model = _time(lambda r=r: ours(r))
        cpu["fast"].append(c)
        wall["fast"].append(w)
        c2, _, _ = _time(lambda model=model: ReplicateResult.from_model(model))
        cpu["tables"].append(c + c2)
        size_ours.append(net.n - model.counts["unaware"])
        c, w, size = _time(theirs)
        cpu["cyn"].append(c)
        wall["cyn"].append(w)
        size_cyn.append(size)
    naive = NaiveCascade(nxg, rng=3)
    for _ in range(naive_reps):
        c, w, _ = _time(lambda: naive.run_cascade(seeds))
        cpu["naive"].append(c)
        wall["naive"].append(w)
    cpu = {k: statistics.median(v) for k, v in cpu.items()}
    wall = {k: statistics.median(v) for k, v in wall.items()}
    return {
        "fast_cpu_s": cpu["fast"], "fast_with_tables_cpu_s": cpu["tables"],
        "cynetdiff_cpu_s": cpu["cyn"], "naive_mesa_cpu_s": cpu["naive"],
        "ratio_fast_to_cynetdiff": cpu["fast"] / cpu["cyn"],
        "ratio_fast_with_tables_to_cynetdiff": cpu["tables"] / cpu["cyn"],
        "speedup_vs_naive_mesa": cpu["naive"] / cpu["fast"],
        "fast_wall_s": wall["fast"], "cynetdiff_wall_s": wall["cyn"],
        "naive_mesa_wall_s": wall["naive"],
        "ratio_fast_to_cynetdiff_wall": wall["fast"] / wall["cyn"],
        "mean_final_fast": float(np.mean(size_ours)),
        "mean_final_cynetdiff": float(np.mean(size_cyn)),
    }


def bench_full_model(data, reps: int, ref_months: int, horizon: int = 120) -> dict:
    """Full monthly model, default parameters, 10 years; reference engine on a shorter window."""
    params = ContagionParams(horizon_months=horizon, group_boost=0.5)
    net = build_network(data)
    warm = ContagionModel(net, params, rng=0)
    warm.run()
    cpu, wall, summary = [], [], None
    for r in range(reps):
        def one(r=r):
            model = ContagionModel(net, params, rng=r)
            model.run()
            return ReplicateResult.from_model(model)
        c, w, res = _time(one)
        cpu.append(c)
        wall.append(w)
        summary = res.summary
    window = ContagionParams(**{**params.to_dict(), "horizon_months": ref_months})
    c_fast_window = statistics.median(
        _time(lambda r=r: ContagionModel(net, window, rng=r).run())[0] for r in range(3))
    c_ref_build, _, ref = _time(lambda: ContagionModel(net, window, engine="reference", rng=0))
    c_ref_run, _, _ = _time(ref.run)
    per_rep = statistics.median(cpu)
    return {
        "people": net.n, "arcs": net.n_arcs, "alumni": int(net.is_alum.sum()),
        "fast_per_replicate_cpu_s": per_rep, "fast_per_replicate_wall_s": statistics.median(wall),
        "extrapolated_1000_replicates_2_cores_s": per_rep * 1000 / 2,
        "ever_adopted_last_replicate": summary["ever_adopted"],
        "reference_window_months": ref_months,
        "reference_build_cpu_s": c_ref_build, "reference_run_cpu_s": c_ref_run,
        "fast_window_cpu_s": c_fast_window,
        "ratio_reference_to_fast_same_window": (c_ref_build + c_ref_run) / c_fast_window,
        "ratio_reference_run_to_fast_same_window": c_ref_run / c_fast_window,
    }


def main(quick: bool = False) -> dict:
    """Run every benchmark and print the figures; ``quick`` uses a 10,000-node graph."""
    n, n_seeds, n_alumni = (10_000, 300, 300) if quick else (100_000, 3_000, 3_000)
    graph = barabasi(n, 10, seed=0)
    print(f"graph: igraph.Graph.Barabasi({n}, 10), {graph.ecount()} edges")
    ic = bench_cascade(graph, n_seeds, reps=5 if quick else 30, naive_reps=1 if quick else 3)
    print(f"independent cascade, p={IC_P}, {n_seeds} seeds, per replicate (median; cpu and wall):")
    for key, value in ic.items():
        print(f"  {key}: {value:.4g}")
    data = programme_on(graph, n_alumni, cohort_size=25, seed=0)
    full = bench_full_model(data, reps=3 if quick else 10, ref_months=3 if quick else 12)
    print("full monthly model (120 months, default parameters, group_boost=0.5; 1,000 replicates"
          " extrapolated from the median CPU time per replicate, 2 workers in parallel):")
    for key, value in full.items():
        print(f"  {key}: {value:.4g}" if isinstance(value, float) else f"  {key}: {value}")
    targets = {  # issue 15 (issue 8: 150 s; issue 4: 1.0x without tables and 300 s)
        "IC <= 1.0x CyNetDiff": ic["ratio_fast_to_cynetdiff"] <= 1.0,
        "IC with the result tables <= 1.0x CyNetDiff":
            ic["ratio_fast_with_tables_to_cynetdiff"] <= 1.0,
        "IC >= 100x naive Mesa": ic["speedup_vs_naive_mesa"] >= 100,
        "1000 replicates <= 60 s on 2 cores":
            full["extrapolated_1000_replicates_2_cores_s"] <= 60,
    }
    for name, met in targets.items():
        print(f"target {name}: {'met' if met else 'MISSED'}")
    one, five, fifteen = os.getloadavg()
    print(f"load average {one:.1f} / {five:.1f} / {fifteen:.1f} on {os.cpu_count()} cores")
    return {"cascade": ic, "full_model": full, "targets": targets}


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10,000-node graph, few replicates")
    main(quick=parser.parse_args().quick)
