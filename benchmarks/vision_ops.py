"""Detection primitives and COCO evaluation vs their references, side by side in one run.

    python benchmarks/vision_ops.py              # ember vs OpenCV (nms), pycocotools (COCO eval)
    /path/to/tv-venv/bin/python benchmarks/vision_ops.py --torchvision-only
        # torchvision's CPU times for the same workloads (torchvision can't be imported beside
        # torch 2.13; run it in a venv with torch==2.14.1 torchvision==0.29.1)

Workloads (issue 10): nms on 10k boxes, roi_align on 1k RoIs, box_iou 5k x 5k, COCO evaluation
of 5k detections. Reports the median of 5 runs.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time

import numpy as np


def median_time(fn, repeats=5):
    fn()
    ts = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        ts.append(time.perf_counter() - t0)
    return statistics.median(ts)


def data(seed=0):
    rng = np.random.default_rng(seed)
    xy = rng.uniform(0, 1000, (10000, 2))
    wh = rng.uniform(10, 100, (10000, 2))
    boxes = np.concatenate([xy, xy + wh], 1).astype(np.float32)
    scores = rng.uniform(0, 1, 10000).astype(np.float32)
    feat = rng.standard_normal((2, 256, 50, 50)).astype(np.float32)
    rxy = rng.uniform(0, 700, (1000, 2))
    rois = np.concatenate([rng.integers(0, 2, (1000, 1)), rxy, rxy + rng.uniform(32, 300, (1000, 2))],
                          1).astype(np.float32)
    return boxes, scores, feat, rois


def run_torchvision():
    import torch
    from torchvision import ops

    boxes, scores, feat, rois = (torch.tensor(a) for a in data())
    print(f"torchvision nms 10k:           {median_time(lambda: ops.nms(boxes, scores, 0.5)) * 1e3:8.1f} ms")
    print(f"torchvision roi_align 1k:      {median_time(lambda: ops.roi_align(feat, rois, 7, 1 / 16, 2, True)) * 1e3:8.1f} ms")
    print(f"torchvision box_iou 5k x 5k:   {median_time(lambda: ops.box_iou(boxes[:5000], boxes[5000:])) * 1e3:8.1f} ms")


def coco_inputs(n_img=500, per_img=10, seed=1):
    rng = np.random.default_rng(seed)
    preds, gts = [], []
    for _ in range(n_img):
        g = rng.uniform(0, 400, (5, 2))
        gb = np.concatenate([g, g + rng.uniform(20, 100, (5, 2))], 1)
        jitter = gb[rng.integers(0, 5, per_img)] + rng.normal(0, 8, (per_img, 4))
        jitter[:, 2:] = np.maximum(jitter[:, 2:], jitter[:, :2] + 1)  # keep x2 > x1, y2 > y1
        preds.append({"boxes": jitter, "scores": rng.uniform(0, 1, per_img),
                      "labels": rng.integers(1, 4, per_img)})
        gts.append({"boxes": gb, "labels": rng.integers(1, 4, 5)})
    return preds, gts


def run_ember():
    import cv2

    import ember
    from ember.vision import ops
    from ember.vision.detection import DetectionEvaluator

    boxes, scores, feat, rois = data()
    xywh = np.concatenate([boxes[:, :2], boxes[:, 2:] - boxes[:, :2]], 1)
    t_e = median_time(lambda: ops.nms(boxes, scores, 0.5))
    t_cv = median_time(lambda: cv2.dnn.NMSBoxes(xywh.tolist(), scores.tolist(), 0.0, 0.5))
    print(f"nms 10k:          ember {t_e * 1e3:8.1f} ms   OpenCV {t_cv * 1e3:8.1f} ms   ratio {t_e / t_cv:5.2f}")
    f, r = ember.tensor(feat), ember.tensor(rois)
    with ember.no_grad():
        t = median_time(lambda: ops.roi_align(f, r, 7, 1 / 16, 2, True), repeats=3)
    print(f"roi_align 1k:     ember {t * 1e3:8.1f} ms   (torchvision: run with --torchvision-only)")
    t = median_time(lambda: ops.box_iou(boxes[:5000], boxes[5000:]))
    print(f"box_iou 5k x 5k:  ember {t * 1e3:8.1f} ms")
    preds, gts = coco_inputs()

    def ember_eval():
        ev = DetectionEvaluator()
        ev.update(preds, gts)
        return ev.compute()["map"]

    t_e = median_time(ember_eval, repeats=3)
    try:
        from pycocotools.coco import COCO
        from pycocotools.cocoeval import COCOeval

        def coco_eval():
            images, anns, dets = [], [], []
            for i, (p, g) in enumerate(zip(preds, gts)):
                images.append({"id": i, "width": 600, "height": 600})
                for b, lab in zip(g["boxes"], g["labels"]):
                    anns.append({"id": len(anns) + 1, "image_id": i, "category_id": int(lab),
                                 "bbox": [b[0], b[1], b[2] - b[0], b[3] - b[1]],
                                 "area": float((b[2] - b[0]) * (b[3] - b[1])), "iscrowd": 0})
                for b, s, lab in zip(p["boxes"], p["scores"], p["labels"]):
                    dets.append({"image_id": i, "category_id": int(lab), "score": float(s),
                                 "bbox": [b[0], b[1], b[2] - b[0], b[3] - b[1]]})
            gt = COCO()
            gt.dataset = {"images": images, "annotations": anns,
                          "categories": [{"id": c} for c in (1, 2, 3)]}
            gt.createIndex()
            e = COCOeval(gt, gt.loadRes(dets), "bbox")
            e.evaluate(), e.accumulate()
            return e

        import contextlib
        import io

        with contextlib.redirect_stdout(io.StringIO()):
            t_c = median_time(coco_eval, repeats=3)
        print(f"COCO eval 5k det: ember {t_e * 1e3:8.1f} ms   pycocotools {t_c * 1e3:8.1f} ms   ratio {t_e / t_c:5.2f}")
    except ImportError:
        print(f"COCO eval 5k det: ember {t_e * 1e3:8.1f} ms   (pycocotools not installed)")


if __name__ == "__main__":
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--torchvision-only", action="store_true")
    a = p.parse_args()
    run_torchvision() if a.torchvision_only else run_ember()
    sys.exit(0)
