"""Claims C119, C120, C125 (TOPICS.md §2.12): NMS, IoU conventions and mAP.

C121-C124 (SPP/RoI pooling, shared convolution, multi-task head, YOLO grid) need the autograd
framework and live with the detection models.
"""
from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from ember.experiments import Verdict, claim
from ember.vision import ops
from ember.vision.detection import coco_evaluate, voc_evaluate


def _brute_nms(boxes: np.ndarray, scores: np.ndarray, thr: float) -> list[int]:
    order = list(np.argsort(-scores, kind="stable"))
    keep = []
    while order:
        best = order.pop(0)
        keep.append(int(best))
        order = [j for j in order if not ops.box_iou(boxes[[best]], boxes[[j]])[0, 0] > thr]
    return keep


@claim("C119", "NMS keeps one box per object", topics="2.12")
def nms_one_per_object(quick: bool) -> Verdict:
    rng = np.random.default_rng(0)
    k, per = 5, 20
    trials, wrong_count, not_top, brute_diff = (3 if quick else 30), 0, 0, 0
    for _ in range(trials):
        corners = rng.permutation(25)[:k]  # well separated: a 5x5 grid of 100-px cells
        xy = np.c_[corners % 5, corners // 5] * 100.0 + 10
        gt = np.c_[xy, xy + rng.uniform(40, 70, (k, 2))]
        boxes = np.repeat(gt, per, axis=0) + rng.normal(0, 3, (k * per, 4))
        scores, cluster = rng.random(k * per), np.repeat(np.arange(k), per)
        keep = ops.nms(boxes, scores, 0.5)
        wrong_count += int(len(keep) != k)
        not_top += sum(int(scores[i] != scores[cluster == cluster[i]].max()) for i in keep)
        brute_diff += int(keep.tolist() != _brute_nms(boxes, scores, 0.5))
    fig = Figure(figsize=(8, 4))
    for j, (title, idx) in enumerate((("before NMS", np.arange(len(boxes))), ("after NMS", keep))):
        ax = fig.add_subplot(1, 2, j + 1)
        for b in boxes[idx]:
            ax.add_patch(Rectangle(b[:2], *(b[2:] - b[:2]), fill=False, lw=0.6))
        ax.set(xlim=(0, 520), ylim=(520, 0), title=f"{title}: {len(idx)} boxes", aspect="equal")
    ok = wrong_count == 0 and not_top == 0 and brute_diff == 0
    return Verdict("holds" if ok else "fails",
                   {"trials": trials, "objects": k, "trials_with_wrong_count": wrong_count,
                    "kept_not_cluster_top": not_top, "differs_from_brute_force": brute_diff}, fig,
                   f"NMS at IoU 0.5 left exactly {k} boxes, each its cluster's best, in every trial"
                   if ok else "NMS did not reduce every cluster to its top box")


@claim("C120", "IoU properties hold; the '+1' pixel convention differs materially for small boxes",
       topics="2.12")
def iou_properties_and_plus_one(quick: bool) -> Verdict:
    rng = np.random.default_rng(1)
    n = 50 if quick else 400
    xy = rng.uniform(0, 50, (n, 2))
    a = np.c_[xy, xy + rng.uniform(0.5, 30, (n, 2))]
    b = a[rng.permutation(n)] + rng.normal(0, 5, (n, 4))
    b = np.c_[np.minimum(b[:, :2], b[:, 2:]), np.maximum(b[:, :2], b[:, 2:])]
    iou = ops.box_iou(a, b)
    evidence = {
        "self_iou_max_error": float(np.abs(np.diag(ops.box_iou(a, a)) - 1).max()),
        "symmetry_max_error": float(np.abs(iou - ops.box_iou(b, a).T).max()),
        "out_of_range": int(((iou < 0) | (iou > 1)).sum()),
        "scale_invariance_max_error": float(np.abs(ops.box_iou(7 * a, 7 * b) - iou).max()),
        "disjoint_nonzero": int(ops.box_iou([[0.0, 0, 1, 1]], [[1.0, 0, 2, 1]])[0, 0] != 0),
    }
    sizes = np.array([2, 3, 5, 10, 20, 50, 100.0])
    diffs = []
    for s in sizes:  # two s x s boxes shifted by s/2: continuous IoU is exactly 1/3
        pair = np.array([[0, 0, s, s]]), np.array([[s / 2, 0, 1.5 * s, s]])
        diffs.append(ops.box_iou_inclusive(*pair)[0, 0] - ops.box_iou(*pair)[0, 0])
    evidence.update({f"plus_one_minus_continuous@{int(s)}px": float(d) for s, d in zip(sizes, diffs)})
    fig = Figure(figsize=(4, 3))
    ax = fig.add_subplot(1, 1, 1)
    ax.semilogx(sizes, diffs, marker="o")
    ax.set(xlabel="box side (px)", ylabel="IoU(+1) - IoU", title="'+1' convention vs box size")
    props = (evidence["self_iou_max_error"] < 1e-12 and evidence["symmetry_max_error"] < 1e-12
             and evidence["out_of_range"] == 0 and evidence["scale_invariance_max_error"] < 1e-12
             and not evidence["disjoint_nonzero"])
    material = diffs[0] > 0.05 and abs(diffs[-1]) < 0.01
    return Verdict("holds" if props and material else "fails", evidence, fig,
                   f"IoU is symmetric, bounded and scale invariant; '+1' adds {diffs[0]:.3f} at "
                   f"2 px but {diffs[-1]:.4f} at 100 px (not scale invariant)")


def _random_set(rng: np.random.Generator, n_img: int):
    preds, target = [], []
    for _ in range(n_img):
        m = int(rng.integers(1, 5))
        xy = rng.uniform(0, 200, (m, 2))
        gt = np.c_[xy, xy + rng.uniform(10, 120, (m, 2))]
        src = rng.integers(0, m, 2 * m)
        det = gt[src] + rng.normal(0, 6, (2 * m, 4))
        det = np.c_[np.minimum(det[:, :2], det[:, 2:]), np.maximum(det[:, :2], det[:, 2:]) + 1]
        labels = rng.integers(1, 3, m)
        preds.append(dict(boxes=det, scores=rng.random(2 * m), labels=labels[src]))
        target.append(dict(boxes=gt, labels=labels))
    return preds, target


@claim("C125", "mAP@.5:.95 is never above mAP@.5 and AP is computed correctly", topics="2.12")
def map_monotone_and_correct(quick: bool) -> Verdict:
    a, b, d = [0, 0, 9, 9], [20, 20, 29, 29], [40, 40, 49, 49]
    target = [dict(boxes=np.array([a, b, d], float), labels=np.array([1, 1, 1]),
                   difficult=np.array([0, 0, 1], bool)), dict(boxes=np.array([a], float),
                                                               labels=np.array([1]))]
    preds = [dict(boxes=np.array([a, [1, 0, 10, 9], d, [100, 100, 120, 120], b], float),
                  scores=np.array([0.9, 0.8, 0.7, 0.6, 0.5]), labels=np.ones(5, int)),
             dict(boxes=np.zeros((0, 4)), scores=np.zeros(0), labels=np.zeros(0, int))]
    # TP, duplicate, difficult, FP, TP of 3 objects: all-point AP = 1/3 * 1 + 1/3 * 1/2 = 0.5
    hand_error = abs(voc_evaluate(preds, target)["map"] - 0.5)
    rng = np.random.default_rng(2)
    gaps, violations = [], 0
    for _ in range(5 if quick else 40):
        r = coco_evaluate(*_random_set(rng, 8))
        gaps.append(r["map_50"] - r["map"])
        violations += int(r["map"] > r["map_50"] + 1e-12)
    fig = Figure(figsize=(4, 3))
    ax = fig.add_subplot(1, 1, 1)
    ax.hist(gaps, bins=15)
    ax.set(xlabel="mAP@.5 - mAP@.5:.95", ylabel="count", title="mAP@.5:.95 <= mAP@.5")
    ok = hand_error < 1e-12 and violations == 0
    return Verdict("holds" if ok else "fails",
                   {"hand_case_error": float(hand_error), "monotonicity_violations": violations,
                    "n_random_sets": len(gaps), "min_gap": float(np.min(gaps))}, fig,
                   f"hand-worked VOC AP matches to {hand_error:.1e}; mAP@.5:.95 <= mAP@.5 in all "
                   f"{len(gaps)} random sets" if ok else "AP or monotonicity check failed")
