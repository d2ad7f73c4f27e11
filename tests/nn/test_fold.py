"""unfold / fold (im2col / col2im) vs torch 2.13, and their adjointness."""
from __future__ import annotations

import pytest
import torch
from _helpers_b import grad_checks, parity, randn
from tolerances import TOL, assert_close

import ember
import ember.nn.functional as F
from ember import nn

TF = torch.nn.functional

ARGS = [((2, 3), (1, 2), 1, (2, 1)), (3, 1, 0, 1), (2, 2, (1, 0), 3), (1, 1, 0, 2)]


@pytest.mark.parametrize("k,d,p,s", ARGS)
def test_unfold_fold_match_torch(k, d, p, s):
    x = randn(2, 3, 7, 8)
    parity(lambda x: F.unfold(x, k, d, p, s), lambda x: TF.unfold(x, k, d, p, s), x)
    cols = TF.unfold(torch.tensor(x), k, d, p, s).numpy()
    parity(lambda c: F.fold(c, (7, 8), k, d, p, s), lambda c: TF.fold(c, (7, 8), k, d, p, s), cols)


def test_fold_is_adjoint_of_unfold():
    x, c = randn(2, 3, 6, 7), randn(2, 3 * 6, 5 * 3, seed=1)
    a = (F.unfold(ember.tensor(x), (2, 3), 1, 0, (1, 2)) * ember.tensor(c)).sum()
    b = (ember.tensor(x) * F.fold(ember.tensor(c), (6, 7), (2, 3), 1, 0, (1, 2))).sum()
    assert_close(a, b, **TOL["float64_reduce"], name="<unfold x, c> vs <x, fold c>")


def test_unfold_matmul_is_conv():
    x, w = randn(2, 3, 6, 6), randn(4, 3, 3, 3, seed=1)
    y = (ember.tensor(w.reshape(4, -1)) @ F.unfold(ember.tensor(x), 3)).reshape(2, 4, 4, 4)
    assert_close(y, F.conv2d(ember.tensor(x), ember.tensor(w)), **TOL["float64_reduce"])


def test_gradgradcheck_and_modules():
    grad_checks(lambda x: F.unfold(x, 2, 1, 1, 2), randn(1, 2, 4, 5))
    grad_checks(lambda c: F.fold(c, (4, 5), 2, 1, 0, 1), randn(1, 8, 12))
    for em, tm in ((nn.Unfold(2, padding=1), torch.nn.Unfold(2, padding=1)),):
        assert repr(em) == repr(tm)
        parity(em, tm, randn(1, 2, 4, 5))
    em, tm = nn.Fold((4, 5), 2), torch.nn.Fold((4, 5), 2)
    assert repr(em) == repr(tm)
    parity(em, tm, randn(1, 8, 12))


@pytest.mark.parametrize("call,match", [
    (lambda: F.fold(ember.zeros(1, 7, 12), (4, 5), 2), "divisible by the product of kernel_size"),
    (lambda: F.fold(ember.zeros(1, 8, 10), (4, 5), 2), "calculated number of sliding blocks"),
    (lambda: F.unfold(ember.zeros(1, 1, 2, 2), 3), "non-positive"),
    (lambda: F.unfold(ember.zeros(2, 2), 1), "Only 3D or 4D"),
])
def test_bad_input_errors(call, match):
    with pytest.raises(RuntimeError, match=match):
        call()
