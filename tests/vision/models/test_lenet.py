"""LeNet-5: the notes' per-layer parameter and connection counts (TOPICS §1.12), shapes, options."""
import numpy as np
import pytest

import ember
from ember.vision.models import LeNet5, lenet5_counts

EXPECTED = {"C1": (156, 122_304), "S2": (12, 5_880), "C3": (1_516, 151_600), "S4": (32, 2_000),
            "C5": (48_120, 48_120), "F6": (10_164, 10_164), "output": (840, 840)}


def test_counts_match_the_notes():
    counts = lenet5_counts(LeNet5(output="rbf"))
    assert {k: (v["parameters"], v["connections"]) for k, v in counts.items()} == EXPECTED
    assert sum(v["parameters"] for v in counts.values()) == 60_840
    full = lenet5_counts(LeNet5(c3_table=False))
    assert full["C3"]["parameters"] == 16 * (6 * 25 + 1) == 2_416


def test_forward_shapes_and_masked_c3_gradient():
    m = LeNet5()
    x = ember.randn(3, 1, 28, 28)
    out = m(x)
    assert tuple(out.shape) == (3, 10) and tuple(m(ember.randn(2, 1, 32, 32)).shape) == (2, 10)
    out.sum().backward()
    g = m.c3.weight.grad.numpy()
    mask = m.c3.mask.numpy()[:, :, 0, 0]
    assert np.all(g[mask == 0] == 0) and np.any(g[mask == 1] != 0)  # unconnected pairs never learn


@pytest.mark.parametrize("kw", [dict(activation="relu", subsampling="max", c3_table=False),
                                dict(output="rbf", activation="tanh", subsampling="avg")])
def test_variants_run(kw):
    assert tuple(LeNet5(**kw)(ember.randn(2, 1, 28, 28)).shape) == (2, 10)


def test_bad_options():
    with pytest.raises(ValueError, match="activation"):
        LeNet5(activation="gelu")
    with pytest.raises(ValueError, match="subsampling"):
        LeNet5(subsampling="lp")
