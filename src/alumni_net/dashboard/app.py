"""The Solara page: levers, a live run drawn month by month, and two scenarios side by side.

Run with ``alumni-net dashboard [DATA_DIR]`` (or ``solara run alumni_net.dashboard.app``): the
dataset folder comes from ``$ALUMNI_NET_DASHBOARD_DATA`` (empty: the synthetic programme). The
page never shows a name or an id; heavy work runs off the UI thread.
"""

from __future__ import annotations

import os
import threading
import time

import solara
import solara.lab

from alumni_net.dashboard.figures import MapFigure, adoption_figure
from alumni_net.dashboard.session import CONTAGION, STRATEGIES, Frame, Levers, Session

DATA_ENV = "ALUMNI_NET_DASHBOARD_DATA"
#: Pause between drawn months, so that the spread can be watched (the model itself is faster).
FRAME_PAUSE = float(os.environ.get("ALUMNI_NET_DASHBOARD_PAUSE", "0.05"))
REDRAW_EVERY = 0.4  # seconds
_SESSIONS: dict[str, Session] = {}
_SESSION_LOCK = threading.Lock()


def session_for(data_dir: str | None) -> Session:
    """One Session per dataset per server process (loading 20,000 people takes seconds)."""
    key = data_dir or ""
    with _SESSION_LOCK:
        if key not in _SESSIONS:
            _SESSIONS[key] = Session(data_dir or None)
        return _SESSIONS[key]


@solara.component
def LeverPanel(title: str, levers: solara.Reactive[Levers]):
    value = levers.value

    def setter(name):
        return lambda v: levers.set(Levers(**{**value.__dict__, name: v}))

    with solara.Card(title):
        solara.Select("Who is recruited", values=list(STRATEGIES), value=value.strategy,
                      on_value=setter("strategy"))
        solara.SliderInt("Cohorts a year", value=value.cohorts_per_year, min=1, max=4, thumb_label="always",
                         on_value=setter("cohorts_per_year"))
        solara.SliderInt("Cohort size", value=value.cohort_size, min=12, max=40, thumb_label="always",
                         on_value=setter("cohort_size"))
        solara.SliderInt("People who use services per cohort", value=value.service_users,
                         min=0, max=6, thumb_label="always", on_value=setter("service_users"))
        solara.Switch(label="Regional cohorts", value=value.regional,
                      on_value=setter("regional"))
        solara.Switch(label="Top-up sessions (years 2, 4, 6, 8)", value=value.topups,
                      on_value=setter("topups"))
        solara.ToggleButtonsSingle(value=value.contagion, values=list(CONTAGION),
                                   on_value=setter("contagion"))


first = solara.reactive(Levers())
second = solara.reactive(Levers(strategy="bridging"))
frames: solara.Reactive[list[Frame]] = solara.reactive([])
replicates = solara.reactive(20)
status = solara.reactive("")


@solara.lab.task(prefer_threaded=True)
def live_run(session: Session, levers: Levers) -> str:
    frames.set([])
    started = time.perf_counter()
    seen: list[Frame] = []
    drawn = 0.0
    for frame in session.live(levers):
        seen.append(frame)
        if not live_run.is_current():
            return "stopped"
        # Redraw at most a few times a second: drawing, not the model, is the slow part.
        if frame.month <= 1 or time.perf_counter() - drawn > REDRAW_EVERY:
            frames.set(list(seen))
            drawn = time.perf_counter()
            if frame.month == 1:
                status.set(f"first month drawn {drawn - started:.2f} s after run")
            time.sleep(FRAME_PAUSE)
    frames.set(list(seen))
    return f"{seen[-1].counts['practising']:,} practising in {seen[-1].calendar_month}"


@solara.lab.task(prefer_threaded=True)
def compare_run(session: Session, a: Levers, b: Levers, n: int):
    return session.compare(a, b, replicates=n, on_progress=compare_run.progress)


@solara.component
def Page():
    data_dir = os.environ.get(DATA_ENV) or None
    session = solara.use_memo(lambda: session_for(data_dir), [data_dir])
    # Prepare the first scenario's recruits while the leader reads: pressing run then only
    # builds the model.
    solara.use_thread(lambda: session.plan(first.value), dependencies=[first.value])
    solara.Title("alumni_net dashboard")
    solara.Markdown(
        f"**Data:** {session.name}. **Model parameters:** illustrative defaults, not fitted "
        "(calibrate them with `alumni-net calibrate`). Figures below are one replicate; the "
        "comparison gives medians with 90% intervals over paired replicates.")
    with solara.Columns([1, 2]):
        with solara.Column():
            LeverPanel("Scenario A", first)
            solara.Button("Run scenario A", on_click=lambda: live_run(session, first.value),
                          color="primary")
            if live_run.pending:
                solara.ProgressLinear(True)
            solara.Text(status.value)
            if live_run.finished:
                solara.Text(f"Run finished: {live_run.value}")
        with solara.Column():
            last = frames.value[-1] if frames.value else None
            view = solara.use_memo(lambda: MapFigure(session), [session])
            solara.FigureMatplotlib(view.show(last), dependencies=[last])
            if frames.value:
                solara.FigureMatplotlib(adoption_figure(frames.value))
    solara.Markdown("## Compare two scenarios")
    with solara.Columns([1, 2]):
        with solara.Column():
            LeverPanel("Scenario B", second)
            solara.SliderInt("Paired replicates", value=replicates, min=4, max=100, thumb_label="always")
            solara.Button("Compare A and B",
                          on_click=lambda: compare_run(session, first.value, second.value,
                                                       replicates.value))
            if compare_run.pending:
                solara.ProgressLinear(compare_run.progress or True)
        with solara.Column():
            if compare_run.finished and compare_run.value is not None:
                Comparison(compare_run.value, first.value, second.value)


@solara.component
def Comparison(tables, a: Levers, b: Levers):
    from alumni_net.dashboard.figures import comparison_figure, comparison_sentence

    solara.Markdown(comparison_sentence(tables, a, b))
    solara.FigureMatplotlib(comparison_figure(tables))
