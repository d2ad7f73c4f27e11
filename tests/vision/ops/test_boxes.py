"""Box conversions and IoU family vs per-pair reference formulas and pycocotools (claim C120)."""
import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ember.vision import ops
from strategies_boxes import box_sets
from tolerances import TOL, assert_close


def _pair_ref(a, b, kind, offset=0.0):
    """One pair, written from the papers' definitions with Python floats."""
    iw = max(0.0, min(a[2], b[2]) - max(a[0], b[0]) + offset)
    ih = max(0.0, min(a[3], b[3]) - max(a[1], b[1]) + offset)
    area = lambda r: (r[2] - r[0] + offset) * (r[3] - r[1] + offset)  # noqa: E731
    inter = iw * ih
    union = area(a) + area(b) - inter
    iou = inter / union if union > 0 else 0.0
    if kind == "iou":
        return iou
    cw, ch = max(a[2], b[2]) - min(a[0], b[0]), max(a[3], b[3]) - min(a[1], b[1])
    if kind == "giou":
        return iou - (cw * ch - union) / (cw * ch) if cw * ch > 0 else iou
    rho2 = ((a[0] + a[2]) / 2 - (b[0] + b[2]) / 2) ** 2 + ((a[1] + a[3]) / 2 - (b[1] + b[3]) / 2) ** 2
    diou = iou - rho2 / (cw ** 2 + ch ** 2 + 1e-7)
    if kind == "diou":
        return diou
    v = 4 / math.pi ** 2 * (math.atan((a[2] - a[0]) / (a[3] - a[1]))
                            - math.atan((b[2] - b[0]) / (b[3] - b[1]))) ** 2
    return diou - v / (1 - iou + v + 1e-7) * v


def _rand_boxes(rng, n):
    xy = rng.uniform(0, 50, (n, 2))
    return np.c_[xy, xy + rng.uniform(1, 30, (n, 2))]


@pytest.mark.parametrize("kind,fn", [("iou", ops.box_iou), ("giou", ops.generalized_box_iou),
                                     ("diou", ops.distance_box_iou),
                                     ("ciou", ops.complete_box_iou)])
def test_iou_family_matches_pairwise_reference(kind, fn):
    rng = np.random.default_rng(0)
    a, b = _rand_boxes(rng, 7), _rand_boxes(rng, 5)
    ref = np.array([[_pair_ref(x, y, kind) for y in b] for x in a])
    assert_close(fn(a, b), ref, **TOL["float64"])


def test_inclusive_iou_matches_reference_and_pycocotools():
    rng = np.random.default_rng(1)
    a, b = np.round(_rand_boxes(rng, 6)), np.round(_rand_boxes(rng, 4))
    ref = np.array([[_pair_ref(x, y, "iou", 1.0) for y in b] for x in a])
    assert_close(ops.box_iou_inclusive(a, b), ref, **TOL["float64"])
    mask = pytest.importorskip("pycocotools.mask")
    xywh_a, xywh_b = ops.box_convert(a, "xyxy", "xywh"), ops.box_convert(b, "xyxy", "xywh")
    coco = mask.iou(xywh_a.tolist(), xywh_b.tolist(), [0] * len(b))
    assert_close(ops.box_iou(a, b), coco, **TOL["metrics"])


@pytest.mark.parametrize("fmt", ["xywh", "cxcywh"])
def test_box_convert_round_trip_and_formula(fmt):
    b = _rand_boxes(np.random.default_rng(2), 5)
    out = ops.box_convert(b, "xyxy", fmt)
    if fmt == "xywh":
        assert_close(out, np.c_[b[:, :2], b[:, 2:] - b[:, :2]], **TOL["float64"])
    else:
        assert_close(out, np.c_[(b[:, :2] + b[:, 2:]) / 2, b[:, 2:] - b[:, :2]], **TOL["float64"])
    assert_close(ops.box_convert(out, fmt, "xyxy"), b, **TOL["float64"])
    other = "cxcywh" if fmt == "xywh" else "xywh"
    assert_close(ops.box_convert(ops.box_convert(out, fmt, other), other, fmt), out,
                 **TOL["float64"])


@given(box_sets(min_size=1), box_sets(min_size=1))
def test_iou_properties(a, b):
    iou = ops.box_iou(a, b)
    assert np.all((iou >= 0) & (iou <= 1 + 1e-12))
    assert_close(iou, ops.box_iou(b, a).T, **TOL["float64"])
    assert_close(ops.box_iou(a * 3.5, b * 3.5), iou, **TOL["float64"])  # scale invariant
    pos = ops.box_area(a) > 0
    assert_close(np.diag(ops.box_iou(a, a))[pos], np.ones(pos.sum()), **TOL["float64"])
    giou = ops.generalized_box_iou(a, b)
    assert np.all(giou <= iou + 1e-12) and np.all(giou >= -1 - 1e-12)


def test_iou_corner_values_c120():
    a = np.array([[0.0, 0, 2, 2]])
    assert ops.box_iou(a, [[2.0, 0, 4, 2]])[0, 0] == 0.0  # touching: disjoint
    assert ops.box_iou(a, [[1.0, 0, 3, 2]])[0, 0] == 2 / 6
    assert ops.box_iou_inclusive(a, [[1.0, 0, 3, 2]])[0, 0] == 6 / 12  # 2x3 overlap of 3x3 boxes
    assert ops.box_iou([[0.0, 0, 0, 0]], [[0.0, 0, 0, 0]])[0, 0] == 0.0  # 0/0 guarded
    big = a * 10
    assert ops.box_iou_inclusive(big, [[10.0, 0, 30, 20]])[0, 0] != ops.box_iou_inclusive(
        a, [[1.0, 0, 3, 2]])[0, 0]  # +1 mode is not scale invariant


def test_area_clip_remove_small():
    b = np.array([[0.0, 0, 4, 2], [1, 1, 1, 5], [-3, -2, 30, 40]])
    np.testing.assert_array_equal(ops.box_area(b), [8, 0, 33 * 42])
    np.testing.assert_array_equal(ops.box_area_inclusive(b), [15, 5, 34 * 43])
    np.testing.assert_array_equal(ops.clip_boxes_to_image(b, (10, 20))[2], [0, 0, 20, 10])
    np.testing.assert_array_equal(ops.remove_small_boxes(b, 1.0), [0, 2])
    assert ops.box_iou(np.zeros((0, 4)), b).shape == (0, 3)


@pytest.mark.parametrize("bad,match", [
    (np.array([[2.0, 0, 1, 1]]), "x2 < x1"),
    (np.zeros((3, 5)), r"shape \(N, 4\)"),
    (np.array([[0.0, np.nan, 1, 1]]), "NaN"),
])
def test_box_bad_inputs(bad, match):
    with pytest.raises(ValueError, match=match):
        ops.box_iou(bad, np.array([[0.0, 0, 1, 1]]))
    with pytest.raises(ValueError, match="in_fmt"):
        ops.box_convert(np.zeros((1, 4)), "xyxyz", "xyxy")


@given(st.floats(0.5, 50))
def test_ciou_equals_diou_for_same_aspect(scale):
    a = np.array([[0.0, 0, 2, 1]])
    b = np.array([[1.0, 1, 1 + 2 * scale, 1 + scale]])
    assert_close(ops.complete_box_iou(a, b), ops.distance_box_iou(a, b), **TOL["float64"])
