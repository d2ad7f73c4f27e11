"""Max/avg/lp/adaptive pooling and max_unpool vs torch 2.13 (values, indices, gradients)."""
from __future__ import annotations

import numpy as np
import pytest
import torch
from _helpers_b import grad_checks, parity, randn
from hypothesis import given
from hypothesis import strategies as st

import ember
import ember.nn.functional as F
from ember import nn

TF = torch.nn.functional

MAX = [  # kernel, stride, padding, dilation, ceil_mode
    (3, 2, 1, 1, False), (3, 2, 1, 2, True), ((2, 3), (1, 2), (1, 0), 1, True), (2, None, 0, 1, False),
    (3, 3, 1, 1, True),
]


@pytest.mark.parametrize("k,s,p,d,c", MAX)
def test_max_pool2d_values_indices_grad(k, s, p, d, c):
    parity(lambda x: F.max_pool2d(x, k, s, p, d, c, True), lambda x: TF.max_pool2d(x, k, s, p, d, c, True),
           randn(2, 3, 7, 8), multi=True)


def test_max_pool1d_3d_and_ties():
    parity(lambda x: F.max_pool1d(x, 3, 2, 1, 2, True, True),
           lambda x: TF.max_pool1d(x, 3, 2, 1, 2, True, True), randn(2, 3, 9), multi=True)
    parity(lambda x: F.max_pool3d(x, 2, 1, 1, 1, False, True),
           lambda x: TF.max_pool3d(x, 2, 1, 1, 1, False, True), randn(1, 2, 4, 5, 3), multi=True)
    ties = np.round(randn(2, 2, 6, 6)).astype(np.float64)  # many equal maxima: first one wins
    parity(lambda x: F.max_pool2d(x, 3, 1, 1, return_indices=True),
           lambda x: TF.max_pool2d(x, 3, 1, 1, return_indices=True), ties, multi=True)


AVG = [  # kernel, stride, padding, ceil_mode, count_include_pad, divisor_override
    (3, 2, 1, False, True, None), (3, 2, 1, True, False, None), ((2, 3), (1, 2), (1, 0), True, True, None),
    (3, 2, 1, True, True, 5), (2, None, 0, False, True, None),
]


@pytest.mark.parametrize("args", AVG)
def test_avg_pool2d_matches_torch(args):
    parity(lambda x: F.avg_pool2d(x, *args), lambda x: TF.avg_pool2d(x, *args), randn(2, 3, 7, 8))


def test_avg_pool1d_3d():
    parity(lambda x: F.avg_pool1d(x, 3, 2, 1, True, False), lambda x: TF.avg_pool1d(x, 3, 2, 1, True, False),
           randn(2, 3, 9))
    parity(lambda x: F.avg_pool3d(x, 2, 1, 1), lambda x: TF.avg_pool3d(x, 2, 1, 1), randn(1, 2, 3, 4, 5))


@pytest.mark.parametrize("out", [(3, 4), (7, 8), 1, (5, 3), (None, 3)])
def test_adaptive_pools_match_torch(out):
    x = randn(2, 3, 7, 8)
    parity(lambda x: F.adaptive_avg_pool2d(x, out), lambda x: TF.adaptive_avg_pool2d(x, out), x)
    parity(lambda x: F.adaptive_max_pool2d(x, out, True), lambda x: TF.adaptive_max_pool2d(x, out, True),
           x, multi=True)


def test_adaptive_1d():
    x = randn(2, 3, 7)
    parity(lambda x: F.adaptive_avg_pool1d(x, 3), lambda x: TF.adaptive_avg_pool1d(x, 3), x)
    parity(lambda x: F.adaptive_max_pool1d(x, 4, True), lambda x: TF.adaptive_max_pool1d(x, 4, True), x,
           multi=True)


@pytest.mark.parametrize("p,k,s,c", [(2, 3, 2, False), (3, (2, 3), None, True), (1, 2, 1, False)])
def test_lp_pool2d(p, k, s, c):
    x = np.abs(randn(2, 3, 7, 8)) + 0.1
    parity(lambda x: F.lp_pool2d(x, p, k, s, c), lambda x: TF.lp_pool2d(x, p, k, s, c), x)
    parity(lambda x: F.lp_pool1d(x, p, 2), lambda x: TF.lp_pool1d(x, p, 2), x[:, :, 0])


@pytest.mark.parametrize("size", [None, (7, 9)])
def test_max_unpool2d_roundtrip(size):
    def f(lib, Fm):
        def g(x):
            y, i = Fm.max_pool2d(x, 2, 2, return_indices=True)
            return Fm.max_unpool2d(y, i, 2, 2, output_size=size)
        return g
    parity(f(ember, F), f(torch, TF), randn(2, 3, 7, 9 if size else 8))


def test_max_unpool1d_module():
    x = ember.tensor(np.abs(randn(1, 2, 8)) + 0.1)  # positive: the zeros never win
    y, i = nn.MaxPool1d(2, return_indices=True)(x)
    u = nn.MaxUnpool1d(2)(y, i)
    assert tuple(u.shape) == (1, 2, 8)
    np.testing.assert_array_equal(nn.MaxPool1d(2)(u).numpy(), y.numpy())


@pytest.mark.parametrize("fn", [
    lambda x: F.max_pool2d(x, 3, 2, 1), lambda x: F.avg_pool2d(x, 3, 2, 1, True, False),
    lambda x: F.adaptive_max_pool2d(x, (2, 4)), lambda x: F.adaptive_avg_pool2d(x, (2, 4)),
    lambda x: F.lp_pool2d(x * x + 1, 2, 2),
])
def test_gradcheck_and_gradgradcheck(fn):
    grad_checks(fn, randn(1, 2, 5, 6))


@given(h=st.integers(1, 9), w=st.integers(1, 9), k=st.integers(1, 4), s=st.integers(1, 3),
       p=st.integers(0, 2), ceil=st.booleans())
def test_pool_shapes_hypothesis(h, w, k, s, p, ceil):
    """Same output (or the same refusal) as torch for any size/kernel/stride/padding."""
    x = randn(1, 2, h, w)
    try:
        TF.max_pool2d(torch.tensor(x), k, s, p, ceil_mode=ceil)
    except RuntimeError:
        with pytest.raises(RuntimeError):
            F.max_pool2d(ember.tensor(x), k, s, p, ceil_mode=ceil)
        return
    parity(lambda x: F.max_pool2d(x, k, s, p, 1, ceil, True), lambda x: TF.max_pool2d(x, k, s, p, 1, ceil, True),
           x, multi=True)
    parity(lambda x: F.avg_pool2d(x, k, s, p, ceil), lambda x: TF.avg_pool2d(x, k, s, p, ceil), x)


def test_modules_and_repr():
    for em, tm in ((nn.MaxPool2d(3, 2, 1), torch.nn.MaxPool2d(3, 2, 1)), (nn.AvgPool2d(2), torch.nn.AvgPool2d(2)),
                   (nn.AdaptiveAvgPool2d((1, 1)), torch.nn.AdaptiveAvgPool2d((1, 1))),
                   (nn.LPPool2d(2, 3), torch.nn.LPPool2d(2, 3)), (nn.AdaptiveMaxPool1d(3), torch.nn.AdaptiveMaxPool1d(3))):
        assert repr(em) == repr(tm)
        x = np.abs(randn(2, 3, 8, 8)) if "1d" not in repr(em) else randn(2, 3, 8)
        parity(em, tm, x)


@pytest.mark.parametrize("call,match", [
    (lambda: F.max_pool2d(ember.zeros(1, 1, 5, 5), 3, 1, 2), "pad should be at most half"),
    (lambda: F.max_pool2d(ember.zeros(1, 1, 1, 1), 3), "Output size is too small"),
    (lambda: F.avg_pool2d(ember.zeros(1, 1, 5, 5), 3, 0), "stride should be greater than zero"),
    (lambda: F.max_pool2d(ember.zeros(5), 2), "Expected 3D or 4D"),
    (lambda: F.adaptive_avg_pool2d(ember.zeros(1, 1, 5, 5), (0, 2)), "greater than 0"),
    (lambda: F.max_unpool2d(ember.zeros(1, 1, 2, 2), ember.zeros(1, 1, 2, 2, dtype=ember.int64) + 99, 2),
     "invalid max index"),
])
def test_bad_input_errors(call, match):
    with pytest.raises((RuntimeError, ValueError), match=match):
        call()
