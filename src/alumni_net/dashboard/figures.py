"""What the page draws and says: the answer in words, the options over the years, who each
option recruits, and a map of sectors and regions (never a hairball of dots)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.image import AxesImage
from matplotlib.text import Text

from alumni_net.dashboard.session import NAMES, Comparison, Frame, Grid, Levers, Session

if TYPE_CHECKING:
    from alumni_net.experiments.scenarios import Scenario
    from alumni_net.report.scenarios import DifferenceRow

__all__ = [
    "OPTION_COLOURS",
    "MapFigure",
    "adoption_figure",
    "comparison_figure",
    "comparison_sentence",
    "contacts_figure",
    "headlines",
    "levels",
    "makeup_table",
    "map_figure",
]

OPTION_COLOURS = ("#636363", "#e6550d", "#3182bd")
_PRACTISING = "Oranges"
_CONTACTS = "Blues"


def _years(calendar_months: Iterable[object]) -> np.ndarray:
    periods = pd.PeriodIndex(pd.Series(calendar_months).astype(str), freq="M")
    return (periods.year + (periods.month - 1) / 12.0).to_numpy(dtype=float)


def _draw_grid(ax: Axes, grid: Grid, values: np.ndarray, cmap: str, *,
               vmax: float = 1.0) -> tuple[AxesImage, list[list[Text]]]:
    """A rows x cols grid of shares, each cell labelled; cells too small to show stay grey."""
    colours = matplotlib.colormaps[cmap].with_extremes(bad="#eeeeee")  # grey: withheld
    image = ax.imshow(np.ma.masked_invalid(values), cmap=colours, vmin=0.0, vmax=vmax,
                      aspect="auto")
    ax.set_xticks(range(len(grid.cols)), [c.replace("_", " ") for c in grid.cols], rotation=35,
                  ha="right", fontsize=7)
    ax.set_yticks(range(len(grid.rows)), [r.replace("_", " ") for r in grid.rows], fontsize=7)
    ax.tick_params(length=0)
    for side in ax.spines.values():
        side.set_visible(False)
    texts = [[ax.text(j, i, "", ha="center", va="center", fontsize=6.5)
              for j in range(len(grid.cols))] for i in range(len(grid.rows))]
    _label_cells(texts, values, vmax)
    return image, texts


def _label_cells(texts: list[list[Text]], values: np.ndarray, vmax: float) -> None:
    for i, row in enumerate(texts):
        for j, text in enumerate(row):
            v = values[i, j]
            text.set_text("" if np.isnan(v) else f"{v:.0%}")
            text.set_color("white" if not np.isnan(v) and v > 0.6 * vmax else "#333333")


class MapFigure:
    """People practising in each sector and region during a live run, as shares of the cell.

    One figure per session: the grid is drawn once, and a month only changes the cells'
    colours, labels and the title, which keeps a redraw well under a second.
    """

    def __init__(self, session: Session) -> None:
        self.session = session
        grid = session.grid
        self.figure = Figure(figsize=(6.2, 3.8), dpi=90)
        self.figure.set_layout_engine("constrained", rect=(0, 0.07, 1, 0.93))  # room: source
        ax = self.figure.add_subplot()
        empty = np.full((len(grid.rows), len(grid.cols)), np.nan)
        self.image, self.texts = _draw_grid(ax, grid, empty, _PRACTISING)
        self.figure.colorbar(self.image, ax=ax, shrink=0.8, label="share practising",
                             format=lambda x, _: f"{x:.0%}")
        self.ax = ax
        self._source()
        self.show(None)
        # Lay out once: a month changes colours and labels only, so later redraws skip layout.
        self.figure.draw_without_rendering()
        self.figure.set_layout_engine("none")

    def show(self, frame: Frame | None) -> Figure:
        """The figure coloured by the people practising in ``frame`` (None: before the run)."""
        grid = self.session.grid
        if frame is not None and frame.practising.shape != (len(grid.rows), len(grid.cols)):
            frame = None  # a frame of other data (a page left open across a restart)
        if frame is None:
            values = np.full((len(grid.rows), len(grid.cols)), np.nan)
            when = "before the run"
        else:
            size = grid.size.reshape(len(grid.rows), len(grid.cols)).astype(float)
            values = np.where(size >= grid.min_count, frame.practising / np.maximum(size, 1),
                              np.nan)
            when = pd.Period(frame.calendar_month, freq="M").strftime("%B %Y")
        self.image.set_data(np.ma.masked_invalid(values))
        _label_cells(self.texts, values, 1.0)
        self.ax.set_title(f"Share of each {grid.row_name} and {grid.col_name} practising, "
                          f"{when}", fontsize=9, loc="left")
        return self.figure

    def _source(self) -> None:
        import textwrap

        text = (f"Data: {self.session.name}. One run (one random draw); model parameters: "
                f"{self.session.parameter_source}. Grey: fewer than "
                f"{self.session.grid.min_count} people.")
        self.figure.text(0.01, 0.005, "\n".join(textwrap.wrap(text, 130)), fontsize=6,
                         color="#555555", va="bottom")


def map_figure(session: Session, frame: Frame | None) -> Figure:
    """A new map figure coloured by ``frame`` (see :class:`MapFigure` to redraw one)."""
    return MapFigure(session).show(frame)


def adoption_figure(frames: list[Frame], horizon_months: int | None = None) -> Figure:
    """People practising and lapsed, month by month, in this one run (dates on the axis)."""
    fig = Figure(figsize=(6.2, 2.8), dpi=90)
    fig.subplots_adjust(left=0.11, right=0.98, top=0.9, bottom=0.17)  # fixed: redrawn often
    ax = fig.add_subplot()
    x = _years([f.calendar_month for f in frames])
    ax.plot(x, [f.counts["practising"] for f in frames], color="#e6550d", label="practising")
    ax.plot(x, [f.counts["lapsed"] for f in frames], color="#5d9cec", label="lapsed")
    if horizon_months and frames:
        ax.set_xlim(x[0], x[0] + horizon_months / 12)
    ax.set_xlabel("year")
    ax.set_ylabel("people")
    ax.legend(frameon=False, fontsize=8)
    ax.set_title("One run (one random draw): compare options for medians and 90% intervals",
                 fontsize=9, loc="left")
    ax.spines[["top", "right"]].set_visible(False)
    return fig


def comparison_figure(tables: Comparison, *, parameter_source: str = "") -> Figure:
    """People practising over the years of the future programme, each option's median and 90%
    band, with years 5 and 10 marked."""
    tl = tables["timeline"]
    adoption = tables["adoption"]
    part = adoption[(adoption["arm"] == "programme") & (adoption["measure"] == "practising")]
    fig = Figure(figsize=(6.2, 3.3), dpi=90, layout="constrained")
    ax = fig.add_subplot()
    future = tl.month(tl.future)
    for i, name in enumerate(dict.fromkeys(part["scenario"])):
        rows = part[(part["scenario"] == name) & (part["month"] >= future - 12)]
        x = _years(rows["calendar_month"])
        ax.fill_between(x, rows["lo"], rows["hi"], color=OPTION_COLOURS[i], alpha=0.18, lw=0)
        ax.plot(x, rows["median"], color=OPTION_COLOURS[i], lw=1.8, label=f"option {name}")
    start = tl.future.year + (tl.future.month - 1) / 12
    for year in (5, 10):
        if 12 * year <= tl.horizon_months - future:
            ax.axvline(start + year, color="#999999", lw=0.8, ls=":")
            ax.annotate(f" year {year}", (start + year, 0.02), xycoords=("data", "axes fraction"),
                        fontsize=7, color="#666666")
    ax.axvline(start, color="#999999", lw=0.8, ls="--")
    ax.annotate(" first new cohort", (start, 0.02), xycoords=("data", "axes fraction"),
                fontsize=7, color="#666666")
    ax.set_xlabel("year")
    ax.set_ylabel("people practising")
    ax.legend(frameon=False, fontsize=8, loc="upper left")
    n = int(part["n_replicates"].max()) if len(part) else 0
    ax.set_title(f"People practising: median and 90% band over {n} paired runs", fontsize=9,
                 loc="left")
    ax.spines[["top", "right"]].set_visible(False)
    if parameter_source:
        fig.text(0.01, 0.0, f"Model parameters: {parameter_source}.", fontsize=6.5,
                 color="#555555", va="bottom")
    return fig


def contacts_figure(session: Session, tables: Comparison) -> Figure:
    """Each option's recruits and the people tied to them, as a share of each sector and region:
    where the option puts the programme's first step of spread."""
    contacts = tables["contacts"]
    grid = session.grid
    names = list(contacts)
    fig = Figure(figsize=(3.1 * len(names) + 0.8, 3.4), dpi=90, layout="constrained")
    axes = fig.subplots(1, len(names), sharey=True, squeeze=False)[0]
    top = max(0.05, float(np.nanmax([np.nanmax(v) if np.isfinite(v).any() else 0.0
                                     for v in contacts.values()])))
    images = []
    for ax, name in zip(axes, names, strict=True):
        image, _ = _draw_grid(ax, grid, contacts[name], _CONTACTS, vmax=top)
        images.append(image)
        ax.set_title(f"option {name}", fontsize=9, loc="left")
    # Every panel has the same colour scale (0 to top): the last one's image stands for all.
    fig.colorbar(images[-1], ax=list(axes), shrink=0.8, format=lambda x, _: f"{x:.0%}",
                 label="a recruit or tied to one")
    fig.suptitle(f"Who each option's recruits are tied to, by {grid.row_name} and "
                 f"{grid.col_name} (grey: withheld, it would show a count under "
                 f"{grid.min_count})", fontsize=9, x=0.01, ha="left")
    fig.supxlabel(f"Data: {session.name}. Share of each cell's people who are a recruit of the "
                  "option or have a tie to one (ties as recorded in the data).", fontsize=6.5,
                  color="#555555", x=0.01, ha="left")
    return fig


def _rows(tables: Comparison, name: str) -> list[DifferenceRow]:
    from alumni_net.report.scenarios import headline_years

    by_year = tables["by_year"]
    mine = by_year[by_year["scenario"] == name].set_index("year")
    horizon = int(by_year["year"].max())
    return [(y, *mine.loc[y, ["difference_median", "difference_lo", "difference_hi"]])
            for y in headline_years(horizon) if y in mine.index]


def headlines(tables: Comparison) -> list[str]:
    """"Recruiting bridging people instead of at random adds 46 (12 to 80) practising people by
    year 5 and 120 (60 to 190) by year 10." for each option against option A."""
    from alumni_net.report.scenarios import difference_phrase, lever_phrases

    options = tables["options"]
    base = _as_scenario(options[NAMES[0]])
    out = []
    for name in list(options)[1:]:
        this, that = lever_phrases(_as_scenario(options[name]), base, verbs=False)
        if not this:
            text = f"Option {name} is the same programme as option A: no difference to show."
        else:
            # Each change beside what option A does instead: "recruiting X instead of at
            # random, and adding top-ups instead of none, adds ..."
            pairs = [f"{t} instead of {w}" for t, w in zip(this, that, strict=True)]
            what = pairs[0] if len(pairs) == 1 else ", and ".join(pairs) + ","
            text = f"{what} {difference_phrase(_rows(tables, name))}."
            if len(options) > 2:
                text = f"Option {name}: {text[0].upper()}{text[1:]}"
        out.append(text[0].upper() + text[1:])
    return out


def levels(tables: Comparison) -> str:
    """Each option's people practising by the last year, median and 90% interval."""
    from alumni_net.core.formatting import estimate

    by_year = tables["by_year"]
    year = int(by_year["year"].max())
    last = by_year[by_year["year"] == year].set_index("scenario")
    parts = [f"option {n} {estimate(r['median'], r['lo'], r['hi'], count=True)}"
             for n, r in last.iterrows()]
    return f"People practising by year {year}: " + "; ".join(parts) + "."


def comparison_sentence(tables: Comparison, a: Levers, b: Levers) -> str:
    """The first headline (kept for callers of the earlier page)."""
    return headlines(tables)[0]


def _as_scenario(levers: Levers) -> Scenario:
    """A stand-in with the attributes :func:`lever_phrases` reads."""
    from alumni_net.experiments.scenarios import (
        Cohorts,
        QuotaSpec,
        Recruitment,
        Scenario,
        TopUpSpec,
    )

    return Scenario(
        name="x", cohorts=Cohorts(per_year=levers.cohorts_per_year, size=levers.cohort_size,
                                  regional=levers.regional),
        recruitment=Recruitment(strategy=levers.strategy),
        quotas=QuotaSpec(min_service_users=levers.service_users),
        topups=tuple(TopUpSpec(year=y) for y in (2, 4, 6, 8)) if levers.topups else ())


def makeup_table(tables: Comparison) -> dict[str, pd.DataFrame]:
    """Who each option recruits, by sector (with people who use services) and by region: one
    row per group, one column per option; counts under the minimum count withheld ("<10")."""
    comp = tables["composition"]
    names = list(dict.fromkeys(comp["scenario"]))
    totals = comp[comp["characteristic"] == "all"].set_index("scenario")["recruits"]
    header = [f"option {n} ({'<10' if pd.isna(totals.get(n)) else f'{int(totals[n]):,}'})"
              for n in names]
    out = {}
    # People who use services are a sector of their own: their row is in the sector table.
    for title in ("sector", "region"):
        rows = comp[comp["characteristic"] == title].copy()
        if rows.empty:
            continue
        rows["group"] = [g.replace("_", " ") for g in rows["group"]]
        rows["recruits"] = ["<10" if pd.isna(v) else f"{int(v):,}" for v in rows["recruits"]]
        wide = rows.pivot_table(index="group", columns="scenario", values="recruits",
                                aggfunc="first", sort=False).reindex(columns=names)
        wide.columns = header
        out[title] = wide.fillna("0").rename_axis(title).reset_index()
    return out
