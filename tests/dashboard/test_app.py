"""The Solara page rendered headlessly: widgets present, a run drawn, nothing personal shown."""

from __future__ import annotations

import re
import time

import pytest

solara = pytest.importorskip("solara")
v = pytest.importorskip("ipyvuetify")

from tests.dashboard.conftest import SMALL  # noqa: E402


@pytest.fixture
def page(monkeypatch):
    monkeypatch.setenv("ALUMNI_NET_DASHBOARD_DATA", str(SMALL))
    monkeypatch.setenv("ALUMNI_NET_DASHBOARD_PAUSE", "0")
    from alumni_net.dashboard import app

    monkeypatch.setattr(app, "FRAME_PAUSE", 0.0)
    box, rc = solara.render(app.Page(), handle_error=False)
    yield app, rc, box
    rc.close()


def _wait(predicate, timeout=120.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.1)
    return False


def _texts(box) -> str:
    """Every piece of text on the page: children strings, labels, and rendered Markdown."""
    import ipywidgets

    out, todo = [], [box]
    while todo:
        w = todo.pop()
        for key in ("label", "template"):
            value = getattr(w, key, None)
            if isinstance(value, str):
                out.append(re.sub(r"<[^>]+>", "", value))
        for child in getattr(w, "children", None) or ():
            if isinstance(child, str):
                out.append(child)
            elif isinstance(child, ipywidgets.Widget):
                todo.append(child)
    return " ".join(out)


def test_page_shows_the_levers_and_the_parameter_source(page):
    app, rc, box = page
    assert rc.find(v.Btn, children=["Run scenario A"]).widget is not None
    assert rc.find(v.Btn, children=["Compare A and B"]).widget is not None
    text = _texts(box)
    assert "illustrative defaults, not fitted" in text and "Who is recruited" in text


def test_pressing_run_draws_months_off_the_ui_thread(page):
    app, rc, box = page
    rc.find(v.Btn, children=["Run scenario A"]).widget.click()
    assert _wait(lambda: app.live_run.finished), "the run did not finish"
    frames = app.frames.value
    assert frames[0].month == 0 and frames[-1].month > 12
    assert "first month drawn" in app.status.value
    assert _wait(lambda: "Run finished" in _texts(box), timeout=10)
    # Nobody is named or identified on the page.
    people = app.session_for(str(SMALL)).dataset.people["person_id"].astype(str)
    text = _texts(box)
    assert not any(pid in text for pid in people.head(200))
