"""Model-level DataCollector reporters (module-level functions so that models pickle)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

    from alumni_net.abm.model import ContagionModel

__all__ = [
    "MODEL_REPORTERS",
    "lapsed",
    "month",
    "new_adopters",
    "practising",
    "practising_by_group",
    "unaware",
]


def month(model: ContagionModel) -> int:
    """Model month (0 is the initial state)."""
    return model.month


def unaware(model: ContagionModel) -> int:
    """People who have never practised."""
    return model.counts["unaware"]


def practising(model: ContagionModel) -> int:
    """People practising at the end of the month."""
    return model.counts["practising"]


def lapsed(model: ContagionModel) -> int:
    """People who practised and stopped."""
    return model.counts["lapsed"]


def new_adopters(model: ContagionModel) -> int:
    """Adoption events this month (including re-adoptions)."""
    return model.counts["new_adopters"]


def practising_by_group(model: ContagionModel) -> np.ndarray:
    """Practising people per group, in the order of ``model.group_keys`` ((group_type, group)
    pairs for sector, region and cohort); an array, cheap for the DataCollector to copy."""
    return model.group_counts


MODEL_REPORTERS = {
    "month": month,
    "unaware": unaware,
    "practising": practising,
    "lapsed": lapsed,
    "new_adopters": new_adopters,
    "practising_by_group": practising_by_group,
}
