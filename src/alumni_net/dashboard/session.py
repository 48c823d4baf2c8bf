"""What the dashboard computes, with no user interface: levers -> scenarios -> runs and figures.

The page (:mod:`.app`) only turns widgets into :class:`Levers` and draws what a
:class:`Session` returns, so everything here is tested without a browser.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd

from alumni_net.abm import ContagionModel, ContagionParams, build_network
from alumni_net.core.publish import published_name
from alumni_net.experiments.recruitment import STRATEGIES, strategy
from alumni_net.experiments.scenarios import (
    parse_scenario_file,
    prepare,
    run_scenarios,
    scenario_tables,
)
from alumni_net.io import load_dataset
from alumni_net.plotting import force_layout

__all__ = ["CONTAGION", "MAP_PEOPLE", "Frame", "Levers", "Session", "STRATEGIES"]

CONTAGION = ("simple", "complex")
#: People drawn on the live map (alumni first, then a seeded sample): a readable picture of a
#: large network, drawn in well under a second.
MAP_PEOPLE = 1200
_DEFAULTS = ContagionParams()


@dataclass(frozen=True)
class Levers:
    """What a programme leader can change, as the dashboard's widgets show it."""

    strategy: str = "random"
    cohorts_per_year: int = 1
    cohort_size: int = 26
    service_users: int = 2
    regional: bool = False
    topups: bool = False
    contagion: str = "simple"
    beta: float = _DEFAULTS.beta
    decay: float = _DEFAULTS.decay

    def __post_init__(self) -> None:
        # The scenario file checks every value again with file-style sentences; these are the
        # widgets' own ranges.
        if self.strategy not in STRATEGIES:
            raise ValueError(f"strategy must be one of {', '.join(STRATEGIES)}")
        if self.contagion not in CONTAGION:
            raise ValueError(f"contagion must be one of {', '.join(CONTAGION)}")

    def tables(self, people: pd.DataFrame | None = None) -> dict:
        """This scenario's levers as scenario-file tables (the strategy with its quick settings:
        a page should answer in seconds)."""
        quick = strategy(self.strategy).quick_settings(
            people if people is not None else pd.DataFrame({"person_id": []}))
        out: dict = {
            "cohorts": {"per_year": self.cohorts_per_year, "size": self.cohort_size,
                        "regional": self.regional},
            "recruitment": {"strategy": self.strategy, **quick},
            "quotas": {"min_service_users": self.service_users},
            "model": {"beta": self.beta, "decay": self.decay,
                      **({"threshold": 2, "threshold_kind": "count"}
                         if self.contagion == "complex" else {})},
        }
        if self.topups:
            out["topups"] = [{"year": y, "who": "all"} for y in (2, 4, 6, 8)]
        return out

    def label(self) -> str:
        parts = [f"{self.strategy} recruitment", f"{self.cohorts_per_year} x {self.cohort_size}"]
        parts += ["regional"] * self.regional + ["top-ups"] * self.topups
        return ", ".join(parts + [f"{self.contagion} contagion"])


@dataclass(frozen=True)
class Frame:
    """One month of a live run: counts, and the state of each person on the map."""

    month: int
    calendar_month: str
    counts: dict[str, int]
    map_states: np.ndarray  # 0 unaware, 1 practising, 2 lapsed, for Session.map_people


class Session:
    """One dataset (a folder, or the synthetic programme) and everything run on it.

    Parameters
    ----------
    data_dir : path, optional
        A dataset folder; None uses the built-in synthetic programme (20,000 people).
    horizon_years : int
        Years of future cohorts simulated.
    seed : int
        Root seed of recruitment, runs and the map's layout.
    """

    def __init__(self, data_dir: str | Path | None = None, *, horizon_years: int = 10,
                 seed: int = 0, synthetic: dict | None = None):
        self.data_dir = None if data_dir is None else Path(data_dir)
        self.horizon_years = horizon_years
        self.seed = seed
        self.synthetic = dict(synthetic or {"preset": "programme", "seed": 1})
        self._lock = threading.Lock()
        self._plans: dict = {}
        if self.data_dir is not None:
            # Ids pseudonymised with a fresh key: the page never shows an id, and nothing here
            # must carry a real one.
            self.dataset = load_dataset(self.data_dir, pseudonymise_ids=True)
        else:
            from alumni_net.synth import synthesize

            self.dataset = synthesize(**self.synthetic)
        # The name comes from the data and is shown on the page: checked like a cell.
        self.name = published_name(self.dataset.name or (
            "synthetic programme" if data_dir is None else self.data_dir.name))
        self.map_people, self.map_positions, self.map_edges = _map_sample(self.dataset, seed)

    def scenario_file(self, first: Levers, second: Levers | None = None, *,
                      replicates: int = 20):
        """The scenario file the levers describe: ``first`` is the baseline, ``second`` the
        comparison."""
        base = first.tables(self.dataset.people)
        data = {
            "title": "dashboard", "horizon_years": self.horizon_years, "baseline": "A",
            "run": {"replicates": replicates, "seed": self.seed, "engine": "fast"},
            **{k: v for k, v in base.items() if k != "topups"},
        }
        data["topups"] = base.get("topups", [])
        if second is not None:
            data["scenario"] = [{"name": "B", **second.tables(self.dataset.people)}]
            data["scenario"][0].setdefault("topups", [])
        if self.data_dir is not None:
            data["data"] = str(self.data_dir)
        else:
            data["synthetic"] = self.synthetic
        return parse_scenario_file(data, source="dashboard")

    def plan(self, levers: Levers):
        """The scenario's recruits, ties and parameters (cached: the page prepares it ahead)."""
        with self._lock:
            if levers not in self._plans:
                prepared = prepare(self.scenario_file(levers), data=self.dataset)
                plan = prepared.plans[0]
                network = build_network(plan.dataset, start=plan.params.start,
                                        influence=plan.params.influence)
                self._plans[levers] = (prepared.timeline, plan, network)
            return self._plans[levers]

    def live(self, levers: Levers, *, seed: int | None = None) -> Iterator[Frame]:
        """Run one replicate of the scenario month by month, yielding each month as it ends."""
        tl, plan, network = self.plan(levers)
        model = ContagionModel(network, plan.params, rng=self.seed if seed is None else seed)
        index = pd.Index(network.ids).get_indexer(self.map_people)
        yield self._frame(model, tl, index)
        for _ in range(tl.horizon_months):
            model.step()
            yield self._frame(model, tl, index)

    def _frame(self, model, tl, index) -> Frame:
        states = model.engine.states()
        counts = {k: int(v) for k, v in model.counts.items()}
        return Frame(model.month, str(tl.start + model.month), counts, states[index])

    def compare(self, first: Levers, second: Levers, *, replicates: int = 20,
                workers: int | None = 1,
                on_progress: Callable[[float], None] | None = None) -> dict[str, pd.DataFrame]:
        """Both scenarios on paired replicates: ``scenarios`` (each measure with the paired
        difference B - A and its 90% interval), ``adoption`` (bands by month), ``composition``."""
        sf = self.scenario_file(first, second, replicates=replicates)
        prepared = prepare(sf, data=self.dataset)
        if on_progress is not None:
            on_progress(0.1)
        run = run_scenarios(prepared, replicates=replicates, workers=workers)
        if on_progress is not None:
            on_progress(1.0)
        return scenario_tables(run)


def _map_sample(ds, seed: int):
    """Alumni, then people tied to them, then anyone (seeded), with a seeded layout of their ties:
    a connected picture of the network around the programme."""
    people = ds.people
    ids = people["person_id"].to_numpy()
    index = pd.Index(ids)
    alum = (people["is_alum"].fillna(False).astype(bool).to_numpy() if "is_alum" in people
            else people.get("cohort", pd.Series(index=people.index, dtype=object)).notna()
            .to_numpy())
    rng = np.random.default_rng(np.random.SeedSequence(seed))
    src, dst = index.get_indexer(ds.ties["source"]), index.get_indexer(ds.ties["target"])
    near = np.zeros(len(ids), dtype=bool)
    near[dst[alum[src]]] = True
    near[src[alum[dst]]] = True
    order = [np.flatnonzero(alum), np.flatnonzero(near & ~alum), np.flatnonzero(~near & ~alum)]
    chosen = np.concatenate([rng.permutation(o) for o in order])[:MAP_PEOPLE]
    where = np.full(len(ids), -1)
    where[chosen] = np.arange(len(chosen))
    both = (where[src] >= 0) & (where[dst] >= 0)
    G = nx.Graph()
    G.add_nodes_from(range(len(chosen)))
    G.add_edges_from(zip(where[src[both]].tolist(), where[dst[both]].tolist(), strict=True))
    pos = force_layout(G, seed=rng)
    xy = np.array([pos[i] for i in range(len(chosen))])
    return ids[chosen], xy, np.array(list(G.edges()), dtype=np.int64).reshape(-1, 2)
