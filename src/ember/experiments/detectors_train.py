"""Detection claims that train small networks (TOPICS §2.12): C122 shared convolution vs
per-region CNN, C123 one-stage multi-task head, C124 YOLO-style grid regression."""
from __future__ import annotations

import time

import numpy as np

import ember
import ember.nn as nn
import ember.nn.functional as F
from ember.vision import ops

from ._registry import Verdict, claim


def _backbone():
    return nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(),
                         nn.Conv2d(16, 32, 3, padding=1), nn.ReLU())


@claim("C122", "Sharing convolution (SPP-Net / Fast R-CNN) is much faster than per-region CNN "
       "(R-CNN)", topics="2.12")
def shared_conv_speedup(quick: bool) -> Verdict:
    from matplotlib.figure import Figure

    ember.manual_seed(0)
    rng = np.random.default_rng(0)
    n_prop = 20 if quick else 100
    img = ember.tensor(rng.standard_normal((1, 3, 64, 64)).astype(np.float32))
    xy = rng.uniform(0, 40, (n_prop, 2))
    wh = rng.uniform(12, 24, (n_prop, 2))
    boxes = np.concatenate([np.zeros((n_prop, 1)), xy, xy + wh], 1).astype(np.float32)
    net = _backbone()
    with ember.no_grad():
        t0 = time.perf_counter()
        crops = []
        for b in boxes.astype(int):  # R-CNN: crop each region and warp it to the input size
            crop = img[:, :, b[2]:b[4], b[1]:b[3]]
            crops.append(F.interpolate(crop, size=(64, 64), mode="bilinear", align_corners=False))
        t_warp = time.perf_counter() - t0
        t0 = time.perf_counter()
        maps = [net(c) for c in crops]  # ...and run the CNN once per region
        t_conv_rcnn = time.perf_counter() - t0
        t0 = time.perf_counter()
        feats_rcnn = [ops.roi_pool(m, ember.tensor([[0, 0, 0, 63, 63.0]]), 4) for m in maps]
        t_pool_rcnn = time.perf_counter() - t0
        t0 = time.perf_counter()
        fmap = net(img)  # Fast R-CNN / SPP-Net: one CNN pass for the whole image...
        t_conv_fast = time.perf_counter() - t0
        t0 = time.perf_counter()
        feats_fast = ops.roi_pool(fmap, ember.tensor(boxes), 4)  # ...then pool every region
        t_pool_fast = time.perf_counter() - t0
    t_rcnn = t_warp + t_conv_rcnn + t_pool_rcnn
    t_fast = t_conv_fast + t_pool_fast
    speedup, conv_speedup = t_rcnn / t_fast, t_conv_rcnn / t_conv_fast
    ok = len(feats_rcnn) == feats_fast.shape[0] and conv_speedup > 0.25 * n_prop and speedup > 2
    fig = Figure(figsize=(5, 3))
    ax = fig.subplots()
    ax.bar(["R-CNN (per region)", "shared conv + RoI pool"], [t_rcnn, t_fast])
    ax.set_ylabel("seconds per image")
    ax.set_title(f"C122: {n_prop} proposals, speed-up x{speedup:.0f}")
    fig.tight_layout()
    ev = {"proposals": n_prop, "seconds_rcnn": t_rcnn, "seconds_shared": t_fast,
          "speedup": speedup, "conv_seconds_rcnn": t_conv_rcnn, "conv_seconds_shared": t_conv_fast,
          "conv_speedup": conv_speedup, "conv_work_ratio": float(n_prop)}
    return Verdict("holds" if ok else "fails", ev, fig,
                   f"The convolution part is {conv_speedup:.0f}x faster shared (work ratio "
                   f"{n_prop}); end to end {speedup:.1f}x, where RoI pooling of every proposal "
                   "becomes the remaining cost.")


def _single_object_data(n: int, rng) -> tuple:
    """32x32 RGB images with one square; class = its colour channel; box = its extent (/32)."""
    x = rng.normal(0, 0.1, (n, 3, 32, 32)).astype(np.float32)
    cls = rng.integers(0, 3, n)
    boxes = np.zeros((n, 4), np.float32)
    for i in range(n):
        s = rng.integers(8, 16)
        x0, y0 = rng.integers(0, 32 - s, 2)
        x[i, cls[i], y0:y0 + s, x0:x0 + s] += 1.0
        boxes[i] = [x0, y0, x0 + s, y0 + s]
    return ember.tensor(x), ember.tensor(cls), ember.tensor(boxes / 32)


class _Head(nn.Module):
    def __init__(self, n_cls: int, box: bool):
        super().__init__()
        self.trunk = nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                                   nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                                   nn.Flatten(), nn.Linear(32 * 8 * 8, 64), nn.ReLU())
        self.cls = nn.Linear(64, n_cls) if n_cls else None
        self.box = nn.Linear(64, 4) if box else None

    def forward(self, x):
        h = self.trunk(x)
        return (self.cls(h) if self.cls else None), (self.box(h).sigmoid() if self.box else None)


def _train(model, x, c, b, steps, use_cls, use_box):
    opt = ember.optim.Adam(model.parameters(), lr=2e-3)
    for step in range(steps):
        idx = ember.tensor(np.random.default_rng(step).integers(0, x.shape[0], 32))
        logits, box = model(x[idx])
        loss = 0
        if use_cls:
            loss = loss + F.cross_entropy(logits, c[idx])
        if use_box:
            loss = loss + 10 * F.smooth_l1_loss(box, b[idx], beta=0.05)
        opt.zero_grad()
        loss.backward()
        opt.step()


def _box_iou_mean(pred, target) -> float:
    p, t = pred.detach().numpy(), target.numpy()
    iw = np.clip(np.minimum(p[:, 2], t[:, 2]) - np.maximum(p[:, 0], t[:, 0]), 0, None)
    ih = np.clip(np.minimum(p[:, 3], t[:, 3]) - np.maximum(p[:, 1], t[:, 1]), 0, None)
    inter = iw * ih
    area = lambda z: np.clip(z[:, 2] - z[:, 0], 0, None) * np.clip(z[:, 3] - z[:, 1], 0, None)  # noqa: E731
    return float(np.mean(inter / (area(p) + area(t) - inter + 1e-9)))


@claim("C123", "Multi-task (class + box) joint training works in one stage", topics="2.12")
def multitask_joint(quick: bool) -> Verdict:
    from matplotlib.figure import Figure

    rng = np.random.default_rng(0)
    ember.manual_seed(0)
    steps = 15 if quick else 150
    x, c, b = _single_object_data(300 if quick else 2000, rng)
    xt, ct, bt = _single_object_data(300, np.random.default_rng(1))
    joint, cls_only, box_only = _Head(3, True), _Head(3, False), _Head(0, True)
    _train(joint, x, c, b, steps, True, True)
    _train(cls_only, x, c, b, steps, True, False)
    _train(box_only, x, c, b, steps, False, True)
    with ember.no_grad():
        lj, bj = joint(xt)
        lc, _ = cls_only(xt)
        _, bb = box_only(xt)
    ev = {"steps": steps,
          "acc_joint": float((lj.argmax(1) == ct).float().mean().item()),
          "acc_separate": float((lc.argmax(1) == ct).float().mean().item()),
          "iou_joint": _box_iou_mean(bj, bt), "iou_separate": _box_iou_mean(bb, bt)}
    # "comparable": class accuracy within 2 points and box IoU within 10 % of the separate nets,
    # for half the networks and one training run
    ok = ev["acc_joint"] >= ev["acc_separate"] - 0.02 and ev["iou_joint"] >= 0.9 * ev["iou_separate"]
    fig = Figure(figsize=(5, 3))
    ax = fig.subplots()
    ax.bar(["acc joint", "acc separate", "IoU joint", "IoU separate"],
           [ev["acc_joint"], ev["acc_separate"], ev["iou_joint"], ev["iou_separate"]])
    ax.set_ylim(0, 1)
    ax.set_title("C123: one multi-task head vs two single-task nets")
    fig.tight_layout()
    status = "holds" if ok else ("depends" if quick else "fails")
    if quick and not ok:
        ev["condition"] = "quick mode trains too briefly to compare; run full mode"
    return Verdict(status, ev, fig, "One jointly trained head (CE + smooth L1) reaches the class "
                   "accuracy and box IoU of two separately trained networks, in one run.")


def _grid_data(n: int, rng, S: int = 4) -> tuple:
    """32x32 grey images with up to 2 bright squares; YOLO targets on an S x S grid."""
    x = rng.normal(0, 0.05, (n, 1, 32, 32)).astype(np.float32)
    tgt = np.zeros((n, 5, S, S), np.float32)  # objectness, cx, cy (in cell), w, h (/32)
    gts = []
    cell = 32 // S
    for i in range(n):
        boxes, taken = [], set()
        for _ in range(rng.integers(1, 3)):
            s = int(rng.integers(6, 12))
            x0, y0 = (int(v) for v in rng.integers(0, 32 - s, 2))
            cx, cy = x0 + s / 2, y0 + s / 2
            gi, gj = int(cy // cell), int(cx // cell)
            if (gi, gj) in taken or any(not (x0 + s <= b[0] or b[2] <= x0 or y0 + s <= b[1] or b[3] <= y0)
                                       for b in boxes):
                continue
            taken.add((gi, gj))
            x[i, 0, y0:y0 + s, x0:x0 + s] += 1.0
            boxes.append([x0, y0, x0 + s, y0 + s])
            tgt[i, :, gi, gj] = [1, cx / cell - gj, cy / cell - gi, s / 32, s / 32]
        gts.append(np.array(boxes, np.float32))
    return ember.tensor(x), ember.tensor(tgt), gts


def _decode(pred: np.ndarray, S: int = 4) -> list:
    cell = 32 // S
    out = []
    for p in pred:
        obj = 1 / (1 + np.exp(-p[0]))
        gi, gj = np.meshgrid(np.arange(S), np.arange(S), indexing="ij")
        cx = (gj + 1 / (1 + np.exp(-p[1]))) * cell
        cy = (gi + 1 / (1 + np.exp(-p[2]))) * cell
        w, h = np.abs(p[3]) * 32, np.abs(p[4]) * 32
        boxes = np.stack([cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2], -1).reshape(-1, 4)
        out.append({"boxes": boxes, "scores": obj.reshape(-1), "labels": np.ones(S * S, np.int64)})
    return out


@claim("C124", "YOLO-style grid regression localizes objects", topics="2.12")
def yolo_grid(quick: bool) -> Verdict:
    from matplotlib.figure import Figure

    from ember.vision.detection import DetectionEvaluator

    rng = np.random.default_rng(0)
    ember.manual_seed(0)
    x, t, _ = _grid_data(200 if quick else 2000, rng)
    xt, _, gts = _grid_data(200, np.random.default_rng(1))
    net = nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                        nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                        nn.Conv2d(32, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                        nn.Conv2d(32, 5, 1))  # 32 -> 4x4 grid, 5 numbers per cell
    opt = ember.optim.Adam(net.parameters(), lr=3e-3)
    steps = 20 if quick else 500
    losses = []
    for step in range(steps):
        idx = ember.tensor(np.random.default_rng(step).integers(0, x.shape[0], 32 if quick else 64))
        p, y = net(x[idx]), t[idx]
        obj = y[:, 0:1]
        loss = F.binary_cross_entropy_with_logits(p[:, 0:1], obj) + \
            5 * (obj * ((p[:, 1:3].sigmoid() - y[:, 1:3]) ** 2 + (p[:, 3:5] - y[:, 3:5]) ** 2)).sum() / (obj.sum() + 1)
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    with ember.no_grad():
        preds = _decode(net(xt).numpy())
    ev_ = DetectionEvaluator(voc_inclusive=False)
    ev_.update(preds, [{"boxes": g, "labels": np.ones(len(g), np.int64)} for g in gts])
    m = ev_.compute()
    map50 = float(m["voc_map_50"])
    fig = Figure(figsize=(6, 3))
    ax = fig.subplots()
    ax.plot(losses)
    ax.set_xlabel("step")
    ax.set_ylabel("YOLO loss")
    ax.set_title(f"C124: 4x4 grid detector, VOC mAP@.5 = {map50:.2f}")
    fig.tight_layout()
    ev = {"steps": steps, "map50": map50, "coco_map": float(m["map"]), "final_loss": losses[-1]}
    if map50 > 0.8:
        status = "holds"
    elif quick:
        status = "depends"
        ev["condition"] = "quick mode trains for few steps; the full run reaches the threshold"
    else:
        status = "fails"
    return Verdict(status, ev, fig, "A small CNN regressing one box per grid cell localizes the "
                   "squares (mAP@.5 on held-out images).")
