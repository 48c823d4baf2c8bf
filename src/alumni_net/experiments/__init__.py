"""Experiments on the contagion model: the seeded runner, its executors and resumable store, run
configuration, the multiplier summaries, scenarios and calibration.

Replicate ``i`` of a run with root seed ``s`` uses child ``SeedSequence(s).spawn(n)[i]`` in every
arm, so results are the same whatever the number of workers (see :mod:`.runner`).
"""

from alumni_net.experiments._executors import default_workers
from alumni_net.experiments.runner import Replicates, run_replicates

__all__ = ["Replicates", "default_workers", "run_replicates"]
