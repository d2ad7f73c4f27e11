"""Activations: forward/backward parity with torch for every F function and option (an OpSpec
table), float64 gradcheck/gradgradcheck, modules (repr, state_dict), in-place variants, errors."""
from dataclasses import dataclass
from typing import Any, Callable

import numpy as np
import pytest
import torch

import ember
import ember.nn as nn
from _helpers_a import from_torch_sd, run_parity
from tolerances import TOL, assert_close


@dataclass(frozen=True)
class OpSpec:
    name: str
    fn: Callable[[Any, Any], Any]  # fn(F, x) for F in (ember.nn.functional, torch.nn.functional)
    domain: tuple = (-4.0, 4.0)
    gradgrad: bool = True  # False for piecewise-linear functions (second derivative 0 a.e.)
    tol64: str = "float64"


OPS = [
    OpSpec("relu", lambda F, x: F.relu(x), gradgrad=False),
    OpSpec("relu6", lambda F, x: F.relu6(x * 3), gradgrad=False),
    OpSpec("leaky_relu", lambda F, x: F.leaky_relu(x, 0.2), gradgrad=False),
    OpSpec("elu", lambda F, x: F.elu(x, alpha=0.7)),
    OpSpec("selu", lambda F, x: F.selu(x)),
    OpSpec("celu", lambda F, x: F.celu(x, alpha=1.5)),
    OpSpec("gelu", lambda F, x: F.gelu(x)),
    OpSpec("gelu_tanh", lambda F, x: F.gelu(x, approximate="tanh")),
    OpSpec("sigmoid", lambda F, x: F.sigmoid(x)),
    OpSpec("tanh", lambda F, x: F.tanh(x)),
    OpSpec("hardtanh", lambda F, x: F.hardtanh(x, -0.5, 2.0), gradgrad=False),
    # torch's float64 hardsigmoid backward multiplies by the float32 literal 1.0f/6.0f (rel 3e-8)
    OpSpec("hardsigmoid", lambda F, x: F.hardsigmoid(x), gradgrad=False, tol64="float32"),
    OpSpec("hardswish", lambda F, x: F.hardswish(x)),
    OpSpec("silu", lambda F, x: F.silu(x)),
    OpSpec("mish", lambda F, x: F.mish(x)),
    OpSpec("softplus", lambda F, x: F.softplus(x)),
    OpSpec("softplus_beta_threshold", lambda F, x: F.softplus(x, beta=2.0, threshold=3.0)),
    OpSpec("softplus_large", lambda F, x: F.softplus(x * 30)),
    OpSpec("softsign", lambda F, x: F.softsign(x)),
    OpSpec("softmax", lambda F, x: F.softmax(x, dim=-1)),
    OpSpec("softmax_dim0", lambda F, x: F.softmax(x, dim=0)),
    OpSpec("log_softmax", lambda F, x: F.log_softmax(x, dim=1)),
    OpSpec("softmin", lambda F, x: F.softmin(x, dim=1)),
    OpSpec("threshold", lambda F, x: F.threshold(x, 0.3, -2.0), gradgrad=False),
    OpSpec("glu", lambda F, x: F.glu(x, dim=-1)),
    OpSpec("glu_dim0", lambda F, x: F.glu(x, 0)),
    OpSpec("logsigmoid", lambda F, x: F.logsigmoid(x)),
    # torch evaluates log-sigmoid through exp(-|x|) buffers: round-off differs at |x| ~ 100
    OpSpec("logsigmoid_large", lambda F, x: F.logsigmoid(x * 30), tol64="float64_reduce"),
    OpSpec("tanhshrink", lambda F, x: F.tanhshrink(x)),
    OpSpec("softshrink", lambda F, x: F.softshrink(x, 0.7), gradgrad=False),
    OpSpec("hardshrink", lambda F, x: F.hardshrink(x), gradgrad=False),
]


def _x(spec, dtype=np.float32, shape=(4, 6)):
    lo, hi = spec.domain
    x = np.random.default_rng(len(spec.name)).uniform(lo, hi, shape)
    # keep clear of kinks (0, +-3, thresholds) where subgradient conventions may differ
    kinks = np.array([0.0, 0.3, 0.5, 0.7, 1.0, 2.0, 3.0, 6.0, 20.0])
    scaled = np.abs(x)[..., None, None] * np.array([1.0, 2.0, 3.0, 30.0])[:, None]
    assert np.abs(scaled - kinks).min() > 1e-4  # deterministic draw: fails loudly if a seed changes
    return x.astype(dtype)


@pytest.mark.parametrize("spec", OPS, ids=lambda s: s.name)
def test_forward_backward_match_torch(spec):
    run_parity(lambda x: spec.fn(ember.nn.functional, x), lambda x: spec.fn(torch.nn.functional, x),
               _x(spec), tol="float32")


@pytest.mark.parametrize("spec", OPS, ids=lambda s: s.name)
def test_float64_matches_torch(spec):
    run_parity(lambda x: spec.fn(ember.nn.functional, x), lambda x: spec.fn(torch.nn.functional, x),
               _x(spec, np.float64), tol=spec.tol64)


@pytest.mark.parametrize("spec", OPS, ids=lambda s: s.name)
def test_gradcheck(spec):
    x = ember.tensor(_x(spec, np.float64, (4, 4)), requires_grad=True)
    f = lambda t: spec.fn(ember.nn.functional, t)  # noqa: E731
    assert ember.autograd.gradcheck(f, (x,), **TOL["gradcheck"])
    if spec.gradgrad:
        assert ember.autograd.gradgradcheck(f, (x,), **TOL["gradcheck"])


def test_prelu_parity_per_channel_and_shared():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((2, 3, 4)).astype(np.float32)
    for n in (1, 3):
        t = torch.nn.PReLU(n, init=0.1)
        with torch.no_grad():
            t.weight.copy_(torch.linspace(0.05, 0.4, n))
        e = nn.PReLU(n)
        e.load_state_dict(from_torch_sd(t))
        xe, xt = ember.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
        ye, yt = e(xe), t(xt)
        assert_close(ye, yt, **TOL["float32"])
        g = rng.standard_normal(yt.shape).astype(np.float32)
        (ye * ember.tensor(g)).sum().backward()
        (yt * torch.tensor(g)).sum().backward()
        assert_close(xe.grad, xt.grad, **TOL["float32"])
        assert_close(e.weight.grad, t.weight.grad, **TOL["float32_reduce"])
    with pytest.raises(RuntimeError, match="Mismatch of parameter numbers"):
        nn.PReLU(4)(ember.randn(2, 3))


MODULES = [
    ("ReLU", (), {"inplace": True}), ("ReLU6", (), {}), ("LeakyReLU", (0.2,), {}), ("ELU", (), {"alpha": 0.5}),
    ("SELU", (), {}), ("CELU", (2.0,), {}), ("GELU", (), {"approximate": "tanh"}), ("Sigmoid", (), {}),
    ("Tanh", (), {}), ("Hardtanh", (-2.0, 2.0), {}), ("Hardsigmoid", (), {}), ("Hardswish", (), {}),
    ("SiLU", (), {}), ("Mish", (), {}), ("Softplus", (), {"beta": 2.0, "threshold": 10.0}), ("Softsign", (), {}),
    ("Softmax", (), {"dim": 1}), ("LogSoftmax", (1,), {}), ("Softmin", (), {"dim": -1}),
    ("Threshold", (0.1, 20.0), {}), ("GLU", (), {}), ("LogSigmoid", (), {}), ("Tanhshrink", (), {}),
    ("Softshrink", (0.3,), {}), ("Hardshrink", (), {}), ("PReLU", (), {}),
]


@pytest.mark.parametrize("name,args,kwargs", MODULES, ids=[m[0] for m in MODULES])
def test_modules_match_torch(name, args, kwargs):
    e, t = getattr(nn, name)(*args, **kwargs), getattr(torch.nn, name)(*args, **kwargs)
    assert repr(e) == repr(t)
    assert list(e.state_dict()) == list(t.state_dict())
    x = np.random.default_rng(1).uniform(-3, 3, (4, 6)).astype(np.float32)
    xe, xt = ember.tensor(x), torch.tensor(x)
    assert_close(e(xe), t(xt), **TOL["float32"])


@pytest.mark.parametrize("fn", ["relu", "relu6", "leaky_relu", "elu", "selu", "celu", "hardtanh",
                                "hardsigmoid", "hardswish", "silu", "mish"])
def test_inplace_writes_input_and_keeps_gradient(fn):
    x = np.random.default_rng(2).uniform(-3, 3, (5,)).astype(np.float64)
    le, lt = ember.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    he, ht = le * 1.5, lt * 1.5  # in-place on a non-leaf, as torch allows
    oe = getattr(ember.nn.functional, fn)(he, inplace=True)
    ot = getattr(torch.nn.functional, fn)(ht, inplace=True)
    assert oe is he
    tol = "float32" if fn == "hardsigmoid" else "float64"  # torch's kernel uses the float 1.0f/6.0f
    assert_close(he, ht.detach(), **TOL[tol])
    oe.sum().backward(), ot.sum().backward()
    assert_close(le.grad, lt.grad, **TOL[tol])
    with pytest.raises(RuntimeError, match="leaf Variable"):
        getattr(ember.nn.functional, fn)(ember.ones(2, requires_grad=True), inplace=True)


def test_underscore_variants():
    x = ember.tensor([-1.0, 2.0])
    F = ember.nn.functional
    assert F.relu_(x) is x and x.tolist() == [0.0, 2.0]
    y = ember.tensor([-1.0, 2.0])
    F.threshold_(y, 0.0, 5.0)
    assert y.tolist() == [5.0, 2.0]


def test_softmax_implicit_dim_warns_like_torch():
    x = np.random.default_rng(3).standard_normal((2, 3)).astype(np.float32)
    with pytest.warns(UserWarning, match="Implicit dimension"):
        ye = ember.nn.functional.softmax(ember.tensor(x))
    with pytest.warns(UserWarning):
        yt = torch.nn.functional.softmax(torch.tensor(x))
    assert_close(ye, yt, **TOL["float32"])


def test_activation_errors():
    F = ember.nn.functional
    with pytest.raises(RuntimeError, match="must be even"):
        F.glu(ember.randn(2, 3))
    with pytest.raises(RuntimeError, match="approximate"):
        F.gelu(ember.randn(2), approximate="fast")
    with pytest.raises(RuntimeError, match="lambda must be greater or equal to 0"):
        F.softshrink(ember.randn(2), -1.0)
    with pytest.raises(ValueError, match="min_val"):
        nn.Hardtanh(1.0, -1.0)


def test_maxout_is_max_over_affine_pieces():
    m = nn.Maxout(3, 2, num_pieces=4)
    x = ember.randn(5, 3)
    z = (x @ m.linear.weight.detach().mT + m.linear.bias.detach()).numpy().reshape(5, 2, 4)
    assert_close(m(x), z.max(-1), **TOL["float32"])
    assert list(m.state_dict()) == ["linear.weight", "linear.bias"]
    xx = ember.randn(2, 6, 3, dtype=ember.float64, requires_grad=True)
    assert ember.autograd.gradcheck(lambda t: ember.nn.functional.maxout(t, 3, dim=1), (xx,),
                                    **TOL["gradcheck"])
    with pytest.raises(ValueError, match="not divisible"):
        ember.nn.functional.maxout(ember.randn(2, 5), 2)
