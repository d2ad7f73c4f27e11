"""First-order optimizers: 200-step float64 trajectories equal torch 2.13's for every option."""
from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

import ember
from tests.optim._models import MLP
from tests.tolerances import TOL, assert_close

# (optimizer, kwargs, maximize-objective sign): one row per option torch offers
CASES = [
    ("SGD", dict(lr=0.05)),
    ("SGD", dict(lr=0.05, momentum=0.9)),
    ("SGD", dict(lr=0.05, momentum=0.9, dampening=0.3, weight_decay=0.01)),
    ("SGD", dict(lr=0.05, momentum=0.9, nesterov=True)),
    ("SGD", dict(lr=0.05, momentum=0.5, maximize=True)),
    ("Adagrad", dict()),
    ("Adagrad", dict(lr=0.05, lr_decay=0.01, weight_decay=0.01, initial_accumulator_value=0.1, eps=1e-8)),
    ("Adagrad", dict(lr=0.05, maximize=True)),
    ("Adadelta", dict()),
    ("Adadelta", dict(lr=0.5, rho=0.95, eps=1e-5, weight_decay=0.01)),
    ("Adadelta", dict(maximize=True)),
    ("RMSprop", dict()),
    # alpha=0.9 makes v - gbar^2 cancel to ~1e-16 near step 100 (full-batch gradients barely vary),
    # which amplifies round-off in torch and ember alike; 0.99 keeps the centered case well-conditioned
    ("RMSprop", dict(lr=0.001, alpha=0.99, centered=True)),
    ("RMSprop", dict(lr=0.001, momentum=0.9, weight_decay=0.01)),
    ("RMSprop", dict(lr=0.001, momentum=0.5, centered=True, maximize=True)),
    ("Adam", dict(lr=0.01)),
    ("Adam", dict(lr=0.01, amsgrad=True, weight_decay=0.01)),
    ("Adam", dict(lr=0.01, betas=(0.8, 0.99), eps=1e-6, decoupled_weight_decay=True, weight_decay=0.1)),
    ("Adam", dict(lr=0.01, maximize=True)),
    ("AdamW", dict(lr=0.01)),
    ("AdamW", dict(lr=0.01, amsgrad=True, weight_decay=0.05)),
    ("Adamax", dict()),
    ("Adamax", dict(lr=0.002, betas=(0.8, 0.99), weight_decay=0.01, maximize=True)),
    ("NAdam", dict()),
    ("NAdam", dict(lr=0.01, momentum_decay=0.01, weight_decay=0.01)),
    ("NAdam", dict(lr=0.002, weight_decay=0.05, decoupled_weight_decay=True)),
    ("RAdam", dict()),
    ("RAdam", dict(lr=0.01, weight_decay=0.01)),
    ("RAdam", dict(lr=0.01, weight_decay=0.05, decoupled_weight_decay=True, maximize=True)),
]
# lr values are kept where the 200-step float64 dynamics are not chaotic: at larger lr the
# Adam-family iterates enter a limit cycle that amplifies 1-ulp differences exponentially.
STEPS = 200


def _ids(case):
    name, kw = case
    return name + "-" + ",".join(f"{k}={v}" for k, v in kw.items())


def _trajectory(lib, name, kw, steps=STEPS, model=None):
    model = model or MLP(lib, sign=-1.0 if kw.get("maximize") else 1.0)
    opt = getattr(lib.optim, name)(model.params, **kw)
    closure = model.closure_for(opt)
    losses = [float(opt.step(closure).detach()) for _ in range(steps)]
    return model, opt, np.array(losses)


@pytest.mark.parametrize("case", CASES, ids=_ids)
def test_trajectory_matches_torch(case):
    name, kw = case
    me, oe, le = _trajectory(ember, name, kw)
    mt, ot, lt = _trajectory(torch, name, kw)
    assert_close(le, lt, **TOL["trajectory"], name=f"{name} losses")
    for a, b in zip(me.numpy_params(), mt.numpy_params()):
        assert_close(a, b, **TOL["trajectory"], name=f"{name} params")
    se, st_ = oe.state_dict(), ot.state_dict()
    assert set(se["state"]) == set(st_["state"])
    for k in st_["state"]:
        assert set(se["state"][k]) == set(st_["state"][k])
        for key, v in st_["state"][k].items():
            assert_close(se["state"][k][key], v, **TOL["trajectory"], name=f"{name} state {key}")
            assert se["state"][k][key].dtype.np == v.detach().numpy().dtype, key
    assert se["param_groups"] == st_["param_groups"]


@pytest.mark.parametrize("case", CASES[::3], ids=_ids)
def test_goes_right_direction(case):
    name, kw = case
    kw = {k: v for k, v in kw.items() if k != "maximize"}
    _, _, losses = _trajectory(ember, name, kw, steps=30)
    assert losses[-1] < losses[0]


def test_param_groups_and_params_without_grad_match_torch():
    def run(lib):
        m = MLP(lib)
        extra = lib.nn.Parameter(lib.ones(3, dtype=lib.float64))  # never receives a gradient
        opt = lib.optim.Adam([{"params": m.params[:2], "lr": 0.02},
                              {"params": m.params[2:] + [extra], "weight_decay": 0.1}], lr=0.005)
        for _ in range(50):
            opt.step(m.closure_for(opt))
        return m.numpy_params() + [extra.detach().numpy()], opt
    pe, oe = run(ember)
    pt, ot = run(torch)
    for a, b in zip(pe, pt):
        assert_close(a, b, **TOL["trajectory"], name="params")
    assert len(oe.state) == len(ot.state) == 4


def test_float32_parameters_stay_float32_and_match_torch():
    def run(lib):
        w = lib.nn.Parameter(lib.tensor(np.linspace(-1, 1, 6), dtype=lib.float32))
        opt = lib.optim.Adam([w], lr=0.05)
        for _ in range(50):
            opt.zero_grad()
            ((w - 0.3) ** 2).sum().backward()
            opt.step()
        return w
    we, wt = run(ember), run(torch)
    assert we.dtype == ember.float32
    assert_close(we, wt, **TOL["float32"], name="float32 Adam")


@settings(max_examples=15)
@given(lr=st.floats(1e-4, 0.2), b1=st.floats(0.0, 0.99), b2=st.floats(0.5, 0.9999),
       wd=st.floats(0.0, 0.1), amsgrad=st.booleans())
def test_adam_hyperparameters_match_torch(lr, b1, b2, wd, amsgrad):
    kw = dict(lr=lr, betas=(b1, b2), weight_decay=wd, amsgrad=amsgrad)
    _, _, le = _trajectory(ember, "Adam", kw, steps=20)
    _, _, lt = _trajectory(torch, "Adam", kw, steps=20)
    assert_close(le, lt, **TOL["trajectory"], name="Adam losses")


@settings(max_examples=15)
@given(lr=st.floats(1e-4, 0.1), mom=st.floats(0.0, 0.95), damp=st.floats(0.0, 0.9),
       wd=st.floats(0.0, 0.1), nesterov=st.booleans())
def test_sgd_hyperparameters_match_torch(lr, mom, damp, wd, nesterov):
    if nesterov and (mom <= 0 or damp != 0):
        damp = 0.0
        mom = max(mom, 0.1)
    kw = dict(lr=lr, momentum=mom, dampening=damp, weight_decay=wd, nesterov=nesterov)
    _, _, le = _trajectory(ember, "SGD", kw, steps=20)
    _, _, lt = _trajectory(torch, "SGD", kw, steps=20)
    assert_close(le, lt, **TOL["trajectory"], name="SGD losses")
