"""The epidemic tables over replicates: pooled reproduction number with its replicate range,
generation-time shares, one tree summary per replicate, and the files written."""

from __future__ import annotations

import numpy as np
import pytest

from alumni_net.abm.transmission import NO_INFECTOR, TransmissionRecord, unpack_trees
from alumni_net.core.tables import read_csv
from alumni_net.errors import AlumniNetError
from alumni_net.experiments.transmission import (
    TRANSMISSION_FILES,
    transmission_tables,
    write_transmission,
)


def _star(leaves: int, delay: int, horizon: int) -> TransmissionRecord:
    return TransmissionRecord(np.arange(leaves + 1), [0] + [delay] * leaves,
                              [NO_INFECTOR] + [0] * leaves, horizon)


def test_replicates_pool_the_reproduction_number_and_keep_their_range():
    # Replicate one: a seed passes it to 2 people in month 1; two: to 4 in month 2.
    t = transmission_tables([_star(2, 1, 4), _star(4, 2, 4)])
    month0 = t["reproduction"].iloc[0]
    assert month0["r"] == 3.0  # 6 adoptions caused by 2 seeds
    assert (month0["lo"], month0["hi"]) == pytest.approx((2.1, 3.9))  # 5th/95th of (2, 4)
    assert month0["replicates"] == 2
    gen = t["generation_time"]
    assert gen["months"].tolist() == [1, 2] and gen["transmissions"].tolist() == [2, 4]
    assert gen["share"].tolist() == pytest.approx([1 / 3, 2 / 3])
    # per replicate the shares are (1, 0) and (0, 1)
    assert gen["share_lo"].tolist() == pytest.approx([0.05, 0.05])
    assert gen["share_hi"].tolist() == pytest.approx([0.95, 0.95])
    assert t["tree_summary"]["largest_tree"].tolist() == [3, 5]


def test_replicates_of_different_horizons_are_refused():
    with pytest.raises(AlumniNetError, match="different horizons"):
        transmission_tables([_star(1, 1, 3), _star(1, 1, 4)])
    with pytest.raises(AlumniNetError, match="no replicates"):
        transmission_tables([])


def test_the_tables_and_trees_are_written(tmp_path):
    records = [_star(3, 1, 2), TransmissionRecord([0], [0], [NO_INFECTOR], 2)]
    written = write_transmission(records, tmp_path / "out")
    assert [p.name for p in written] == list(TRANSMISSION_FILES)
    assert read_csv(tmp_path / "out" / "reproduction.csv")["r"].tolist()[:2] == [1.5, 0.0]
    with np.load(tmp_path / "out" / "transmission_trees.npz", allow_pickle=False) as packed:
        back = unpack_trees(packed)
    assert [r.infector.tolist() for r in back] == [[-1, 0, 0, 0], [-1]]
