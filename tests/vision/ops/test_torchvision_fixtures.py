"""box_iou / generalized / distance / complete IoU and nms vs torchvision 0.29.1 golden outputs
(tests/fixtures/make_torchvision_fixtures.py)."""
from __future__ import annotations

import os

import numpy as np
import pytest

from ember.vision import ops
from tolerances import TOL, assert_close

FIX = os.path.join(os.path.dirname(__file__), "..", "..", "fixtures", "torchvision_ops.npz")


@pytest.fixture(scope="module")
def fx():
    with np.load(FIX, allow_pickle=False) as f:
        return dict(f)


@pytest.mark.parametrize("name,fn", [("box_iou", ops.box_iou), ("box_giou", ops.generalized_box_iou),
                                     ("box_diou", ops.distance_box_iou),
                                     ("box_ciou", ops.complete_box_iou)])
def test_pairwise_iou_family(fx, name, fn):
    assert_close(np.asarray(fn(fx["box_b1"], fx["box_b2"])), fx[name], **TOL["float64"])


def test_nms_keeps_same_indices(fx):
    keep = np.asarray(ops.nms(fx["box_b1"], fx["nms_scores"], 0.3))
    np.testing.assert_array_equal(keep, fx["nms_keep_0.3"])


@pytest.mark.parametrize("case", [0, 1, 2])
def test_deform_conv2d_matches_torchvision(fx, case):
    import ember

    p = f"deform{case}_"
    stride, padding, dilation, groups, og, has_mask = (int(v) for v in fx[p + "params"])
    names = ["x", "offset", "weight", "bias"] + (["mask"] if has_mask else [])
    t = {n: ember.tensor(fx[p + n], requires_grad=True) for n in names}
    y = ops.deform_conv2d(t["x"], t["offset"], t["weight"], t["bias"], stride=stride,
                          padding=padding, dilation=dilation, mask=t.get("mask"))
    assert_close(y, fx[p + "y"], **TOL["float64_reduce"], name="deform forward")
    (y * ember.tensor(fx[p + "g"])).sum().backward()
    for n, key in [("x", "dx"), ("offset", "doffset"), ("weight", "dweight"), ("bias", "dbias")] + \
            ([("mask", "dmask")] if has_mask else []):
        assert_close(t[n].grad, fx[p + key], **TOL["float64_reduce"], name=f"deform d{n}")
