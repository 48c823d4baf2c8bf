"""Read a scenario file (TOML) into a :class:`~.spec.ScenarioFile`, reporting every problem at once.

Each problem is one sentence naming the file, the scenario (when it is one scenario's) and the
key, with a "did you mean" for misspelt keys (the helpers of :mod:`alumni_net.experiments.config`).
All problems are gathered and raised together as a :class:`~alumni_net.errors.ValidationError`,
so a programme leader fixes the file in one go; the command exits 2 having written nothing.
"""

from __future__ import annotations

import dataclasses
import difflib
import functools
import os
import tomllib
from pathlib import Path
from typing import Any

from alumni_net.abm import ContagionParams
from alumni_net.core.checks import check_int
from alumni_net.errors import ConfigError, Problem, ValidationError
from alumni_net.experiments.config import RunSettings, from_table
from alumni_net.experiments.scenarios.spec import (
    RECRUITMENT_KEYS,
    Cohorts,
    QuotaSpec,
    Recruitment,
    Scenario,
    ScenarioFile,
    TopUpSpec,
)

__all__ = ["load_scenario_file", "parse_scenario_file"]

_TOP = ("title", "description", "data", "synthetic", "horizon_years", "baseline", "model", "run",
        "cohorts", "recruitment", "quotas", "topups", "scenario")
_SCENARIO = ("name", "description", "cohorts", "recruitment", "quotas", "topups", "model")
_LEVERS = {"cohorts": Cohorts, "recruitment": Recruitment, "quotas": QuotaSpec}
# Model keys the scenario machinery sets itself.
_NOT_IN_MODEL = {
    "horizon_months": "give the horizon once, as horizon_years at the top of the file",
    "start": "the model starts at the first cohort in the data",
    "topups": "give top-up sessions as [[topups]] tables",
}


def _keys(*names: str) -> type:
    """A dataclass with optional fields ``names``: lets ``from_table`` check a table's keys."""
    return dataclasses.make_dataclass("keys", [(n, Any, None) for n in names])


class _Problems:
    """Problems of one file, each a sentence starting with the file name."""

    def __init__(self, source: Path):
        self.source = source
        self.items: list[str] = []

    def add(self, message: str) -> None:
        prefix = f"{self.source}: "
        text = message[len(prefix):] if message.startswith(prefix) else message
        if text not in self.items:
            self.items.append(text)

    def attempt(self, fn, *args, where: str = "", **kwargs):
        """``fn(*args, **kwargs)``, or None with the ConfigError's sentence recorded."""
        try:
            return fn(*args, **kwargs)
        except ConfigError as exc:
            message = str(exc).rstrip(".")
            self.add(f"{where}: {message}" if where and not message.startswith(str(self.source))
                     else message)
            return None

    def raise_if_any(self) -> None:
        if self.items:
            raise ValidationError([Problem(str(self.source), None, None, m) for m in self.items])


def load_scenario_file(path: str | os.PathLike) -> ScenarioFile:
    """Read and check a scenario file; raise ValidationError listing every problem.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "s.toml"
    >>> _ = f.write_text('horizon_years = 5\\n[synthetic]\\nn_people = 2000\\nn_cohorts = 4\\n'
    ...                  '[[scenario]]\\nname = "big"\\n[scenario.cohorts]\\nsize = 30\\n')
    >>> sf = load_scenario_file(f)
    >>> [(s.name, s.cohorts.size) for s in sf.scenarios]
    [('baseline', 26), ('big', 30)]
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"scenario file {path} does not exist") from None
    except (UnicodeDecodeError, IsADirectoryError):
        raise ConfigError(f"scenario file {path} is not a UTF-8 text file") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path} is not valid TOML ({exc})") from None
    return parse_scenario_file(data, source=path)


def parse_scenario_file(data: dict[str, Any], *, source: str | os.PathLike) -> ScenarioFile:
    """Build a ScenarioFile from parsed TOML; ``source`` names the file in messages and anchors
    a relative ``data`` folder."""
    source = Path(source)
    problems = _Problems(source)
    problems.attempt(from_table, _keys(*_TOP), data, "top level", source)
    tables = {name: _table(data, name, problems) for name in ("model", "run", *_LEVERS)}
    params = _model(tables["model"], ContagionParams(), "model", source, problems, None)
    run = _run(tables["run"], source, problems)
    horizon = data.get("horizon_years", 10)
    try:
        check_int("horizon_years", horizon, 1, 50)
    except ConfigError as exc:
        problems.add(str(exc))
    folder, synthetic = _data_source(data, source, problems)
    baseline, base_ok = _baseline(data, tables, params, source, problems)
    scenarios = _scenarios(data.get("scenario", []), tables, baseline, base_ok, params, source,
                           problems)
    problems.raise_if_any()
    result = problems.attempt(
        lambda: ScenarioFile(
            source=source, scenarios=(baseline, *scenarios), horizon_years=horizon, params=params,
            replicates=run.replicates, seed=run.seed, engine=run.engine, data=folder,
            synthetic=synthetic,
        )
    )
    problems.raise_if_any()
    return result


def _table(data: dict, name: str, problems: _Problems, where: str = "") -> dict:
    value = data.get(name, {})
    if not isinstance(value, dict):
        problems.add(f"{where}{name!r} must be a table ([{name}]), not a single value")
        return {}
    return value


def _model(values: dict, base: ContagionParams, table: str, source: Path, problems: _Problems,
           scenario: str | None) -> Any:
    """Model parameters checked key by key (all problems), then together."""
    where = f"{source}: scenario {scenario!r}" if scenario else source
    ok = True
    for key, value in values.items():
        if key in _NOT_IN_MODEL:
            problems.add(f"{where}: [{table}] cannot set {key!r}; {_NOT_IN_MODEL[key]}")
            ok = False
        elif problems.attempt(from_table, ContagionParams, {key: value}, table, where) is None:
            ok = False
    if not ok:
        return base if scenario is None else ()
    if scenario is not None:  # a scenario keeps only its changes; checked against the base
        changes = tuple(sorted((k, tuple(v) if isinstance(v, list) else v)
                               for k, v in values.items()))
        checked = problems.attempt(
            lambda: dataclasses.replace(base, **dict(changes)), where=f"{where}: [{table}]")
        return changes if checked is not None else ()
    return problems.attempt(from_table, ContagionParams, values, table, where) or base


def _run(values: dict, source: Path, problems: _Problems) -> RunSettings:
    if "horizon" in values:
        problems.add("[run] cannot set 'horizon'; give it once, as horizon_years at the top")
        values = {k: v for k, v in values.items() if k != "horizon"}
    return problems.attempt(from_table, RunSettings, values, "run", source) or RunSettings()


def _data_source(data: dict, source: Path, problems: _Problems):
    folder, synthetic = data.get("data"), data.get("synthetic")
    if (folder is None) == (synthetic is None):
        problems.add("give either data = \"PATH\" (a dataset folder or file) or a [synthetic] "
                     "table, exactly one of them")
        return None, ()
    if folder is not None:
        if not isinstance(folder, str):
            problems.add(f"data must be a path in quotes, got {folder!r}")
            return None, ()
        path = (source.parent / folder) if not Path(folder).is_absolute() else Path(folder)
        # A folder or a single file: the loader decides what it can read (and says why not).
        if not path.exists():
            problems.add(f"data {str(path)!r} does not exist")
        return path, ()
    if not isinstance(synthetic, dict):
        problems.add("'synthetic' must be a table ([synthetic]), not a single value")
        return None, ()
    return None, _synthetic(synthetic, problems)


def _synthetic(values: dict, problems: _Problems) -> tuple:
    from alumni_net.synth import PRESETS, SynthParams, make_params

    fields = tuple(f.name for f in dataclasses.fields(SynthParams))
    rest = {k: v for k, v in values.items() if k not in ("preset", "seed")}
    if problems.attempt(from_table, _keys(*fields, "preset", "seed"), values, "synthetic",
                        problems.source) is None:
        return ()
    preset = values.get("preset", "programme")
    if preset not in PRESETS:
        problems.add(f"[synthetic] preset must be one of {', '.join(PRESETS)}, got {preset!r}")
        return ()
    seed = values.get("seed", 0)
    try:
        check_int("seed", seed, 0, 2**63 - 1)
    except ConfigError as exc:
        problems.add(f"[synthetic] {exc}")
        return ()
    if problems.attempt(lambda: make_params(preset, **rest), where="[synthetic]") is None:
        return ()
    return tuple(sorted({"preset": preset, "seed": seed, **rest}.items()))


def _levers(values: dict, base: dict, where: str, problems: _Problems,
            base_ok: dict[str, bool] | None = None) -> dict | None:
    """Cohorts, recruitment and quotas of one programme: every key checked (all problems), then
    each table over the baseline's (skipped where the baseline's own table is wrong: that
    problem is reported once, for the baseline)."""
    out, ok = {}, True
    for name, cls in _LEVERS.items():
        build = _recruitment if cls is Recruitment else functools.partial(from_table, cls)
        own = values.get(name, {})
        # A strategy's setting is checked with its strategy (this table's, else the baseline's).
        chosen = own.get("strategy", base.get(name, {}).get("strategy", "random"))
        bad = [k for k, v in own.items()
               if problems.attempt(build, _alone(cls, k, v, chosen), name, where) is None]
        if bad or (base_ok is not None and not base_ok[name]):
            ok = False
            continue
        inherited = base.get(name, {})
        if cls is Recruitment and own.get("strategy", inherited.get("strategy")) != \
                inherited.get("strategy"):
            # Another strategy: the baseline's settings were its strategy's, not this one's.
            inherited = {k: v for k, v in inherited.items() if k in RECRUITMENT_KEYS}
        out[name] = problems.attempt(build, {**inherited, **own}, name, where)
        ok = ok and out[name] is not None
    return out if ok else None


def _alone(cls: type, key: str, value: Any, strategy: Any) -> dict[str, Any]:
    """One key as a table of its own (a strategy's setting with its strategy)."""
    if cls is Recruitment and key not in RECRUITMENT_KEYS:
        return {"strategy": strategy, key: value}
    return {key: value}


def _recruitment(values: dict[str, Any], table: str, source) -> Recruitment:
    """A ``[recruitment]`` table: the keys every strategy has, and the chosen strategy's own
    settings (any other key), named like any unknown key when the strategy does not take them."""
    from alumni_net.experiments.recruitment import strategy, strategy_names

    general = {k: v for k, v in values.items() if k in RECRUITMENT_KEYS}
    given = {k: tuple(v) if isinstance(v, list) else v for k, v in values.items()
             if k not in RECRUITMENT_KEYS}
    name = general.get("strategy", "random")
    if given and isinstance(name, str) and name in strategy_names():
        allowed = [*RECRUITMENT_KEYS, *strategy(name).settings]
        for key in given:
            if key not in allowed:
                hint = difflib.get_close_matches(key, allowed, n=1)
                mean = f" (did you mean {hint[0]!r}?)" if hint else ""
                raise ConfigError(f"{source}: unknown key {key!r} in [{table}]{mean}; allowed keys "
                                  f"for the {name} strategy are {', '.join(allowed)}")
    return from_table(Recruitment, {**general, "settings": tuple(given.items())}, table, source)


def _topups(values: Any, where: str, problems: _Problems) -> tuple | None:
    if not isinstance(values, list) or not all(isinstance(t, dict) for t in values):
        problems.add(f"{where}: topups must be a list of [[topups]] tables")
        return None
    built = [problems.attempt(from_table, TopUpSpec, t, f"topups #{i + 1}", where)
             for i, t in enumerate(values)]
    return None if any(b is None for b in built) else tuple(built)


def _baseline(data, tables, params, source, problems) -> tuple[Scenario, dict[str, bool]]:
    name = data.get("baseline", "baseline")
    where = f"{source}: baseline {name!r}"
    levers = _levers(tables, {}, str(source), problems) or {}
    base_ok = {name: name in levers for name in _LEVERS}
    topups = _topups(data.get("topups", []), str(source), problems) or ()
    baseline = problems.attempt(lambda: Scenario(
        name=name, description=str(data.get("description", "")), topups=topups, **levers),
        where=where) or Scenario("baseline")
    return baseline, base_ok


def _scenarios(items, tables, baseline, base_ok, params, source, problems) -> list[Scenario]:
    if not isinstance(items, list) or not all(isinstance(s, dict) for s in items):
        problems.add("scenarios must be [[scenario]] tables")
        return []
    out = []
    for i, item in enumerate(items):
        name = item.get("name")
        if not isinstance(name, str):
            problems.add(f"scenario #{i + 1} needs a name, e.g. name = \"bridging\"")
            continue
        where = f"{source}: scenario {name!r}"
        if problems.attempt(from_table, _keys(*_SCENARIO), item, "scenario", where) is None:
            continue
        own = {k: _table(item, k, problems, f"scenario {name!r}: ") for k in _LEVERS}
        levers = _levers(own, tables, where, problems, base_ok)
        topups = _topups(item["topups"], where, problems) if "topups" in item else baseline.topups
        model = _model(_table(item, "model", problems, f"scenario {name!r}: "), params, "model",
                       source, problems, name)
        if levers is None or topups is None:
            continue
        scenario = problems.attempt(
            Scenario, name=name, description=str(item.get("description", "")), topups=topups,
            model=model, **levers, where=f"scenario {name!r}")
        if scenario is not None:
            out.append(scenario)
    return out
