"""What a sweep's workers run: one job queue for every scenario, on the package's one executor.

Starting a pool per scenario would cost seconds per scenario (workers import the model and load
its compiled kernels). Instead one :class:`~alumni_net.experiments.executor.Executor` serves the
whole sweep: every worker receives all the scenarios' networks once (:class:`Sweep`, the shared
data) and takes jobs (:func:`sweep_job`) from one queue; tables are built as the runner builds
them (:func:`~alumni_net.experiments.replicate.replicate_tables`).

A job is one replicate of a *group*: the scenarios whose no-programme arm is the same run. The
no-programme arm is the same people with no programme; with the same seed, the same arcs in every
scenario's network (:func:`.apply.align_arcs`) and the same parameters outside the programme, it
is the same run, draw for draw, in every scenario of the group. It runs once per replicate and is
then read with each scenario's alumni (who counts as an alum changes the non-alumni counts, not
the run). Its adopters' distances stay those to the alumni of the scenario it ran on, and its
practising-by-cohort rows are dropped (future cohorts are the scenario's own), so no figure of a
scenario depends on another's labels. This halves the work of a sweep.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import numpy as np
import pandas as pd

from alumni_net.experiments.replicate import replicate_tables

__all__ = ["Sweep", "no_programme_key", "sweep_job"]

#: Parameters that act only with the programme: scenarios differing only in these share their
#: no-programme arm (course effect, alum boost, set reinforcement, top-ups, course length).
PROGRAMME_ONLY = ("p_course", "alum_boost", "group_boost", "topups", "training_months")

Job = tuple[int, int, np.random.SeedSequence]  # group, replicate, seed


def no_programme_key(params) -> str:
    """Scenarios with equal keys have the same no-programme arm."""
    d = params.to_dict()
    return repr(sorted((k, v) for k, v in d.items() if k not in PROGRAMME_ONLY))


class Sweep:
    """What every worker needs: each scenario's network and parameters, grouped, and the engine."""

    def __init__(self, nets: dict[str, Any], params: dict[str, Any], engine: str):
        self.nets, self.params, self.engine = nets, params, engine
        groups: dict[str, list[str]] = {}
        for name, p in params.items():
            groups.setdefault(no_programme_key(p), []).append(name)
        self.groups = list(groups.values())


def sweep_job(sweep: Sweep, group: int, index: int,
              seed: np.random.SeedSequence) -> dict[str, dict]:
    """Replicate ``index`` of every scenario of ``group``: ``{scenario: tables}``.

    The shared no-programme arm runs once, then each scenario's programme arm.
    """
    from alumni_net.abm import simulate_once  # imported here: workers import the model lazily

    names = sweep.groups[group]

    def arm(name: str, programme: bool):
        # A fresh copy of the child seed per run, exactly as the runner's run_replicate does.
        fresh = np.random.SeedSequence(seed.entropy, spawn_key=seed.spawn_key)
        return simulate_once(sweep.nets[name], sweep.params[name], seed=fresh,
                             engine=sweep.engine, programme=programme)

    shared = arm(names[0], False)
    # The shared arm's tables are built once; only its summary row depends on who is an alum.
    base = replicate_tables(index, {"no_programme": _shared_arm(shared)})
    first = shared.adoptions.drop_duplicates("person_id")["person_id"]
    out = {}
    for name in names:
        net = sweep.nets[name]
        prog = replicate_tables(index, {"programme": arm(name, True)})
        alumni = int(net.is_alum[net.id_index.get_indexer(first)].sum())
        summary = base["summary"].assign(
            n_alumni=int(net.is_alum.sum()), ever_adopted_alumni=alumni,
            ever_adopted_non_alumni=len(first) - alumni)
        out[name] = {t: pd.concat([prog[t], summary if t == "summary" else base[t]],
                                  ignore_index=True) for t in prog}
    return out


def _shared_arm(res) -> SimpleNamespace:
    """The shared no-programme run without its practising-by-cohort rows (future cohorts are
    each scenario's own; see the module docstring)."""
    by_group = res.by_group[res.by_group["group_type"] != "cohort"].reset_index(drop=True)
    return SimpleNamespace(timeseries=res.timeseries, by_group=by_group,
                           adoptions=res.adoptions, summary=res.summary)
