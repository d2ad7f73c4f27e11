"""Claims of TOPICS.md §2.7 about CNN layers and formulas that are exact (C075, C077-C080,
C082, C084-C088): receptive fields, output sizes, 1x1/group/depthwise/transposed/deformable
convolution identities and parameter counts. Training and timing claims are in cnn_training.py.
"""
from __future__ import annotations

import time

import numpy as np
from matplotlib.figure import Figure

import ember
import ember.nn.functional as F
from ember import nn
from ember.experiments import Verdict, claim
from ember.vision.ops import deform_conv2d


def reference_conv2d_nhwc(x: np.ndarray, k: np.ndarray, stride: int = 1, padding: int = 0) -> np.ndarray:
    """The notes' loop convolution, corrected (TOPICS.md E02): x (N, H, W, C), k (kh, kw, C, O).

    Pads with ``[p : p + H]`` slices, computes H_out = (H + 2P - kh)//S + 1 from the unpadded size,
    keeps kernel height/width separate. Cross-correlation, as in deep learning. Test oracle only.
    """
    N, H, W, C = x.shape
    kh, kw, _, O = k.shape
    xp = np.zeros((N, H + 2 * padding, W + 2 * padding, C), dtype=x.dtype)
    xp[:, padding:padding + H, padding:padding + W] = x
    Ho, Wo = (H + 2 * padding - kh) // stride + 1, (W + 2 * padding - kw) // stride + 1
    out = np.zeros((N, Ho, Wo, O), dtype=x.dtype)
    for n in range(N):
        for o in range(O):
            for i in range(Ho):
                for j in range(Wo):
                    win = xp[n, i * stride:i * stride + kh, j * stride:j * stride + kw]
                    out[n, i, j, o] = np.sum(win * k[:, :, :, o])
    return out


def empirical_rf(layers: list, size: int = 41) -> int:
    """Width of the input support of d(centre output)/d(input) through ``layers`` (1 channel).

    Conv weights are positive (ones) so no cancellation can hide a tap."""
    x = ember.zeros(1, 1, size, size, dtype=ember.float64, requires_grad=True)
    y = x
    for layer in layers:
        y = layer(y)
    c = y.shape[-1] // 2
    y[0, 0, c, c].backward()
    cols = np.nonzero(np.abs(x.grad.numpy()[0, 0]).sum(0))[0]
    return int(cols.max() - cols.min() + 1)


def _conv(k: int, s: int = 1, d: int = 1):
    w = ember.ones(1, 1, k, k, dtype=ember.float64)
    return lambda t: F.conv2d(t, w, None, s, 0, d)


def _pool(k: int, s: int):
    return lambda t: F.avg_pool2d(t, k, s)


def rf_forward(spec: list) -> int:
    """r_l = r_(l-1) + (k_eff - 1) * j_(l-1); j_l = j_(l-1) * s_l (TOPICS.md 1.11, std form)."""
    r, j = 1, 1
    for k, s, d in spec:
        r, j = r + (d * (k - 1)) * j, j * s
    return r


def rf_backward(spec: list) -> int:
    """From the top: r = k_eff(last); going down r <- (r - 1) * s_i + k_eff_i."""
    r = 1
    for k, s, d in reversed(spec):
        r = (r - 1) * s + d * (k - 1) + 1
    return r


@claim("C075", "Two stacked 3x3 convs have the receptive field of one 5x5 with fewer parameters "
       "(three 3x3 = 7x7)", topics="2.7")
def stacked_3x3(quick: bool) -> Verdict:
    ev = {"rf_two_3x3": empirical_rf([_conv(3), _conv(3)]),
          "rf_three_3x3": empirical_rf([_conv(3)] * 3),
          "rf_one_5x5": empirical_rf([_conv(5)])}
    C = 64
    ev["params_two_3x3_C64"] = sum(p.numel() for m in (nn.Conv2d(C, C, 3, bias=False),) * 2
                                   for p in m.parameters())
    ev["params_one_5x5_C64"] = nn.Conv2d(C, C, 5, bias=False).weight.numel()
    ok = ev["rf_two_3x3"] == 5 == ev["rf_one_5x5"] and ev["rf_three_3x3"] == 7 \
        and ev["params_two_3x3_C64"] < ev["params_one_5x5_C64"]
    fig = Figure(figsize=(4, 3))
    ax = fig.subplots()
    ax.bar(["2x 3x3", "1x 5x5"], [ev["params_two_3x3_C64"], ev["params_one_5x5_C64"]])
    ax.set_ylabel("weights (C = 64)")
    return Verdict("holds" if ok else "fails", ev, fig,
                   f"RF {ev['rf_two_3x3']} / {ev['rf_three_3x3']}; weights "
                   f"{ev['params_two_3x3_C64']} vs {ev['params_one_5x5_C64']}")


@claim("C077", "The output-size formula floor((W - K + 2P)/S) + 1 holds", topics="2.7")
def output_size_formula(quick: bool) -> Verdict:
    rng = np.random.default_rng(0)
    trials, bad, max_err = (30 if quick else 300), 0, 0.0
    for t in range(trials):
        W, K, P, S, D = (int(rng.integers(5, 16)), int(rng.integers(1, 5)), int(rng.integers(0, 3)),
                         int(rng.integers(1, 4)), int(rng.integers(1, 3)))
        if D * (K - 1) + 1 > W + 2 * P:
            continue
        x = rng.standard_normal((1, 2, W, W))
        w = rng.standard_normal((3, 2, K, K))
        y = F.conv2d(ember.tensor(x), ember.tensor(w), None, S, P, D).numpy()
        bad += y.shape[-1] != (W + 2 * P - D * (K - 1) - 1) // S + 1
        if D == 1 and t % 3 == 0:  # the loop reference has no dilation
            ref = reference_conv2d_nhwc(x.transpose(0, 2, 3, 1), w.transpose(2, 3, 1, 0), S, P)
            max_err = max(max_err, float(np.abs(ref.transpose(0, 3, 1, 2) - y).max()))
    ev = {"trials": trials, "shape_mismatches": int(bad), "max_abs_err_vs_loop": max_err}
    ok = bad == 0 and max_err < 1e-10
    return Verdict("holds" if ok else "fails", ev, None,
                   f"{trials} random (W, K, P, S, d): {bad} shape mismatches, loop-conv error {max_err:.1e}")


@claim("C078", "Receptive field formula (forward and backward forms) holds", topics="2.7")
def receptive_field_formula(quick: bool) -> Verdict:
    rng = np.random.default_rng(1)
    rows = []
    for _ in range(6 if quick else 25):
        spec = [(int(rng.integers(1, 4)), int(rng.integers(1, 3)), int(rng.integers(1, 3)))
                for _ in range(int(rng.integers(1, 4)))]
        layers = [_pool(k, s) if i % 2 and d == 1 else _conv(k, s, d) for i, (k, s, d) in enumerate(spec)]
        size = 4 * rf_forward(spec) + 9
        rows.append((rf_forward(spec), rf_backward(spec), empirical_rf(layers, size)))
    agree = sum(f == b == e for f, b, e in rows)
    ev = {"stacks": len(rows), "agree": agree, "examples": rows[:5]}
    return Verdict("holds" if agree == len(rows) else "fails", ev, None,
                   f"forward form, backward form and gradient support agree on {agree}/{len(rows)} stacks")


@claim("C079", "1x1 convolution equals a fully connected layer applied at every pixel", topics="2.7")
def one_by_one_is_fc(quick: bool) -> Verdict:
    conv, fc = nn.Conv2d(16, 8, 1).double(), nn.Linear(16, 8).double()
    fc.weight.data.copy_(conv.weight.data.reshape(8, 16))
    fc.bias.data.copy_(conv.bias.data)
    x = ember.randn(4, 16, 7, 9, dtype=ember.float64)
    with ember.no_grad():
        err = float((conv(x) - fc(x.permute(0, 2, 3, 1)).permute(0, 3, 1, 2)).abs().max())
    bottleneck = 256 * 64 + 9 * 64 * 64 + 64 * 256  # 1x1 reduce, 3x3, 1x1 expand (no bias)
    plain = 9 * 256 * 256
    ev = {"max_abs_diff": err, "bottleneck_256_64_256_weights": bottleneck,
          "plain_3x3_256_weights": plain, "saving_factor": plain / bottleneck}
    return Verdict("holds" if err < 1e-10 else "fails", ev, None,
                   f"max |conv1x1 - per-pixel FC| = {err:.1e}; bottleneck uses {plain / bottleneck:.1f}x "
                   "fewer weights than one 3x3 256->256 conv")


@claim("C080", "Group convolution divides parameters and FLOPs by the number of groups and equals "
       "separate convs concatenated", topics="2.7")
def group_conv_equivalence(quick: bool) -> Verdict:
    G, C, O = 4, 16, 32
    gconv = nn.Conv2d(C, O, 3, padding=1, groups=G, bias=False).double()
    x = ember.randn(2, C, 8, 8, dtype=ember.float64)
    with ember.no_grad():
        parts = [F.conv2d(x[:, g * C // G:(g + 1) * C // G], gconv.weight[g * O // G:(g + 1) * O // G],
                          None, 1, 1) for g in range(G)]
        err = float((gconv(x) - ember.cat(parts, 1)).abs().max())
    full = nn.Conv2d(C, O, 3, bias=False).weight.numel()
    ev = {"max_abs_diff": err, "params_groups1": full, "params_groups4": gconv.weight.numel(),
          "param_ratio": full / gconv.weight.numel(), "mac_ratio": full / gconv.weight.numel()}
    ok = err < 1e-10 and ev["param_ratio"] == G
    return Verdict("holds" if ok else "fails", ev, None,
                   f"groups={G}: identical to {G} sliced convs (err {err:.1e}); weights / {ev['param_ratio']:.0f}")


@claim("C082", "Depthwise separable conv cuts parameters by about 1/C_out + 1/k^2", topics="2.7")
def depthwise_separable_params(quick: bool) -> Verdict:
    k, C = 3, 256
    dw = nn.Conv2d(C, C, k, groups=C, bias=False).weight.numel()
    pw = nn.Conv2d(C, C, 1, bias=False).weight.numel()
    std = nn.Conv2d(C, C, k, bias=False).weight.numel()
    ratio, formula = (dw + pw) / std, 1 / C + 1 / k ** 2
    ev = {"depthwise": dw, "pointwise": pw, "standard": std, "ratio": ratio, "formula": formula}
    return Verdict("holds" if abs(ratio - formula) < 1e-12 else "fails", ev, None,
                   f"({dw} + {pw}) / {std} = {ratio:.4f} = 1/{C} + 1/{k * k}")


@claim("C084", "Dilated convolution enlarges the receptive field without extra parameters", topics="2.7")
def dilation_rf(quick: bool) -> Verdict:
    ev = {f"rf_d{d}": empirical_rf([_conv(3, 1, d)]) for d in (1, 2, 4)}
    ev.update({f"params_d{d}": nn.Conv2d(8, 8, 3, dilation=d).weight.numel() for d in (1, 2, 4)})
    ok = [ev[f"rf_d{d}"] for d in (1, 2, 4)] == [3, 5, 9] and len({ev[f"params_d{d}"] for d in (1, 2, 4)}) == 1
    return Verdict("holds" if ok else "fails", ev, None, "3x3 with d = 1, 2, 4: RF 3, 5, 9, same weights")


@claim("C085", "Transposed convolution upsamples and is the adjoint of convolution", topics="2.7")
def transpose_is_adjoint(quick: bool) -> Verdict:
    rng = np.random.default_rng(2)
    worst = 0.0
    for s, p in ((1, 0), (2, 1), (3, 2), (2, 0)):
        x = ember.tensor(rng.standard_normal((2, 3, 11, 10)))
        w = ember.tensor(rng.standard_normal((4, 3, 3, 3)))
        y = F.conv2d(x, w, None, s, p)
        v = ember.tensor(rng.standard_normal(tuple(y.shape)))
        op = tuple((n + 2 * p - 3) % s for n in (11, 10))  # recovers the exact input size
        lhs, rhs = float((y * v).sum()), float((x * F.conv_transpose2d(v, w, None, s, p, op)).sum())
        worst = max(worst, abs(lhs - rhs) / abs(lhs))
    up = nn.ConvTranspose2d(3, 3, 4, stride=2, padding=1)(ember.randn(1, 3, 8, 8)).shape
    ev = {"max_rel_inner_product_gap": worst, "stride2_output_of_8x8": list(up[-2:])}
    ok = worst < 1e-10 and list(up[-2:]) == [16, 16]
    return Verdict("holds" if ok else "fails", ev, None,
                   f"<conv x, y> = <x, conv_T y> to {worst:.1e}; k4 s2 p1 maps 8x8 to {list(up[-2:])}")


@claim("C086", "Deformable convolution with zero offsets equals standard convolution", topics="2.7")
def deform_zero_offsets(quick: bool) -> Verdict:
    rng = np.random.default_rng(3)
    x, w = ember.tensor(rng.standard_normal((2, 4, 9, 8))), ember.tensor(rng.standard_normal((5, 4, 3, 3)))
    zero = ember.zeros(2, 18, 7, 6, dtype=ember.float64)
    e0 = float((deform_conv2d(x, zero, w) - F.conv2d(x, w)).abs().max())
    off = np.zeros((2, 18, 7, 6))
    off[:, 0::2], off[:, 1::2] = 1.0, 1.0  # every tap one pixel down-right
    shifted = F.conv2d(x[:, :, 1:, 1:], w)  # conv of the shifted image
    e1 = float((deform_conv2d(x, ember.tensor(off), w)[:, :, :6, :5] - shifted).abs().max())
    ev = {"zero_offset_err": e0, "integer_offset_shift_err": e1}
    ok = e0 < 1e-10 and e1 < 1e-10
    return Verdict("holds" if ok else "fails", ev, None,
                   f"zero offsets: {e0:.1e}; (+1, +1) offsets = shifted conv: {e1:.1e}")


@claim("C087", "Weight sharing slashes parameters: 606 for six 10x10 kernels vs 23,550 for a "
       "784-30 MLP layer (about 40x)", topics="2.7")
def weight_sharing(quick: bool) -> Verdict:
    conv = nn.Conv2d(1, 6, 10).double()
    conv_p = sum(p.numel() for p in conv.parameters())
    mlp_p = sum(p.numel() for p in nn.Linear(784, 30).parameters())
    one_neuron = 100 * 100 + 1
    # equivalence: a conv is an FC layer whose weight matrix is tied (Toeplitz), built from the conv
    x = ember.randn(3, 1, 14, 14, dtype=ember.float64)
    basis = ember.eye(14 * 14, dtype=ember.float64).reshape(-1, 1, 14, 14)
    with ember.no_grad():
        T = (conv(basis) - conv.bias.reshape(1, -1, 1, 1)).reshape(14 * 14, -1)  # (196, 6*5*5)
        fc = x.reshape(3, -1) @ T + conv.bias.repeat_interleave(25)
        err = float((fc - conv(x).reshape(3, -1)).abs().max())
    distinct = int(np.unique(np.round(T.numpy()[np.abs(T.numpy()) > 0], 12)).size)
    ev = {"conv_params": conv_p, "mlp_784_30_params": mlp_p, "ratio": mlp_p / conv_p,
          "one_fc_neuron_on_100x100": one_neuron, "toeplitz_fc_err": err,
          "toeplitz_distinct_weights": distinct}
    ok = conv_p == 606 and mlp_p == 23550 and err < 1e-10 and distinct <= 600
    return Verdict("holds" if ok else "fails", ev, None,
                   f"606 vs 23,550 ({mlp_p / conv_p:.1f}x) — but these are different settings (notes' E43): "
                   f"one FC neuron over the 100x100 image alone has {one_neuron}")


@claim("C088", "im2col + GEMM convolution equals direct convolution and is much faster", topics="2.7")
def im2col_vs_loops(quick: bool) -> Verdict:
    rng = np.random.default_rng(4)
    N, C, H, O = (2, 8, 16, 8) if quick else (8, 16, 32, 16)
    rows = []
    for s, p in ((1, 1), (2, 0)):
        x, w = rng.standard_normal((N, C, H, H)), rng.standard_normal((O, C, 3, 3))
        t0 = time.perf_counter()
        ref = reference_conv2d_nhwc(x.transpose(0, 2, 3, 1), w.transpose(2, 3, 1, 0), s, p)
        t_loop = time.perf_counter() - t0
        xe, we = ember.tensor(x), ember.tensor(w)
        t0 = time.perf_counter()
        for _ in range(5):
            y = F.conv2d(xe, we, None, s, p)
        t_gemm = (time.perf_counter() - t0) / 5
        rows.append((s, p, float(np.abs(ref.transpose(0, 3, 1, 2) - y.numpy()).max()), t_loop / t_gemm))
    ev = {"cases": [{"stride": s, "pad": p, "max_err": e, "speedup": sp} for s, p, e, sp in rows]}
    err, speed = max(r[2] for r in rows), min(r[3] for r in rows)
    fig = Figure(figsize=(4, 3))
    ax = fig.subplots()
    ax.bar([f"s{s} p{p}" for s, p, _, _ in rows], [r[3] for r in rows])
    ax.set_yscale("log")
    ax.set_ylabel("loop time / im2col time")
    ok = err < 1e-10 and speed >= 10
    if not ok:
        ev["condition"] = "speedup depends on the problem size (small inputs amortise less)"
    return Verdict("holds" if ok else ("depends" if err < 1e-10 else "fails"), ev, fig,
                   f"max error {err:.1e}; im2col+GEMM {speed:.0f}x faster than loops (at least)")
