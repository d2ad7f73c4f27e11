"""The fast paths added for `ember bench` (issue 11) agree with the general ones and with torch.

* ``LinearBias`` (GEMM + in-place bias) vs ``matmul(x, W.mT) + b``, and its double backward;
* ``Matmul`` of a batched A against a 2-D B (one flattened GEMM) vs torch, double backward;
* the running-max ``MaxPoolNd`` (NaN propagation, first maximum wins, disjoint/overlapping);
* ``pad_array`` (border fill + copy) vs ``np.pad``.
No timing is asserted here.
"""
import numpy as np
import pytest
import torch

import ember
import ember.nn.functional as F
from ember.nn.functional._im2col import pad_array
from ember.nn.functional.linear import LinearBias
from tolerances import TOL, assert_close

RNG = np.random.default_rng(11)


def _t64(shape, grad=True):
    return ember.tensor(RNG.standard_normal(shape), dtype=ember.float64, requires_grad=grad)


@pytest.mark.parametrize("shape", [(4,), (5, 4), (2, 3, 4)])
def test_linear_bias_matches_unfused(shape):
    x, w, b = _t64(shape), _t64((3, 4)), _t64((3,))
    g = RNG.standard_normal(shape[:-1] + (3,))
    fused = LinearBias.apply(x, w, b)
    grads = ember.autograd.grad(fused, (x, w, b), ember.tensor(g))
    plain = ember.matmul(x, w.mT) + b
    want = ember.autograd.grad(plain, (x, w, b), ember.tensor(g))
    assert_close(fused, plain, **TOL["float64"], name="y")
    for name, a, e in zip("xwb", grads, want):
        assert_close(a, e, **TOL["float64"], name=f"d{name}")


def test_linear_bias_double_backward():
    x, w, b = _t64((2, 3, 4)), _t64((3, 4)), _t64((3,))
    assert ember.autograd.gradgradcheck(lambda a, m, c: F.linear(a, m, c) ** 2, (x, w, b),
                                        **TOL["gradcheck"])


def test_batched_by_2d_matmul_matches_torch_and_double_backward():
    a = RNG.standard_normal((2, 3, 5, 4)).astype(np.float32)
    b = RNG.standard_normal((4, 6)).astype(np.float32)
    ea, eb = ember.tensor(a, requires_grad=True), ember.tensor(b, requires_grad=True)
    ta, tb = torch.tensor(a, requires_grad=True), torch.tensor(b, requires_grad=True)
    (ea @ eb).square().sum().backward()
    (ta @ tb).square().sum().backward()
    assert_close(ea @ eb, (ta @ tb).detach(), **TOL["float32_reduce"], name="y")
    assert_close(ea.grad, ta.grad, **TOL["float32_reduce"], name="da")
    assert_close(eb.grad, tb.grad, **TOL["float32_reduce"], name="db")
    assert ember.autograd.gradgradcheck(lambda p, q: (p @ q) ** 2, (_t64((2, 3, 4)), _t64((4, 2))),
                                        **TOL["gradcheck"])


@pytest.mark.parametrize("k,s,p", [(2, 2, 0), (3, 2, 1), (3, 1, 1)])
def test_max_pool_nan_and_ties_match_torch(k, s, p):
    x = RNG.integers(0, 3, size=(2, 3, 7, 7)).astype(np.float32)  # many ties
    x[0, 1, 2, 3] = np.nan
    x[1, 2, 4, 4] = np.nan
    x[1, 2, 4, 5] = np.nan
    ex = ember.tensor(x, requires_grad=True)
    tx = torch.tensor(x, requires_grad=True)
    ey, ei = F.max_pool2d(ex, k, s, p, return_indices=True)
    ty, ti = torch.nn.functional.max_pool2d(tx, k, s, p, return_indices=True)
    assert_close(ey, ty.detach(), rtol=0.0, atol=0.0, name="values")
    assert np.array_equal(ei.numpy(), ti.numpy())
    g = RNG.standard_normal(ty.shape).astype(np.float32)
    ey.backward(ember.tensor(g))
    ty.backward(torch.tensor(g))
    assert_close(ex.grad, tx.grad, **TOL["float32"], name="dx")


@pytest.mark.parametrize("pads", [((1, 1), (2, 0)), ((0, 0), (0, 3)), ((2, 1),)])
def test_pad_array_matches_np_pad(pads):
    x = RNG.standard_normal((2, 3, 4, 5)).astype(np.float32)[..., : 5 if len(pads) == 2 else 1]
    x = x if len(pads) == 2 else x[..., 0]
    out = pad_array(x, pads, -7.0)
    ref = np.pad(x, ((0, 0), (0, 0), *pads), constant_values=-7.0)
    assert out.dtype == ref.dtype and np.array_equal(out, ref)


def test_scratch_pool_never_hands_out_a_buffer_in_use():
    from ember.nn.functional import _im2col as m

    shape = (3, 5, 7)
    m._POOL_MIN_BYTES, saved = 0, m._POOL_MIN_BYTES  # pool even this small shape
    try:
        _check_pool(m, shape)
    finally:
        m._POOL_MIN_BYTES = saved


def _check_pool(m, shape):
    a = m.scratch(np, shape, np.float32)
    view = a.reshape(-1)[2:]  # only a view of the first buffer stays alive
    del a
    b = m.scratch(np, shape, np.float32)
    assert b is not view.base and not np.shares_memory(b, view)
    c = m.scratch(np, shape, np.float32)
    assert not np.shares_memory(c, b) and not np.shares_memory(c, view)
    del view, c
    d = m.scratch(np, shape, np.float32)  # a freed buffer is reused, b is still held
    assert any(d is x for x in m._POOL[(shape, "<f4")]) and not np.shares_memory(d, b)
    assert m.scratch(np, shape, np.float64).dtype == np.float64
