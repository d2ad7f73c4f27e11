"""Shared images for the imgproc tests (generated, seeded; plus skimage.data where useful)."""
import numpy as np
import pytest

from ember.imgproc import data


@pytest.fixture(scope="session")
def scene():
    return data.scene("shapes", 64, seed=1)


@pytest.fixture(scope="session")
def noisy():
    g = np.random.default_rng(0)
    return data.scene("shapes", 48, seed=2) + g.normal(0, 10, (48, 48))


@pytest.fixture(scope="session")
def u8(scene):
    g = np.random.default_rng(3)
    return np.clip(scene + g.normal(0, 8, scene.shape), 0, 255).astype(np.uint8)
