"""``random``: a seeded random choice under the quotas, the comparison every strategy needs."""

from __future__ import annotations

import numpy as np

from alumni_net.experiments.recruitment._pool import Pool
from alumni_net.experiments.recruitment.registry import Request, Strategy
from alumni_net.experiments.recruitment.scores import pick_by_score

__all__ = ["STRATEGY"]


def _pick(pool: Pool, request: Request) -> list[int]:
    # Equal scores: the pool's seeded tie-break rank alone decides, a uniform random order.
    return pick_by_score(pool, np.zeros(pool.n))


STRATEGY = Strategy(name="random", description="at random", pick=_pick, rank=0,
                    needs_network=False)
