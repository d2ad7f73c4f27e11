"""LayerNorm, GroupNorm, InstanceNorm1d/2d/3d, LocalResponseNorm, RMSNorm vs torch 2.13."""
from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import given, strategies as st

import ember
import ember.nn as nn
import ember.nn.functional as F
from _helpers_c import parity, sd_from_torch
from tolerances import TOL, assert_close


def _randomize(mt: torch.nn.Module) -> None:
    with torch.no_grad():
        for p in mt.parameters():
            p.uniform_(0.5, 1.5)


def _module_pair(name: str, *args, **kw):
    mt = getattr(torch.nn, name)(*args, dtype=torch.float64, **kw)
    _randomize(mt)
    me = getattr(nn, name)(*args, dtype=ember.float64, **kw)
    me.load_state_dict(sd_from_torch(mt))
    assert list(me.state_dict()) == list(mt.state_dict())
    return me, mt


@pytest.mark.parametrize("shape,normalized", [((4, 5), 5), ((2, 3, 4), (3, 4)), ((3, 2, 6), [6])])
@pytest.mark.parametrize("affine,bias", [(True, True), (True, False), (False, True)])
@pytest.mark.parametrize("eps", [1e-5, 0.1])
def test_layer_norm(shape, normalized, affine, bias, eps):
    me, mt = _module_pair("LayerNorm", normalized, eps=eps, elementwise_affine=affine, bias=bias)
    x = np.random.default_rng(0).standard_normal(shape) * 3 + 1
    parity(me, mt, x)
    me.eval()
    parity(me, mt, x)


@pytest.mark.parametrize("groups,channels,shape", [(1, 4, (3, 4)), (2, 4, (2, 4, 3)), (4, 4, (2, 4, 2, 3)),
                                                   (3, 6, (2, 6, 2, 1, 2))])
@pytest.mark.parametrize("affine", [True, False])
def test_group_norm(groups, channels, shape, affine):
    me, mt = _module_pair("GroupNorm", groups, channels, affine=affine)
    parity(me, mt, np.random.default_rng(1).standard_normal(shape))


@pytest.mark.parametrize("dim,shape", [(1, (3, 2, 5)), (1, (2, 5)), (2, (2, 2, 3, 4)), (2, (2, 3, 4)),
                                       (3, (2, 2, 2, 3, 2))])
@pytest.mark.parametrize("affine,track", [(False, False), (True, False), (True, True), (False, True)])
def test_instance_norm_steps(dim, shape, affine, track):
    """Train steps update running stats as torch; eval with track uses them."""
    me, mt = _module_pair(f"InstanceNorm{dim}d", 2, affine=affine, track_running_stats=track)
    rng = np.random.default_rng(dim)
    for _ in range(3):
        parity(me, mt, rng.standard_normal(shape) * 2 + 1)
    for name, buf in mt.named_buffers():
        assert_close(getattr(me, name), buf, **TOL["float64"], name=name)
    me.eval(), mt.eval()
    parity(me, mt, rng.standard_normal(shape))


@pytest.mark.parametrize("size,alpha,beta,k", [(2, 1e-4, 0.75, 1.0), (5, 5e-4, 0.75, 2.0), (3, 0.5, 0.5, 1.0),
                                               (1, 0.1, 1.0, 0.5)])
@pytest.mark.parametrize("shape", [(2, 6, 5), (2, 4, 3, 3), (1, 3, 2, 2, 2)])
def test_local_response_norm(size, alpha, beta, k, shape):
    me, mt = nn.LocalResponseNorm(size, alpha, beta, k), torch.nn.LocalResponseNorm(size, alpha, beta, k)
    parity(me, mt, np.random.default_rng(2).standard_normal(shape) * 3)


@pytest.mark.parametrize("normalized,eps,affine", [(4, None, True), ((3, 4), 1e-6, True), (4, 0.1, False)])
def test_rms_norm(normalized, eps, affine):
    me, mt = _module_pair("RMSNorm", normalized, eps=eps, elementwise_affine=affine)
    parity(me, mt, np.random.default_rng(3).standard_normal((2, 3, 4)))


def test_rms_norm_float32_default_eps():
    x = np.random.default_rng(3).standard_normal((5, 8)).astype(np.float32)
    parity(nn.RMSNorm(8), torch.nn.RMSNorm(8), x, tol="float32_reduce")


FUNCS = {
    "layer_norm": lambda lib, x, w: lib.nn.functional.layer_norm(x, (3,), w, w * 0.5),
    "group_norm": lambda lib, x, w: lib.nn.functional.group_norm(x, 1, w, w * 0.5),
    "instance_norm": lambda lib, x, w: lib.nn.functional.instance_norm(x, weight=w, bias=w * 0.5),
    "local_response_norm": lambda lib, x, w: lib.nn.functional.local_response_norm(x * w[0], 2, 0.3),
    "rms_norm": lambda lib, x, w: lib.nn.functional.rms_norm(x, (3,), w, 1e-3),
}


@pytest.mark.parametrize("name", list(FUNCS))
def test_gradcheck_gradgradcheck(name):
    rng = np.random.default_rng(4)
    x = ember.tensor(rng.standard_normal((2, 3, 3)), requires_grad=True)
    w = ember.tensor(rng.uniform(0.5, 1.5, 3), requires_grad=True)
    fn = (lambda a, b: FUNCS[name](ember, a, b))
    assert ember.autograd.gradcheck(fn, (x, w), **TOL["gradcheck"])
    assert ember.autograd.gradgradcheck(fn, (x, w), **TOL["gradcheck"])


@given(lead=st.lists(st.integers(1, 4), min_size=0, max_size=2), d=st.integers(2, 6),
       name=st.sampled_from(["layer_norm", "rms_norm"]))
def test_trailing_norms_hypothesis(lead, d, name):
    x = np.random.default_rng(d).standard_normal((*lead, d))
    w = np.linspace(0.5, 1.5, d)
    parity(lambda a, b: getattr(F, name)(a, (d,), b),
           lambda a, b: getattr(torch.nn.functional, name)(a, (d,), b), x, w)


def test_layer_norm_batch_independent():
    """C032 in miniature: LN of a sample is bit-identical alone and inside a batch."""
    m = nn.LayerNorm(6)
    x = ember.randn(8, 6)
    assert np.array_equal(m(x).detach().numpy()[3:4], m(x[3:4]).detach().numpy())


def test_bad_input():
    with pytest.raises(ValueError, match=r"normalized_shape=\[4\]"):
        F.layer_norm(ember.randn(2, 5), (4,))
    with pytest.raises(ValueError, match="divisible by num_groups"):
        F.group_norm(ember.randn(2, 5, 3), 2)
    with pytest.raises(ValueError, match="num_channels must be divisible by num_groups"):
        nn.GroupNorm(3, 4)
    with pytest.raises(ValueError, match="Expected 3D or higher dimensionality input"):
        F.local_response_norm(ember.randn(2, 5), 2)
    with pytest.raises(ValueError, match=r"expected 3D or 4D input \(got 2D input\)"):
        nn.InstanceNorm2d(3)(ember.randn(2, 3))
    with pytest.raises(ValueError, match="Expected more than 1 spatial element when training"):
        F.instance_norm(ember.randn(2, 3, 1))
    with pytest.raises(ValueError, match="to match num_features"):
        nn.InstanceNorm1d(3, affine=True)(ember.randn(2, 4, 5))
