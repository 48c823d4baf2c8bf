"""What evaluators read: the self-contained HTML report and exports for Gephi and Kumu.

``write_report(DIR)`` turns what ``analyze``, ``diffusion``, ``calibrate``, ``simulate`` and
``scenarios`` wrote into one ``report.html``, with a section for each command that ran;
``export_network`` writes GEXF, GraphML and Kumu JSON. Both are private by default
(pseudonymised ids, no personal fields, small counts suppressed).

Names are re-exported lazily: the command line imports :mod:`.export` for ``--help`` without
loading the report's plotting and model dependencies.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

_EXPORTS = {
    "EXPECTED_FILES": "html_report",
    "write_report": "html_report",
    "EXPORT_FILES": "export",
    "export_network": "export",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> object:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'alumni_net.report' has no attribute {name!r}")
    return getattr(importlib.import_module(f"alumni_net.report.{module}"), name)


if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs only: the names' own types
    from alumni_net.report.export import EXPORT_FILES as EXPORT_FILES
    from alumni_net.report.export import export_network as export_network
    from alumni_net.report.html_report import EXPECTED_FILES as EXPECTED_FILES
    from alumni_net.report.html_report import write_report as write_report
