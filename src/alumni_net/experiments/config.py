"""TOML configuration for ``alumni-net simulate``: model parameters and run settings.

A file has three tables, all optional (see ``data/configs/example.toml``)::

    [model]          # any field of alumni_net.abm.ContagionParams; unnamed fields keep defaults
    beta = 0.02

    [run]            # how many replicates, from which seed, with which engine, for how long
    replicates = 200
    seed = 42
    engine = "fast"
    horizon = 120    # months

    [source]         # where the [model] values came from (written by alumni-net calibrate)
    calibrated_on = "Medical Innovation"
    date = "2026-12-03"
    method = "ABC-SMC ..."   # optional
    model = "simple"         # optional: the contagion model fitted
    time_unit = "month"      # optional: the unit of the adoption times fitted (and more keys
                             # calibrate records: see ParameterSource)

    [posterior]      # optional: equally weighted draws of the calibrated posterior
    model = ["simple", "no_contagion"]   # one model per draw
    beta = [0.012, 0.0]                  # one value per draw for each field fitted
    alpha = [0.003, 0.004]

With a ``[posterior]`` table, ``alumni-net simulate`` runs replicate ``i`` with draw
``i mod draws`` (over the ``[model]`` values), so its intervals carry the parameter uncertainty.

:attr:`SimulateConfig.parameter_source` says it in words for run manifests and captions:
"calibrated on DATA (DATE)", or "illustrative defaults, not fitted".

Every problem is a :class:`~alumni_net.errors.ConfigError` whose message is one sentence naming
the file, the key and what is allowed, so a programme leader can fix it without a traceback.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from alumni_net.abm import ContagionParams
from alumni_net.core.checks import check_choice, check_int
from alumni_net.errors import ConfigError
from alumni_net.vocabulary import ENGINES

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

__all__ = ["ILLUSTRATIVE", "ParameterSource", "PosteriorDraws", "RunSettings",
           "SimulateConfig", "from_table",
           "load_config", "parse_config"]

#: The parameter source of values nobody fitted to data.
ILLUSTRATIVE = "illustrative defaults, not fitted"


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
    engine : str
        The model engine: a registered engine (:data:`alumni_net.vocabulary.ENGINES`, the
        names of :data:`alumni_net.abm.engines.ENGINE_CLASSES`).
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
class ParameterSource:
    """Provenance of fitted model parameters (the ``[source]`` table).

    Parameters
    ----------
    calibrated_on : str
        Name of the dataset the parameters were fitted to.
    date : str
        Day of the calibration, ``YYYY-MM-DD``.
    method : str
        How they were fitted (free text; optional).
    model : str
        The model chosen, e.g. ``"simple"``, ``"complex"`` or ``"no_contagion"`` (optional).
    time_unit, time_column : str
        The unit and the people column of the adoption times fitted (optional).
    not_adopted : float, optional
        The time code read as "not adopted" in that column.
    p_contagion : float, optional
        Posterior probability of contagion (against adoption from a background alone).
    contagion_share : (median, lo, hi), optional
        Posterior share of adoptions that came through contagion and its 90% interval.
    verdict : str
        The calibration's sentence on contagion.
    predictive_check : {"", "passed", "failed"}
        "failed" when no model passed its predictive check (the config was forced).

    Examples
    --------
    >>> ParameterSource("Medical Innovation", "2026-12-03").describe()
    'calibrated on Medical Innovation (2026-12-03)'
    >>> text = ParameterSource("x", "2026-12-03", verdict="the data favour contagion (P = 0.97)",
    ...                        predictive_check="failed").describe()
    >>> for part in text.split("; "):
    ...     print(part)
    calibrated on x (2026-12-03)
    no model passed its predictive check (written with --force)
    the data favour contagion (P = 0.97)
    """

    calibrated_on: str
    date: str
    method: str = ""
    model: str = ""
    time_unit: str = ""
    time_column: str = ""
    not_adopted: float | None = None
    p_contagion: float | None = None
    contagion_share: tuple[float, ...] = ()
    verdict: str = ""
    predictive_check: str = ""

    def __post_init__(self) -> None:
        for name in ("calibrated_on", "date", "method", "model", "time_unit", "time_column",
                     "verdict", "predictive_check"):
            value = getattr(self, name)
            if isinstance(value, dt.date):  # TOML reads an unquoted date as a date
                object.__setattr__(self, name, value.isoformat())
            elif not isinstance(value, str):
                raise ConfigError(f"{name} must be text, got {value!r}")
        if not self.calibrated_on.strip():
            raise ConfigError("calibrated_on must name the dataset the parameters were fitted to")
        try:
            dt.date.fromisoformat(self.date)
        except ValueError:
            raise ConfigError(f"date must be a day written YYYY-MM-DD, got {self.date!r}") from None
        check_choice("predictive_check", self.predictive_check, ("", "passed", "failed"))
        if self.p_contagion is not None and not (
                isinstance(self.p_contagion, (int, float)) and 0 <= self.p_contagion <= 1):
            raise ConfigError(f"p_contagion must be a probability, got {self.p_contagion!r}")
        share = tuple(self.contagion_share)
        if share and (len(share) != 3 or not all(isinstance(v, (int, float)) and 0 <= v <= 1
                                                 for v in share)):
            raise ConfigError("contagion_share must be three shares [median, lo, hi], got "
                              f"{list(share)!r}")
        object.__setattr__(self, "contagion_share", tuple(float(v) for v in share))

    def describe(self) -> str:
        """'calibrated on DATA (DATE)', then what the calibration said about its own fit."""
        text = f"calibrated on {self.calibrated_on} ({self.date})"
        if self.predictive_check == "failed":
            text += "; no model passed its predictive check (written with --force)"
        if self.verdict:
            text += f"; {self.verdict}"
        return text

    @property
    def no_contagion_possible(self) -> bool:
        """True when the posterior share of adoptions through contagion reaches (nearly) 0."""
        return bool(self.contagion_share) and self.contagion_share[1] < NEGLIGIBLE_SHARE


#: A posterior key naming one block of a background by period and group (``alpha[k]``).
_BLOCK = re.compile(r"alpha\[(\d+)\]")
#: A share of adoptions through contagion below this is "no contagion" for practical purposes.
NEGLIGIBLE_SHARE = 0.01


@dataclass(frozen=True)
class PosteriorDraws:
    """Equally weighted draws of a calibrated posterior (the ``[posterior]`` table).

    Parameters
    ----------
    model : tuple of str
        The model of each draw.
    values : tuple of (field, values) pairs
        For each fitted :class:`~alumni_net.abm.ContagionParams` field, one value per draw.

    Examples
    --------
    >>> d = PosteriorDraws(("simple", "no_contagion"), (("beta", (0.02, 0.0)),))
    >>> len(d), d.params(ContagionParams(), 3).beta
    (2, 0.0)
    """

    model: tuple[str, ...]
    values: tuple[tuple[str, tuple[float, ...]], ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "model", tuple(str(m) for m in self.model))
        object.__setattr__(self, "values", tuple((str(k), tuple(float(x) for x in v))
                                                 for k, v in self.values))
        if not self.model:
            raise ConfigError("[posterior] needs at least one draw")
        known = {f.name for f in dataclasses.fields(ContagionParams)}
        for key, vals in self.values:
            if key not in known and not _BLOCK.fullmatch(key):
                raise ConfigError(f"[posterior] key {key!r} is not a model parameter")
            if len(vals) != len(self.model):
                raise ConfigError(f"[posterior] {key} has {len(vals)} values for "
                                  f"{len(self.model)} draws")

    def __len__(self) -> int:
        return len(self.model)

    def params(self, base: ContagionParams, i: int) -> ContagionParams:
        """Draw ``i mod len(self)`` over ``base``. Keys ``alpha[0]``, ``alpha[1]`` ... are the
        blocks of a background that changes over time or by group (``background_rates``; its
        periods and groups are ``base``'s)."""
        j = i % len(self)
        fields_: dict[str, Any] = {k: v[j] for k, v in self.values if not _BLOCK.fullmatch(k)}
        blocks = sorted((int(m.group(1)), v[j]) for k, v in self.values
                        if (m := _BLOCK.fullmatch(k)))
        if blocks:
            fields_["background_rates"] = tuple(v for _, v in blocks)
        return dataclasses.replace(base, **fields_)

    def all_params(self, base: ContagionParams) -> tuple[ContagionParams, ...]:
        """Every draw over ``base`` (each checked by ContagionParams)."""
        return tuple(self.params(base, i) for i in range(len(self)))

    def model_shares(self) -> dict[str, float]:
        """Share of the draws of each model."""
        names, counts = np.unique(np.array(self.model, dtype=object), return_counts=True)
        return {str(m): float(c) / len(self) for m, c in zip(names, counts, strict=True)}


@dataclass(frozen=True)
class SimulateConfig:
    """A parsed configuration: the model's parameters, the run settings and where they came from.

    ``source`` is the ``[source]`` table of a calibrated config, None for values nobody fitted.
    """

    params: ContagionParams = field(default_factory=ContagionParams)
    run: RunSettings = field(default_factory=RunSettings)
    path: Path | None = None
    source: ParameterSource | None = None
    posterior: PosteriorDraws | None = None

    @property
    def parameter_source(self) -> str:
        """Where the model's parameters came from, in words (for the run manifest and captions).

        Examples
        --------
        >>> SimulateConfig().parameter_source
        'illustrative defaults, not fitted'
        """
        return ILLUSTRATIVE if self.source is None else self.source.describe()


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
    unknown = sorted(set(data) - {"model", "run", "source", "posterior"})
    if unknown:
        raise ConfigError(
            f"{source}: unknown table or key {unknown[0]!r}; a simulate config has only "
            "[model], [run], [source] and [posterior] tables"
        )
    model = _table(data, "model", source)
    run = _table(data, "run", source)
    params = from_table(ContagionParams, model, "model", source)
    settings = from_table(RunSettings, run, "run", source)
    provenance = _provenance(data, source)
    if settings.horizon is not None:
        if "horizon_months" in model and model["horizon_months"] != settings.horizon:
            raise ConfigError(
                f"{source}: [run] horizon ({settings.horizon}) and [model] horizon_months "
                f"({model['horizon_months']}) disagree; give the horizon once"
            )
        params = dataclasses.replace(params, horizon_months=settings.horizon)
    posterior = _posterior(data, source, params)
    return SimulateConfig(params=params, run=settings, path=Path(source), source=provenance,
                          posterior=posterior)


def _posterior(data: dict[str, Any], source: str | os.PathLike,
               params: ContagionParams) -> PosteriorDraws | None:
    if "posterior" not in data:
        return None
    table = dict(_table(data, "posterior", source))
    models = table.pop("model", None)
    if not isinstance(models, list) or not all(isinstance(m, str) for m in models):
        raise ConfigError(f"{source}: [posterior] needs model = [...], one model name per draw")
    for key, values in table.items():
        if not isinstance(values, list) or not all(
                isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
            raise ConfigError(f"{source}: [posterior] {key} must be a list of numbers")
    try:
        draws = PosteriorDraws(tuple(models), tuple(table.items()))
        draws.all_params(params)  # every draw must be a valid parameter set
    except (ConfigError, ValueError, TypeError) as exc:
        raise ConfigError(f"{source}: {str(exc).rstrip('.')}") from None
    return draws


def _provenance(data: dict[str, Any], source: str | os.PathLike) -> ParameterSource | None:
    if "source" not in data:
        return None
    table = _table(data, "source", source)
    missing = [k for k in ("calibrated_on", "date") if k not in table]
    if missing:
        raise ConfigError(f"{source}: [source] needs {' and '.join(missing)} (the dataset the "
                          "parameters were fitted to and the day, YYYY-MM-DD)")
    return from_table(ParameterSource, table, "source", source)


def _table(data: dict[str, Any], name: str, source: str | os.PathLike) -> dict[str, Any]:
    table = data.get(name, {})
    if not isinstance(table, dict):
        raise ConfigError(f"{source}: {name!r} must be a table ([{name}]), not a single value")
    return table


def from_table[T: DataclassInstance](cls: type[T], values: dict[str, Any], table: str,
                                     source: str | os.PathLike) -> T:
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
