"""Every lr scheduler: learning-rate (and momentum) sequences equal torch 2.13's; state_dict; errors."""
from __future__ import annotations

import warnings

import numpy as np
import pytest
import torch

import ember
from tests.tolerances import TOL, assert_close

SCHEDULERS = {
    "LambdaLR": lambda L, o: L.LambdaLR(o, lambda e: 0.95 ** e),
    "LambdaLR_per_group": lambda L, o: L.LambdaLR(o, [lambda e: 1 / (e + 1), lambda e: 0.9 ** e]),
    "MultiplicativeLR": lambda L, o: L.MultiplicativeLR(o, lambda e: 0.97),
    "StepLR": lambda L, o: L.StepLR(o, step_size=7, gamma=0.5),
    "MultiStepLR": lambda L, o: L.MultiStepLR(o, milestones=[5, 12, 12, 30], gamma=0.3),
    "ConstantLR": lambda L, o: L.ConstantLR(o, factor=0.25, total_iters=6),
    "LinearLR": lambda L, o: L.LinearLR(o, start_factor=0.1, end_factor=0.9, total_iters=10),
    "ExponentialLR": lambda L, o: L.ExponentialLR(o, gamma=0.93),
    "PolynomialLR": lambda L, o: L.PolynomialLR(o, total_iters=20, power=2.0),
    "CosineAnnealingLR": lambda L, o: L.CosineAnnealingLR(o, T_max=15, eta_min=0.001),
    "CosineAnnealingWarmRestarts": lambda L, o: L.CosineAnnealingWarmRestarts(o, T_0=5, T_mult=2, eta_min=1e-3),
    "CyclicLR_triangular": lambda L, o: L.CyclicLR(o, 0.01, 0.1, step_size_up=4, step_size_down=6),
    "CyclicLR_triangular2": lambda L, o: L.CyclicLR(o, [0.01, 0.02], 0.2, step_size_up=5, mode="triangular2"),
    "CyclicLR_exp_range": lambda L, o: L.CyclicLR(o, 0.01, 0.1, step_size_up=3, mode="exp_range", gamma=0.97),
    "OneCycleLR_cos": lambda L, o: L.OneCycleLR(o, max_lr=0.5, total_steps=61),
    "OneCycleLR_linear_3phase": lambda L, o: L.OneCycleLR(o, max_lr=[0.5, 0.3], epochs=6, steps_per_epoch=11,
                                                          anneal_strategy="linear", three_phase=True),
    "SequentialLR_warmup_cosine": lambda L, o: L.SequentialLR(
        o, [L.LinearLR(o, start_factor=0.1, total_iters=5), L.CosineAnnealingLR(o, T_max=30)], milestones=[5]),
    "SequentialLR_three": lambda L, o: L.SequentialLR(
        o, [L.ConstantLR(o, factor=0.5, total_iters=3), L.ExponentialLR(o, 0.9), L.StepLR(o, 4)], [4, 20]),
    "ChainedScheduler": lambda L, o: L.ChainedScheduler(
        [L.ConstantLR(o, factor=0.1, total_iters=4), L.ExponentialLR(o, gamma=0.9)]),
}

N_EPOCHS = 60


def _optimizer(lib, kind: str = "sgd"):
    ps = [lib.nn.Parameter(lib.zeros(2)), lib.nn.Parameter(lib.zeros(3))]
    groups = [{"params": [ps[0]]}, {"params": [ps[1]], "lr": 0.05}]
    if kind == "adam":
        return lib.optim.Adam(groups, lr=0.1)
    return lib.optim.SGD(groups, lr=0.1, momentum=0.9)


def _run(lib, make, n=N_EPOCHS, kind="sgd"):
    opt = _optimizer(lib, kind)
    sched = make(lib.optim.lr_scheduler, opt)
    lrs, moms = [list(sched.get_last_lr())], []
    for _ in range(n):
        opt.step()
        sched.step()
        lrs.append(list(sched.get_last_lr()))
        moms.append([g.get("momentum", g.get("betas", (0,))[0]) for g in opt.param_groups])
    return np.array(lrs, dtype=float), np.array(moms, dtype=float)


@pytest.mark.parametrize("name", list(SCHEDULERS))
def test_lr_sequence_matches_torch(name):
    n = 60 if "OneCycle" not in name else 60  # OneCycle total_steps >= 61 so 60 steps stay in range
    lr_e, mom_e = _run(ember, SCHEDULERS[name], n)
    lr_t, mom_t = _run(torch, SCHEDULERS[name], n)
    assert_close(lr_e, lr_t, **TOL["float64"], name=f"{name} lr")
    assert_close(mom_e, mom_t, **TOL["float64"], name=f"{name} momentum")


@pytest.mark.parametrize("name", ["CyclicLR_triangular", "OneCycleLR_cos"])
def test_beta1_cycling_matches_torch(name):
    lr_e, mom_e = _run(ember, SCHEDULERS[name], 40, kind="adam")
    lr_t, mom_t = _run(torch, SCHEDULERS[name], 40, kind="adam")
    assert_close(lr_e, lr_t, **TOL["float64"], name="lr")
    assert_close(mom_e, mom_t, **TOL["float64"], name="beta1")


@pytest.mark.parametrize("name", ["StepLR", "MultiStepLR", "ConstantLR", "LinearLR", "ExponentialLR",
                                  "PolynomialLR", "CosineAnnealingLR", "CosineAnnealingWarmRestarts"])
def test_closed_form_step_epoch_matches_torch(name):
    out = {}
    for lib in (ember, torch):
        opt = _optimizer(lib)
        sched = SCHEDULERS[name](lib.optim.lr_scheduler, opt)
        seq = []
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for epoch in [3, 9, 4, 17, 25, 2]:
                sched.step(epoch)
                seq.append(sched.get_last_lr())
        out[lib.__name__] = np.array(seq, dtype=float)
    assert_close(out["ember"], out["torch"], **TOL["float64"], name=name)


def _plateau_run(lib, metrics, **kw):
    opt = _optimizer(lib)
    sched = lib.optim.lr_scheduler.ReduceLROnPlateau(opt, **kw)
    out = []
    for m in metrics:
        sched.step(m)
        out.append(list(sched.get_last_lr()))
    return np.array(out), sched


@pytest.mark.parametrize("kw", [dict(), dict(mode="max", patience=2, threshold_mode="abs", threshold=0.05),
                                dict(patience=1, cooldown=2, factor=0.5, min_lr=[0.02, 0.001])])
def test_reduce_on_plateau_matches_torch(kw):
    rng = np.random.default_rng(3)
    metrics = list(np.concatenate([np.linspace(1, 0.5, 10), 0.5 + 0.01 * rng.standard_normal(40)]))
    e, _ = _plateau_run(ember, metrics, **kw)
    t, _ = _plateau_run(torch, metrics, **kw)
    assert_close(e, t, **TOL["float64"], name="plateau lr")


@pytest.mark.parametrize("name", ["StepLR", "CyclicLR_triangular", "OneCycleLR_cos", "SequentialLR_warmup_cosine",
                                  "ChainedScheduler", "CosineAnnealingWarmRestarts"])
def test_state_dict_resume_equals_uninterrupted(name):
    full, _ = _run(ember, SCHEDULERS[name], 30)
    opt = _optimizer(ember)
    sched = SCHEDULERS[name](ember.optim.lr_scheduler, opt)
    for _ in range(12):
        opt.step()
        sched.step()
    sd_sched, sd_opt = sched.state_dict(), opt.state_dict()
    assert "optimizer" not in sd_sched
    opt2 = _optimizer(ember)
    sched2 = SCHEDULERS[name](ember.optim.lr_scheduler, opt2)
    sched2.load_state_dict(sd_sched)
    opt2.load_state_dict(sd_opt)
    rest = []
    for _ in range(18):
        opt2.step()
        sched2.step()
        rest.append(list(sched2.get_last_lr()))
    assert_close(np.array(rest), full[13:], **TOL["float64"], name=name)


def test_state_dict_keys_match_torch():
    for name in ["StepLR", "CosineAnnealingLR", "MultiStepLR", "LinearLR"]:
        keys = {}
        for lib in (ember, torch):
            s = SCHEDULERS[name](lib.optim.lr_scheduler, _optimizer(lib))
            keys[lib.__name__] = {k for k in s.state_dict() if not k.startswith("_")}
        assert keys["ember"] == keys["torch"], name


def test_warns_when_scheduler_steps_before_optimizer():
    opt = _optimizer(ember)
    sched = ember.optim.lr_scheduler.StepLR(opt, 3)
    with pytest.warns(UserWarning, match="before `optimizer.step\\(\\)`"):
        sched.step()


@pytest.mark.parametrize("make, match", [
    (lambda L, o: L.ConstantLR(o, factor=1.5), "between 0 and 1"),
    (lambda L, o: L.LinearLR(o, start_factor=0.0), "greater than 0"),
    (lambda L, o: L.CosineAnnealingWarmRestarts(o, T_0=0), "positive integer T_0"),
    (lambda L, o: L.OneCycleLR(o, max_lr=0.1), "total_steps OR"),
    (lambda L, o: L.OneCycleLR(o, max_lr=0.1, total_steps=10, anneal_strategy="exp"), "anneal_strategy"),
    (lambda L, o: L.ReduceLROnPlateau(o, factor=1.0), "Factor should be < 1.0"),
    (lambda L, o: L.ReduceLROnPlateau(o, mode="median"), "unknown"),
    (lambda L, o: L.SequentialLR(o, [L.StepLR(o, 2)], milestones=[3]), "one more"),
    (lambda L, o: L.SequentialLR(o, [L.ReduceLROnPlateau(o), L.StepLR(o, 2)], [3]), "ReduceLROnPlateau"),
    (lambda L, o: L.LambdaLR(o, [lambda e: 1.0]), "Expected 2 lr_lambdas"),
])
def test_invalid_arguments_raise(make, match):
    with pytest.raises(ValueError, match=match):
        make(ember.optim.lr_scheduler, _optimizer(ember))


def test_onecycle_past_total_steps_raises():
    opt = _optimizer(ember)
    sched = ember.optim.lr_scheduler.OneCycleLR(opt, max_lr=0.1, total_steps=3)
    for _ in range(3):
        opt.step()
        sched.step()
    with pytest.raises(ValueError, match="Tried to step 4 times"):
        sched.step()


def test_non_optimizer_rejected():
    with pytest.raises(TypeError, match="is not an Optimizer"):
        ember.optim.lr_scheduler.StepLR(object(), 3)
