"""Detection mAP: COCO vs pycocotools (COCOeval in memory), VOC vs hand values and a transcription
of the devkit's voc_eval (claims C125; TOPICS E34, E35)."""
import contextlib
import io

import numpy as np
import pytest

from ember.vision.detection import DetectionEvaluator, coco_evaluate, voc_evaluate
from tolerances import TOL, assert_close

COCO_KEYS = ["map", "map_50", "map_75", "map_small", "map_medium", "map_large", "mar_1", "mar_10",
             "mar_100", "mar_small", "mar_medium", "mar_large"]


def random_detections(seed, n_img=12, n_cls=3, ties=False):
    rng = np.random.default_rng(seed)
    preds, target = [], []
    for _ in range(n_img):
        m = int(rng.integers(0, 6))
        xy, wh = rng.uniform(0, 200, (m, 2)), rng.uniform(5, 150, (m, 2))
        gb, gl = np.c_[xy, xy + wh], rng.integers(1, n_cls + 1, m)
        n = int(rng.integers(0, 14))
        src = rng.integers(0, max(m, 1), n)
        db = (gb[src] if m else rng.uniform(0, 100, (n, 4))) + rng.normal(0, 8, (n, 4))
        db = np.c_[np.minimum(db[:, :2], db[:, 2:]), np.maximum(db[:, :2], db[:, 2:]) + 1]
        dl = np.where(rng.random(n) < 0.8, gl[src] if m else 1, rng.integers(1, n_cls + 1, n))
        scores = np.round(rng.random(n), 1) if ties else rng.random(n)
        preds.append(dict(boxes=db, scores=scores, labels=dl))
        target.append(dict(boxes=gb, labels=gl, iscrowd=rng.random(m) < 0.15,
                           difficult=rng.random(m) < 0.15,
                           area=wh[:, 0] * wh[:, 1] * rng.uniform(0.3, 1, m)))
    return preds, target


def pycocotools_stats(preds, target):
    pytest.importorskip("pycocotools")
    from pycocotools.coco import COCO
    from pycocotools.cocoeval import COCOeval

    anns, cats = [], set()
    for i, t in enumerate(target):
        for b, lab, crowd, area in zip(t["boxes"], t["labels"], t["iscrowd"], t["area"]):
            anns.append(dict(id=len(anns) + 1, image_id=i + 1, category_id=int(lab),
                             bbox=[b[0], b[1], b[2] - b[0], b[3] - b[1]], area=float(area),
                             iscrowd=int(crowd)))
            cats.add(int(lab))
    res = [dict(image_id=i + 1, category_id=int(lab), score=float(s),
                bbox=[b[0], b[1], b[2] - b[0], b[3] - b[1]])
           for i, p in enumerate(preds) for b, lab, s in zip(p["boxes"], p["labels"], p["scores"])]
    cats |= {r["category_id"] for r in res}
    gt = COCO()
    gt.dataset = dict(images=[{"id": i + 1} for i in range(len(target))], annotations=anns,
                      categories=[{"id": c} for c in sorted(cats)])
    with contextlib.redirect_stdout(io.StringIO()):  # pycocotools prints
        gt.createIndex()
        ev = COCOeval(gt, gt.loadRes(res), "bbox")
        ev.evaluate()
        ev.accumulate()
        ev.summarize()
    return ev


@pytest.mark.parametrize("seed,ties", [(0, False), (1, False), (2, True), (3, True)])
def test_coco_matches_pycocotools(seed, ties):
    preds, target = random_detections(seed, ties=ties)
    ev = pycocotools_stats(preds, target)
    mine = coco_evaluate(preds, target)
    assert_close([mine[k] for k in COCO_KEYS], ev.stats, **TOL["metrics"])
    assert_close(mine["precision"], ev.eval["precision"], **TOL["metrics"])
    assert_close(mine["recall"], ev.eval["recall"], **TOL["metrics"])


def test_iou_exactly_half_coco_counts_voc_does_not():
    target = [dict(boxes=np.array([[0.0, 0, 10, 10]]), labels=np.array([1]))]
    preds = [dict(boxes=np.array([[0.0, 0, 10, 5]]), scores=np.array([0.9]), labels=np.array([1]))]
    # COCO: IoU >= 0.5 matches (precision is 1 - 1e-16: pycocotools adds spacing(1) to tp + fp)
    assert_close(coco_evaluate(preds, target)["map_50"], 1.0, **TOL["metrics"])
    assert voc_evaluate(preds, target, inclusive=False)["map"] == 0.0  # VOC: IoU > 0.5
    ev = pycocotools_stats(preds, [dict(target[0], iscrowd=[False], area=[100.0])])
    assert ev.stats[1] == coco_evaluate(preds, target)["map_50"]


def _voc_golden():
    a, b, d = [0, 0, 9, 9], [20, 20, 29, 29], [40, 40, 49, 49]
    target = [dict(boxes=np.array([a, b, d, [60, 60, 79, 79]], float),
                   labels=np.array([1, 1, 1, 2]), difficult=np.array([0, 0, 1, 0], bool)),
              dict(boxes=np.array([a], float), labels=np.array([1]))]
    preds = [dict(boxes=np.array([a, [1, 0, 10, 9], d, [100, 100, 120, 120], b, [60, 61, 79, 79]],
                                 float),
                  scores=np.array([0.9, 0.8, 0.7, 0.6, 0.5, 0.95]), labels=np.array([1] * 5 + [2])),
             dict(boxes=np.zeros((0, 4)), scores=np.zeros(0), labels=np.zeros(0, int))]
    return preds, target


def test_voc_hand_computed_golden_c125():
    # class 1 ranked: TP, duplicate FP, difficult (ignored), FP, TP; 3 non-difficult objects
    # rec = 1/3,1/3,1/3,1/3,2/3, prec = 1,1/2,1/2,1/3,1/2 -> all-point: 1/3*1 + 1/3*1/2 = 1/2
    # 11-point: t <= 0.3 -> 1 (4 pts), 0.4..0.6 -> 1/2 (3 pts), 0.7..1 -> 0: 5.5/11 = 1/2
    preds, target = _voc_golden()
    r10 = voc_evaluate(preds, target)
    r07 = voc_evaluate(preds, target, use_07_metric=True)
    assert_close(r10["ap"][1], 0.5, **TOL["metrics"])
    assert_close(r07["ap"][1], 0.5, **TOL["metrics"])
    assert r10["ap"][2] == 1.0
    assert_close(r10["map"], 0.75, **TOL["metrics"])
    assert_close(r10["recall"][1], [1 / 3] * 4 + [2 / 3], **TOL["metrics"])


def _devkit_voc_eval(preds, target, label, use_07):
    """rbgirshick/py-faster-rcnn lib/datasets/voc_eval.py, transcribed (stable sort)."""
    from ember.metrics import voc_ap

    recs = [dict(bbox=t["boxes"][t["labels"] == label],
                 difficult=np.asarray(t["difficult"])[t["labels"] == label],
                 det=[False] * int((t["labels"] == label).sum())) for t in target]
    npos = sum(int((~r["difficult"]).sum()) for r in recs)
    ids = [i for i, p in enumerate(preds) for lab in p["labels"] if lab == label]
    conf = np.concatenate([p["scores"][p["labels"] == label] for p in preds])
    bb = np.concatenate([p["boxes"][p["labels"] == label] for p in preds])
    order = np.argsort(-conf, kind="stable")
    tp, fp = np.zeros(len(order)), np.zeros(len(order))
    for d, k in enumerate(order):
        r, box, ovmax = recs[ids[k]], bb[k], -np.inf
        g = r["bbox"]
        if g.size:
            iw = np.maximum(np.minimum(g[:, 2], box[2]) - np.maximum(g[:, 0], box[0]) + 1, 0)
            ih = np.maximum(np.minimum(g[:, 3], box[3]) - np.maximum(g[:, 1], box[1]) + 1, 0)
            inter = iw * ih
            uni = ((box[2] - box[0] + 1) * (box[3] - box[1] + 1)
                   + (g[:, 2] - g[:, 0] + 1) * (g[:, 3] - g[:, 1] + 1) - inter)
            ov = inter / uni
            ovmax, jmax = ov.max(), ov.argmax()
        if ovmax > 0.5:
            if not r["difficult"][jmax]:
                if not r["det"][jmax]:
                    tp[d], r["det"][jmax] = 1, True
                else:
                    fp[d] = 1
        else:
            fp[d] = 1
    tp, fp = np.cumsum(tp), np.cumsum(fp)
    return voc_ap(tp / npos, tp / np.maximum(tp + fp, np.finfo(np.float64).eps), use_07)


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("use_07", [False, True])
def test_voc_matches_devkit_transcription(seed, use_07):
    preds, target = random_detections(seed + 10)
    mine = voc_evaluate(preds, target, use_07_metric=use_07)
    for label, ap in mine["ap"].items():
        assert_close(ap, _devkit_voc_eval(preds, target, label, use_07), **TOL["metrics"])


@pytest.mark.parametrize("seed", range(4))
def test_map_50_95_never_above_map_50_c125(seed):
    preds, target = random_detections(seed + 20)
    r = coco_evaluate(preds, target)
    assert r["map"] <= r["map_50"] + 1e-12 and r["map_75"] <= r["map_50"] + 1e-12


def test_evaluator_accumulates_batches_and_plots():
    preds, target = random_detections(5)
    ev = DetectionEvaluator()
    ev.update(preds[:6], target[:6])
    ev.update(preds[6:], target[6:])
    out = ev.compute()
    whole = coco_evaluate(preds, target)
    assert all(out[k] == whole[k] for k in COCO_KEYS)
    assert out["voc_map_50"] == voc_evaluate(preds, target)["map"]
    assert out["voc07_map_50"] == voc_evaluate(preds, target, use_07_metric=True)["map"]
    fig = ev.plot_pr_curves()
    assert len(fig.axes[0].lines) == len(voc_evaluate(preds, target)["ap"])
    ev.reset()
    with pytest.raises(RuntimeError, match="before any update"):
        ev.compute()


def test_empty_and_bad_inputs():
    empty_p = [dict(boxes=np.zeros((0, 4)), scores=np.zeros(0), labels=np.zeros(0, int))]
    empty_t = [dict(boxes=np.zeros((0, 4)), labels=np.zeros(0, int))]
    assert coco_evaluate(empty_p, empty_t)["map"] == -1.0
    assert np.isnan(voc_evaluate(empty_p, empty_t)["map"])
    with pytest.raises(ValueError, match="one entry per image"):
        coco_evaluate(empty_p, empty_t * 2)
    with pytest.raises(ValueError, match="missing key 'scores'"):
        voc_evaluate([dict(boxes=np.zeros((1, 4)), labels=[1])], empty_t)
    bad = [dict(boxes=np.array([[5.0, 0, 1, 1]]), scores=[0.5], labels=[1])]
    with pytest.raises(ValueError, match="x2 < x1"):
        DetectionEvaluator().update(bad, empty_t)
    nan = [dict(boxes=np.array([[0.0, 0, 1, 1]]), scores=[np.nan], labels=[1])]
    with pytest.raises(ValueError, match="NaN"):
        coco_evaluate(nan, empty_t)
    with pytest.raises(TypeError, match="lists of dicts"):
        coco_evaluate(empty_p[0], empty_t)
