"""ember.autograd.Function (torch semantics), gradcheck helpers and autograd.functional."""
from __future__ import annotations

import numpy as np
import pytest
import torch

import ember
from tolerances import TOL, assert_close


class Cube(ember.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x ** 3

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        return g * 3 * x ** 2


class TorchCube(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x ** 3

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        return g * 3 * x ** 2


def test_custom_function_matches_torch_including_double_backward():
    x = ember.tensor([0.5, -1.0, 2.0], requires_grad=True)
    xt = torch.tensor([0.5, -1.0, 2.0], requires_grad=True)
    y, yt = Cube.apply(x), TorchCube.apply(xt)
    assert y.grad_fn is not None and y.grad_fn.name() == "CubeBackward0"
    (g,) = ember.autograd.grad(y.sum(), x, create_graph=True)
    (gt,) = torch.autograd.grad(yt.sum(), xt, create_graph=True)
    assert_close(g, gt, **TOL["float32"])
    g.sum().backward()
    gt.sum().backward()
    assert_close(x.grad, xt.grad, **TOL["float32"])


def test_function_wrong_number_of_grads():
    class Bad(ember.autograd.Function):
        @staticmethod
        def forward(ctx, a, b):
            return a * b

        @staticmethod
        def backward(ctx, g):
            return (g,)

    a, b = ember.ones(2, requires_grad=True), ember.ones(2, requires_grad=True)
    with pytest.raises(RuntimeError, match="incorrect number of gradients"):
        Bad.apply(a, b).sum().backward()


def test_function_wrong_gradient_shape():
    class Bad(ember.autograd.Function):
        @staticmethod
        def forward(ctx, a):
            return a * 2

        @staticmethod
        def backward(ctx, g):
            return g.sum()

    with pytest.raises(RuntimeError, match="invalid gradient at index 0"):
        Bad.apply(ember.ones(3, requires_grad=True)).sum().backward()


def test_mark_non_differentiable_and_needs_input_grad():
    seen = {}

    class SortFn(ember.autograd.Function):
        @staticmethod
        def forward(ctx, x, y):
            seen["needs"] = ctx.needs_input_grad
            v, i = x.sort()
            ctx.mark_non_differentiable(i)
            ctx.save_for_backward(i)
            return v, i

        @staticmethod
        def backward(ctx, gv, gi):
            (i,) = ctx.saved_tensors
            return ember.zeros_like(gv).scatter(0, i, gv), None

    x = ember.tensor([3.0, 1.0, 2.0], requires_grad=True)
    v, i = SortFn.apply(x, ember.ones(1))
    assert not i.requires_grad
    (v * ember.tensor([1.0, 2.0, 3.0])).sum().backward()
    assert x.grad.tolist() == [3.0, 1.0, 2.0]


def test_gradcheck_detects_wrong_backward():
    class Wrong(ember.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * x

        @staticmethod
        def backward(ctx, g):
            return g * 3.0

    x = ember.tensor(np.array([0.3, 0.7]), requires_grad=True)
    with pytest.raises(ember.autograd.GradcheckError, match="Jacobian mismatch"):
        ember.autograd.gradcheck(Wrong.apply, (x,))
    assert not ember.autograd.gradcheck(Wrong.apply, (x,), raise_exception=False)


def f_scalar(L, x, y):
    return (x.sin() * y ** 2).sum() + (x * y).exp().sum()


def test_functional_jacobian_hessian_hvp_vjp_jvp_match_torch():
    rng = np.random.default_rng(0)
    xa, ya, va = (rng.standard_normal(3) for _ in range(3))
    E, T = ember.autograd.functional, torch.autograd.functional
    xe, ye, ve = (ember.tensor(a) for a in (xa, ya, va))
    xt, yt, vt = (torch.tensor(a) for a in (xa, ya, va))
    tol = TOL["float64"]
    je = E.jacobian(lambda x: x.exp() * x.sum(), xe)
    jt = T.jacobian(lambda x: x.exp() * x.sum(), xt)
    assert_close(je, jt, **tol)
    he = E.hessian(lambda x, y: f_scalar(ember, x, y), (xe, ye))
    ht = T.hessian(lambda x, y: f_scalar(torch, x, y), (xt, yt))
    for i in range(2):
        for j in range(2):
            assert_close(he[i][j], ht[i][j], **tol)
    _, hv = E.hvp(lambda x: f_scalar(ember, x, ye), xe, ve)
    _, hvt = T.hvp(lambda x: f_scalar(torch, x, yt), xt, vt)
    assert_close(hv, hvt, **tol)
    _, vj = E.vjp(lambda x: x.exp() * 2, xe, ve)
    _, vjt = T.vjp(lambda x: x.exp() * 2, xt, vt)
    assert_close(vj, vjt, **tol)
    _, jv = E.jvp(lambda x: x.sin() * x.sum(), xe, ve)
    _, jvt = T.jvp(lambda x: x.sin() * x.sum(), xt, vt)
    assert_close(jv, jvt, **tol)
