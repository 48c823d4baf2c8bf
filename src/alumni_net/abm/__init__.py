"""The contagion model: how a practice spreads from programme alumni through their networks.

One Mesa model (:class:`ContagionModel`) with a registry of engines behind the same parameters
and the same rules (:mod:`~alumni_net.abm.rules`): a reference engine of Mesa agents flipping
monthly coins one by one, and a fast array engine (numba, event-driven draws) tested to give
the same distributions.
"""

from alumni_net.abm import rules
from alumni_net.abm.agents import PersonAgent
from alumni_net.abm.engines import ENGINE_CLASSES
from alumni_net.abm.model import ContagionModel
from alumni_net.abm.network import ContagionNetwork, NetworkSource, build_network
from alumni_net.abm.params import PROGRAMME_KINDS, ContagionParams, TopUp
from alumni_net.abm.results import DEGREE_KEYS, ReplicateResult, simulate_once
from alumni_net.abm.rules import STATES, VIA
from alumni_net.vocabulary import ENGINES

__all__ = [
    "DEGREE_KEYS",
    "ENGINES",
    "ENGINE_CLASSES",
    "PROGRAMME_KINDS",
    "STATES",
    "VIA",
    "ContagionModel",
    "ContagionNetwork",
    "ContagionParams",
    "NetworkSource",
    "PersonAgent",
    "ReplicateResult",
    "TopUp",
    "build_network",
    "rules",
    "simulate_once",
]
