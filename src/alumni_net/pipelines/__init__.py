"""Pipelines: a dataset in, the published tables of one command out (analyze, simulate).

Each pipeline orchestrates the stages below it (io, graph, metrics, abm, experiments) and writes
its files atomically; drawing and the HTML report belong to the stages above (plotting, report).
"""

from alumni_net.pipelines.analyze import AnalysisResult, analyze_dataset, summary_markdown
from alumni_net.pipelines.simulate import simulate_dataset, summary_tables, write_outputs

__all__ = [
    "AnalysisResult",
    "analyze_dataset",
    "simulate_dataset",
    "summary_markdown",
    "summary_tables",
    "write_outputs",
]
