"""nn.init: gains and fans equal to torch's; distributions checked by moments/KS tests (streams
differ from torch's); in-place under no_grad; generator reproducibility; errors."""
import math

import numpy as np
import pytest
import scipy.stats
import torch

import ember
import ember.nn as nn
from tolerances import TOL, assert_close

init = nn.init


@pytest.mark.parametrize("nl,param", [("linear", None), ("conv2d", None), ("sigmoid", None), ("tanh", None),
                                      ("relu", None), ("leaky_relu", None), ("leaky_relu", 0.2), ("selu", None)])
def test_calculate_gain_matches_torch(nl, param):
    assert init.calculate_gain(nl, param) == torch.nn.init.calculate_gain(nl, param)


@pytest.mark.parametrize("shape", [(3, 4), (8, 3, 5, 5), (2, 6, 3)])
def test_fans_match_torch(shape):
    assert init._calculate_fan_in_and_fan_out(ember.empty(shape)) == \
        torch.nn.init._calculate_fan_in_and_fan_out(torch.empty(shape))


def _ks(sample, cdf):
    return scipy.stats.kstest(np.asarray(sample).ravel(), cdf).pvalue


SHAPE = (256, 128, 3)  # fan_in 384, fan_out 768; 98304 samples


@pytest.mark.parametrize("fn,kwargs,dist", [
    ("xavier_uniform_", {"gain": 2.0}, lambda fi, fo: scipy.stats.uniform(-2 * math.sqrt(6 / (fi + fo)),
                                                                          4 * math.sqrt(6 / (fi + fo))).cdf),
    ("xavier_normal_", {}, lambda fi, fo: scipy.stats.norm(0, math.sqrt(2 / (fi + fo))).cdf),
    ("kaiming_uniform_", {"nonlinearity": "relu"},
     lambda fi, fo: scipy.stats.uniform(-math.sqrt(6 / fi), 2 * math.sqrt(6 / fi)).cdf),
    ("kaiming_normal_", {"mode": "fan_out", "nonlinearity": "relu"},
     lambda fi, fo: scipy.stats.norm(0, math.sqrt(2 / fo)).cdf),
    ("kaiming_normal_", {"a": 0.1}, lambda fi, fo: scipy.stats.norm(0, math.sqrt(2 / (1.01 * fi))).cdf),
    ("uniform_", {"a": -1.0, "b": 3.0}, lambda fi, fo: scipy.stats.uniform(-1, 4).cdf),
    ("normal_", {"mean": 1.0, "std": 0.5}, lambda fi, fo: scipy.stats.norm(1, 0.5).cdf),
    ("trunc_normal_", {"mean": 0.5, "std": 1.0, "a": -0.5, "b": 2.0},
     lambda fi, fo: scipy.stats.truncnorm(-1.0, 1.5, loc=0.5, scale=1.0).cdf),
])
def test_random_inits_have_torchs_distribution(fn, kwargs, dist):
    t = ember.empty(SHAPE, dtype=ember.float64)
    out = getattr(init, fn)(t, generator=ember.Generator().manual_seed(0), **kwargs)
    assert out is t
    fi, fo = init._calculate_fan_in_and_fan_out(t)
    assert _ks(t.numpy(), dist(fi, fo)) > 1e-3
    # and torch's own sample passes the same test (the reference distribution is right)
    tt = getattr(torch.nn.init, fn)(torch.empty(SHAPE, dtype=torch.float64), **kwargs)
    assert _ks(tt.numpy(), dist(fi, fo)) > 1e-4


def test_generator_reproducible_and_no_grad():
    w1, w2 = nn.Parameter(ember.empty(5, 5)), nn.Parameter(ember.empty(5, 5))
    init.kaiming_uniform_(w1, generator=ember.Generator().manual_seed(3))
    init.kaiming_uniform_(w2, generator=ember.Generator().manual_seed(3))
    assert w1.tolist() == w2.tolist() and w1.grad_fn is None and w1.requires_grad


def test_constant_eye_dirac_match_torch():
    for fn, args in [("constant_", (0.3,)), ("ones_", ()), ("zeros_", ())]:
        assert_close(getattr(init, fn)(ember.empty(3, 4), *args),
                     getattr(torch.nn.init, fn)(torch.empty(3, 4), *args), **TOL["float32"])
    assert_close(init.eye_(ember.empty(3, 5)), torch.nn.init.eye_(torch.empty(3, 5)), **TOL["float32"])
    for shape, groups in [((4, 2, 3), 1), ((6, 3, 3, 3), 2), ((4, 2, 3, 3, 3), 1)]:
        assert_close(init.dirac_(ember.empty(shape), groups),
                     torch.nn.init.dirac_(torch.empty(shape), groups), **TOL["float32"])


@pytest.mark.parametrize("shape", [(6, 4), (4, 6), (5, 2, 3)])
def test_orthogonal(shape):
    w = init.orthogonal_(ember.empty(shape, dtype=ember.float64), gain=2.0)
    m = w.numpy().reshape(shape[0], -1)
    gram = m @ m.T if m.shape[0] <= m.shape[1] else m.T @ m
    assert_close(gram, 4 * np.eye(gram.shape[0]), **TOL["float64_reduce"])


def test_sparse():
    w = init.sparse_(ember.empty(10, 30), sparsity=0.3, std=0.1)
    assert np.all((w.numpy() == 0).sum(0) >= 3)


def test_init_errors_match_torch():
    with pytest.raises(ValueError, match="fewer than 2 dimensions"):
        init.xavier_uniform_(ember.empty(3))
    with pytest.raises(ValueError, match="Mode fan_avg not supported"):
        init.kaiming_uniform_(ember.empty(3, 3), mode="fan_avg")
    with pytest.raises(ValueError, match="Unsupported nonlinearity"):
        init.calculate_gain("swish")
    with pytest.raises(ValueError, match="2 dimensions"):
        init.eye_(ember.empty(2, 2, 2))
    with pytest.raises(ValueError, match="not a valid number"):
        init.calculate_gain("leaky_relu", True)
