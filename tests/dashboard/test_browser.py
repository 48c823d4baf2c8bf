"""The dashboard in a real headless Chromium, as a leader uses it: set two options, compare,
read the answer.

Uses Debian's ``chromium`` (``apt-get install chromium``; `.ci/run` installs it) driven by
Playwright. Skipped, with the reason, only when no browser can be found. Screenshots of the first
screen before and after the comparison (and the whole page after it) are kept in
``test-artefacts/`` (or ``$ALUMNI_NET_ARTEFACTS``) for a person to look at.
"""

from __future__ import annotations

import os
import re
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


def _choose(page, card: int, label: str, option: str) -> None:
    """Pick ``option`` in the select labelled ``label`` of option card ``card`` (0 = A)."""
    card = page.locator(".an-option").nth(card)
    card.locator(".v-select").filter(has_text=label).first.click()
    page.locator(".v-overlay .v-list-item").filter(has_text=option).first.click()


def test_a_leader_sets_two_options_compares_and_reads_the_answer(server):
    # Issue 19: without scrolling, a leader sees what the page is for, the options and the
    # answer in words, and the first screen is saved before and after the run.
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        page.goto(server)
        compare = page.get_by_role("button", name="Compare options")
        compare.wait_for(timeout=120_000)
        page.get_by_text("illustrative defaults, not fitted").wait_for(timeout=30_000)
        page.screenshot(path=str(ARTEFACTS / "dashboard_before.png"))
        _choose(page, 0, "Recruit", "at random")
        _choose(page, 1, "Recruit", "the most connected")
        page.locator(".an-option").nth(1).get_by_text("Top-up sessions").click()
        page.locator(".v-select").filter(has_text="Paired runs").first.click()
        page.locator(".v-overlay .v-list-item").filter(has_text="10").first.click()
        compare.click()
        page.locator(".an-headline").first.wait_for(timeout=600_000)
        headline = page.locator(".an-headline").first.inner_text()
        levels = page.locator(".an-levels").first.inner_text()
        page.screenshot(path=str(ARTEFACTS / "dashboard_after.png"))
        # The answer is on the first screen, not below it.
        box = page.locator(".an-headline").first.bounding_box()
        # The whole page (the app scrolls inside its own frame: a tall window shows all of it).
        page.set_viewport_size({"width": 1280, "height": 1600})
        page.wait_for_timeout(1000)
        page.screenshot(path=str(ARTEFACTS / "dashboard_after_whole_page.png"))
        browser.close()
    assert re.fullmatch(
        r"Recruiting the most connected people instead of at random, and adding top-up sessions "
        r"in year\(s\) 2, 4, 6, 8 instead of none, (adds|removes) [\d,]+ "
        r"\(-?[\d,]+ to -?[\d,]+\) practising people by year 5 and [\d,]+ \(-?[\d,]+ to "
        r"-?[\d,]+\) by year 10(; .*)?\.", headline), headline
    assert levels.startswith("People practising by year 10: option A ")
    assert box is not None and box["y"] + box["height"] < 800
    for name in ("dashboard_before.png", "dashboard_after.png"):
        assert (ARTEFACTS / name).stat().st_size > 10_000
