"""Deprecated path: moved to :mod:`alumni_net.pipelines.analyze` (this shim goes in 0.3)."""

from alumni_net._moved import moved

__getattr__ = moved("alumni_net.analysis", "alumni_net.pipelines.analyze")
