"""Networks drawn from the fitted model, at the population's full size, with the alumni embedded.

Network ``k`` takes the ``k``-th posterior draw (parameters and role activity), lays out the whole
population (its counts by region, sector and role), places the alumni and generates the ties
with their degrees fixed, then embeds their reported contacts and programme ties
(:mod:`.embed`). Every non-respondent assumption of :mod:`.nonresponse` uses the same seeds, so
two networks ``k`` differ only through what is assumed about the alumni who did not answer: the
same people are laid out and the same alumni drawn, but the non-respondents' assumed degrees
decide which organisations can hold them (placement needs room for an alum's colleagues) and
enter the generator (they set the alumni's activity before any tie is drawn), so the alumni's
places may differ and the ties are drawn afresh. The seeds are common, the ties are not: the
difference between the two assumptions' figures carries the networks' own variation as well
as the assumption's effect.
"""

from __future__ import annotations

import contextlib
import ctypes
import sys
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from numba import njit

from alumni_net.core.rng import SeedLike, as_seed_sequence
from alumni_net.experiments.workforce.embed import (
    Embedding,
    alumni_degrees,
    alumni_of,
    embed,
    place_alumni,
)
from alumni_net.experiments.workforce.fit import WorkforceFit, child_seed
from alumni_net.experiments.workforce.model import (
    KINDS,
    WorkforceNetwork,
    WorkforceParams,
    build_structure,
    generate,
)
from alumni_net.experiments.workforce.nonresponse import ASSUMPTIONS
from alumni_net.synth.network import sort_keys
from alumni_net.synth.output import coded_text, numbered_labels

__all__ = ["DrawnNetwork", "draw_network", "draw_networks", "freed_memory_kept",
           "keep_freed_memory", "network_draws"]


@dataclass(frozen=True)
class DrawnNetwork:
    """One network: which draw, under which assumption, its parameters and its two tables."""

    index: int
    assumption: str
    params: WorkforceParams
    role_activity: np.ndarray
    people: pd.DataFrame
    ties: pd.DataFrame


def draw_networks(fit: WorkforceFit, k: int, *, seed: SeedLike = 0,
                  assumptions: tuple[str, ...] = ASSUMPTIONS) -> Iterator[DrawnNetwork]:
    """``k`` networks under each assumption, network by network (yielded as they are made)."""
    root = as_seed_sequence(seed)
    for i, (params, activity) in enumerate(network_draws(fit, k, root)):
        for assumption in assumptions:
            yield draw_network(fit, i, params, activity, assumption, root)


def network_draws(fit: WorkforceFit, k: int,
                  root: np.random.SeedSequence) -> list[tuple[WorkforceParams, np.ndarray]]:
    """The ``k`` posterior draws (parameters, role activity) networks ``0 .. k - 1`` take."""
    return fit.draw(k, child_seed(root, 0))


def draw_network(fit: WorkforceFit, i: int, params: WorkforceParams, activity: np.ndarray,
                 assumption: str, root: np.random.SeedSequence) -> DrawnNetwork:
    """Network ``i`` under ``assumption``, from its posterior draw and the root seed alone: the
    same network whichever process draws it, in whatever order (every assumption of network
    ``i`` lays out the same people and draws the same alumni from the same seeds; see the
    module's docstring for what differs)."""
    counts = fit.population["count"].to_numpy()
    structure = build_structure(fit.population, fit.categories, counts,
                                np.random.default_rng(child_seed(root, 1, i)),
                                fit.settings.organisations())
    alumni = alumni_of(fit.ego, fit.categories, np.random.default_rng(child_seed(root, 2, i)))
    own = alumni_degrees(fit.sample, alumni, assumption,
                         np.random.default_rng(child_seed(root, 8, i)),
                         noise=fit.settings.count_noise, within=True)
    hosts = place_alumni(structure, alumni, np.random.default_rng(child_seed(root, 3, i)), own)
    degrees = alumni_degrees(fit.sample, alumni, assumption,
                             np.random.default_rng(child_seed(root, 4, i)),
                             noise=fit.settings.count_noise)
    net = generate(structure, params, activity, np.random.default_rng(child_seed(root, 5, i)),
                   targets=(hosts, degrees), own_org=(hosts, own), keep_pools=False)
    added = embed(net, hosts, alumni, fit.ego, fit.sample, assumption,
                  np.random.default_rng(child_seed(root, 6, i)))
    people = _people(net, hosts, alumni, fit, np.random.default_rng(child_seed(root, 7, i)))
    return DrawnNetwork(i, assumption, params, activity, people,
                        _ties(net, added, people["person_id"]))


def _people(net: WorkforceNetwork, hosts, alumni, fit: WorkforceFit, rng) -> pd.DataFrame:
    """One row per person: alumni keep their (pseudonymised) ids, everyone else is ``W...``.

    Text columns are decoded from codes into Arrow-backed text (:func:`coded_text`): no Python
    string per person, which at national size took longer than drawing the network.
    """
    pop, cats, n = net.pop, fit.categories, net.n
    width = max(7, len(str(n)))
    number = rng.permutation(n)
    alum = len(hosts)
    # person i's id: label ``number[i]`` of W1.. Wn, or for an alum label n + their position
    labels = pa.concat_arrays([numbered_labels("W", np.arange(1, n + 1), width),
                               pa.array(np.asarray(alumni.ids, dtype=object), type=pa.string())])
    codes = number.copy()
    codes[hosts] = n + np.arange(alum)
    orgs = rng.permutation(pop.n_orgs)
    roster = alumni.people
    is_alum = np.zeros(n, bool)
    is_alum[hosts] = True
    start = np.full(n, np.datetime64("NaT", "us"), "datetime64[us]")
    start[hosts] = pd.to_datetime(roster["cohort_start"]).to_numpy("datetime64[us]")
    return pd.DataFrame({
        "person_id": coded_text(labels, codes),
        "is_alum": is_alum,
        "cohort": _at(hosts, roster["cohort"].astype(str), n),
        "cohort_start": start,
        "action_learning_set": _at(hosts, roster["action_learning_set"], n),
        "sector": coded_text(cats.sector, pop.sector.astype(np.int64)),
        "region": coded_text(cats.region, pop.region.astype(np.int64)),
        "organisation": coded_text(numbered_labels("ORG", np.arange(1, pop.n_orgs + 1),
                                                   max(6, len(str(pop.n_orgs)))),
                                   orgs[pop.org]),
        "role": coded_text(cats.role, pop.role.astype(np.int64)),
    })


def _at(rows: np.ndarray, values: pd.Series, n: int):
    """Text ``values`` at ``rows`` of ``n``, missing elsewhere (and where a value is missing)."""
    known = values.notna().to_numpy()
    codes = np.full(n, -1, np.int64)
    codes[rows[known]] = np.arange(int(known.sum()))
    return coded_text(values[known].astype(str).to_numpy(object), codes)


def _ties(net: WorkforceNetwork, added: Embedding, ids: pd.Series) -> pd.DataFrame:
    """Every tie once per pair and kind, ``source < target`` by id, sorted by source, target
    and kind (a dated tie before an undated one of the same pair and kind, which it replaces).

    Each tie is one integer (the two ids' ranks, the kind, whether it is undated) sorted once:
    sorting millions of strings, or several keys, would dominate the draw. The network's keys
    are made in one pass (no temporary array per step: at national size each is hundreds of
    megabytes, and they made the draw's peak), and the columns are decoded one at a time.
    """
    removed = np.unique(np.asarray(added.removed, np.int64))
    names = np.array(sorted({*KINDS, *added.kind}), dtype=object)
    text = pa.array(ids, type=pa.string())
    order = pc.sort_indices(text).to_numpy()
    rank = np.empty(net.n, np.int64)
    rank[order] = np.arange(net.n)
    bits = max(1, (net.n - 1).bit_length())
    kind_bits = max(1, (len(names) - 1).bit_length())
    if 2 * bits + kind_bits + 1 > 63:
        raise ValueError(f"{net.n:,} people are too many to sort ties by one 63-bit key")

    def key_of(a, b, kind, undated):
        lo, hi = np.minimum(rank[a], rank[b]), np.maximum(rank[a], rank[b])
        return (((lo << bits | hi) << kind_bits | kind) << 1) | undated

    since = pd.to_datetime(pd.Series(added.since, dtype=object)).to_numpy("datetime64[us]")
    add_key = key_of(np.asarray(added.a, np.int64), np.asarray(added.b, np.int64),
                     np.searchsorted(names, np.asarray(added.kind, dtype=object)).astype(
                         np.int64), np.isnat(since).astype(np.int64))
    # of the added ties with the same key, the first in order of addition gives the date
    add_order = np.argsort(add_key, kind="stable")
    add_key, since = add_key[add_order], since[add_order]
    first_add = np.concatenate([[True], add_key[1:] != add_key[:-1]])
    add_key, since = add_key[first_add], since[first_add]
    keys = np.empty(len(net.a) + len(add_key), np.int64)
    kind_code = np.searchsorted(names, np.asarray(KINDS, dtype=object)).astype(np.int64)
    kept = _network_keys(net.a, net.b, net.kind, np.int64(net.n), removed, rank, kind_code,
                         np.int64(bits), np.int64(kind_bits), keys)
    keys[kept:kept + len(add_key)] = add_key
    # sorted by the first person's rank, then the rest of the key (a counting sort by person)
    every = sort_keys(keys[:kept + len(add_key)], 1 << (bits + kind_bits + 1), net.n)
    del keys
    every = every[:_first_of_pairs(every)]  # dated first, if any
    dated = np.full(len(every), np.datetime64("NaT", "us"), "datetime64[us]")
    found = np.flatnonzero((every & 1) == 0)
    dated[found] = since[np.searchsorted(add_key, every[found])]
    sorted_ids = text.take(pa.array(order))
    source = coded_text(sorted_ids, every >> (bits + kind_bits + 1))
    target = coded_text(sorted_ids, (every >> (kind_bits + 1)) & ((1 << bits) - 1))
    kind = coded_text(names, (every >> 1) & ((1 << kind_bits) - 1))
    return pd.DataFrame({"source": source, "target": target, "kind": kind,
                         "weight": np.ones(len(every)), "since": dated})


@njit(cache=True)
def _network_keys(a, b, kind, n, removed, rank, kind_code, bits, kind_bits,
                  out):
    """The sort key of every network tie not in ``removed`` (sorted ``a * n + b``, as the
    network's ties are), written to ``out`` in order; returns how many."""
    j, r = 0, 0
    for i in range(len(a)):
        pair = a[i] * n + b[i]
        while r < len(removed) and removed[r] < pair:
            r += 1
        if r < len(removed) and removed[r] == pair:
            continue
        ra, rb = rank[a[i]], rank[b[i]]
        lo, hi = min(ra, rb), max(ra, rb)
        out[j] = ((((lo << bits) | hi) << kind_bits | kind_code[kind[i]]) << 1) | 1
        j += 1
    return j


@njit(cache=True)
def _first_of_pairs(keys):
    """Keep, in place, the first of each run of sorted keys equal but for the last bit (a
    dated tie before the undated one it replaces); returns how many are kept."""
    if len(keys) == 0:
        return 0
    j = 1
    for i in range(1, len(keys)):
        if keys[i] >> 1 != keys[j - 1] >> 1:
            keys[j] = keys[i]
            j += 1
    return j


# glibc's mallopt parameters and their defaults (malloc.h).
_M_TRIM_THRESHOLD, _M_MMAP_MAX = -1, -4
_DEFAULTS = {_M_TRIM_THRESHOLD: 128 * 1024, _M_MMAP_MAX: 65536}


def _glibc():
    """The process's C library when it is glibc (whose malloc these settings are for)."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(None)
        libc.gnu_get_libc_version  # noqa: B018 - glibc only (musl's mallopt does nothing)
        return libc if hasattr(libc, "mallopt") and hasattr(libc, "malloc_trim") else None
    except (OSError, AttributeError):
        return None


def keep_freed_memory() -> bool:
    """From now on this process keeps the memory it frees for its next allocations instead of
    handing it back to the system (glibc; elsewhere nothing changes, and False is returned).

    A network's arrays are hundreds of megabytes each, which malloc maps fresh from the system
    and unmaps when freed, so every one is faulted in and zeroed page by page by the kernel:
    at a million people that was 4-5 s of system time a network beside 6 s of user time. Kept,
    a process drawing network after network reuses the same memory (a network's memory is
    freed before the next one's is taken, so its peak does not grow). Large blocks then come
    from the heap (no mmap), the heap is never trimmed, and Arrow's buffers (the tables' text)
    come from the same malloc rather than Arrow's own allocator, which also hands freed
    memory back.
    """
    libc = _glibc()
    if libc is None:
        return False
    if not (libc.mallopt(_M_MMAP_MAX, 0) and libc.mallopt(_M_TRIM_THRESHOLD, -1)):
        return False
    pa.set_memory_pool(pa.system_memory_pool())
    return True


@contextlib.contextmanager
def freed_memory_kept() -> Iterator[None]:
    """:func:`keep_freed_memory` for the block; afterwards malloc's defaults and Arrow's
    allocator again, and the memory kept handed back (so a process that drew networks
    in-process does not hold their peak for ever)."""
    pool = pa.default_memory_pool()
    kept = keep_freed_memory()
    try:
        yield
    finally:
        libc = _glibc() if kept else None
        if libc is not None:
            pa.set_memory_pool(pool)
            for option, value in _DEFAULTS.items():
                libc.mallopt(option, value)
            libc.malloc_trim(0)
