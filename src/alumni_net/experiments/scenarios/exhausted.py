"""When a strategy runs out of people worth picking: what a scenario did with the picks that add
nothing beyond themselves, in a sentence.

A strategy keeps filling places after the people it values are gone: ``reach`` then picks
people who reach no one not already reached (isolated people, or people inside ground the
alumni already cover), ``bridging`` people with no tie to another sector or region, ``degree``
and ``betweenness`` people with no ties, and ``list`` runs out of names. Each strategy says how
to tell such picks (its :class:`~alumni_net.experiments.recruitment.Exhaustion`, found through
the registry; :func:`~alumni_net.experiments.recruitment.adds_nothing` asks it). A scenario file
says what happens to them (``[recruitment] when_exhausted``): keep them (and say so), replace
them by another strategy's picks (``fallback``), or stop recruiting at the first cohort that
has one.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Exhausted"]


@dataclass(frozen=True)
class Exhausted:
    """What a scenario's strategy could not fill with people who add anything, and what the
    file said to do: ``kept``, ``replaced`` by the fallback, or ``stopped`` cohorts."""

    strategy: str
    policy: str
    fallback: str
    useless: int
    recruits: int
    replaced: int = 0
    cohorts_run: int = 0
    cohorts_planned: int = 0

    @property
    def left(self) -> int:
        """Recruits in the cohorts run who add nothing (none once stopped or all replaced)."""
        if self.policy == "stop":
            return 0
        return self.useless - self.replaced

    @property
    def reason(self) -> str:
        """What the picks that add nothing lack, as the strategy says it."""
        from alumni_net.experiments.recruitment import strategy

        exhaustion = strategy(self.strategy).exhaustion
        return exhaustion.reason if exhaustion is not None else "add nothing"

    def sentence(self, name: str) -> str:
        """One sentence for a leader ('' when every pick added something)."""
        if not self.useless:
            return ""
        what = (f"'{name}': {self.useless:,} of {self.recruits:,} recruits picked by "
                f"{self.strategy!r} {self.reason}")
        if self.policy == "fallback":
            return (f"{what}; as the file says (when_exhausted = \"fallback\"), {self.replaced:,} "
                    f"of them were replaced by recruiting by {self.fallback!r}.")
        if self.policy == "stop":
            return (f"{what}; as the file says (when_exhausted = \"stop\"), recruiting stops at "
                    f"the first cohort with one: {self.cohorts_run} of {self.cohorts_planned} "
                    "cohorts run.")
        return (f"{what}; they are kept (set when_exhausted = \"fallback\" or \"stop\" in "
                "[recruitment] to replace them or stop recruiting there).")
