"""What the dashboard computes, with no user interface: options -> scenarios -> runs and answers.

The page (:mod:`.app`) only turns widgets into :class:`Levers` (one per option a leader compares)
and draws what a :class:`Session` returns, so everything here is tested without a browser.
"""

from __future__ import annotations

import dataclasses
import re
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypedDict, final

import numpy as np
import pandas as pd

from alumni_net.abm import ContagionModel, ContagionNetwork, ContagionParams, build_network
from alumni_net.core.publish import published_name
from alumni_net.errors import AlumniNetError, ValidationError
from alumni_net.experiments.config import ILLUSTRATIVE
from alumni_net.experiments.recruitment import STRATEGIES, strategies, strategy
from alumni_net.experiments.scenarios import (
    Plan,
    Scenario,
    ScenarioFile,
    Timeline,
    load_people,
    parse_scenario_file,
    prepare,
    run_scenarios,
    scenario_tables,
)
from alumni_net.io import Dataset
from alumni_net.synth.params import SERVICE_USER_SECTOR
from alumni_net.vocabulary import DEFAULT_MIN_COUNT

__all__ = ["CONTAGION", "NAMES", "STRATEGIES", "Comparison", "Frame", "Grid", "Levers", "Session",
           "data_problems"]

CONTAGION = ("simple", "complex")
#: The options' names, in the order the page shows them; the first is the baseline.
NAMES = ("A", "B", "C")
#: Model parameters the scenario machinery sets itself (a scenario file's [model] refuses them).
_NOT_IN_FILE = ("horizon_months", "start", "topups")


@dataclass(frozen=True)
class Levers:
    """What a programme leader can change in one option, as the dashboard's widgets show it."""

    strategy: str = "random"
    cohorts_per_year: int = 1
    cohort_size: int = 26
    service_users: int = 2
    regional: bool = False
    topups: bool = False
    contagion: str = "simple"

    def __post_init__(self) -> None:
        # The scenario file checks every value again with file-style sentences; these are the
        # widgets' own ranges.
        if self.strategy not in STRATEGIES:
            raise ValueError(f"strategy must be one of {', '.join(STRATEGIES)}")
        if self.contagion not in CONTAGION:
            raise ValueError(f"contagion must be one of {', '.join(CONTAGION)}")

    def tables(self, people: pd.DataFrame | None = None) -> dict:
        """This option's levers as scenario-file tables (the strategy with its quick settings:
        a page should answer in seconds)."""
        quick = strategy(self.strategy).quick_settings(
            people if people is not None else pd.DataFrame({"person_id": []}))
        out: dict = {
            "cohorts": {"per_year": self.cohorts_per_year, "size": self.cohort_size,
                        "regional": self.regional},
            "recruitment": {"strategy": self.strategy, **quick},
            "quotas": {"min_service_users": self.service_users},
            "topups": [{"year": y, "who": "all"} for y in (2, 4, 6, 8)] if self.topups else [],
        }
        return out

    def label(self) -> str:
        parts = [f"{self.strategy} recruitment", f"{self.cohorts_per_year} x {self.cohort_size}"]
        parts += ["regional"] * self.regional + ["top-ups"] * self.topups
        return ", ".join(parts + [f"{self.contagion} contagion"])


@dataclass(frozen=True)
class Grid:
    """People grouped by sector (rows) and region (columns), the dashboard's map.

    ``cell`` holds each person's cell (row * n_cols + col), in the order of the people table;
    ``size`` the people in each cell. Cells of fewer than ``min_count`` people are drawn
    without numbers (the suppression rule).
    """

    row_name: str
    rows: tuple[str, ...]
    col_name: str
    cols: tuple[str, ...]
    cell: np.ndarray
    size: np.ndarray
    min_count: int = DEFAULT_MIN_COUNT

    def count(self, mask: np.ndarray) -> np.ndarray:
        """People per cell among ``mask`` (a boolean array over people), as rows x cols."""
        counts = np.bincount(self.cell[mask], minlength=len(self.rows) * len(self.cols))
        return counts.reshape(len(self.rows), len(self.cols))

    def share(self, mask: np.ndarray) -> np.ndarray:
        """Share of each cell's real people in ``mask``; NaN where it would give away a small
        count (a cell of fewer than ``min_count`` people, or fewer than ``min_count`` people in
        ``mask`` or outside it, zero apart), as the suppression rule withholds them."""
        from alumni_net.core.privacy import is_small

        size = self.size.reshape(len(self.rows), len(self.cols)).astype(float)
        count = self.count(mask).astype(float)
        out = count / np.where(size > 0, size, np.nan)
        small = np.vectorize(lambda c: bool(is_small(c, self.min_count)))
        hidden = (size < self.min_count) | small(count) | small(size - count)
        return np.where(hidden, np.nan, out)


@final
class Comparison(TypedDict):
    """What :meth:`Session.compare` returns: the scenario tables, each option's contacts by
    cell of the map, the future's timeline, notes on recruits who added nothing, and the
    options compared (by name)."""

    scenarios: pd.DataFrame
    by_year: pd.DataFrame
    adoption: pd.DataFrame
    composition: pd.DataFrame
    contacts: dict[str, np.ndarray]
    timeline: Timeline
    exhausted: list[str]
    options: dict[str, Levers]


@dataclass(frozen=True)
class Frame:
    """One month of a live run: counts, and people practising in each cell of the map."""

    month: int
    calendar_month: str
    counts: dict[str, int]
    practising: np.ndarray  # rows x cols of the session's Grid


class Session:
    """One dataset (a folder, or the synthetic programme) and everything run on it.

    Parameters
    ----------
    data_dir : path, optional
        A dataset folder (or file); None uses the built-in synthetic programme (20,000 people).
    horizon_years : int
        Years of future cohorts simulated.
    seed : int
        Root seed of recruitment and runs.
    config : path, optional
        A simulate config (``calibrated.toml`` from ``alumni-net calibrate``) whose [model]
        values replace the illustrative defaults; the page says where they came from.

    Raises
    ------
    ValidationError
        When the data cannot be read (see :func:`data_problems` for the page's sentences).
    """

    def __init__(self, data_dir: str | Path | None = None, *, horizon_years: int = 10,
                 seed: int = 0, synthetic: dict | None = None,
                 config: str | Path | None = None) -> None:
        self.data_dir = None if data_dir is None else Path(data_dir)
        self.horizon_years = horizon_years
        self.seed = seed
        self.synthetic = dict(synthetic or {"preset": "programme", "seed": 1})
        self._lock = threading.Lock()
        self._plans: dict[Levers, tuple[Timeline, Plan, ContagionNetwork, np.ndarray]] = {}
        self.params, self.parameter_source = _parameters(config)
        # The people as `alumni-net scenarios` reads them (ids kept, personal columns dropped):
        # the page never shows an id, and the same options give the same numbers as the
        # command on the same file (a fresh pseudonym key would change them at each start).
        # A file with the baseline only: load_people reads where the people come from.
        source = ScenarioFile(source=Path("dashboard"), scenarios=(Scenario(NAMES[0]),),
                              data=self.data_dir,
                              synthetic=tuple(sorted(self.synthetic.items())))
        self.dataset = load_people(source)
        # The name comes from the data and is shown on the page: checked like a cell.
        self.name = published_name(self.dataset.name or (
            "synthetic programme" if self.data_dir is None else self.data_dir.name))
        self.grid = _grid(self.dataset)
        self.limits = _limits(self.dataset, horizon_years)

    # --- what the page offers ----------------------------------------------------------------

    def describe(self) -> str:
        """People, alumni and cohorts in the data, in words."""
        people = self.dataset.people
        alumni = int(people["is_alum"].fillna(False).astype(bool).sum()) \
            if "is_alum" in people else 0
        cohorts = people["cohort"].nunique() if "cohort" in people else 0
        text = f"{len(people):,} people"
        return text + (f", {alumni:,} alumni in {cohorts:,} cohorts" if alumni else
                       ", no alumni yet")

    def strategies(self) -> list[str]:
        """The recruitment strategies these data allow as they are (bridging needs a sector or
        region; a list needs the names a scenario file gives, which the page does not ask)."""
        people = self.dataset.people
        return [s.name for s in strategies() if not s.problems(people)]

    def defaults(self) -> tuple[Levers, Levers]:
        """Two options that these data can fill: recruiting at random, and another strategy."""
        size, users = self.limits["default_size"], self.limits["default_service_users"]
        contagion = "complex" if self.params.threshold > 0 else "simple"
        first = Levers(cohort_size=size, service_users=users, contagion=contagion)
        other = next((s for s in ("bridging", "degree") if s in self.strategies()), "degree")
        return first, dataclasses.replace(first, strategy=other)

    # --- scenarios -----------------------------------------------------------------------------

    def scenario_file(self, first: Levers, *others: Levers, replicates: int = 20) -> ScenarioFile:
        """The scenario file the options describe: ``first`` is the baseline ("A"), the others
        "B", "C" compared with it. Raises ValidationError listing every problem."""
        base = first.tables(self.dataset.people)
        model = {k: v for k, v in self.params.to_dict().items()
                 if k not in _NOT_IN_FILE and v is not None}
        model.update(self._spread(first.contagion))
        data = {
            "title": "dashboard", "horizon_years": self.horizon_years, "baseline": NAMES[0],
            "run": {"replicates": replicates, "seed": self.seed, "engine": "fast"},
            "model": model, **{k: base[k] for k in ("cohorts", "recruitment", "quotas")},
            "topups": base["topups"],
        }
        data["scenario"] = [
            {"name": name, **levers.tables(self.dataset.people),
             **({"model": self._spread(levers.contagion)}
                if levers.contagion != first.contagion else {})}
            for name, levers in zip(NAMES[1:], others, strict=False)]
        if self.data_dir is not None:
            data["data"] = str(self.data_dir)
        else:
            data["synthetic"] = self.synthetic
        return parse_scenario_file(data, source="dashboard")

    def _spread(self, contagion: str) -> dict:
        """Model values of a spread assumption: complex contagion keeps a fitted threshold (two
        contacts when none was fitted), simple contagion has none."""
        if contagion == "simple":
            return {"threshold": 0.0}
        if self.params.threshold > 0:
            return {"threshold": self.params.threshold,
                    "threshold_kind": self.params.threshold_kind}
        return {"threshold": 2, "threshold_kind": "count"}

    def plan(self, levers: Levers) -> tuple[Timeline, Plan, ContagionNetwork]:
        """The option's recruits, ties and parameters (cached: the page prepares it ahead).

        Raises ValidationError when the data cannot fill the option (one sentence a problem).
        """
        with self._lock:
            if levers not in self._plans:
                prepared = prepare(self.scenario_file(levers), data=self.dataset)
                plan = prepared.plans[0]
                network = build_network(plan.dataset, start=plan.params.start,
                                        influence=plan.params.influence,
                                        columns=(plan.params.background_by,))
                order = pd.Index(network.ids).get_indexer(self.dataset.people["person_id"])
                self._plans[levers] = (prepared.timeline, plan, network, order)
            tl, plan, network, _ = self._plans[levers]
            return tl, plan, network

    def check(self, *options: Levers) -> list[str]:
        """Every problem of these options on these data, one sentence each (empty: they run)."""
        try:
            prepare(self.scenario_file(*options, replicates=1), data=self.dataset)
        except ValidationError as exc:
            return list(dict.fromkeys(_on_page(p.message) for p in exc.problems))
        except AlumniNetError as exc:
            return [_on_page(str(exc))]
        return []

    def live(self, levers: Levers, *, seed: int | None = None) -> Iterator[Frame]:
        """Run one replicate of the option month by month, yielding each month as it ends."""
        tl, plan, network = self.plan(levers)
        order = self._plans[levers][3]
        model = ContagionModel(network, plan.params, rng=self.seed if seed is None else seed)
        yield self._frame(model, tl, order)
        for _ in range(tl.horizon_months):
            model.step()
            yield self._frame(model, tl, order)

    def _frame(self, model: ContagionModel, tl: Timeline, order: np.ndarray) -> Frame:
        states = model.engine.states()
        counts = {k: int(v) for k, v in model.counts.items()}
        practising = self.grid.count(states[order] == 1)
        return Frame(model.month, str(tl.start + model.month), counts, practising)

    def compare(self, first: Levers, *others: Levers, replicates: int = 20,
                workers: int | None = 1,
                on_progress: Callable[[float], None] | None = None) -> Comparison:
        """The options on paired replicates: ``scenarios`` (each measure with the paired
        difference from A and its 90% interval), ``by_year`` (practising at each year's end),
        ``adoption`` (bands by month), ``composition`` (who is recruited), and ``contacts``
        (each option's recruits and their direct contacts, by cell of the map)."""
        sf = self.scenario_file(first, *others, replicates=replicates)
        prepared = prepare(sf, data=self.dataset)
        if on_progress is not None:
            on_progress(0.1)
        run = run_scenarios(prepared, replicates=replicates, workers=workers)
        if on_progress is not None:
            on_progress(1.0)
        tables = scenario_tables(run)
        return Comparison(
            scenarios=tables["scenarios"], by_year=tables["by_year"],
            adoption=tables["adoption"], composition=tables["composition"],
            contacts={p.scenario.name: self.contacts(p.recruits["person_id"])
                      for p in prepared.plans},
            timeline=prepared.timeline,
            exhausted=[
                p.exhausted.sentence(f"option {p.scenario.name}").replace("'option ", "option ", 1)
                .replace(f"{p.scenario.name}':", f"{p.scenario.name}:", 1)
                for p in prepared.plans if p.exhausted is not None and p.exhausted.useless],
            options=dict(zip(NAMES, (first, *others), strict=False)))

    def contacts(self, recruits: Sequence) -> np.ndarray:
        """Share of each cell's people who are recruits or tied to one (NaN: too few people)."""
        people = self.dataset.people["person_id"]
        index = pd.Index(people)
        chosen = np.zeros(len(people), dtype=bool)
        chosen[index.get_indexer(pd.Index(list(recruits), dtype=index.dtype))] = True
        ties = self.dataset.ties
        src, dst = index.get_indexer(ties["source"]), index.get_indexer(ties["target"])
        near = chosen.copy()
        near[dst[chosen[src]]] = True
        near[src[chosen[dst]]] = True
        return self.grid.share(near)


def data_problems(exc: Exception, data_dir: str | Path | None) -> list[str]:
    """The sentences of a load failure, with the folder's own path left out (the page names
    files inside it, never where it sits on the disk)."""
    items = ([p.message if p.file is None else f"{p.file}: {p.message}" for p in exc.problems]
             if isinstance(exc, ValidationError) else [str(exc)])
    if data_dir is not None:
        folder = str(Path(data_dir))
        items = [i.replace(folder + "/", "").replace(folder, Path(folder).name) for i in items]
    return [_sentence(i) for i in items]


def _on_page(text: str) -> str:
    """A scenario file's sentence in the page's words: options, not scenarios or file keys."""
    text = re.sub(r"scenario '([A-C])'", r"option \1", str(text))
    text = re.sub(r"\[\w+\] ", "", text)
    text = text.replace("set min_service_users = 0", "set those places to 0")
    text = re.sub(r"min_service_users = (\d+)( needs)?",
                  lambda m: f"{m.group(1)} places for people who use services"
                  + (" need" if m.group(2) else ""), text)
    return _sentence(text)


def _sentence(text: str) -> str:
    text = " ".join(str(text).split())
    return text if text.endswith((".", ")", "'")) else text + "."


def _parameters(config: str | Path | None) -> tuple[ContagionParams, str]:
    if config is None:
        return ContagionParams(), ILLUSTRATIVE
    from alumni_net.experiments.config import load_config

    cfg = load_config(config)
    if cfg.source is not None:
        return cfg.params, cfg.parameter_source
    if cfg.params == ContagionParams():
        return cfg.params, ILLUSTRATIVE
    return cfg.params, f"set in {Path(config).name}, not fitted"


def _labels(values: pd.Series, top: int, min_count: int) -> tuple[pd.Series, tuple[str, ...]]:
    """Text labels as the page may show them: groups of fewer than ``min_count`` people pooled
    with their complement ("other (suppressed)", the one grouping rule of core.publish), then
    the ``top - 1`` largest groups kept and the rest "other", in natural order."""
    from alumni_net.core.publish import pool_small_groups
    from alumni_net.plotting import sort_groups

    text = values.astype(object).where(values.notna(), "unknown").astype(str)
    text, _ = pool_small_groups(text, min_count=min_count)
    counts = text.value_counts()
    if len(counts) > top:
        keep = set(counts.index[: top - 1])
        text = text.where(text.isin(keep), "other")
    return text, tuple(sort_groups(text.unique()))


def _grid(ds: Dataset, min_count: int = DEFAULT_MIN_COUNT) -> Grid:
    """Sector by region; one of them when the other is absent (or not a grouping the allow-list
    lets the page show); communities when neither is."""
    from alumni_net.core.publish import allow_list

    people = ds.people
    n = len(people)
    allowed = allow_list(ds, min_count=min_count)
    axes = []
    for column in ("sector", "region"):
        if column in people.columns and people[column].nunique() > 1 and \
                allowed.groupable(column):
            axes.append((column, *_labels(people[column], 9 if column == "sector" else 10,
                                          min_count)))
    if not axes:
        from alumni_net.graph import to_networkx
        from alumni_net.metrics import communities

        found = communities(to_networkx(ds), seed=0).reindex(people["person_id"])
        groups = found.map(lambda c: f"community {int(c) + 1}" if pd.notna(c) else None)
        axes.append(("community", *_labels(pd.Series(groups.to_numpy()), 8, min_count)))
    if len(axes) == 1:
        axes.append(("all", pd.Series(["all"] * n), ("all",)))
    (row_name, rows, row_order), (col_name, cols, col_order) = axes
    r = pd.Index(row_order).get_indexer(rows.to_numpy())
    c = pd.Index(col_order).get_indexer(cols.to_numpy())
    cell = (r * len(col_order) + c).astype(np.int64)
    size = np.bincount(cell, minlength=len(row_order) * len(col_order))
    return Grid(row_name, row_order, col_name, col_order, cell, size, min_count)


def _limits(ds: Dataset, years: int) -> dict[str, int | bool]:
    """What these data can fill over ``years`` of one cohort a year: the largest cohort, and the
    places for people who use services (none without a sector column)."""
    people = ds.people
    untrained = ~people["is_alum"].fillna(False).astype(bool).to_numpy() \
        if "is_alum" in people else np.ones(len(people), dtype=bool)
    users = (people["sector"] == SERVICE_USER_SECTOR).to_numpy() & untrained \
        if "sector" in people else np.zeros(len(people), dtype=bool)
    per_cohort = int(untrained.sum()) // years
    max_users = min(6, int(users.sum()) // years)
    size = int(min(26, max(per_cohort, 2)))
    return {
        "max_size": int(min(40, max(per_cohort, 2))),
        "default_size": size,
        "max_service_users": max_users,
        "default_service_users": min(2, max_users, max(size - 2, 0)),
        "enough_people": per_cohort >= 2,
        "regions": "region" in people.columns and people["region"].nunique() > 1,
    }

