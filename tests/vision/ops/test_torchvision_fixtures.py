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
