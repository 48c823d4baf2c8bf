"""Synthetic programme generator: a dataset folder shaped like a real programme's.

A population of health, social care, local government, voluntary, private and community people
in Zipf-sized organisations across the NHS England regions (or, with a population table such as
the packaged UK workforce, in that table's regions, sectors and roles: see :mod:`.workforce`),
joined by colleague ties (a small world inside each organisation), partnership ties across
organisations (mostly within the region, heavy-tailed, with triadic closure) and a few
long-range ties; yearly cohorts of leaders and people who use services, with cohort,
action-learning-set and post-course ties.
No names or emails are generated: people are known only by ids such as ``P0000001``.

See :class:`SynthParams` for every parameter, its default and the reason for it.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np

from alumni_net.core.progress import progress
from alumni_net.core.rng import SeedLike, as_generator, spawn_seeds
from alumni_net.errors import ConfigError
from alumni_net.io import Dataset
from alumni_net.synth.network import colleague_ties, long_range_ties, partnership_ties
from alumni_net.synth.output import TieTable, people_frame, ties_frame, write_files
from alumni_net.synth.params import KINDS, PRESETS, SynthParams, make_params
from alumni_net.synth.population import Population, build_population
from alumni_net.synth.programme import Programme, post_course_contacts, programme_ties, recruit

__all__ = ["KINDS", "PRESETS", "SynthParams", "make_params", "synthesize"]

_NAT = np.datetime64("NaT", "D")


def synthesize(
    out_dir: str | os.PathLike | None = None,
    *,
    preset: str | None = "programme",
    seed: SeedLike = 0,
    overwrite: bool = False,
    **overrides: Any,
) -> Dataset:
    """Generate a synthetic programme and (when ``out_dir`` is given) write it as a dataset folder.

    Parameters
    ----------
    out_dir : folder to write ``people.csv``, ``ties.csv`` and ``dataset.toml`` into, atomically;
        None writes nothing.
    preset : "programme" (10 yearly cohorts of 24 + 2 in about 20,000 people, the default),
        "suite" (120 cohorts, about 3,000 alumni over 10 years, 100,000 people) or "national"
        (the same programme in the UK health and social care workforce: 3,000,000 people by
        region, sector and role in published proportions; see :mod:`alumni_net.synth.national`).
    seed : int, Generator, SeedSequence or None. The same int writes byte-identical files; any
        other seed is turned into an int first, and that int is recorded in ``dataset.toml``.
        Population, recruitment, network and ids each have their own child seed, so changing
        only a network parameter keeps the same people and cohorts (common random numbers).
    overwrite : write into a folder that already holds files (files of the same name are replaced).
    **overrides : any :class:`SynthParams` field, e.g. ``n_people=1_000_000`` or ``n_cohorts=4``.

    Returns
    -------
    Dataset
        Undirected; ``people`` sorted by ``person_id``; ``ties`` one row per pair and kind with
        ``source < target``, sorted, ``weight`` 1.0 and ``since`` (NaT for workforce ties).

    Examples
    --------
    >>> ds = synthesize(n_people=2_000, n_cohorts=4, seed=1)
    >>> int(ds.people["is_alum"].sum()), int(ds.people["cohort"].max())
    (104, 4)
    >>> int((ds.ties["kind"] == "cohort").sum()) == 4 * (26 * 25 // 2)
    True
    """
    params = make_params(preset, **overrides)
    if out_dir is not None:
        _check_out_dir(Path(out_dir), overwrite)
    if isinstance(seed, (int, np.integer)) and not isinstance(seed, bool):
        seed_value = int(seed)
    else:  # None, a Generator or a SeedSequence: draw an int seed so the run can be repeated
        seed_value = int(as_generator(seed).integers(2**63 - 1))
    rngs = [as_generator(s) for s in spawn_seeds(seed_value, 4)]
    with progress(total=4, desc="synthesising") as bar:
        pop = build_population(params, rngs[0])
        bar.update()
        prog = recruit(pop, params, rngs[1])
        bar.update()
        ties = _all_ties(pop, prog, params, rngs[2])
        bar.update()
        number, org_number = rngs[3].permutation(pop.n), rngs[3].permutation(pop.n_orgs)
        people = people_frame(pop, prog, number, org_number, params.sets_per_cohort)
        tie_table = ties_frame(ties, number, pop.n)
        name = f"synthetic_{preset or 'programme'}"
        if out_dir is not None:
            write_files(out_dir, people, tie_table, _metadata(name, preset, seed_value, params))
        bar.update()
    return Dataset(people=people, ties=tie_table, directed=False, name=name,
                   path=None if out_dir is None else Path(out_dir))


def _check_out_dir(out: Path, overwrite: bool) -> None:
    if out.exists() and not out.is_dir():
        raise ConfigError(f"{out} is a file, not a folder")
    if out.is_dir() and any(out.iterdir()) and not overwrite:
        raise ConfigError(f"{out} is not empty; use --force (overwrite=True) to write into it")


def _metadata(name: str, preset: str | None, seed: int, params: SynthParams) -> dict:
    return {
        "name": name,
        "description": "Synthetic leadership programme from alumni_net.synth (no real people).",
        "directed": False,
        "generator": "alumni_net.synth",
        "preset": preset or "programme",
        "seed": seed,
        "params": params.to_dict(),
    }


def _all_ties(
    pop: Population, prog: Programme, p: SynthParams, rng: np.random.Generator
) -> TieTable:
    """Every tie once per pair and kind, as index arrays ``a < b`` with kind codes and dates."""
    colleagues = colleague_ties(pop, p, rng)
    undated = {
        "colleague": colleagues,
        "partnership": partnership_ties(pop, colleagues, p, rng),
        "long_range": long_range_ties(pop, p, rng),
    }
    dated = {
        **{kind: (a, b, np.full(len(a), _NAT)) for kind, (a, b) in undated.items()},
        **programme_ties(prog, p),
        "post_course_contact": post_course_contacts(pop, prog, p, rng),
    }
    parts = [(*_unique_earliest(*dated[kind], pop.n), code) for code, kind in enumerate(KINDS)]
    return (
        np.concatenate([a for a, _, _, _ in parts]),
        np.concatenate([b for _, b, _, _ in parts]),
        np.concatenate([np.full(len(a), code, np.int8) for a, _, _, code in parts]),
        np.concatenate([since for _, _, since, _ in parts]),
    )


def _unique_earliest(a: np.ndarray, b: np.ndarray, since: np.ndarray,
                     n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each unordered pair once (``a < b``), dated at its earliest date; self-pairs dropped."""
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    keep = lo != hi
    key = lo[keep].astype(np.int64) * n + hi[keep]
    since = since[keep].astype("datetime64[D]")
    order = np.lexsort((since, key))
    key, since = key[order], since[order]
    first = np.concatenate([[True], key[1:] != key[:-1]]) if len(key) else np.zeros(0, bool)
    return key[first] // n, key[first] % n, since[first]
