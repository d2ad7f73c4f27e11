"""nms / batched_nms / soft_nms vs OpenCV's cv2.dnn and brute-force references (claim C119)."""
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ember.vision import ops
from strategies_boxes import box_sets
from tolerances import TOL, assert_close


def _brute_nms(boxes, scores, thr):
    """The notes' loop: take the best remaining box, delete those with IoU > thr, repeat."""
    remaining = sorted(range(len(scores)), key=lambda i: (-scores[i], i))
    keep = []
    while remaining:
        best = remaining.pop(0)
        keep.append(best)
        remaining = [j for j in remaining if not ops.box_iou(boxes[[best]], boxes[[j]])[0, 0] > thr]
    return keep


def _clusters(seed, k=4, per=20):
    rng = np.random.default_rng(seed)
    centres = np.arange(k)[:, None] * 100.0 + 20
    base = np.c_[centres, centres, centres + 40, centres + 40]
    boxes = np.repeat(base, per, axis=0) + rng.normal(0, 2, (k * per, 4))
    return boxes, rng.permutation(k * per) / (k * per) + 0.01, np.repeat(np.arange(k), per)


@pytest.mark.parametrize("thr", [0.3, 0.5, 0.7])
def test_nms_matches_opencv_and_brute_force(thr):
    cv2 = pytest.importorskip("cv2")
    rng = np.random.default_rng(int(thr * 10))
    xy = rng.uniform(0, 60, (60, 2))
    boxes = np.c_[xy, xy + rng.uniform(5, 40, (60, 2))]
    scores = rng.permutation(60) / 60 + 0.05  # distinct scores
    keep = ops.nms(boxes, scores, thr)
    assert keep.tolist() == _brute_nms(boxes, scores, thr)
    xywh = ops.box_convert(boxes, "xyxy", "xywh")
    ref = cv2.dnn.NMSBoxes(xywh.tolist(), scores.tolist(), 0.0, thr)
    assert keep.tolist() == np.asarray(ref).ravel().tolist()


def test_batched_nms_matches_opencv():
    cv2 = pytest.importorskip("cv2")
    boxes, scores, _ = _clusters(0)
    cls = np.random.default_rng(1).integers(0, 3, len(scores))
    keep = ops.batched_nms(boxes, scores, cls, 0.5)
    xywh = ops.box_convert(boxes, "xyxy", "xywh")
    ref = np.asarray(cv2.dnn.NMSBoxesBatched(xywh.tolist(), scores.tolist(), cls.tolist(), 0.0,
                                             0.5)).ravel()
    assert sorted(keep.tolist()) == sorted(ref.tolist())
    assert np.all(np.diff(scores[keep]) <= 0)
    per_class = sorted(i for c in range(3) for i in np.nonzero(cls == c)[0][
        _brute_nms(boxes[cls == c], scores[cls == c], 0.5)])
    assert sorted(keep.tolist()) == per_class


def test_iou_equal_to_threshold_survives():
    boxes = np.array([[0.0, 0, 2, 1], [1.0, 0, 3, 1]])  # IoU = 1/3
    assert ops.nms(boxes, np.array([0.9, 0.8]), 1 / 3).tolist() == [0, 1]
    assert ops.nms(boxes, np.array([0.9, 0.8]), 0.3).tolist() == [0]
    assert ops.nms(np.zeros((0, 4)), np.zeros(0), 0.5).tolist() == []


def test_ties_keep_lower_index():
    boxes = np.array([[0.0, 0, 10, 10], [0.0, 0, 10, 10], [50, 50, 60, 60]])
    assert ops.nms(boxes, np.array([0.5, 0.5, 0.5]), 0.5).tolist() == [0, 2]


@given(box_sets(max_size=15), st.floats(0.05, 0.95), st.data())
def test_nms_properties(boxes, thr, data):
    scores = np.array(data.draw(st.lists(st.sampled_from([0.1, 0.5, 0.9]), min_size=len(boxes),
                                         max_size=len(boxes))), dtype=np.float64)
    keep = ops.nms(boxes, scores, thr)
    assert len(set(keep.tolist())) == len(keep) and np.all(np.diff(scores[keep]) <= 0)
    iou = ops.box_iou(boxes[keep], boxes[keep])
    assert np.all(iou[~np.eye(len(keep), dtype=bool)] <= thr)
    dropped = np.setdiff1d(np.arange(len(boxes)), keep)
    if len(dropped):
        assert np.all((ops.box_iou(boxes[dropped], boxes[keep]) > thr).any(axis=1))


@pytest.mark.parametrize("method", ["linear", "gaussian"])
def test_soft_nms_matches_opencv(method):
    cv2 = pytest.importorskip("cv2")
    rng = np.random.default_rng(3)
    xy = rng.integers(0, 60, (40, 2))
    xywh = np.c_[xy, rng.integers(5, 40, (40, 2))]  # OpenCV's Rect is integer
    scores = (rng.permutation(40) / 40 + 0.05).astype(np.float32)
    flag = getattr(cv2.dnn, f"SoftNMSMethod_SOFTNMS_{method.upper()}")
    ref_scores, ref_idx = cv2.dnn.softNMSBoxes(xywh.tolist(), scores.tolist(), 0.3, 0.4,
                                               sigma=0.5, method=flag)
    keep, new = ops.soft_nms(ops.box_convert(xywh, "xywh", "xyxy"), scores.astype(np.float64),
                             iou_threshold=0.4, sigma=0.5, score_threshold=0.3, method=method,
                             variant="opencv")
    assert keep.tolist() == np.asarray(ref_idx).ravel().tolist()
    assert_close(new, np.asarray(ref_scores).ravel(), **TOL["oracle"])


def _paper_soft_nms(boxes, scores, sigma, nt, threshold, method):
    """Transcription of Bodla et al.'s cpu_soft_nms (+1 areas), returning original indices."""
    b = np.c_[boxes, scores, np.arange(len(scores))].tolist()
    n, i = len(b), 0
    while i < n:
        m = max(range(i, n), key=lambda p: (b[p][4], -b[p][5]))
        b[i], b[m] = b[m], b[i]
        tx1, ty1, tx2, ty2 = b[i][:4]
        pos = i + 1
        while pos < n:
            x1, y1, x2, y2 = b[pos][:4]
            iw = min(tx2, x2) - max(tx1, x1) + 1
            ih = min(ty2, y2) - max(ty1, y1) + 1
            if iw > 0 and ih > 0:
                ov = iw * ih / ((tx2 - tx1 + 1) * (ty2 - ty1 + 1) + (x2 - x1 + 1) * (y2 - y1 + 1)
                                - iw * ih)
                w = (1 - ov if ov > nt else 1) if method == "linear" else np.exp(-ov * ov / sigma)
                b[pos][4] *= w
                if b[pos][4] < threshold:
                    b[pos] = b[n - 1]
                    n -= 1
                    pos -= 1
            pos += 1
        i += 1
    return [int(r[5]) for r in b[:n]], [r[4] for r in b[:n]]


@pytest.mark.parametrize("method", ["linear", "gaussian"])
def test_soft_nms_matches_paper_code(method):
    boxes, scores, _ = _clusters(4, k=3, per=8)
    boxes = np.round(boxes)
    idx, sc = _paper_soft_nms(boxes, scores, 0.5, 0.3, 0.001, method)
    keep, new = ops.soft_nms(boxes, scores, method=method)
    assert keep.tolist() == idx
    assert_close(new, sc, **TOL["float64"])


def test_soft_nms_hard_equals_nms_and_decay_is_soft():
    boxes, scores, _ = _clusters(5)
    keep, _ = ops.soft_nms(boxes, scores, iou_threshold=0.5, method="hard", variant="opencv")
    assert keep.tolist() == ops.nms(boxes, scores, 0.5).tolist()
    keep_g, _ = ops.soft_nms(boxes, scores, method="gaussian")
    assert len(keep_g) > len(keep)


def test_nms_bad_inputs():
    with pytest.raises(ValueError, match="NaN"):
        ops.nms(np.array([[0.0, 0, 1, 1]]), np.array([np.nan]), 0.5)
    with pytest.raises(ValueError, match=r"scores: expected shape \(1,\)"):
        ops.nms(np.array([[0.0, 0, 1, 1]]), np.array([0.1, 0.2]), 0.5)
    with pytest.raises(ValueError, match="x2 < x1"):
        ops.nms(np.array([[3.0, 0, 1, 1]]), np.array([0.1]), 0.5)
    with pytest.raises(ValueError, match="method"):
        ops.soft_nms(np.array([[0.0, 0, 1, 1]]), np.array([0.1]), method="cubic")
