"""What a programme leader reads after ``alumni-net scenarios``: ``summary.md``, the figures and
the tables, written together into the output folder."""

from __future__ import annotations

from pathlib import Path

from alumni_net.abm import ContagionParams
from alumni_net.core.files import atomic_write_text
from alumni_net.core.publish import published_name
from alumni_net.experiments.config import ILLUSTRATIVE
from alumni_net.experiments.recruitment import strategy

__all__ = ["summary_markdown", "write_scenario_outputs"]


def write_scenario_outputs(out_dir: str | Path, result) -> str:
    """Write the tables, the three figures and ``summary.md`` of a scenario run; return the
    summary's text."""
    from alumni_net.experiments.scenarios import write_tables
    from alumni_net.plotting.scenarios import save_scenario_figures

    prepared = result.prepared
    sf = prepared.file
    tables = write_tables(out_dir, result)
    source = f"{sf.source.name}, {_data_text(prepared, result)}"
    save_scenario_figures(out_dir, tables, baseline=sf.baseline.name,
                          future_start=str(prepared.timeline.future), source=source)
    text = summary_markdown(tables, result)
    atomic_write_text(Path(out_dir) / "summary.md", text)
    return text


def _data_text(prepared, result=None) -> str:
    sf = prepared.file
    if result is not None and result.manifest.get("network_source"):
        return result.manifest["network_source"]  # a workforce folder's K networks
    if sf.data is not None:
        return f"data {published_name(sf.data.name)}"
    opts = dict(sf.synthetic)
    return (f"the synthetic {opts.get('preset', 'programme')} (seed {opts.get('seed', 0)}, "
            f"{prepared.data.n_people:,} people)")


def _pool(scenario) -> tuple:
    r = scenario.recruitment
    return r.pool, r.roles, r.sectors, r.regions


def _change(scenario, baseline) -> str:
    """What ``scenario`` changes, in words, for a sentence starting with it."""
    parts = []
    s, b = scenario, baseline
    if s.recruitment.strategy != b.recruitment.strategy:
        parts.append(f"recruiting {strategy(s.recruitment.strategy).description} instead of "
                     f"{strategy(b.recruitment.strategy).description}")
    elif s.recruitment.settings != b.recruitment.settings:
        # named, not shown: a setting may name people (a list of invitees)
        names = ", ".join(k for k, v in s.recruitment.settings
                          if v != dict(b.recruitment.settings).get(k))
        parts.append(f"recruiting with other settings of the {s.recruitment.strategy} strategy "
                     f"({names})")
    if _pool(s) != _pool(b):
        parts.append("recruiting from a different candidate pool")
    if s.cohorts.regional != b.cohorts.regional:
        parts.append("running regional cohorts instead of national ones" if s.cohorts.regional
                     else "running national cohorts instead of regional ones")
    if s.cohorts.size != b.cohorts.size:
        parts.append(f"running cohorts of {s.cohorts.size} instead of {b.cohorts.size}")
    if s.cohorts.per_year != b.cohorts.per_year:
        parts.append(f"running {s.cohorts.per_year} cohort(s) a year instead of "
                     f"{b.cohorts.per_year}")
    if s.quotas != b.quotas:
        parts.append("changing the quotas")
    if s.topups != b.topups:
        years = ", ".join(str(t.year) for t in s.topups)
        parts.append(f"adding top-up sessions in year(s) {years}" if s.topups
                     else "dropping the top-up sessions")
    if s.model != b.model:
        parts.append("changing " + ", ".join(f"{k} to {v}" for k, v in s.model))
    text = " and ".join(parts) if parts else f"the scenario {s.name!r}"
    return text[0].upper() + text[1:]


def summary_markdown(tables: dict, result) -> str:
    """The short summary a programme leader reads (``summary.md``), every value escaped Markdown
    and every interval by the package's one rule (counts whole, rates three figures)."""
    from alumni_net.core.formatting import estimate, interval, whole
    from alumni_net.core.markdown import render_markdown
    from alumni_net.experiments.multiplier import naive_arithmetic
    from alumni_net.experiments.scenarios import HEADLINE

    p = result.prepared
    sf, tl = p.file, p.timeline
    t = tables["scenarios"].set_index(["scenario", "measure"])
    base = sf.baseline
    changes = []
    for s in sf.scenarios[1:]:
        row = t.loc[(s.name, HEADLINE)]
        med, lo, hi = row["difference_median"], row["difference_lo"], row["difference_hi"]
        verb = "adds" if med >= 0 else "removes"
        note_ = " (the interval includes no difference)" if lo <= 0 <= hi else ""
        changes.append(f"{_change(s, base)} {verb} {whole(abs(med))} "
                       f"({interval(lo, hi, count=True)}) practising people by year "
                       f"{sf.horizon_years}{note_}.")
    rows = []
    for s in sf.scenarios:
        practising, per_alum, alumni = (t.loc[(s.name, m)] for m in
                                        (HEADLINE, "attributable_per_alum", "alumni"))
        rows.append([s.name,
                     estimate(practising["median"], practising["lo"], practising["hi"], count=True),
                     estimate(per_alum["median"], per_alum["lo"], per_alum["hi"], count=False),
                     whole(alumni["median"], missing="n/a")])
    claim = naive_arithmetic(1)
    return render_markdown(
        "scenarios_summary.md.j2", source=sf.source.name, people=_data_text(p, result),
        future=tl.future, years=sf.horizon_years, end=tl.start + tl.horizon_months,
        start=tl.start, n_replicates=result.n_replicates, seed=result.seed,
        baseline=base.name, changes=changes, rows=rows,
        ten=claim["naive_ten_per_alum"], branching=claim["naive_branching"],
        parameter_source=ILLUSTRATIVE if sf.params == ContagionParams() else
        "set in the scenario file, not fitted by this run",
    )
