"""alumni_net: network science for leadership-programme alumni.

Load alumni connection data, measure reach and connectors, simulate the spread of practice in a
Mesa model with an honest multiplier, and write maps, reports and exports.

The names below are re-exported lazily: ``import alumni_net`` stays fast (the command line starts
quickly) and a submodule (Mesa, numba, matplotlib) is imported the first time one of its names is
used. The dashboard is never imported from here.

Examples
--------
>>> import alumni_net as an
>>> an.__version__
'0.3.0'
>>> callable(an.load_dataset)
True
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

__version__ = "0.3.0"

# Numba's cache does not notice an edit of a module a cached kernel calls: check once, here,
# before any kernel loads (see alumni_net.core.jitcache).
from alumni_net.core.jitcache import refresh_kernel_cache  # noqa: E402

refresh_kernel_cache()

# name -> submodule that defines it
_EXPORTS = {
    "AlumniNetError": "errors",
    "ConfigError": "errors",
    "ValidationError": "errors",
    "Dataset": "io",
    "load_dataset": "io",
    "validate_dataset": "io",
    "write_dataset": "io",
    "IGraph": "graph",
    "from_igraph": "graph",
    "to_igraph": "graph",
    "to_networkx": "graph",
    "SynthParams": "synth",
    "synthesize": "synth",
    "approximate_reach": "metrics",
    "bridging_table": "metrics",
    "centrality_table": "metrics",
    "cohort_reach": "metrics",
    "communities": "metrics",
    "marginal_reach": "metrics",
    "rank_connectors": "metrics",
    "reach_by_distance": "metrics",
    "union_reach": "metrics",
    "analyze_dataset": "pipelines",
    "ContagionModel": "abm",
    "ContagionParams": "abm",
    "simulate_once": "abm",
    "run_replicates": "experiments",
    "simulate_dataset": "pipelines",
    "format_multiplier_table": "experiments.multiplier",
    "multiplier_table": "experiments.multiplier",
    "export_network": "report",
    "write_report": "report",
}

__all__ = ["__version__", *sorted(_EXPORTS)]


def __getattr__(name: str):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'alumni_net' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"alumni_net.{module}"), name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_EXPORTS})


if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs only
    from alumni_net.abm import ContagionModel, ContagionParams, simulate_once
    from alumni_net.errors import AlumniNetError, ConfigError, ValidationError
    from alumni_net.experiments import run_replicates
    from alumni_net.experiments.multiplier import format_multiplier_table, multiplier_table
    from alumni_net.graph import IGraph, from_igraph, to_igraph, to_networkx
    from alumni_net.io import Dataset, load_dataset, validate_dataset, write_dataset
    from alumni_net.metrics import (
        approximate_reach,
        bridging_table,
        centrality_table,
        cohort_reach,
        communities,
        marginal_reach,
        rank_connectors,
        reach_by_distance,
        union_reach,
    )
    from alumni_net.pipelines import analyze_dataset, simulate_dataset
    from alumni_net.report import export_network, write_report
    from alumni_net.synth import SynthParams, synthesize
