"""The workforce pipeline: a survey dataset + a population -> a workforce folder of K networks;
and ``analyze`` / ``simulate`` over such a folder, with intervals that include the network.

A workforce folder holds::

    workforce.json            provenance: survey (R of A alumni), population, fit, draws, seeds
    fit_report.md             each observed ego statistic beside its simulated distribution
    fit_statistics.csv        the same as a table; parameters.csv, roles.csv, survey.csv,
    abc_history.csv           response_rate.csv (small counts suppressed)
    networks/<assumption>/NN/ people.csv, ties.csv, dataset.toml: network NN under each
                              non-response assumption (missing_at_random, best_connected);
                              people.parquet, ties.parquet (the same cells) for networks
                              too large for a spreadsheet

See :mod:`alumni_net.experiments.workforce` for the estimator and
:mod:`alumni_net.experiments.workforce.pooling` for how intervals combine networks and replicates.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from alumni_net import __version__
from alumni_net.abm import ContagionParams
from alumni_net.core.files import atomic_dir
from alumni_net.core.formatting import estimate, number, whole
from alumni_net.core.markdown import render_markdown
from alumni_net.core.privacy import DEFAULT_MIN_COUNT, suppress_small
from alumni_net.core.progress import progress
from alumni_net.core.rng import SeedLike, as_seed_sequence
from alumni_net.core.tables import csv_text, write_csv
from alumni_net.errors import AlumniNetError
from alumni_net.experiments import default_workers, run_on_networks
from alumni_net.experiments.config import ILLUSTRATIVE
from alumni_net.experiments.executor import Executor
from alumni_net.experiments.multiplier import multiplier_table
from alumni_net.experiments.workforce import (
    ASSUMPTIONS,
    DEFAULT_ASSUMPTION,
    FitSettings,
    WorkforceFit,
    fit_workforce,
)
from alumni_net.experiments.workforce.draw import (
    draw_network,
    freed_memory_kept,
    keep_freed_memory,
    network_draws,
)
from alumni_net.experiments.workforce.fit import child_seed
from alumni_net.experiments.workforce.pooling import (
    network_interval,
    pool_replicates,
    stack_networks,
)
from alumni_net.experiments.workforce.report import (
    degree_table,
    parameter_history,
    role_table,
    statistics_table,
    survey_table,
)
from alumni_net.graph import to_igraph
from alumni_net.io import TABLE_FORMATS, Dataset, load_dataset, table_format_for
from alumni_net.metrics import centrality_table, reach_by_distance, reach_index, union_reach
from alumni_net.pipelines.simulate import write_outputs
from alumni_net.survey import EgoData, read_ego_data, response_rates
from alumni_net.synth.output import write_files
from alumni_net.synth.population import population_counts

if TYPE_CHECKING:
    from alumni_net.experiments.scenarios import ScenarioFile
    from alumni_net.experiments.scenarios.run import ScenarioRun

__all__ = [
    "BYTES_PER_PERSON",
    "WorkforceFolder",
    "analyze_workforce",
    "draw_workers",
    "estimate_workforce",
    "is_workforce",
    "read_workforce",
    "scenarios_workforce",
    "simulate_workforce",
]

FORMAT = "alumni_net.workforce/1"


@dataclass(frozen=True)
class WorkforceFolder:
    """A workforce folder as written by :func:`estimate_workforce`."""

    path: Path
    meta: dict

    @property
    def n_networks(self) -> int:
        return int(self.meta["networks"])

    @property
    def assumptions(self) -> tuple[str, ...]:
        return tuple(self.meta["assumptions"])

    @property
    def source(self) -> str:
        """'K networks estimated from a survey of R of A alumni'."""
        return self.meta["source"]

    def network_paths(self, assumption: str = DEFAULT_ASSUMPTION) -> list[Path]:
        if assumption not in self.assumptions:
            raise AlumniNetError(f"{self.path} holds no networks under '{assumption}' (it has "
                                 f"{', '.join(self.assumptions)})")
        return [self.path / "networks" / assumption / f"{k + 1:02d}"
                for k in range(self.n_networks)]

    def datasets(self, assumption: str = DEFAULT_ASSUMPTION) -> Iterator[Dataset]:
        """Each network as a Dataset (ids as written: alumni pseudonyms, ``W...`` for others)."""
        for path in self.network_paths(assumption):
            yield load_dataset(path)


def is_workforce(path: str | os.PathLike) -> bool:
    """Whether ``path`` is a workforce folder (it holds ``workforce.json``)."""
    return (Path(path) / "workforce.json").is_file()


def read_workforce(path: str | os.PathLike) -> WorkforceFolder:
    """Open a workforce folder."""
    meta_path = Path(path) / "workforce.json"
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise AlumniNetError(f"{path} is not a workforce folder ({exc})") from exc
    if meta.get("format") != FORMAT:
        raise AlumniNetError(f"{meta_path} is not a workforce record this version reads")
    return WorkforceFolder(Path(path), meta)


def estimate_workforce(
    ego_data: str | os.PathLike | EgoData,
    population: str | os.PathLike,
    out_dir: str | os.PathLike,
    *,
    networks: int = 20,
    seed: SeedLike = 0,
    settings: FitSettings | None = None,
    assumptions: tuple[str, ...] = ASSUMPTIONS,
    min_count: int = DEFAULT_MIN_COUNT,
    workers: int | None = None,
    table_format: str = "auto",
) -> WorkforceFolder:
    """Fit the workforce model to the survey and write ``networks`` networks (per assumption),
    the fit report and provenance into ``out_dir`` (atomically).

    The fit's simulations and the networks run on the package's one executor: ``workers``
    processes (default: the usable CPUs; for the networks, fewer when the memory available
    would not hold that many at once; 1 runs everything in this process). Every simulation and
    every network has its own keyed seed, and each worker draws and writes whole networks, so
    the folder is the same at any number of workers. ``table_format``
    (:data:`alumni_net.io.TABLE_FORMATS`): ``auto`` writes each network's tables as CSV while
    they fit in a spreadsheet and as Parquet (the same cells, several times faster to write and
    load) beyond, as at national size.
    """
    started = time.perf_counter()
    if not 1 <= networks <= 1000:
        raise AlumniNetError(f"networks must be a whole number from 1 to 1000, got {networks}")
    if table_format not in TABLE_FORMATS:
        raise AlumniNetError(f"table_format must be one of {', '.join(TABLE_FORMATS)}, got "
                             f"{table_format!r}")
    ego = ego_data if isinstance(ego_data, EgoData) else read_ego_data(ego_data)
    pop = population_counts(population)
    root = as_seed_sequence(seed)
    fit = fit_workforce(ego, pop, settings=settings or FitSettings(), seed=child_seed(root, 0),
                        workers=workers)
    fitted = time.perf_counter()
    source = (f"{networks} networks estimated from {ego.source_sentence()}")
    network_root = child_seed(root, 1)
    posterior = network_draws(fit, networks, network_root)
    draws = [{"network": i + 1, **params.to_dict(),
              "role_activity": dict(zip(fit.categories.role, map(float, activity), strict=True))}
             for i, (params, activity) in enumerate(posterior)]
    tasks = [(i, assumption) for i in range(networks) for assumption in assumptions]
    n_workers = draw_workers(workers, int(pop["count"].sum()), len(tasks))
    with atomic_dir(out_dir) as tmp:
        job = _DrawJob(fit, posterior, network_root, tmp, ego.source_sentence(), table_format)
        written = {}
        with progress(total=len(tasks), desc="drawing networks") as bar, freed_memory_kept(), \
                Executor(_draw_and_write, job, workers=n_workers) as executor:
            for position, kind in executor.map_unordered(tasks):
                written[tasks[position]] = kind
                bar.update()
        tables = _fit_tables(fit, min_count)
        for name, table in tables.items():
            write_csv(table, tmp / f"{name}.csv")
        meta = _meta(ego, pop, population, fit, networks, seed, assumptions, source, draws,
                     {"fit": fitted - started, "networks": time.perf_counter() - fitted})
        meta["network_tables"] = sorted(set(written.values()))
        meta["draw_workers"] = n_workers
        (tmp / "workforce.json").write_text(json.dumps(meta, indent=2, default=str) + "\n",
                                            encoding="utf-8")
        (tmp / "fit_report.md").write_text(_fit_markdown(fit, tables, meta), encoding="utf-8")
    return read_workforce(out_dir)


#: Peak memory of drawing and writing one network, per person of the population (measured at
#: 1 million people, 15 million ties: 2.5 GB; see benchmarks/README.md), for choosing how many to
#: draw at once.
BYTES_PER_PERSON = 2_500


def draw_workers(workers: int | None, people: int, tasks: int) -> int:
    """How many processes draw networks: ``workers`` (default: the usable CPUs), no more than
    there are networks, and no more than the memory available holds networks of ``people``
    at once (on Linux; at least one).

    Examples
    --------
    >>> draw_workers(4, 20_000, 40), draw_workers(4, 20_000, 2)
    (4, 2)
    """
    wanted = min(workers or default_workers(), tasks)
    available = _available_memory()
    if workers is None and available is not None:
        wanted = min(wanted, int(available // max(1, people * BYTES_PER_PERSON)))
    return max(1, wanted)


def _available_memory() -> int | None:
    """Bytes of memory available to new processes (Linux's MemAvailable), None elsewhere."""
    try:
        with open("/proc/meminfo", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


@dataclass(frozen=True)
class _DrawJob:
    """What every network's draw shares: the fit, the posterior draws and where to write."""

    fit: WorkforceFit
    draws: list
    root: np.random.SeedSequence
    folder: Path
    source_sentence: str
    table_format: str


def _draw_and_write(job: _DrawJob, i: int, assumption: str) -> str:
    """Draw network ``i`` under ``assumption`` and write its folder; returns its tables' format
    (the network itself never travels between processes)."""
    keep_freed_memory()  # for the next network this process draws (see its docstring)
    params, activity = job.draws[i]
    net = draw_network(job.fit, i, params, activity, assumption, job.root)
    kind = table_format_for(job.table_format, len(net.people), len(net.ties))
    write_files(job.folder / "networks" / assumption / f"{i + 1:02d}", net.people, net.ties, {
        "name": f"workforce network {i + 1} ({assumption})",
        "description": f"Drawn from a model fitted to {job.source_sentence}.",
        "directed": False}, table_format=kind)
    return kind


def _fit_tables(fit: WorkforceFit, min_count: int) -> dict[str, pd.DataFrame]:
    rates = response_rates(fit.ego.people)
    return {
        "fit_statistics": statistics_table(fit),
        "parameters": fit.parameter_table(),
        "roles": role_table(fit),
        "degrees": degree_table(fit, min_count=min_count),
        "survey": survey_table(fit),
        "abc_history": parameter_history(fit),
        "response_rate": suppress_small(rates, ["alumni", "respondents"], min_count=min_count),
    }


def _sha256(pop: pd.DataFrame) -> str:
    """Of the counts themselves, so a preset's population is identified as a file's is."""
    text = csv_text(pop[["region", "sector", "role", "count"]])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _meta(ego, pop, population, fit, networks, seed, assumptions, source, draws, seconds):
    return {
        "format": FORMAT,
        "package_version": __version__,
        "source": source,
        "survey": {"name": ego.meta.get("name"), "alumni": ego.n_alumni,
                   "respondents": ego.n_respondents, "contacts": ego.contacts},
        "population": {"file": pop.attrs.get("file", str(population)), "sha256": _sha256(pop),
                       "people": int(pop["count"].sum()), "groups": len(pop)},
        "networks": networks,
        "assumptions": list(assumptions),
        "seed": seed if isinstance(seed, int) else str(seed),
        "fit_settings": fit.settings.to_dict(),
        "parameters": fit.parameter_table().to_dict("records"),
        "draws": draws,
        "notes": list(fit.notes),
        "seconds": {k: round(v, 3) for k, v in seconds.items()},
    }


def _fit_markdown(fit: WorkforceFit, tables: dict, meta: dict) -> str:
    stats = [[r.statistic, number(r.observed, missing="n/a"),
              _range(r.observed_lo, r.observed_hi),
              estimate(r.simulated_median, r.simulated_lo, r.simulated_hi, count=False),
              "fitted" if r.fitted else "shown", "yes" if r.inside else "no"]
             for r in tables["fit_statistics"].itertuples()]
    params = [[r.parameter, estimate(r.median, r.lo, r.hi, count=False),
               f"{number(r.prior_lo)} to {number(r.prior_hi)} ({r.prior_scale})"]
              for r in tables["parameters"].itertuples()]
    roles = [[r.role, number(r.share_of_workforce), number(r.share_of_contacts_named,
                                                           missing="n/a"),
              estimate(r.activity, r.activity_lo, r.activity_hi, count=False)]
             for r in tables["roles"].itertuples()]
    survey = [[r.measure, estimate(r.estimate, r.lo, r.hi, count=not _is_share(r.measure)),
               whole(r.respondents), r.description] for r in tables["survey"].itertuples()]
    rates = [[r.group_type, r.group, _count(r.alumni), _count(r.respondents),
              number(r.response_rate) if pd.notna(r.alumni) and pd.notna(r.respondents)
              else "suppressed"] for r in tables["response_rate"].itertuples()]
    degrees = [[r.group_type, r.group, _count(r.respondents, r.own_org),
                estimate(r.own_org, r.own_org_lo, r.own_org_hi, count=False),
                estimate(r.other_orgs, r.other_orgs_lo, r.other_orgs_hi, count=False)]
               for r in tables["degrees"].itertuples()]
    history = [[int(r.generation), number(r.epsilon, missing="inf"), whole(r.proposals),
                number(r.acceptance)] for r in tables["abc_history"].itertuples()]
    return render_markdown(
        "workforce_fit.md.j2", source=meta["source"], survey=meta["survey"],
        population=meta["population"], stats=stats, params=params, roles=roles,
        survey_rows=survey, rates=rates, history=history, notes=meta["notes"], degrees=degrees,
        settings=fit.settings.to_dict(), n_predictive=len(fit.predictive))


def _range(lo, hi) -> str:
    return "n/a" if pd.isna(lo) or pd.isna(hi) else f"{number(lo)} to {number(hi)}"


def _count(value, shown=0.0) -> str:
    """A count of people, or ``<10`` where the privacy rule withheld it (or the figure it
    belongs to)."""
    return f"<{DEFAULT_MIN_COUNT}" if pd.isna(value) or pd.isna(shown) else whole(value)


def _is_share(measure: str) -> bool:
    return "share" in measure or "change" in measure


# --- analyze and simulate over the networks ---------------------------------------------------


def analyze_workforce(folder: str | os.PathLike, out_dir: str | os.PathLike | None, *,
                      max_dist: int = 3, samples: int = 200, exact_limit: int = 1_000,
                      seed: SeedLike = 0) -> dict:
    """Reach and alumni centrality ranks on every network, as medians with 90% intervals over
    the networks, beside the same under the best-connected non-response assumption.

    Writes ``reach_union.csv`` (the alumni together), ``reach.csv`` (each alum),
    ``alumni_ranks.csv`` (each alum's rank by degree and betweenness among everyone),
    ``nonresponse_sensitivity.csv`` and ``summary.md``. Betweenness is estimated from
    ``samples`` sources on networks above ``exact_limit`` people (an alum's rank, not the
    last digit of their score, is what is compared across networks).
    """
    wf = read_workforce(folder)
    union_rows, alum_rows, rank_rows = [], [], []
    people = 0  # the networks' size, the bound of every count and rank (see network_interval)
    root = as_seed_sequence(seed)
    with progress(total=wf.n_networks * len(wf.assumptions), desc="analyze networks") as bar:
        for assumption in wf.assumptions:
            for k, ds in enumerate(wf.datasets(assumption)):
                people = max(people, len(ds.people))
                u, a, r = _analyze_one(ds, max_dist, samples, exact_limit, child_seed(root, k))
                union_rows += [{"assumption": assumption, "network": k, "measure": m,
                                "value": v} for m, v in u.items()]
                alum_rows.append(a.assign(assumption=assumption, network=k))
                rank_rows.append(r.assign(assumption=assumption, network=k))
                bar.update()
    union = network_interval(pd.DataFrame(union_rows), ["assumption", "measure"],
                             bounds=(0, people))
    alums = pd.concat(alum_rows).melt(id_vars=["assumption", "network", "person_id"],
                                      var_name="measure")
    reach = network_interval(alums, ["assumption", "person_id", "measure"], bounds=(0, people))
    ranks = network_interval(pd.concat(rank_rows).melt(
        id_vars=["assumption", "network", "person_id"], var_name="measure"),
        ["assumption", "person_id", "measure"], bounds=(1, people))
    sensitivity = _rank_sensitivity(union, ranks)
    result = {"reach_union": union, "reach": reach, "alumni_ranks": ranks,
              "nonresponse_sensitivity": sensitivity}
    if out_dir is not None:
        with atomic_dir(out_dir) as tmp:
            for name, table in result.items():
                write_csv(table, tmp / f"{name}.csv")
            (tmp / "summary.md").write_text(_analyze_markdown(wf, union, sensitivity,
                                                              max_dist), encoding="utf-8")
    return result


def _analyze_one(ds: Dataset, max_dist: int, samples: int, exact_limit: int, seed) -> tuple:
    graph = to_igraph(ds)
    index = reach_index(graph)
    alumni = ds.alumni
    union = union_reach(index, alumni, max_dist=max_dist)
    measures = {f"reach_within_{d}": union[f"reach_within_{d}"] for d in range(1, max_dist + 1)}
    per = reach_by_distance(index, alumni, max_dist=max_dist)
    per = per[["person_id", *[f"reach_within_{d}" for d in range(1, max_dist + 1)]]]
    table = centrality_table(graph, measures=("degree", "betweenness"), samples=samples,
                             exact_limit=exact_limit,
                             seed=int(np.random.default_rng(seed).integers(2**31)))
    for col in ("degree", "betweenness"):
        table[f"{col}_rank"] = table[col].rank(ascending=False, method="min")
    ranks = table.loc[table["person_id"].isin(set(alumni)),
                      ["person_id", "degree_rank", "betweenness_rank"]]
    return measures, per, ranks


def _rank_sensitivity(union: pd.DataFrame, ranks: pd.DataFrame) -> pd.DataFrame:
    """Per assumption: the alumni's union reach, and their median rank (median over alumni of
    each alum's median over networks)."""
    rows = [union.assign(kind="union reach")]
    med = ranks.groupby(["assumption", "measure"])[["median", "lo", "hi"]].median().reset_index()
    rows.append(med.assign(kind="median alum's rank", n_networks=np.nan))
    out = pd.concat(rows, ignore_index=True)
    return out[["kind", "measure", "assumption", "median", "lo", "hi", "n_networks"]]


def _analyze_markdown(wf: WorkforceFolder, union, sensitivity, max_dist) -> str:
    rows = [[r.measure, r.assumption, estimate(r.median, r.lo, r.hi, count=True)]
            for r in union.itertuples()]
    ranks = [[r.measure, r.assumption, estimate(r.median, r.lo, r.hi, count=True)]
             for r in sensitivity.itertuples() if r.kind != "union reach"]
    return render_markdown("workforce_analyze.md.j2", source=wf.source, rows=rows, ranks=ranks,
                           max_dist=max_dist)


def simulate_workforce(folder: str | os.PathLike, out_dir: str | os.PathLike, *,
                       n_replicates: int = 100, seed: SeedLike = 0,
                       params: ContagionParams | None = None, workers: int | None = None,
                       engine: str = "fast", parameter_source: str | None = None,
                       sensitivity: bool = True, dask_address: str | None = None,
                       resume: bool = False) -> pd.DataFrame:
    """Replicates on every network, pooled (see :mod:`.pooling`): the multiplier table whose
    intervals include the network, and the same headline measures under each non-response
    assumption (``nonresponse_sensitivity.csv``). ``n_replicates`` are spread evenly over the
    networks (rounded up).

    Every replicate of every network (under every assumption) runs on one executor: a local
    pool of ``workers`` or the Dask cluster at ``dask_address``
    (:func:`~alumni_net.experiments.run_on_networks`). Network ``NN`` under an assumption
    streams its replicates to ``out_dir/networks/<assumption>/NN/replicates/``; ``resume``
    keeps those of a stopped run (same folder, parameters, engine and seed) and runs the rest,
    network by network, so a resumed run writes exactly the tables of an uninterrupted one.
    """
    started = time.perf_counter()
    wf = read_workforce(folder)
    per = max(1, -(-n_replicates // wf.n_networks))
    root = as_seed_sequence(seed)
    assumptions = wf.assumptions if sensitivity else (DEFAULT_ASSUMPTION,)
    runs = [(a, k, ds) for a in assumptions for k, ds in enumerate(wf.datasets(a))]
    # The same seeds under every assumption: the differences are non-response alone.
    reps = run_on_networks(
        [ds for _, _, ds in runs], params, n_replicates=per,
        seeds=[child_seed(root, k) for _, k, _ in runs], engine=engine, workers=workers,
        dask_address=dask_address, resume=resume,
        out_dirs=[Path(out_dir) / "networks" / a / f"{k + 1:02d}" for a, k, _ in runs])
    name = wf.meta["survey"]["name"] or "survey"
    pooled = {a: pool_replicates([r for (b, _, _), r in zip(runs, reps, strict=True) if b == a],
                                 name=name) for a in assumptions}
    main = pooled[DEFAULT_ASSUMPTION]
    params = ContagionParams() if params is None else params
    if parameter_source is None:
        parameter_source = (ILLUSTRATIVE if params == ContagionParams()
                            else "set by the caller, not fitted")
    extra = {
        "parameter_source": parameter_source,
        "network_source": (f"on {wf.source}; each interval pools {per} replicate(s) on each "
                           "network, so it includes the uncertainty about the network"),
        "workforce": {"folder": str(wf.path), "networks": wf.n_networks,
                      "replicates_per_network": per, "assumption": DEFAULT_ASSUMPTION,
                      "assumptions_run": list(assumptions)},
        "workers": "dask" if dask_address else (workers or default_workers()),
        "resumed": resume,
        "elapsed_seconds": round(time.perf_counter() - started, 3),
        "loaded_with": {"dataset": f"workforce:{wf.meta['survey']['name']}"},
    }
    tables = write_outputs(out_dir, main, extra=extra)
    if len(pooled) > 1:
        rows = [multiplier_table(run.summary).assign(assumption=a) for a, run in pooled.items()]
        table = pd.concat(rows, ignore_index=True)
        table = table[table["measure"].isin(_HEADLINE)]
        with atomic_dir(out_dir) as tmp:
            write_csv(table[["measure", "assumption", "median", "lo", "hi", "n_replicates",
                             "description"]], tmp / "nonresponse_sensitivity.csv")
    return tables["multiplier"]


_HEADLINE = ("adopters", "attributable_adopters", "attributable_adopters_non_alumni",
             "attributable_per_alum", "attributable_share_of_ten_per_alum")


def scenarios_workforce(sf: ScenarioFile, out_dir: str | os.PathLike | None = None, *,
                        replicates: int | None = None, seed: int | None = None,
                        workers: int | None = None, dask_address: str | None = None,
                        resume: bool = False) -> ScenarioRun:
    """A scenario file whose ``data`` is a workforce folder: every scenario on every network
    (recruits chosen on each), replicates pooled across the networks by the rule
    :func:`simulate_workforce` pools them by
    (:func:`~alumni_net.experiments.workforce.pooling.stack_networks`: the same number on each
    network, replicate ``r`` of network ``k`` numbered ``k * R + r``); differences from the
    baseline stay paired replicate by replicate.

    With ``out_dir``, network ``NN``'s sweep keeps its replicates in
    ``out_dir/networks/NN/runs/<scenario>/replicates/`` and ``resume`` continues a stopped sweep
    network by network; ``workers`` and ``dask_address`` are as for
    :func:`~alumni_net.experiments.scenarios.run_scenarios` (one pool or Dask client per network).

    Returns the pooled :class:`~alumni_net.experiments.scenarios.run.ScenarioRun` (its
    ``prepared`` is network 1's; its manifest says how many networks and from which survey).
    """
    from alumni_net.experiments.scenarios import prepare, run_scenarios
    from alumni_net.experiments.scenarios.run import ScenarioRun

    if sf.data is None:
        raise AlumniNetError(f"{sf.source} names no data: a workforce folder is needed here")
    wf = read_workforce(sf.data)
    n = sf.replicates if replicates is None else replicates
    per = max(1, -(-n // wf.n_networks))
    root = as_seed_sequence(sf.seed if seed is None else seed)
    runs = []
    for k, ds in enumerate(wf.datasets()):
        child = int(np.random.default_rng(child_seed(root, k)).integers(2**63 - 1))
        prepared = prepare(sf, seed=child, data=ds)
        where = None if out_dir is None else Path(out_dir) / "networks" / f"{k + 1:02d}"
        runs.append(run_scenarios(prepared, where, replicates=per, seed=child, workers=workers,
                                  dask_address=dask_address, resume=resume))
    sizes = [per] * len(runs)
    summary = stack_networks([r.summary for r in runs], sizes)
    series = stack_networks([r.timeseries for r in runs], sizes)
    manifest = {**runs[0].manifest, "networks": [r.manifest for r in runs],
                "network_source": f"{wf.source}, {per} replicate(s) on each network pooled"}
    return ScenarioRun(runs[0].prepared, summary, series, per * wf.n_networks,
                       runs[0].seed, manifest)
