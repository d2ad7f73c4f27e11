"""Claims C047, C049 and C051 (TOPICS.md §2.4): multi-label sigmoid+BCE vs softmax, and focal loss on
extremely imbalanced data (vs cross-entropy, weighted CE and SSD-style hard negative mining).

Datasets are generated in code (TOPICS §2.0 IMB); seeds fixed; every number computed by the run.
"""
from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

import ember
import ember.nn.functional as F
from ember import nn
from ember.experiments import Verdict, claim
from ember.experiments._nn_common import (
    bar_with_errors,
    mean_se,
    paired_diff,
    predict,
    verdict_from_diff,
)
from ember.metrics import average_precision_score, f1_score, precision_recall_curve
from ember.vision.ops import sigmoid_focal_loss

_SHAPES = [np.ones((1, 5)), np.ones((5, 1)), np.pad(np.zeros((1, 1)), 1, constant_values=1.0), np.eye(3) + np.eye(3)[::-1]]


def multilabel_shapes(n: int, seed: int, side: int = 16) -> tuple[np.ndarray, np.ndarray]:
    """(X (n, side^2), Y (n, 4) multi-hot): 0-3 distinct shape types (h-bar, v-bar, ring, X) at random
    positions, plus Gaussian noise 0.2."""
    rng = np.random.default_rng(seed)
    X, Y = np.zeros((n, side, side), np.float32), np.zeros((n, 4), np.int64)
    for i in range(n):
        for k in rng.choice(4, rng.integers(0, 4), replace=False):
            h, w = _SHAPES[k].shape
            r, c = rng.integers(0, side - h + 1), rng.integers(0, side - w + 1)
            X[i, r:r + h, c:c + w] = np.maximum(X[i, r:r + h, c:c + w], _SHAPES[k])
            Y[i, k] = 1
    X += rng.normal(0, 0.2, X.shape).astype(np.float32)
    return X.reshape(n, -1), Y


def _train_multilabel(X: np.ndarray, Y: np.ndarray, kind: str, epochs: int, seed: int) -> nn.Module:
    ember.manual_seed(seed)
    net = nn.Sequential(nn.Linear(X.shape[1], 128), nn.ReLU(), nn.Linear(128, 4))
    opt = ember.optim.Adam(net.parameters(), lr=1e-3)
    rng = np.random.default_rng(seed)
    target = Y / np.maximum(Y.sum(1, keepdims=True), 1)  # normalized multi-hot (all-zero rows stay zero)
    for _ in range(epochs):
        for idx in np.array_split(rng.permutation(len(X)), len(X) // 32):
            logits = net(ember.tensor(X[idx]))
            loss = F.binary_cross_entropy_with_logits(logits, ember.tensor(Y[idx].astype(np.float32))) \
                if kind == "sigmoid" else -(ember.tensor(target[idx].astype(np.float32))
                                            * F.log_softmax(logits, 1)).sum(1).mean()
            opt.zero_grad()
            loss.backward()
            opt.step()
    return net


def _macro_f1(Y: np.ndarray, P: np.ndarray) -> float:
    """Mean over labels of the binary F1 of each column (macro F1 of a multilabel indicator)."""
    return float(np.mean([f1_score(Y[:, j], P[:, j], zero_division=0) for j in range(Y.shape[1])]))


def _top_k(scores: np.ndarray, k: np.ndarray) -> np.ndarray:
    """Multi-hot of the k[i] highest scores of each row (the softmax baseline given the true count)."""
    ranks = np.argsort(np.argsort(-scores, 1), 1)
    return (ranks < k[:, None]).astype(np.int64)


@claim("C047", "Multi-label tasks need per-label sigmoid + BCE, not softmax", topics="2.4")
def multilabel_sigmoid(quick: bool) -> Verdict:
    (Xtr, Ytr), (Xte, Yte) = multilabel_shapes(600 if quick else 3000, 0), multilabel_shapes(500 if quick else 1000, 1)
    epochs = 8 if quick else 30
    sig = 1 / (1 + np.exp(-predict(_train_multilabel(Xtr, Ytr, "sigmoid", epochs, 0), Xte)))
    soft_logits = predict(_train_multilabel(Xtr, Ytr, "softmax", epochs, 0), Xte)
    soft = np.exp(soft_logits - soft_logits.max(1, keepdims=True))
    soft /= soft.sum(1, keepdims=True)
    preds = {"sigmoid_bce": (sig > 0.5).astype(np.int64), "softmax_thr0.5": (soft > 0.5).astype(np.int64),
             "softmax_topk_known_k": _top_k(soft, Yte.sum(1))}
    many = Yte.sum(1) >= 2
    ev: dict = {}
    for name, P in preds.items():
        ev[f"macro_f1_{name}"] = _macro_f1(Yte, P)
        ev[f"macro_f1_2to3_objects_{name}"] = _macro_f1(Yte[many], P[many])
    best_soft = max(ev["macro_f1_softmax_thr0.5"], ev["macro_f1_softmax_topk_known_k"])
    ev["sigmoid_minus_best_softmax"] = ev["macro_f1_sigmoid_bce"] - best_soft
    fig = Figure(figsize=(7, 3.5))
    ax = fig.subplots()
    names = list(preds)
    ax.bar(np.arange(3) - 0.2, [ev[f"macro_f1_{n}"] for n in names], 0.4, label="all test images")
    ax.bar(np.arange(3) + 0.2, [ev[f"macro_f1_2to3_objects_{n}"] for n in names], 0.4, label="2-3 objects")
    ax.set(xticks=range(3), xticklabels=names, ylabel="macro F1", title="C047: 4 shape labels")
    ax.legend()
    holds = ev["sigmoid_minus_best_softmax"] > 0 and \
        ev["macro_f1_2to3_objects_sigmoid_bce"] > ev["macro_f1_2to3_objects_softmax_thr0.5"]
    if holds or ev["macro_f1_sigmoid_bce"] > ev["macro_f1_softmax_thr0.5"]:
        status = "holds" if holds else "depends"
    else:
        status = "fails"
    if status == "depends":
        ev["condition"] = "sigmoid beats thresholded softmax but softmax given the true label count k ties or wins"
    return Verdict(status, ev, fig,
                   f"macro F1: sigmoid+BCE {ev['macro_f1_sigmoid_bce']:.3f}, softmax@0.5 "
                   f"{ev['macro_f1_softmax_thr0.5']:.3f}, softmax top-k (k known) "
                   f"{ev['macro_f1_softmax_topk_known_k']:.3f}.")


def imbalanced_2d(n: int, seed: int, pos_frac: float = 0.01) -> tuple[np.ndarray, np.ndarray]:
    """IMB: negatives N(0, I_2); positives N((2.5, 2.5), 0.5^2 I) (slightly overlapping); pos_frac positives."""
    rng = np.random.default_rng(seed)
    y = (rng.random(n) < pos_frac).astype(np.int64)
    X = rng.standard_normal((n, 2)) * np.where(y[:, None] == 1, 0.5, 1.0) + 2.5 * y[:, None]
    return X.astype(np.float32), y


def _recall_at_precision(y: np.ndarray, s: np.ndarray, p_min: float = 0.5) -> float:
    precision, recall, _ = precision_recall_curve(y, s)
    ok = precision >= p_min
    return float(recall[ok].max()) if ok.any() else 0.0


def _binary_loss(kind: str, logits: ember.Tensor, y: ember.Tensor) -> ember.Tensor:
    if kind == "focal":  # RetinaNet: sum over samples, normalized by the number of positives
        return sigmoid_focal_loss(logits, y, alpha=0.25, gamma=2, reduction="sum") / y.sum().clamp(min=1.0)
    weight = ember.tensor(99.0) if kind == "weighted_ce" else None
    return F.binary_cross_entropy_with_logits(logits, y, pos_weight=weight)


@claim("C049", "Focal loss helps with extreme class imbalance", topics="2.4")
def focal_imbalance(quick: bool) -> Verdict:
    seeds, n, epochs = (2, 5000, 3) if quick else (3, 20000, 10)
    Xte, yte = imbalanced_2d(20000, 99)
    res: dict[str, dict[str, list[float]]] = {k: {"ap": [], "recall": []} for k in ("ce", "weighted_ce", "focal")}
    for kind in res:
        for s in range(seeds):
            X, y = imbalanced_2d(n, s)
            ember.manual_seed(s)
            net = nn.Sequential(nn.Linear(2, 32), nn.ReLU(), nn.Linear(32, 32), nn.ReLU(), nn.Linear(32, 1))
            if kind == "focal":  # prior-probability bias init, pi = 0.01
                nn.init.constant_(net[-1].bias, -float(np.log(99.0)))
            opt = ember.optim.Adam(net.parameters(), lr=1e-2)
            rng = np.random.default_rng(s)
            for _ in range(epochs):
                for idx in np.array_split(rng.permutation(n), n // 256):
                    loss = _binary_loss(kind, net(ember.tensor(X[idx]))[:, 0], ember.tensor(y[idx].astype(np.float32)))
                    opt.zero_grad()
                    loss.backward()
                    opt.step()
            score = predict(net, Xte)[:, 0]
            res[kind]["ap"].append(float(average_precision_score(yte, score)))
            res[kind]["recall"].append(_recall_at_precision(yte, score))
    ev: dict = {f"ap_{k}": mean_se(v["ap"])[0] for k, v in res.items()}
    ev.update({f"recall_at_p0.5_{k}": mean_se(v["recall"])[0] for k, v in res.items()})
    ev["ap_focal_minus_ce"], ev["ap_focal_minus_ce_se"] = paired_diff(res["focal"]["ap"], res["ce"]["ap"])
    ev["ap_focal_minus_weighted_ce"] = ev["ap_focal"] - ev["ap_weighted_ce"]
    ev["seeds"], ev["positives_fraction_test"] = seeds, float(yte.mean())
    status = verdict_from_diff(ev["ap_focal_minus_ce"], ev["ap_focal_minus_ce_se"])
    if status == "depends":
        ev["condition"] = "focal's AP gain over CE is within 2 standard errors of zero at this budget"
    fig = Figure(figsize=(6, 3.5))
    bar_with_errors(fig.subplots(), list(res), {k: v["ap"] for k, v in res.items()}, "minority-class AP",
                    "C049: 1% positives")
    return Verdict(status, ev, fig,
                   f"AP: CE {ev['ap_ce']:.3f}, weighted CE {ev['ap_weighted_ce']:.3f}, focal {ev['ap_focal']:.3f}; "
                   f"recall at precision 0.5: {ev['recall_at_p0.5_ce']:.2f} / {ev['recall_at_p0.5_weighted_ce']:.2f}"
                   f" / {ev['recall_at_p0.5_focal']:.2f}.")


def anchor_grid(n: int, seed: int, side: int = 16) -> tuple[np.ndarray, np.ndarray]:
    """IMB anchor-grid toy: (X (n, 1, side, side), Y (n, side, side)). Two 3x3 'plus' objects per image
    (positive anchor = object centre, about 0.8% of anchors) and two 3x3 'ring' distractors (hard
    negatives), on Gaussian noise 0.3; every other anchor is easy background."""
    rng = np.random.default_rng(seed)
    plus, ring = np.array([[0, 1, 0], [1, 1, 1], [0, 1, 0]], np.float32), np.pad(np.zeros((1, 1)), 1, constant_values=1.0)
    X, Y = rng.normal(0, 0.3, (n, 1, side, side)).astype(np.float32), np.zeros((n, side, side), np.int64)
    for i in range(n):
        for k, shape in enumerate((plus, plus, ring, ring)):
            r, c = rng.integers(1, side - 1, 2)
            X[i, 0, r - 1:r + 2, c - 1:c + 2] += shape
            Y[i, r, c] = 1 if k < 2 else Y[i, r, c]
    return X, Y


def _mined_ce(logits: ember.Tensor, y: ember.Tensor, ratio: int = 3) -> ember.Tensor:
    """SSD: BCE over all positives and the ratio*P highest-loss negatives, divided by P."""
    loss = F.binary_cross_entropy_with_logits(logits, y, reduction="none")
    n_pos = int(y.sum().item())
    neg_loss = (loss * (1 - y)).detach().numpy()
    keep = np.zeros(neg_loss.shape, np.float32)
    keep[np.argsort(-neg_loss)[:ratio * max(n_pos, 1)]] = 1.0
    return (loss * (y + ember.tensor(keep))).sum() / max(n_pos, 1)


@claim("C051", "RetinaNet-style focal loss beats SSD-style hard negative mining on dense imbalanced "
       "classification", topics="2.4")
def focal_vs_mining(quick: bool) -> Verdict:
    seeds, n, epochs = (2, 96, 3) if quick else (3, 400, 8)
    Xte, Yte = anchor_grid(200, 99)
    aps: dict[str, list[float]] = {"hard_negative_mining": [], "focal": []}
    for kind in list(aps):
        for s in range(seeds):
            X, Y = anchor_grid(n, s)
            ember.manual_seed(s)
            head = nn.Sequential(nn.Conv2d(1, 8, 3, padding=1), nn.ReLU(), nn.Conv2d(8, 8, 3, padding=1), nn.ReLU(),
                                 nn.Conv2d(8, 1, 1))
            if kind == "focal":
                nn.init.constant_(head[-1].bias, -float(np.log(99.0)))
            opt = ember.optim.Adam(head.parameters(), lr=3e-3)
            rng = np.random.default_rng(s)
            for _ in range(epochs):
                for idx in np.array_split(rng.permutation(n), n // 16):
                    logits, y = head(ember.tensor(X[idx])).reshape(-1), ember.tensor(Y[idx].reshape(-1).astype(np.float32))
                    loss = _mined_ce(logits, y) if kind != "focal" else \
                        sigmoid_focal_loss(logits, y, reduction="sum") / y.sum().clamp(min=1.0)
                    opt.zero_grad()
                    loss.backward()
                    opt.step()
            aps[kind].append(float(average_precision_score(Yte.reshape(-1), predict(head, Xte).reshape(-1))))
    diff, se = paired_diff(aps["focal"], aps["hard_negative_mining"])
    ev = {"ap_focal": mean_se(aps["focal"])[0], "ap_mining_3to1": mean_se(aps["hard_negative_mining"])[0],
          "ap_focal_minus_mining": diff, "se": se, "seeds": seeds, "positive_anchor_fraction": float(Yte.mean())}
    status = verdict_from_diff(diff, se)
    if status == "depends":
        ev["condition"] = "the AP difference is within 2 standard errors of zero at this budget"
    fig = Figure(figsize=(5, 3.5))
    bar_with_errors(fig.subplots(), list(aps), aps, "anchor AP", "C051: anchor grid, ~0.8% positives")
    return Verdict(status, ev, fig,
                   f"anchor AP: focal {ev['ap_focal']:.3f} vs CE + 3:1 hard negative mining "
                   f"{ev['ap_mining_3to1']:.3f} (diff {diff:+.3f} +- {se:.3f}).")
