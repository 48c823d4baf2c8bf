"""The registry of the contagion model's engines.

An engine runs a :class:`~alumni_net.abm.model.ContagionModel`'s months under the rules of
:mod:`~alumni_net.abm.rules`; the model (one ``mesa.Model``) owns the clock, the
DataCollector and the results and asks its engine for each month's tallies and adoption events.
Every engine honours the :class:`Engine` contract, which ``tests/abm/test_engines.py`` checks
for every entry of :data:`ENGINE_CLASSES`. Adding an engine is a module with its class, its line
below, its name in :data:`alumni_net.vocabulary.ENGINES` (the shared word list the command line
offers; the contract test checks the two agree) and its test.

Examples
--------
>>> sorted(ENGINE_CLASSES)
['fast', 'reference']
>>> engine_class("fast").__name__
'FastEngine'
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Protocol

import numpy as np

from alumni_net.abm.fast import FastEngine
from alumni_net.abm.reference import ReferenceEngine
from alumni_net.core.checks import check_choice

if TYPE_CHECKING:
    from alumni_net.abm.agents import PersonAgent
    from alumni_net.abm.model import ContagionModel

__all__ = ["ENGINE_CLASSES", "Engine", "engine_class"]


class Engine(Protocol):
    """What the model asks of an engine. Months are whole numbers from 0 (the initial state)."""

    #: The engine's name (its key in ENGINE_CLASSES, a word of vocabulary.ENGINES).
    name: ClassVar[str]
    #: The last month with a programme event (graduation, top-up) within the horizon.
    last_event_month: int

    def __init__(self, model: ContagionModel) -> None: ...

    @property
    def people(self) -> list[PersonAgent] | None:
        """The PersonAgents the engine steps itself (the model then reads them as they are), or
        None when the engine works on arrays (the model then creates agents on demand and
        copies states into them). Read-only to the model: an engine may hold either."""

    def initialise(self, seeds: np.ndarray) -> None:
        """Month 0: ``seeds`` (person indices) practise, then graduates by month 0 may."""

    def advance(self, until: int, *, until_quiet: bool = False) -> int:
        """Run months up to ``until`` (those not run yet); with ``until_quiet`` stop after a
        month from which nothing can change. Returns the last month run."""

    def tallies(self, month: int) -> tuple[np.ndarray, np.ndarray]:
        """(people unaware, practising, lapsed; practising per (group_type, group) in the
        order of ``network.groups``) at the end of a month already run."""

    def new_adopters(self, month: int) -> int:
        """Adoption events in a month already run."""

    def adoptions(self, month: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Adoption events of months 0..``month``, in month order and within a month by
        person index: person indices, months, route codes (rules.VIA), distances."""

    def infectors(self, month: int) -> np.ndarray:
        """Aligned with :meth:`adoptions`: for each adoption by spread the index of the
        infector (the lowest-indexed practising sender whose transmission reached the person
        that month), -1 for every other route."""

    def states(self) -> np.ndarray:
        """State codes (rules.STATES) at the end of the last month run."""


#: Engine name -> class.
ENGINE_CLASSES: dict[str, type[Engine]] = {cls.name: cls for cls in (FastEngine, ReferenceEngine)}


def engine_class(name: str) -> type[Engine]:
    """The engine registered under ``name`` (ConfigError naming the choices otherwise)."""
    check_choice("engine", name, tuple(ENGINE_CLASSES))
    return ENGINE_CLASSES[name]
