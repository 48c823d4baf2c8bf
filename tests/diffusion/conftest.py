"""Fixtures for the diffusion tests: the physicians' data under both readings of toa = 18."""

from __future__ import annotations

import pytest
from tests.helpers import real_dataset_dir

from alumni_net.diffusion.ckm import physicians_diffusion
from alumni_net.io import load_dataset


@pytest.fixture(scope="session")
def physicians_dataset():
    return load_dataset(real_dataset_dir("medical_innovation"))


@pytest.fixture(scope="session")
def physicians(physicians_dataset):
    """netdiffuseR's reading: toa = 18 is adoption in period 18 (125 adopters)."""
    return physicians_diffusion(physicians_dataset, convention="netdiffuser")


@pytest.fixture(scope="session")
def physicians_censored(physicians_dataset):
    """The README's reading: toa = 18 means not adopted by the end of observation (109 adopters)."""
    return physicians_diffusion(physicians_dataset, convention="censored")
