"""The Solara page rendered headlessly: what it is for, the options, the answer after one press,
problems instead of tracebacks, and nothing personal shown."""

from __future__ import annotations

import re
import time

import pytest

solara = pytest.importorskip("solara")
v = pytest.importorskip("ipyvuetify")

from tests.dashboard.conftest import SMALL  # noqa: E402


def _render(monkeypatch, data):
    monkeypatch.setenv("ALUMNI_NET_DASHBOARD_DATA", str(data))
    monkeypatch.setenv("ALUMNI_NET_DASHBOARD_PAUSE", "0")
    from alumni_net.dashboard import app

    monkeypatch.setattr(app, "FRAME_PAUSE", 0.0)
    # A fresh page: the options, the last run and its frames belong to the previous data.
    app.options.value, app.contagion.value, app.third.value = None, None, False
    app.frames.value, app.problems.value, app.replicates.value = [], [], 10
    box, rc = solara.render(app.Page(), handle_error=False)
    return app, rc, box


@pytest.fixture
def page(monkeypatch):
    app, rc, box = _render(monkeypatch, SMALL)
    yield app, rc, box
    rc.close()


def _wait(predicate, timeout=300.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.1)
    return False


def _texts(box) -> str:
    """Every piece of text on the page: children strings, labels, and HTML."""
    import ipywidgets

    out, todo = [], [box]
    while todo:
        w = todo.pop()
        for key in ("label", "template", "unsafe_innerHTML"):
            value = getattr(w, key, None)
            if isinstance(value, str):
                out.append(re.sub(r"<[^>]+>", "", value))
        for child in getattr(w, "children", None) or ():
            if isinstance(child, str):
                out.append(child)
            elif isinstance(child, ipywidgets.Widget):
                todo.append(child)
    return " ".join(out)


def test_page_says_what_it_is_for_and_shows_the_options_and_the_parameter_source(page):
    app, rc, box = page
    assert rc.find(v.Btn, children=["Compare options"]).widget is not None
    text = _texts(box)
    assert "Who should the programme recruit next?" in text
    assert "Compare two or three ways of running the next 10 years of cohorts" in text
    assert "Option A (baseline)" in text and "Option B" in text
    assert "Model parameters: illustrative defaults, not fitted" in text
    assert "2,000 people, 104 alumni in 4 cohorts" in text
    assert "first month drawn" not in text  # no developer timings


def test_pressing_compare_gives_the_answer_in_words(page):
    app, rc, box = page
    rc.find(v.Btn, children=["Compare options"]).widget.click()
    assert _wait(lambda: app.compare_run.finished), "the comparison did not finish"
    assert _wait(lambda: "practising people by year 5 and" in _texts(box), timeout=30)
    text = _texts(box)
    assert re.search(r"Recruiting bridging people \(ties across sectors and regions\) instead of "
                     r"at random (adds|removes) \d+ \(-?\d+ to -?\d+\) practising people by year "
                     r"5 and \d+ \(-?\d+ to -?\d+\) by year 10", text), text
    assert "Who each option recruits" in text and "people who use services" in text
    # Nobody is named or identified on the page.
    people = app.session_for(str(SMALL)).dataset.people["person_id"].astype(str)
    assert not any(pid in text for pid in people.head(200))


def test_watching_one_run_draws_months_off_the_ui_thread(page):
    app, rc, box = page
    rc.find(v.Btn, children=["Watch one run"]).widget.click()
    assert _wait(lambda: app.live_run.finished), "the run did not finish"
    frames = app.frames.value
    assert frames[0].month == 0 and frames[-1].month > 12
    assert _wait(lambda: "Run finished" in _texts(box), timeout=10)


def test_a_folder_without_people_shows_its_problems_not_a_traceback(monkeypatch, tmp_path):
    # Issue 19 red team: the dashboard on invalid data showed a traceback with file paths.
    folder = tmp_path / "programme"
    folder.mkdir()
    (folder / "ties.csv").write_text("source,target\na,b\n", encoding="utf-8")
    app, rc, box = _render(monkeypatch, folder)
    try:
        text = _texts(box)
        assert "The dashboard cannot use these data" in text and "people.csv" in text
        assert "Traceback" not in text and str(tmp_path) not in text
        assert not rc.find(v.Btn, children=["Compare options"]).widgets
    finally:
        rc.close()


def test_data_too_small_for_the_usual_levers_still_give_an_answer(monkeypatch, tiny_data):
    # Issue 19 red team: on data too small for its default levers the run button did nothing.
    app, rc, box = _render(monkeypatch, tiny_data)
    try:
        rc.find(v.Btn, children=["Compare options"]).widget.click()
        assert _wait(lambda: app.compare_run.finished)
        assert _wait(lambda: "practising people by year" in _texts(box), timeout=30), \
            _texts(box)
        # The run reported its progress to the page's bar (percent). mypy (issue 18) found the
        # task's progress value (always None) passed to Session.compare as its progress
        # callback, so the bar never moved.
        assert app.compare_run.progress == 100.0
    finally:
        rc.close()
