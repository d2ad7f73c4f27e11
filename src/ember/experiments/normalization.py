"""Claims C024-C032 and C034 (TOPICS.md 2.2): batch and layer normalization.

Networks are small MLPs on GLYPH (procedural 10-class 12x12 digit-like images, TOPICS 2.0);
``quick`` shrinks data, widths and epochs. Every number is computed by the run, seeds fixed.
C033 (tiny Transformer, BN vs LN) is not implemented here.
"""
from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

import ember
import ember.nn as nn
import ember.nn.functional as F
from ember.experiments import Verdict, claim


def glyph_data(n: int, seed: int = 0, side: int = 12) -> tuple[np.ndarray, np.ndarray]:
    """GLYPH: 10 fixed random-stroke templates, shifted +-1 px, plus Gaussian noise; (n, side^2)."""
    tmpl_rng = np.random.default_rng(1234)
    templates = np.zeros((10, side, side))
    for k in range(10):
        for _ in range(3):  # three strokes per class
            r0, c0 = tmpl_rng.integers(2, side - 2, 2)
            dr, dc = tmpl_rng.integers(-1, 2, 2)
            for s in range(6):
                r, c = np.clip(r0 + s * dr, 0, side - 1), np.clip(c0 + s * dc, 0, side - 1)
                templates[k, r, c] = 1.0
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 10, n)
    shifts = rng.integers(-1, 2, (n, 2))
    x = np.stack([np.roll(templates[k], tuple(s), axis=(0, 1)) for k, s in zip(y, shifts)])
    x = x + 0.3 * rng.standard_normal(x.shape)
    return x.reshape(n, -1).astype(np.float32), y


def mlp(depth: int, width: int, bn: bool, act: type = nn.ReLU, n_in: int = 144, n_out: int = 10,
        init_scale: float = 1.0, seed: int = 0) -> nn.Sequential:
    """Linear -> [BatchNorm1d] -> act, ``depth`` hidden layers; He-normal weights times init_scale."""
    ember.manual_seed(seed)
    layers: list = []
    for i in range(depth):
        lin = nn.Linear(n_in if i == 0 else width, width)
        nn.init.kaiming_normal_(lin.weight)
        with ember.no_grad():
            lin.weight.mul_(init_scale)
        layers += [lin] + ([nn.BatchNorm1d(width)] if bn else []) + [act()]
    layers.append(nn.Linear(width, n_out))
    return nn.Sequential(*layers)


def train(model: nn.Module, x: np.ndarray, y: np.ndarray, lr: float, epochs: int, batch: int = 50,
          seed: int = 0) -> list[float]:
    """SGD-momentum(0.9) on cross-entropy; returns training accuracy after each epoch (NaN-safe)."""
    opt = ember.optim.SGD(model.parameters(), lr=lr, momentum=0.9)
    rng = np.random.default_rng(seed)
    accs = []
    for _ in range(epochs):
        model.train()
        for idx in np.array_split(rng.permutation(len(x)), len(x) // batch):
            loss = F.cross_entropy(model(ember.tensor(x[idx])), ember.tensor(y[idx]))
            if not np.isfinite(loss.item()):
                return accs + [0.0]
            opt.zero_grad()
            loss.backward()
            opt.step()
        accs.append(accuracy(model, x, y))
    return accs


def accuracy(model: nn.Module, x: np.ndarray, y: np.ndarray) -> float:
    model.eval()
    with ember.no_grad():
        out = model(ember.tensor(x)).numpy()
    return float(np.mean(np.argmax(np.nan_to_num(out, nan=0.0), 1) == y))


@claim("C024", "BN allows larger learning rates", topics="2.2")
def bn_larger_lr(quick: bool) -> Verdict:
    x, y = glyph_data(500 if quick else 2000)
    lrs = [0.01, 0.1, 1.0] if quick else [0.01, 0.03, 0.1, 0.3, 1.0]
    depth, width, epochs = (4, 32, 3) if quick else (6, 128, 5)
    final = {bn: [train(mlp(depth, width, bn), x, y, lr, epochs)[-1] for lr in lrs] for bn in (False, True)}
    best = {bn: max([lr for lr, a in zip(lrs, final[bn]) if a > 0.8], default=0.0) for bn in final}
    ratio = best[True] / best[False] if best[False] else float("inf")
    fig = Figure()
    ax = fig.subplots()
    for bn in final:
        ax.semilogx(lrs, final[bn], "o-", label="BN" if bn else "plain")
    ax.set(xlabel="learning rate", ylabel="train accuracy", title="C024")
    ax.legend()
    ev = {"lrs": lrs, "acc_plain": final[False], "acc_bn": final[True],
          "max_lr_plain": best[False], "max_lr_bn": best[True], "ratio": ratio}
    status = "holds" if ratio >= 3 else "fails"
    return Verdict(status, ev, fig, f"largest trainable lr: BN {best[True]} vs plain {best[False]}")


@claim("C025", "BN speeds up convergence", topics="2.2")
def bn_faster(quick: bool) -> Verdict:
    x, y = glyph_data(500 if quick else 2000)
    depth, width, epochs = (4, 32, 6) if quick else (6, 128, 15)
    curves = {bn: train(mlp(depth, width, bn), x, y, lr, epochs) for bn, lr in ((False, 0.03), (True, 0.1))}
    target = 0.9 if quick else 0.95
    first = {bn: next((i + 1 for i, a in enumerate(c) if a >= target), np.inf) for bn, c in curves.items()}
    fig = Figure()
    ax = fig.subplots()
    for bn, c in curves.items():
        ax.plot(range(1, len(c) + 1), c, label="BN" if bn else "plain")
    ax.set(xlabel="epoch", ylabel="train accuracy", title="C025")
    ax.legend()
    ev = {"target_acc": target, "epochs_plain": float(first[False]), "epochs_bn": float(first[True]),
          "curve_plain": curves[False], "curve_bn": curves[True]}
    return Verdict("holds" if first[True] < first[False] else "fails", ev, fig,
                   f"epochs to {target:.0%}: BN {first[True]} vs plain {first[False]}")


def _layer_grad_norms(model: nn.Sequential, x: np.ndarray, y: np.ndarray) -> list[float]:
    model.train()
    F.cross_entropy(model(ember.tensor(x)), ember.tensor(y)).backward()
    return [float(m.weight.grad.norm().item()) for m in model if isinstance(m, nn.Linear)]


@claim("C026", "BN fights vanishing gradients in deep saturating (sigmoid) nets", topics="2.2")
def bn_vanishing(quick: bool) -> Verdict:
    x, y = glyph_data(300 if quick else 2000)
    ev = {}
    for bn in (False, True):
        model = mlp(10, 32 if quick else 128, bn, act=nn.Sigmoid, init_scale=0.5)
        g = _layer_grad_norms(model, x, y)
        ev[f"ratio_first_to_last_{'bn' if bn else 'plain'}"] = g[0] / g[-2]
        ev[f"grad_norms_{'bn' if bn else 'plain'}"] = g
    gain = ev["ratio_first_to_last_bn"] / ev["ratio_first_to_last_plain"]
    ev["improvement_factor"] = gain
    fig = Figure()
    ax = fig.subplots()
    for k in ("plain", "bn"):
        ax.semilogy(ev[f"grad_norms_{k}"], "o-", label=k)
    ax.set(xlabel="linear layer", ylabel="|dL/dW|", title="C026 (sigmoid, 10 layers)")
    ax.legend()
    return Verdict("holds" if gain > 10 else "fails", ev, fig,
                   f"layer-1/layer-10 gradient ratio is {gain:.3g}x larger with BN")


@claim("C027", "BN reduces sensitivity to initialization", topics="2.2")
def bn_init_sensitivity(quick: bool) -> Verdict:
    x, y = glyph_data(500 if quick else 2000)
    scales = [0.01, 1.0, 10.0] if quick else [0.01, 0.1, 1.0, 10.0]
    depth, width, epochs = (4, 32, 3) if quick else (6, 128, 5)
    acc = {bn: [train(mlp(depth, width, bn, init_scale=s), x, y, 0.03, epochs)[-1] for s in scales]
           for bn in (False, True)}
    spread = {bn: max(a) - min(a) for bn, a in acc.items()}
    fig = Figure()
    ax = fig.subplots()
    for bn in acc:
        ax.semilogx(scales, acc[bn], "o-", label="BN" if bn else "plain")
    ax.set(xlabel="init std / He std", ylabel="train accuracy", title="C027")
    ax.legend()
    ev = {"scales": scales, "acc_plain": acc[False], "acc_bn": acc[True],
          "spread_plain": spread[False], "spread_bn": spread[True]}
    return Verdict("holds" if spread[True] < spread[False] else "fails", ev, fig,
                   f"accuracy spread over init scales: BN {spread[True]:.2f} vs plain {spread[False]:.2f}")


@claim("C029", "At inference BN must use running statistics, not batch statistics", topics="2.2")
def bn_inference(quick: bool) -> Verdict:
    x, y = glyph_data(500 if quick else 2000)
    model = mlp(3, 32 if quick else 64, True)
    train(model, x, y, 0.1, 3 if quick else 5)
    full = accuracy(model, x, y)
    model.eval()
    with ember.no_grad():
        single = np.array([model(ember.tensor(x[i:i + 1])).numpy()[0] for i in range(100)])
        batched = model(ember.tensor(x[:100])).numpy()
        model.train()  # batch statistics of a "batch" holding one sample (twice): x - mean = 0
        solo_train = np.array([model(ember.tensor(x[[i, i]])).numpy()[0] for i in range(100)])
    ev = {"acc_eval_full_batch": full,
          "acc_eval_batch1": float(np.mean(single.argmax(1) == y[:100])),
          "acc_train_stats_batch1": float(np.mean(solo_train.argmax(1) == y[:100])),
          "distinct_outputs_train_stats_batch1": int(len(np.unique(solo_train.round(6), axis=0))),
          "max_diff_alone_vs_in_batch": float(np.abs(single - batched).max())}
    holds = (abs(ev["acc_eval_batch1"] - float(np.mean(batched.argmax(1) == y[:100]))) < 1e-9
             and ev["distinct_outputs_train_stats_batch1"] == 1 and ev["max_diff_alone_vs_in_batch"] < 1e-5)
    fig = Figure()
    ax = fig.subplots()
    ax.bar(["eval, batch", "eval, batch 1", "batch stats, 1 sample"],
           [full, ev["acc_eval_batch1"], ev["acc_train_stats_batch1"]])
    ax.set(ylabel="accuracy", title="C029")
    return Verdict("holds" if holds else "fails", ev, fig,
                   "running statistics give batch-independent outputs; batch statistics of one sample "
                   "collapse every input to the same output")


def _staged_backward(dy, x, gamma, eps):
    """The notes' staged BN backward in NumPy (two branches, through x - mu and through mu)."""
    n = x.shape[0]
    mu = x.mean(0)
    xmu = x - mu
    var = (xmu ** 2).mean(0)
    sqrtvar = np.sqrt(var + eps)
    ivar = 1 / sqrtvar
    xhat = xmu * ivar
    dgamma, dbeta = (dy * xhat).sum(0), dy.sum(0)
    dxhat = dy * gamma
    divar = (dxhat * xmu).sum(0)
    dxmu1 = dxhat * ivar
    dsqrtvar = -divar / sqrtvar ** 2
    dvar = 0.5 * dsqrtvar / sqrtvar
    dxmu2 = 2 * xmu * dvar / n
    dx1 = dxmu1 + dxmu2
    dmu = -dx1.sum(0)
    return dx1 + dmu / n, dgamma, dbeta


@claim("C030", "The staged BN backward is correct", topics="2.2")
def bn_staged_backward(quick: bool) -> Verdict:
    rng = np.random.default_rng(0)
    errs = {"staged_vs_numeric": 0.0, "compact_vs_staged": 0.0, "ember_vs_staged": 0.0}
    for n, d in ([(4, 3), (16, 5), (64, 10)] if quick else [(4, 3), (8, 4), (16, 5), (32, 7), (64, 10)]):
        x, gamma, beta = rng.standard_normal((n, d)) * 2 + 1, rng.uniform(0.5, 2, d), rng.standard_normal(d)
        dy, eps = rng.standard_normal((n, d)), 1e-5
        dx, dg, db = _staged_backward(dy, x, gamma, eps)
        f = lambda xx: (dy * ((xx - xx.mean(0)) / np.sqrt(xx.var(0) + eps) * gamma + beta)).sum()  # noqa: E731
        num = np.zeros_like(x)
        for i in np.ndindex(x.shape):
            e = np.zeros_like(x)
            e[i] = 1e-6
            num[i] = (f(x + e) - f(x - e)) / 2e-6
        xhat, ivar = (x - x.mean(0)) / np.sqrt(x.var(0) + eps), 1 / np.sqrt(x.var(0) + eps)
        compact = gamma * ivar / n * (n * dy - dy.sum(0) - xhat * (dy * xhat).sum(0))
        xe, ge = ember.tensor(x, requires_grad=True), ember.tensor(gamma, requires_grad=True)
        out = F.batch_norm(xe, None, None, ge, ember.tensor(beta), training=True)
        gx, gg = ember.autograd.grad(out, [xe, ge], ember.tensor(dy))
        rel = lambda a, b: float(np.abs(a - b).max() / max(np.abs(b).max(), 1e-300))  # noqa: E731
        errs["staged_vs_numeric"] = max(errs["staged_vs_numeric"], rel(dx, num))
        errs["compact_vs_staged"] = max(errs["compact_vs_staged"], rel(compact, dx))
        errs["ember_vs_staged"] = max(errs["ember_vs_staged"], rel(gx.numpy(), dx), rel(gg.numpy(), dg))
    fig = Figure()
    ax = fig.subplots()
    ax.bar(list(errs), [max(v, 1e-17) for v in errs.values()], log=True)
    ax.set(ylabel="max relative error", title="C030")
    ok = all(v < 1e-6 for v in errs.values())
    return Verdict("holds" if ok else "fails", errs, fig, f"max relative error {max(errs.values()):.2g}")


@claim("C031", "gamma and beta let BN recover the original activations (identity)", topics="2.2")
def bn_identity(quick: bool) -> Verdict:
    rng = np.random.default_rng(0)
    x = rng.standard_normal((64, 8)) * 3 + 5
    eps = 1e-5
    gamma, beta = np.sqrt(x.var(0) + eps), x.mean(0)
    out = F.batch_norm(ember.tensor(x), None, None, ember.tensor(gamma), ember.tensor(beta), True, eps=eps)
    err = float(np.abs(out.numpy() - x).max())
    fig = Figure()
    ax = fig.subplots()
    ax.scatter(x.ravel(), out.numpy().ravel(), s=3)
    ax.set(xlabel="input", ylabel="BN output", title="C031: gamma = sqrt(var + eps), beta = mean")
    return Verdict("holds" if err < 1e-10 else "fails", {"max_abs_error": err}, fig,
                   f"BN with gamma = sqrt(var + eps), beta = mean reproduces its input to {err:.1g}")


@claim("C032", "LN does not depend on batch size and needs no running statistics", topics="2.2")
def ln_batch_independent(quick: bool) -> Verdict:
    rng = np.random.default_rng(0)
    ln = nn.LayerNorm(16)
    with ember.no_grad():
        ln.weight.copy_(ember.tensor(rng.uniform(0.5, 1.5, 16).astype(np.float32)))
    sample = rng.standard_normal((1, 16)).astype(np.float32)
    alone = ln(ember.tensor(sample)).detach().numpy()
    ev = {"buffers": len(list(ln.buffers()))}
    for mode in ("train", "eval"):
        getattr(ln, mode)()
        for b in (2, 32, 256):
            batch = np.concatenate([sample, rng.standard_normal((b - 1, 16)).astype(np.float32) * 5])
            out = ln(ember.tensor(batch)).detach().numpy()[:1]
            ev[f"max_diff_{mode}_batch{b}"] = float(np.abs(out - alone).max())
    diffs = [v for k, v in ev.items() if k.startswith("max_diff")]
    fig = Figure()
    ax = fig.subplots()
    ax.bar([k[9:] for k in ev if k.startswith("max_diff")], diffs)
    ax.set(ylabel="max |LN(alone) - LN(in batch)|", title="C032")
    ok = max(diffs) == 0.0 and ev["buffers"] == 0
    return Verdict("holds" if ok else "fails", ev, fig,
                   "LayerNorm output of a sample is bit-identical alone or in any batch, train or eval")
