"""nn.utils: gradient clipping, parameters<->vector, weight_norm / spectral_norm vs torch."""
import math

import numpy as np
import pytest
import torch

import ember
import ember.nn as nn
from _helpers_a import from_torch_sd
from tolerances import TOL, assert_close


def _with_grads(lib, grads):
    ps = []
    for g in grads:
        p = lib.nn.Parameter(lib.zeros(g.shape, dtype=lib.float64))
        p.grad = lib.tensor(g)
        ps.append(p)
    return ps


GRADS = [np.random.default_rng(0).standard_normal(s) * 3 for s in [(3, 4), (5,), (2, 2, 2)]]


@pytest.mark.parametrize("norm_type", [2.0, 1.0, 3.0, math.inf, "inf"])
@pytest.mark.parametrize("max_norm", [0.5, 100.0])
def test_clip_grad_norm_matches_torch(norm_type, max_norm):
    pe, pt = _with_grads(ember, GRADS), _with_grads(torch, GRADS)
    ne = nn.utils.clip_grad_norm_(pe, max_norm, norm_type)
    nt = torch.nn.utils.clip_grad_norm_(pt, max_norm, norm_type)
    assert_close(ne, nt, **TOL["float64"])
    for a, b in zip(pe, pt):
        assert_close(a.grad, b.grad, **TOL["float64"])


def test_clip_grad_nonfinite_and_value():
    pe = _with_grads(ember, [np.array([1.0, np.inf])])
    with pytest.raises(RuntimeError, match="non-finite"):
        nn.utils.clip_grad_norm_(pe, 1.0, error_if_nonfinite=True)
    pe, pt = _with_grads(ember, GRADS), _with_grads(torch, GRADS)
    nn.utils.clip_grad_value_(pe, 0.7)
    torch.nn.utils.clip_grad_value_(pt, 0.7)
    for a, b in zip(pe, pt):
        assert_close(a.grad, b.grad, **TOL["float64"])
    assert float(nn.utils.clip_grad_norm_([nn.Parameter(ember.zeros(2))], 1.0)) == 0.0


def test_parameters_vector_roundtrip():
    m = nn.Linear(3, 2)
    v = nn.utils.parameters_to_vector(m.parameters())
    assert v.shape == (8,)
    nn.utils.vector_to_parameters(ember.arange(8.0), m.parameters())
    assert m.weight.tolist() == [[0, 1, 2], [3, 4, 5]] and m.bias.tolist() == [6, 7]
    with pytest.raises(TypeError, match="expected ember.Tensor"):
        nn.utils.vector_to_parameters([1.0], m.parameters())


def test_weight_norm_matches_torch():
    t = torch.nn.utils.weight_norm(torch.nn.Linear(4, 3))
    e = nn.utils.weight_norm(nn.Linear(4, 3))
    assert list(e.state_dict()) == list(t.state_dict())
    e.load_state_dict(from_torch_sd(t))
    x = np.random.default_rng(1).standard_normal((5, 4)).astype(np.float32)
    ye, yt = e(ember.tensor(x)), t(torch.tensor(x))
    assert_close(ye, yt, **TOL["float32_reduce"])
    ye.sum().backward(), yt.sum().backward()
    assert_close(e.weight_g.grad, t.weight_g.grad, **TOL["float32_reduce"])
    assert_close(e.weight_v.grad, t.weight_v.grad, **TOL["float32_reduce"])
    nn.utils.remove_weight_norm(e)
    assert list(e.state_dict()) == ["bias", "weight"] and isinstance(e.weight, nn.Parameter)


def test_spectral_norm_matches_torch():
    t = torch.nn.utils.spectral_norm(torch.nn.Linear(6, 5), n_power_iterations=3)
    e = nn.utils.spectral_norm(nn.Linear(6, 5), n_power_iterations=3)
    assert list(e.state_dict()) == list(t.state_dict())
    e.load_state_dict(from_torch_sd(t))  # same u, v, weight_orig -> the same power iteration
    x = np.random.default_rng(2).standard_normal((4, 6)).astype(np.float32)
    ye, yt = e(ember.tensor(x)), t(torch.tensor(x))
    assert_close(ye, yt, **TOL["float32_reduce"])
    assert_close(e.weight_u, t.weight_u, **TOL["float32_reduce"])
    ye.sum().backward(), yt.sum().backward()
    assert_close(e.weight_orig.grad, t.weight_orig.grad, **TOL["float32_reduce"])
    for _ in range(30):
        e(ember.tensor(x))
    sigma = np.linalg.svd(e.weight.detach().numpy(), compute_uv=False)[0]
    assert abs(sigma - 1) < 1e-3  # converged power iteration: the normalised weight has sigma = 1
    nn.utils.remove_spectral_norm(e)
    assert "weight" in e.state_dict()
