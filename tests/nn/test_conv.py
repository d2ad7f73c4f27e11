"""Conv1d/2d/3d and ConvTranspose1d/2d vs torch 2.13: values, gradients, double backward, errors."""
from __future__ import annotations

import numpy as np
import pytest
import torch
from _helpers_b import grad_checks, parity, randn
from hypothesis import given
from hypothesis import strategies as st
from tolerances import TOL, assert_close

import ember
import ember.nn.functional as F
from ember import nn

TF = torch.nn.functional

CONV2D = [  # (C_in, C_out, kernel, stride, padding, dilation, groups, H, W)
    (3, 4, 3, 1, 0, 1, 1, 7, 8),
    (4, 6, (3, 2), (2, 1), (1, 2), (1, 2), 2, 9, 8),
    (4, 4, 3, 1, "same", 2, 4, 8, 7),  # depthwise, dilated 'same'
    (4, 8, 2, 1, "same", 1, 1, 6, 5),  # even kernel: extra cell on the right
    (2, 3, 1, 2, "valid", 1, 1, 5, 5),
    (6, 4, (1, 3), 3, 2, (1, 1), 2, 7, 10),
]


@pytest.mark.parametrize("case", CONV2D)
@pytest.mark.parametrize("bias", [True, False])
def test_conv2d_matches_torch(case, bias):
    ci, co, k, s, p, d, g, H, W = case
    kk = k if isinstance(k, tuple) else (k, k)
    x, w, b = randn(2, ci, H, W), randn(co, ci // g, *kk, seed=1), randn(co, seed=2)
    args = (s, p, d, g)
    if bias:
        parity(lambda x, w, b: F.conv2d(x, w, b, *args), lambda x, w, b: TF.conv2d(x, w, b, *args),
               x, w, b)
    else:
        parity(lambda x, w: F.conv2d(x, w, None, *args), lambda x, w: TF.conv2d(x, w, None, *args),
               x, w)


@pytest.mark.parametrize("s,p,d,g", [(1, 0, 1, 1), (2, 1, 2, 3), (1, "same", 3, 1)])
def test_conv1d_and_3d_match_torch(s, p, d, g):
    x, w, b = randn(2, 6, 11), randn(3 * g, 6 // g, 3, seed=1), randn(3 * g, seed=2)
    parity(lambda x, w, b: F.conv1d(x, w, b, s, p, d, g),
           lambda x, w, b: TF.conv1d(x, w, b, s, p, d, g), x, w, b)
    x3, w3 = randn(1, 6, 5, 7, 6), randn(g, 6 // g, 2, 3, 2, seed=3)
    parity(lambda x, w: F.conv3d(x, w, None, s, p, d if p != "same" else 1, g),
           lambda x, w: TF.conv3d(x, w, None, s, p, d if p != "same" else 1, g), x3, w3)


@pytest.mark.parametrize("s,p,op,g,d", [(2, 1, 1, 1, 1), (3, 0, (2, 1), 2, 2), (1, 1, 0, 4, (2, 3)),
                                        (2, 0, (1, 2), 1, 3)])  # output_padding >= stride
def test_conv_transpose2d_matches_torch(s, p, op, g, d):
    x, w, b = randn(2, 4, 5, 6), randn(4, 3, 3, 2, seed=1), randn(3 * g, seed=2)
    parity(lambda x, w, b: F.conv_transpose2d(x, w, b, s, p, op, g, d),
           lambda x, w, b: TF.conv_transpose2d(x, w, b, s, p, op, g, d), x, w, b)


def test_conv_transpose1d_matches_torch():
    x, w = randn(2, 4, 7), randn(4, 2, 3, seed=1)
    parity(lambda x, w: F.conv_transpose1d(x, w, None, 2, 1, 1, 2),
           lambda x, w: TF.conv_transpose1d(x, w, None, 2, 1, 1, 2), x, w)


def test_float32_parity_and_dtype():
    x, w = randn(2, 8, 12, 12, dtype=np.float32), randn(16, 8, 3, 3, seed=1, dtype=np.float32)
    parity(lambda x, w: F.conv2d(x, w, None, 1, 1), lambda x, w: TF.conv2d(x, w, None, 1, 1),
           x, w, tol="float32_reduce")
    assert F.conv2d(ember.tensor(x), ember.tensor(w)).dtype is ember.float32


@pytest.mark.parametrize("fn", [
    lambda x, w: F.conv2d(x, w, None, 2, 1, 1, 2),
    lambda x, w: F.conv2d(x, w, None, 1, "same", 2, 2),
    lambda x, w: F.conv_transpose2d(x, w, None, 2, 1, 1, 2),
])
def test_gradcheck_and_gradgradcheck(fn):
    grad_checks(fn, randn(1, 2, 5, 5), randn(2, 1, 3, 3, seed=1))


def test_double_backward_matches_torch():
    """d/dx of ||d conv/dw||^2 (the WGAN-GP pattern) equals torch's."""
    x, w = randn(2, 3, 6, 6), randn(4, 3, 3, 3, seed=1)
    outs = []
    for lib, f in ((ember, F.conv2d), (torch, TF.conv2d)):
        xt, wt = lib.tensor(x, requires_grad=True), lib.tensor(w, requires_grad=True)
        (gw,) = lib.autograd.grad(f(xt, wt, None, 2, 1).pow(2).sum(), (wt,), create_graph=True)
        gw.pow(2).sum().backward()
        outs.append(xt.grad)
    assert_close(outs[0], outs[1], **TOL["float64_reduce"], name="d2")


@pytest.mark.parametrize("mode", ["zeros", "reflect", "replicate", "circular"])
@pytest.mark.parametrize("padding", [1, "same", (2, 1)])
def test_conv2d_module_padding_modes(mode, padding):
    torch.manual_seed(0)
    tm = torch.nn.Conv2d(4, 6, (3, 2), padding=padding, padding_mode=mode, groups=2).double()
    em = nn.Conv2d(4, 6, (3, 2), padding=padding, padding_mode=mode, groups=2).double()
    em.load_state_dict({k: ember.tensor(v.detach().numpy()) for k, v in tm.state_dict().items()})
    parity(em, tm, randn(2, 4, 6, 7))


def test_module_parameters_match_torch_layout_and_init():
    for em, tm in ((nn.Conv2d(8, 16, 3, groups=2), torch.nn.Conv2d(8, 16, 3, groups=2)),
                   (nn.ConvTranspose2d(8, 6, 4, groups=2), torch.nn.ConvTranspose2d(8, 6, 4, groups=2)),
                   (nn.Conv1d(3, 5, 2, bias=False), torch.nn.Conv1d(3, 5, 2, bias=False))):
        assert list(em.state_dict()) == list(tm.state_dict())
        for (k, v), (_, tv) in zip(em.state_dict().items(), tm.state_dict().items()):
            assert tuple(v.shape) == tuple(tv.shape), k
        bound = 1 / np.sqrt(em.weight[0].numel())  # kaiming_uniform_(a=sqrt(5)) bound
        assert np.abs(em.weight.detach().numpy()).max() <= bound
        assert repr(em) == repr(tm)


def test_conv_transpose_module_output_size():
    em = nn.ConvTranspose2d(3, 2, 3, stride=2, padding=1)
    x = ember.randn(1, 3, 5, 5)
    assert tuple(em(x).shape) == (1, 2, 9, 9)
    assert tuple(em(x, output_size=[10, 10]).shape) == (1, 2, 10, 10)
    with pytest.raises(ValueError, match="output size"):
        em(x, output_size=(12, 12))


@given(n=st.integers(1, 2), c=st.integers(1, 3), h=st.integers(1, 9), w=st.integers(1, 9),
       k=st.integers(1, 4), s=st.integers(1, 3), p=st.integers(0, 2), d=st.integers(1, 2))
def test_conv2d_shapes_and_values_hypothesis(n, c, h, w, k, s, p, d):
    if d * (k - 1) + 1 > min(h, w) + 2 * p:
        with pytest.raises(RuntimeError, match="Kernel size can't be greater"):
            F.conv2d(ember.zeros(n, c, h, w), ember.zeros(2, c, k, k), None, s, p, d)
        return
    x, wt = randn(n, c, h, w), randn(2, c, k, k, seed=1)
    parity(lambda x, wt: F.conv2d(x, wt, None, s, p, d), lambda x, wt: TF.conv2d(x, wt, None, s, p, d),
           x, wt)


def test_conv_of_delta_is_the_kernel():
    w = randn(1, 1, 3, 3)
    x = np.zeros((1, 1, 5, 5))
    x[0, 0, 2, 2] = 1.0
    y = F.conv_transpose2d(ember.tensor(x), ember.tensor(w), padding=1).numpy()
    np.testing.assert_array_equal(y[0, 0, 1:4, 1:4], w[0, 0])


@pytest.mark.parametrize("call,exc,match", [
    (lambda: F.conv2d(ember.zeros(1, 4, 5, 5), ember.zeros(2, 3, 3, 3)), RuntimeError,
     "expected input\\[1, 4, 5, 5\\] to have 3 channels, but got 4"),
    (lambda: F.conv2d(ember.zeros(1, 4, 5, 5), ember.zeros(3, 2, 3, 3), groups=2), RuntimeError,
     "expected weight to be divisible by 2"),
    (lambda: F.conv2d(ember.zeros(1, 1, 2, 2), ember.zeros(1, 1, 3, 3)), RuntimeError,
     "Kernel size can't be greater than actual input size"),
    (lambda: F.conv2d(ember.zeros(1, 1, 5, 5), ember.zeros(1, 1, 3, 3), stride=0), RuntimeError,
     "non-positive stride"),
    (lambda: F.conv2d(ember.zeros(1, 1, 5, 5), ember.zeros(1, 1, 3, 3), stride=2, padding="same"),
     ValueError, "not supported for strided"),
    (lambda: F.conv2d(ember.zeros(5, 5), ember.zeros(1, 1, 3, 3)), RuntimeError, "Expected 3D"),
    (lambda: F.conv2d(ember.zeros(1, 1, 5, 5), ember.zeros(1, 1, 3, 3, dtype=ember.float64)),
     RuntimeError, "should be the same"),
    (lambda: nn.Conv2d(3, 4, 3, groups=2), ValueError, "in_channels must be divisible by groups"),
    (lambda: nn.Conv2d(4, 3, 3, groups=2), ValueError, "out_channels must be divisible by groups"),
    (lambda: nn.Conv2d(4, 4, 3, padding_mode="mirror"), ValueError, "padding_mode must be one of"),
    (lambda: F.conv_transpose2d(ember.zeros(1, 2, 3, 3), ember.zeros(2, 1, 3, 3), stride=2,
                                output_padding=2), RuntimeError, "output padding must be smaller"),
])
def test_bad_input_errors(call, exc, match):
    with pytest.raises(exc, match=match):
        call()


def test_unbatched_input():
    x, w = randn(3, 6, 6), randn(2, 3, 3, 3, seed=1)
    parity(lambda x, w: F.conv2d(x, w, None, 1, 1), lambda x, w: TF.conv2d(x, w, None, 1, 1), x, w)
