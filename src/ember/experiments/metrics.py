"""Claims C133-C136 (TOPICS.md §2.15): classification, AUC and ranking metrics follow their definitions."""
from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from ember import metrics as M
from ember.experiments import Verdict, claim


@claim("C133", "Precision, recall, F1, accuracy and PR/AP are computed per their definitions",
       topics="2.15")
def definitions_of_prf(quick: bool) -> Verdict:
    rng = np.random.default_rng(0)
    worst, f1_above_mean = 0.0, 0
    for _ in range(50 if quick else 500):
        tp, fp, fn, tn = rng.integers(1, 30, 4)
        y_true = np.r_[np.ones(tp + fn), np.zeros(fp + tn)].astype(int)
        y_pred = np.r_[np.ones(tp), np.zeros(fn), np.ones(fp), np.zeros(tn)].astype(int)
        p, r = tp / (tp + fp), tp / (tp + fn)
        expected = [p, r, 2 * p * r / (p + r), (tp + tn) / (tp + fp + fn + tn)]
        got = [M.precision_score(y_true, y_pred), M.recall_score(y_true, y_pred),
               M.f1_score(y_true, y_pred), M.accuracy_score(y_true, y_pred)]
        worst = max(worst, float(np.max(np.abs(np.subtract(got, expected)))))
        f1_above_mean += int(got[2] > (got[0] + got[1]) / 2 + 1e-15)
    # ranked list T F T T F T F F with 4 positives: AP = mean precision at each hit
    y, s = np.array([1, 0, 1, 1, 0, 1, 0, 0]), np.linspace(1, 0.3, 8)
    ap_hand = (1 + 2 / 3 + 3 / 4 + 4 / 6) / 4
    ap_err = abs(M.average_precision_score(y, s) - ap_hand)
    aps = {m: M.interpolated_average_precision(y, s, method=m)
           for m in ("step", "all_point", "11_point", "101_point")}
    precision, recall, _ = M.precision_recall_curve(y, s)
    fig = Figure(figsize=(5, 4))
    ax = fig.add_subplot(1, 1, 1)
    ax.step(recall, precision, where="post", label="PR curve")
    ax.set(xlabel="recall", ylabel="precision", title="One ranked list, four APs")
    ax.text(0.05, 0.1, "\n".join(f"{k}: {v:.4f}" for k, v in aps.items()), transform=ax.transAxes)
    ok = worst < 1e-12 and f1_above_mean == 0 and ap_err < 1e-12
    return Verdict("holds" if ok else "fails",
                   {"max_abs_error_vs_definitions": worst, "f1_above_arithmetic_mean": f1_above_mean,
                    "ap_error_vs_hand": ap_err, **{f"ap_{k}": v for k, v in aps.items()}}, fig,
                   f"metrics equal their count definitions to {worst:.1e}; F1 never exceeds "
                   f"(P+R)/2; the four AP rules give {min(aps.values()):.4f}..{max(aps.values()):.4f}")


@claim("C134", "AUC equals the probability that a random positive outranks a random negative",
       topics="2.15")
def auc_is_mann_whitney(quick: bool) -> Verdict:
    rng = np.random.default_rng(1)
    worst = 0.0
    for _ in range(20 if quick else 200):
        n = int(rng.integers(10, 200))
        y = rng.integers(0, 2, n)
        if y.min() == y.max():
            continue
        s = np.round(rng.normal(y * 0.8, 1.0), 1)  # rounding creates ties
        pos, neg = s[y == 1], s[y == 0]
        pairwise = ((pos[:, None] > neg) + 0.5 * (pos[:, None] == neg)).mean()
        worst = max(worst, abs(M.roc_auc_score(y, s) - pairwise))
    fpr, tpr, _ = M.roc_curve(y, s)
    fig = Figure(figsize=(4, 4))
    ax = fig.add_subplot(1, 1, 1)
    ax.plot(fpr, tpr, drawstyle="default")
    ax.plot([0, 1], [0, 1], "--", color="gray")
    ax.set(xlabel="FPR", ylabel="TPR", title=f"ROC, AUC = {M.roc_auc_score(y, s):.3f}")
    return Verdict("holds" if worst < 1e-12 else "fails", {"max_abs_difference": float(worst)},
                   fig, f"trapezoidal ROC area equals the Mann-Whitney pair count (ties 1/2) to "
                   f"{worst:.1e}")


@claim("C135", "NDCG is 1 for the ideal ordering, lies in [0,1], CG ignores order and DCG does not",
       topics="2.15")
def ndcg_properties(quick: bool) -> Verdict:
    rng = np.random.default_rng(2)
    counts = dict(ideal_not_one=0, out_of_range=0, cg_changed=0, dcg_not_lowered=0)
    values = []
    for _ in range(100 if quick else 1000):
        rel = rng.integers(0, 4, (1, 8)).astype(float)
        if rel.max() == 0 or rel.min() == rel.max():
            continue
        perm = rng.permutation(8)[None, :].astype(float)
        nd = M.ndcg_score(rel, perm)
        values.append(nd)
        counts["ideal_not_one"] += int(abs(M.ndcg_score(rel, rel) - 1) > 1e-12)
        counts["out_of_range"] += int(not -1e-12 <= nd <= 1 + 1e-12)
        counts["cg_changed"] += int(abs(M.cumulative_gain(rel, perm) - rel.sum()) > 1e-9)
        # move the most relevant item from rank 1 to rank 8: DCG must drop, CG must not
        ideal = rel[0].argsort()[::-1]
        score = np.empty(8)
        score[ideal] = np.arange(8, 0, -1)
        swapped = score.copy()
        swapped[ideal[0]], swapped[ideal[-1]] = score[ideal[-1]], score[ideal[0]]
        counts["dcg_not_lowered"] += int(M.dcg_score(rel, swapped[None]) >= M.dcg_score(
            rel, score[None]))
    fig = Figure(figsize=(4, 3))
    ax = fig.add_subplot(1, 1, 1)
    ax.hist(values, bins=20)
    ax.set(xlabel="NDCG of a random ordering", ylabel="count", title="NDCG lies in [0, 1]")
    return Verdict("holds" if not any(counts.values()) else "fails",
                   {**counts, "n_lists": len(values), "min_ndcg": float(np.min(values))}, fig,
                   "ideal ordering scores 1, random orders stay in [0,1], CG is order-free and "
                   "demoting the top item lowers DCG" if not any(counts.values()) else
                   f"violations: {counts}")


@claim("C136", "MRR and Hit Rate@k follow their definitions", topics="2.15")
def mrr_and_hit_rate(quick: bool) -> Verdict:
    rng = np.random.default_rng(3)
    n_q, n_items = (50, 10) if quick else (500, 20)
    rel = (rng.random((n_q, n_items)) < 0.15).astype(int)
    score = rng.permutation(n_q * n_items).reshape(n_q, n_items).astype(float)  # no ties
    ranked = np.take_along_axis(rel, np.argsort(-score, axis=1), axis=1)
    first = [np.nonzero(r)[0] for r in ranked]
    mrr_def = np.mean([1 / (f[0] + 1) if len(f) else 0.0 for f in first])
    hit_def = {k: np.mean([len(f) > 0 and f[0] < k for f in first]) for k in (1, 3, 5)}
    err = {"mrr": abs(M.mean_reciprocal_rank(rel, score) - mrr_def)}
    err.update({f"hit@{k}": abs(M.hit_rate_at_k(rel, score, k) - v) for k, v in hit_def.items()})
    fig = Figure(figsize=(4, 3))
    ax = fig.add_subplot(1, 1, 1)
    ks = np.arange(1, n_items + 1)
    ax.plot(ks, [M.hit_rate_at_k(rel, score, int(k)) for k in ks], marker="o")
    ax.axhline(M.mean_reciprocal_rank(rel, score), color="gray", ls="--", label="MRR")
    ax.set(xlabel="k", ylabel="HitRate@k", title="HitRate@k grows with k")
    ax.legend()
    worst = max(err.values())
    return Verdict("holds" if worst < 1e-12 else "fails",
                   {"max_abs_error": float(worst), "mrr": float(mrr_def),
                    **{f"hit_rate@{k}": float(v) for k, v in hit_def.items()}}, fig,
                   f"MRR and HitRate@k equal their per-query definitions to {worst:.1e}")
