"""The contagion model: how a practice spreads from programme alumni through their networks.

One Mesa model (:class:`ContagionModel`) with two engines behind the same parameters: a
reference engine of Mesa agents deciding one by one, and a fast array engine (numba) tested to
give the same distributions.
"""

from alumni_net.abm.agents import STATES, PersonAgent
from alumni_net.abm.model import ContagionModel
from alumni_net.abm.network import ContagionNetwork, build_network
from alumni_net.abm.params import PROGRAMME_KINDS, ContagionParams, TopUp
from alumni_net.abm.results import DEGREE_KEYS, ReplicateResult, simulate_once
from alumni_net.vocabulary import ENGINES

__all__ = [
    "DEGREE_KEYS",
    "ENGINES",
    "PROGRAMME_KINDS",
    "STATES",
    "ContagionModel",
    "ContagionNetwork",
    "ContagionParams",
    "PersonAgent",
    "ReplicateResult",
    "TopUp",
    "build_network",
    "simulate_once",
]
