"""Dropout family and DropConnect: train/eval behaviour, scaling, masks, gradients, errors.

Random streams differ from torch's, so parity is on the defining properties (ORACLES: same
distribution): the mean is preserved, kept elements are scaled by 1/(1-p), masks have the right
shape, and eval mode is the identity (as torch)."""
import numpy as np
import pytest
import torch

import ember
import ember.nn as nn
from tolerances import TOL, assert_close

F = nn.functional


@pytest.mark.parametrize("p", [0.2, 0.5, 0.8])
def test_dropout_scaling_and_rate(p):
    ember.manual_seed(0)
    x = ember.ones(200_000)
    y = F.dropout(x, p).numpy()
    kept = y != 0
    assert_close(y[kept], np.full(kept.sum(), 1 / (1 - p)), **TOL["float32"])
    # drop fraction within 5 sigma of p (binomial std sqrt(p(1-p)/n) <= 0.0012)
    assert abs((~kept).mean() - p) < 5 * np.sqrt(p * (1 - p) / x.numel())


def test_dropout_eval_identity_and_module_repr():
    m = nn.Dropout(0.3)
    assert repr(m) == repr(torch.nn.Dropout(0.3))
    x = ember.randn(3, 4)
    assert m.eval()(x) is x
    assert F.dropout(x, 0.5, training=False) is x
    assert float(F.dropout(x, 1.0).abs().sum()) == 0.0


def test_dropout_gradient_uses_same_mask():
    x = ember.randn(1000, requires_grad=True)
    y = F.dropout(x, 0.4)
    y.sum().backward()
    assert_close(x.grad, (y.detach().numpy() != 0) / 0.6, **TOL["float32"])


@pytest.mark.parametrize("fn,shape", [("dropout1d", (4, 6, 50)), ("dropout2d", (4, 6, 5, 5)),
                                      ("dropout3d", (4, 6, 2, 3, 4)), ("dropout2d", (6, 5, 5))])
def test_feature_dropout_zeroes_whole_channels(fn, shape):
    y = getattr(F, fn)(ember.ones(*shape), 0.5).numpy()
    nsp = {"dropout1d": 1, "dropout2d": 2, "dropout3d": 3}[fn]
    per_channel = y.reshape(y.shape[: y.ndim - nsp] + (-1,))
    assert np.all((per_channel == 0).all(-1) | (per_channel == 2.0).all(-1))
    with pytest.raises(RuntimeError, match="Expected"):
        getattr(F, fn)(ember.ones(*(2,) * (nsp + 3)), 0.5)


def test_alpha_dropout_keeps_selu_statistics():
    ember.manual_seed(1)
    x = ember.randn(400_000)
    y = F.alpha_dropout(x, 0.3, training=True).numpy()
    # zero mean, unit variance preserved (5 sigma bounds for n = 4e5: 0.008 / 0.012)
    assert abs(y.mean()) < 0.01 and abs(y.var() - 1) < 0.015
    assert F.alpha_dropout(x, 0.3) is x  # torch's default training=False
    assert repr(nn.AlphaDropout(0.2)) == repr(torch.nn.AlphaDropout(0.2))


def test_inplace_dropout_and_errors():
    x = ember.ones(100)
    out = F.dropout(x, 0.5, inplace=True)
    assert out is x and set(np.unique(x.numpy())) <= {0.0, 2.0}
    for bad in (-0.1, 1.5):
        with pytest.raises(ValueError, match="between 0 and 1"):
            nn.Dropout(bad)
        with pytest.raises(ValueError, match="between 0 and 1"):
            F.dropout(x, bad)


def test_dropconnect_masks_weights_not_units():
    ember.manual_seed(2)
    lin = nn.Linear(50, 40)
    dc = nn.DropConnect(lin, p=0.5)
    x = ember.randn(1, 50)
    y = dc(x)
    y.sum().backward()
    g = lin.weight.grad.numpy()
    frac_zero = (g == 0).mean()
    assert 0.4 < frac_zero < 0.6  # individual weights dropped (unit dropout would zero whole rows)
    assert not np.all((g == 0).all(1) | (g != 0).all(1))
    dc.eval()
    assert_close(dc(x), lin(x), **TOL["float32"])
    assert isinstance(lin.weight, nn.Parameter) and "module.weight" in dc.state_dict()
    # the mean over many masks is the eval output (inverted scaling)
    dc.train()
    with ember.no_grad():
        mean = sum(dc(x) for _ in range(2000)) / 2000
    assert_close(mean, lin(x).detach(), rtol=0, atol=0.1 * float(lin(x).detach().abs().max()) + 0.05)
    with pytest.raises(ValueError, match="no tensor attribute"):
        nn.DropConnect(nn.ReLU())
