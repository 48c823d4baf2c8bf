"""The dashboard in a real headless Chromium: load, change a lever, run, read the result.

Uses Debian's ``chromium`` (``apt-get install chromium``; `.ci/run` installs it) driven by
Playwright. Skipped, with the reason, only when no browser can be found. The screenshot is kept
in ``test-artefacts/`` (or ``$ALUMNI_NET_ARTEFACTS``) for a person to look at.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
from tests.dashboard.conftest import SMALL

pytest.importorskip("solara")
sync_api = pytest.importorskip("playwright.sync_api")

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARTEFACTS = Path(os.environ.get("ALUMNI_NET_ARTEFACTS",
                                Path(__file__).resolve().parents[2] / "test-artefacts"))
BROWSER_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync"]

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="no chromium on this machine "
                                "(apt-get install chromium) to drive the browser test")


@pytest.fixture
def server():
    from alumni_net.dashboard.server import HOST, free_port, server_command

    port = free_port()
    env = {**os.environ, "ALUMNI_NET_DASHBOARD_DATA": str(SMALL),
           "ALUMNI_NET_DASHBOARD_PAUSE": "0"}
    proc = subprocess.Popen(server_command(port), env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)
    url = f"http://{HOST}:{port}/"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2).close()
            break
        except OSError:
            if proc.poll() is not None:
                message = proc.stderr.read()[-2000:]
                proc.stderr.close()
                pytest.fail(f"the dashboard server stopped: {message}")
            time.sleep(0.5)
    else:
        proc.kill()
        proc.wait()
        proc.stderr.close()
        pytest.fail("the dashboard server did not answer within 120 s")
    yield url
    proc.terminate()
    proc.wait(timeout=30)
    proc.stderr.close()


def test_server_listens_on_loopback_only():
    from alumni_net.dashboard.server import HOST, server_command

    cmd = server_command(8000)
    assert HOST == "127.0.0.1" and cmd[cmd.index("--host") + 1] == "127.0.0.1"


def test_a_leader_changes_a_lever_runs_and_reads_the_result(server):
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
        page = browser.new_page(viewport={"width": 1300, "height": 1300})
        page.goto(server)
        page.get_by_text("Run scenario A").wait_for(timeout=120_000)
        page.get_by_text("illustrative defaults, not fitted").wait_for(timeout=30_000)
        page.get_by_text("Top-up sessions (years 2, 4, 6, 8)").first.click()
        page.get_by_text("Run scenario A").click()
        page.get_by_text("Run finished").wait_for(timeout=240_000)
        finished = page.get_by_text("Run finished").inner_text()
        drawn = page.get_by_text("first month drawn").inner_text()
        page.screenshot(path=str(ARTEFACTS / "dashboard.png"), full_page=True)
        browser.close()
    assert "practising in" in finished
    seconds = float(drawn.split("drawn ")[1].split(" s")[0])
    assert seconds > 0
    assert (ARTEFACTS / "dashboard.png").stat().st_size > 10_000
