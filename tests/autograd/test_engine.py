"""Autograd engine semantics vs torch: accumulation, retain_graph, hooks, retain_grad, grad modes,
in-place version checks, create_graph."""
from __future__ import annotations

import numpy as np
import pytest
import torch

import ember
from tolerances import TOL, assert_close


def both(fn):
    """Run fn(lib) for ember and torch; return both results."""
    return fn(ember), fn(torch)


def test_gradients_accumulate_across_backward_calls():
    def f(L):
        x = L.tensor([1.0, 2.0, 3.0], requires_grad=True)
        (x * x).sum().backward()
        (3 * x).sum().backward()
        return x.grad

    e, t = both(f)
    assert_close(e, t, **TOL["float32"])


def test_shared_gradient_not_aliased_between_leaves():
    x = ember.ones(3, requires_grad=True)
    y = ember.ones(3, requires_grad=True)
    (x + y).sum().backward()
    (x + y).sum().backward()
    assert x.grad.tolist() == [2.0, 2.0, 2.0] and y.grad.tolist() == [2.0, 2.0, 2.0]


def test_second_backward_without_retain_graph_raises():
    x = ember.tensor([1.0, 2.0], requires_grad=True)
    y = (x.exp() * x).sum()
    y.backward()
    with pytest.raises(RuntimeError, match="second time"):
        y.backward()


def test_retain_graph_allows_second_backward():
    x = ember.tensor([1.0, 2.0], requires_grad=True)
    y = (x.exp() * x).sum()
    y.backward(retain_graph=True)
    y.backward()
    xt = torch.tensor([1.0, 2.0], requires_grad=True)
    yt = (xt.exp() * xt).sum()
    yt.backward(retain_graph=True)
    yt.backward()
    assert_close(x.grad, xt.grad, **TOL["float32"])


def test_backward_on_nonscalar_needs_gradient():
    x = ember.randn(3, requires_grad=True)
    with pytest.raises(RuntimeError, match="implicitly created only for scalar"):
        (x * 2).backward()
    (x * 2).backward(ember.ones(3))
    assert x.grad.tolist() == [2.0, 2.0, 2.0]


def test_backward_on_tensor_without_grad_raises():
    with pytest.raises(RuntimeError, match="does not require grad"):
        ember.ones(2).sum().backward()


def test_nonleaf_grad_is_none_unless_retained():
    x = ember.tensor([1.0, 2.0], requires_grad=True)
    y = x * 3
    z = x * 4
    z.retain_grad()
    (y.sum() + (z * z).sum()).backward()
    assert y.grad is None
    assert z.grad.tolist() == [8.0, 16.0]
    assert z.retains_grad and not y.retains_grad


def test_hooks_modify_gradient():
    def f(L):
        x = L.tensor([1.0, 2.0], requires_grad=True)
        y = x * 2
        y.register_hook(lambda g: g * 10)
        x.register_hook(lambda g: g + 1)
        y.sum().backward()
        return x.grad

    e, t = both(f)
    assert_close(e, t, **TOL["float32"])


def test_hook_handle_remove():
    x = ember.tensor([1.0], requires_grad=True)
    h = x.register_hook(lambda g: g * 100)
    h.remove()
    (x * 2).sum().backward()
    assert x.grad.item() == 2.0


def test_no_grad_and_enable_grad():
    x = ember.ones(2, requires_grad=True)
    with ember.no_grad():
        y = x * 2
        with ember.enable_grad():
            z = x * 2
    assert not y.requires_grad and y.grad_fn is None
    assert z.requires_grad

    @ember.no_grad()
    def f(t):
        return t * 2

    assert not f(x).requires_grad
    with ember.set_grad_enabled(False):
        assert not ember.is_grad_enabled()
    assert ember.is_grad_enabled()
    with ember.inference_mode():
        assert not (x * 2).requires_grad


def test_detach_shares_storage():
    x = ember.ones(3, requires_grad=True)
    d = x.detach()
    assert not d.requires_grad
    d[0] = 5.0
    assert x[0].item() == 5.0


def test_inplace_on_leaf_requiring_grad_raises():
    x = ember.ones(3, requires_grad=True)
    with pytest.raises(RuntimeError, match="leaf Variable that requires grad"):
        x.add_(1)
    with ember.no_grad():
        x.add_(1)
    assert x.tolist() == [2.0, 2.0, 2.0]


def test_inplace_modification_of_saved_tensor_is_detected():
    x = ember.tensor([1.0, 2.0], requires_grad=True)
    y = x.exp()
    z = y * 2          # fine: mul saves y...
    w = y.sin()        # sin saves y
    y.add_(1)          # ...and y is changed in place
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        (w.sum() + z.sum()).backward()


def test_inplace_on_nonleaf_matches_torch():
    def f(L):
        x = L.tensor([1.0, -2.0, 3.0], requires_grad=True)
        y = x * 2
        y.mul_(x)
        y.add_(1)
        y[1] = 0.5
        y.sum().backward()
        return y.detach(), x.grad

    (ye, ge), (yt, gt) = both(f)
    assert_close(ye, yt, **TOL["float32"])
    assert_close(ge, gt, **TOL["float32"])


def test_setitem_with_tensor_value_gets_gradient():
    def f(L):
        v = L.tensor([2.0, 3.0], requires_grad=True)
        x = L.zeros(4)
        x[1:3] = v * v
        (x * L.arange(4.0)).sum().backward()
        return v.grad

    e, t = both(f)
    assert_close(e, t, **TOL["float32"])


def test_create_graph_higher_order():
    def f(L):
        x = L.tensor([0.5, 1.5], requires_grad=True)
        y = (x ** 3 * x.sin()).sum()
        (g,) = L.autograd.grad(y, x, create_graph=True)
        (h,) = L.autograd.grad(g.sum(), x, create_graph=True)
        (t3,) = L.autograd.grad(h.sum(), x)
        return g.detach(), h.detach(), t3

    e, t = both(f)
    for a, b in zip(e, t):
        assert_close(a, b, **TOL["float32"])


def test_backward_create_graph_accumulates_differentiable_grad():
    x = ember.tensor([2.0], requires_grad=True)
    (x ** 3).sum().backward(create_graph=True)
    assert x.grad.requires_grad
    (g2,) = ember.autograd.grad(x.grad.sum(), x)
    assert g2.item() == pytest.approx(12.0)


def test_autograd_grad_allow_unused_and_materialize():
    x = ember.ones(2, requires_grad=True)
    y = ember.ones(2, requires_grad=True)
    out = (x * 2).sum()
    with pytest.raises(RuntimeError, match="not have been used"):
        ember.autograd.grad(out, [x, y], retain_graph=True)
    gx, gy = ember.autograd.grad(out, [x, y], allow_unused=True, retain_graph=True)
    assert gy is None and gx.tolist() == [2.0, 2.0]
    _, gz = ember.autograd.grad(out, [x, y], materialize_grads=True)
    assert gz.tolist() == [0.0, 0.0]


def test_autograd_grad_does_not_touch_dot_grad():
    x = ember.ones(2, requires_grad=True)
    ember.autograd.grad((x * 2).sum(), x)
    assert x.grad is None


def test_backward_inputs_restricts_accumulation():
    x = ember.ones(2, requires_grad=True)
    y = ember.ones(2, requires_grad=True)
    (x * y).sum().backward(inputs=[x])
    assert x.grad is not None and y.grad is None


def test_multiple_outputs_and_max_indices_not_differentiable():
    x = ember.tensor([[1.0, 5.0], [7.0, 2.0]], requires_grad=True)
    v, i = x.max(1)
    assert not i.requires_grad and i.dtype == ember.int64
    v.sum().backward()
    assert x.grad.tolist() == [[0.0, 1.0], [1.0, 0.0]]


def test_requires_grad_only_for_float():
    with pytest.raises(RuntimeError, match="floating point"):
        ember.tensor([1, 2]).requires_grad_()


def test_detect_anomaly_names_the_op():
    x = ember.tensor([0.0, 1.0], requires_grad=True)
    with ember.autograd.detect_anomaly():
        y = x.sqrt()
        with pytest.raises(RuntimeError, match="SqrtBackward0"):
            (y * 0 + y).sum().backward()


def test_grad_of_integer_output_ops_is_none():
    x = ember.randn(3, 4, requires_grad=True)
    assert not x.argmax(1).requires_grad
    assert not (x > 0).requires_grad


def test_inplace_op_that_saves_its_output():
    def f(L):
        x = L.tensor([-1.0, 0.5, 2.0], requires_grad=True)
        y = x * 2
        y.relu_()
        z = y * 3
        z.sigmoid_()
        z.sum().backward()
        return x.grad

    e, t = both(f)
    assert_close(e, t, **TOL["float32"])


def test_inplace_after_inplace_that_saved_output_raises_like_torch():
    for L in (ember, torch):
        x = L.tensor([-1.0, 0.5, 2.0], requires_grad=True)
        y = x * 2
        y.relu_()
        y.exp_()
        with pytest.raises(RuntimeError, match="modified by an inplace operation"):
            y.sum().backward()
