"""Deprecated path: moved to :mod:`alumni_net.report.export` (this shim goes in 0.3)."""

from alumni_net._moved import moved

__getattr__ = moved("alumni_net.export", "alumni_net.report.export")
