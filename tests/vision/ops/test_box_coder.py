"""BoxCoder: hand-computed deltas, round trip, clamp (torchvision det_utils semantics)."""
import math

import numpy as np
import pytest

from ember.vision.ops import BoxCoder
from tolerances import TOL, assert_close


def test_hand_values():
    proposals = np.array([[0.0, 0, 10, 10], [10, 20, 30, 30]])
    gt = np.array([[1.0, 1, 11, 11], [0, 20, 40, 40]])
    codes = BoxCoder((10.0, 10.0, 5.0, 5.0)).encode_single(gt, proposals)
    # box 2: centre (20, 25) size (20, 10) -> centre (20, 30) size (40, 20)
    expected = np.array([[10 * 0.1, 10 * 0.1, 0, 0],
                         [0, 10 * 5 / 10, 5 * math.log(2), 5 * math.log(2)]])
    assert_close(codes, expected, **TOL["float64"])


def test_round_trip_and_multi_class_decode():
    rng = np.random.default_rng(0)
    xy = rng.uniform(0, 50, (6, 2))
    props = np.c_[xy, xy + rng.uniform(2, 30, (6, 2))]
    gt = props + rng.normal(0, 2, (6, 4))
    gt[:, 2:] = np.maximum(gt[:, 2:], gt[:, :2] + 1)
    coder = BoxCoder((10.0, 10.0, 5.0, 5.0))
    codes = coder.encode_single(gt, props)
    assert_close(coder.decode_single(codes, props), gt, **TOL["float64"])
    two = coder.decode(np.c_[codes, np.zeros_like(codes)], [props[:2], props[2:]])
    assert two.shape == (6, 2, 4)
    assert_close(two[:, 0], gt, **TOL["float64"])
    assert_close(two[:, 1], props, **TOL["float64"])  # zero deltas give back the reference


def test_clamp_prevents_overflow():
    coder = BoxCoder((1.0, 1.0, 1.0, 1.0))
    out = coder.decode_single(np.array([[0.0, 0, 100, 100]]), np.array([[0.0, 0, 16, 16]]))
    assert_close(out, [[8 - 500, 8 - 500, 8 + 500, 8 + 500]], **TOL["float64"])


def test_box_coder_bad_inputs():
    with pytest.raises(ValueError, match="weights"):
        BoxCoder((1.0, 1.0))
    with pytest.raises(ValueError, match="rel_codes"):
        BoxCoder((1.0,) * 4).decode_single(np.zeros((2, 3)), np.zeros((2, 4)))
