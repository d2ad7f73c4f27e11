"""deform_conv2d vs golden fixtures of torchvision's kernel formula, gradients, C086 properties."""
from __future__ import annotations

import os

import numpy as np
import pytest
from tolerances import TOL, assert_close

import ember
import ember.nn.functional as F
from ember.vision.ops import DeformConv2d, deform_conv2d

FIX = os.path.join(os.path.dirname(__file__), "..", "..", "fixtures", "deform_conv2d.npz")


def _cases():
    with np.load(FIX, allow_pickle=False) as z:
        data = {k: z[k] for k in z.files}
    return [{k.split("_", 1)[1]: v for k, v in data.items() if k.startswith(f"{t}_")}
            for t in sorted({int(k.split("_")[0]) for k in data})]


@pytest.mark.parametrize("case", _cases(), ids=lambda c: f"cfg{c['cfg'].tolist()}")
def test_matches_torchvision_formula_fixtures(case):
    s, p, d = case["cfg"][:2], case["cfg"][2:4], case["cfg"][4:]
    t = {k: ember.tensor(v) for k, v in case.items() if k != "cfg"}
    y = deform_conv2d(t["x"], t["offset"], t["weight"], t["bias"], tuple(s), tuple(p), tuple(d),
                      t.get("mask"))
    assert_close(y, case["out"], **TOL["float64_reduce"], name="deform_conv2d")


def test_zero_offsets_equal_conv2d_and_integer_offsets_shift():
    rng = np.random.default_rng(0)
    x, w = ember.tensor(rng.standard_normal((2, 4, 6, 7))), ember.tensor(rng.standard_normal((6, 2, 3, 3)))
    off = ember.zeros(2, 2 * 9, 3, 4, dtype=ember.float64)
    assert_close(deform_conv2d(x, off, w, None, 2, 1), F.conv2d(x, w, None, 2, 1, 1, 2), **TOL["float64"])
    # every tap displaced by (+1 row, -1 col) = ordinary conv of the image shifted by that amount
    o = np.zeros((2, 18, 4, 5))
    o[:, 0::2], o[:, 1::2] = 1.0, -1.0
    y = deform_conv2d(x, ember.tensor(o), w, padding=0)
    xs = np.zeros_like(x.numpy())
    xs[:, :, :-1, 1:] = x.numpy()[:, :, 1:, :-1]
    assert_close(y, F.conv2d(ember.tensor(xs), w, None, 1, 0, 1, 2), **TOL["float64"])


def test_gradcheck_and_gradgradcheck_all_inputs():
    rng = np.random.default_rng(1)
    ts = [ember.tensor(a, requires_grad=True) for a in (
        rng.standard_normal((1, 2, 5, 5)), rng.standard_normal((2, 2, 2, 2)),
        rng.uniform(-1.5, 1.5, (1, 8, 4, 4)) + 0.123, rng.uniform(0, 1, (1, 4, 4, 4)))]
    fn = lambda x, w, o, m: deform_conv2d(x, o, w, mask=m)
    assert ember.autograd.gradcheck(fn, ts, **TOL["gradcheck"])
    assert ember.autograd.gradgradcheck(fn, ts, **TOL["gradcheck"])


def test_module_and_errors():
    m = DeformConv2d(4, 6, 3, padding=1, groups=2)
    assert tuple(m.weight.shape) == (6, 2, 3, 3)
    assert tuple(m(ember.randn(2, 4, 5, 5), ember.zeros(2, 18, 5, 5)).shape) == (2, 6, 5, 5)
    with pytest.raises(RuntimeError, match="multiple of 2 \\* weight.size"):
        deform_conv2d(ember.randn(1, 2, 5, 5), ember.zeros(1, 7, 3, 3), ember.randn(2, 2, 3, 3))
    with pytest.raises(RuntimeError, match="offset output dims"):
        deform_conv2d(ember.randn(1, 2, 5, 5), ember.zeros(1, 18, 4, 4), ember.randn(2, 2, 3, 3))
