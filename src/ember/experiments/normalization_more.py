"""Claims C028, C033 and C034 (TOPICS.md §2.2): BN as a regularizer, BN vs LN in a tiny
Transformer, and BN before vs after ReLU.

Seeds are fixed; "quick" shrinks data, widths, epochs and the number of seeds. Verdicts that compare
two training setups use the paired per-seed difference and its standard error (SE).
"""
from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

import ember
import ember.nn.functional as F
from ember import nn
from ember.experiments import Verdict, claim
from ember.experiments._nn_common import (
    acc,
    bar_with_errors,
    fit,
    glyph_flat,
    mean_se,
    paired_diff,
    verdict_from_diff,
)
from ember.experiments.cnn_training import glyph


def _mlp(bn: bool, p: float, width: int, seed: int) -> nn.Sequential:
    """256 -> width -> width -> 10 with optional BatchNorm1d (before ReLU) and Dropout(p) after it."""
    ember.manual_seed(seed)
    layers: list = []
    n_in = 256
    for _ in range(2):
        layers += [nn.Linear(n_in, width)] + ([nn.BatchNorm1d(width)] if bn else []) + [nn.ReLU()]
        layers += [nn.Dropout(p)] if p else []
        n_in = width
    return nn.Sequential(*layers, nn.Linear(width, 10))


@claim("C028", "BN has a regularizing effect and can partly replace dropout", topics="2.2")
def bn_regularizes(quick: bool) -> Verdict:
    (Xtr, ytr), (Xte, yte) = glyph_flat(300, 0), glyph_flat(300 if quick else 1000, 1)
    width, epochs, seeds = (64, 20, 2) if quick else (512, 60, 5)
    setups = {"plain": (False, 0.0), "BN": (True, 0.0), "dropout 0.5": (False, 0.5), "BN + dropout": (True, 0.5)}
    gaps: dict[str, list[float]] = {k: [] for k in setups}
    test: dict[str, list[float]] = {k: [] for k in setups}
    for name, (bn, p) in setups.items():
        for s in range(seeds):
            net = _mlp(bn, p, width, s)
            fit(net, Xtr, ytr, epochs, seed=s)
            test[name].append(acc(net, Xte, yte))
            gaps[name].append(acc(net, Xtr, ytr) - test[name][-1])
    ev: dict = {f"gap_{k}": mean_se(v)[0] for k, v in gaps.items()}
    ev.update({f"test_acc_{k}": mean_se(v)[0] for k, v in test.items()})
    ev["gap_reduction_bn"], ev["gap_reduction_bn_se"] = paired_diff(gaps["plain"], gaps["BN"])
    ev["gap_reduction_dropout"], ev["gap_reduction_dropout_se"] = paired_diff(gaps["plain"], gaps["dropout 0.5"])
    ev["seeds"] = seeds
    status = verdict_from_diff(ev["gap_reduction_bn"], ev["gap_reduction_bn_se"])
    if status == "depends":
        ev["condition"] = "BN's gap reduction is within 2 standard errors of zero at this budget / seed count"
    fig = Figure(figsize=(6, 3.5))
    bar_with_errors(fig.subplots(), list(setups), gaps, "train - test accuracy", "C028: 300 GLYPH samples")
    return Verdict(status, ev, fig,
                   f"train-test gap: plain {ev['gap_plain']:.3f}, BN {ev['gap_BN']:.3f}, dropout "
                   f"{ev['gap_dropout 0.5']:.3f}, BN+dropout {ev['gap_BN + dropout']:.3f} "
                   f"(BN reduction {ev['gap_reduction_bn']:+.3f} +- {ev['gap_reduction_bn_se']:.3f}).")


class _SeqBatchNorm(nn.Module):
    """BatchNorm1d over batch and positions of (B, T, d) input, padded positions included."""

    def __init__(self, d: int) -> None:
        super().__init__()
        self.bn = nn.BatchNorm1d(d)

    def forward(self, x: ember.Tensor) -> ember.Tensor:
        b, t, d = x.shape
        return self.bn(x.reshape(b * t, d)).reshape(b, t, d)


class _TinyEncoder(nn.Module):
    """Token + learned position embeddings, 2 post-norm encoder layers (d 32, 2 heads), linear head."""

    def __init__(self, vocab: int, max_len: int, norm: str, d: int = 32) -> None:
        super().__init__()
        self.tok, self.pos = nn.Embedding(vocab + 1, d), nn.Embedding(max_len, d)
        layers = []
        for _ in range(2):
            layer = nn.TransformerEncoderLayer(d, 2, dim_feedforward=64, dropout=0.0, batch_first=True)
            if norm == "BN":
                layer.norm1, layer.norm2 = _SeqBatchNorm(d), _SeqBatchNorm(d)
            layers.append(layer)
        self.layers = nn.ModuleList(layers)
        self.head = nn.Linear(d, vocab)

    def forward(self, tokens: ember.Tensor) -> ember.Tensor:
        h = self.tok(tokens) + self.pos(ember.arange(tokens.shape[1]))
        for layer in self.layers:
            h = layer(h)
        return self.head(h)


def _reversal_batch(n: int, vocab: int, max_len: int, rng: np.random.Generator) -> tuple:
    """Variable-length reversal: tokens padded with id ``vocab``; targets -100 at padded positions."""
    lengths = rng.integers(2, max_len + 1, n)
    x = np.full((n, max_len), vocab, dtype=np.int64)
    y = np.full((n, max_len), -100, dtype=np.int64)
    for i, length in enumerate(lengths):
        seq = rng.integers(0, vocab, length)
        x[i, :length], y[i, :length] = seq, seq[::-1]
    return x, y


def _token_acc(logits: np.ndarray, y: np.ndarray) -> float:
    mask = y >= 0
    return float((logits.argmax(-1)[mask] == y[mask]).mean())


def _train_seq(norm: str, steps: int, seed: int, n_eval: int, vocab: int = 6, max_len: int = 8) -> dict:
    ember.manual_seed(seed)
    rng = np.random.default_rng(seed)
    net = _TinyEncoder(vocab, max_len, norm)
    opt = ember.optim.Adam(net.parameters(), lr=3e-3)
    net.train()
    for _ in range(steps):
        x, y = _reversal_batch(4, vocab, max_len, rng)  # batch 4, as in the design
        loss = F.cross_entropy(net(ember.tensor(x)).reshape(-1, vocab), ember.tensor(y.reshape(-1)))
        opt.zero_grad()
        loss.backward()
        opt.step()
    xe, ye = _reversal_batch(n_eval, vocab, max_len, np.random.default_rng(1000 + seed))
    with ember.no_grad():
        net.eval()
        eval_acc = _token_acc(net(ember.tensor(xe)).numpy(), ye)
        net.train()  # batch statistics, batches of 4 as in training
        train_mode = np.concatenate([net(ember.tensor(xe[i:i + 4])).numpy() for i in range(0, n_eval, 4)])
    return {"eval_acc": eval_acc, "train_mode_acc": _token_acc(train_mode, ye)}


@claim("C033", "For Transformer-style sequence models LN works better than BN (small batches, "
       "padded variable-length sequences)", topics="2.2")
def ln_vs_bn_transformer(quick: bool) -> Verdict:
    steps, seeds = (40, 2) if quick else (800, 3)
    runs = {norm: [_train_seq(norm, steps, s, 64 if quick else 512) for s in range(seeds)] for norm in ("LN", "BN")}
    ev: dict = {"steps": steps, "batch": 4, "seeds": seeds}
    for norm, rs in runs.items():
        ev[f"eval_acc_{norm}"] = mean_se([r["eval_acc"] for r in rs])[0]
        ev[f"train_eval_gap_{norm}"] = mean_se([r["train_mode_acc"] - r["eval_acc"] for r in rs])[0]
    diff, se = paired_diff([r["eval_acc"] for r in runs["LN"]], [r["eval_acc"] for r in runs["BN"]])
    ev["eval_acc_LN_minus_BN"], ev["eval_acc_LN_minus_BN_se"] = diff, se
    status = verdict_from_diff(diff, se)
    if status == "depends":
        ev["condition"] = f"after {steps} steps the LN-BN accuracy difference is within 2 SE of zero"
    fig = Figure(figsize=(6, 3.5))
    bar_with_errors(fig.subplots(), ["LN", "BN"], {k: [r["eval_acc"] for r in v] for k, v in runs.items()},
                    "eval token accuracy", "C033: tiny Transformer, reversal, batch 4")
    return Verdict(status, ev, fig,
                   f"eval accuracy LN {ev['eval_acc_LN']:.3f} vs BN {ev['eval_acc_BN']:.3f}; "
                   f"train-mode minus eval-mode accuracy LN {ev['train_eval_gap_LN']:+.3f}, "
                   f"BN {ev['train_eval_gap_BN']:+.3f}.")


def _cnn(order: str, seed: int, c: int = 8) -> nn.Sequential:
    """Two conv blocks, each conv-BN-ReLU ("before") or conv-ReLU-BN ("after"), then a linear head."""
    ember.manual_seed(seed)
    layers: list = []
    for cin, cout in ((1, c), (c, 2 * c)):
        conv, bn = nn.Conv2d(cin, cout, 3, padding=1), nn.BatchNorm2d(cout)
        layers += [conv, bn, nn.ReLU()] if order == "before" else [conv, nn.ReLU(), bn]
        layers.append(nn.MaxPool2d(2))
    return nn.Sequential(*layers, nn.Flatten(), nn.Linear(2 * c * 16, 10))


@claim("C034", "Placing BN after ReLU works better than before", topics="2.2")
def bn_after_relu(quick: bool) -> Verdict:
    n, epochs, seeds = (400, 3, 2) if quick else (1000, 6, 5)
    (Xtr, ytr), (Xte, yte) = glyph(n, seed=0), glyph(500, seed=1)
    accs: dict[str, list[float]] = {"before": [], "after": []}
    for order in list(accs):
        for s in range(seeds):
            net = _cnn(order, s)
            fit(net, Xtr, ytr, epochs, lr=3e-3, batch=32, seed=s)
            accs[order].append(acc(net, Xte, yte))
    diff, se = paired_diff(accs["after"], accs["before"])
    ev = {"test_acc_bn_before_relu": mean_se(accs["before"])[0], "test_acc_bn_after_relu": mean_se(accs["after"])[0],
          "after_minus_before": diff, "after_minus_before_se": se, "seeds": seeds,
          "per_seed_before": accs["before"], "per_seed_after": accs["after"]}
    # the claim holds only if "after" wins by more than 2 SE; a tie or a loss means it is unsupported
    status = "holds" if diff > 2 * se and diff > 0 else "fails"
    fig = Figure(figsize=(5, 3.5))
    bar_with_errors(fig.subplots(), ["before", "after"], accs, "test accuracy", "C034: BN before/after ReLU")
    return Verdict(status, ev, fig,
                   f"test accuracy conv-BN-ReLU {ev['test_acc_bn_before_relu']:.3f} vs conv-ReLU-BN "
                   f"{ev['test_acc_bn_after_relu']:.3f} (diff {diff:+.3f} +- {se:.3f} over {seeds} seeds).")
