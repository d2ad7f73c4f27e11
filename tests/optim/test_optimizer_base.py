"""Optimizer base: torch state_dict interchange, param groups, hooks, zero_grad, error inputs."""
from __future__ import annotations

import numpy as np
import pytest
import torch

import ember
from tests.optim._models import MLP
from tests.tolerances import TOL, assert_close

NAMES = ["SGD", "Adagrad", "Adadelta", "RMSprop", "Adam", "AdamW", "Adamax", "NAdam", "RAdam"]
KW = {"SGD": dict(lr=0.05, momentum=0.9), "RMSprop": dict(lr=0.001, momentum=0.5, centered=True),
      "Adam": dict(lr=0.01, amsgrad=True)}


def _to_torch(sd):
    state = {k: {kk: torch.from_numpy(np.array(v._data)) if isinstance(v, ember.Tensor) else v
                 for kk, v in s.items()} for k, s in sd["state"].items()}
    return {"state": state, "param_groups": sd["param_groups"]}


@pytest.mark.parametrize("name", NAMES)
def test_torch_state_dict_loads_into_ember_and_back(name):
    kw = KW.get(name, {})
    mt, me = MLP(torch), MLP(ember)
    ot = getattr(torch.optim, name)(mt.params, **kw)
    for _ in range(10):
        ot.step(mt.closure_for(ot))
    with torch.no_grad():
        for pe, pt in zip(me.params, mt.params):
            pe._data[...] = pt.numpy()
    oe = getattr(ember.optim, name)(me.params, **kw)
    oe.load_state_dict(ot.state_dict())  # torch tensors inside
    for _ in range(20):
        ot.step(mt.closure_for(ot))
        oe.step(me.closure_for(oe))
    for a, b in zip(me.numpy_params(), mt.numpy_params()):
        assert_close(a, b, **TOL["trajectory"], name=f"{name} after loading torch state")
    ot2 = getattr(torch.optim, name)(mt.params, **kw)
    ot2.load_state_dict(_to_torch(oe.state_dict()))  # ember -> torch
    for k, s in ot.state_dict()["state"].items():
        for key, v in s.items():
            assert_close(ot2.state_dict()["state"][k][key], v, **TOL["trajectory"], name=key)


def test_state_dict_round_trip_continues_identically():
    m1 = MLP(ember)
    o1 = ember.optim.Adam(m1.params, lr=0.01)
    for _ in range(5):
        o1.step(m1.closure_for(o1))
    m2 = MLP(ember)
    for a, b in zip(m2.params, m1.params):
        a._data[...] = b._data
    o2 = ember.optim.Adam(m2.params, lr=0.01)
    o2.load_state_dict(o1.state_dict())
    assert o2.state[m2.params[0]]["exp_avg"] is not o1.state[m1.params[0]]["exp_avg"]  # deep copy
    for _ in range(5):
        o1.step(m1.closure_for(o1))
        o2.step(m2.closure_for(o2))
    for a, b in zip(m1.numpy_params(), m2.numpy_params()):
        assert_close(a, b, **TOL["float64"], name="resumed")


def test_load_state_dict_mismatch_raises():
    m = MLP(ember)
    opt = ember.optim.SGD(m.params, lr=0.1)
    other = ember.optim.SGD(m.params[:2], lr=0.1)
    with pytest.raises(ValueError, match="doesn't match the size"):
        opt.load_state_dict(other.state_dict())


def test_param_groups_options_and_add_param_group():
    a, b = ember.nn.Parameter(ember.zeros(2)), ember.nn.Parameter(ember.zeros(3))
    opt = ember.optim.SGD([{"params": [a]}], lr=0.1, momentum=0.5)
    opt.add_param_group({"params": b, "lr": 0.01})
    assert opt.param_groups[1]["lr"] == 0.01 and opt.param_groups[1]["momentum"] == 0.5
    with pytest.raises(ValueError, match="more than one parameter group"):
        opt.add_param_group({"params": [a]})


def test_named_parameters_recorded():
    a = ember.nn.Parameter(ember.zeros(2))
    opt = ember.optim.Adam([("w", a)])
    assert opt.state_dict()["param_groups"][0]["param_names"] == ["w"]


@pytest.mark.parametrize("params, exc, match", [
    ([], ValueError, "empty parameter list"),
    (ember.nn.Parameter(ember.zeros(2)), TypeError, "iterable of Tensors"),
    ([np.zeros(2)], TypeError, "can only optimize Tensors"),
    ({ember.nn.Parameter(ember.zeros(2))}, TypeError, "ordered collections"),
])
def test_bad_params(params, exc, match):
    with pytest.raises(exc, match=match):
        ember.optim.SGD(params if not isinstance(params, set) else [{"params": params}], lr=0.1)


def test_non_leaf_rejected():
    a = ember.nn.Parameter(ember.zeros(2))
    with pytest.raises(ValueError, match="non-leaf"):
        ember.optim.SGD([a * 2], lr=0.1)


P = [ember.nn.Parameter(ember.zeros(2))]


@pytest.mark.parametrize("make, match", [
    (lambda: ember.optim.SGD(P, lr=-1), "Invalid learning rate: -1"),
    (lambda: ember.optim.SGD(P, lr=0.1, momentum=-0.1), "Invalid momentum value"),
    (lambda: ember.optim.SGD(P, lr=0.1, nesterov=True), "Nesterov momentum requires"),
    (lambda: ember.optim.SGD(P, lr=0.1, momentum=0.9, dampening=0.1, nesterov=True), "zero dampening"),
    (lambda: ember.optim.Adam(P, betas=(1.0, 0.999)), "Invalid beta parameter at index 0: 1.0"),
    (lambda: ember.optim.Adam(P, betas=(0.9, -0.1)), "Invalid beta parameter at index 1"),
    (lambda: ember.optim.AdamW(P, eps=-1e-8), "Invalid epsilon value"),
    (lambda: ember.optim.Adam(P, weight_decay=-1), "Invalid weight_decay value"),
    (lambda: ember.optim.Adagrad(P, lr_decay=-1), "Invalid lr_decay value"),
    (lambda: ember.optim.Adagrad(P, initial_accumulator_value=-1), "initial_accumulator_value"),
    (lambda: ember.optim.Adadelta(P, rho=1.5), "Invalid rho value"),
    (lambda: ember.optim.RMSprop(P, alpha=-0.5), "Invalid alpha value"),
    (lambda: ember.optim.NAdam(P, momentum_decay=-1), "Invalid momentum_decay value"),
    (lambda: ember.optim.Adamax(P, betas=(0.9, 1.0)), "Invalid beta parameter at index 1"),
    (lambda: ember.optim.RAdam(P, lr=-0.1), "Invalid learning rate"),
    (lambda: ember.optim.Adam(P, fused=True), "fused=True is not supported"),
    (lambda: ember.optim.SGD(P, lr=0.1, differentiable=True), "differentiable=True"),
])
def test_invalid_hyperparameters_raise_like_torch(make, match):
    with pytest.raises(ValueError, match=match):
        make()


@pytest.mark.parametrize("name", NAMES)
def test_same_errors_as_torch_for_negative_lr(name):
    with pytest.raises(ValueError) as e_info:
        getattr(ember.optim, name)(P, lr=-1.0)
    with pytest.raises(ValueError) as t_info:
        getattr(torch.optim, name)([torch.zeros(2, requires_grad=True)], lr=-1.0)
    assert str(t_info.value) in str(e_info.value)


def test_zero_grad_and_version_counter():
    w = ember.nn.Parameter(ember.ones(3))
    opt = ember.optim.SGD([w], lr=0.1)
    (w * w).sum().backward()
    v0 = w._version[0]
    opt.step()
    assert w._version[0] == v0 + 1
    assert_close(w, np.full(3, 0.8), **TOL["float32"], name="sgd step")
    opt.zero_grad(set_to_none=False)
    assert_close(w.grad, np.zeros(3), **TOL["float32"], name="zeroed grad")
    opt.zero_grad()
    assert w.grad is None


def test_step_hooks_run_in_order_and_can_be_removed():
    w = ember.nn.Parameter(ember.ones(2))
    opt = ember.optim.SGD([w], lr=0.1)
    calls = []
    h1 = opt.register_step_pre_hook(lambda o, a, k: calls.append("pre"))
    opt.register_step_post_hook(lambda o, a, k: calls.append("post"))
    opt.step()
    h1.remove()
    opt.step()
    assert calls == ["pre", "post", "post"]


def test_state_dict_hooks():
    w = ember.nn.Parameter(ember.ones(2))
    opt = ember.optim.SGD([w], lr=0.1)
    opt.register_state_dict_post_hook(lambda o, sd: {**sd, "extra": 1})
    seen = []
    opt.register_load_state_dict_post_hook(lambda o: seen.append(True))
    sd = opt.state_dict()
    assert sd["extra"] == 1
    opt.load_state_dict(sd)
    assert seen == [True]


def test_nan_gradient_propagates_like_torch():
    # first-order optimizers keep torch's behaviour (no check): NaN gradients give NaN parameters
    for lib in (ember, torch):
        w = lib.nn.Parameter(lib.ones(2))
        opt = lib.optim.Adam([w])
        (w * float("nan")).sum().backward()
        opt.step()
        assert np.isnan(w.detach().numpy()).all()
