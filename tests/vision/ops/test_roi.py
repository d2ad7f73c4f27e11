"""roi_align / roi_pool / SPP / IoU losses vs torchvision golden fixtures (tests/fixtures,
made by make_torchvision_fixtures.py with torchvision 0.29.1), gradcheck and properties."""
from __future__ import annotations

import os

import numpy as np
import pytest

import ember
from ember.vision import ops
from tolerances import TOL, assert_close

FIX = os.path.join(os.path.dirname(__file__), "..", "..", "fixtures", "torchvision_ops.npz")


@pytest.fixture(scope="module")
def fx():
    with np.load(FIX, allow_pickle=False) as f:
        return dict(f)


ALIGN = {"align_a0_s-1": dict(output_size=(3, 4), spatial_scale=0.5, sampling_ratio=-1, aligned=False),
         "align_a1_s-1": dict(output_size=(3, 4), spatial_scale=0.5, sampling_ratio=-1, aligned=True),
         "align_a0_s2": dict(output_size=(2, 2), spatial_scale=0.5, sampling_ratio=2, aligned=False),
         "align_a1_s2": dict(output_size=(5, 3), spatial_scale=0.5, sampling_ratio=2, aligned=True)}


def _check_roi(fx, name, fn, kwargs):
    x = ember.tensor(fx["roi_x"], requires_grad=True)
    y = fn(x, ember.tensor(fx["roi_boxes"]), **kwargs)
    assert_close(y, fx[f"roi_{name}_y"], **TOL["float64"], name=f"{name} forward")
    (y * ember.tensor(fx[f"roi_{name}_g"])).sum().backward()
    assert_close(x.grad, fx[f"roi_{name}_dx"], **TOL["float64"], name=f"{name} grad")


@pytest.mark.parametrize("name", list(ALIGN))
def test_roi_align_matches_torchvision(fx, name):
    _check_roi(fx, name, ops.roi_align, ALIGN[name])


def test_roi_pool_matches_torchvision(fx):
    _check_roi(fx, "pool", ops.roi_pool, dict(output_size=(3, 2), spatial_scale=0.5))


def test_roi_align_list_of_boxes_and_module():
    x = ember.randn(2, 2, 8, 8)
    boxes = [ember.tensor([[1.0, 1.0, 5.0, 6.0]]), ember.tensor([[0.0, 2.0, 7.0, 7.0], [2, 2, 3, 3.0]])]
    a = ops.roi_align(x, boxes, 2, 1.0, 2)
    cat = ember.tensor([[0, 1.0, 1.0, 5.0, 6.0], [1, 0.0, 2.0, 7.0, 7.0], [1, 2, 2, 3, 3.0]])
    assert ember.allclose(a, ops.RoIAlign(2, 1.0, 2)(x, cat))
    assert "sampling_ratio=2" in repr(ops.RoIAlign(2, 1.0, 2))


def test_roi_align_gradcheck_and_gradgradcheck():
    x = ember.tensor(np.random.default_rng(0).standard_normal((1, 2, 6, 5)), requires_grad=True)
    b = ember.tensor([[0, 0.5, 0.7, 4.2, 5.1], [0, 1.0, 1.0, 3.0, 2.0]], dtype=ember.float64)
    f = lambda t: ops.roi_align(t, b, (2, 2), 1.0, 2, True)  # noqa: E731
    assert ember.autograd.gradcheck(f, (x,), **TOL["gradcheck"])
    assert ember.autograd.gradgradcheck(f, (x,), **TOL["gradcheck"])


def test_roi_pool_gradient_goes_to_argmax_only():
    x = ember.zeros(1, 1, 4, 4, requires_grad=False)
    x[0, 0, 1, 2] = 5.0
    x.requires_grad_()
    y = ops.roi_pool(x, ember.tensor([[0, 0.0, 0.0, 3.0, 3.0]]), 1)
    assert y.item() == 5.0
    y.sum().backward()
    assert x.grad.sum().item() == 1.0 and x.grad[0, 0, 1, 2].item() == 1.0


def test_roi_bad_input():
    with pytest.raises(ValueError, match=r"Tensor\[K, 5\]"):
        ops.roi_align(ember.randn(1, 1, 4, 4), ember.ones(3, 4), 2)
    with pytest.raises(ValueError, match="batch ind"):
        ops.roi_pool(ember.randn(1, 1, 4, 4), ember.tensor([[3, 0.0, 0, 2, 2]]), 2)


@pytest.mark.parametrize("hw", [(7, 7), (13, 29), (40, 21)])
def test_spp_fixed_length_for_any_size(hw):
    x = ember.randn(2, 3, *hw, requires_grad=True)
    spp = ops.SpatialPyramidPooling((1, 2, 4))
    y = spp(x)
    assert tuple(y.shape) == (2, spp.output_features(3))
    y.sum().backward()
    # max pooling: each cell routes its gradient to exactly one position
    assert x.grad.sum().item() == pytest.approx(2 * 3 * 21)


def test_spp_level_one_equals_global_max():
    x = ember.randn(1, 4, 9, 11)
    assert ember.allclose(ops.spatial_pyramid_pool(x, (1,)), x.amax((2, 3)))
    with pytest.raises(ValueError, match="smaller than the finest level"):
        ops.spatial_pyramid_pool(ember.randn(1, 1, 3, 3), (4,))


@pytest.mark.parametrize("name,fn", [("giou", ops.generalized_box_iou_loss),
                                     ("diou", ops.distance_box_iou_loss),
                                     ("ciou", ops.complete_box_iou_loss)])
def test_iou_losses_match_torchvision(fx, name, fn):
    t1 = ember.tensor(fx["box_b1"][:5], requires_grad=True)
    t2 = ember.tensor(fx["box_b2"], requires_grad=True)
    loss = fn(t1, t2, reduction="sum")
    assert_close(loss, fx[f"loss_{name}"], **TOL["float64"])
    loss.backward()
    assert_close(t1.grad, fx[f"loss_{name}_d1"], **TOL["float64"])
    assert_close(t2.grad, fx[f"loss_{name}_d2"], **TOL["float64"])


def test_iou_loss_zero_for_identical_boxes():
    b = ember.tensor([[0.0, 0.0, 2.0, 3.0]])
    assert ops.generalized_box_iou_loss(b, b).item() == pytest.approx(0.0, abs=1e-6)
    with pytest.raises(ValueError, match="reduction"):
        ops.generalized_box_iou_loss(b, b, reduction="avg")
