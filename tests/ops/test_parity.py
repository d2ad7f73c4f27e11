"""Generic parity tests over tests/opspecs.py: forward + backward vs torch 2.13 (float32),
float64 gradcheck, and gradgradcheck for ops used under create_graph."""
from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

import ember
from opspecs import OPS
from strategies import small_shapes
from tolerances import TOL, assert_close


def _inputs(spec, dtype, seed=0):
    rng = np.random.default_rng(seed)
    lo, hi = spec.domain
    return [(lo + (hi - lo) * rng.random(s)).astype(dtype) for s in spec.shapes]


def _run(lib, spec, arrays):
    ts = [lib.tensor(a, requires_grad=True) for a in arrays]
    out = spec.fn(lib, *ts)
    w = np.random.default_rng(1).standard_normal(tuple(out.shape)).astype(arrays[0].dtype)
    (out * lib.tensor(w)).sum().backward()
    return out, [t.grad for t in ts]


@pytest.mark.parametrize("spec", OPS, ids=lambda s: s.name)
def test_forward_backward_match_torch(spec):
    arrays = _inputs(spec, np.float32)
    out_e, grads_e = _run(ember, spec, arrays)
    out_t, grads_t = _run(torch, spec, arrays)
    tol = TOL[spec.tol]
    assert tuple(out_e.shape) == tuple(out_t.shape)
    assert out_e.dtype.name == str(out_t.dtype).replace("torch.", "")
    assert_close(out_e, out_t, **tol, name=f"{spec.name} forward")
    for i, (ge, gt) in enumerate(zip(grads_e, grads_t)):
        if gt is None:
            assert ge is None or np.allclose(ge.numpy(), 0)
            continue
        assert ge is not None, f"{spec.name}: no gradient for input {i}"
        assert_close(ge, gt, **tol, name=f"{spec.name} grad[{i}]")


@pytest.mark.parametrize("spec", [s for s in OPS if s.grad], ids=lambda s: s.name)
def test_gradcheck_float64(spec):
    arrays = _inputs(spec, np.float64, seed=2)
    ts = [ember.tensor(a, requires_grad=True) for a in arrays]
    tol = TOL["gradcheck"]
    assert ember.autograd.gradcheck(lambda *xs: spec.fn(ember, *xs), ts, **tol)


@pytest.mark.parametrize("spec", [s for s in OPS if s.gradgrad], ids=lambda s: s.name)
def test_gradgradcheck_float64(spec):
    arrays = _inputs(spec, np.float64, seed=3)
    ts = [ember.tensor(a, requires_grad=True) for a in arrays]
    tol = TOL["gradcheck"]
    assert ember.autograd.gradgradcheck(lambda *xs: spec.fn(ember, *xs), ts, **tol)


ELEMENTWISE = [s for s in OPS if len(s.shapes) == 1 and s.shapes[0] == (3, 4) and s.name in {
    "neg", "exp", "exp2", "expm1", "log", "log2", "log10", "log1p", "sqrt", "rsqrt", "reciprocal",
    "abs", "sin", "cos", "tan", "asin", "acos", "atan", "sinh", "cosh", "tanh", "sigmoid", "relu",
    "erf", "erfinv", "square", "floor", "ceil", "round", "trunc", "sign", "pow_scalar", "pow_frac",
    "rpow", "clamp", "clamp_min", "sum", "mean", "max_all", "std", "norm", "clone", "to_double"}]


@pytest.mark.parametrize("spec", ELEMENTWISE, ids=lambda s: s.name)
@given(shape=small_shapes, seed=st.integers(0, 2 ** 16))
def test_hypothesis_shapes_match_torch(spec, shape, seed):
    """Random shapes including 0-d; float64 so only the op (not rounding) is compared."""
    if spec.name == "std" and int(np.prod(shape)) < 2:
        return
    rng = np.random.default_rng(seed)
    lo, hi = spec.domain
    a = lo + (hi - lo) * rng.random(shape)
    out_e, (ge,) = _run(ember, spec, [a])
    out_t, (gt,) = _run(torch, spec, [a])
    assert_close(out_e, out_t.detach(), **TOL["float64_reduce"])
    assert_close(ge, gt, **TOL["float64_reduce"])
