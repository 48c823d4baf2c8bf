"""Model-level DataCollector reporters (module-level functions so that models pickle)."""

from __future__ import annotations

__all__ = [
    "MODEL_REPORTERS",
    "lapsed",
    "month",
    "new_adopters",
    "practising",
    "practising_by_group",
    "unaware",
]


def month(model) -> int:
    """Model month (0 is the initial state)."""
    return model.month


def unaware(model) -> int:
    """People who have never practised."""
    return model.counts["unaware"]


def practising(model) -> int:
    """People practising at the end of the month."""
    return model.counts["practising"]


def lapsed(model) -> int:
    """People who practised and stopped."""
    return model.counts["lapsed"]


def new_adopters(model) -> int:
    """Adoption events this month (including re-adoptions)."""
    return model.counts["new_adopters"]


def practising_by_group(model):
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
