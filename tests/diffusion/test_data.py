"""Adoption times and the influence matrix: checks, conventions and directions."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from tests.helpers import write_dataset_files

from alumni_net.diffusion import diffusion_data, influence_matrix, require_adoption_times
from alumni_net.errors import ValidationError
from alumni_net.io import Dataset, load_dataset

TIES = pd.DataFrame({"source": ["a", "a", "b"], "target": ["b", "c", "c"],
                     "kind": ["advice", "advice", "friend"]})


def _ds(times, *, directed=True):
    people = pd.DataFrame({"person_id": ["a", "b", "c"], "adoption_time": times})
    return Dataset(people, TIES, directed=directed, name="toy")


def test_missing_column_is_one_clear_problem():
    ds = Dataset(pd.DataFrame({"person_id": ["a", "b", "c"]}), TIES)
    with pytest.raises(ValidationError) as info:
        require_adoption_times(ds)
    (problem,) = info.value.problems
    assert problem.column == "adoption_time"
    assert "there is no 'adoption_time' column" in problem.message


@pytest.mark.parametrize("times", [[0, 0, 0], [3, None, 3], [None, None, None]])
def test_no_spread_in_time_is_rejected(times):
    with pytest.raises(ValidationError) as info:
        require_adoption_times(_ds(times))
    assert len(info.value.problems) == 1
    assert "no diffusion" in info.value.problems[0].message


def test_not_adopted_value_becomes_missing():
    times = require_adoption_times(_ds([1, 18, 2]), not_adopted=18)
    assert times.index.tolist() == ["a", "b", "c"]
    assert times.isna().tolist() == [False, True, False]


def test_dates_become_calendar_months(tmp_path):
    folder = write_dataset_files(
        tmp_path / "d",
        "person_id,adoption_time\n1,2020-11-15\n2,2021-02-01\n3,\n",
        "source,target\n1,2\n",
    )
    times = require_adoption_times(load_dataset(folder))
    assert times.tolist()[:2] == [1.0, 4.0]  # November 2020 = month 1, February 2021 = month 4
    assert np.isnan(times.iloc[2])


def test_influence_directions():
    ds = _ds([1, 2, 3])
    # a named b and c, b named c: by default the nominator is exposed to whom they named.
    assert influence_matrix(ds).toarray().tolist() == [[0, 1, 1], [0, 0, 1], [0, 0, 0]]
    assert influence_matrix(ds, "source_to_target").toarray().tolist() == [
        [0, 0, 0], [1, 0, 0], [1, 1, 0]]
    both = influence_matrix(ds, "both").toarray()
    assert (both == both.T).all() and both.sum() == 6
    # Undirected data are the same whatever the direction asked for.
    undirected = _ds([1, 2, 3], directed=False)
    assert (influence_matrix(undirected, "target_to_source").toarray() == both).all()


def test_periods_span_the_observed_times():
    d = diffusion_data(_ds([2, None, 5]))
    assert d.periods.tolist() == [2, 3, 4, 5]
    assert d.cumulative_adoption().sum(axis=1).tolist() == [4, 0, 1]
