"""Dashboard: from pressing "Watch one run" to the first month drawn, on the 20,000-person
programme; and the leader's comparison of two options (its CPU time, as the page waits for it).

Target: under 1 s to the first month. The page prepares option A's recruits while the leader
sets the options (``Session.plan``, timed separately here), so pressing the button builds the
model on the prepared network, runs month 1 and draws both figures (the sector-by-region map
and the curve) to PNG, as the browser receives them. Times are wall clock; CPU time beside them
(``time.process_time``) is what a loaded machine does not distort.
"""

from __future__ import annotations

import io
import statistics
import time
from pathlib import Path

SMALL = Path(__file__).resolve().parent.parent / "data" / "synthetic" / "small"


def _first_month_drawn(session, view, levers) -> tuple[float, float]:
    from alumni_net.dashboard.figures import adoption_figure

    started, cpu = time.perf_counter(), time.process_time()
    frames = session.live(levers)
    drawn = [next(frames), next(frames)]
    for fig in (view.show(drawn[-1]), adoption_figure(drawn)):
        fig.savefig(io.BytesIO(), format="png")
    return time.perf_counter() - started, time.process_time() - cpu


def main(quick: bool = False) -> None:
    import matplotlib

    matplotlib.use("Agg")
    from alumni_net.dashboard.figures import MapFigure
    from alumni_net.dashboard.session import Levers, Session

    started = time.perf_counter()
    session = Session(SMALL if quick else None, seed=0)
    loaded = time.perf_counter() - started
    people = len(session.dataset.people)
    view = MapFigure(session)  # made once when the page opens, as the dashboard does
    rows = []
    for levers in (Levers(), Levers(strategy="degree", topups=True)):
        started = time.perf_counter()
        session.plan(levers)
        prepared = time.perf_counter() - started
        _first_month_drawn(session, view, levers)  # compiles the engine's kernels once
        times = [_first_month_drawn(session, view, levers) for _ in range(5)]
        wall = [t for t, _ in times]
        cpu = [c for _, c in times]
        rows.append((levers.label(), prepared, statistics.median(wall), max(wall),
                     statistics.median(cpu)))
    print(f"dashboard on {people:,} people: session loaded in {loaded:.1f} s")
    print(f"{'scenario':55s} {'prepare (s)':>11s} {'run->1st month (s)':>19s} {'max':>6s} "
          f"{'cpu':>6s}")
    for label, prepared, median, worst, cpu in rows:
        verdict = "met" if median < 1.0 else "MISSED"
        print(f"{label:55s} {prepared:11.2f} {median:19.3f} {worst:6.3f} {cpu:6.3f}  "
              f"target < 1 s: {verdict}")
    a, b = session.defaults()
    started, cpu = time.perf_counter(), time.process_time()
    session.compare(a, b, replicates=4 if quick else 20)
    print(f"compare {a.strategy} and {b.strategy}, {4 if quick else 20} paired runs: "
          f"{time.perf_counter() - started:.1f} s wall, {time.process_time() - cpu:.1f} s CPU "
          "(one process)")


if __name__ == "__main__":
    main()
