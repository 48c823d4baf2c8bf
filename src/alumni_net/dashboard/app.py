"""The Solara page a programme leader decides with: the options side by side, one button, and
the answer in words first ("recruiting X instead of Y adds N (A to B) practising people by year
5 and by year 10"), with the recruits' make-up, the years ahead with bands, where the
parameters came from, and a map of sectors and regions.

Run with ``alumni-net dashboard [DATA] [--config calibrated.toml]`` (or ``solara run
alumni_net.dashboard.app``): the data come from ``$ALUMNI_NET_DASHBOARD_DATA`` (empty: the
synthetic programme), the parameters from ``$ALUMNI_NET_DASHBOARD_CONFIG``. Data that cannot be
read are shown as their problems, one sentence each. The page never shows a name or an id;
heavy work runs off the UI thread.
"""

from __future__ import annotations

import dataclasses
import html
import os
import threading
import time
from collections.abc import Callable
from typing import TypedDict, Unpack, final

import pandas as pd
import solara
import solara.lab

from alumni_net.dashboard.figures import (
    MapFigure,
    adoption_figure,
    comparison_figure,
    contacts_figure,
    headlines,
    levels,
    makeup_table,
)
from alumni_net.dashboard.session import NAMES, Comparison, Levers, Session, data_problems

DATA_ENV = "ALUMNI_NET_DASHBOARD_DATA"
CONFIG_ENV = "ALUMNI_NET_DASHBOARD_CONFIG"
#: Pause between drawn months of a watched run, so that the spread can be seen.
FRAME_PAUSE = float(os.environ.get("ALUMNI_NET_DASHBOARD_PAUSE", "0.05"))
REDRAW_EVERY = 0.4  # seconds
REPLICATES = (10, 20, 50, 100)
_SESSIONS: dict[tuple, Session | list[str]] = {}
_SESSION_LOCK = threading.Lock()

#: How each strategy reads in the option cards.
STRATEGY_LABELS = {
    "random": "at random",
    "degree": "the most connected",
    "betweenness": "people between groups (betweenness)",
    "bridging": "bridging people (across sectors, regions)",
    "reach": "greatest three-degree reach",
    "influence": "greedy influence maximisation (slow)",
    "list": "the people on our list",
}
_CSS = """
.an-title{margin:0;font-size:22px}
.an-purpose{font-size:15px;margin:0 0 2px 0}
.an-source{font-size:12px;color:#555;margin:0 0 6px 0}
.an-answer{font-size:17px;line-height:1.35;margin:2px 0 4px 0}
.an-answer p{margin:0 0 6px 0}
.an-answer .an-levels{font-size:13px;color:#444}
.an-makeup{font-size:12px}
.an-makeup-tables{display:flex;gap:18px;align-items:flex-start}
.an-makeup table{border-collapse:collapse;font-size:12px}
.an-makeup td,.an-makeup th{padding:0 6px;border-bottom:1px solid #eee;text-align:right}
.an-makeup td:first-child,.an-makeup th:first-child{text-align:left}
.an-problems{border-left:4px solid #c62828;background:#fdecea;padding:8px 12px;font-size:15px}
.an-problems li{margin-bottom:4px}
.v-card.an-option{min-width:190px;flex:1;padding:6px 10px 2px 10px}
.an-option-title{font-weight:600;font-size:15px;margin-bottom:6px}
.an-option .v-input__details{display:none}
.an-option .v-input{margin-bottom:6px}
.an-option .v-switch .v-selection-control{min-height:30px;height:30px}
.an-option .v-switch .v-input__control{height:30px}
.an-option .v-switch{margin-bottom:0}
.an-option .v-card-text{padding:8px 12px}
"""


def session_for(data_dir: str | None, config: str | None = None) -> Session | list[str]:
    """One Session per dataset per server process (loading 20,000 people takes seconds), or
    the data's problems, one sentence each, when they cannot be read."""
    key = (data_dir or "", config or "")
    with _SESSION_LOCK:
        if key not in _SESSIONS:
            try:
                _SESSIONS[key] = Session(data_dir or None, config=config or None)
            except Exception as exc:  # noqa: BLE001 - shown on the page as sentences
                _SESSIONS[key] = data_problems(exc, data_dir)
        return _SESSIONS[key]


options: solara.Reactive[dict[str, Levers] | None] = solara.reactive(None)
third = solara.reactive(False)
replicates = solara.reactive(20)
contagion: solara.Reactive[str | None] = solara.reactive(None)
problems: solara.Reactive[list[str]] = solara.reactive([])
watched = solara.reactive(NAMES[0])
frames: solara.Reactive[list] = solara.reactive([])


#: The spread assumption, as the page words it.
SPREAD = {"one practising contact is enough": "simple", "it takes two contacts": "complex"}


def _defaults(session: Session) -> dict[str, Levers]:
    a, b = session.defaults()
    third_strategy = next((s for s in ("degree", "reach") if s not in (a.strategy, b.strategy)),
                          a.strategy)
    return {NAMES[0]: a, NAMES[1]: b, NAMES[2]: dataclasses.replace(a, strategy=third_strategy)}


def chosen(opts: dict[str, Levers], with_third: bool, spread: str) -> list[Levers]:
    """The options compared (two or three), each with the page's spread assumption."""
    names = NAMES if with_third else NAMES[:2]
    return [dataclasses.replace(opts[n], contagion=spread) for n in names]


@final
class Refused(TypedDict):
    """A comparison that did not run: the sentences saying why."""

    problems: list[str]


@solara.lab.task(prefer_threaded=True)
def compare_run(session: Session, levers: list[Levers], n: int) -> Comparison | Refused:
    found = session.check(*levers)
    if found:
        return Refused(problems=found)
    try:
        return session.compare(*levers, replicates=n, on_progress=_compare_progress)
    except Exception as exc:  # noqa: BLE001 - a sentence on the page, not a silent button
        return Refused(problems=data_problems(exc, session.data_dir))


def _compare_progress(fraction: float) -> None:
    # Session.compare reports a fraction done; Solara's task progress (and its bar) is percent.
    compare_run.progress = 100.0 * fraction


@solara.lab.task(prefer_threaded=True)
def live_run(session: Session, levers: Levers) -> str:
    frames.set([])
    found = session.check(levers)
    if found:
        return "; ".join(found)
    seen = []
    drawn = 0.0
    for frame in session.live(levers):
        seen.append(frame)
        if not live_run.is_current():
            return "stopped"
        # Redraw at most a few times a second: drawing, not the model, is the slow part.
        if frame.month <= 1 or time.perf_counter() - drawn > REDRAW_EVERY:
            frames.set(list(seen))
            drawn = time.perf_counter()
            time.sleep(FRAME_PAUSE)
    frames.set(list(seen))
    last = seen[-1]
    return f"{last.counts['practising']:,} people practising in {last.calendar_month}"


class _Change(TypedDict, total=False):
    """The levers a card's widgets change (Levers' fields)."""

    strategy: str
    cohorts_per_year: int
    cohort_size: int
    service_users: int
    regional: bool
    topups: bool


@solara.component
def OptionCard(name: str, session: Session, current: dict[str, Levers]) -> None:
    value = current[name]
    limits = session.limits

    def change(**levers: Unpack[_Change]) -> None:
        options.set({**current, name: dataclasses.replace(current[name], **levers)})

    labels = {STRATEGY_LABELS.get(s, s): s for s in session.strategies()}
    title = f"Option {name}" + (" (baseline)" if name == NAMES[0] else "")
    with solara.Card(margin=1, classes=["an-option"]):
        solara.HTML(tag="div", classes=["an-option-title"], unsafe_innerHTML=title)
        solara.Select("Recruit", values=list(labels), dense=True,
                      value=STRATEGY_LABELS.get(value.strategy, value.strategy),
                      on_value=lambda v: change(strategy=labels[v]))
        with solara.Row(gap="6px"):
            solara.Select("Cohorts a year", values=[1, 2, 3, 4], value=value.cohorts_per_year,
                          on_value=lambda v: change(cohorts_per_year=v), dense=True)
            sizes = sorted({s for s in (6, 12, 18, 20, 24, 26, 30, 36, 40, value.cohort_size)
                            if 2 <= s <= limits["max_size"]} | {limits["default_size"]})
            solara.Select("Cohort size", values=sizes, value=value.cohort_size,
                          on_value=lambda v: change(cohort_size=v), dense=True)
        users = list(range(0, limits["max_service_users"] + 1))
        solara.Select("Places for people who use services", values=users,
                      value=min(value.service_users, users[-1]),
                      on_value=lambda v: change(service_users=v), dense=True,
                      disabled=not limits["max_service_users"])
        solara.Switch(label="Regional cohorts", value=value.regional,
                      on_value=lambda v: change(regional=v), disabled=not limits["regions"])
        solara.Switch(label="Top-up sessions (years 2, 4, 6, 8)", value=value.topups,
                      on_value=lambda v: change(topups=v))


@solara.component
def Problems(title: str, items: list[str]) -> None:
    body = "".join(f"<li>{html.escape(i)}</li>" for i in items)
    solara.HTML(unsafe_innerHTML=(
        f"<div class='an-problems'><b>{html.escape(title)}</b><ul>{body}</ul></div>"))


@solara.component
def Answer(result: Comparison | Refused | None, session: Session) -> None:
    if compare_run.pending:
        solara.Text("Running every option on the same random futures...")
        solara.ProgressLinear(compare_run.progress or True)
        return
    if result is None:
        solara.HTML(unsafe_innerHTML=(
            "<p class='an-answer'>Set the options, then press <b>Compare options</b>: the "
            "answer appears here, as the number of extra people practising by year 5 and by "
            f"year {session.horizon_years}, with a 90% interval.</p>"))
        return
    if "problems" in result:
        Problems("These options cannot run on these data:", result["problems"])
        return
    sentences = "".join(f"<p class='an-headline'>{html.escape(s)}</p>"
                        for s in headlines(result))
    notes = "".join(f"<p class='an-levels'>{html.escape(_without_file_words(n))}</p>"
                    for n in result.get("exhausted", []))
    solara.HTML(unsafe_innerHTML=(
        f"<div class='an-answer'>{sentences}<p class='an-levels'>"
        f"{html.escape(levels(result))}</p>{notes}</div>"))


def _without_file_words(text: str) -> str:
    """A scenario note without the scenario file's keys (the page has no such settings)."""
    text = text.split("; they are kept (set when_exhausted")[0] + (
        "; they are kept." if "they are kept" in text else "")
    return text[:1].upper() + text[1:]


@solara.component
def MakeUp(result: Comparison) -> None:
    tables = makeup_table(result)

    def render(table: pd.DataFrame) -> str:
        head = "".join(f"<th>{html.escape(str(c))}</th>" for c in table.columns)
        body = "".join("<tr>" + "".join(f"<td>{html.escape(str(v))}</td>" for v in row)
                       + "</tr>" for row in table.itertuples(index=False))
        return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"

    parts = "".join(f"<div>{render(t)}</div>" for t in tables.values())
    solara.HTML(unsafe_innerHTML=(
        "<div class='an-makeup'><b>Who each option recruits</b> (counts under 10 withheld)"
        f"<div class='an-makeup-tables'>{parts}</div></div>"))


@solara.component
def Page() -> None:
    data_dir = os.environ.get(DATA_ENV) or None
    config = os.environ.get(CONFIG_ENV) or None
    session = solara.use_memo(lambda: session_for(data_dir, config), [data_dir, config])
    solara.Title("alumni_net: who should the programme recruit next?")
    solara.Style(_CSS)
    if isinstance(session, list):
        solara.HTML(tag="h2", unsafe_innerHTML="The dashboard cannot use these data")
        name = html.escape(os.path.basename(str(data_dir).rstrip("/")))
        Problems(f"{name}: fix these and start the dashboard again", session)
    else:
        Dashboard(session)


@solara.component
def Dashboard(session: Session) -> None:
    current = options.value if options.value is not None else _defaults(session)
    spread = contagion.value or current[NAMES[0]].contagion
    levers = chosen(current, third.value, spread)
    # Prepare option A's recruits while the leader reads: watching a run then only builds it.
    solara.use_thread(lambda: _quietly(session.plan, levers[0]), dependencies=[levers[0]])
    result = compare_run.value if compare_run.finished else None
    if result is not None and "problems" not in result and \
            list(result["options"].values()) != levers:
        result = None  # the options changed since: the old answer no longer applies
    solara.HTML(tag="h2", unsafe_innerHTML="Who should the programme recruit next?",
                classes=["an-title"])
    solara.HTML(tag="p", classes=["an-purpose"], unsafe_innerHTML=(
        f"Compare two or three ways of running the next {session.horizon_years} years of "
        "cohorts: how many more people would be practising the approach, with a 90% interval."))
    fit_them = "" if "calibrated" in session.parameter_source else \
        " (fit them to observed adoption with alumni-net calibrate)"
    solara.HTML(tag="p", classes=["an-source"], unsafe_innerHTML=html.escape(
        f"Data: {session.name} ({session.describe()}). Model parameters: "
        f"{session.parameter_source}{fit_them}."))
    shown = result if result is not None and "problems" not in result else None
    with solara.Columns([7, 5], gutters_dense=True):
        with solara.Column(gap="4px"):
            with solara.Row(gap="4px"):
                for name in (NAMES if third.value else NAMES[:2]):
                    OptionCard(name, session, current)
            with solara.Row(gap="10px", style="align-items:center"):
                solara.Button("Compare options", color="primary",
                              on_click=lambda: compare_run(session, levers, replicates.value),
                              disabled=compare_run.pending)
                solara.Button("Remove option C" if third.value else "Add option C", text=True,
                              on_click=lambda: third.set(not third.value))
                solara.Select("Paired runs", values=list(REPLICATES), value=replicates,
                              dense=True, style="max-width:100px")
                solara.Select("How the practice spreads", values=list(SPREAD), dense=True,
                              value=next(k for k, v in SPREAD.items() if v == spread),
                              on_value=lambda k: contagion.set(SPREAD[k]),
                              style="max-width:250px")
            if shown is not None:
                MakeUp(shown)
        with solara.Column(gap="4px"):
            Answer(result, session)
            if shown is not None:
                solara.FigureMatplotlib(comparison_figure(
                    shown, parameter_source=session.parameter_source), format="png")
    if shown is not None:
        solara.FigureMatplotlib(contacts_figure(session, shown), format="png")
    WatchOneRun(session, levers)
    solara.HTML(tag="p", classes=["an-source"], unsafe_innerHTML=(
        "How the answer is made: every option runs the same random futures (the same seeds, "
        "so chance treats the options alike) and the difference is taken run by run; 90% of "
        "these paired differences fall inside the interval shown. People practising are those "
        "using the approach at that date (people who lapsed are not counted). Recruits are "
        "chosen from people not yet trained; cohorts start a year after the latest one in the "
        "data."))


def _quietly(fn: Callable[..., object], *args: object) -> None:
    try:
        fn(*args)
    except Exception:  # noqa: BLE001 - the page shows the problem when the option is run
        pass


@solara.component
def WatchOneRun(session: Session, levers: list[Levers]) -> None:
    solara.HTML(tag="h3", unsafe_innerHTML="Watch one run, month by month")
    names = [n for n, _ in zip(NAMES, levers, strict=False)]
    pick = levers[names.index(watched.value)] if watched.value in names else levers[0]
    with solara.Row(gap="12px", style="align-items:center"):
        solara.Select("Option", values=names, value=watched, dense=True,
                      style="max-width:100px")
        solara.Button("Watch one run", on_click=lambda: live_run(session, pick),
                      disabled=live_run.pending)
        if live_run.finished and live_run.value:
            solara.Text(f"Run finished: {live_run.value}")
    if live_run.pending:
        solara.ProgressLinear(True)
    last = frames.value[-1] if frames.value else None
    view = solara.use_memo(lambda: MapFigure(session), [session])
    if last is not None:  # nothing drawn before a run: no empty chart
        with solara.Columns([1, 1]):
            solara.FigureMatplotlib(view.show(last), dependencies=[last], format="png")
            solara.FigureMatplotlib(adoption_figure(frames.value), format="png")
