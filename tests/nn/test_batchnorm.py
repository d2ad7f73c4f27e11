"""BatchNorm1d/2d/3d and F.batch_norm vs torch 2.13; fused op vs staged twin; running stats."""
from __future__ import annotations

import itertools

import numpy as np
import pytest
import torch
from hypothesis import given, strategies as st

import ember
import ember.nn as nn
import ember.nn.functional as F
from _helpers_c import pair, parity, sd_from_torch
from tolerances import TOL, assert_close

SHAPES = {1: [(6, 3), (5, 3, 4)], 2: [(4, 3, 5, 2)], 3: [(2, 3, 2, 3, 2)]}
OPTIONS = list(itertools.product([True, False], [True, False], [0.1, None, 0.6], [True, False]))


@pytest.mark.parametrize("dim", [1, 2, 3])
@pytest.mark.parametrize("affine,track,momentum,bias", OPTIONS)
def test_module_steps_match_torch(dim, affine, track, momentum, bias):
    """Three train steps, then eval: outputs, grads, running stats and counter match torch."""
    cls_e, cls_t = getattr(nn, f"BatchNorm{dim}d"), getattr(torch.nn, f"BatchNorm{dim}d")
    kw = dict(affine=affine, track_running_stats=track, momentum=momentum, bias=bias)
    mt = cls_t(3, dtype=torch.float64, **kw)
    me = cls_e(3, dtype=ember.float64, **kw)
    if affine:
        with torch.no_grad():
            mt.weight.uniform_(0.5, 1.5)
            if bias:
                mt.bias.uniform_(-1, 1)
    me.load_state_dict(sd_from_torch(mt))
    rng = np.random.default_rng(dim)
    for shape in SHAPES[dim]:
        for _ in range(3):
            x = rng.standard_normal(shape) * 2 + 1
            parity(me, mt, x)
        for name, buf in mt.named_buffers():
            assert_close(getattr(me, name), buf, **TOL["float64"], name=name)
    me.eval(), mt.eval()
    parity(me, mt, rng.standard_normal(SHAPES[dim][0]))
    assert list(me.state_dict()) == list(mt.state_dict())


def test_momentum_none_is_cumulative_average():
    m = nn.BatchNorm1d(2, momentum=None, dtype=ember.float64)
    rng = np.random.default_rng(0)
    xs = [rng.standard_normal((8, 2)) + i for i in range(4)]
    for x in xs:
        m(ember.tensor(x))
    expect_mean = np.mean([x.mean(0) for x in xs], axis=0)
    expect_var = np.mean([x.var(0, ddof=1) for x in xs], axis=0)  # unbiased running variance
    assert_close(m.running_mean, expect_mean, **TOL["float64"], name="running_mean")
    assert_close(m.running_var, expect_var, **TOL["float64"], name="running_var")
    assert m.num_batches_tracked.item() == 4


def test_eval_output_independent_of_batch():
    m = nn.BatchNorm2d(3, dtype=ember.float64)
    rng = np.random.default_rng(1)
    for _ in range(3):
        m(ember.tensor(rng.standard_normal((4, 3, 2, 2))))
    m.eval()
    x = rng.standard_normal((5, 3, 2, 2))
    full = m(ember.tensor(x)).detach().numpy()
    alone = m(ember.tensor(x[2:3])).detach().numpy()
    assert np.array_equal(full[2:3], alone)


@pytest.mark.parametrize("shape", [(5, 3), (4, 2, 3), (3, 2, 2, 3)])
@pytest.mark.parametrize("affine", [True, False])
def test_fused_equals_staged(shape, affine):
    """STYLE S4: fused NormalizeAffine op == primitive-op staged BN, value, grad and grad-of-grad."""
    rng = np.random.default_rng(len(shape))
    x = rng.standard_normal(shape) * 3 + 2
    c = shape[1]
    w = rng.uniform(0.5, 2, c) if affine else None
    b = rng.standard_normal(c) if affine else None
    g = ember.tensor(rng.standard_normal(shape))
    results = []
    for staged in (False, True):
        xs = ember.tensor(x, requires_grad=True)
        ps = [ember.tensor(p, requires_grad=True) for p in (w, b) if p is not None]
        y = F.batch_norm_staged(xs, *ps) if staged else F.batch_norm(xs, None, None, *ps, training=True)
        grads = ember.autograd.grad(y, [xs, *ps], g, create_graph=True)
        gg = ember.autograd.grad((grads[0] ** 2).sum(), [xs, *ps], allow_unused=True)
        results.append([y, *grads, *[t for t in gg if t is not None]])
    for i, (a, s) in enumerate(zip(*results)):
        assert_close(a.detach(), s.detach(), **TOL["float64"], name=f"fused vs staged [{i}]")


@pytest.mark.parametrize("training", [True, False])
def test_gradcheck_and_gradgradcheck(training):
    rng = np.random.default_rng(2)
    x = ember.tensor(rng.standard_normal((4, 3, 2)), requires_grad=True)
    w = ember.tensor(rng.uniform(0.5, 1.5, 3), requires_grad=True)
    b = ember.tensor(rng.standard_normal(3), requires_grad=True)
    rm, rv = ember.tensor(rng.standard_normal(3)), ember.tensor(rng.uniform(0.5, 2, 3))
    fn = (lambda a, ww, bb: F.batch_norm(a, rm.clone(), rv.clone(), ww, bb, training=training))
    assert ember.autograd.gradcheck(fn, (x, w, b), **TOL["gradcheck"])
    assert ember.autograd.gradgradcheck(fn, (x, w, b), **TOL["gradcheck"])


@given(n=st.integers(2, 6), c=st.integers(1, 4), rest=st.lists(st.integers(1, 3), max_size=2),
       eps=st.sampled_from([1e-5, 1e-3, 0.1]), momentum=st.floats(0.0, 1.0))
def test_functional_matches_torch_hypothesis(n, c, rest, eps, momentum):
    shape = (n, c, *rest)
    rng = np.random.default_rng(n * 7 + c)
    x, w, b = rng.standard_normal(shape), rng.standard_normal(c), rng.standard_normal(c)
    rme, rmt = pair(np.zeros(c), grad=False)
    rve, rvt = pair(np.ones(c), grad=False)
    parity(lambda a, ww, bb: F.batch_norm(a, rme, rve, ww, bb, True, momentum, eps),
           lambda a, ww, bb: torch.nn.functional.batch_norm(a, rmt, rvt, ww, bb, True, momentum, eps),
           x, w, b)
    assert_close(rme, rmt, **TOL["float64"], name="running_mean")
    assert_close(rve, rvt, **TOL["float64"], name="running_var")


def test_float32_matches_torch():
    x = np.random.default_rng(3).standard_normal((16, 4, 5, 5)).astype(np.float32)
    mt, me = torch.nn.BatchNorm2d(4), nn.BatchNorm2d(4)
    parity(me, mt, x, tol="float32_reduce")
    assert me(ember.tensor(x)).dtype == ember.float32


def test_load_old_state_dict_without_counter():
    mt = torch.nn.BatchNorm1d(3)
    sd = {k: v for k, v in sd_from_torch(mt).items() if k != "num_batches_tracked"}
    m = nn.BatchNorm1d(3)
    m.load_state_dict(sd)
    assert m.num_batches_tracked.item() == 0


def test_parameter_count_matches_notes():
    """TOPICS 1.5: 2*C learnable parameters + 2*C running buffers."""
    m = nn.BatchNorm2d(16)
    assert sum(p.numel() for p in m.parameters()) == 32
    assert m.running_mean.numel() + m.running_var.numel() == 32


@pytest.mark.parametrize("cls,shape,msg", [
    (nn.BatchNorm1d, (2, 3, 4, 5), "expected 2D or 3D input (got 4D input)"),
    (nn.BatchNorm2d, (2, 3, 4), "expected 4D input (got 3D input)"),
    (nn.BatchNorm3d, (2, 3, 4, 4), "expected 5D input (got 4D input)"),
    (nn.BatchNorm1d, (1, 3), "Expected more than 1 value per channel when training"),
    (nn.BatchNorm1d, (4, 5), "expected input with 3 channels"),
])
def test_bad_input(cls, shape, msg):
    with pytest.raises(ValueError, match=msg.replace("(", r"\(").replace(")", r"\)")):
        cls(3)(ember.randn(*shape))


def test_bad_constructor_args():
    with pytest.raises(ValueError, match="num_features"):
        nn.BatchNorm1d(0)
    with pytest.raises(ValueError, match="momentum"):
        nn.BatchNorm1d(3, momentum=1.5)
    with pytest.raises(ValueError, match="running_mean must have shape"):
        F.batch_norm(ember.randn(4, 3), ember.zeros(2), ember.ones(3), training=True)
