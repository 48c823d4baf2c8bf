"""TOML configuration for ``alumni-net simulate``: model parameters and run settings.

A file has two tables, both optional (see ``data/configs/example.toml``)::

    [model]          # any field of alumni_net.abm.ContagionParams; unnamed fields keep defaults
    beta = 0.02

    [run]            # how many replicates, from which seed, with which engine, for how long
    replicates = 200
    seed = 42
    engine = "fast"
    horizon = 120    # months

Every problem is a :class:`~alumni_net.errors.ConfigError` whose message is one sentence naming
the file, the key and what is allowed, so a programme leader can fix it without a traceback.
"""

from __future__ import annotations

import dataclasses
import difflib
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from alumni_net._checks import check_choice, check_int
from alumni_net.abm import ContagionParams
from alumni_net.errors import ConfigError
from alumni_net.vocabulary import ENGINES

__all__ = ["RunSettings", "SimulateConfig", "load_config", "parse_config"]


# Ranges of the [run] keys: wide enough for any real use, narrow enough to catch typos.
_MAX_REPLICATES = 1_000_000
_MAX_SEED = 2**63 - 1
_MAX_HORIZON = 1200  # months: a century


@dataclass(frozen=True)
class RunSettings:
    """How a simulation is run (not what is simulated).

    Parameters
    ----------
    replicates : int
        Number of seeded replicates (1 to 1,000,000); each runs with and without the programme.
    seed : int
        Root seed (0 to 2**63 - 1); replicate i uses ``SeedSequence(seed).spawn(n)[i]``.
    engine : {"fast", "reference"}
        The model engine.
    horizon : int or None
        Months to simulate (1 to 1200), copied into ``ContagionParams.horizon_months``; None keeps
        the model's default (or ``horizon_months`` given in ``[model]``).
    """

    replicates: int = 100
    seed: int = 0
    engine: str = "fast"
    horizon: int | None = None

    def __post_init__(self) -> None:
        check_int("replicates", self.replicates, 1, _MAX_REPLICATES)
        check_int("seed", self.seed, 0, _MAX_SEED)
        if self.horizon is not None:
            check_int("horizon", self.horizon, 1, _MAX_HORIZON)
        check_choice("engine", self.engine, ENGINES)


@dataclass(frozen=True)
class SimulateConfig:
    """A parsed configuration: the model's parameters, the run settings and where they came from."""

    params: ContagionParams = field(default_factory=ContagionParams)
    run: RunSettings = field(default_factory=RunSettings)
    path: Path | None = None


def load_config(path: str | os.PathLike | None) -> SimulateConfig:
    """Read a simulate configuration file; ``None`` gives the defaults.

    Raises
    ------
    ConfigError
        One sentence naming the file, the key and the allowed values.
    """
    if path is None:
        return SimulateConfig()
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"config file {path} does not exist") from None
    except UnicodeDecodeError:
        raise ConfigError(f"config file {path} is not UTF-8 text") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path} is not valid TOML ({exc})") from None
    return parse_config(data, source=path)


def parse_config(data: dict[str, Any], *, source: str | os.PathLike = "<config>") -> SimulateConfig:
    """Build a :class:`SimulateConfig` from already-parsed TOML (a dict of tables)."""
    unknown = sorted(set(data) - {"model", "run"})
    if unknown:
        raise ConfigError(
            f"{source}: unknown table or key {unknown[0]!r}; a simulate config has only "
            "[model] and [run] tables"
        )
    model = _table(data, "model", source)
    run = _table(data, "run", source)
    params = _build(ContagionParams, model, "model", source)
    settings = _build(RunSettings, run, "run", source)
    if settings.horizon is not None:
        if "horizon_months" in model and model["horizon_months"] != settings.horizon:
            raise ConfigError(
                f"{source}: [run] horizon ({settings.horizon}) and [model] horizon_months "
                f"({model['horizon_months']}) disagree; give the horizon once"
            )
        params = dataclasses.replace(params, horizon_months=settings.horizon)
    return SimulateConfig(params=params, run=settings, path=Path(source))


def _table(data: dict[str, Any], name: str, source: str | os.PathLike) -> dict[str, Any]:
    table = data.get(name, {})
    if not isinstance(table, dict):
        raise ConfigError(f"{source}: {name!r} must be a table ([{name}]), not a single value")
    return table


def _build(cls: type, values: dict[str, Any], table: str, source: str | os.PathLike):
    """Construct ``cls`` from a TOML table, naming the file and key in any error."""
    allowed = [f.name for f in dataclasses.fields(cls) if f.init]
    for key in values:
        if key not in allowed:
            hint = difflib.get_close_matches(key, allowed, n=1)
            did_you_mean = f" (did you mean {hint[0]!r}?)" if hint else ""
            raise ConfigError(
                f"{source}: unknown key {key!r} in [{table}]{did_you_mean}; allowed keys are "
                f"{', '.join(allowed)}"
            )
    # TOML arrays arrive as lists; frozen dataclasses want hashable tuples.
    kwargs = {k: tuple(v) if isinstance(v, list) else v for k, v in values.items()}
    try:
        return cls(**kwargs)
    except (ConfigError, ValueError, TypeError) as exc:
        message = str(exc).rstrip(".")
        raise ConfigError(f"{source}: [{table}] {message}") from None
