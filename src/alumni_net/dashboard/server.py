"""Start the dashboard's web server on 127.0.0.1 (never on another interface)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

__all__ = ["HOST", "free_port", "server_command", "serve"]

#: The only address the dashboard listens on: it shows programme data, so it is never exposed.
HOST = "127.0.0.1"


def free_port() -> int:
    """A port nobody is listening on at 127.0.0.1 now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def server_command(port: int) -> list[str]:
    """The command line that serves :mod:`alumni_net.dashboard.app` on ``HOST:port``."""
    return [sys.executable, "-m", "solara", "run", "alumni_net.dashboard.app", "--host", HOST,
            "--port", str(port), "--production", "--no-open", "--no-check-version",
            "--log-level", "warning"]


def serve(data_dir: str | Path | None = None, *, port: int | None = None,
          config: str | Path | None = None) -> int:
    """Serve the dashboard until interrupted; print its address first. Returns the exit code.

    ``data_dir`` is the dataset (folder or file; None: the synthetic programme), ``config`` a
    simulate config whose [model] values replace the illustrative defaults.
    """
    port = free_port() if port is None else port
    env = {**os.environ, "ALUMNI_NET_DASHBOARD_DATA": "" if data_dir is None else str(data_dir),
           "ALUMNI_NET_DASHBOARD_CONFIG": "" if config is None else str(config)}
    print(f"alumni_net dashboard: http://{HOST}:{port}/  (Ctrl+C to stop)", flush=True)
    try:
        return subprocess.call(server_command(port), env=env)
    except KeyboardInterrupt:
        return 0
