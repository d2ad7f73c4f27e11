"""Loss functionals and modules vs torch 2.13: one registry row per loss (STYLE S9), every
reduction, float64 forward/backward parity, gradcheck + gradgradcheck, fused CE == staged CE."""
from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any, Callable

import numpy as np
import pytest
import torch
from hypothesis import given, strategies as st

import ember
import ember.nn as nn
import ember.nn.functional as F
from _helpers_c import pair, parity
from tolerances import TOL, assert_close

RNG = np.random.default_rng(0)
N, C = 5, 4
X = RNG.standard_normal((N, C))
Y = RNG.standard_normal((N, C))
P = RNG.uniform(0.05, 0.95, (N, C))
B = (RNG.random((N, C)) > 0.5).astype(np.float64)
W = RNG.uniform(0.5, 2.0, C)
SIGN = np.array([1.0, -1.0, 1.0, -1.0, -1.0])
T = np.array([0, 3, 1, 2, 3])
T_IGN = np.array([0, -100, 1, 2, 3])
LOGQ = np.log(np.exp(Y) / np.exp(Y).sum(1, keepdims=True))
X3 = RNG.standard_normal((2, C, 3, 2))
T3 = RNG.integers(0, C, (2, 3, 2))


def _c(lib, a):  # a constant (no grad) tensor of the library
    return lib.tensor(a)


@dataclass(frozen=True)
class LossSpec:
    name: str
    fn: Callable[..., Any]              # fn(lib, reduction, *tensors)
    arrays: tuple
    reductions: tuple = ("none", "mean", "sum")
    gradgrad: bool = True


SPECS = [
    LossSpec("l1", lambda L, r, x, y: L.nn.functional.l1_loss(x, y, reduction=r), (X, Y)),
    LossSpec("l1_weight", lambda L, r, x, y, w: L.nn.functional.l1_loss(x, y, reduction=r, weight=w), (X, Y, P)),
    LossSpec("mse", lambda L, r, x, y: L.nn.functional.mse_loss(x, y, reduction=r), (X, Y)),
    LossSpec("mse_weight", lambda L, r, x, y, w: L.nn.functional.mse_loss(x, y, reduction=r, weight=w), (X, Y, P)),
    LossSpec("smooth_l1", lambda L, r, x, y: L.nn.functional.smooth_l1_loss(x, y, reduction=r, beta=0.7), (X, Y)),
    LossSpec("smooth_l1_b0", lambda L, r, x, y: L.nn.functional.smooth_l1_loss(x, y, reduction=r, beta=0.0), (X, Y)),
    LossSpec("huber", lambda L, r, x, y: L.nn.functional.huber_loss(x, y, reduction=r, delta=0.6), (X, Y)),
    LossSpec("huber_weight", lambda L, r, x, y, w: L.nn.functional.huber_loss(x, y, r, 0.6, w), (X, Y, P)),
    LossSpec("bce", lambda L, r, p, y: L.nn.functional.binary_cross_entropy(p, y, reduction=r), (P, B)),
    LossSpec("bce_weight", lambda L, r, p, y: L.nn.functional.binary_cross_entropy(p, y, _c(L, W), reduction=r),
             (P, B)),
    LossSpec("bce_logits", lambda L, r, x, y: L.nn.functional.binary_cross_entropy_with_logits(x, y, reduction=r),
             (X, P)),
    LossSpec("bce_logits_pw", lambda L, r, x, y: L.nn.functional.binary_cross_entropy_with_logits(
        x, y, _c(L, P), reduction=r, pos_weight=_c(L, W)), (X, B)),
    LossSpec("kl_div", lambda L, r, x, y: L.nn.functional.kl_div(x, y, reduction=r), (LOGQ, P),
             ("none", "sum", "batchmean")),
    LossSpec("kl_div_log", lambda L, r, x, y: L.nn.functional.kl_div(x, y, reduction=r, log_target=True),
             (LOGQ, LOGQ[::-1].copy()), ("none", "sum", "batchmean")),
    LossSpec("margin_ranking", lambda L, r, a, b: L.nn.functional.margin_ranking_loss(
        a, b, _c(L, SIGN), margin=0.3, reduction=r), (X[:, 0].copy(), Y[:, 0].copy())),
    LossSpec("hinge_embedding", lambda L, r, x: L.nn.functional.hinge_embedding_loss(
        x, _c(L, np.sign(Y)), margin=0.5, reduction=r), (X,)),
    LossSpec("soft_margin", lambda L, r, x: L.nn.functional.soft_margin_loss(x, _c(L, np.sign(Y)), reduction=r),
             (X,)),
    LossSpec("multilabel_soft_margin", lambda L, r, x, w: L.nn.functional.multilabel_soft_margin_loss(
        x, _c(L, B), w, reduction=r), (X, W)),
    LossSpec("multi_margin_p1", lambda L, r, x: L.nn.functional.multi_margin_loss(
        x, _c(L, T), 1, 0.8, _c(L, W), reduction=r), (X,)),
    LossSpec("multi_margin_p2", lambda L, r, x: L.nn.functional.multi_margin_loss(x, _c(L, T), 2, reduction=r),
             (X,)),
    LossSpec("triplet", lambda L, r, a, p, n: L.nn.functional.triplet_margin_loss(a, p, n, 2.0, reduction=r),
             (X, Y, P)),
    LossSpec("triplet_swap_p3", lambda L, r, a, p, n: L.nn.functional.triplet_margin_loss(
        a, p, n, 2.0, p=3, swap=True, reduction=r), (X, Y, P)),
    LossSpec("cosine_embedding", lambda L, r, a, b: L.nn.functional.cosine_embedding_loss(
        a, b, _c(L, SIGN), margin=0.1, reduction=r), (X, Y)),
    LossSpec("poisson_log", lambda L, r, x: L.nn.functional.poisson_nll_loss(x, _c(L, P * 3), reduction=r),
             (X,)),
    LossSpec("poisson_full", lambda L, r, x: L.nn.functional.poisson_nll_loss(
        x, _c(L, P * 3), log_input=False, full=True, reduction=r), (P,)),
    LossSpec("gaussian_nll", lambda L, r, x, y, v: L.nn.functional.gaussian_nll_loss(x, y, v, True, reduction=r),
             (X, Y, P)),
    LossSpec("gaussian_nll_homo", lambda L, r, x, y, v: L.nn.functional.gaussian_nll_loss(x, y, v, reduction=r),
             (X, Y, P[:, 0].copy())),
    LossSpec("nll", lambda L, r, x: L.nn.functional.nll_loss(x, _c(L, T_IGN), _c(L, W), reduction=r), (LOGQ,)),
    LossSpec("nll_nd", lambda L, r, x: L.nn.functional.nll_loss(x, _c(L, T3), reduction=r), (X3,)),
    LossSpec("ce_prob", lambda L, r, x, t: L.nn.functional.cross_entropy(x, t, _c(L, W), reduction=r,
                                                                         label_smoothing=0.2), (X, P)),
    LossSpec("ce_unbatched", lambda L, r, x: L.nn.functional.cross_entropy(x, _c(L, np.array(2)), reduction=r),
             (X[0].copy(),)),
]
for _w, _ls, _ign in itertools.product([False, True], [0.0, 0.3], [False, True]):
    SPECS.append(LossSpec(
        f"ce_w{int(_w)}_ls{_ls}_ign{int(_ign)}",
        (lambda w, ls, t: lambda L, r, x: L.nn.functional.cross_entropy(
            x, _c(L, t), _c(L, W) if w else None, reduction=r, label_smoothing=ls))(_w, _ls, T_IGN if _ign else T),
        (X,)))
SPECS.append(LossSpec("ce_nd", lambda L, r, x: L.nn.functional.cross_entropy(
    x, _c(L, T3), _c(L, W), reduction=r, label_smoothing=0.1), (X3,)))
CASES = [(s, r) for s in SPECS for r in s.reductions]


@pytest.mark.filterwarnings("ignore::UserWarning")
@pytest.mark.parametrize("spec,reduction", CASES, ids=[f"{s.name}-{r}" for s, r in CASES])
def test_matches_torch(spec, reduction):
    parity(lambda *a: spec.fn(ember, reduction, *a), lambda *a: spec.fn(torch, reduction, *a), *spec.arrays)


@pytest.mark.parametrize("spec", SPECS, ids=[s.name for s in SPECS])
def test_gradcheck_gradgradcheck(spec):
    ins = tuple(ember.tensor(a, requires_grad=True) for a in spec.arrays)
    red = "sum" if "sum" in spec.reductions else spec.reductions[-1]
    fn = (lambda *a: spec.fn(ember, red, *a))
    assert ember.autograd.gradcheck(fn, ins, **TOL["gradcheck"])
    assert ember.autograd.gradgradcheck(fn, ins, **TOL["gradcheck"])


@pytest.mark.parametrize("weight,ls,ignore", list(itertools.product([False, True], [0.0, 0.25], [False, True])))
@pytest.mark.parametrize("reduction", ["none", "mean", "sum"])
def test_fused_cross_entropy_equals_staged(weight, ls, ignore, reduction):
    """STYLE S4: fused SoftmaxCrossEntropy == log-softmax + gather twin (value, grad, grad-of-grad)."""
    x0 = X3 * 4
    t = T3.copy()
    if ignore:
        t[0, 1, 1] = -100
    out = []
    for fn in (F.cross_entropy, F.cross_entropy_staged):
        x = ember.tensor(x0, requires_grad=True)
        loss = fn(x, ember.tensor(t), ember.tensor(W) if weight else None, reduction=reduction,
                  label_smoothing=ls)
        (g,) = ember.autograd.grad(loss.sum(), [x], create_graph=True)
        (gg,) = ember.autograd.grad((g * g).sum(), [x])
        out.append((loss.detach(), g.detach(), gg))
    for i, (a, b) in enumerate(zip(*out)):
        assert_close(a, b, **TOL["float64"], name=f"fused vs staged [{i}]")


@given(n=st.integers(1, 6), c=st.integers(2, 6), extra=st.lists(st.integers(1, 3), max_size=2),
       ls=st.sampled_from([0.0, 0.1]), reduction=st.sampled_from(["none", "mean", "sum"]))
def test_cross_entropy_hypothesis(n, c, extra, ls, reduction):
    rng = np.random.default_rng(n * 31 + c)
    x = rng.standard_normal((n, c, *extra)) * 3
    t = rng.integers(0, c, (n, *extra))
    parity(lambda a: F.cross_entropy(a, ember.tensor(t), reduction=reduction, label_smoothing=ls),
           lambda a: torch.nn.functional.cross_entropy(a, torch.tensor(t), reduction=reduction,
                                                       label_smoothing=ls), x)


def test_float32_cross_entropy_and_bce_logits():
    x = (RNG.standard_normal((64, 10)) * 5).astype(np.float32)
    t = RNG.integers(0, 10, 64)
    parity(lambda a: F.cross_entropy(a, ember.tensor(t)),
           lambda a: torch.nn.functional.cross_entropy(a, torch.tensor(t)), x, tol="float32_reduce")
    y = (RNG.random((64, 10)) > 0.5).astype(np.float32)
    parity(lambda a: F.binary_cross_entropy_with_logits(a, ember.tensor(y)),
           lambda a: torch.nn.functional.binary_cross_entropy_with_logits(a, torch.tensor(y)), x,
           tol="float32_reduce")


def test_bce_with_logits_gradient_at_zero_is_exact():
    """The log-sigmoid op gives d/dx = sigmoid(x) - y also at x = 0 (zero-initialized heads)."""
    x = ember.zeros(3, dtype=ember.float64, requires_grad=True)
    F.binary_cross_entropy_with_logits(x, ember.tensor([1.0, 0.0, 1.0]), reduction="sum").backward()
    assert_close(x.grad, np.array([-0.5, 0.5, -0.5]), **TOL["float64"])


MODULES = [
    (lambda L: L.nn.CrossEntropyLoss(weight=L.tensor(W), ignore_index=2, label_smoothing=0.1), (X, T)),
    (lambda L: L.nn.NLLLoss(reduction="sum"), (LOGQ, T)),
    (lambda L: L.nn.BCELoss(weight=L.tensor(W)), (P, B)),
    (lambda L: L.nn.BCEWithLogitsLoss(pos_weight=L.tensor(W)), (X, B)),
    (lambda L: L.nn.KLDivLoss(reduction="batchmean", log_target=True), (LOGQ, LOGQ[::-1].copy())),
    (lambda L: L.nn.L1Loss(), (X, Y)),
    (lambda L: L.nn.MSELoss(reduction="none"), (X, Y)),
    (lambda L: L.nn.SmoothL1Loss(beta=0.5), (X, Y)),
    (lambda L: L.nn.HuberLoss(delta=0.5), (X, Y)),
    (lambda L: L.nn.MultiLabelSoftMarginLoss(weight=L.tensor(W)), (X, B)),
    (lambda L: L.nn.MultiMarginLoss(p=2, margin=0.5), (X, T)),
    (lambda L: L.nn.SoftMarginLoss(), (X, np.sign(Y))),
    (lambda L: L.nn.HingeEmbeddingLoss(margin=0.4), (X, np.sign(Y))),
    (lambda L: L.nn.MarginRankingLoss(margin=0.2), (X[:, 0].copy(), Y[:, 0].copy(), SIGN), 2),
    (lambda L: L.nn.CosineEmbeddingLoss(margin=0.2), (X, Y, SIGN), 2),
    (lambda L: L.nn.TripletMarginLoss(margin=0.5, swap=True), (X, Y, P), 3),
    (lambda L: L.nn.PoissonNLLLoss(full=True), (X, P * 3)),
    (lambda L: L.nn.GaussianNLLLoss(full=True), (X, Y, P), 3),
]


@pytest.mark.parametrize("i", range(len(MODULES)))
def test_modules_match_torch(i):
    make, arrays, *ngrad = MODULES[i]
    me, mt = make(ember), make(torch)
    assert set(me.state_dict()) == set(mt.state_dict())
    parity(me, mt, *arrays, ngrad=ngrad[0] if ngrad else 1)


@pytest.mark.parametrize("fn,args,exc,msg", [
    (F.cross_entropy, (X, np.array([0, 1, 7, 2, 3])), IndexError, "Target 7 is out of bounds."),
    (F.nll_loss, (X, np.array([0, 1, -1, 2, 3])), IndexError, "Target -1 is out of bounds."),
    (F.cross_entropy, (X, np.array([0, 1, 2])), ValueError, r"Expected input batch_size \(5\) to match target batch_size \(3\)"),
    (F.nll_loss, (X, T.astype(np.float64)), RuntimeError, "expected target dtype to be Long or Byte, but got"),
    (F.cross_entropy, (X, T.astype(np.float64)), RuntimeError, "expected target dtype to be Long or Byte"),
    (F.cross_entropy, (X3, T3[:, :2]), RuntimeError, r"size mismatch \(got input: \[2, 4, 3, 2\] , target: \[2, 2, 2\]"),
    (F.nll_loss, (X3[:, :, 0], T3[:, 0, :1]), RuntimeError, r"Expected target size \[2, 2\], got \[2, 1\]"),
    (F.binary_cross_entropy, (P, B[:3]), ValueError, "Using a target size"),
    (F.binary_cross_entropy, (P + 1, B), RuntimeError, "all elements of input should be between 0 and 1"),
    (F.binary_cross_entropy_with_logits, (X, B[:3]), ValueError, "must be the same as input size"),
    (F.mse_loss, (X, Y), ValueError, "not a valid value for reduction", ),
    (F.multi_margin_loss, (X, T), ValueError, "only p == 1 and p == 2 supported"),
    (F.gaussian_nll_loss, (X, Y, P[:2]), ValueError, "var is of incorrect size"),
    (F.gaussian_nll_loss, (X, Y, -P), ValueError, "var has negative entry"),
])
def test_bad_input_like_torch(fn, args, exc, msg):
    kw = {"reduction": "avg"} if fn is F.mse_loss else {"p": 3} if fn is F.multi_margin_loss else {}
    targs = [torch.tensor(a) for a in args]
    eargs = [ember.tensor(a) for a in args]
    with pytest.raises(exc, match=msg):
        fn(*eargs, **kw)
    with pytest.raises(exc, match=msg):  # same type and message as torch
        getattr(torch.nn.functional, fn.__name__)(*targs, **kw)


def test_cross_entropy_weight_and_smoothing_errors():
    with pytest.raises(RuntimeError, match="weight tensor should be defined either for all 4 classes"):
        F.cross_entropy(ember.tensor(X), ember.tensor(T), ember.ones(3, dtype=ember.float64))
    with pytest.raises(RuntimeError, match="label_smoothing must be between 0.0 and 1.0. Got: 1.5"):
        F.cross_entropy(ember.tensor(X), ember.tensor(T), label_smoothing=1.5)


def test_all_ignored_mean_is_nan_like_torch():
    t = np.full(N, -100)
    e = F.cross_entropy(ember.tensor(X), ember.tensor(t)).item()
    assert np.isnan(e) and np.isnan(torch.nn.functional.cross_entropy(torch.tensor(X), torch.tensor(t)).item())


def test_legacy_size_average_reduce():
    for sa, rd in [(False, None), (None, False), (True, True)]:
        with pytest.warns(UserWarning):
            e = F.mse_loss(*pair(X, grad=False)[:1], ember.tensor(Y), size_average=sa, reduce=rd)
        t = torch.nn.functional.mse_loss(torch.tensor(X), torch.tensor(Y), size_average=sa, reduce=rd)
        assert_close(e, t, **TOL["float64"])


# --- losses the notes need that torch lacks (TOPICS 1.7) ------------------------------------------
def _torchvision_sigmoid_focal_loss(inputs, targets, alpha=0.25, gamma=2.0, reduction="none"):
    """torchvision.ops.sigmoid_focal_loss's documented formula, written with torch (no torchvision)."""
    p = torch.sigmoid(inputs)
    ce = torch.nn.functional.binary_cross_entropy_with_logits(inputs, targets, reduction="none")
    p_t = p * targets + (1 - p) * (1 - targets)
    loss = ce * ((1 - p_t) ** gamma)
    if alpha >= 0:
        loss = (alpha * targets + (1 - alpha) * (1 - targets)) * loss
    return {"none": loss, "mean": loss.mean(), "sum": loss.sum()}[reduction]


@pytest.mark.parametrize("alpha,gamma,reduction", [(0.25, 2.0, "none"), (-1, 0.0, "mean"), (0.7, 1.5, "sum")])
def test_sigmoid_focal_loss_matches_torchvision_formula(alpha, gamma, reduction):
    from ember.vision.ops import sigmoid_focal_loss

    parity(lambda x: sigmoid_focal_loss(x, ember.tensor(B), alpha, gamma, reduction),
           lambda x: _torchvision_sigmoid_focal_loss(x, torch.tensor(B), alpha, gamma, reduction), X * 3)
    with pytest.raises(ValueError, match="Invalid Value for arg 'reduction'"):
        sigmoid_focal_loss(ember.tensor(X), ember.tensor(B), reduction="avg")


@pytest.mark.parametrize("alpha", [None, 0.5, "tensor"])
@pytest.mark.parametrize("reduction", ["none", "mean", "sum"])
def test_focal_loss_formula(alpha, reduction):
    def torch_focal(x):
        logp = torch.log_softmax(x, 1)
        valid = torch.tensor(T_IGN != -100)
        t = torch.tensor(np.where(T_IGN == -100, 0, T_IGN))
        lp = logp.gather(1, t[:, None])[:, 0]
        loss = -(1 - lp.exp()) ** 2.0 * lp
        if alpha is not None:
            loss = loss * (torch.tensor(W)[t] if alpha == "tensor" else alpha)
        loss = loss * valid
        return {"none": loss, "sum": loss.sum(), "mean": loss.sum() / valid.sum()}[reduction]

    a = ember.tensor(W) if alpha == "tensor" else alpha
    parity(lambda x: F.focal_loss(x, ember.tensor(T_IGN), a, 2.0, reduction=reduction), torch_focal, X * 2)


def test_focal_gamma0_is_cross_entropy_and_module():
    x, t = ember.tensor(X), ember.tensor(T)
    assert_close(F.focal_loss(x, t, gamma=0.0), F.cross_entropy(x, t), **TOL["float64"])
    assert_close(nn.FocalLoss(gamma=0.0)(x, t), F.cross_entropy(x, t), **TOL["float64"])
    with pytest.raises(ValueError, match="gamma must be non-negative"):
        nn.FocalLoss(gamma=-1)


def test_js_divergence():
    p, q = ember.tensor(P / P.sum(1, keepdims=True)), ember.tensor(np.exp(LOGQ))
    m = 0.5 * (P / P.sum(1, keepdims=True) + np.exp(LOGQ))
    kl = lambda a, b: (a * np.log(a / b)).sum(1)  # noqa: E731
    expect = 0.5 * kl(p.numpy(), m) + 0.5 * kl(q.numpy(), m)
    assert_close(F.js_div(p, q, reduction="none"), expect, **TOL["float64"])
    assert_close(F.js_div(q, p, reduction="none"), expect, **TOL["float64"], name="symmetry")
    disjoint = F.js_div(ember.tensor([[0.5, 0.5, 0.0, 0.0]], dtype=ember.float64),
                        ember.tensor([[0.0, 0.0, 0.3, 0.7]], dtype=ember.float64))
    assert_close(disjoint, np.log(2.0), **TOL["float64"], name="saturates at log 2")


def test_gan_and_wasserstein_losses():
    r, f = X[:, 0].copy(), Y[:, 0].copy()
    bce = torch.nn.functional.binary_cross_entropy_with_logits
    tr, tf = torch.tensor(r), torch.tensor(f)
    d = bce(tr, torch.ones(N, dtype=torch.float64)) + bce(tf, torch.zeros(N, dtype=torch.float64))
    assert_close(F.gan_discriminator_loss(ember.tensor(r), ember.tensor(f)), d, **TOL["float64"])
    assert_close(F.gan_generator_loss(ember.tensor(f)), bce(tf, torch.ones(N, dtype=torch.float64)),
                 **TOL["float64"])
    assert_close(F.gan_generator_loss(ember.tensor(f), non_saturating=False),
                 torch.log(1 - torch.sigmoid(tf)).mean(), **TOL["float64"])
    assert_close(F.wasserstein_critic_loss(ember.tensor(r), ember.tensor(f)), f.mean() - r.mean(), **TOL["float64"])
    assert_close(F.wasserstein_generator_loss(ember.tensor(f)), -f.mean(), **TOL["float64"])


def test_distillation_loss():
    s, t = X * 2, Y * 2
    T_, a = 3.0, 0.7
    ts, tt = torch.tensor(s), torch.tensor(t)
    kl = torch.nn.functional.kl_div(torch.log_softmax(ts / T_, 1), torch.log_softmax(tt / T_, 1),
                                    reduction="batchmean", log_target=True)
    expect = a * T_ ** 2 * kl + (1 - a) * torch.nn.functional.cross_entropy(ts, torch.tensor(T))
    assert_close(F.distillation_loss(ember.tensor(s), ember.tensor(t), ember.tensor(T), T_, a), expect,
                 **TOL["float64"])


@pytest.mark.parametrize("fn", [
    lambda x: F.focal_loss(x, ember.tensor(T), 0.25),
    lambda x: F.js_div(x.softmax(1), ember.tensor(np.exp(LOGQ))),
    lambda x: F.gan_discriminator_loss(x[:, 0], x[:, 1]),
    lambda x: F.distillation_loss(x, ember.tensor(Y), ember.tensor(T)),
], ids=["focal", "js", "gan", "distill"])
def test_extra_losses_gradgradcheck(fn):
    x = ember.tensor(X, requires_grad=True)
    assert ember.autograd.gradcheck(fn, (x,), **TOL["gradcheck"])
    assert ember.autograd.gradgradcheck(fn, (x,), **TOL["gradcheck"])
