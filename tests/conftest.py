import os
import sys

from hypothesis import HealthCheck, settings

sys.path.insert(0, os.path.dirname(__file__))

settings.register_profile("ci", deadline=None, derandomize=True, max_examples=25,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.register_profile("dev", deadline=None, max_examples=25,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("ci" if os.environ.get("CI") else "dev")

SHARED = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "shared"))


import pytest  # noqa: E402


@pytest.fixture(scope="session")
def shared_datasets():
    """``<repo>/../shared/datasets`` (MNIST IDX files, tiny-shakespeare). CI always has it beside
    the clone, so there its absence is a failure; a developer without it gets a skip."""
    path = os.path.join(SHARED, "datasets")
    if not os.path.isdir(os.path.join(path, "mnist")):
        if os.environ.get("CI"):
            pytest.fail(f"shared datasets not found at {path} (CI lays ../shared beside the clone)")
        pytest.skip(f"shared datasets not found at {path}")
    return path
