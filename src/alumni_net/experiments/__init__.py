"""Experiments on the contagion model: the seeded runner, the one executor of all parallel work
(:mod:`.executor`) and the resumable store, run configuration, the multiplier summaries,
recruitment strategies, scenarios and calibration.

Replicate ``i`` of a run with root seed ``s`` uses child ``SeedSequence(s).spawn(n)[i]`` in every
arm, so results are the same whatever the number of workers (see :mod:`.runner`).
"""

from alumni_net.experiments.executor import default_workers
from alumni_net.experiments.runner import Replicates, run_on_networks, run_replicates

__all__ = ["Replicates", "default_workers", "run_on_networks", "run_replicates"]
